import { DefaultTokenResolver, StringConcat, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { today as todayOf } from '../core/dates';
import { ungovernedIdentityFinding } from '../core/enforcement';
import { governedAncestor, governedMark } from '../core/governed-marker';
import { Violation } from '../core/violation';
import { Waiver, Waivers } from '../core/waivers';
import { isOwnedBy, verifyStack } from './verification';

/** Options of {@link Governance.enforce}. */
export interface EnforceOptions {
  /**
   * Expiring waivers for findings in this scope (one code on one path, or one resource type).
   * @default - none
   */
  readonly waivers?: Waiver[];
}

const ENFORCED = Symbol.for('nhi-constructs.cdktf.enforced');

/** One finding of the enforcement pass. */
export interface EnforcementFinding {
  /** Construct path of the offending resource. */
  readonly path: string;
  /** Terraform resource type. */
  readonly resourceType: string;
  readonly violation: Violation;
}

/**
 * Stack-wide governance for cdktf: `Governance.of(app).enforce()` makes the synth fail on any
 * identity-bearing resource not created by a governed construct. (Anything that widens a governed
 * identity beyond its declaration fails the synth without it: the artifact verification of every
 * stack with a governed identity; `findings()` returns both.)
 *
 * It is a construct validation on each stack, so it runs in `cdktf synth`, `app.synth()`,
 * `Testing.synth(stack, true)` and `Testing.fullSynth(stack)`, over the stack's final set of
 * resources (including constructs added by aspects). Call it after the stacks are created.
 */
export class Governance {
  /** Governance of a scope: an app, a stack, or any construct below a stack. */
  public static of(scope: IConstruct): Governance {
    return new Governance(scope);
  }

  private constructor(private readonly scope: IConstruct) {}

  /** Enforces governance on every resource in this scope at synth. */
  public enforce(options: EnforceOptions = {}): void {
    if (options.waivers && options.waivers.length > 0) this.waive(...options.waivers);
    const stacks = this.stacks();
    for (const stack of stacks) attach(stack, this.scope);
    if (!isInStack(this.scope)) {
      // Stacks created after enforce(): checked by an app-level validation at synth.
      this.scope.node.addValidation({
        validate: () => this.stacks().filter((s) => !(s as any)[ENFORCED]).flatMap((s) => format(enforcementFindings(s, this.scope))),
      });
    }
  }

  /** Adds expiring waivers on this scope (they also apply to governed constructs' own checks). */
  public waive(...waivers: Waiver[]): void {
    Waivers.of(this.scope).add(...waivers);
  }

  /**
   * Runs the enforcement pass and the artifact verification of governed identities now, and
   * returns their findings in this scope (for tests and tools).
   */
  public findings(): EnforcementFinding[] {
    return this.stacks().flatMap((s) => withVerification(enforcementFindings(s, this.scope), s, this.scope));
  }

  private stacks(): TerraformStack[] {
    if (isInStack(this.scope)) return [TerraformStack.of(this.scope)];
    return this.scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  }
}

function isInStack(scope: IConstruct): boolean {
  return scope.node.scopes.some((s) => TerraformStack.isStack(s));
}

function attach(stack: TerraformStack, scope: IConstruct): void {
  const scopes: IConstruct[] = (stack as any)[ENFORCED] ?? [];
  if (scopes.length === 0) {
    Object.defineProperty(stack, ENFORCED, { value: scopes, enumerable: false });
    stack.node.addValidation({ validate: () => format(scopes.flatMap((s) => enforcementFindings(stack, s))) });
  }
  if (!scopes.includes(scope)) scopes.push(scope);
}

/**
 * Adds the artifact verification's findings (widenings, trusts, credentials, exposures; on by
 * default for every stack with a governed identity, so not repeated by the enforcement pass) to
 * the enforcement findings, each after the findings on the same path.
 */
function withVerification(findings: EnforcementFinding[], stack: TerraformStack, scope: IConstruct): EnforcementFinding[] {
  const prefix = scope.node.path;
  const within = (p: string) => prefix === '' || TerraformStack.isStack(scope) && scope === stack || p === prefix || p.startsWith(`${prefix}/`);
  const out = [...findings];
  for (const f of verifyStack(stack)) {
    if (!within(f.path)) continue;
    const entry = { path: f.path, resourceType: f.resourceType, violation: f.finding.violation };
    let at = out.length;
    for (let i = out.length - 1; i >= 0; i--) if (out[i].path === f.path) { at = i + 1; break; }
    out.splice(at, 0, entry);
  }
  return out;
}

function format(findings: EnforcementFinding[]): string[] {
  return findings.map((f) => {
    const v = f.violation;
    return `[${v.code}] ${f.resourceType} at ${f.path}: ${v.message}. Fix: ${v.fix}`;
  });
}

/** The enforcement pass over one stack, limited to resources at or below `scope`. */
export function enforcementFindings(stack: TerraformStack, scope: IConstruct): EnforcementFinding[] {
  const within = scope.node.path === '' || TerraformStack.isStack(scope) && scope === stack
    ? () => true
    : (c: IConstruct) => c.node.path === scope.node.path || c.node.path.startsWith(`${scope.node.path}/`);
  const resources = stack.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource);
  const resolver = new DefaultTokenResolver(new StringConcat());
  const resolve = (r: TerraformResource): Record<string, unknown> => {
    const tf = r.toTerraform() as any;
    const body = tf?.resource?.[r.terraformResourceType]?.[r.friendlyUniqueId] ?? {};
    return Tokenization.resolve(body, { scope: stack, resolver, preparing: false });
  };

  const now = todayOf(scope);
  const findings: EnforcementFinding[] = [];
  for (const r of resources) {
    if (!within(r)) continue;
    // Resources a governed construct created itself are its declaration; anything added into its
    // scope later is checked like any other resource.
    const owner = governedAncestor(r);
    if (owner && (governedMark(owner) !== 'identity' || isOwnedBy(owner, r))) continue;
    const type = r.terraformResourceType;
    const found: Violation[] = [];
    const attrs = type.startsWith('google_service_account_iam_') ? resolve(r) : undefined;
    const identity = ungovernedIdentityFinding(type, attrs);
    if (identity) found.push(identity);
    for (const v of Waivers.of(r).filter(r.node.path, found, now, type)) {
      findings.push({ path: r.node.path, resourceType: type, violation: v });
    }
  }
  return findings;
}
