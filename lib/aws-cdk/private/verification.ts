import * as fs from 'fs';
import * as path from 'path';
import * as iam from 'aws-cdk-lib/aws-iam';
import { attachCustomSynthesis, CfnResource, ISynthesisSession, Stack, Stage } from 'aws-cdk-lib/core';
import { Construct, IConstruct } from 'constructs';
import { setAccepted } from './accepted';
import { factsOf } from './facts';
import { NhiRegister } from '../register';
import { artifactFromCloudFormation, cloudFormationReference, flattenIntrinsics } from '../../core/artifact/cloudformation';
import { evaluateTemplate, renderValue } from '../../core/artifact/expression';
import { IdentityDeclaration } from '../../core/artifact/model';
import { extractTerraformView } from '../../core/artifact/terraform';
import { checkArtifact } from '../../core/rules/artifact';
import { isToken } from '../../core/rules/aws-scope';
import { GovernanceError } from '../../core/private/governance-error-class';
import { RegisterAcceptedFinding } from '../../core/register';
import { Violation } from '../../core/violation';
import { Waivers } from '../../core/waivers';

const DECLARED = Symbol.for('nhi-constructs.aws-cdk.verification');

/** What a governed construct declares besides its facts (internal). */
export interface VerificationOptions {
  /**
   * The governed role: its trust policy as it is now (assumedBy, as the construct created it) is
   * the declaration the template's AssumeRolePolicyDocument must match exactly.
   */
  readonly trust?: iam.Role;
  /** An API key's usage plan: the keys it admits are the key's credentials. */
  readonly usagePlan?: CfnResource;
  /** An API key's key: on any other usage plan, it works on that plan's stages too. */
  readonly apiKey?: CfnResource;
  /** An API key's declared stages (tokens, resolved with the template). */
  readonly apiStages?: { restApiId: string; stage: string }[];
}

interface Declared {
  readonly construct: IConstruct;
  readonly fromToken: () => boolean[][];
  readonly options: VerificationOptions;
  /** The CloudFormation resources the construct itself created (its declaration). */
  readonly owned: CfnResource[];
  /** The declared trust policy, resolved when the template is checked. */
  readonly trust?: DeclaredTrust;
}

/**
 * The trust policy as the role was created with it (assumedBy, with the expiry and external-id
 * conditions): a copy of its statements, resolved when the template is checked (as the template's
 * own document is, so references to other stacks become the same imports). Statements added later
 * through the L2 API are not part of it.
 *
 * Resolving is most of the check's cost, and it is only needed when something could have made the
 * template's document differ from the resolution of these statements: the role's document holds
 * other statements now, the CloudFormation property was replaced, or an override (addOverride,
 * addPropertyOverride, a deletion override) touches it. Otherwise the template's document is, by
 * how the AWS CDK renders it, the resolution of the declared statements.
 */
export function declaredTrust(stack: Stack, role: iam.Role | undefined): DeclaredTrust | undefined {
  const doc = role?.assumeRolePolicy;
  if (!role || !doc) return undefined;
  const statements: unknown = (doc as any).statements;
  const originals = Array.isArray(statements) && statements.every((x) => x instanceof iam.PolicyStatement) ? [...statements as iam.PolicyStatement[]] : undefined;
  const copy = originals ? new iam.PolicyDocument({ statements: originals.map((x) => x.copy()) }) : iam.PolicyDocument.fromJson(doc.toJSON());
  const cfn = role.node.defaultChild as iam.CfnRole | undefined;
  const untouched = () => {
    if (!originals || !cfn || cfn.assumeRolePolicyDocument !== doc) return false;
    const now: unknown = (doc as any).statements;
    if (!Array.isArray(now) || now.length !== originals.length || now.some((x, i) => x !== originals[i])) return false;
    const overrides: unknown = (cfn as any).rawOverrides;
    if (!overrides || typeof overrides !== 'object') return false;
    const props: unknown = (overrides as any).Properties;
    return props === undefined || (typeof props === 'object' && props !== null && !('AssumeRolePolicyDocument' in props));
  };
  return { untouched, resolve: () => stack.resolve(copy) };
}

/** A declared trust policy. */
export interface DeclaredTrust {
  /** True if the template's document is the resolution of the declared statements (nothing changed them). */
  readonly untouched: () => boolean;
  /** The declared document, resolved. */
  readonly resolve: () => unknown;
}

/**
 * Declares a governed AWS CDK identity for artifact verification (on by default): after every
 * stack of its stage has written its template, the stage checks each template with governed
 * identities against their declarations, and synthesis fails on any finding no waiver covers.
 */
