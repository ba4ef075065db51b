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

  test('roles are reported only when asked (most L2 constructs create their own)', () => {
    const { app, stack } = appWithPlugin({ reportUngovernedRoles: true });
    governedStack(stack); // the RestApi creates a CloudWatch role
    expect(findings(app).violations).toEqual(['NHI_UNGOVERNED_IDENTITY']);
    const quiet = appWithPlugin({ reportUngovernedCredentials: false });
    new iam.User(quiet.stack, 'Human');
    expect(findings(quiet.app).violations).toEqual([]);
  });

  test('an acknowledgement with a reason suppresses the finding (recorded in the report)', () => {
    const { app, stack } = appWithPlugin();
    const human = new iam.User(stack, 'BreakGlass');
    Validations.of(human).acknowledge({ id: 'NhiGovernance::NHI_UNGOVERNED_IDENTITY', reason: 'Break-glass user for the legacy FTP bridge, removal tracked in OPS-42' });
    const f = findings(app);
    expect(f.violations).toEqual([]);
    expect(f.suppressed).toEqual(['NHI_UNGOVERNED_IDENTITY']);
    expect(f.message).toBe('');
    const report = fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8');
    expect(report).toContain('Break-glass user for the legacy FTP bridge, removal tracked in OPS-42');
  });

  test('NHI_ACKNOWLEDGEMENT_UNJUSTIFIED: an acknowledgement without a real reason', () => {
    const { app, stack } = appWithPlugin();
    const human = new iam.User(stack, 'BreakGlass');
    Validations.of(human).acknowledge({ id: 'NhiGovernance::NHI_UNGOVERNED_IDENTITY', reason: 'ok' });
    expect(findings(app).violations).toEqual(['NHI_ACKNOWLEDGEMENT_UNJUSTIFIED']);
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
