import { DefaultTokenResolver, StringConcat, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { Artifact, DeclaredGoogleGrant, DeclaredGoogleUser, IdentityDeclaration } from '../core/artifact/model';
import { artifactFromTerraformJson, extractTerraformView } from '../core/artifact/terraform';
import { today as todayOf } from '../core/dates';
import { RegisterAcceptedFinding } from '../core/register';
import { GovernanceError } from '../core/governance-error';
import { ArtifactFinding, checkArtifact } from '../core/rules/artifact';
import { isToken } from '../core/rules/aws-scope';
import { Waivers } from '../core/waivers';

/** What a governed cdktf construct declares, before tokens are resolved (internal). */
export interface CdktfIdentityDeclaration {
  readonly cloud: string;
  /** The principal resources (role, user, service account; an API key's usage plan). */
  readonly principals: TerraformResource[];
  /** Literal names, ARNs and e-mails of the principal (tokens are skipped). */
  readonly names: string[];
  readonly expiresAt: string;
  readonly awsGrants?: { actions: string[]; resources: string[] }[];
  readonly awsTrustPolicy?: string;
  /** The identity policy text the construct attaches, rendered from `awsGrants` (with the expiry condition). */
  readonly awsPolicy?: string;
  readonly googleGrants?: (DeclaredGoogleGrant & { justification?: string })[];
  readonly googleCondition?: string;
  readonly googleUsers?: DeclaredGoogleUser[];
  /** API key: the stages its usage plan admits. */
  readonly apiStages?: { restApiId: string; stage: string }[];
  /** Google: the policy's `forbiddenActions` (matched against the permissions of custom roles of the stack). */
  readonly forbiddenActions?: string[];
  /** Google: the policy's `forbidProjectWideDataAccess`. */
  readonly forbidProjectWideDataAccess?: boolean;
}

interface Declared {
  readonly construct: IConstruct;
  readonly input: CdktfIdentityDeclaration;
  readonly owned: TerraformResource[];
}

const DECLARED = Symbol.for('nhi-constructs.cdktf.verification');
const OWNED = Symbol.for('nhi-constructs.cdktf.owned');
const ACCEPTED = Symbol.for('nhi-constructs.cdktf.accepted');

/** The Terraform address of a resource (`aws_iam_role.Sa_Role_189EC1A1`). */
export function terraformAddress(r: TerraformResource): string {
  return `${r.terraformResourceType}.${r.friendlyUniqueId}`;
}

/**
 * Declares a governed identity for artifact verification. Call at the end of the governed
 * construct's constructor: every resource below it now is its own (its declaration); anything
 * added later, inside or outside it, is checked against the declaration.
 *
 * The first declaration in a stack turns the verification on for the stack: on by default for
 * every stack that contains a governed identity. It runs as one of the stack's validations
 * (`app.synth()`, `cdktf synth`, `Testing.synth(stack, true)`, `Testing.fullSynth`), and also
 * when the stack's JSON is built without validations (`Testing.synth(stack)`), where findings
 * throw a GovernanceError: no synthesised JSON of a stack with a governed identity skips it.
 */
export function declareIdentity(construct: IConstruct, input: CdktfIdentityDeclaration): void {
  const owned = construct.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource);
  Object.defineProperty(construct, OWNED, { value: new Set(owned), enumerable: false });
  const stack = TerraformStack.of(construct);
  let list: Declared[] = (stack as any)[DECLARED];
  if (!list) {
    list = [];
    Object.defineProperty(stack, DECLARED, { value: list, enumerable: false });
    guard(stack);
  }
  list.push({ construct, input, owned });
}

/** The stack's own `toTerraform` (its class's), without the guard. */
function buildJson(stack: TerraformStack): unknown {
  return Object.getPrototypeOf(stack).toTerraform.call(stack);
}

/**
 * Adds the verification to the stack's validations, and guards `toTerraform()`: synthesis calls
 * it right after the validations (cdktf's stack synthesizer and `Testing.synth`), so the JSON the
 * validation just verified is handed over once instead of being built twice (it is the larger
 * part of the check's cost; if the tree changed in between, it is built and verified again).
 * Without a validation before it, the JSON is verified there, and findings throw.
 */
