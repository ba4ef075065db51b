import { ArnParts, arnMatchesFormat, fillFormat, formatsOf, splitArn } from '../private/arn';
import { actionsOf, IamActionInfo, lookupAction, serviceExists } from '../private/iam-catalog';
import { NhiRisk, Violation, violation } from '../violation';
import { AnalysedAwsGrant, isCredentialExposing, isPrivileged, isToken, wildcardMatch } from './aws-scope';

/**
 * An IAM policy statement attached to a governed identity, values flattened to strings
 * (unresolved references as `${Logical.Attr}`), as found in a synthesised template or handed
 * to the identity by a grant (`bucket.grantRead(identity)`).
 */
export interface AwsGrantedStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: any;
}

function list(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * The actions an action pattern grants today: itself, or for a wildcard pattern every catalogue
 * action it matches. `undefined` when the pattern is open-ended (`*`, or an unknown service).
 */
export function expandActionPattern(pattern: string): string[] | undefined {
  if (!/[*?]/.test(pattern)) {
    return [lookupAction(pattern)?.name ?? pattern];
  }
  const i = pattern.indexOf(':');
  if (i <= 0) return undefined;
  const service = pattern.slice(0, i);
  if (/[*?]/.test(service) || !serviceExists(service)) return undefined;
  return actionsOf(service).filter((a) => wildcardMatch(pattern, a));
}

/**
 * True if a declared resource covers a granted one: the same string, or a declared pattern
 * (`arn:aws:s3:::bucket/*`) matching it. A `*` in the granted resource is taken literally, so
 * `arn:aws:s3:::bucket/*` covers `arn:aws:s3:::bucket/reports/*` but `arn:aws:s3:::bucket/reports/*`
 * does not cover `arn:aws:s3:::bucket/*`.
 */
export function resourceCovers(declared: string, granted: string): boolean {
  if (declared === granted) return true;
  if (!/[*?]/.test(declared)) return false;
  return wildcardMatch(declared, granted);
}

/** One action on one resource a statement grants beyond the declared scope. */
export interface AwsScopeGap {
  readonly action: string;
  readonly resource: string;
}

/**
 * What an Allow statement grants that the declared scope does not: every (action, resource)
 * pair not covered by a declared grant with that action and a covering resource. Wildcard actions
 * are expanded against the catalogue, so `s3:GetObject*` is covered only if every action it
 * matches today is declared. `*`, `NotAction` and `NotResource` are never covered.
 */
export function scopeGaps(statement: AwsGrantedStatement, declared: AnalysedAwsGrant[]): AwsScopeGap[] {
  if ((statement.Effect ?? 'Allow') !== 'Allow') return [];
  if (statement.NotAction !== undefined) return [{ action: `NotAction ${list(statement.NotAction).join(',')}`, resource: list(statement.Resource).join(',') || '*' }];
  if (statement.NotResource !== undefined) return [{ action: list(statement.Action).join(','), resource: `NotResource ${list(statement.NotResource).join(',')}` }];
  const index = new Map<string, string[]>();
  for (const g of declared) {
    for (const a of g.actions) {
      const k = a.action.toLowerCase();
      index.set(k, [...(index.get(k) ?? []), ...g.resources]);
    }
  }
  const gaps: AwsScopeGap[] = [];
  const resources = list(statement.Resource);
  for (const pattern of list(statement.Action)) {
    const actions = expandActionPattern(pattern) ?? [pattern];
    for (const action of actions) {
      const covering = index.get(action.toLowerCase()) ?? [];
      for (const r of resources) {
        if (!covering.some((d) => resourceCovers(d, r))) gaps.push({ action, resource: r });
      }
    }
  }
  return gaps;
}

/**
 * NHI_SCOPE_WIDENED: every Allow statement attached to a governed identity (by a grant, an
 * attached policy or an escape hatch) must stay inside the declared scope, which is what the
 * register records and reviewers approved.
 *
 * @param source where the statements come from, for the message (e.g. `a grant (bucket.grantRead)`).
 */
export function checkScopeWidening(statements: AwsGrantedStatement[], declared: AnalysedAwsGrant[], source: string, field = 'scope'): Violation[] {
  const out: Violation[] = [];
  for (const s of statements) {
    const gaps = scopeGaps(s, declared);
    if (gaps.length === 0) continue;
    const byResource = new Map<string, string[]>();
    for (const g of gaps) byResource.set(g.resource, [...new Set([...(byResource.get(g.resource) ?? []), g.action])].sort());
    const shown = [...byResource.entries()].slice(0, 5)
      .map(([r, acts]) => `${acts.length > 8 ? `${acts.slice(0, 8).join(', ')} (+${acts.length - 8} more)` : acts.join(', ')} on ${r}`);
    const more = byResource.size > 5 ? `; and ${byResource.size - 5} more resources` : '';
    // Every privileged or credential-exposing action is named, wherever the lists above stop
    // (a reviewer, and nhi diff reading an accepted finding, judge the finding by them).
    const risky = riskyActions(gaps);
    const named = risky.length > 0 ? `; of these, privileged or exposing credentials: ${risky.length > 40 ? `${risky.slice(0, 40).join(', ')} (+${risky.length - 40} more)` : risky.join(', ')}` : '';
    const suggestion = [...byResource.entries()].slice(0, 3)
      .map(([r, acts]) => `{ actions: ${JSON.stringify(acts)}, resources: [${JSON.stringify(r)}] }`).join(', ');
    out.push(violation('NHI_SCOPE_WIDENED', field,
      `${source} grants more than the declared scope (and the register) says: ${shown.join('; ')}${more}${named}`,
      `declare it in scope so it is analysed and recorded (e.g. ${suggestion}), or grant less (a narrower grant method, or none: the declared scope is already granted)`,
      s.Sid ? `statement ${s.Sid}` : list(s.Action).join(', '), [NhiRisk.NHI5]));
  }
  return out;
}

/** The privileged or credential-exposing actions among the gaps, by their catalogue names, sorted. */
function riskyActions(gaps: AwsScopeGap[]): string[] {
  const out = new Set<string>();
  for (const g of gaps) {
    const info = lookupAction(g.action);
    if (info && (isPrivileged(info) || isCredentialExposing(info.name))) out.add(info.name);
  }
  return [...out].sort();
}

/**
 * NHI_EXPIRY_CONDITION_MISSING: every Allow statement of a governed identity must stop working at
 * its expiry (`DateLessThan aws:CurrentTime` no later than the declared expiry).
 */
export function checkStatementExpiry(statements: AwsGrantedStatement[], expiresAt: string, source: string, field = 'expires'): Violation[] {
  const out: Violation[] = [];
  for (const s of statements) {
    if ((s.Effect ?? 'Allow') !== 'Allow') continue;
    const c = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
    const until = c.DateLessThan?.['aws:CurrentTime'] ?? c.DateLessThanEquals?.['aws:CurrentTime'];
    const ok = typeof until === 'string' && until <= expiresAt && until.length === expiresAt.length;
    if (!ok) {
      out.push(violation('NHI_EXPIRY_CONDITION_MISSING', field,
        `${source} has an Allow statement that does not stop at the identity's expiry (${expiresAt})`,
        `add Condition { DateLessThan: { 'aws:CurrentTime': '${expiresAt}' } } to it, or remove the escape hatch that replaced the governed policy`,
        s.Sid ? `statement ${s.Sid}` : list(s.Action).join(', '), [NhiRisk.NHI1, NhiRisk.NHI7]));
    }
  }
  return out;
}

const READING = new Set(['read', 'list']);

/** A stand-in name for a reference, so that `${Bucket.Arn}/*` can be matched against ARN formats. */
const STAND_IN = 'nhi-reference';

/**
 * The actions (of `actions`) that can apply to `resource`, from the resource types of each action;
 * undefined when that cannot be told (an unknown shape). A reference standing for a whole ARN
 * (`${Bucket.Arn}`, `${Bucket.Arn}/*`) is read as each single-name resource type of the action's
 * service (`arn:aws:s3:::<name>`) followed by the rest.
 */
export function applicableActions(actions: IamActionInfo[], resource: string): IamActionInfo[] | undefined {
  if (resource === '*') return undefined;
  const lead = /^\$\{[^}]*\}|^\$\{Token\[[^\]]*\]\}/.exec(resource);
  const rest = lead ? resource.slice(lead[0].length) : resource;
  if (!lead && isToken(resource)) return undefined;
  if (lead && isToken(rest)) return undefined;
  const out: IamActionInfo[] = [];
  let understood = false;
  for (const info of actions) {
    const svc = info.name.split(':')[0];
    const formats = formatsOf(svc);
    const types = new Set(info.resourceTypes.map((t) => t.toLowerCase()));
    const candidates: ArnParts[] = [];
    if (lead) {
      for (const f of formats) {
        if (f.tokens.filter((t) => 'v' in t).length !== 1) continue;
        const arn = splitArn(fillFormat(f, { region: 'us-east-1', account: '123456789012' }, Object.fromEntries(f.tokens.filter((t) => 'v' in t).map((t) => [(t as any).v, STAND_IN]))) + rest);
        if (arn) candidates.push(arn);
      }
    } else {
      const arn = splitArn(resource);
      if (arn) candidates.push(arn);
    }
    const matching = candidates.flatMap((c) => formats.filter((f) => f.parts.service === c.service && arnMatchesFormat(c, f)));
    if (matching.length > 0) understood = true;
    if (matching.some((f) => types.has(f.type))) out.push(info);
  }
  return understood ? out : undefined;
}

