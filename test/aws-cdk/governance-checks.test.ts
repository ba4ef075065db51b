import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib/core';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GovernedApiKey, GovernedServiceAccount, NhiGovernanceChecks, NhiGovernanceChecksProps } from '../../lib/aws-cdk';
import { Waivers } from '../../lib/core/waivers';
import { apiKeyProps, restApi, saProps, testApp, testStack } from './util';

const STATIC = { justification: 'On-premises batch host cannot assume roles' };

function appWithPlugin(props?: NhiGovernanceChecksProps, appProps = {}): { app: App; stack: Stack } {
  const app = testApp(appProps);
  Validations.of(app).addPlugins(new NhiGovernanceChecks(props));
  return { app, stack: testStack(app) };
}

/** Synthesises; returns the rule names of the NhiGovernance violations (empty if synthesis passed) and of the acknowledged ones. */
function findings(app: App): { violations: string[]; suppressed: string[]; message: string } {
  let message = '';
  try {
    app.synth();
  } catch (e) {
    message = (e as Error).message;
  }
  const file = path.join(app.outdir, 'validation-report.json');
  const report = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { pluginReports: [] };
  const ours = (report.pluginReports as any[]).filter((r) => r.pluginName === 'NhiGovernance');
  const names = (list: any[] | undefined) => (list ?? []).map((v: any) => String(v.ruleName).replace(/^NhiGovernance::/, '')).sort();
  return {
    violations: ours.flatMap((r) => names(r.violations)),
    suppressed: ours.flatMap((r) => names(r.suppressedViolations)),
    message,
  };
}

function governedStack(stack: Stack) {
  const reader = new GovernedServiceAccount(stack, 'Reader', saProps());
  const legacy = new GovernedServiceAccount(stack, 'Legacy', saProps({ name: 'legacy-batch', assumedBy: undefined, staticCredentials: STATIC }));
  const api = restApi(stack);
  const key = new GovernedApiKey(stack, 'Acme', apiKeyProps(api));
  return { reader, legacy, api, key };
}

describe('NhiGovernanceChecks: a stack made of governed constructs passes', () => {
  test('no violations, with the AWS CDK\'s built-in CloudFormation validation on too', () => {
    // The one test with the built-in validation (costly: ~2 s, 300 MB).
    const { app, stack } = appWithPlugin(undefined, { builtinCloudFormationValidation: true });
    governedStack(stack);
    const f = findings(app);
    expect(f.message).toBe('');
    expect(f.violations).toEqual([]);
  });
});

