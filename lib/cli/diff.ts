// `nhi diff`: what changed in governance between two synths, identity by identity. Pure
// functions over loaded registers; rendering lives in render-diff.ts.
import { daysBetween, parseIsoDate } from '../core/dates';
import { ACCEPTED_FINDING_EFFECTS } from '../core/rules/accepted-findings';
import { isPrivilegedPermission } from '../core/rules/google-roles';
import { IdentitySource, identitySource, NhiIdentity, NhiWaiver } from './load';
import { Change, IdentityDiff, maxSeverity, RegisterDiff, Severity, WaiverDiff } from './model';
import { scopeSummary } from './register-view';
import { awsActionFacts, AwsActionFacts, diffAwsScope, diffScope, expandAction, googleRoleFamily, scopeShape } from './scope-diff';
import { brief, byString, code, deepEqual, listSome, plural, prose, stableStringify } from './util';

/** Limits the diff judges changes against (the defaults of the core GovernancePolicy). */
export interface DiffOptions {
  /** `YYYY-MM-DD`: lifetimes are measured from this day. */
  readonly today: string;
  /** @default 365 */
  readonly maxLifetimeDays?: number;
  /** @default 90 */
  readonly maxRotationDays?: number;
}

/** Detail keys derived from other fields (the expiry condition) or prose that never governs. */
const DERIVED_DETAILS = new Set(['condition', 'limitations']);

/** True for a string with an IAM wildcard (`*` any run, `?` one character). */
function isPattern(v: unknown): boolean {
  return typeof v === 'string' && (v.includes('*') || v.includes('?'));
}

function days(n: number): string {
  return plural(n, 'day');
}

function ownerText(o: { team: string; contact: string }): string {
  return `${prose(o.team)} (${prose(o.contact)})`;
}

const LIFECYCLE_FIELDS = ['system', 'environment'] as const;
const NOTHING: readonly string[] = [];
const NO_DETAILS: Record<string, unknown> = {};
const NO_CHANGES: Change[] = [];

