// Semantic comparison of two scopes of one identity. AWS grants are compared as the sets of
// (action, resource) pairs they allow: wildcard actions are expanded with the iam-data
// catalogue, resource patterns cover the resources they match, so `s3:GetObject` -> `s3:Get*`
// is a widening and `s3:*` -> `s3:GetObject` a narrowing. Google roles, API stages and API
// targets are compared as sets; any other shape structurally.
import { isPrivilegedPermission, isReadPermission } from '../core/rules/google-roles';
import { isGoogleRoleName } from '../core/rules/google-scope';
import { IamActionInfo, lookupAction } from '../core/private/iam-catalog';
import { CREDENTIAL_EXPOSING_AWS_ACTIONS, isPrivileged, isWildcardResource, ResourcePatternReach, resourcePatternReach } from '../core/rules/aws-scope';
import { expandActionPattern, resourceCovers } from '../core/rules/aws-widening';
import { Change, Severity, severityRank } from './model';
import { byString, code, listSome, plural, prose, stableStringify } from './util';

/** Credential-exposing AWS actions (the list lives with the scope rule). */
export { CREDENTIAL_EXPOSING_AWS_ACTIONS };
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

function levelRank(l: string): number {
  const i = ACCESS_LEVEL_ORDER.indexOf(l);
  return i < 0 ? 99 : i;
}

/** `Read 3, List 1`, most powerful level first. */
export function levelCounts(facts: readonly AwsActionFacts[]): string {
  const counts = new Map<string, number>();
  for (const f of facts) counts.set(f.accessLevel, (counts.get(f.accessLevel) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => levelRank(a[0]) - levelRank(b[0]) || byString(a[0], b[0])).map(([l, n]) => `${l} ${n}`).join(', ');
}

/**
 * True if a resource pattern covers a resource (same semantics as core `resourceCovers`: IAM
 * wildcards `*` and `?`, case-insensitive; a `*` in the covered resource is taken literally).
 * Matched in place, without compiling a regular expression per pattern: every identity of a
 * large diff has resources of its own.
 */
export function covers(pattern: string, resource: string): boolean {
  if (pattern === resource) return true;
  const star = pattern.indexOf('*');
  const q = pattern.indexOf('?');
  if (star < 0 && q < 0) return false;
  // ASCII (every ARN in practice): case folded while matching, no lower-cased copies.
  if (ASCII.test(pattern) && ASCII.test(resource)) return globMatch(pattern, resource, true);
  // Other text: exactly the core's matching (a case-insensitive regular expression, in which
  // Σ, σ and ς are one letter; lower-casing both sides is not the same).
  return resourceCovers(pattern, resource);
}

const ASCII = /^[\x00-\x7f]*$/;

/** A character code lower-cased the way toLowerCase does for ASCII. */
function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** `*` matches any run of characters, `?` one character; linear backtracking on the last `*`. */
function globMatch(p: string, s: string, fold: boolean): boolean {
  let i = 0;
  let j = 0;
  let starP = -1;
  let starS = 0;
  while (j < s.length) {
    const c = i < p.length ? (fold ? lowerAscii(p.charCodeAt(i)) : p.charCodeAt(i)) : -1;
    if (c === 42 /* * */) {
      starP = i++;
      starS = j;
    } else if (c !== -1 && (c === 63 /* ? */ || c === (fold ? lowerAscii(s.charCodeAt(j)) : s.charCodeAt(j)))) {
      i++;
      j++;
    } else if (starP >= 0) {
      i = starP + 1;
      j = ++starS;
    } else {
      return false;
    }
  }
  while (i < p.length && p.charCodeAt(i) === 42) i++;
  return i === p.length;
}

/**
 * The concrete actions a list of action patterns grants today, expanded once per distinct
 * list and shared by every grant (of every identity) that writes the same patterns: a diff
 * compares these sets instead of expanding and matching action by action.
 */
export interface ActionSet {
  /** Identifies the set within this process (for memoised set differences). */
  readonly id: number;
  /** Canonical action names, sorted, unique. */
  readonly actions: readonly string[];
  /** Lower-cased `actions`, same order. */
  readonly lowerList: readonly string[];
  readonly lowers: ReadonlySet<string>;
  /** Open-ended patterns as first written (`*`, a wildcard of an unknown service). */
  readonly open: readonly string[];
  /** Every action is in the catalogue (its facts do not depend on what a register says). */
  readonly allKnown: boolean;
  /** Facts derived once per set (see `setFacts`). */
  readonly memo: {
    facts?: readonly AwsActionFacts[];
    typed?: IamActionInfo[];
    wildcard?: Map<string, boolean>;
    /** What a resource pattern short of a whole-type wildcard reaches (null: one named resource). */
    reach?: Map<string, ResourcePatternReach | null>;
    minus?: Map<string, ActionSet>;
    /** `minus` by one covering set, keyed by its id. */
    minusOne?: Map<number, ActionSet>;
    /** What a reviewer reads about `facts` (see `groupSummary`). */
    summary?: FactsSummary;
  };
}

const actionSets = new Map<string, ActionSet>();
let nextSetId = 0;

function makeSet(actions: string[], open: string[]): ActionSet {
  const lowerList = actions.map((a) => a.toLowerCase());
  return {
    id: nextSetId++,
    actions,
    lowerList,
    lowers: new Set(lowerList),
    open,
    allKnown: actions.every((a) => lookupAction(a) !== undefined),
    memo: {},
  };
}

/**
 * The actions of `set` that none of `covering` holds (its open patterns left out): computed once
 * per distinct combination and shared, so every identity widened the same way shares one set.
 */
function minus(set: ActionSet, covering: ActionSet | ActionSet[]): ActionSet {
  if (!Array.isArray(covering)) {
    const one = (set.memo.minusOne ??= new Map());
    let out = one.get(covering.id);
    if (!out) {
      out = subtract(set, [covering]);
      if (one.size < 10_000) one.set(covering.id, out);
    }
    return out;
  }
  const key = covering.map((c) => c.id).sort((a, b) => a - b).join(',');
  const memo = (set.memo.minus ??= new Map());
  let out = memo.get(key);
  if (!out) {
    out = subtract(set, covering);
    if (memo.size < 10_000) memo.set(key, out);
  }
  return out;
}

function subtract(set: ActionSet, covering: ActionSet[]): ActionSet {
  const rest: string[] = [];
  for (let i = 0; i < set.actions.length; i++) {
    const k = set.lowerList[i];
    if (!covering.some((c) => c.lowers.has(k))) rest.push(set.actions[i]);
  }
  return rest.length === set.actions.length && set.open.length === 0 ? set : makeSet(rest, []);
}

/** Sets by the patterns exactly as written (a cheaper first look-up). */
const actionSetsAsWritten = new Map<string, ActionSet>();

/** The shared action set of a list of patterns (order and case of the patterns ignored). */
export function actionSetOf(patterns: readonly string[]): ActionSet {
  const written = patterns.length === 1 ? patterns[0] : patterns.join('\u0000');
  let set = actionSetsAsWritten.get(written);
  if (set) return set;
  const key = patterns.length === 1 ? patterns[0].toLowerCase() : [...new Set(patterns.map((p) => p.toLowerCase()))].sort(byString).join('\u0000');
  set = actionSets.get(key);
  if (set) {
    if (actionSetsAsWritten.size < 100_000) actionSetsAsWritten.set(written, set);
    return set;
  }
  const byLower = new Map<string, string>();
  const open: string[] = [];
  const openSeen = new Set<string>();
  for (const p of patterns) {
    const expanded = expandAction(p);
    if (expanded === null) {
      if (!openSeen.has(p.toLowerCase())) open.push(p);
      openSeen.add(p.toLowerCase());
      continue;
    }
    for (const a of expanded) {
      const k = a.toLowerCase();
      if (!byLower.has(k)) byLower.set(k, a);
    }
  }
  set = makeSet([...byLower.values()].sort(byString), open);
  actionSets.set(key, set);
  if (actionSetsAsWritten.size < 100_000) actionSetsAsWritten.set(written, set);
  return set;
}

/**
 * One list of action patterns exactly as a grant writes it, interned: every grant (of every
 * identity) that writes the same list shares it, with its patterns and its action set, so a diff
 * looks a grant's actions up without building a key or a list per grant.
 */
interface WrittenActions {
  /** Identifies the list within this process (for memoised comparisons of two scopes). */
  readonly id: number;
  readonly patterns: readonly string[];
  readonly set: ActionSet;
  /** Lower-cased pattern -> the pattern as first written (see `patternsOf`). */
  readonly byLower: ReadonlyMap<string, string>;
}

interface WrittenNode {
  next?: Map<string, WrittenNode>;
  end?: WrittenActions;
}

const writtenRoot: WrittenNode = {};
let writtenNodes = 0;
let nextWrittenId = 0;

/** The name of one action of a register grant (a string, or `{ action }`), if it has one. */
function actionName(a: any): string | undefined {
  return typeof a === 'string' ? a : a !== null && typeof a === 'object' && typeof a.action === 'string' ? a.action : undefined;
}

function makeWritten(raw: readonly any[]): WrittenActions {
  const patterns: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const name = actionName(raw[i]);
    if (name !== undefined) patterns.push(name);
  }
  const byLower = new Map<string, string>();
  for (const p of patterns) {
    const k = p.toLowerCase();
    if (!byLower.has(k)) byLower.set(k, p);
  }
  return { id: nextWrittenId++, patterns, set: actionSetOf(patterns), byLower };
}

