import { DefaultTokenResolver, StringConcat, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { today as todayOf } from '../core/dates';
import { isGrantResourceType, ungovernedIdentityFinding, wideningFinding } from '../core/enforcement';
import { governedAncestor, governedMark } from '../core/governed-marker';
import { Violation } from '../core/violation';
import { Waiver, Waivers } from '../core/waivers';
import { isOwnedBy } from './verification';

/** Options of {@link Governance.enforce}. */
export interface EnforceOptions {
  /**
   * Expiring waivers for findings in this scope (one code on one path, or one resource type).
   * @default - none
   */
  readonly waivers?: Waiver[];
}

/** Resource types that are the principal of an identity (what grants attach to). */
const PRINCIPAL_TYPES = new Set(['aws_iam_role', 'aws_iam_user', 'google_service_account']);
const ENFORCED = Symbol.for('nhi-constructs.cdktf.enforced');
const REFERENCE = /\b([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.[a-z_]+/g;
/** Google service account e-mails inside a string (`projects/p/serviceAccounts/<e-mail>`, IAM policy JSON, ...). */
const GOOGLE_SA_EMAIL = /([a-z][-a-z0-9]{4,28}[a-z0-9])@[a-z][-a-z0-9]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com/g;

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
 * identity-bearing resource not created by a governed construct, and on any grant that widens a
 * governed identity from outside its declaration.
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

  /** Runs the enforcement pass now and returns its findings (for tests and tools). */
  public findings(): EnforcementFinding[] {
    return this.stacks().flatMap((s) => enforcementFindings(s, this.scope));
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

  // Principals of governed identities, by Terraform address and by literal name.
  const governedByAddress = new Map<string, string>();
  const governedByName = new Map<string, string>();
  for (const r of resources) {
    if (!PRINCIPAL_TYPES.has(r.terraformResourceType)) continue;
    const owner = governedAncestor(r);
    if (!owner || governedMark(owner) !== 'identity') continue;
    governedByAddress.set(`${r.terraformResourceType}.${r.friendlyUniqueId}`, owner.node.path);
    const attrs = resolve(r);
    for (const k of ['name', 'account_id', 'email']) {
      const v = attrs[k];
      if (typeof v === 'string' && !v.includes('${')) governedByName.set(v, owner.node.path);
    }
  }

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
    const needsAttrs = type.startsWith('google_service_account_iam_') || isGrantResourceType(type);
    const attrs = needsAttrs ? resolve(r) : undefined;
    const identity = ungovernedIdentityFinding(type, attrs);
    if (identity) found.push(identity);
    if (attrs && isGrantResourceType(type)) {
      const text = JSON.stringify(attrs);
      const targets = new Set<string>();
      for (const m of text.matchAll(REFERENCE)) {
        const path = governedByAddress.get(`${m[1]}.${m[2]}`);
        if (path) targets.add(path);
      }
      for (const v of Object.values(attrs)) {
        for (const s of Array.isArray(v) ? v : [v]) {
          if (typeof s !== 'string') continue;
          const bare = s.replace(/^(serviceAccount|user|group):/, '');
          const path = governedByName.get(bare) ?? governedByName.get(bare.split('@')[0]);
          if (path) targets.add(path);
          // Google accounts named inside a longer string: a service account id or an IAM policy document.
          if (!path && s.includes('.gserviceaccount.com')) {
            for (const m of s.matchAll(GOOGLE_SA_EMAIL)) {
              const inner = governedByName.get(m[0]) ?? governedByName.get(m[1]);
              if (inner) targets.add(inner);
            }
          }
        }
      }
      for (const t of [...targets].sort()) found.push(wideningFinding(type, t));
    }
    for (const v of Waivers.of(r).filter(r.node.path, found, now, type)) {
      findings.push({ path: r.node.path, resourceType: type, violation: v });
    }
  }
  return findings;
}