function lifecycleText(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : typeof v === 'string' ? v : brief(v);
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The governance changes of one identity present in both registers. */
export function diffIdentity(base: NhiIdentity, head: NhiIdentity, options: DiffOptions): Change[] {
  let out: Change[] = [];
  const maxLife = options.maxLifetimeDays ?? 365;
  const maxRot = options.maxRotationDays ?? 90;

  if (base.kind !== head.kind || base.cloud !== head.cloud) {
    out.push({ kind: 'kind-changed', severity: 'medium', summary: `now a ${head.cloud} ${head.kind} (was a ${base.cloud} ${base.kind})` });
  }
  if (base.name !== head.name) out.push({ kind: 'name-changed', severity: 'low', summary: `name ${code(base.name)} → ${code(head.name)}` });

  if (base.owner.team !== head.owner.team) {
    out.push({ kind: 'owner-changed', severity: 'medium', summary: `owner ${ownerText(base.owner)} → ${ownerText(head.owner)}: alarms and reminders now go to the new owner` });
  } else if (base.owner.contact !== head.owner.contact) {
    out.push({ kind: 'owner-changed', severity: 'low', summary: `owner contact ${prose(base.owner.contact)} → ${prose(head.owner.contact)}` });
  }
  if (base.purpose !== head.purpose) out.push({ kind: 'purpose-changed', severity: 'low', summary: `purpose “${prose(base.purpose)}” → “${prose(head.purpose)}”` });

  // Expiry.
  if (base.expires !== head.expires) {
    const delta = daysBetween(base.expires, head.expires);
    if (delta > 0) {
      const lifetime = daysBetween(options.today, head.expires);
      const beyond = lifetime > maxLife;
      out.push({
        kind: 'expiry-extended',
        severity: beyond ? 'high' : 'medium',
        summary: `expiry extended by ${days(delta)}: ${base.expires} → ${head.expires}` +
          (beyond ? ` — ${days(lifetime)} from today, beyond the ${maxLife}-day policy limit` : ` (${days(lifetime)} from today, within the ${maxLife}-day limit)`),
        expiryExtended: true,
      });
      // Extending expires is a re-attestation: an identity under approval needs a new ticket.
      const before = base.approval?.ticket;
      if (before !== undefined && before !== null && head.approval?.ticket === before) {
        out.push({
          kind: 'expiry-not-reattested',
          severity: 'high',
          summary: `expiry extended without a new approval: ticket ${code(String(before))} is unchanged (extending \`expires\` is a re-attestation)`,
        });
      }
    } else {
      out.push({ kind: 'expiry-shortened', severity: 'info', summary: `expiry brought forward by ${days(-delta)}: ${base.expires} → ${head.expires}`, good: true });
    }
  }

  // Credentials and rotation.
  if (base.credentials !== head.credentials) {
    if (base.credentials === 'none') {
      out.push({ kind: 'credentials-added', severity: 'high', summary: `static credential introduced: ${code(head.credentials)} (was workload identity, no secret)`, widens: true });
    } else if (head.credentials === 'none') {
      out.push({ kind: 'credentials-removed', severity: 'info', summary: `static credential ${code(base.credentials)} removed: now a workload identity with no secret`, good: true });
    } else {
      out.push({ kind: 'credentials-changed', severity: 'medium', summary: `credential ${code(base.credentials)} → ${code(head.credentials)}` });
    }
  }
  const r0 = base.rotation?.days;
  const r1 = head.rotation?.days;
  if (r0 !== r1) {
    if (r0 !== undefined && r1 === undefined) {
      if (head.credentials !== 'none') {
        out.push({ kind: 'rotation-removed', severity: 'high', summary: `rotation removed: the ${head.credentials} is no longer rotated (was every ${days(r0)})` });
      } else {
        out.push({ kind: 'rotation-removed', severity: 'info', summary: `rotation no longer needed: no secret to rotate (was every ${days(r0)})`, good: true });
      }
    } else if (r0 === undefined && r1 !== undefined) {
      out.push({ kind: 'rotation-added', severity: 'info', summary: `rotation every ${days(r1)}`, good: true });
    } else if (r1! > r0!) {
      const above = r1! > maxRot;
      out.push({
        kind: 'rotation-weakened',
        severity: above ? 'high' : 'medium',
        summary: `rotation weakened: every ${days(r0!)} → every ${days(r1!)}${above ? ` — above the ${maxRot}-day policy maximum` : ''}`,
      });
    } else {
      out.push({ kind: 'rotation-strengthened', severity: 'info', summary: `rotation strengthened: every ${days(r0!)} → every ${days(r1!)}`, good: true });
    }
  }

  // Scope.
  const scope = scopeChanges(base.scope, head.scope);
  if (scope.length > 0) {
    if (out.length === 0) out = scope; // the scope's own fresh list, not a copy
    else out.push(...scope);
  }

  // Alarms, by kind.
  if (!deepEqual(base.alarms, head.alarms)) {
    const byKind = (as: NhiIdentity['alarms']) => new Map(as.map((a) => [a.kind, a]));
    const b = byKind(base.alarms);
    const h = byKind(head.alarms);
    for (const [k, a] of b) {
      const now = h.get(k);
      if (!now) {
        out.push({ kind: 'alarm-removed', severity: 'medium', summary: `alarm ${code(k)} removed: the owner is no longer told ${prose(String(a.description ?? ''))}` });
      } else if (now.notifies !== a.notifies) {
        out.push({ kind: 'alarm-rerouted', severity: 'low', summary: `alarm ${code(k)} now notifies ${prose(String(now.notifies))} (was ${prose(String(a.notifies))})` });
      }
    }
    const added = [...h.keys()].filter((k) => !b.has(k));
    if (added.length > 0) out.push({ kind: 'alarm-added', severity: 'info', summary: `${plural(added.length, 'alarm')} added: ${added.map(code).join(', ')}`, good: true });
  }

  // Lifecycle fields.
  for (let i = 0; i < LIFECYCLE_FIELDS.length; i++) {
    const f = LIFECYCLE_FIELDS[i];
    const a = lifecycleText(base[f]);
    const b = lifecycleText(head[f]);
    if (a !== b) out.push({ kind: `${f}-changed`, severity: f === 'environment' ? 'medium' : 'low', summary: `${f} ${a === undefined ? '(none)' : code(a)} → ${b === undefined ? '(none)' : code(b)}` });
  }
  if (!deepEqual(base.approval ?? null, head.approval ?? null)) {
    if (!head.approval) out.push({ kind: 'approval-removed', severity: 'medium', summary: `approval ${prose(brief(base.approval))} removed` });
    else out.push({ kind: 'approval-changed', severity: base.approval ? 'low' : 'info', summary: `approval ${base.approval ? `${prose(brief(base.approval))} → ` : ''}${prose(brief(head.approval))}`, ...(base.approval ? {} : { good: true }) });
  }
  if (!deepEqual(base.vendor ?? null, head.vendor ?? null)) {
    if (!base.vendor) out.push({ kind: 'vendor-added', severity: 'medium', summary: `now used by a third party: ${prose(brief(head.vendor?.name ?? head.vendor))}`, widens: true });
    else if (!head.vendor) out.push({ kind: 'vendor-removed', severity: 'info', summary: `no longer used by third party ${prose(brief(base.vendor.name ?? base.vendor))}`, good: true });
    else out.push({ kind: 'vendor-changed', severity: 'medium', summary: `third party ${prose(brief(base.vendor))} → ${prose(brief(head.vendor))}` });
  }
  if ((base.reuseJustification ?? '') !== (head.reuseJustification ?? '')) {
    out.push({ kind: 'reuse-changed', severity: 'low', summary: `reuse justification ${base.reuseJustification ? `“${prose(base.reuseJustification)}”` : '(none)'} → ${head.reuseJustification ? `“${prose(head.reuseJustification)}”` : '(none)'}` });
  }
  const lostControls = sameStrings(base.controls, head.controls) ? NOTHING : base.controls.filter((c) => !head.controls.includes(c));
  if (lostControls.length > 0) out.push({ kind: 'controls-removed', severity: 'low', summary: `no longer mitigates ${prose(lostControls.join(', '))} (OWASP NHI Top 10)` });

  // Target-specific details (trust, throttle, ...), structurally.
  const details = diffDetails(base.details ?? NO_DETAILS, head.details ?? NO_DETAILS);
  for (let i = 0; i < details.length; i++) out.push(details[i]);

  // What the artifact holds beyond the declaration, accepted by a waiver.
  const ba = base.accepted ?? NO_ACCEPTED;
  const ha = head.accepted ?? NO_ACCEPTED;
  if ((ba.length > 0 || ha.length > 0) && !deepEqual(ba, ha)) {
    const accepted = acceptedChanges(ba, ha, options);
    for (let i = 0; i < accepted.length; i++) out.push(accepted[i]);
  }

  // The owner's reminder (read from the expiry-reminder alarm, where the expansion puts it).
  if (base.alarms !== head.alarms) {
    const reminder = reminderChange(base, head);
    if (reminder) out.push(reminder);
  }
  return out;
}

type Accepted = NonNullable<NhiIdentity['accepted']>[number];
const NO_ACCEPTED: readonly Accepted[] = [];

/** A finding's stable key: its message may be reworded, these name what and where it is. */
function acceptedKey(a: Accepted): string {
  return `${a.code}\u0000${a.source}\u0000${a.resourceType}\u0000${a.attribute}`;
}

/** A field of an accepted finding as text (the schema requires only its code and waiver). */
function field(v: unknown): string {
  return v === undefined || v === null ? '?' : String(v);
}

function acceptedText(a: Accepted): string {
  return `${code(field(a.code))} from ${code(field(a.source))} (${code(field(a.resourceType))}.${code(field(a.attribute))})`;
}

const ACTION_NAME = /[a-z0-9-]+:[A-Za-z0-9*?]+/g;
/** AWS managed policies that administer the account: all of it, IAM, or every secret. */
const ADMIN_MANAGED_POLICY = /\barn:aws[a-z-]*:iam::aws:policy\/(?:AdministratorAccess|PowerUserAccess|IAMFullAccess|AWSOrganizationsFullAccess|SecretsManagerReadWrite|job-function\/SystemAdministrator)(?![\w-])/g;
const GOOGLE_ROLE_NAME = /\broles\/[A-Za-z0-9_.]+/g;
const GOOGLE_PERMISSION_NAME = /\b[a-z][A-Za-z0-9]*\.[A-Za-z0-9]+\.[A-Za-z0-9]+\b/g;

/**
 * What a finding's message names that is privileged, each with its reason, for the change's
 * summary. A widening: AWS actions that are privileged or expose credentials, AWS managed policies
 * that administer the account, Google predefined roles that are privileged (basic, administrator,
 * impersonation, secret or decrypt roles) and privileged permissions of a custom role the message
 * lists. A trust change: everyone ({@link everyoneOf}).
 */
function riskyNamesOf(a: Accepted): string[] {
  if (a.code === 'NHI_TRUST_CHANGED' && typeof a.message === 'string') return everyoneOf(a.message);
  if (a.code !== 'NHI_SCOPE_WIDENED' || typeof a.message !== 'string') return [];
  const out = new Map<string, string>();
  const names = a.message.match(ACTION_NAME) ?? [];
  for (let i = 0; i < names.length && i < 200; i++) {
    const n = names[i];
    const concrete = n.includes('*') || n.includes('?') ? expandAction(n) ?? [] : [n];
    for (const x of concrete) {
      const f = awsActionFacts(x);
      if (f.privileged || f.credentialExposing) out.set(f.action, riskyText(f));
    }
  }
  for (const m of a.message.matchAll(ADMIN_MANAGED_POLICY)) out.set(m[0], `${code(m[0])} (an AWS managed policy that administers the account)`);
  const permissions = a.message.match(GOOGLE_PERMISSION_NAME) ?? [];
  for (let i = 0; i < permissions.length && i < 200; i++) {
    if (isPrivilegedPermission(permissions[i])) out.set(permissions[i], `${code(permissions[i])} (privileged permission of a custom role)`);
  }
  const roles = a.message.match(GOOGLE_ROLE_NAME) ?? [];
  for (let i = 0; i < roles.length && i < 200; i++) {
    const role = roles[i].replace(/\.$/, '');
    const fam = googleRoleFamily(role);
    if (fam.privileged) out.set(role, `${code(role)} (${fam.family})`);
  }
  return [...out.values()];
}

/** Who a trust finding's message lets use the identity that is everyone (public Google members, AWS `*`). */
function everyoneOf(message: string): string[] {
  const out: string[] = [];
  if (/\ballUsers\b/.test(message)) out.push('`allUsers` (anyone on the internet)');
  if (/\ballAuthenticatedUsers\b/.test(message)) out.push('`allAuthenticatedUsers` (any Google account)');
  if (/every AWS principal|"AWS":\s*(\[[^\]]*)?"\*"|"Principal":\s*"\*"/.test(message)) out.push('`*` (every AWS principal)');
  return out;
}

function riskyText(f: AwsActionFacts): string {
  return `${code(f.action)} (${f.privileged ? (f.accessLevel === 'Permissions management' ? 'permissions management' : 'privilege escalation') : 'exposes credentials'})`;
}

/**
 * The judgement of a finding the artifact now holds (added, or what it holds changed), by what
 * its code adds for the identity ({@link ACCEPTED_FINDING_EFFECTS}, next to the check that gives
 * the codes):
 * - privileged: critical;
 * - a widening: high, or critical and privileged where its message names something privileged
 *   ({@link riskyNamesOf}: AWS actions, administrator managed policies, Google roles and custom
 *   role permissions; for a trust, everyone);
 * - an expiry that no longer bounds access: high, expiryExtended;
 * - any other code (a newer writer's): high, with no flag: this nhi cannot tell what it adds, and
 *   it is still something the artifact holds beyond what reviewers approved.
 */
function acceptedJudgement(a: Accepted): { severity: Severity; flags: Partial<Change>; note: string } {
  const j = (typeof a.code === 'string' ? ACCEPTED_FINDING_EFFECTS.get(a.code) : undefined) ?? {};
  if (j.privileged) return { severity: 'critical', flags: { ...j }, note: '' };
  const risky = j.widens ? riskyNamesOf(a) : [];
  if (risky.length > 0) {
    return { severity: 'critical', flags: { ...j, privileged: true }, note: ` — names ${risky.slice(0, 5).join(', ')}${risky.length > 5 ? ` and ${risky.length - 5} more` : ''}` };
  }
  return { severity: 'high', flags: { ...j }, note: '' };
}

function waiverOwner(w: Accepted['waiver']): string {
  return w.owner ? ` (owner ${prose(String(w.owner))})` : '';
}

/** A waiver's expiry if it is a date (the schema does not require one). */
function waiverExpiry(w: Accepted['waiver']): string | undefined {
  return parseIsoDate(w.expires) === undefined ? undefined : w.expires;
}

/**
 * The changes of an identity's accepted findings. Findings are matched by code, source, resource
 * type and attribute; where several share a key, those with the same message pair first, then
 * the rest in order (a finding more of a key is one added, not a change of another).
 */
function acceptedChanges(base: readonly Accepted[], head: readonly Accepted[], options: DiffOptions): Change[] {
  const byKey = (list: readonly Accepted[]) => {
    const m = new Map<string, Accepted[]>();
    for (const a of list) {
      const k = acceptedKey(a);
      const l = m.get(k);
      if (l) l.push(a);
      else m.set(k, [a]);
    }
    return m;
  };
  const b = byKey(base);
  const h = byKey(head);
  const out: Change[] = [];
  for (const [k, now] of h) {
    const before = [...(b.get(k) ?? [])];
    const rest: Accepted[] = [];
    const pairs: [Accepted, Accepted][] = [];
    for (const a of now) {
      const i = before.findIndex((x) => x.message === a.message);
      if (i >= 0) pairs.push([before.splice(i, 1)[0], a]);
      else rest.push(a);
    }
    for (const a of rest) {
      const was = before.shift();
      if (was) pairs.push([was, a]);
      else {
        const j = acceptedJudgement(a);
        out.push({
          kind: 'accepted-added',
          severity: j.severity,
          summary: `the artifact holds more than declared, accepted by a waiver: ${acceptedText(a)}, waived ${waiverExpiry(a.waiver) ? `until ${a.waiver.expires}` : 'without an expiry'}${waiverOwner(a.waiver)}${j.note}`,
          details: [`what: ${prose(String(a.message ?? ''))}`, `waiver: “${prose(String(a.waiver.reason ?? ''))}”`],
          ...j.flags,
        });
      }
    }
    for (const [was, a] of pairs) out.push(...acceptedPairChanges(was, a, options));
    for (const was of before) out.push(acceptedRemoved(was));
  }
  for (const [k, was] of b) if (!h.has(k)) for (const a of was) out.push(acceptedRemoved(a));
  return out;
}

function acceptedRemoved(a: Accepted): Change {
  return {
    kind: 'accepted-removed',
    severity: 'info',
    summary: `the artifact no longer holds ${acceptedText(a)} beyond the declaration (was accepted by a waiver)`,
    good: true,
  };
}

/** The changes of one accepted finding found in both: what it holds, its waiver. */
function acceptedPairChanges(was: Accepted, a: Accepted, options: DiffOptions): Change[] {
  const out: Change[] = [];
  if (was.message !== a.message) {
    // The same element and attribute holds something else beyond the declaration: the diff
    // cannot tell more from less in the finding's words, so it is judged as a new one.
    const j = acceptedJudgement(a);
    out.push({
      kind: 'accepted-changed',
      severity: j.severity,
      summary: `what the artifact holds beyond the declaration changed, still accepted by a waiver: ${acceptedText(a)}${j.note}`,
      details: [`was: ${prose(String(was.message ?? ''))}`, `now: ${prose(String(a.message ?? ''))}`],
      ...j.flags,
    });
  }
  const w0 = was.waiver;
  const w1 = a.waiver;
  const e0 = waiverExpiry(w0);
  const e1 = waiverExpiry(w1);
  if (w0.expires !== w1.expires && (e0 === undefined || e1 === undefined)) {
    // A waiver that no longer has a date does not end: extended without a limit.
    if (e1 === undefined) {
      out.push({ kind: 'accepted-waiver-extended', severity: 'high', summary: `waiver accepting ${acceptedText(a)} no longer has an expiry (was ${prose(field(w0.expires))})${waiverOwner(w1)} — “${prose(String(w1.reason ?? ''))}”`, expiryExtended: true });
    } else {
      out.push({ kind: 'accepted-waiver-shortened', severity: 'info', summary: `waiver accepting ${acceptedText(a)} now expires on ${e1} (had no expiry)`, good: true });
    }
  } else if (e0 !== undefined && e1 !== undefined && e0 !== e1) {
    const delta = daysBetween(e0, e1);
    if (delta > 0) {
      const lifetime = daysBetween(options.today, w1.expires);
      out.push({
        kind: 'accepted-waiver-extended',
        severity: lifetime > (options.maxLifetimeDays ?? 365) ? 'high' : 'medium',
        summary: `waiver accepting ${acceptedText(a)} extended by ${days(delta)}: ${w0.expires} → ${w1.expires}${waiverOwner(w1)} — “${prose(String(w1.reason ?? ''))}”`,
        expiryExtended: true,
      });
    } else {
      out.push({ kind: 'accepted-waiver-shortened', severity: 'info', summary: `waiver accepting ${acceptedText(a)} brought forward by ${days(-delta)}: ${w0.expires} → ${w1.expires}`, good: true });
    }
  }
  if (w0.reason !== w1.reason || w0.owner !== w1.owner) {
    out.push({
      kind: 'accepted-waiver-changed',
      severity: 'low',
      summary: `waiver accepting ${acceptedText(a)}: ${w0.owner !== w1.owner ? `owner ${prose(field(w0.owner))} → ${prose(field(w1.owner))}` : 'reason changed'}${w0.reason !== w1.reason && w0.owner !== w1.owner ? ', reason changed' : ''} — “${prose(String(w1.reason ?? ''))}”`,
    });
  }
  return out;
}

/** Days of notice under which a later reminder is medium: two weeks to re-attest or offboard. */
const SHORT_NOTICE_DAYS = 14;

/** The owner's reminder: its date and the expiry it is before, or `none` (not sent). */
type Reminder = { readonly on: string; readonly before: string } | 'none';

const REMINDER_TEXT = /^on (\d{4}-\d{2}-\d{2}),(?: before the identity expires on (\d{4}-\d{2}-\d{2}))?/;

/**
 * The owner's reminder as the expanded identity shows it, in its `expiry-reminder` alarm (a
 * version-2 register's `reminder` is expanded into that alarm's description, and a version-1
 * register has only the description): `on <date>, before the identity expires on <expiry>`, or
 * `not sent: ...` (none). Undefined where there is no such alarm or its text says neither.
 */
function reminderOf(i: NhiIdentity): Reminder | undefined {
  const d = reminderText(i);
  if (d === undefined) return undefined;
  const m = REMINDER_TEXT.exec(d);
  if (m) {
    // The notice is measured to the expiry the text names (the identity's, where it names none).
    const before = m[2] ?? i.expires;
    return parseIsoDate(m[1]) === undefined || parseIsoDate(before) === undefined ? undefined : { on: m[1], before };
  }
  return d.startsWith('not sent') ? 'none' : undefined;
}

/** The text of the identity's (first) `expiry-reminder` alarm, if it has one. */
function reminderText(i: NhiIdentity): string | undefined {
  for (let k = 0; k < i.alarms.length; k++) {
    const a = i.alarms[k];
    if (a.kind === 'expiry-reminder') return typeof a.description === 'string' ? a.description : '';
  }
  return undefined;
}

/**
 * A change of the notice the owner's reminder gives before expiry. A reminder that moves with
 * the expiry gives the same notice: no change (the expiry's own change says it).
 */
function reminderChange(base: NhiIdentity, head: NhiIdentity): Change | undefined {
  // The same text: the same date and expiry, or the same "not sent" (most identities).
  if (reminderText(base) === reminderText(head)) return undefined;
  const r0 = reminderOf(base);
  const r1 = reminderOf(head);
  if (r0 === undefined || r1 === undefined || r0 === 'none' && r1 === 'none') return undefined;
  if (r1 === 'none') {
    const was = r0 as Exclude<Reminder, 'none'>;
    return { kind: 'reminder-changed', severity: 'medium', summary: `owner reminder removed: the owner is no longer reminded before expiry (was ${was.on}, ${days(daysBetween(was.on, was.before))} before)` };
  }
  const n1 = daysBetween(r1.on, r1.before);
  if (r0 === 'none') {
    return { kind: 'reminder-changed', severity: 'info', summary: `owner reminder added: on ${r1.on}, ${days(n1)} before expiry`, good: true };
  }
  const n0 = daysBetween(r0.on, r0.before);
  if (n0 === n1) return undefined;
  if (n1 < n0) {
    const short = n1 < SHORT_NOTICE_DAYS;
    return {
      kind: 'reminder-changed',
      severity: short ? 'medium' : 'low',
      summary: `owner reminder later, less notice: ${n0} → ${days(n1)} before expiry (${r0.on} → ${r1.on})${short ? ` — under ${SHORT_NOTICE_DAYS} days to re-attest or offboard` : ''}`,
    };
  }
  return { kind: 'reminder-changed', severity: 'info', summary: `owner reminder earlier, more notice: ${n0} → ${days(n1)} before expiry (${r0.on} → ${r1.on})`, good: true };
}

/** The changes of a scope (a fresh list, or a shared empty one). */
function scopeChanges(base: any[], head: any[]): Change[] {
  // Grants, actions or resources only reordered: the same access, nothing to say.
  if (deepEqual(base, head)) return NO_CHANGES;
  const scope = diffScope(base, head);
  // Only a "same access" verdict needs the order-insensitive comparison.
  const rewritten = scope.length === 1 && scope[0].kind === 'scope-rewritten';
  return rewritten && sameScopeIgnoringOrder(base, head) ? NO_CHANGES : scope;
}

/** How two compact (version-2) entries compare, see `compareCompact`. */
const enum Compact {
  /** Their expansions may differ anywhere: compare the expanded identities. */
  DIFFERENT,
  /** Their expansions are the same identity. */
  SAME,
  /** Their expansions differ at most in the scope. */
  SCOPE_ONLY,
}

function ownerOf(owner: unknown, owners: Record<string, any>): any {
  return typeof owner === 'string' ? owners[owner] : owner;
}

/**
 * Compares two compact entries without expanding them. An entry's expansion is a function of its
 * fields (the rest is read from the catalogues, the same for both) and of its owner's team and
 * contact; its scope only feeds the expanded scope; and fields the reader does not know pass
 * through to the expansion, where the diff never reads them. So entries equal in every field the
 * reader knows, but for the owner key (naming the same team and contact), expand to identities
 * the diff finds the same; equal but for the scope, to identities that differ only there.
 * Anything else is compared expanded. Fields are read by name (cheaper than by key).
 */
function compareCompact(b: Record<string, any>, bOwners: Record<string, any>, h: Record<string, any>, hOwners: Record<string, any>): Compact {
  if (!(same(b.path, h.path) && same(b.kind, h.kind) && same(b.cloud, h.cloud) && same(b.name, h.name) && same(b.purpose, h.purpose)
    && same(b.expires, h.expires) && same(b.credentials, h.credentials) && same(b.system, h.system) && same(b.environment, h.environment)
    && same(b.reuseJustification, h.reuseJustification) && same(b.reminder, h.reminder) && same(b.notifies, h.notifies)
    && same(b.rotation, h.rotation) && same(b.approval, h.approval) && same(b.vendor, h.vendor) && same(b.alarms, h.alarms)
    && same(b.controls, h.controls) && same(b.details, h.details) && same(b.accepted, h.accepted))) return Compact.DIFFERENT;
  const ox = ownerOf(b.owner, bOwners);
  const oy = ownerOf(h.owner, hOwners);
  if (ox === null || oy === null || typeof ox !== 'object' || typeof oy !== 'object' || ox.team !== oy.team || ox.contact !== oy.contact) return Compact.DIFFERENT;
  return same(b.scope, h.scope) ? Compact.SAME : Compact.SCOPE_ONLY;
}

/** Structural equality (deepEqual), without a call for the same value. */
function same(x: unknown, y: unknown): boolean {
  return x === y || deepEqual(x, y);
}

/**
 * The changes of identity `bi` of base to identity `hi` of head: `diffIdentity` of their
 * expansions, computed on their compact entries where these show it cannot differ but in the scope.
 */
function pairChanges(base: IdentitySource, bi: number, head: IdentitySource, hi: number, options: DiffOptions): Change[] {
  const b = base.compactEntry(bi);
  const h = b === undefined ? undefined : head.compactEntry(hi);
  if (b !== undefined && h !== undefined) {
    const same = compareCompact(b, base.owners(bi), h, head.owners(hi));
    if (same === Compact.SAME) return NO_CHANGES;
    if (same === Compact.SCOPE_ONLY) {
      // AWS grants: the semantic diff reads the actions' names from either form (a name, or an
      // entry naming it; what the register says of an action is read only for actions the
      // catalogue does not know, and then the compact form says what its expansion derives). A
      // "same access" verdict needs the expanded scopes (their order-insensitive comparison).
      if (Array.isArray(b.scope) && Array.isArray(h.scope) && scopeShape(b.scope) === 'aws-iam' && scopeShape(h.scope) === 'aws-iam') {
        const changes = diffAwsScope(b.scope, h.scope);
        if (changes.length !== 1 || changes[0].kind !== 'scope-rewritten') return changes;
      }
      return scopeChanges(base.scope(bi), head.scope(hi));
    }
  }
  return diffIdentity(base.get(bi), head.get(hi), options);
}

/** Lists inside a scope entry whose order carries no meaning. */
const UNORDERED = new Set(['actions', 'resources', 'methods']);

function canonicalEntry(entry: unknown): string {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return stableStringify(entry);
  const o = entry as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const v = o[k];
    out[k] = UNORDERED.has(k) && Array.isArray(v) ? v.map(stableStringify).sort(byString) : v;
  }
  return stableStringify(out);
}