/**
 * NHI_SCOPE_WIDENED for a grant handed to a governed identity (`bucket.grantRead(identity)`), which
 * the identity never receives: its declared scope is what it gets. The grant passes when the
 * declared scope already covers its intent: on every resource the grant names, for reading (access
 * levels Read, List) and for changing (Write, Tagging, Permissions management) alike, if the
 * grant gives any action of that kind there, the scope declares at least one of those actions on
 * it. Otherwise the fix names only what is missing: one action per resource and kind (the grant's
 * own action name where it is one, else the shortest), not the grant's wildcard expansion.
 * Actions that cannot apply to a resource (`s3:ListAllMyBuckets` on a bucket ARN) are ignored.
 * `NotAction` / `NotResource` statements are never covered.
 */
export function checkGrantCoverage(statements: AwsGrantedStatement[], declared: AnalysedAwsGrant[], source: string, field = 'scope'): Violation[] {
  const out: Violation[] = [];
  for (const s of statements) {
    if ((s.Effect ?? 'Allow') !== 'Allow') continue;
    if (s.NotAction !== undefined || s.NotResource !== undefined) {
      out.push(...checkScopeWidening([s], declared, source, field));
      continue;
    }
    const patterns = list(s.Action);
    const expanded = patterns.map((p) => ({ p, infos: (expandActionPattern(p) ?? []).map((a) => lookupAction(a)).filter((x): x is IamActionInfo => x !== undefined) }));
    if (patterns.some((p) => expandActionPattern(p) === undefined)) {
      out.push(...checkScopeWidening([s], declared, source, field));
      continue;
    }
    const all = [...new Map(expanded.flatMap((e) => e.infos).map((i) => [i.name.toLowerCase(), i])).values()];
    const gaps: { resource: string; kind: string; shown: string[]; suggest: string }[] = [];
    const decl = declared.map((g) => ({ ...g, resources: g.resources.map(literalPartition) }));
    for (const given of list(s.Resource)) {
      const r = literalPartition(given);
      const applicable = applicableActions(all, r) ?? all;
      for (const [kind, test] of [['reading', (i: IamActionInfo) => READING.has(i.accessLevel.toLowerCase())], ['changing', (i: IamActionInfo) => !READING.has(i.accessLevel.toLowerCase())]] as const) {
        const cands = applicable.filter(test);
        if (cands.length === 0) continue;
        const names = new Set(cands.map((c) => c.name.toLowerCase()));
        const covered = decl.some((g) => g.actions.some((a) => names.has(a.action.toLowerCase())) && g.resources.some((d) => resourceCovers(d, r)));
        if (covered) continue;
        const shown = expanded.filter((e) => e.infos.some((i) => names.has(i.name.toLowerCase()))).map((e) => e.p);
        gaps.push({ resource: r, kind, shown, suggest: pickAction(patterns, cands) });
      }
    }
    if (gaps.length === 0) continue;
    const text = gaps.slice(0, 5).map((g) => `${g.shown.join(', ')} (${g.kind}) on ${g.resource}`).join('; ') + (gaps.length > 5 ? `; and ${gaps.length - 5} more` : '');
    const byResource = new Map<string, string[]>();
    for (const g of gaps) byResource.set(g.resource, [...new Set([...(byResource.get(g.resource) ?? []), g.suggest])]);
    const suggestion = [...byResource.entries()].slice(0, 4).map(([r, acts]) => `{ actions: ${JSON.stringify(acts)}, resources: [${JSON.stringify(r)}] }`).join(', ');
    out.push(violation('NHI_SCOPE_WIDENED', field,
      `${source} grants more than the declared scope (and the register) says: ${text}; the scope declares none of those actions there`,
      `declare in scope what the workload needs there (e.g. ${suggestion}), or grant less (the declared scope is already granted)`,
      s.Sid ? `statement ${s.Sid}` : patterns.join(', '), [NhiRisk.NHI5]));
  }
  return out;
}

/** A reference standing for the partition (`arn:${AWS::Partition}:...`) read as `aws`. */
function literalPartition(arn: string): string {
  return arn.replace(/^arn:(\$\{AWS::Partition\}|\$\{[^:}]*\}|\$\{Token\[[^\]]*\]\}):/, 'arn:aws:');
}

/** The one action to suggest for a gap: a grant action named exactly, or a wildcard's stem (`s3:GetObject*` -> `s3:GetObject`), else the shortest. */
function pickAction(patterns: string[], cands: IamActionInfo[]): string {
  const byName = new Map(cands.map((c) => [c.name.toLowerCase(), c.name]));
  for (const p of patterns) {
    const stem = p.replace(/\*+$/, '').toLowerCase();
    if (!/[*?]/.test(stem) && byName.has(stem)) return byName.get(stem)!;
  }
  return [...cands].sort((a, b) => a.name.length - b.name.length || (a.name < b.name ? -1 : 1))[0].name;
}