/** The interned list of a grant's actions (walks a tree keyed by each name: no key is built). */
function writtenActions(raw: readonly any[]): WrittenActions {
  let node = writtenRoot;
  for (let i = 0; i < raw.length; i++) {
    const name = actionName(raw[i]);
    if (name === undefined) continue;
    let next = node.next?.get(name);
    if (next === undefined) {
      if (writtenNodes >= 100_000) return makeWritten(raw);
      next = {};
      writtenNodes++;
      (node.next ??= new Map()).set(name, next);
    }
    node = next;
  }
  return (node.end ??= makeWritten(raw));
}

interface AwsGrantView {
  readonly written: WrittenActions;
  readonly patterns: readonly string[];
  readonly resources: readonly string[];
  readonly justification?: string;
  /** The actions as the register lists them (with its access level and privilege). */
  readonly raw: readonly any[];
  readonly set: ActionSet;
}

/** What the register says about an action (for actions the catalogue does not know). */
function registerFact(g: AwsGrantView, lower: string): { accessLevel?: unknown; privileged?: unknown } | undefined {
  for (const a of g.raw) if (a !== null && typeof a === 'object' && typeof a.action === 'string' && a.action.toLowerCase() === lower) return a;
  return undefined;
}

const NO_ACTIONS: readonly any[] = [];

function allStrings(xs: readonly unknown[]): boolean {
  for (let i = 0; i < xs.length; i++) if (typeof xs[i] !== 'string') return false;
  return true;
}

