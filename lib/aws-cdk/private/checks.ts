// The NhiGovernanceChecks plugin's rules (../governance-checks.ts), loaded at the plugin's first
// validation, not when nhi-constructs/lib/aws-cdk is imported.
import * as fs from 'fs';
import * as path from 'path';
import {
  CfnResource,
  IPolicyValidationContext,
  PolicyValidationPluginReport,
  PolicyViolation,
  Stack,
  Stage,
  Validations,
} from 'aws-cdk-lib/core';
import { IConstruct } from 'constructs';
import { flattenDeep } from './cfn';
import { artifactFindings } from './verification-check';
import { factsOf, GovernedFacts } from './facts';
import { acknowledgementFinding, IDENTITY_RESOURCE_TYPES, ungovernedIdentityFinding } from '../../core/enforcement';
import { governedAncestor } from '../../core/governed-marker';
import { awsPrincipalReaches, trustFromPrincipalJson } from '../../core/rules/aws-principal';
import { checkEnvironmentCrossing } from '../../core/rules/lifecycle';
import { AwsGrantedStatement, checkScopeWidening, checkStatementExpiry } from '../../core/rules/aws-widening';
import { NhiRisk, Violation, violation } from '../../core/violation';
import { Waivers } from '../../core/waivers';

type Template = { Resources?: Record<string, { Type: string; Properties?: any }> };

/** The plugin's options, resolved. */
export interface ChecksOptions {
  readonly reportUngoverned: boolean;
  readonly reportRoles: boolean;
}

/** Validates the synthesised templates (NhiGovernanceChecks.validate, loaded at its first call). */
export function validateTemplates(context: IPolicyValidationContext, options: ChecksOptions): PolicyValidationPluginReport {
  const root = context.appConstruct;
  const governed: GovernedFacts[] = [];
  const stacks: Stack[] = [];
  for (const c of root.node.findAll()) {
    const f = factsOf(c);
    if (f) governed.push(f);
    if (Stack.isStack(c)) stacks.push(c);
  }
  const violations: PolicyViolation[] = [];
  for (const st of context.stackTemplates) {
    const templatePath = st.templatePath;
    const file = path.basename(templatePath);
    const stack = stacks.find((s) => s.templateFile === file && s.node.path === st.stackConstructPath)
      ?? stacks.find((s) => s.templateFile === file);
    if (!stack) continue;
    const template = JSON.parse(fs.readFileSync(templatePath, 'utf8')) as Template;
    const inStack = governed.filter((g) => g.stack === stack);
    const own = checkStack(stack, template, templatePath, inStack, options);
    violations.push(...own);
    // The artifact check (on by default, core): what this plugin's own rules did not report.
    // A resource this plugin already reports is not reported again.
    const seen = new Set(own.flatMap((v) => v.violatingResources.map((r) => r.resourceLogicalId)));
    for (const f of artifactFindings(stack, template)) {
      if (seen.has(f.logicalId)) continue;
      violations.push({
        ruleName: f.violation.code,
        description: `${f.path}: ${f.violation.message}`,
        fix: f.violation.fix,
        severity: 'error',
        ruleMetadata: { risks: f.violation.risks.join(',') },
        violatingResources: [{ resourceLogicalId: f.logicalId, templatePath, locations: [] }],
      });
    }
  }
  violations.push(...checkAcknowledgements(root));
  return { success: violations.length === 0, violations };
}

