import * as iam from 'aws-cdk-lib/aws-iam';
import { attachCustomSynthesis, CfnResource, ISynthesisSession, Stack, Stage } from 'aws-cdk-lib/core';
import { Construct, IConstruct } from 'constructs';
import type * as check from './verification-check';
import { lazyModule } from '../../core/private/lazy';

// The template check (the core artifact model and rules) loads when the first stage is synthesised.
const templateCheck = lazyModule(() => require('./verification-check') as typeof check);

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

/** A governed construct as declared for verification (internal). */
export interface Declared {
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
    const check = (session: ISynthesisSession) => templateCheck().checkTemplates(stage, byStack, session);
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

/** The governed identities declared in a stack (internal, for the template check). */
export function declaredIn(stack: Stack): Declared[] {
  const stage: Construct = Stage.of(stack) ?? (stack.node.root as Construct);
  return ((stage as any)[DECLARED] as Map<Stack, Declared[]> | undefined)?.get(stack) ?? [];
}
