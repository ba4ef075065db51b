// Semantic comparison of two scopes of one identity. AWS grants are compared as the sets of
// (action, resource) pairs they allow: wildcard actions are expanded with the iam-data
// catalogue, resource patterns cover the resources they match, so `s3:GetObject` -> `s3:Get*`
// is a widening and `s3:*` -> `s3:GetObject` a narrowing. Google roles, API stages and API
// targets are compared as sets; any other shape structurally.
import { isGoogleRoleName } from '../core/rules/google-scope';
import { lookupAction } from '../core/private/iam-catalog';
import { isPrivileged, isWildcardResource } from '../core/rules/aws-scope';
import { expandActionPattern } from '../core/rules/aws-widening';
import { Change, Severity, severityRank } from './model';
import { byString, code, listSome, plural, stableStringify } from './util';

/**
 * Credential-exposing AWS actions: they hand out a secret, a key or a session (the register
 * marks privilege escalation and permissions management as `privileged` already).
 */
export const CREDENTIAL_EXPOSING_AWS_ACTIONS: readonly string[] = [
  'codeartifact:GetAuthorizationToken',
  'ec2:GetPasswordData',
  'ecr:GetAuthorizationToken',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreateServiceSpecificCredential',
  'iam:ResetServiceSpecificCredential',
  'iam:UpdateLoginProfile',
  'kms:Decrypt',
  'rds-db:connect',
  'redshift:GetClusterCredentials',
  'secretsmanager:GetSecretValue',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
  'sts:GetFederationToken',
  'sts:GetSessionToken',
];
const CREDENTIAL = new Set(CREDENTIAL_EXPOSING_AWS_ACTIONS.map((a) => a.toLowerCase()));

/** Google roles that hand out secrets or decrypt (besides the impersonation roles). */
export const CREDENTIAL_EXPOSING_GOOGLE_ROLES: readonly string[] = [
  'roles/cloudkms.cryptoKeyDecrypter',
  'roles/cloudkms.cryptoKeyEncrypterDecrypter',
  'roles/iam.serviceAccountKeyAdmin',
  'roles/iam.serviceAccountTokenCreator',
  'roles/secretmanager.secretAccessor',
];
const GOOGLE_CREDENTIAL = new Set(CREDENTIAL_EXPOSING_GOOGLE_ROLES.map((r) => r.toLowerCase()));

const ACCESS_LEVEL_ORDER = ['Permissions management', 'Write', 'Tagging', 'Read', 'List'];

/** What the CLI knows about one concrete AWS action. */
export interface AwsActionFacts {
  readonly action: string;
  readonly accessLevel: string;
  readonly privileged: boolean;
  readonly credentialExposing: boolean;
}

/**
 * The access level a reviewer reads: iam-data lists `Permissions management, Write` and
 * `Tagging, Write`; the first, more specific level is kept.
 */
export function primaryLevel(accessLevel: string): string {
  return accessLevel.split(',')[0].trim();
}

const factsCache = new Map<string, AwsActionFacts>();

/** Access level and privilege of an action, from the catalogue (or what the register said). */
export function awsActionFacts(action: string, fromRegister?: { accessLevel?: unknown; privileged?: unknown }): AwsActionFacts {
  const key = action.toLowerCase();
  let f = factsCache.get(key);
  if (!f) {
    const info = lookupAction(action);
    f = info
      ? { action: info.name, accessLevel: primaryLevel(info.accessLevel), privileged: isPrivileged(info), credentialExposing: CREDENTIAL.has(key) }
      : {
        action,
        accessLevel: typeof fromRegister?.accessLevel === 'string' ? primaryLevel(fromRegister.accessLevel) : 'Unknown',
        privileged: fromRegister?.privileged === true,
        credentialExposing: CREDENTIAL.has(key),
      };
    factsCache.set(key, f);
  }
  return f;
}

const expandCache = new Map<string, string[] | null>();

