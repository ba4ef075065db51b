// The artifact check of synthesised templates against the governed identities declared in them
// (./verification.ts declares; this module, with the core artifact model and rules, loads at synthesis).
import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, ISynthesisSession, Stack } from 'aws-cdk-lib/core';
import { Construct, IConstruct } from 'constructs';
import { setAccepted } from './accepted';
import { factsOf } from './facts';
import { Declared, declaredIn, DeclaredTrust } from './verification';
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

/**
 * After every stack of the stage has written its template: checks each template with governed
 * identities against their declarations, rewrites the stack's register with what waivers accepted,
 * and (without the NhiGovernanceChecks plugin, which reports them) throws on the findings.
 */
export function checkTemplates(stage: Construct, byStack: Map<Stack, Declared[]>, session: ISynthesisSession): void {
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
  const list = declaredIn(stack);
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
