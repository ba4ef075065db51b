import { IConstruct } from 'constructs';

/** Context key (or `NHI_TODAY` environment variable) that fixes "today" for validation. */
export const TODAY_CONTEXT_KEY = 'nhi:today';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * Parses a strict `YYYY-MM-DD` calendar date (UTC) into days since the epoch.
 * Returns undefined for anything else, including impossible dates such as 2026-02-30.
 */
const parsed = new Map<string, number | undefined>();

export function parseIsoDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (parsed.has(value)) return parsed.get(value);
  const result = parseUncached(value);
  if (parsed.size < 10_000) parsed.set(value, result);
  return result;
}

function parseUncached(value: string): number | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  const back = new Date(0);
  back.setUTCFullYear(y, mo - 1, d);
  const t = back.getTime();
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return Math.round(t / DAY_MS);
}

const formatted = new Map<number, string>();

/** Formats days since the epoch as `YYYY-MM-DD`. */
export function formatIsoDate(days: number): string {
  let text = formatted.get(days);
  if (text === undefined) {
    text = new Date(days * DAY_MS).toISOString().slice(0, 10);
    if (formatted.size < 10_000) formatted.set(days, text);
  }
  return text;
}

/** `YYYY-MM-DD` plus `n` days (n may be negative). */
export function addDays(date: string, n: number): string {
  const d = parseIsoDate(date);
  if (d === undefined) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return formatIsoDate(d + n);
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  if (a === undefined || b === undefined) throw new Error(`not YYYY-MM-DD dates: ${from}, ${to}`);
  return b - a;
}

/**
 * The day the owner's expiry reminder is sent, never in the past: `reminderDays` before `expires`,
 * or, for an identity declared inside that window, the first day after `today` (the day of synth;
 * notices go out at 09:00 UTC, so the day after is the first one surely still ahead at deploy).
 * Undefined when no day is left before the expiry (it expires tomorrow): the expiry notice, sent
 * at the expiry instant, is then the only one, and the register says why.
 *
 * Deterministic for a given `today`: a stack synthesised again on a later day inside the window
 * moves the reminder to the day after that synth.
 */
export function reminderDay(expires: string, reminderDays: number, today: string): string | undefined {
  const planned = addDays(expires, -Math.max(1, reminderDays)); // policies have reminderDays >= 1
  if (planned > today) return planned;
  const first = addDays(today, 1);
  return first < expires ? first : undefined;
}

/** The instant an identity expiring on `date` stops working: midnight UTC at the start of that day. */
export function expiryInstant(date: string): string {
  return `${date}T00:00:00Z`;
}

/**
 * "Today" (UTC) for validation only; it never reaches synthesised output.
 *
 * Taken, in order, from the construct context `nhi:today`, the `NHI_TODAY` environment
 * variable, or the system clock. Tests and reproducible pipelines pin it.
 */
export function today(scope?: IConstruct): string {
  const fromContext = scope?.node.tryGetContext(TODAY_CONTEXT_KEY);
  const pinned = fromContext ?? process.env.NHI_TODAY;
  if (pinned !== undefined) {
    if (parseIsoDate(pinned) === undefined) {
      throw new Error(`${TODAY_CONTEXT_KEY} / NHI_TODAY must be a YYYY-MM-DD date, got ${JSON.stringify(pinned)}`);
    }
    return pinned;
  }
  return new Date().toISOString().slice(0, 10);
}