/** Concrete actions a pattern grants today (lower-cased keys kept canonical); null if open-ended. */
export function expandAction(pattern: string): string[] | null {
  const key = pattern.toLowerCase();
  let out = expandCache.get(key);
  if (out === undefined) {
    out = expandActionPattern(pattern) ?? null;
    expandCache.set(key, out);
  }
  return out;
}

function severityOfLevel(f: AwsActionFacts): Severity {
  if (f.privileged || f.credentialExposing) return 'critical';
  if (f.accessLevel === 'Read' || f.accessLevel === 'List') return 'medium';
  return 'high';
}

/** `Read 3, List 1`, most powerful level first. */
export function levelCounts(facts: AwsActionFacts[]): string {
  const counts = new Map<string, number>();
  for (const f of facts) counts.set(f.accessLevel, (counts.get(f.accessLevel) ?? 0) + 1);
  const rank = (l: string) => (ACCESS_LEVEL_ORDER.indexOf(l) < 0 ? 99 : ACCESS_LEVEL_ORDER.indexOf(l));
  return [...counts.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || byString(a[0], b[0])).map(([l, n]) => `${l} ${n}`).join(', ');
}

const patternCache = new Map<string, RegExp>();

/**
 * True if a resource pattern covers a resource (same semantics as core `resourceCovers`: IAM
 * wildcards, case-insensitive; a `*` in the covered resource is taken literally), with the
 * compiled patterns cached: a diff of thousands of identities checks millions of pairs.
 */
export function covers(pattern: string, resource: string): boolean {
  if (pattern === resource) return true;
  if (!/[*?]/.test(pattern)) return false;
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp('^' + pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('') + '$', 'i');
    patternCache.set(pattern, re);
  }
  return re.test(resource);
}

interface AwsGrantView {
  readonly patterns: string[];
  readonly resources: string[];
  readonly justification?: string;
  readonly registerFacts: Map<string, { accessLevel?: unknown; privileged?: unknown }>;
}

function awsGrants(scope: any[]): AwsGrantView[] {
  return scope.map((g) => {
    const registerFacts = new Map<string, { accessLevel?: unknown; privileged?: unknown }>();
    const patterns: string[] = [];
    for (const a of Array.isArray(g?.actions) ? g.actions : []) {
      const name = typeof a === 'string' ? a : typeof a?.action === 'string' ? a.action : undefined;
      if (name === undefined) continue;
      patterns.push(name);
      if (typeof a === 'object') registerFacts.set(name.toLowerCase(), a);
    }
    const resources = (Array.isArray(g?.resources) ? g.resources : []).filter((r: unknown): r is string => typeof r === 'string');
    return { patterns, resources, justification: typeof g?.justification === 'string' ? g.justification : undefined, registerFacts };
  });
}

interface Permissions {
  /** Lower-cased concrete action -> resource patterns it is granted on. */
  readonly byAction: Map<string, string[]>;
  /** Resource patterns granted to every action (open-ended action patterns such as `*`). */
  readonly open: string[];
  /** Lower-cased action patterns as written. */
  readonly patterns: Set<string>;
  readonly resources: Set<string>;
}

function permissionsOf(grants: AwsGrantView[]): Permissions {
  const byAction = new Map<string, string[]>();
  const open: string[] = [];
  const patterns = new Set<string>();
  const resources = new Set<string>();
  for (const g of grants) {
    g.resources.forEach((r) => resources.add(r));
    for (const p of g.patterns) {
      patterns.add(p.toLowerCase());
      const expanded = expandAction(p);
      if (expanded === null) {
        open.push(...g.resources);
        continue;
      }
      for (const a of expanded) {
        const k = a.toLowerCase();
        const list = byAction.get(k);
        if (list) list.push(...g.resources);
        else byAction.set(k, [...g.resources]);
      }
    }
  }
  return { byAction, open, patterns, resources };
}


/** What one side grants that the other does not, by action (lower-cased key). */
type Gains = Map<string, { readonly action: string; readonly resources: string[]; readonly open: boolean }>;

const lowerCache = new Map<string, string[] | null>();

