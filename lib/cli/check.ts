// `nhi check`: identities and waivers expired or expiring soon, rotation above policy. For a
// scheduled CI job that tells owners before their identity stops working.
import { daysBetween } from '../core/dates';
import { LoadedSynth } from './load';
import { byString, code, mdTable, plural, printable, prose, safeMarkdown, textTable } from './util';

/** Thresholds of `nhi check`. */
export interface CheckOptions {
  readonly today: string;
  /** Report what expires within this many days. @default 30 */
  readonly withinDays?: number;
  /** Longest acceptable rotation period. @default 90 */
  readonly maxRotationDays?: number;
}

/** One finding of `nhi check`. */
export interface CheckFinding {
  /** `expired`, `expiring`, `rotation-too-long`, `not-rotated`, `waiver-expired`, `waiver-expiring`. */
  readonly kind: string;
  /** Construct path (or waiver target). */
  readonly path: string;
  readonly owner: string;
  readonly message: string;
  /** Days until expiry (negative: expired), where relevant. */
  readonly days?: number;
}

/** Parses `30d`, `30`, `4w` into days; undefined if malformed. */
export function parseWithin(value: string): number | undefined {
  const m = /^(\d+)\s*([dw]?)$/i.exec(value.trim());
  if (!m) return undefined;
  return Number(m[1]) * (m[2].toLowerCase() === 'w' ? 7 : 1);
}

/** Every finding, most urgent first. */
export function checkSynth(synth: LoadedSynth, options: CheckOptions): CheckFinding[] {
  const within = options.withinDays ?? 30;
  const maxRot = options.maxRotationDays ?? 90;
  const out: CheckFinding[] = [];
  for (const i of synth.identities) {
    const owner = `${i.owner.team} <${i.owner.contact}>`;
    const d = daysBetween(options.today, i.expires);
    if (d <= 0) {
      out.push({ kind: 'expired', path: i.path, owner, days: d, message: `expired on ${i.expires}${d < 0 ? ` (${plural(-d, 'day')} ago)` : ' (today)'}: the cloud no longer honours it; extend its expiry or remove it` });
    } else if (d <= within) {
      out.push({ kind: 'expiring', path: i.path, owner, days: d, message: `expires on ${i.expires}, in ${plural(d, 'day')}: extend it (with a reason) or plan its removal` });
    }
    if (i.rotation && i.rotation.days > maxRot) {
      out.push({ kind: 'rotation-too-long', path: i.path, owner, message: `${i.credentials} rotated every ${i.rotation.days} days, above the ${maxRot}-day maximum` });
    } else if (!i.rotation && i.credentials !== 'none') {
      out.push({ kind: 'not-rotated', path: i.path, owner, message: `has a static ${i.credentials} that is never rotated` });
    }
  }
  for (const w of synth.waivers) {
    const target = w.path ?? w.resourceType ?? '(unknown)';
    const owner = w.owner ? `${w.owner.team} <${w.owner.contact}>` : '(none)';
    const d = daysBetween(options.today, w.expires);
    if (d <= 0) {
      out.push({ kind: 'waiver-expired', path: target, owner, days: d, message: `waiver of ${w.code} expired on ${w.expires}: the finding fails the synth again; fix it or renew the waiver` });
    } else if (d <= within) {
      out.push({ kind: 'waiver-expiring', path: target, owner, days: d, message: `waiver of ${w.code} expires on ${w.expires}, in ${plural(d, 'day')}: fix the finding or renew the waiver` });
    }
  }
  const rank = (f: CheckFinding) => ['expired', 'waiver-expired', 'not-rotated', 'rotation-too-long', 'expiring', 'waiver-expiring'].indexOf(f.kind);
  return out.sort((a, b) => rank(a) - rank(b) || (a.days ?? 0) - (b.days ?? 0) || byString(a.path, b.path));
}

function summary(findings: CheckFinding[], synth: LoadedSynth, options: CheckOptions): string {
  const n = synth.identities.length;
  if (findings.length === 0) {
    return `nhi check: ${plural(n, 'identity', 'identities')} checked as of ${options.today}: nothing expires within ${options.withinDays ?? 30} days, rotation within policy.`;
  }
  return `nhi check: ${plural(findings.length, 'finding')} in ${plural(n, 'identity', 'identities')} as of ${options.today} (within ${options.withinDays ?? 30} days, max rotation ${options.maxRotationDays ?? 90} days).`;
}

/** Findings as a plain-text table. */
export function renderCheckText(findings: CheckFinding[], synth: LoadedSynth, options: CheckOptions): string {
  const head = summary(findings, synth, options) + '\n';
  if (findings.length === 0) return head;
  return head + '\n' + textTable(['Finding', 'Identity', 'Owner', 'What to do'], findings.map((f) => [f.kind, f.path, f.owner, f.message].map(printable)));
}

/** Findings as markdown (e.g. for an issue opened by a scheduled job). */
export function renderCheckMarkdown(findings: CheckFinding[], synth: LoadedSynth, options: CheckOptions): string {
  const head = `### ${findings.length === 0 ? '🟢' : findings.some((f) => f.kind.endsWith('expired') || f.kind === 'not-rotated') ? '🔴' : '🟠'} ${summary(findings, synth, options)}\n`;
  if (findings.length === 0) return head;
  return `${head}\n${mdTable(['Finding', 'Identity', 'Owner', 'What to do'], findings.map((f) => [f.kind, safeMarkdown(code(f.path)), safeMarkdown(prose(f.owner)), safeMarkdown(prose(f.message))]))}`;
}

/** Findings as JSON. */
export function renderCheckJson(findings: CheckFinding[], options: CheckOptions): string {
  return JSON.stringify({ today: options.today, withinDays: options.withinDays ?? 30, maxRotationDays: options.maxRotationDays ?? 90, findings }, null, 2) + '\n';
}