function awsGrants(scope: readonly any[]): AwsGrantView[] {
  const out: AwsGrantView[] = new Array(scope.length);
  for (let i = 0; i < scope.length; i++) {
    const g = scope[i];
    const raw: readonly any[] = Array.isArray(g?.actions) ? g.actions : NO_ACTIONS;
    const rs: readonly unknown[] = Array.isArray(g?.resources) ? g.resources : NO_ACTIONS;
    const resources = allStrings(rs) ? rs as readonly string[] : rs.filter((r: unknown): r is string => typeof r === 'string');
    const written = writtenActions(raw);
    out[i] = { written, patterns: written.patterns, resources, justification: typeof g?.justification === 'string' ? g.justification : undefined, raw, set: written.set };
  }
  return out;
}

/** Actions granted on the same resources: a unit of a widening or narrowing. */
interface Group {
  /** Sorted canonical names (for an open group: the open-ended patterns). */
  readonly actions: readonly string[];
  /** Sorted. */
  readonly resources: string[];
  readonly open: boolean;
  /** Set when `actions` is exactly this shared set's actions (its facts are then shared too). */
  readonly set?: ActionSet;
}

function uniqueSorted(xs: string[]): string[] {
  if (xs.length <= 1) return xs;
  if (xs.length === 2) {
    const a = xs[0];
    const b = xs[1];
    return a === b ? [a] : a < b ? xs : [b, a];
  }
  const sorted = [...xs].sort(byString);
  const out = [sorted[0]];
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) out.push(sorted[i]);
  return out;
}

/**
 * What `to` grants that `from` does not: (action, resource) pairs, grouped by resources. A
 * resource of `to` is covered for an action when a grant of `from` with that action (or an
 * open-ended one) has a resource covering it; the resource patterns are matched once per
 * pair of resources, the actions compared as sets.
 */
/** True if one of `patterns` covers `resource`. */
function anyCovers(patterns: readonly string[], resource: string): boolean {
  for (let i = 0; i < patterns.length; i++) if (covers(patterns[i], resource)) return true;
  return false;
}

/** No group: nothing gained (or lost). Shared, never changed. */
const NO_GROUPS: Group[] = [];

function uncovered(to: AwsGrantView[], from: AwsGrantView[]): Group[] {
  interface Segment { readonly set: ActionSet; readonly resource: string }
  // Gains of one set on some resources (the common case) are kept as that set and its
  // resources; segments are made only once a second set appears.
  let firstSet: ActionSet | undefined;
  let firstResources: string[] | undefined;
  let segments: Segment[] | undefined;
  let openByPattern: Map<string, { pattern: string; resources: string[] }> | undefined;
  for (let gi = 0; gi < to.length; gi++) {
    const g = to[gi];
    const set = g.set;
    for (let ri = 0; ri < g.resources.length; ri++) {
      const r = g.resources[ri];
      let covering: ActionSet | ActionSet[] | undefined;
      let openCovered = false;
      for (let bi = 0; bi < from.length; bi++) {
        const b = from[bi];
        if (!anyCovers(b.resources, r)) continue;
        if (b.set.open.length > 0) { openCovered = true; break; }
        if (covering === undefined) covering = b.set;
        else if (Array.isArray(covering)) covering.push(b.set);
        else covering = [covering, b.set];
      }
      if (openCovered) continue;
      for (let pi = 0; pi < set.open.length; pi++) {
        const p = set.open[pi];
        const k = p.toLowerCase();
        const e = (openByPattern ??= new Map()).get(k);
        if (!e) openByPattern.set(k, { pattern: p, resources: [r] });
        else if (!e.resources.includes(r)) e.resources.push(r);
      }
      if (set.actions.length === 0) continue;
      let gain = set;
      if (covering !== undefined) {
        if (covering === set || (Array.isArray(covering) && covering.includes(set))) continue;
        gain = minus(set, covering);
        if (gain.actions.length === 0) continue;
      }
      if (segments !== undefined) {
        segments.push({ set: gain, resource: r });
      } else if (firstSet === undefined) {
        firstSet = gain;
        firstResources = [r];
      } else if (firstSet === gain) {
        // Two resources (the common case) in a list of two, not a grown one.
        if (firstResources!.length === 1) firstResources = [firstResources![0], r];
        else firstResources!.push(r);
      } else {
        segments = segmentsOf(firstSet, firstResources!);
        segments.push({ set: gain, resource: r });
      }
    }
  }
  if (firstSet === undefined && openByPattern === undefined) return NO_GROUPS;
  if (segments === undefined && firstSet !== undefined) {
    // The common case: one set of actions gained (or lost) on one or more resources.
    const one: Group = { actions: firstSet.actions, resources: uniqueSorted(firstResources!), open: false, set: firstSet };
    return openByPattern === undefined ? [one] : [one, ...openGroups(openByPattern)];
  }

  const groups: Group[] = [];
  if (segments !== undefined) {
    // Several sets: regroup action by action.
    const byAction = new Map<string, { action: string; resources: string[] }>();
    for (const s of segments) {
      for (const a of s.set.actions) {
        const k = a.toLowerCase();
        const e = byAction.get(k);
        if (!e) byAction.set(k, { action: a, resources: [s.resource] });
        else if (!e.resources.includes(s.resource)) e.resources.push(s.resource);
      }
    }
    const byResources = new Map<string, { actions: string[]; resources: string[] }>();
    for (const e of byAction.values()) {
      const rs = uniqueSorted(e.resources);
      const k = rs.join('\u0000');
      const grp = byResources.get(k);
      if (grp) grp.actions.push(e.action);
      else byResources.set(k, { actions: [e.action], resources: rs });
    }
    for (const grp of byResources.values()) {
      const actions = grp.actions.sort(byString);
      const same = segments.find((s) => s.set.actions.length === actions.length && s.set.actions.every((a, i) => a === actions[i]));
      groups.push({ actions, resources: grp.resources, open: false, ...(same ? { set: same.set } : {}) });
    }
  }
  if (openByPattern !== undefined) groups.push(...openGroups(openByPattern));
  return groups;
}