/** Lower-cased expansion of a pattern, cached (aligned with `expandAction`). */
function expandLower(pattern: string): string[] | null {
  let out = lowerCache.get(pattern);
  if (out === undefined) {
    const e = expandAction(pattern);
    out = e === null ? null : e.map((a) => a.toLowerCase());
    lowerCache.set(pattern, out);
  }
  return out;
}

/** The (action, resource) pairs `to` grants that `from` does not, by action. */
function uncovered(to: AwsGrantView[], from: Permissions): Gains {
  const out: Gains = new Map();
  for (const g of to) {
    for (const p of g.patterns) {
      const expanded = expandAction(p);
      const lowers = expandLower(p);
      const n = expanded === null ? 1 : expanded.length;
      for (let i = 0; i < n; i++) {
        const a = expanded === null ? p : expanded[i];
        const k = lowers === null ? p.toLowerCase() : lowers[i];
        const have = from.byAction.get(k);
        for (const r of g.resources) {
          const isCovered = (have !== undefined && have.some((x) => covers(x, r))) || from.open.some((x) => covers(x, r));
          if (isCovered) continue;
          const e = out.get(k);
          if (!e) out.set(k, { action: a, resources: [r], open: expanded === null });
          else if (!e.resources.includes(r)) e.resources.push(r);
        }
      }
    }
  }
  return out;
}

/** Groups gains by their set of resources: `[{ actions, resources }]`. */
function group(gains: Gains): { actions: string[]; resources: string[]; open: boolean }[] {
  const groups = new Map<string, { actions: string[]; resources: string[]; open: boolean }>();
  for (const e of gains.values()) {
    const rs = e.resources.length > 1 ? [...e.resources].sort(byString) : e.resources;
    const k = `${e.open}\u0000${rs.join('\u0000')}`;
    const g = groups.get(k);
    if (g) g.actions.push(e.action);
    else groups.set(k, { actions: [e.action], resources: rs, open: e.open });
  }
  return [...groups.values()].map((g) => ({ ...g, actions: g.actions.sort(byString) }));
}

function resourcesText(rs: string[]): string {
  return rs.length <= 3 ? rs.map(code).join(', ') : `${rs.slice(0, 2).map(code).join(', ')} and ${rs.length - 2} more resources`;
}

function patternChange(base: Permissions, head: Permissions, baseGrants: AwsGrantView[], headGrants: AwsGrantView[]): string {
  const name = (grants: AwsGrantView[], lower: string) => grants.flatMap((g) => g.patterns).find((p) => p.toLowerCase() === lower) ?? lower;
  const added = [...head.patterns].filter((p) => !base.patterns.has(p)).map((p) => name(headGrants, p)).sort(byString);
  const removed = [...base.patterns].filter((p) => !head.patterns.has(p)).map((p) => name(baseGrants, p)).sort(byString);
  if (added.length > 0 && removed.length > 0) return `${listSome(removed.map(code), 3)} → ${listSome(added.map(code), 3)}`;
  if (added.length > 0) return `added ${listSome(added.map(code), 3)}`;
  if (removed.length > 0) return `removed ${listSome(removed.map(code), 3)}`;
  return 'resources changed';
}

function factsFor(action: string, grants: AwsGrantView[]): AwsActionFacts {
  const cached = factsCache.get(action.toLowerCase());
  if (cached && cached.accessLevel !== 'Unknown') return cached;
  const k = action.toLowerCase();
  for (const g of grants) {
    const f = g.registerFacts.get(k);
    if (f) return awsActionFacts(action, f);
  }
  return awsActionFacts(action);
}

