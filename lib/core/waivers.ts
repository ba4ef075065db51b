import { IConstruct } from 'constructs';
import { Owner } from './contract';
import { parseIsoDate, today as todayOf } from './dates';
import { GovernanceError } from './governance-error';
import { WAIVER_HOOKS } from './private/waiver-hooks';
import { DEFAULT_POLICY, GovernancePolicy } from './policy';
import { checkExpiry } from './rules/expiry';
import { checkOwner } from './rules/owner';
import { checkPurpose } from './rules/purpose';
import { NhiRisk, Violation, violation } from './violation';

/**
 * An acknowledged finding that expires. It waives one code on one construct path, or one code on
 * every resource of one type (for legacy resources), and carries an owner, a reason and an
 * expiry under the same rules as an identity. An expired waiver stops waiving and is named in
 * the error that follows.
 */
export interface Waiver {
  /** The finding's code, e.g. `NHI_UNGOVERNED_IDENTITY` or `NHI_SCOPE_PRIVILEGED`. */
  readonly code: string;
  /**
   * The construct path the finding is reported on (exact match).
   * @default - none; then resourceType is required
   */
  readonly path?: string;
  /**
   * A resource type (`aws_iam_user`, `AWS::IAM::User`, `google_service_account_key`): the code is
   * waived on every resource of that type.
   * @default - none; then path is required
   */
  readonly resourceType?: string;
  /** Who accepted the risk. */
  readonly owner: Owner;
  /** Why the finding is acceptable for now, in words a reviewer understands. */
  readonly reason: string;
  /** Last day the waiver holds, `YYYY-MM-DD`; within the policy's maximum lifetime. */
  readonly expires: string;
}

const SYMBOL = Symbol.for('nhi-constructs.Waivers');
// Targets register their hooks (onWaiversAdded) without loading this module.
export { onWaiversAdded } from './private/waiver-hooks';

/** Checks a waiver's own declaration (not whether it has expired: that is reported at use). */
export function checkWaiver(w: unknown, today: string, maxLifetimeDays: number, field = 'waiver'): Violation[] {
  const o = (w && typeof w === 'object' ? w : {}) as Partial<Waiver>;
  const out: Violation[] = [];
  if (typeof o.code !== 'string' || !/^NHI_[A-Z0-9_]+$/.test(o.code)) {
    out.push(violation('NHI_WAIVER_INVALID', `${field}.code`, 'must be a finding code such as NHI_UNGOVERNED_IDENTITY', 'copy the code from the error', o.code, [NhiRisk.NHI1]));
  }
  const hasPath = typeof o.path === 'string' && o.path !== '';
  const hasType = typeof o.resourceType === 'string' && o.resourceType !== '';
  if (hasPath === hasType) {
    out.push(violation('NHI_WAIVER_INVALID', field, 'must name exactly one of path or resourceType', 'waive one finding on one construct path, or one resource type for legacy resources',
      { path: o.path, resourceType: o.resourceType }, [NhiRisk.NHI1]));
  }
  const prefix = (vs: Violation[]) => vs.map((v) => ({ ...v, field: `${field}.${v.field}` }));
  out.push(...prefix(checkOwner(o.owner, { ...DEFAULT_POLICY, maxLifetimeDays })));
  out.push(...prefix(checkPurpose(o.reason, 'reason')));
  // A past date is reported when the waiver is used (NHI_WAIVER_EXPIRED), not here.
  const past = parseIsoDate(o.expires) !== undefined && parseIsoDate(o.expires)! <= parseIsoDate(today)!;
  if (!past) out.push(...prefix(checkExpiry(o.expires, today, { ...DEFAULT_POLICY, maxLifetimeDays })));
  return out;
}

/** Waivers declared on a construct scope, inherited by everything below it. */
export class Waivers {
  /** The waivers of a scope. */
  public static of(scope: IConstruct): Waivers {
    return new Waivers(scope);
  }

  private constructor(private readonly scope: IConstruct) {}

  /** Adds waivers on this scope; throws a GovernanceError if one is malformed. */
  public add(...waivers: Waiver[]): void {
    const now = todayOf(this.scope);
    const max = GovernancePolicy.of(this.scope).resolve().maxLifetimeDays;
    const violations = waivers.flatMap((w, i) => checkWaiver(w, now, max, `waivers[${i}]`));
    GovernanceError.throwIfAny(`Waivers on ${this.scope.node.path || '<app>'}`, violations);
    const existing: Waiver[] = (this.scope as any)[SYMBOL] ?? [];
    Object.defineProperty(this.scope, SYMBOL, { value: [...existing, ...waivers], configurable: true, enumerable: false, writable: true });
    for (const hook of ((globalThis as any)[WAIVER_HOOKS] ?? []) as ((scope: IConstruct) => void)[]) hook(this.scope);
  }