/** The same scope entries, each with the same actions, resources and methods, in another order. */
export function sameScopeIgnoringOrder(a: any[], b: any[]): boolean {
  if (a.length !== b.length) return false;
  const x = a.map(canonicalEntry).sort(byString);
  const y = b.map(canonicalEntry).sort(byString);
  return x.every((e, i) => e === y[i]);
}

function flatten(v: unknown, prefix: string, out: Map<string, unknown>): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (o[k] !== undefined) flatten(o[k], prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix, v);
}

function diffDetails(base: Record<string, unknown>, head: Record<string, unknown>): Change[] {
  if (deepEqual(base, head)) return NO_CHANGES;
  const b = new Map<string, unknown>();
  const h = new Map<string, unknown>();
  for (const k of Object.keys(base)) if (!DERIVED_DETAILS.has(k)) flatten(base[k], k, b);
  for (const k of Object.keys(head)) if (!DERIVED_DETAILS.has(k)) flatten(head[k], k, h);
  const keys = [...new Set([...b.keys(), ...h.keys()])].sort(byString);
  const out: Change[] = [];
  for (const k of keys) {
    const x = b.get(k);
    const y = h.get(k);
    if (deepEqual(x, y)) continue;
    const trust = k.startsWith('trust');
    const wildcard = trust && isPattern(y) && !isPattern(x);
    out.push({
      kind: trust ? 'trust-changed' : 'details-changed',
      severity: wildcard ? 'high' : trust ? 'medium' : 'low',
      summary: `${trust ? 'who can use it: ' : ''}${code(k)} ${b.has(k) ? code(brief(x)) : '(none)'} → ${h.has(k) ? code(brief(y)) : '(none)'}${wildcard ? ' — wildcard introduced' : ''}`,
      ...(wildcard ? { widens: true } : {}),
    });
  }
  return out;
}