/**
 * `uncovered([to], [from])` where both grants list the same resources in the same order (the
 * common case of a grant whose actions changed): `from` covers every resource of `to` (each is
 * one of its own), so every resource gains the same actions and the same open-ended patterns.
 */
function uncoveredSameResources(to: AwsGrantView, from: AwsGrantView): Group[] {
  const rs = to.resources;
  if (rs.length === 0 || from.set.open.length > 0) return NO_GROUPS;
  const set = to.set;
  let closed: Group | undefined;
  if (set.actions.length > 0 && set !== from.set) {
    const gain = minus(set, from.set);
    if (gain.actions.length > 0) closed = { actions: gain.actions, resources: uniqueSorted(rs.slice()), open: false, set: gain };
  }
  if (set.open.length === 0) return closed === undefined ? NO_GROUPS : [closed];
  const open: Group = { actions: set.open.slice().sort(byString), resources: uniqueSorted(rs.slice()), open: true };
  return closed === undefined ? [open] : [closed, open];
}

/** Switches for tests: `sameResources` off compares every scope the general way. */
export const scopeDiffPaths = { sameResources: true };

function sameResources(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function segmentsOf(set: ActionSet, resources: string[]): { readonly set: ActionSet; readonly resource: string }[] {
  return resources.map((resource) => ({ set, resource }));
}

/** Open-ended patterns grouped by the resources they are granted on. */
function openGroups(openByPattern: Map<string, { pattern: string; resources: string[] }>): Group[] {
  const groups: Group[] = [];
  const byResources = new Map<string, { actions: string[]; resources: string[] }>();
  for (const e of openByPattern.values()) {
    const rs = uniqueSorted(e.resources);
    const k = rs.join('\u0000');
    const grp = byResources.get(k);
    if (grp) grp.actions.push(e.pattern);
    else byResources.set(k, { actions: [e.pattern], resources: rs });
  }
  for (const grp of byResources.values()) groups.push({ actions: grp.actions.sort(byString), resources: grp.resources, open: true });
  return groups;
}

/**
 * The last text `resourcesText` wrote, and what it depends on (the length of the list and its
 * first three resources): a diff writes the same list in a summary and in its details.
 */
let lastText = '';
let lastLength = 0;
let last0: string | undefined;
let last1: string | undefined;
let last2: string | undefined;

function resourcesText(rs: readonly string[]): string {
  const n = rs.length;
  if (n === 0) return '';
  const r0 = rs[0];
  const r1 = n > 1 ? rs[1] : undefined;
  const r2 = n > 2 ? rs[2] : undefined;
  if (n === lastLength && r0 === last0 && r1 === last1 && r2 === last2) return lastText;
  lastText = writeResources(rs);
  lastLength = n;
  last0 = r0;
  last1 = r1;
  last2 = r2;
  return lastText;
}

function writeResources(rs: readonly string[]): string {
  const shown = rs.length <= 3 ? rs.length : 2;
  let out = code(rs[0]);
  for (let i = 1; i < shown; i++) out += `, ${code(rs[i])}`;
  return rs.length <= 3 ? out : `${out} and ${rs.length - 2} more resources`;
}

const NO_PATTERNS: ReadonlyMap<string, string> = new Map();

/** Lower-cased pattern -> the pattern as first written (shared when there is one grant). */
function patternsOf(grants: AwsGrantView[]): ReadonlyMap<string, string> {
  if (grants.length === 1) return grants[0].written.byLower;
  if (grants.length === 0) return NO_PATTERNS;
  const out = new Map<string, string>();
  for (const g of grants) {
    for (const p of g.patterns) {
      const k = p.toLowerCase();
      if (!out.has(k)) out.set(k, p);
    }
  }
  return out;
}

function patternChange(basePatterns: ReadonlyMap<string, string>, headPatterns: ReadonlyMap<string, string>): string {
  const added: string[] = [];
  const removed: string[] = [];
  for (const [k, p] of headPatterns) if (!basePatterns.has(k)) added.push(p);
  for (const [k, p] of basePatterns) if (!headPatterns.has(k)) removed.push(p);
  added.sort(byString);
  removed.sort(byString);
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
    const f = registerFact(g, k);
    if (f) return awsActionFacts(action, f);
  }
  return awsActionFacts(action);
}

/** What a reviewer reads about a list of facts, computed once per shared list. */
interface FactsSummary {
  readonly severity: Severity;
  readonly levels: string;
  /** `+3 actions (Read 2, List 1)`: what a widening adds. */
  readonly gained: string;
  /** `−3 actions (Read 2, List 1)`: what a narrowing takes away. */
  readonly lost: string;
  readonly byLevel: string;
  readonly risky: readonly AwsActionFacts[];
}

const summaries = new WeakMap<readonly AwsActionFacts[], FactsSummary>();