describe('NhiGovernanceChecks: escape hatches on governed identities', () => {
  test('NHI_SCOPE_WIDENED: an override widening the scope policy', () => {
    const { app, stack } = appWithPlugin();
    const { reader } = governedStack(stack);
    (reader.role!.node.defaultChild as iam.CfnRole).addPropertyOverride('Policies.0.PolicyDocument.Statement.0.Action', 's3:*');
    const f = findings(app);
    expect(f.violations).toEqual(['NHI_SCOPE_WIDENED']);
    expect(f.message).toContain('Billing/Reader');
  });

  test('NHI_SCOPE_WIDENED: a raw policy resource attached to the role, and a managed policy ARN', () => {
    const { app, stack } = appWithPlugin();
    const { reader } = governedStack(stack);
    new iam.CfnPolicy(stack, 'Raw', {
      policyName: 'extra',
      roles: [reader.role!.roleName],
      policyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other-bucket/*', Condition: { DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } } }] },
    });
    (reader.role!.node.defaultChild as iam.CfnRole).addPropertyOverride('ManagedPolicyArns', ['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(findings(app).violations).toEqual(['NHI_SCOPE_WIDENED', 'NHI_SCOPE_WIDENED']);
  });

  test('NHI_SCOPE_WIDENED: a policy attached by the same CfnParameter the governed role is named with', () => {
    const { app, stack } = appWithPlugin();
    const { CfnParameter } = require('aws-cdk-lib/core');
    const name = new CfnParameter(stack, 'ReaderName', { type: 'String' }).valueAsString;
    new GovernedServiceAccount(stack, 'Reader', saProps({ name }));
    new iam.CfnPolicy(stack, 'Raw', {
      policyName: 'extra',
      roles: [name],
      policyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other-bucket/*', Condition: { DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } } }] },
    });
    expect(findings(app).violations).toEqual(['NHI_SCOPE_WIDENED']);
  });

  test('NHI_EXPIRY_CONDITION_MISSING: the expiry condition removed from the scope policy', () => {
    const { app, stack } = appWithPlugin();
    const { reader } = governedStack(stack);
    (reader.role!.node.defaultChild as iam.CfnRole).addPropertyDeletionOverride('Policies.0.PolicyDocument.Statement.0.Condition');
    expect(findings(app).violations).toEqual(['NHI_EXPIRY_CONDITION_MISSING']);
  });

  test('NHI_TRUST_ACCOUNT_ROOT (and NHI_EXPIRY_CONDITION_MISSING): the trust policy overridden to trust the account', () => {
    const { app, stack } = appWithPlugin();
    const { reader } = governedStack(stack);
    (reader.role!.node.defaultChild as iam.CfnRole).addPropertyOverride('AssumeRolePolicyDocument', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } } }],
    });
    expect(findings(app).violations).toEqual(['NHI_EXPIRY_CONDITION_MISSING', 'NHI_TRUST_ACCOUNT_ROOT']);
  });

  test('NHI_TRUST_WILDCARD: a trust statement added for everyone', () => {
    const { app, stack } = appWithPlugin();
    const { reader } = governedStack(stack);
    reader.role!.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      actions: ['sts:AssumeRole'], principals: [new iam.AnyPrincipal()], conditions: { DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } },
    }));
    expect(findings(app).violations).toEqual(['NHI_TRUST_WILDCARD']);
  });

  test('NHI_USER_CONSOLE_ACCESS: a console password on the governed user', () => {
    const { app, stack } = appWithPlugin();
    const { legacy } = governedStack(stack);
    (legacy.user!.node.defaultChild as iam.CfnUser).addPropertyOverride('LoginProfile', { Password: 'x', PasswordResetRequired: true });
    expect(findings(app).violations).toEqual(['NHI_USER_CONSOLE_ACCESS']);
  });
});

describe('NhiGovernanceChecks: ungoverned identities, acknowledgements and waivers', () => {
  test('NHI_UNGOVERNED_IDENTITY: an IAM user, an access key and an API key outside governed constructs', () => {
    const { app, stack } = appWithPlugin();
    governedStack(stack);
    const human = new iam.User(stack, 'Human');
    new iam.AccessKey(stack, 'HumanKey', { user: human });
    new apigateway.ApiKey(stack, 'RawKey');
    const f = findings(app);
    expect(f.violations).toEqual(['NHI_UNGOVERNED_IDENTITY', 'NHI_UNGOVERNED_IDENTITY', 'NHI_UNGOVERNED_IDENTITY']);
    expect(f.message).toContain('GovernedServiceAccount with staticCredentials');
  });

  test('roles are reported by default, L2 constructs\' own roles included (the API\'s CloudWatch role); not when turned off', () => {
    const { app, stack } = appWithPlugin();
    governedStack(stack);
    new apigateway.RestApi(stack, 'Logged', { deployOptions: { stageName: 'prod' } }).root.addMethod('GET'); // creates a CloudWatch role
    expect(findings(app).violations).toEqual(['NHI_UNGOVERNED_IDENTITY']);
    const off = appWithPlugin({ reportUngovernedRoles: false });
    new apigateway.RestApi(off.stack, 'Logged', { deployOptions: { stageName: 'prod' } }).root.addMethod('GET');
    expect(findings(off.app).violations).toEqual([]);
    const quiet = appWithPlugin({ reportUngovernedCredentials: false });
    new iam.User(quiet.stack, 'Human');
    expect(findings(quiet.app).violations).toEqual([]);
  });

  test('NHI_ACKNOWLEDGEMENT_UNGOVERNED: a bare Validations.acknowledge of an NHI rule is itself reported (fatal: it cannot be acknowledged away), with the waiver to write', () => {
    const { app, stack } = appWithPlugin();
    const human = new iam.User(stack, 'BreakGlass');
    Validations.of(human).acknowledge({ id: 'NhiGovernance::NHI_UNGOVERNED_IDENTITY', reason: 'Break-glass user for the legacy FTP bridge, removal tracked in OPS-42' });
    Validations.of(stack).acknowledge({ id: 'NhiGovernance::NHI_ACKNOWLEDGEMENT_UNGOVERNED', reason: 'Trying to acknowledge the acknowledgement finding away' });
    const f = findings(app);
    // The CDK suppresses the acknowledged finding, but each bare acknowledgement fails the synth.
    expect(f.suppressed).toEqual(['NHI_UNGOVERNED_IDENTITY']);
    expect(f.violations).toEqual(['NHI_ACKNOWLEDGEMENT_UNGOVERNED', 'NHI_ACKNOWLEDGEMENT_UNGOVERNED']);
    expect(f.message).toContain('Billing/BreakGlass: acknowledgement: Validations.acknowledge of NHI_UNGOVERNED_IDENTITY silences an NHI finding with a reason only');
    expect(f.message).toContain("Waivers.of(scope).add({ code: 'NHI_UNGOVERNED_IDENTITY', path: 'Billing/BreakGlass', owner: { team: '<team>', contact: '<e-mail>' }, " +
      "reason: \"Break-glass user for the legacy FTP bridge, removal tracked in OPS-42\", expires: '<YYYY-MM-DD>' })");
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
    const severities = report.pluginReports.flatMap((r: any) => r.violations).filter((v: any) => /ACKNOWLEDGEMENT/.test(v.ruleName)).map((v: any) => v.severity);
    expect(severities).toEqual(['fatal', 'fatal']);
  });

  test('an acknowledgement backed by a current waiver of the same code is not reported; once the waiver expires it is', () => {
    const waive = (scope: any) => Waivers.of(scope).add({
      code: 'NHI_UNGOVERNED_IDENTITY', path: 'Billing/BreakGlass',
      owner: { team: 'platform', contact: 'platform@example.com' }, reason: 'Break-glass user for the legacy FTP bridge, removal in OPS-42', expires: '2027-01-31',
    });
    const { app, stack } = appWithPlugin();
    const human = new iam.User(stack, 'BreakGlass');
    waive(stack);
    Validations.of(human).acknowledge({ id: 'NhiGovernance::NHI_UNGOVERNED_IDENTITY', reason: 'Waived: see the NHI register' });
    expect(findings(app).violations).toEqual([]);

    const later = appWithPlugin(undefined, { context: { 'nhi:today': '2027-02-15' } });
    const again = new iam.User(later.stack, 'BreakGlass');
    waive(later.stack);
    Validations.of(again).acknowledge({ id: 'NhiGovernance::NHI_UNGOVERNED_IDENTITY', reason: 'Waived: see the NHI register' });
    expect(findings(later.app).violations).toEqual(['NHI_ACKNOWLEDGEMENT_UNGOVERNED', 'NHI_WAIVER_EXPIRED']);
  });

  test('a waiver on the L2 construct path (Billing/BreakGlass) waives the finding on its resource and is listed in the register', () => {
    const { app, stack } = appWithPlugin();
    const human = new iam.User(stack, 'BreakGlass');
    Waivers.of(human).add({
      code: 'NHI_UNGOVERNED_IDENTITY', path: 'Billing/BreakGlass',
      owner: { team: 'platform', contact: 'platform@example.com' }, reason: 'Break-glass user for the legacy FTP bridge, removal in OPS-42', expires: '2027-01-31',
    });
    expect(findings(app).violations).toEqual([]);
    // The stack holds no governed identity: its register exists for the waiver.
    const register = JSON.parse(fs.readFileSync(path.join(app.outdir, 'Billing.nhi-register.json'), 'utf8'));
    expect(register.identities).toEqual([]);
    expect(register.waivers).toEqual([{
      code: 'NHI_UNGOVERNED_IDENTITY', path: 'Billing/BreakGlass', owner: { team: 'platform', contact: 'platform@example.com' },
      reason: 'Break-glass user for the legacy FTP bridge, removal in OPS-42', expires: '2027-01-31',
    }]);
  });

  test('a core waiver (expiring, with an owner) waives the finding; an expired one does not', () => {
    const { app, stack } = appWithPlugin();
    new iam.User(stack, 'Legacy');
    Waivers.of(stack).add({
      code: 'NHI_UNGOVERNED_IDENTITY', resourceType: 'AWS::IAM::User',
      owner: { team: 'platform', contact: 'platform@example.com' }, reason: 'Legacy users migrate to governed identities in Q1', expires: '2027-01-31',
    });
    expect(findings(app).violations).toEqual([]);

    const later = appWithPlugin(undefined, { context: { 'nhi:today': '2027-02-15' } });
    new iam.User(later.stack, 'Legacy');
    Waivers.of(later.stack).add({
      code: 'NHI_UNGOVERNED_IDENTITY', resourceType: 'AWS::IAM::User',
      owner: { team: 'platform', contact: 'platform@example.com' }, reason: 'Legacy users migrate to governed identities in Q1', expires: '2027-01-31',
    });
    expect(findings(later.app).violations).toEqual(['NHI_UNGOVERNED_IDENTITY', 'NHI_WAIVER_EXPIRED']);
  });
});

describe('NhiGovernanceChecks: the plugin itself', () => {
  test('name, rule ids, and the report when called directly', () => {
    const plugin = new NhiGovernanceChecks();
    expect(plugin.name).toBe('NhiGovernance');
    expect(plugin.ruleIds).toEqual(expect.arrayContaining(['NHI_SCOPE_WIDENED', 'NHI_UNGOVERNED_IDENTITY', 'NHI_TRUST_ACCOUNT_ROOT']));
    const app = testApp();
    const stack = testStack(app);
    new iam.User(stack, 'Human');
    const asm = app.synth();
    const art = asm.getStackByName('Billing');
    const report = plugin.validate({
      templatePaths: [art.templateFullPath],
      stackTemplates: [{ stackConstructPath: 'Billing', templatePath: art.templateFullPath, accountId: undefined, region: undefined }],
      appConstruct: app,
    } as any);
    expect(report.success).toBe(false);
    expect(report.violations[0]).toEqual(expect.objectContaining({
      ruleName: 'NHI_UNGOVERNED_IDENTITY',
      severity: 'error',
      violatingResources: [expect.objectContaining({ resourceLogicalId: expect.stringMatching(/^Human/), locations: ['Type'] })],
    }));
  });
});

describe('NhiGovernanceChecks: L2 constructs get their role from a governed service account (role: sa)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lambda = require('aws-cdk-lib/aws-lambda') as typeof import('aws-cdk-lib/aws-lambda');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const s3 = require('aws-cdk-lib/aws-s3') as typeof import('aws-cdk-lib/aws-s3');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Template } = require('aws-cdk-lib/assertions') as typeof import('aws-cdk-lib/assertions');
  const code = () => lambda.Code.fromInline('exports.handler = async () => ({})');
  const LOGS = 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/billing-report:*';

  function governedFunction(stack: Stack) {
    const sa = new GovernedServiceAccount(stack, 'ReportRole', saProps({
      name: undefined,
      scope: [
        { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/reports/*'] },
        { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [LOGS] },
      ],
    }));
    const fn = new lambda.Function(stack, 'Report', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: code(), functionName: 'billing-report', role: sa });
    return { sa, fn };
  }

  test('Compliance: a lambda.Function given role: sa runs as the governed role; no ungoverned role, synthesis passes', () => {
    const { app, stack } = appWithPlugin();
    const { sa, fn } = governedFunction(stack);
    expect(fn.role).toBe(sa);
    const t = Template.fromStack(stack);
    // The only other role is the library's notice scheduler (governance plumbing).
    const roles = Object.keys(t.findResources('AWS::IAM::Role')).filter((id) => !id.startsWith('NhiNotices'));
    expect(roles).toEqual([stack.getLogicalId(sa.role!.node.defaultChild as iam.CfnRole)]);
    t.hasResourceProperties('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [roles[0], 'Arn'] } });
    expect(findings(app)).toEqual({ violations: [], suppressed: [], message: '' });
  });

  test('Noncompliance: a grant to the function beyond the governed role\'s scope fails synthesis with NHI_SCOPE_WIDENED', () => {
    const { app, stack } = appWithPlugin();
    const { fn } = governedFunction(stack);
    s3.Bucket.fromBucketName(stack, 'Other', 'other-bucket').grantReadWrite(fn);
    expect(() => app.synth()).toThrow(/NHI_SCOPE_WIDENED[\s\S]*other-bucket/);
  });

  test('Noncompliance: a lambda.Function with its own role: the finding names the function and shows role: sa', () => {
    const { app, stack } = appWithPlugin();
    new lambda.Function(stack, 'Report', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: code() });
    const f = findings(app);
    expect(f.violations).toEqual(['NHI_UNGOVERNED_IDENTITY']);
    expect(f.message).toContain('Billing/Report creates it as its own role');
    expect(f.message).toContain("give Billing/Report a governed role: const sa = new GovernedServiceAccount(this, 'Role'");
    expect(f.message).toContain("new lambda.Function(this, 'Fn', { ..., role: sa })");
  });

  test('Noncompliance: a managed policy attached through the iam.IRole interface fails synthesis with NHI_SCOPE_WIDENED', () => {
    const { app, stack } = appWithPlugin();
    const { sa } = governedFunction(stack);
    (sa as iam.IRole).addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'));
    expect(() => app.synth()).toThrow(/NHI_SCOPE_WIDENED[\s\S]*ReadOnlyAccess/);
  });

  test('Compliance: an ECS task definition takes it as its task role', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ecs = require('aws-cdk-lib/aws-ecs') as typeof import('aws-cdk-lib/aws-ecs');
    const { app, stack } = appWithPlugin();
    const sa = new GovernedServiceAccount(stack, 'TaskRole', saProps({ name: undefined, assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));
    const task = new ecs.FargateTaskDefinition(stack, 'Task', { taskRole: sa });
    expect(task.taskRole).toBe(sa);
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', { TaskRoleArn: { 'Fn::GetAtt': [stack.getLogicalId(sa.role!.node.defaultChild as iam.CfnRole), 'Arn'] } });
    expect(findings(app).violations).toEqual([]);
  });

  test('the governed service account is an iam.IRole: ARN, name, grants; with static credentials using it as a role throws', () => {
    const stack = testStack();
    const { sa } = governedFunction(stack);
    const role: iam.IRole = sa;
    expect(stack.resolve(role.roleArn)).toEqual(stack.resolve(sa.role!.roleArn));
    expect(stack.resolve(role.roleName)).toEqual(stack.resolve(sa.role!.roleName));
    expect(role.stack).toBe(stack);
    expect(role.assumeRoleAction).toBe('sts:AssumeRole');
    const deployer = new iam.Role(stack, 'Deployer', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    role.grantPassRole(deployer);
    const passRole = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(passRole).toContain('iam:PassRole');
    const legacy = new GovernedServiceAccount(stack, 'Legacy', saProps({ name: 'legacy-batch', assumedBy: undefined, staticCredentials: STATIC }));
    expect(() => new lambda.Function(stack, 'Batch', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: code(), role: legacy }))
      .toThrow(/GovernanceError|needs a role, and an identity with static credentials is an IAM user/);
  });
});