function severityOf(changes: Change[]): Severity {
  let s: Severity | undefined;
  for (let i = 0; i < changes.length; i++) s = maxSeverity(s, changes[i].severity);
  return s ?? 'info';
}

function scopeLine(i: NhiIdentity): string {
  return prose(`${i.cloud} ${i.kind}, ${plural(i.scope.length, 'grant')}${i.credentials !== 'none' ? `, ${i.credentials}` : ''}, expires ${i.expires}`);
}

function addedChange(i: NhiIdentity, options: DiffOptions): Change {
  // A new identity is judged by what it can do: its whole scope is new.
  const scope = diffScope([], i.scope).filter((c) => c.kind !== 'scope-rewritten');
  const privileged = scope.some((c) => c.privileged);
  const lifetime = daysBetween(options.today, i.expires);
  const beyond = lifetime > (options.maxLifetimeDays ?? 365);
  const severity: Severity = privileged ? 'critical' : beyond || i.credentials !== 'none' ? 'high' : 'low';
  return {
    kind: 'identity-added',
    severity,
    summary: `new ${prose(`${i.cloud} ${i.kind}${i.credentials !== 'none' ? ` with a static ${i.credentials}` : ''}: ${scopeSummary(i)}`)}, expires ${i.expires}` +
      `${privileged ? ' — privileged' : ''}${beyond ? ` — lives ${days(lifetime)}, beyond the ${options.maxLifetimeDays ?? 365}-day limit` : ''}`,
    details: scope.flatMap((c) => (c.kind === 'scope-widened' && c.details ? c.details : [c.summary])),
    widens: true,
    privileged,
  };
}