function describeGroups(groups: { actions: string[]; resources: string[]; open: boolean }[], grants: AwsGrantView[]): string[] {
  const lines: string[] = [];
  for (const g of groups) {
    if (g.open) {
      lines.push(`every action (${listSome(g.actions.map(code), 3)}, open-ended) on ${resourcesText(g.resources)}`);
      continue;
    }
    const facts = g.actions.map((a) => factsFor(a, grants));
    const byLevel = new Map<string, string[]>();
    for (const f of facts) byLevel.set(f.accessLevel, [...(byLevel.get(f.accessLevel) ?? []), f.action]);
    const levels = [...byLevel.entries()].sort((a, b) => {
      const ra = ACCESS_LEVEL_ORDER.indexOf(a[0]) < 0 ? 99 : ACCESS_LEVEL_ORDER.indexOf(a[0]);
      const rb = ACCESS_LEVEL_ORDER.indexOf(b[0]) < 0 ? 99 : ACCESS_LEVEL_ORDER.indexOf(b[0]);
      return ra - rb;
    }).map(([l, as]) => `${l}: ${listSome(as.map(code), 12)}`);
    lines.push(`on ${resourcesText(g.resources)}: ${levels.join('; ')}`);
  }
  return lines;
}

/** Semantic diff of two AWS IAM scopes. */
export function diffAwsScope(baseScope: any[], headScope: any[]): Change[] {
  const baseGrants = awsGrants(baseScope);
  const headGrants = awsGrants(headScope);
  const base = permissionsOf(baseGrants);
  const head = permissionsOf(headGrants);
  const gained = uncovered(headGrants, base);
  const lost = uncovered(baseGrants, head);
  const how = patternChange(base, head, baseGrants, headGrants);
  const out: Change[] = [];

  if (gained.size > 0) {
    const groups = group(gained);
    const entries = [...gained.values()];
    const openEnded = entries.some((e) => e.open);
    const facts = entries.filter((e) => !e.open).map((e) => factsFor(e.action, headGrants));
    let severity: Severity = openEnded ? 'critical' : 'low';
    for (const f of facts) severity = severityRank(severityOfLevel(f)) < severityRank(severity) ? severityOfLevel(f) : severity;
    const resources = [...new Set(entries.flatMap((e) => e.resources))].sort(byString);
    const what = openEnded
      ? 'every action'
      : `+${plural(facts.length, 'action')} (${levelCounts(facts)})`;
    out.push({
      kind: 'scope-widened',
      severity,
      summary: `scope widened (${how}): ${what} on ${resourcesText(resources)}`,
      details: describeGroups(groups, headGrants),
      widens: true,
      privileged: openEnded || facts.some((f) => f.privileged || f.credentialExposing),
    });
    const risky = facts.filter((f) => f.privileged || f.credentialExposing);
    if (risky.length > 0) {
      const on = (a: string) => gained.get(a.toLowerCase())?.resources ?? [];
      out.push({
        kind: 'privileged-added',
        severity: 'critical',
        summary: `newly privileged: ${listSome(risky.map((f) => `${code(f.action)} (${f.privileged ? (f.accessLevel === 'Permissions management' ? 'permissions management' : 'privilege escalation') : 'exposes credentials'})`), 4)}`,
        details: risky.map((f) => {
          const why = headGrants.find((g) => g.justification && g.patterns.some((p) => (expandLower(p) ?? []).includes(f.action.toLowerCase())))?.justification;
          return `${code(f.action)} — ${f.accessLevel}${f.privileged ? ', privileged' : ''}${f.credentialExposing ? ', exposes credentials' : ''} — on ${resourcesText(on(f.action))}${why ? ` — justification: “${why}”` : ' — no justification'}`;
        }),
        widens: true,
        privileged: true,
      });
    }
  }

  // Action wildcards: grant what AWS adds to the service later, too.
  const newWildcards = headGrants.flatMap((g) => g.patterns).filter((p, i, all) => /[*?]/.test(p) && !base.patterns.has(p.toLowerCase()) && all.indexOf(p) === i);
  for (const p of newWildcards) {
    const expanded = expandAction(p);
    out.push({
      kind: 'action-wildcard',
      severity: expanded === null ? 'critical' : 'medium',
      summary: expanded === null
        ? `action wildcard introduced: ${code(p)} grants every action${p.includes(':') ? ' of an unknown service' : ' of every service'}`
        : `action wildcard introduced: ${code(p)} matches ${plural(expanded.length, 'action')} today and any AWS adds later`,
      widens: true,
      ...(expanded === null ? { privileged: true } : {}),
    });
  }

  // Resource wildcards over a whole resource type (or `*` for actions that take resources).
  for (const g of headGrants) {
    const fresh = g.resources.filter((r) => !base.resources.has(r) && r.includes('*'));
    if (fresh.length === 0) continue;
    const infos = g.patterns.flatMap((p) => (expandAction(p) ?? []).map((a) => lookupAction(a)).filter((x): x is NonNullable<typeof x> => !!x));
    const typed = infos.filter((i) => i.resourceTypes.length > 0);
    for (const r of fresh) {
      const open = g.patterns.some((p) => expandAction(p) === null);
      const wildcard = r === '*' ? (typed.length > 0 || open) : (r.includes('*') && (open || isWildcardResource(r, typed)));
      if (!wildcard) continue;
      out.push({
        kind: 'resource-wildcard',
        severity: 'high',
        summary: `resource wildcard introduced: ${code(r)} covers every resource of its type${r === '*' ? ' in the account' : ''}`,
        widens: true,
      });
    }
  }

  if (lost.size > 0) {
    const entries = [...lost.values()];
    const facts = entries.filter((e) => !e.open).map((e) => factsFor(e.action, baseGrants));
    const resources = [...new Set(entries.flatMap((e) => e.resources))].sort(byString);
    const openEnded = entries.some((e) => e.open);
    out.push({
      kind: 'scope-narrowed',
      severity: 'info',
      summary: `scope narrowed (${how}): ${openEnded ? 'no longer every action' : `−${plural(facts.length, 'action')} (${levelCounts(facts)})`} on ${resourcesText(resources)}`,
      details: describeGroups(group(lost), baseGrants),
      good: true,
    });
  }

  // Justifications of grants that existed before (a new grant's justification is in its details).
  const bj = new Set(baseGrants.map((g) => g.justification).filter((j): j is string => !!j));
  const hj = new Set(headGrants.map((g) => g.justification).filter((j): j is string => !!j));
  for (const g of headGrants) {
    if (!g.justification || bj.has(g.justification)) continue;
    if (g.patterns.every((p) => !base.patterns.has(p.toLowerCase()))) continue;
    out.push({ kind: 'justification-changed', severity: 'low', summary: `grant of ${listSome(g.patterns.map(code), 3)}: justification now reads “${g.justification}”` });
  }
  for (const j of bj) if (!hj.has(j)) out.push({ kind: 'justification-changed', severity: 'low', summary: `grant justification “${j}” removed` });

  if (out.length === 0) {
    out.push({ kind: 'scope-rewritten', severity: 'info', summary: 'scope rewritten with the same access' });
  }
  return out;
}