export function declareForVerification(construct: IConstruct, rawResources: () => boolean[][], options: VerificationOptions = {}): void {
  const stack = Stack.of(construct);
  const stage: Construct = Stage.of(stack) ?? (stack.node.root as Construct);
  let byStack: Map<Stack, Declared[]> = (stage as any)[DECLARED];
  if (!byStack) {
    byStack = new Map();
    Object.defineProperty(stage, DECLARED, { value: byStack, enumerable: false });
    const check = (session: ISynthesisSession) => {
      const violations: Violation[] = [];
      for (const [s] of byStack) {
        const file = path.join(session.outdir, s.templateFile);
        if (!fs.existsSync(file)) continue;
        const accepted = new Map<string, RegisterAcceptedFinding[]>();
        for (const f of artifactFindings(s, JSON.parse(fs.readFileSync(file, 'utf8')), accepted)) {
          violations.push({ ...f.violation, field: `${f.type} at ${f.path}` });
        }
        // The register says what the template holds: the declaration plus what waivers accepted.
        setAccepted(s, accepted);
        const register = path.join(session.outdir, NhiRegister.fileName(s));
        if (accepted.size > 0 && fs.existsSync(register)) fs.writeFileSync(register, NhiRegister.of(s).render());
      }
      // With the NhiGovernanceChecks plugin, its report carries these findings (it runs later).
      if (hasPlugin(stage)) return;
      // Like every other governance failure: a GovernanceError listing every finding.
      GovernanceError.throwIfAny(`the synthesised templates of ${stage.node.path || 'the app'} (artifact verification)`, violations);
    };
    try {
      // The stage is visited after every stack in it (post-order), so every template is written.
      attachCustomSynthesis(stage, { onSynthesize: check });
    } catch {
      attachCustomSynthesis(new Construct(stage, 'NhiArtifactVerification'), { onSynthesize: check });
    }
  }
  const list = byStack.get(stack) ?? [];
  byStack.set(stack, list);
  const owned = construct.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
  const trust = declaredTrust(stack, options.trust);
  list.push({ construct, fromToken: rawResources, options, owned, ...(trust ? { trust } : {}) });
}

function hasPlugin(stage: Construct): boolean {
  // The stage's registered plugins (Validations.of(app).addPlugins), read without the deprecated getter.
  const plugins: { name?: string }[] = (stage as any)._policyValidation ?? [];
  return plugins.some((p) => p?.name === 'NhiGovernance');
}

/** One finding of the artifact check on a template, waivers applied. */
export interface TemplateFinding {
  readonly logicalId: string;
  readonly path: string;
  readonly type: string;
  readonly violation: Violation;
}