function checkStack(stack: Stack, template: Template, templatePath: string, governed: GovernedFacts[], options: ChecksOptions): PolicyViolation[] {
  const resources = template.Resources ?? {};
  const out: PolicyViolation[] = [];
  const byLogicalId = new Map<string, CfnResource>();
  for (const c of stack.node.findAll()) {
    if (CfnResource.isCfnResource(c) && Stack.of(c) === stack) byLogicalId.set(stack.resolve(c.logicalId) as string, c);
  }
  const report = (logicalId: string, location: string, identityPath: string, found: Violation[]) => {
    const construct = byLogicalId.get(logicalId);
    // Expiring core waivers apply on the finding's construct path (or its resource type), or on
    // the path of the L2 construct whose default child the resource is.
    const l2 = construct?.node.scope;
    const l2Path = construct && l2 && l2.node.defaultChild === construct && identityPath === construct.node.path ? [l2.node.path] : [];
    const vs = construct
      ? Waivers.of(construct).filter(identityPath, found, undefined, resources[logicalId]?.Type, l2Path)
      : found;
    for (const v of vs) {
      out.push({
        ruleName: v.code,
        description: `${identityPath}: ${v.field}: ${v.message}${v.given ? ` (given: ${v.given})` : ''}`,
        fix: v.fix,
        severity: 'error',
        ruleMetadata: { risks: v.risks.join(',') },
        violatingResources: [{ resourceLogicalId: logicalId, templatePath, locations: [location] }],
      });
    }
  };
  const logicalIdOf = (r: CfnResource) => stack.resolve(r.logicalId) as string;

  for (const g of governed) {
    if (!g.identity || !g.grants) continue;
    const id = logicalIdOf(g.identity);
    const res = resources[id];
    if (!res) continue;
    const declared = g.grants();
    const props = res.Properties ?? {};
    // By reference (Ref, or an expression on its ARN: an imported role), by its literal name, or
    // by the same expression its name is given with (a CfnParameter, Fn::Join).
    const name = props[g.identityKind === 'role' ? 'RoleName' : 'UserName'];
    const nameJson = name !== undefined && typeof name === 'object' ? JSON.stringify(name) : undefined;
    const refersTo = (list: unknown) => Array.isArray(list) && list.some((x) => x !== undefined && x !== null &&
      (typeof x === 'string' ? x === name : JSON.stringify(x).includes(`"${id}"`) || JSON.stringify(x) === nameJson));
    const policyChecks = (statements: AwsGrantedStatement[], source: string, logicalId: string, location: string) => {
      report(logicalId, location, g.path, [
        ...checkScopeWidening(statements, declared, source),
        ...checkStatementExpiry(statements, g.expiresAt, source),
      ]);
    };
    for (const [i, pol] of (props.Policies ?? []).entries()) {
      const doc = flattenDeep(pol.PolicyDocument) as { Statement?: AwsGrantedStatement[] };
      policyChecks(doc.Statement ?? [], `inline policy ${pol.PolicyName}`, id, `Properties/Policies/${i}`);
    }
    for (const [i, arn] of (props.ManagedPolicyArns ?? []).entries()) {
      report(id, `Properties/ManagedPolicyArns/${i}`, g.path, [violation('NHI_SCOPE_WIDENED', 'scope',
        `managed policy ${JSON.stringify(flattenDeep(arn))} is attached: its permissions are not in the declared scope (or the register) and do not expire`,
        'detach it and declare the actions the workload needs in scope', flattenDeep(arn), [NhiRisk.NHI5])]);
    }
    const attachKey = g.identityKind === 'role' ? 'Roles' : 'Users';
    const singleKey = g.identityKind === 'role' ? 'RoleName' : 'UserName';
    const singleType = g.identityKind === 'role' ? 'AWS::IAM::RolePolicy' : 'AWS::IAM::UserPolicy';
    for (const [lid, r] of Object.entries(resources)) {
      if (((r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') && refersTo(r.Properties?.[attachKey])) ||
        (r.Type === singleType && refersTo([r.Properties?.[singleKey]]))) {
        const doc = flattenDeep(r.Properties?.PolicyDocument) as { Statement?: AwsGrantedStatement[] };
        policyChecks(doc?.Statement ?? [], `${r.Type} ${lid}`, lid, 'Properties/PolicyDocument');
      }
      if (g.identityKind === 'user' && r.Type === 'AWS::IAM::UserToGroupAddition' && refersTo(r.Properties?.Users)) {
        report(lid, 'Properties/Users', g.path, [violation('NHI_SCOPE_WIDENED', 'scope',
          `adds the governed user to group ${JSON.stringify(flattenDeep(r.Properties?.GroupName))}: the group's permissions are not in the declared scope (or the register) and do not expire`,
          'remove the group membership and declare the actions the workload needs in scope', lid, [NhiRisk.NHI5])]);
      }
      if (g.identityKind === 'user' && r.Type === 'AWS::IAM::AccessKey' && refersTo([r.Properties?.UserName])) {
        report(lid, 'Properties/UserName', g.path, [violation('NHI_SCOPE_WIDENED', 'staticCredentials',
          'an AWS::IAM::AccessKey for a governed user puts its secret in CloudFormation and is never rotated',
          'remove it: the governed rotation function creates, stores and rotates the key', lid, [NhiRisk.NHI2, NhiRisk.NHI7])]);
      }
    }
    if (g.identityKind === 'role') {
      const doc = flattenDeep(props.AssumeRolePolicyDocument) as { Statement?: any[] };
      for (const [i, s] of (doc?.Statement ?? []).entries()) {
        if (s.Effect !== 'Allow') continue;
        const field = `trust policy statement ${i}`;
        const ctx = g.trustContext ?? {};
        const v = trustFromPrincipalJson(s.Principal, s.Condition, field, { vendor: ctx.vendor, justification: ctx.justification, ownAccount: ctx.ownAccount }).violations;
        const justified = typeof ctx.justification === 'string' && ctx.justification.trim() !== '';
        const crossing = g.policy ? checkEnvironmentCrossing(g.environment, awsPrincipalReaches(s.Principal, field, justified), g.policy) : [];
        report(id, `Properties/AssumeRolePolicyDocument/Statement/${i}`, g.path, [
          ...v,
          ...crossing,
          ...checkStatementExpiry([s], g.expiresAt, 'the trust policy'),
        ]);
      }
    } else if (props.LoginProfile) {
      report(id, 'Properties/LoginProfile', g.path, [violation('NHI_USER_CONSOLE_ACCESS', 'staticCredentials',
        'a governed user has a console password: a non-human identity must never be used by a human', 'remove the LoginProfile',
        'LoginProfile', [NhiRisk.NHI10])]);
    }
  }

  if (options.reportUngoverned || options.reportRoles) {
    for (const [lid, r] of Object.entries(resources)) {
      if (!IDENTITY_RESOURCE_TYPES[r.Type] || (r.Type === 'AWS::IAM::Role' ? !options.reportRoles : !options.reportUngoverned)) continue;
      const construct = byLogicalId.get(lid);
      if (construct && governedAncestor(construct)) continue;
      const finding = ungovernedIdentityFinding(r.Type, undefined, { createdBy: construct ? createdBy(construct) : undefined });
      if (finding) report(lid, 'Type', construct?.node.path ?? `${stack.node.path}/${lid}`, [finding]);
    }
  }
  return out;
}

/**
 * The construct that created a role for itself: the nearest construct above the `iam.Role` (whose
 * default child is the `CfnRole`) other than a stack or stage, e.g. `Billing/Fn` for
 * `Billing/Fn/ServiceRole/Resource`. Undefined for a role declared directly in a stack.
 */
function createdBy(cfn: IConstruct): string | undefined {
  const l2 = cfn.node.scope && cfn.node.scope.node.defaultChild === cfn ? cfn.node.scope : cfn;
  const parent = l2.node.scope;
  if (!parent || Stack.isStack(parent) || Stage.isStage(parent) || !parent.node.scope) return undefined;
  return parent.node.path;
}

/**
 * An acknowledgement of an NhiGovernance rule (`Validations.acknowledge`) silences a finding with a
 * reason only. Unless a current waiver of the same code covers the acknowledging construct, it is
 * reported as NHI_ACKNOWLEDGEMENT_UNGOVERNED with severity `fatal`, which the AWS CDK never lets an
 * acknowledgement suppress (so it cannot acknowledge itself away).
 */
function checkAcknowledgements(root: IConstruct): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  for (const c of root.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !m.data) continue;
      for (const [id, reason] of Object.entries(m.data as Record<string, string>)) {
        if (!id.startsWith('NhiGovernance::')) continue;
        const code = id.slice('NhiGovernance::'.length);
        if (Waivers.of(c).covering(code).length > 0) continue;
        const v = acknowledgementFinding(code, c.node.path, String(reason ?? ''));
        out.push({
          ruleName: v.code,
          description: `${c.node.path}: ${v.field}: ${v.message}`,
          fix: v.fix,
          severity: 'fatal',
          ruleMetadata: { risks: v.risks.join(',') },
          violatingResources: [{ constructPath: c.node.path, locations: [] }],
        });
      }
    }
  }
  return out;
}