function guard(stack: TerraformStack): void {
  let verified: { tf: unknown; count: number } | undefined;
  stack.node.addValidation({
    validate: () => {
      const tf = buildJson(stack);
      const count = countConstructs(stack);
      verified = { tf, count };
      return format(verifyStack(stack, tf, count));
    },
  });
  Object.defineProperty(stack, 'toTerraform', {
    configurable: true,
    writable: true,
    value: () => {
      const last = verified;
      verified = undefined;
      if (last && countConstructs(stack) === last.count) return last.tf;
      const tf = buildJson(stack);
      const findings = verifyStack(stack, tf);
      if (findings.length > 0) {
        throw new GovernanceError(stack.node.path, findings.map((f) => ({
          ...f.finding.violation,
          message: `${f.resourceType} at ${f.path}: ${f.finding.violation.message}`,
        })));
      }
      return tf;
    },
  });
}

/** True if the resource was created by the governed construct `owner` itself (part of its declaration). */
export function isOwnedBy(owner: IConstruct, r: TerraformResource): boolean {
  const set: Set<TerraformResource> | undefined = (owner as any)[OWNED];
  return set === undefined ? true : set.has(r);
}

/** One finding of artifact verification on a cdktf stack. */
export interface VerificationFinding {
  /** Construct path of the offending element (or its Terraform address). */
  readonly path: string;
  /** Terraform resource type (`output` for an output). */
  readonly resourceType: string;
  readonly finding: ArtifactFinding;
}

/**
 * Verifies a stack's final Terraform JSON (after every override, as cdk.tf.json will hold it)
 * against the declarations of its governed identities. Returns the findings no waiver covers.
 */
export function verifyStack(stack: TerraformStack, json?: unknown, constructCount?: number): VerificationFinding[] {
  const list: Declared[] = (stack as any)[DECLARED] ?? [];
  if (list.length === 0) return [];
  const artifact = artifactFromTerraformJson(json ?? buildJson(stack));
  return verifyArtifact(stack, list, artifact, constructCount ?? countConstructs(stack));
}

/** Constructs in the stack's tree: a change of the tree since a verification changes it. */
function countConstructs(stack: TerraformStack): number {
  let n = 0;
  const walk = (c: IConstruct): void => {
    n++;
    for (const child of c.node.children) walk(child);
  };
  walk(stack);
  return n;
}

