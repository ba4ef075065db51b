import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, CfnResource, ISynthesisSession, Stack, Stage } from 'aws-cdk-lib/core';
import { Construct, IConstruct } from 'constructs';
import { factsOf } from './facts';
import { artifactFromCloudFormation, cloudFormationReference } from '../../core/artifact/cloudformation';
import { IdentityDeclaration } from '../../core/artifact/model';
import { extractTerraformView } from '../../core/artifact/terraform';
import { checkArtifact } from '../../core/rules/artifact';
import { isToken } from '../../core/rules/aws-scope';
import { GovernanceError } from '../../core/private/governance-error-class';
import { Violation } from '../../core/violation';
import { Waivers } from '../../core/waivers';

const DECLARED = Symbol.for('nhi-constructs.aws-cdk.verification');

/**
 * Declares a governed AWS CDK identity for artifact verification (on by default): after every
 * stack of its stage has written its template, the stage checks each template with governed
 * identities against their declarations, and synthesis fails on any finding no waiver covers.
 */
export function declareForVerification(construct: IConstruct, rawResources: () => boolean[][]): void {
  const stack = Stack.of(construct);
  const stage: Construct = Stage.of(stack) ?? (stack.node.root as Construct);
  let byStack: Map<Stack, { construct: IConstruct; fromToken: () => boolean[][] }[]> = (stage as any)[DECLARED];
  if (!byStack) {
    byStack = new Map();
    Object.defineProperty(stage, DECLARED, { value: byStack, enumerable: false });
    const check = (session: ISynthesisSession) => {
      // With the NhiGovernanceChecks plugin, its report carries these findings (it runs later).
      if (hasPlugin(stage)) return;
      const violations: Violation[] = [];
      for (const [s] of byStack) {
        const file = path.join(session.outdir, s.templateFile);
        if (!fs.existsSync(file)) continue;
        for (const f of artifactFindings(s, JSON.parse(fs.readFileSync(file, 'utf8')))) {
          violations.push({ ...f.violation, field: `${f.type} at ${f.path}` });
        }
      }
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
  list.push({ construct, fromToken: rawResources });
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
export function artifactFindings(stack: Stack, template: any): TemplateFinding[] {
  const stage: Construct = Stage.of(stack) ?? (stack.node.root as Construct);
  const list = ((stage as any)[DECLARED] as Map<Stack, { construct: IConstruct; fromToken: () => boolean[][] }[]> | undefined)?.get(stack) ?? [];
  if (list.length === 0) return [];
  const types: Record<string, string> = {};
  for (const [id, r] of Object.entries<any>(template.Resources ?? {})) types[id] = String(r?.Type ?? '');
  const byLogicalId = new Map<string, CfnResource>();
  const paths: Record<string, string> = {};
  for (const c of stack.node.findAll()) {
    if (CfnResource.isCfnResource(c) && Stack.of(c) === stack) {
      const id = stack.resolve(c.logicalId) as string;
      byLogicalId.set(id, c);
      paths[id] = c.node.path.replace(/\/Resource$/, '');
    }
  }
  // `${Logical.Attr}` (the construct's flattened view) in the extraction's reference syntax.
  const toRef = (s: string) => s.replace(/\$\{([A-Za-z0-9:]+)(?:\.([A-Za-z0-9.]+))?\}/g, (_m, id: string, attr?: string) => `\${${cloudFormationReference(types, id, attr)}}`);
  const declarations: IdentityDeclaration[] = [];
  for (const { construct, fromToken } of list) {
    const g = factsOf(construct);
    if (!g || !g.identity || !g.grants) continue;
    const id = stack.resolve(g.identity.logicalId) as string;
    const props = template.Resources?.[id]?.Properties ?? {};
    const name = props[g.identityKind === 'role' ? 'RoleName' : 'UserName'];
    const tokens = fromToken();
    declarations.push({
      path: g.path,
      cloud: 'aws',
      addresses: [`${g.identityKind === 'role' ? 'aws_iam_role' : 'aws_iam_user'}.${id}`],
      names: typeof name === 'string' && !isToken(name) ? [name] : [],
      owned: [],
      expiresAt: g.expiresAt,
      awsGrants: g.grants().map((x, i) => ({
        actions: x.actions.map((a) => a.action),
        resources: x.resources.map(toRef),
        fromToken: x.resources.map((_r, j) => tokens[i]?.[j] ?? false),
      })),
    });
  }
  if (declarations.length === 0) return [];
  const artifact = artifactFromCloudFormation(template, paths);
  const findings = checkArtifact(declarations, extractTerraformView(artifact, declarations));
  const out: TemplateFinding[] = [];
  for (const f of findings) {
    const logicalId = f.source.address.split('.')[1]?.replace(/_(policy\d+|managed|groups|login|attachment|policy)$/, '') ?? '';
    const construct: IConstruct = byLogicalId.get(logicalId) ?? stack;
    const where = f.source.path ?? `${stack.node.path}/${logicalId}`;
    for (const v of Waivers.of(construct).filter(where, [f.violation], undefined, f.source.type)) {
      out.push({ logicalId, path: where, type: f.source.type, violation: v });
    }
  }
  return out;
}