function removedChange(i: NhiIdentity): Change {
  return {
    kind: 'identity-removed',
    severity: 'info',
    summary: `offboarded (good news): ${scopeLine(i)} — its access${i.credentials !== 'none' ? ' and its credential' : ''} go away`,
    good: true,
  };
}

function waiverKey(w: NhiWaiver): string {
  return `${w.stack}\u0000${w.code}\u0000${w.path ?? ''}\u0000${w.resourceType ?? ''}`;
}

function waiverChanges(base: NhiWaiver[], head: NhiWaiver[], options: DiffOptions): { target: string; change: Change }[] {
  const b = new Map(base.map((w) => [waiverKey(w), w]));
  const h = new Map(head.map((w) => [waiverKey(w), w]));
  const out: { target: string; change: Change }[] = [];
  const target = (w: NhiWaiver) => w.path ?? w.resourceType ?? '(unknown)';
  const who = (w: NhiWaiver) => (w.owner ? `, owner ${prose(w.owner.team)}` : '');
  for (const [k, w] of h) {
    const before = b.get(k);
    if (!before) {
      out.push({ target: target(w), change: { kind: 'waiver-added', severity: 'medium', summary: `waiver added: ${code(w.code)}${w.resourceType ? ` on every ${code(w.resourceType)}` : ''} until ${w.expires}${who(w)} — “${prose(w.reason ?? '')}”` } });
      continue;
    }
    if (before.expires !== w.expires) {
      const delta = daysBetween(before.expires, w.expires);
      const lifetime = daysBetween(options.today, w.expires);
      out.push({
        target: target(w),
        change: delta > 0
          ? { kind: 'waiver-extended', severity: lifetime > (options.maxLifetimeDays ?? 365) ? 'high' : 'medium', summary: `waiver of ${code(w.code)} extended by ${days(delta)}: ${before.expires} → ${w.expires}${who(w)} — “${prose(w.reason ?? '')}”`, expiryExtended: true }
          : { kind: 'waiver-shortened', severity: 'info', summary: `waiver of ${code(w.code)} brought forward by ${days(-delta)}: ${before.expires} → ${w.expires}`, good: true },
      });
    }
    if ((before.reason ?? '') !== (w.reason ?? '') || !deepEqual(before.owner, w.owner)) {
      out.push({ target: target(w), change: { kind: 'waiver-changed', severity: 'low', summary: `waiver of ${code(w.code)}: reason or owner changed${who(w)} — “${prose(w.reason ?? '')}”` } });
    }
  }
  for (const [k, w] of b) {
    if (!h.has(k)) out.push({ target: target(w), change: { kind: 'waiver-removed', severity: 'info', summary: `waiver of ${code(w.code)} removed: the finding is fixed or enforced again`, good: true } });
  }
  return out;
}