/** The family of a Google role, for a reviewer. */
export function googleRoleFamily(role: string): { family: string; severity: Severity; privileged: boolean } {
  const lower = role.toLowerCase();
  if (['roles/owner', 'roles/editor', 'roles/viewer'].includes(lower)) {
    return { family: 'basic role: thousands of permissions on every service', severity: 'critical', privileged: true };
  }
  const name = role.slice(role.lastIndexOf('/') + 1);
  if (/^iam\.(serviceAccount|workloadIdentity)/i.test(name)) {
    return { family: 'impersonation: acts as or mints credentials of service accounts', severity: 'critical', privileged: true };
  }
  const last = name.slice(name.lastIndexOf('.') + 1);
  if (last === 'admin' || /Admin$/.test(last)) return { family: 'administrator role', severity: 'critical', privileged: true };
  if (GOOGLE_CREDENTIAL.has(lower)) return { family: 'exposes secrets or decrypts', severity: 'critical', privileged: true };
  if (/^(projects|organizations)\//.test(role)) return { family: 'custom role: its permissions are not in the register', severity: 'high', privileged: false };
  if (/(viewer|reader|Viewer|Reader|getter|Getter|lister|Lister)$/.test(last) || last === 'browser') return { family: 'read', severity: 'medium', privileged: false };
  if (!isGoogleRoleName(role)) return { family: 'unknown role', severity: 'high', privileged: false };
  return { family: 'read-write', severity: 'high', privileged: false };
}

function googleKey(g: any): string {
  return `${g?.role}\u0000${g?.on ?? ''}\u0000${g?.resource ?? ''}\u0000${g?.project ?? ''}`;
}

function googleWhere(g: any): string {
  const on = typeof g?.on === 'string' ? g.on : undefined;
  const r = typeof g?.resource === 'string' ? g.resource : undefined;
  if (on === 'project') return `project ${code(r ?? '?')}`;
  if (on && r) return `${on} ${code(r)}`;
  return r ? code(r) : '(no resource)';
}

/** Diff of two Google role-binding scopes (`{ role, on, resource, ... }`). */
export function diffGoogleScope(baseScope: any[], headScope: any[]): Change[] {
  const baseKeys = new Map(baseScope.map((g) => [googleKey(g), g]));
  const headKeys = new Map(headScope.map((g) => [googleKey(g), g]));
  const out: Change[] = [];
  for (const [k, g] of headKeys) {
    if (baseKeys.has(k)) continue;
    const role = String(g?.role);
    const fam = googleRoleFamily(role);
    const privileged = fam.privileged || g?.privileged === true;
    const before = baseScope.filter((b) => b?.role === role);
    const toProject = g?.on === 'project' && before.length > 0 && before.every((b) => b?.on !== 'project');
    const severity: Severity = privileged ? 'critical' : toProject ? 'high' : fam.severity;
    out.push({
      kind: 'scope-widened',
      severity,
      summary: toProject
        ? `role ${code(role)} widened from ${listSome(before.map(googleWhere), 2)} to the whole ${googleWhere(g)} (${fam.family})`
        : `role ${code(role)} granted on ${googleWhere(g)} (${fam.family})`,
      ...(typeof g?.justification === 'string' ? { details: [`justification: “${g.justification}”`] } : {}),
      widens: true,
      privileged,
    });
    if (privileged) {
      out.push({ kind: 'privileged-added', severity: 'critical', summary: `newly privileged: ${code(role)} on ${googleWhere(g)} (${fam.family})`, widens: true, privileged: true });
    }
  }
  for (const [k, g] of baseKeys) {
    if (headKeys.has(k)) continue;
    // Moved up to the project: the project binding covers it, so nothing was taken away.
    if (g?.on !== 'project' && headScope.some((h) => h?.role === g?.role && h?.on === 'project')) continue;
    out.push({ kind: 'scope-narrowed', severity: 'info', summary: `role ${code(String(g?.role))} on ${googleWhere(g)} removed`, good: true });
  }
  if (out.length === 0) out.push({ kind: 'scope-rewritten', severity: 'info', summary: 'scope rewritten with the same role bindings' });
  return out;
}

/** Diff of API stages (`{ restApiId, stage }`) an API key may call. */
export function diffApiStages(baseScope: any[], headScope: any[]): Change[] {
  const key = (s: any) => `${s?.restApiId}/${s?.stage}`;
  const b = new Set(baseScope.map(key));
  const h = new Set(headScope.map(key));
  const out: Change[] = [];
  const added = [...h].filter((k) => !b.has(k)).sort(byString);
  const removed = [...b].filter((k) => !h.has(k)).sort(byString);
  if (added.length > 0) out.push({ kind: 'scope-widened', severity: 'medium', summary: `can now call ${plural(added.length, 'API stage')}: ${listSome(added.map(code), 5)}`, widens: true });
  if (removed.length > 0) out.push({ kind: 'scope-narrowed', severity: 'info', summary: `no longer calls ${plural(removed.length, 'API stage')}: ${listSome(removed.map(code), 5)}`, good: true });
  if (out.length === 0) out.push({ kind: 'scope-rewritten', severity: 'info', summary: 'scope rewritten with the same API stages' });
  return out;
}

/** Diff of API targets (`{ service, methods }`, methods null = every method) an API key may call. */
export function diffApiTargets(baseScope: any[], headScope: any[]): Change[] {
  const toMap = (s: any[]) => new Map(s.map((t) => [String(t?.service), Array.isArray(t?.methods) ? (t.methods as string[]) : null]));
  const b = toMap(baseScope);
  const h = toMap(headScope);
  const out: Change[] = [];
  for (const [svc, methods] of h) {
    if (!b.has(svc)) {
      out.push({ kind: 'scope-widened', severity: 'medium', summary: `can now call ${code(svc)} (${methods === null ? 'every method' : listSome(methods.map(code), 4)})`, widens: true });
      continue;
    }
    const before = b.get(svc)!;
    if (methods === null && before !== null) {
      out.push({ kind: 'scope-widened', severity: 'medium', summary: `${code(svc)} widened from ${plural(before.length, 'method')} to every method`, widens: true });
    } else if (methods !== null) {
      const added = before === null ? [] : methods.filter((m) => !before.includes(m));
      const removed = before === null ? ['every method'] : before.filter((m) => !methods.includes(m));
      if (added.length > 0) out.push({ kind: 'scope-widened', severity: 'medium', summary: `${code(svc)}: can now call ${listSome(added.map(code), 4)}`, widens: true });
      if (removed.length > 0) out.push({ kind: 'scope-narrowed', severity: 'info', summary: `${code(svc)}: no longer ${before === null ? 'every method' : listSome(removed.map(code), 4)}`, good: true });
    }
  }
  for (const svc of b.keys()) if (!h.has(svc)) out.push({ kind: 'scope-narrowed', severity: 'info', summary: `no longer calls ${code(svc)}`, good: true });
  if (out.length === 0) out.push({ kind: 'scope-rewritten', severity: 'info', summary: 'scope rewritten with the same API targets' });
  return out;
}

/** Structural diff of scopes of a shape the CLI does not know: entries added and removed. */
export function diffGenericScope(baseScope: any[], headScope: any[]): Change[] {
  const b = new Set(baseScope.map(stableStringify));
  const h = new Set(headScope.map(stableStringify));
  const added = [...h].filter((x) => !b.has(x));
  const removed = [...b].filter((x) => !h.has(x));
  const out: Change[] = [];
  if (added.length > 0) out.push({ kind: 'scope-widened', severity: 'medium', summary: `${plural(added.length, 'scope entry', 'scope entries')} added (shape not analysed): ${listSome(added.map((x) => code(x.length > 80 ? `${x.slice(0, 79)}…` : x)), 3)}`, details: added, widens: true });
  if (removed.length > 0) out.push({ kind: 'scope-narrowed', severity: 'info', summary: `${plural(removed.length, 'scope entry', 'scope entries')} removed`, details: removed, good: true });
  if (out.length === 0) out.push({ kind: 'scope-rewritten', severity: 'info', summary: 'scope entries reordered' });
  return out;
}

/** The shape of a scope: `aws-iam`, `google-role`, `api-stage`, `api-target` or `generic`. */
export function scopeShape(scope: any[]): string {
  if (scope.length === 0) return 'empty';
  const all = (f: (g: any) => boolean) => scope.every((g) => g !== null && typeof g === 'object' && f(g));
  if (all((g) => Array.isArray(g.actions))) return 'aws-iam';
  if (all((g) => typeof g.role === 'string')) return 'google-role';
  if (all((g) => typeof g.restApiId === 'string' && typeof g.stage === 'string')) return 'api-stage';
  if (all((g) => typeof g.service === 'string' && !('role' in g))) return 'api-target';
  return 'generic';
}

/** Semantic diff of two scopes of one identity (call only when they differ structurally). */
export function diffScope(baseScope: any[], headScope: any[]): Change[] {
  const bs = scopeShape(baseScope);
  const hs = scopeShape(headScope);
  const shape = bs === 'empty' ? hs : hs === 'empty' ? bs : bs === hs ? bs : 'generic';
  switch (shape) {
    case 'aws-iam': return diffAwsScope(baseScope, headScope);
    case 'google-role': return diffGoogleScope(baseScope, headScope);
    case 'api-stage': return diffApiStages(baseScope, headScope);
    case 'api-target': return diffApiTargets(baseScope, headScope);
    default: return diffGenericScope(baseScope, headScope);
  }
}