  /**
   * Every waiver that applies within this scope: those in force on it (declared on it or above)
   * and those declared on any construct below it. A stack's register lists these.
   */
  public withinScope(): Waiver[] {
    const out = new Set<Waiver>(this.inForce());
    for (const c of this.scope.node.findAll()) {
      for (const w of ((c as any)[SYMBOL] ?? []) as Waiver[]) out.add(w);
    }
    return [...out];
  }

  /**
   * The current waivers in force on this scope (declared on it or above) that cover `code` for
   * this scope or anything below it: a waiver of the code on a resource type, or on a path at or
   * below the scope.
   */
  public covering(code: string, today?: string): Waiver[] {
    const now = parseIsoDate(today ?? todayOf(this.scope))!;
    const path = this.scope.node.path;
    return this.inForce().filter((w) => w.code === code && parseIsoDate(w.expires)! > now &&
      (w.resourceType !== undefined || (w.path !== undefined && (path === '' || w.path === path || w.path.startsWith(`${path}/`)))));
  }

  /** Every waiver declared on this scope or above it, root first. */
  public inForce(): Waiver[] {
    return this.scope.node.scopes.flatMap((s) => ((s as any)[SYMBOL] ?? []) as Waiver[]);
  }

  /**
   * Removes the findings a current waiver covers. A finding covered only by expired waivers stays,
   * and each such waiver adds an NHI_WAIVER_EXPIRED finding that names it.
   *
   * @param path the construct path the findings are about
   * @param resourceType the resource type they are about, if any
   * @param otherPaths other paths a waiver may name for the same findings (the L2 construct around a resource)
   */
  public filter(path: string, violations: Violation[], today?: string, resourceType?: string, otherPaths?: string[]): Violation[] {
    if (violations.length === 0) return violations;
    const all = this.inForce();
    if (all.length === 0) return violations;
    const now = today ?? todayOf(this.scope);
    const out: Violation[] = [];
    const expiredNamed = new Set<Waiver>();
    for (const v of violations) {
      const matching = all.filter((w) => matches(w, v.code, path, resourceType, otherPaths));
      const current = matching.filter((w) => parseIsoDate(w.expires)! > parseIsoDate(now)!);
      if (current.length > 0) continue;
      out.push(v);
      for (const w of matching) {
        if (expiredNamed.has(w)) continue;
        expiredNamed.add(w);
        out.push(violation('NHI_WAIVER_EXPIRED', 'waiver',
          `the waiver of ${w.code} on ${w.path ?? w.resourceType} (owner ${w.owner.team}, reason "${w.reason}") expired on ${w.expires}, so it no longer waives`,
          'fix the finding, or have the waiver owner renew it with a new expiry and reason', w.expires, [NhiRisk.NHI1]));
      }
    }
    return out;
  }

  /**
   * The current waiver in force on this scope that covers a finding (the one `filter` removes it
   * for), or undefined.
   *
   * @param otherPaths other paths a waiver may name for the same finding (as in `filter`)
   */
  public waiverFor(path: string, code: string, today?: string, resourceType?: string, otherPaths?: string[]): Waiver | undefined {
    const now = parseIsoDate(today ?? todayOf(this.scope))!;
    return this.inForce().find((w) => matches(w, code, path, resourceType, otherPaths) && parseIsoDate(w.expires)! > now);
  }
}

/** True if the waiver names this code on this path (or one of `otherPaths`) or resource type. */
function matches(w: Waiver, code: string, path: string, resourceType?: string, otherPaths?: string[]): boolean {
  return w.code === code &&
    (w.path === path || (w.path !== undefined && (otherPaths ?? []).includes(w.path)) || (resourceType !== undefined && w.resourceType === resourceType));
}

/** The register view of waivers: sorted, stable key order. */
export function registerWaivers(waivers: Waiver[]): Record<string, unknown>[] {
  return waivers
    .map((w) => ({
      code: w.code,
      ...(w.path ? { path: w.path } : {}),
      ...(w.resourceType ? { resourceType: w.resourceType } : {}),
      owner: { team: w.owner.team, contact: w.owner.contact },
      reason: w.reason,
      expires: w.expires,
    }))
    .sort((a, b) => {
      const ka = `${a.code}|${(a as any).path ?? ''}|${(a as any).resourceType ?? ''}`;
      const kb = `${b.code}|${(b as any).path ?? ''}|${(b as any).resourceType ?? ''}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}