/** Identities removed in head and added under another path, with the same cloud, kind and name. */
function findMoves(removed: NhiIdentity[], added: NhiIdentity[]): Map<string, NhiIdentity> {
  const key = (i: NhiIdentity) => `${i.cloud}\u0000${i.kind}\u0000${i.name}`;
  const byKey = new Map<string, NhiIdentity[]>();
  for (const r of removed) if (r.name && !r.name.includes('${')) byKey.set(key(r), [...(byKey.get(key(r)) ?? []), r]);
  const moves = new Map<string, NhiIdentity>(); // head path -> base identity
  for (const a of added) {
    const cands = byKey.get(key(a));
    if (cands && cands.length === 1 && added.filter((x) => key(x) === key(a)).length === 1) moves.set(a.path, cands[0]);
  }
  return moves;
}

/** Compares the identities (and waivers) of two synths. */
export function diffRegisters(
  base: { identities: NhiIdentity[]; waivers?: NhiWaiver[] },
  head: { identities: NhiIdentity[]; waivers?: NhiWaiver[] },
  options: DiffOptions,
): RegisterDiff {
  // Identities read by position, expanded only where needed (see identitySource).
  const bs = identitySource(base);
  const hs = identitySource(head);
  const baseByPath = bs.byPath();
  const headByPath = hs.byPath();
  const removed: NhiIdentity[] = [];
  const added: NhiIdentity[] = [];
  for (let i = 0; i < bs.length; i++) if (!headByPath.has(bs.path(i))) removed.push(bs.get(i));
  for (let i = 0; i < hs.length; i++) if (!baseByPath.has(hs.path(i))) added.push(hs.get(i));
  const moves = findMoves(removed, added);
  const movedFrom = new Set([...moves.values()].map((i) => i.path));

  const diffs: IdentityDiff[] = [];
  let unchanged = 0;
  const make = (i: Pick<NhiIdentity, 'path' | 'cloud' | 'kind' | 'purpose' | 'owner'>, status: IdentityDiff['status'], changes: Change[], from?: string): IdentityDiff => (from
    ? { path: i.path, status, from, cloud: i.cloud, kind: i.kind, owner: { team: i.owner.team, contact: i.owner.contact }, purpose: i.purpose, changes, severity: severityOf(changes) }
    : { path: i.path, status, cloud: i.cloud, kind: i.kind, owner: { team: i.owner.team, contact: i.owner.contact }, purpose: i.purpose, changes, severity: severityOf(changes) });
  for (let n = 0; n < hs.length; n++) {
    const path = hs.path(n);
    const b = baseByPath.get(path);
    if (b !== undefined) {
      // One comparison, field by field (most identities of a pull request do not change:
      // nothing is allocated for them).
      const changes = pairChanges(bs, b, hs, n, options);
      if (changes.length === 0) unchanged++;
      else diffs.push(make(hs.headline(n), 'changed', changes));
    } else if (moves.has(path)) {
      const h = hs.get(n);
      const from = moves.get(path)!;
      const changes: Change[] = [{ kind: 'identity-moved', severity: 'low', summary: `construct path ${code(from.path)} → ${code(h.path)} (same ${h.cloud} ${h.kind} ${code(h.name)})` }, ...diffIdentity(from, h, options)];
      diffs.push(make(h, 'moved', changes, from.path));
    } else {
      const h = hs.get(n);
      // A new identity's artifact may already hold more than it declares (accepted by a waiver).
      const extra = h.accepted && h.accepted.length > 0 ? acceptedChanges(NO_ACCEPTED, h.accepted, options) : NO_CHANGES;
      diffs.push(make(h, 'added', [addedChange(h, options), ...extra]));
    }
  }
  for (const r of removed) if (!movedFrom.has(r.path)) diffs.push(make(r, 'removed', [removedChange(r)]));

  // Waivers: on an identity's path they join its changes; the others are listed apart.
  const waivers: WaiverDiff[] = [];
  const byTarget = new Map<string, Change[]>();
  for (const { target, change } of waiverChanges(base.waivers ?? [], head.waivers ?? [], options)) {
    byTarget.set(target, [...(byTarget.get(target) ?? []), change]);
  }
  for (const [target, changes] of byTarget) {
    const d = diffs.findIndex((x) => x.path === target);
    const h = headByPath.get(target);
    const b = h === undefined ? baseByPath.get(target) : undefined;
    const identity = h !== undefined ? hs.headline(h) : b !== undefined ? bs.headline(b) : undefined;
    if (d >= 0) {
      const all = [...diffs[d].changes, ...changes];
      diffs[d] = { ...diffs[d], changes: all, severity: severityOf(all) };
    } else if (identity) {
      diffs.push(make(identity, 'changed', changes));
      unchanged--;
    } else {
      waivers.push({ target, changes, severity: severityOf(changes) });
    }
  }

  diffs.sort((a, b) => byString(a.path, b.path));
  waivers.sort((a, b) => byString(a.target, b.target));
  const t = tally(diffs, waivers);
  const counts = {
    added: t.added,
    removed: t.removed,
    changed: t.changed,
    unchanged,
    widened: t.widened,
    privileged: t.privileged,
    expiryExtended: t.expiryExtended,
  };
  return { today: options.today, identities: diffs, waivers, ...(t.severity ? { severity: t.severity } : {}), verdict: verdictOf(diffs, waivers, counts, t, options), counts };
}