function summaryOf(facts: readonly AwsActionFacts[]): FactsSummary {
  let s = summaries.get(facts);
  if (s) return s;
  let severity: Severity = 'low';
  for (const f of facts) {
    const x = severityOfLevel(f);
    if (severityRank(x) < severityRank(severity)) severity = x;
  }
  const byLevel = new Map<string, string[]>();
  for (const f of facts) {
    const l = byLevel.get(f.accessLevel);
    if (l) l.push(f.action);
    else byLevel.set(f.accessLevel, [f.action]);
  }
  const levels = levelCounts(facts);
  s = {
    severity,
    levels,
    gained: `+${plural(facts.length, 'action')} (${levels})`,
    lost: `−${plural(facts.length, 'action')} (${levels})`,
    byLevel: [...byLevel.entries()].sort((a, b) => levelRank(a[0]) - levelRank(b[0])).map(([l, as]) => `${l}: ${listSome(as.map(code), 12)}`).join('; '),
    risky: facts.filter((f) => f.privileged || f.credentialExposing),
  };
  summaries.set(facts, s);
  return s;
}

/** Facts of a group's actions: shared with every group of the same set when the catalogue knows them all. */
function groupFacts(g: Group, grants: AwsGrantView[]): readonly AwsActionFacts[] {
  if (g.set && g.set.allKnown) return (g.set.memo.facts ??= g.set.actions.map((a) => awsActionFacts(a)));
  return g.actions.map((a) => factsFor(a, grants));
}

/** The summary of a group's facts: kept with a shared set (no look-up by facts list). */
function groupSummary(g: Group, grants: AwsGrantView[]): FactsSummary {
  if (g.set && g.set.allKnown) return (g.set.memo.summary ??= summaryOf(groupFacts(g, grants)));
  return summaryOf(groupFacts(g, grants));
}

/** The groups with a closed list of actions (the array itself when none is open-ended). */
function closedOf(groups: Group[]): Group[] {
  for (let i = 0; i < groups.length; i++) if (groups[i].open) return groups.filter((g) => !g.open);
  return groups;
}

function describeGroups(groups: Group[], grants: AwsGrantView[]): string[] {
  return groups.map((g) => (g.open
    ? `every action (${listSome(g.actions.map(code), 3)}, open-ended) on ${resourcesText(g.resources)}`
    : `on ${resourcesText(g.resources)}: ${groupSummary(g, grants).byLevel}`));
}

/**
 * The resources the other side grants the actions of some groups on (for "before only on" and
 * "still granted on"): resources of its grants that share an action with the groups.
 */
function otherResources(groups: Group[], other: AwsGrantView[]): string[] {
  const closed = closedOf(groups);
  const open = closed.length !== groups.length;
  let lowers: ReadonlySet<string>;
  if (closed.length === 1 && closed[0].set) {
    lowers = closed[0].set.lowers;
  } else {
    const all = new Set<string>();
    for (const g of closed) for (const a of g.actions) all.add(a.toLowerCase());
    lowers = all;
  }
  // One grant on the other side (the common case): its resources, sorted, without a set.
  if (other.length === 1) return shares(other[0], open, lowers) ? uniqueSorted(other[0].resources.slice()) : [];
  const out = new Set<string>();
  for (const b of other) {
    if (!shares(b, open, lowers)) continue;
    for (const r of b.resources) out.add(r);
  }
  return uniqueSorted([...out]);
}

