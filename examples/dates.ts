// The examples compute their dates from "today" so that they synthesise on any day (a test runs
// every example two years ahead). In your own code write the expiry literally ('2027-10-31'):
// an expiry is a decision the owner re-makes when re-attesting, not a moving window.
import { IConstruct } from 'constructs';
import { addDays, today } from '../lib/core/dates';

/**
 * `YYYY-MM-DD`, `days` after "today" as the constructs see it at `scope`: the context `nhi:today`,
 * else `NHI_TODAY`, else the clock (UTC).
 */
export function daysFromToday(scope: IConstruct, days: number): string {
  return addDays(today(scope), days);
}