/** What the verdict and the counts say about the changes, counted in one pass. */
interface Tally {
  readonly added: number;
  readonly removed: number;
  /** Changed or moved. */
  readonly changed: number;
  readonly widened: number;
  readonly privileged: number;
  /** Identities and waiver targets with an extended expiry. */
  readonly expiryExtended: number;
  /** Identities whose expiry is extended (`expiry-extended`), and how many beyond the limit. */
  readonly extended: number;
  readonly extendedBeyond: number;
  readonly weakened: number;
  readonly alarmsRemoved: number;
  readonly owners: number;
  /** Waivers added or extended (changes, not identities). */
  readonly waiverAdds: number;
  /** Identities whose artifact holds more than declared, newly or otherwise, accepted by a waiver. */
  readonly acceptedMore: number;
  /** Waivers of accepted findings extended (changes, not identities). */
  readonly acceptedExtended: number;
  readonly narrowed: number;
  /** The most severe change of all (undefined: no change). */
  readonly severity?: Severity;
}

function tally(diffs: IdentityDiff[], waivers: WaiverDiff[]): Tally {
  let added = 0, removed = 0, changed = 0, widened = 0, privileged = 0, expiryExtended = 0;
  let extended = 0, extendedBeyond = 0, weakened = 0, alarmsRemoved = 0, owners = 0, waiverAdds = 0, narrowed = 0, acceptedMore = 0, acceptedExtended = 0;
  let severity: Severity | undefined;
  for (let i = 0; i < diffs.length; i++) {
    const d = diffs[i];
    if (d.status === 'added') added++;
    else if (d.status === 'removed') removed++;
    else if (d.status === 'changed' || d.status === 'moved') changed++;
    let w = false, p = false, x = false, ext = false, beyond = false, weak = false, alarm = false, owner = false, narrow = false, more = false;
    for (let j = 0; j < d.changes.length; j++) {
      const c = d.changes[j];
      if (c.widens) w = true;
      if (c.privileged) p = true;
      if (c.expiryExtended) x = true;
      switch (c.kind) {
        case 'expiry-extended': ext = true; if (c.severity === 'high') beyond = true; break;
        case 'rotation-weakened': weak = true; break;
        case 'rotation-removed': if (c.severity !== 'info') weak = true; break;
        case 'alarm-removed': alarm = true; break;
        case 'owner-changed': owner = true; break;
        case 'waiver-added': case 'waiver-extended': waiverAdds++; break;
        case 'scope-narrowed': narrow = true; break;
        case 'accepted-added': case 'accepted-changed': more = true; break;
        case 'accepted-waiver-extended': acceptedExtended++; break;
      }
    }
    if (w) widened++;
    if (p) privileged++;
    if (x) expiryExtended++;
    if (ext) extended++;
    if (beyond) extendedBeyond++;
    if (weak) weakened++;
    if (alarm) alarmsRemoved++;
    if (owner) owners++;
    if (narrow && d.status !== 'removed') narrowed++;
    if (more) acceptedMore++;
    severity = maxSeverity(severity, d.severity);
  }
  for (const wd of waivers) {
    let x = false;
    for (const c of wd.changes) {
      if (c.expiryExtended) x = true;
      if (c.kind === 'waiver-added' || c.kind === 'waiver-extended') waiverAdds++;
    }
    if (x) expiryExtended++;
    severity = maxSeverity(severity, wd.severity);
  }
  return { added, removed, changed, widened, privileged, expiryExtended, extended, extendedBeyond, weakened, alarmsRemoved, owners, waiverAdds, acceptedMore, acceptedExtended, narrowed, severity };
}