/** True if a grant may give some of these actions (or the groups are open-ended). */
function shares(b: AwsGrantView, open: boolean, lowers: ReadonlySet<string>): boolean {
  if (open || b.set.open.length > 0) return true;
  const ks = b.set.lowerList;
  for (let i = 0; i < ks.length; i++) if (lowers.has(ks[i])) return true;
  return false;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function riskyName(f: AwsActionFacts): string {
  return `${code(f.action)} (${f.privileged ? (f.accessLevel === 'Permissions management' ? 'permissions management' : 'privilege escalation') : 'exposes credentials'})`;
}

const riskyMemo = new Map<string, { count: number; names: string; details: string[] }>();

/**
 * The privileged and credential-exposing actions among gains: how many, their names for the
 * summary, one detail line each (with the justification of the grant that gives it). Shared by
 * every identity that gains the same set on the same resources under the same justifications.
 */
const NO_RISK = { count: 0, names: '', details: [] };

function riskyOf(groups: Group[], grants: AwsGrantView[]): { count: number; names: string; details: string[] } {
  const closed = closedOf(groups);
  let key: string | undefined;
  if (closed.length === 1 && closed[0].set) {
    const g = closed[0];
    if (groupSummary(g, grants).risky.length === 0) return NO_RISK;
    key = `${g.set!.id}\u0000${g.resources.join('\u0001')}\u0000${grants.filter((x) => x.justification).map((x) => `${x.set.id}\u0001${x.justification}`).join('\u0002')}`;
    const hit = riskyMemo.get(key);
    if (hit) return hit;
  }
  const risky: { f: AwsActionFacts; on: string[] }[] = [];
  for (const g of closed) for (const f of groupSummary(g, grants).risky) risky.push({ f, on: g.resources });
  const names = risky.length <= 4
    ? risky.map(({ f }) => riskyName(f)).join(', ')
    : `${risky.slice(0, 4).map(({ f }) => riskyName(f)).join(', ')} and ${risky.length - 4} more`;
  const result = {
    count: risky.length,
    names,
    details: risky.map(({ f, on }) => {
      const k = f.action.toLowerCase();
      const why = grants.find((g) => g.justification && g.set.lowers.has(k))?.justification;
      return `${code(f.action)} — ${f.accessLevel}${f.privileged ? ', privileged' : ''}${f.credentialExposing ? ', exposes credentials' : ''} — on ${resourcesText(on)}${why ? ` — justification: “${prose(why)}”` : ' — no justification'}`;
    }),
  };
  if (key !== undefined && riskyMemo.size < 1_000) riskyMemo.set(key, result);
  return result;
}

/** True if a grant lists the resource (as written). */
function inGrants(grants: AwsGrantView[], r: string): boolean {
  for (let i = 0; i < grants.length; i++) if (grants[i].resources.includes(r)) return true;
  return false;
}

/** Facts of every closed group together (shared when there is one group). */
function allFacts(groups: Group[], grants: AwsGrantView[]): readonly AwsActionFacts[] {
  const closed = closedOf(groups);
  return closed.length === 1 ? groupFacts(closed[0], grants) : closed.flatMap((g) => groupFacts(g, grants));
}

/** The summary of `allFacts(groups, grants)` (kept with the set when there is one closed group). */
function factsSummary(groups: Group[], facts: readonly AwsActionFacts[], grants: AwsGrantView[]): FactsSummary {
  const closed = closedOf(groups);
  return closed.length === 1 ? groupSummary(closed[0], grants) : summaryOf(facts);
}

function resourcesOf(groups: Group[]): string[] {
  return groups.length === 1 ? groups[0].resources : uniqueSorted(groups.flatMap((g) => g.resources));
}

/** What two scopes' action patterns alone say: computed once per pair of pattern lists as written. */
interface PatternFacts {
  readonly basePatterns: ReadonlyMap<string, string>;
  /** How the patterns changed (`s3:GetObject` → `s3:Get*`), for the summaries. */
  readonly how: string;
  /** The action wildcards head introduces (frozen templates: each identity gets its own copy). */
  readonly wildcards: readonly Change[];
}

const pairsByOne = new Map<number, Map<number, PatternFacts>>();
const pairsByKey = new Map<string, PatternFacts>();
let pairCount = 0;

function patternFacts(baseGrants: AwsGrantView[], headGrants: AwsGrantView[]): PatternFacts {
  let byHead: Map<number, PatternFacts> | undefined;
  let key: string | undefined;
  let facts: PatternFacts | undefined;
  if (baseGrants.length === 1 && headGrants.length === 1) {
    byHead = pairsByOne.get(baseGrants[0].written.id);
    facts = byHead?.get(headGrants[0].written.id);
  } else {
    key = `${baseGrants.map((g) => g.written.id).join(',')}|${headGrants.map((g) => g.written.id).join(',')}`;
    facts = pairsByKey.get(key);
  }
  if (facts) return facts;
  facts = computePatternFacts(baseGrants, headGrants);
  if (pairCount < 100_000) {
    pairCount++;
    if (key !== undefined) {
      pairsByKey.set(key, facts);
    } else {
      if (!byHead) pairsByOne.set(baseGrants[0].written.id, byHead = new Map());
      byHead.set(headGrants[0].written.id, facts);
    }
  }
  return facts;
}

function computePatternFacts(baseGrants: AwsGrantView[], headGrants: AwsGrantView[]): PatternFacts {
  const basePatterns = patternsOf(baseGrants);
  const headPatterns = patternsOf(headGrants);
  const newWildcards = headGrants.flatMap((g) => g.patterns).filter((p, i, all) => /[*?]/.test(p) && !basePatterns.has(p.toLowerCase()) && all.indexOf(p) === i);
  const wildcards = newWildcards.map((p): Change => {
    const expanded = expandAction(p);
    return Object.freeze({
      kind: 'action-wildcard',
      severity: expanded === null ? 'critical' : 'medium',
      summary: expanded === null
        ? `action wildcard introduced: ${code(p)} grants every action${p.includes(':') ? ' of an unknown service' : ' of every service'}`
        : `action wildcard introduced: ${code(p)} matches ${plural(expanded.length, 'action')} today and any AWS adds later`,
      widens: true,
      ...(expanded === null ? { privileged: true } : {}),
    });
  });
  return { basePatterns, how: patternChange(basePatterns, headPatterns), wildcards };
}

function justified(gs: AwsGrantView[]): boolean {
  for (let i = 0; i < gs.length; i++) if (gs[i].justification) return true;
  return false;
}

function justificationChanges(baseGrants: AwsGrantView[], headGrants: AwsGrantView[], basePatterns: ReadonlyMap<string, string>): Change[] {
  const out: Change[] = [];
  const bj = justified(baseGrants) ? new Set(baseGrants.map((g) => g.justification).filter((j): j is string => !!j)) : new Set<string>();
  const hj = justified(headGrants) ? new Set(headGrants.map((g) => g.justification).filter((j): j is string => !!j)) : new Set<string>();
  for (const g of justified(headGrants) ? headGrants : []) {
    if (!g.justification || bj.has(g.justification)) continue;
    if (g.patterns.every((p) => !basePatterns.has(p.toLowerCase()))) continue;
    out.push({ kind: 'justification-changed', severity: 'low', summary: `grant of ${listSome(g.patterns.map(code), 3)}: justification now reads “${prose(g.justification)}”` });
  }
  for (const j of bj) if (!hj.has(j)) out.push({ kind: 'justification-changed', severity: 'low', summary: `grant justification “${prose(j)}” removed` });
  return out;
}

/**
 * The call-outs of a resource pattern short of a whole-type wildcard: a prefix wildcard in the
 * name (every resource whose name matches, also ones created later: medium, high where names are
 * global, as S3 buckets' are, so another account's bucket matches), a region or account wildcard
 * (every region: medium; every account, other organisations' too: high).
 */
function patternCallOuts(r: string, reach: ResourcePatternReach): Change[] {
  const out: Change[] = [];
  if (reach.prefix) {
    out.push({
      kind: 'resource-prefix-wildcard',
      severity: reach.globalNames ? 'high' : 'medium',
      summary: `resource prefix wildcard introduced: ${code(r)} covers every resource of its type whose name matches, also ones created later${reach.globalNames ? ' — in any account (the names are global)' : ''}`,
      widens: true,
    });
  }
  if (reach.region || reach.account) {
    const where = reach.region && reach.account ? 'region and account' : reach.region ? 'region' : 'account';
    const every = reach.region && reach.account ? 'every region and every account' : `every ${where}`;
    out.push({
      kind: 'resource-location-wildcard',
      severity: reach.account ? 'high' : 'medium',
      summary: `resource ${where} wildcard introduced: ${code(r)} covers the resource in ${every}${reach.account ? ', other organisations\' too' : ''}`,
      widens: true,
    });
  }
  return out;
}

/** Semantic diff of two AWS IAM scopes. */
export function diffAwsScope(baseScope: any[], headScope: any[]): Change[] {
  const baseGrants = awsGrants(baseScope);
  const headGrants = awsGrants(headScope);
  const pair = patternFacts(baseGrants, headGrants);
  const basePatterns = pair.basePatterns;
  const single = scopeDiffPaths.sameResources && headGrants.length === 1 && baseGrants.length === 1 && sameResources(headGrants[0].resources, baseGrants[0].resources);
  const gained = single ? uncoveredSameResources(headGrants[0], baseGrants[0]) : uncovered(headGrants, baseGrants);
  const lost = single ? uncoveredSameResources(baseGrants[0], headGrants[0]) : uncovered(baseGrants, headGrants);
  const how = pair.how;
  const out: Change[] = [];

  if (gained.length > 0) {
    const openEnded = gained.some((g) => g.open);
    const facts = allFacts(gained, headGrants);
    const sum = factsSummary(gained, facts, headGrants);
    const severity: Severity = openEnded ? 'critical' : facts.length > 0 ? sum.severity : 'low';
    const resources = resourcesOf(gained);
    const before = otherResources(gained, baseGrants);
    const what = openEnded ? 'every action' : sum.gained;
    const moved = before.length > 0 && !sameList(before, resources);
    out.push({
      kind: 'scope-widened',
      severity,
      summary: `scope widened (${how}): ${what} on ${resourcesText(resources)}${moved ? `; before only on ${resourcesText(before)}` : ''}`,
      details: describeGroups(gained, headGrants),
      widens: true,
      privileged: openEnded || sum.risky.length > 0,
      resources: { before, after: resources },
    });
    const risky = riskyOf(gained, headGrants);
    if (risky.count > 0) {
      out.push({
        kind: 'privileged-added',
        severity: 'critical',
        summary: `newly privileged: ${risky.names}`,
        details: risky.details,
        widens: true,
        privileged: true,
      });
    }
  }

  // Action wildcards: grant what AWS adds to the service later, too (shared, see patternFacts).
  for (let i = 0; i < pair.wildcards.length; i++) out.push({ ...pair.wildcards[i] });

  // Resource wildcards over a whole resource type (or `*` for actions that take resources).
  for (let gi = 0; gi < headGrants.length; gi++) {
    const g = headGrants[gi];
    let fresh: string[] | undefined;
    for (let i = 0; i < g.resources.length; i++) {
      const r = g.resources[i];
      // `?` is an IAM wildcard too (`table/??????` is every table with a six-letter name).
      if ((r.includes('*') || r.includes('?')) && !inGrants(baseGrants, r)) (fresh ??= []).push(r);
    }
    if (fresh === undefined) continue;
    const set = g.set;
    const typed = (set.memo.typed ??= set.actions.map((a) => lookupAction(a)).filter((x): x is IamActionInfo => !!x && x.resourceTypes.length > 0));
    const open = set.open.length > 0;
    const verdicts = (set.memo.wildcard ??= new Map<string, boolean>());
    for (const r of fresh) {
      let wildcard = verdicts.get(r);
      if (wildcard === undefined) {
        wildcard = r === '*' ? (typed.length > 0 || open) : (open || isWildcardResource(r, typed));
        if (verdicts.size < 10_000) verdicts.set(r, wildcard);
      }
      if (!wildcard) {
        const reaches = (set.memo.reach ??= new Map<string, ResourcePatternReach | null>());
        let reach = reaches.get(r);
        if (reach === undefined) {
          reach = resourcePatternReach(r, typed) ?? null;
          if (reaches.size < 10_000) reaches.set(r, reach);
        }
        if (reach !== null) out.push(...patternCallOuts(r, reach));
        continue;
      }
      out.push({
        kind: 'resource-wildcard',
        severity: 'high',
        summary: `resource wildcard introduced: ${code(r)} covers every resource of its type${r === '*' ? ' in the account' : ''}`,
        widens: true,
      });
    }
  }

  if (lost.length > 0) {
    const facts = allFacts(lost, baseGrants);
    const resources = resourcesOf(lost);
    const openEnded = lost.some((g) => g.open);
    const still = otherResources(lost, headGrants);
    const moved = still.length > 0 && !sameList(still, resources);
    out.push({
      kind: 'scope-narrowed',
      severity: 'info',
      summary: `scope narrowed (${how}): ${openEnded ? 'no longer every action' : factsSummary(lost, facts, baseGrants).lost} on ${resourcesText(resources)}${moved ? `; still granted on ${resourcesText(still)}` : ''}`,
      details: describeGroups(lost, baseGrants),
      good: true,
      resources: { before: resources, after: still },
    });
  }

  // Justifications of grants that existed before (a new grant's justification is in its details).
  if (justified(baseGrants) || justified(headGrants)) out.push(...justificationChanges(baseGrants, headGrants, basePatterns));

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
    const same = baseKeys.get(k);
    if (same !== undefined) {
      out.push(...customRoleChanges(same, g));
      continue;
    }
    const role = String(g?.role);
    const held = listedPermissions(g);
    const fam = held ? permissionsFamily(held) : googleRoleFamily(role);
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
      ...(typeof g?.justification === 'string' || held ? {
        details: [
          ...(held ? [`permissions of the custom role: ${listSome(held.map(code), 20)}`] : []),
          ...(typeof g?.justification === 'string' ? [`justification: “${prose(g.justification)}”`] : []),
        ],
      } : {}),
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

/** The permissions a register lists for a grant of a custom role of the stack (undefined: not listed). */
function listedPermissions(g: any): string[] | undefined {
  return Array.isArray(g?.permissions) ? g.permissions.map(String) : undefined;
}

/** The family of a custom role's permissions, judged like a predefined role's. */
function permissionsFamily(permissions: string[]): { family: string; severity: Severity; privileged: boolean } {
  if (permissions.some(isPrivilegedPermission)) {
    return { family: 'custom role: acts as or mints credentials of identities, or changes IAM', severity: 'critical', privileged: true };
  }
  if (permissions.every(isReadPermission)) return { family: 'custom role: read', severity: 'medium', privileged: false };
  return { family: 'custom role: read-write', severity: 'high', privileged: false };
}

/**
 * A grant of a custom role of the stack in both registers: the permissions the role gained (a
 * widening, judged by what they are) and lost. A register that does not list them (written
 * before registers did, or the role defined outside the stack) cannot say what changed.
 */
function customRoleChanges(base: any, head: any): Change[] {
  const before = listedPermissions(base);
  const after = listedPermissions(head);
  if (before === undefined && after === undefined) return [];
  const role = code(String(head?.role));
  const where = googleWhere(head);
  if (before === undefined) {
    return [{ kind: 'scope-rewritten', severity: 'info', summary: `custom role ${role} on ${where}: its permissions are listed for the first time (the base register does not list them)`,
      details: [`permissions: ${listSome(after!.map(code), 20)}`] }];
  }
  if (after === undefined) {
    return [{ kind: 'scope-rewritten', severity: 'medium', summary: `custom role ${role} on ${where}: its permissions are no longer in the register (defined outside the stack, or not readable at synth); they were ${listSome(before.map(code), 5)}` }];
  }
  const had = new Set(before);
  const has = new Set(after);
  const added = after.filter((p) => !had.has(p)).sort(byString);
  const removed = before.filter((p) => !has.has(p)).sort(byString);
  const out: Change[] = [];
  if (added.length > 0) {
    const fam = permissionsFamily(added);
    out.push({ kind: 'scope-widened', severity: fam.severity, summary: `custom role ${role} on ${where} gains ${listSome(added.map(code), 5)} (${fam.family})`, widens: true, privileged: fam.privileged });
    if (fam.privileged) {
      const which = added.filter(isPrivilegedPermission);
      out.push({ kind: 'privileged-added', severity: 'critical', summary: `newly privileged: custom role ${role} on ${where} gains ${listSome(which.map(code), 5)}`, widens: true, privileged: true });
    }
  }
  if (removed.length > 0) {
    out.push({ kind: 'scope-narrowed', severity: 'info', summary: `custom role ${role} on ${where} no longer holds ${listSome(removed.map(code), 5)}`, good: true });
  }
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
  if (added.length > 0) out.push({ kind: 'scope-widened', severity: 'medium', summary: `${plural(added.length, 'scope entry', 'scope entries')} added (shape not analysed): ${listSome(added.map((x) => code(x.length > 80 ? `${x.slice(0, 79)}…` : x)), 3)}`, details: added.map(code), widens: true });
  if (removed.length > 0) out.push({ kind: 'scope-narrowed', severity: 'info', summary: `${plural(removed.length, 'scope entry', 'scope entries')} removed`, details: removed.map(code), good: true });
  if (out.length === 0) out.push({ kind: 'scope-rewritten', severity: 'info', summary: 'scope entries reordered' });
  return out;
}

/** The shape of a scope: `aws-iam`, `google-role`, `api-stage`, `api-target` or `generic`. */
export function scopeShape(scope: any[]): string {
  if (scope.length === 0) return 'empty';
  if (allAwsGrants(scope)) return 'aws-iam';
  if (everyEntry(scope, isGoogleBinding)) return 'google-role';
  if (everyEntry(scope, isApiStage)) return 'api-stage';
  if (everyEntry(scope, isApiTarget)) return 'api-target';
  return 'generic';
}

function everyEntry(scope: any[], f: (g: any) => boolean): boolean {
  for (let i = 0; i < scope.length; i++) {
    const g = scope[i];
    if (g === null || typeof g !== 'object' || !f(g)) return false;
  }
  return true;
}

/** Every entry an object with a list of actions (the common shape, without a callback). */
function allAwsGrants(scope: any[]): boolean {
  for (let i = 0; i < scope.length; i++) {
    const g = scope[i];
    if (g === null || typeof g !== 'object' || !Array.isArray(g.actions)) return false;
  }
  return true;
}

function isGoogleBinding(g: any): boolean {
  return typeof g.role === 'string';
}

function isApiStage(g: any): boolean {
  return typeof g.restApiId === 'string' && typeof g.stage === 'string';
}

function isApiTarget(g: any): boolean {
  return typeof g.service === 'string' && !('role' in g);
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