/** The artifact check of one synthesised template against the stack's governed identities. */
export function artifactFindings(stack: Stack, template: any, accepted?: Map<string, RegisterAcceptedFinding[]>): TemplateFinding[] {
  const stage: Construct = Stage.of(stack) ?? (stack.node.root as Construct);
  const list = ((stage as any)[DECLARED] as Map<Stack, Declared[]> | undefined)?.get(stack) ?? [];
  if (list.length === 0) return [];
  const types: Record<string, string> = {};
  for (const [id, r] of Object.entries<any>(template.Resources ?? {})) types[id] = String(r?.Type ?? '');
  const byLogicalId = new Map<string, CfnResource>();
  const idOf = new Map<CfnResource, string>();
  const paths: Record<string, string> = {};
  for (const c of stack.node.findAll()) {
    if (CfnResource.isCfnResource(c) && Stack.of(c) === stack) {
      const id = stack.resolve(c.logicalId) as string;
      byLogicalId.set(id, c);
      idOf.set(c, id);
      paths[id] = c.node.path.replace(/\/Resource$/, '');
    }
  }
  const artifact = artifactFromCloudFormation(template, paths);
  // Artifact addresses by logical id (one CloudFormation resource may become several).
  const addressesOf = new Map<string, string[]>();
  for (const r of artifact.resources) {
    const id = logicalIdOf(r.address);
    addressesOf.set(id, [...(addressesOf.get(id) ?? []), r.address]);
  }
  const ownedAddresses = (owned: CfnResource[]) => owned.flatMap((c) => addressesOf.get(idOf.get(c) ?? stack.resolve(c.logicalId) as string) ?? []);
  // `${Logical.Attr}` (the construct's flattened view) in the extraction's reference syntax.
  const toRef = (s: string) => s.replace(/\$\{([A-Za-z0-9:]+)(?:\.([A-Za-z0-9.]+))?\}/g, (_m, id: string, attr?: string) => `\${${cloudFormationReference(types, id, attr)}}`);
  // A declared token as the extraction renders the template's value (cross-stack: the same import).
  const text = (v: string) => {
    const f = flattenIntrinsics(stack.resolve(v), types);
    return typeof f === 'string' ? renderValue(evaluateTemplate(f, () => undefined)) : JSON.stringify(f);
  };
  // A declared trust as the extraction renders the template's (JSON text of the flattened document):
  // when the template holds it verbatim, the flattened document the extraction already made.
  const roles = new Map(artifact.resources.filter((r) => r.type === 'aws_iam_role').map((r) => [r.address, r.values]));
  const trustText = (t: DeclaredTrust, id: string) => {
    const flat = roles.get(`aws_iam_role.${id}`)?.assume_role_policy;
    return JSON.stringify(flat !== undefined && t.untouched() ? flat : flattenIntrinsics(t.resolve(), types));
  };
  const declarations: IdentityDeclaration[] = [];
  for (const { construct, fromToken, options, owned, trust } of list) {
    const g = factsOf(construct);
    if (!g) continue;
    if (options.usagePlan) {
      // An API key: its usage plan is the identity, the keys the plan admits its credentials.
      const plan = stack.resolve(options.usagePlan.logicalId) as string;
      declarations.push({
        path: g.path, cloud: 'aws', names: [],
        addresses: [`aws_api_gateway_usage_plan.${plan}`, ...(options.apiKey ? [`aws_api_gateway_api_key.${idOf.get(options.apiKey) ?? stack.resolve(options.apiKey.logicalId)}`] : [])],
        owned: ownedAddresses(owned), expiresAt: g.expiresAt,
        apiStages: (options.apiStages ?? []).map((x) => `${text(x.restApiId)}/${text(x.stage)}`),
      });
      continue;
    }
    if (!g.identity || !g.grants) continue;
    const id = stack.resolve(g.identity.logicalId) as string;
    const props = template.Resources?.[id]?.Properties ?? {};
    const name = props[g.identityKind === 'role' ? 'RoleName' : 'UserName'];
    const tokens = fromToken();
    declarations.push({
      path: g.path,
      cloud: 'aws',
      addresses: [`${g.identityKind === 'role' ? 'aws_iam_role' : 'aws_iam_user'}.${id}`],
      names: typeof name === 'string' && !isToken(name) ? [name] : [],
      owned: ownedAddresses(owned),
      expiresAt: g.expiresAt,
      awsGrants: g.grants().map((x, i) => ({
        actions: x.actions.map((a) => a.action),
        resources: x.resources.map(toRef),
        fromToken: x.resources.map((_r, j) => tokens[i]?.[j] ?? false),
      })),
      // The trust as declared, in the extraction's terms (intrinsics as references): compared exactly.
      ...(trust !== undefined ? { awsTrustPolicy: trustText(trust, id) } : {}),
    });
  }
  if (declarations.length === 0) return [];
  const findings = checkArtifact(declarations, extractTerraformView(artifact, declarations));
  const out: TemplateFinding[] = [];
  for (const f of findings) {
    const logicalId = logicalIdOf(f.source.address);
    const construct: IConstruct = byLogicalId.get(logicalId) ?? stack;
    const where = f.source.path ?? `${stack.node.path}/${logicalId}`;
    const waivers = Waivers.of(construct);
    for (const v of waivers.filter(where, [f.violation], undefined, f.source.type)) {
      out.push({ logicalId, path: where, type: f.source.type, violation: v });
    }
    const w = accepted && f.identity !== undefined ? waivers.waiverFor(where, f.violation.code, undefined, f.source.type) : undefined;
    if (w) {
      const list = accepted!.get(f.identity!) ?? [];
      accepted!.set(f.identity!, list);
      list.push({
        code: f.violation.code, source: where, resourceType: f.source.type, attribute: f.source.attribute, message: f.violation.message,
        waiver: { reason: w.reason, expires: w.expires, owner: w.owner.team },
      });
    }
  }
  return out;
}

/** The logical id of an extracted resource's address (`aws_iam_user_policy.User_policy0` → `User`). */
function logicalIdOf(address: string): string {
  return address.split('.')[1]?.replace(/_(policy\d+|managed|groups|login|attachment|policy)$/, '') ?? '';
}