const EMOJI: Record<Severity, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵', info: '🟢' };

/** The emoji of a severity (markdown rendering). */
export function severityEmoji(s: Severity): string {
  return EMOJI[s];
}

function verdictOf(diffs: IdentityDiff[], waivers: WaiverDiff[], counts: RegisterDiff['counts'], t: Tally, options: DiffOptions): string {
  if (diffs.length === 0 && waivers.length === 0) return 'No change to non-human identities.';
  const ids = (k: number) => plural(k, 'identity', 'identities');
  const parts: string[] = [];
  if (counts.widened > 0) {
    const notes = [
      ...(counts.added > 0 ? [`${counts.added} new`] : []),
      ...(counts.privileged > 0 ? [`${counts.privileged} privileged`] : []),
    ];
    parts.push(`widens access of ${ids(counts.widened)}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`);
  }
  if (t.extended > 0) {
    parts.push(`extends ${plural(t.extended, 'expiry', 'expiries')}${t.extendedBeyond > 0 ? ` (${t.extendedBeyond} beyond the ${options.maxLifetimeDays ?? 365}-day limit)` : ''}`);
  }
  if (t.weakened > 0) parts.push(`weakens ${plural(t.weakened, 'rotation')}`);
  if (t.alarmsRemoved > 0) parts.push(`removes alarms of ${ids(t.alarmsRemoved)}`);
  if (t.owners > 0) parts.push(`changes ${plural(t.owners, 'owner')}`);
  if (t.waiverAdds > 0) parts.push(`adds or extends ${plural(t.waiverAdds, 'waiver')}`);
  if (t.acceptedMore > 0) parts.push(`accepts more than declared by waiver for ${ids(t.acceptedMore)}`);
  if (t.acceptedExtended > 0) parts.push(`extends ${plural(t.acceptedExtended, 'waiver')} accepting more than declared`);
  if (t.narrowed > 0) parts.push(`narrows access of ${ids(t.narrowed)}`);
  if (counts.removed > 0) parts.push(`offboards ${ids(counts.removed)}`);
  const severity = t.severity ?? 'info';
  const sentence = (parts.length > 0 ? parts : [`changes ${ids(diffs.length + waivers.length)}`]).join('; ');
  const text = sentence.charAt(0).toUpperCase() + sentence.slice(1);
  return severity === 'info' ? `Good news: ${sentence}.` : `${text}.`;
}

/** What `--fail-on` can gate on. */
export const FAIL_ON = ['widened', 'privileged', 'expiry-extended', 'none'] as const;

/** The gates of `--fail-on` that a diff trips (empty: exit 0). */
export function trippedGates(diff: RegisterDiff, gates: readonly string[]): string[] {
  const out: string[] = [];
  if (gates.includes('widened') && diff.counts.widened > 0) out.push(`widened: ${plural(diff.counts.widened, 'identity', 'identities')} gained access`);
  if (gates.includes('privileged') && diff.counts.privileged > 0) out.push(`privileged: ${plural(diff.counts.privileged, 'identity', 'identities')} gained privileged or credential-exposing access`);
  if (gates.includes('expiry-extended') && diff.counts.expiryExtended > 0) out.push(`expiry-extended: ${plural(diff.counts.expiryExtended, 'expiry', 'expiries')} extended`);
  return out;
}

/** Names the identities in a list, for messages. */
export function namesOf(diffs: IdentityDiff[]): string {
  return listSome(diffs.map((d) => d.path), 5);
}
