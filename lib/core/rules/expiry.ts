import { addDays, parseIsoDate } from '../dates';
import { ResolvedGovernancePolicy } from '../policy';
import { NhiRisk, Violation, violation } from '../violation';

const RISKS = [NhiRisk.NHI1, NhiRisk.NHI7];

/** Expiry: a `YYYY-MM-DD` date after today and within the policy's maximum lifetime. */
export function checkExpiry(expires: unknown, today: string, policy: ResolvedGovernancePolicy, field = 'expires'): Violation[] {
  const latest = addDays(today, policy.maxLifetimeDays);
  const window = `between ${addDays(today, 1)} and ${latest}`;
  if (expires === undefined || expires === null || expires === '') {
    return [violation('NHI_EXPIRY_MISSING', field, 'every identity needs an expiry date',
      `set ${field} to a YYYY-MM-DD date ${window}`, expires ?? undefined, RISKS)];
  }
  const day = parseIsoDate(expires);
  if (day === undefined) {
    return [violation('NHI_EXPIRY_INVALID', field, 'is not a literal calendar date in the form YYYY-MM-DD (UTC)',
      `write the date literally, e.g. '${latest}'`, expires, RISKS)];
  }
  if (day <= parseIsoDate(today)!) {
    return [violation('NHI_EXPIRY_PAST', field, `is not after today (${today})`,
      `set a date ${window}, or remove the identity if it is no longer needed`, expires, RISKS)];
  }
  if (day > parseIsoDate(latest)!) {
    return [violation('NHI_EXPIRY_TOO_FAR', field, `is more than ${policy.maxLifetimeDays} days away (the policy's maximum lifetime)`,
      `set a date no later than ${latest} and extend it when the owner re-attests`, expires, RISKS)];
  }
  return [];
}