function verifyArtifact(stack: TerraformStack, list: Declared[], artifact: Artifact, constructCount: number): VerificationFinding[] {
  const accepted = new Map<string, RegisterAcceptedFinding[]>();
  const resolver = new DefaultTokenResolver(new StringConcat());
  const resolve = (v: unknown): any => (v !== null && typeof v === 'object' || typeof v === 'string' && isToken(v)
    ? Tokenization.resolve(v, { scope: stack, resolver, preparing: false }) : v);
  const declarations: IdentityDeclaration[] = list.map(({ construct, input, owned }) => ({
    path: construct.node.path,
    cloud: input.cloud,
    addresses: input.principals.map(terraformAddress),
    names: input.names.filter((n) => typeof n === 'string' && !isToken(n)),
    owned: owned.map(terraformAddress),
    expiresAt: input.expiresAt,
    ...(input.awsGrants ? {
      awsGrants: input.awsGrants.map((g) => ({
        actions: g.actions,
        resources: g.resources.map((r) => String(resolve(r))),
        fromToken: g.resources.map((r) => isToken(r)),
      })),
    } : {}),
    ...(input.awsTrustPolicy !== undefined ? { awsTrustPolicy: String(resolve(input.awsTrustPolicy)) } : {}),
    // Only a text without references: a token's synthesised value (a wildcard, say) is compared.
    ...(input.awsPolicy !== undefined && !input.awsPolicy.includes('${') && !(input.awsGrants ?? []).some((g) => g.resources.some((r) => isToken(r)))
      ? { awsPolicyText: input.awsPolicy } : {}),
    ...(input.googleGrants ? {
      googleGrants: input.googleGrants.map((g) => ({
        role: String(resolve(g.role)), target: g.target, resource: String(resolve(g.resource)),
        roleFromToken: isToken(g.role), justified: !!g.justification,
        ...(typeof g.justification === 'string' ? { justification: g.justification } : {}),
      })),
    } : {}),
    ...(input.googleCondition !== undefined ? { googleCondition: input.googleCondition } : {}),
    ...(input.apiStages ? { apiStages: input.apiStages.map((x) => `${String(resolve(x.restApiId))}/${String(resolve(x.stage))}`) } : {}),
    ...(input.googleUsers ? { googleUsers: input.googleUsers.map((u) => ({ member: String(resolve(u.member)), role: String(resolve(u.role)) })) } : {}),
    ...(input.forbiddenActions && input.forbiddenActions.length > 0 ? { forbiddenActions: input.forbiddenActions } : {}),
    ...(input.forbidProjectWideDataAccess ? { forbidProjectWideDataAccess: true } : {}),
  }));
  const view = extractTerraformView(artifact, declarations);
  // What each identity's custom roles of the stack hold in the final JSON (the register lists it).
  const customRoles = new Map<string, Map<string, readonly string[]>>();
  for (const g of view.grants) {
    const permissions = g.googleCustomRole?.permissions;
    if (permissions === undefined || g.googleRole === undefined) continue;
    const roles = customRoles.get(g.identity) ?? new Map<string, readonly string[]>();
    customRoles.set(g.identity, roles);
    roles.set(g.googleRole, permissions);
  }
  Object.defineProperty(stack, ACCEPTED, { value: { count: constructCount, accepted, customRoles }, configurable: true, enumerable: false });
  const findings = checkArtifact(declarations, view);
  if (findings.length === 0) return [];

  // Waivers: on the offending construct's path or above it, or on its resource type.
  const byPath = new Map<string, IConstruct>();
  for (const c of stack.node.findAll()) byPath.set(c.node.path, c);
  const now = todayOf(stack);
  const out: VerificationFinding[] = [];
  for (const f of findings) {
    const path = f.source.path ?? f.source.address;
    const scope = byPath.get(path) ?? stack;
    const waivers = Waivers.of(scope);
    for (const v of waivers.filter(path, [f.violation], now, f.source.type, f.waiverPaths)) {
      out.push({ path, resourceType: f.source.type, finding: { ...f, violation: v } });
    }
    const w = f.identity !== undefined ? waivers.waiverFor(path, f.violation.code, now, f.source.type, f.waiverPaths) : undefined;
    if (w) {
      const list = accepted.get(f.identity!) ?? [];
      accepted.set(f.identity!, list);
      list.push({
        code: f.violation.code, source: path, resourceType: f.source.type, attribute: f.source.attribute, message: f.violation.message,
        waiver: { reason: w.reason, expires: w.expires, owner: w.owner.team },
      });
    }
  }
  return out;
}

/**
 * What the stack's final JSON holds for each governed identity beyond its declaration, accepted by
 * a waiver (by identity path): the register lists it, so it says what the artifact holds. Computed
 * by the last verification of the stack, or now if the tree changed since.
 */
export function acceptedFindings(stack: TerraformStack): Map<string, RegisterAcceptedFinding[]> {
  return lastVerification(stack)?.accepted ?? new Map();
}

/**
 * The permissions of the custom roles of the stack each governed identity is granted, as the
 * stack's final JSON holds them (by identity path, then by the role as the binding names it:
 * `${google_project_iam_custom_role.r.name}` or `projects/<p>/roles/<id>`). Roles whose
 * permissions cannot be read at synth are absent.
 */
export function customRolePermissions(stack: TerraformStack): Map<string, Map<string, readonly string[]>> {
  return lastVerification(stack)?.customRoles ?? new Map();
}

interface LastVerification {
  readonly count: number;
  readonly accepted: Map<string, RegisterAcceptedFinding[]>;
  readonly customRoles: Map<string, Map<string, readonly string[]>>;
}

/** The stack's last verification, run again if the tree changed since. */
function lastVerification(stack: TerraformStack): LastVerification | undefined {
  const last: LastVerification | undefined = (stack as any)[ACCEPTED];
  if (last && last.count === countConstructs(stack)) return last;
  verifyStack(stack);
  return (stack as any)[ACCEPTED];
}

function format(findings: VerificationFinding[]): string[] {
  return findings.map((f) => {
    const v = f.finding.violation;
    return `[${v.code}] ${f.resourceType} at ${f.path}: ${v.message}. Fix: ${v.fix}`;
  });
}
