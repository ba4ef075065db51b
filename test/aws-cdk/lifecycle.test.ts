import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib/core';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GovernedApiKey, GovernedServiceAccount, NhiGovernanceChecks } from '../../lib/aws-cdk';
import { GovernancePolicy } from '../../lib/core/policy';
import { Waivers } from '../../lib/core/waivers';
import { canAssume } from '../helpers/iam-simulate';
import { apiKeyProps, governanceError, OWNER, restApi, saProps, testApp, testStack, TODAY } from './util';

const VENDOR = { name: 'Globex Corp', contact: 'security@globex.example', contractRef: 'DPA-2026-17' };
const ENVIRONMENTS = { prod: ['111111111111'], dev: ['222222222222'] };
const SSO_ROLE = 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef';

const codes = (fn: () => unknown) => governanceError(fn).violations.map((v) => v.code);
const fields = (fn: () => unknown) => governanceError(fn).violations.map((v) => [v.code, v.field]);

function roleNamed(stack: Stack, name: string): any {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role', { Properties: { RoleName: name } }))[0];
}

function tagsOf(resource: any): Record<string, string> {
  return Object.fromEntries((resource.Properties.Tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]));
}

/** Synthesises with the plugin; returns the NhiGovernance rule names reported (sorted) and the error message. */
function pluginFindings(app: App): { violations: string[]; message: string } {
  let message = '';
  try {
    app.synth();
  } catch (e) {
    message = (e as Error).message;
  }
  const file = path.join(app.outdir, 'validation-report.json');
  const report = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { pluginReports: [] };
  const violations = (report.pluginReports as any[]).filter((r) => r.pluginName === 'NhiGovernance')
    .flatMap((r) => (r.violations as any[]).map((v) => String(v.ruleName))).sort();
  return { violations, message };
}

function withPlugin(): { app: App; stack: Stack } {
  const app = testApp();
  Validations.of(app).addPlugins(new NhiGovernanceChecks());
  return { app, stack: testStack(app) };
}

describe('Lifecycle (AWS CDK): system, environment, vendor, approval, tags in tags and the register', () => {
  test('a service account records them in its tags, its register entry and the register file', () => {
    const app = testApp();
    const stack = testStack(app);
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps({
      system: 'billing-reporter', environment: 'prod', approval: { ticket: 'SEC-1234', approvedBy: 'lead@example.com' },
      reuseJustification: 'Blue/green pair of the same reporter during migration', tags: { 'cost-center': 'cc-42' },
    }));
    expect(tagsOf(roleNamed(stack, 'billing-report-reader'))).toMatchObject({
      'nhi:system': 'billing-reporter', 'nhi:environment': 'prod', 'nhi:approval': 'SEC-1234', 'cost-center': 'cc-42',
    });
    expect(sa.registerEntry).toMatchObject({
      system: 'billing-reporter', environment: 'prod', approval: { ticket: 'SEC-1234', approvedBy: 'lead@example.com' },
      reuseJustification: 'Blue/green pair of the same reporter during migration',
    });
    expect(sa.registerEntry.controls).toEqual(['NHI1', 'NHI4', 'NHI5', 'NHI7', 'NHI8', 'NHI9']);
    const asm = app.synth();
    const register = JSON.parse(fs.readFileSync(path.join(asm.directory, 'Billing.nhi-register.json'), 'utf8'));
    expect(register.identities[0]).toMatchObject({ system: 'billing-reporter', environment: 'prod', approval: { ticket: 'SEC-1234' } });
    expect(register.waivers).toEqual([]);
  });

  test('an API key records them too (vendor: tag, register, NHI3 control)', () => {
    const stack = testStack();
    const key = new GovernedApiKey(stack, 'Acme', apiKeyProps(restApi(stack), {
      system: 'partner-orders', environment: 'prod', vendor: VENDOR, expires: '2027-01-31', approval: { ticket: 'SEC-77' },
    }));
    const tags = tagsOf(Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::ApiKey'))[0]);
    expect(tags).toMatchObject({ 'nhi:system': 'partner-orders', 'nhi:environment': 'prod', 'nhi:vendor': 'Globex Corp', 'nhi:approval': 'SEC-77' });
    expect(key.registerEntry).toMatchObject({ system: 'partner-orders', environment: 'prod', vendor: VENDOR, approval: { ticket: 'SEC-77' } });
    expect(key.registerEntry.controls).toEqual(['NHI1', 'NHI2', 'NHI3', 'NHI5', 'NHI7', 'NHI8', 'NHI9']);
  });

  test('the policy can require system, environment, and an approval in prod', () => {
    const app = testApp();
    GovernancePolicy.of(app).apply({ requireSystem: true, requireEnvironment: true, requireApprovalIn: ['prod'], environmentAccounts: ENVIRONMENTS });
    const stack = testStack(app);
    expect(codes(() => new GovernedServiceAccount(stack, 'A', saProps()))).toEqual(['NHI_SYSTEM_MISSING', 'NHI_ENVIRONMENT_MISSING']);
    expect(codes(() => new GovernedServiceAccount(stack, 'B', saProps({ system: 'x', environment: 'prod' })))).toEqual(['NHI_APPROVAL_MISSING']);
    expect(codes(() => new GovernedServiceAccount(stack, 'C', saProps({ system: 'x', environment: 'qa' })))).toEqual(['NHI_ENVIRONMENT_UNKNOWN']);
    new GovernedServiceAccount(stack, 'D', saProps({ system: 'x', environment: 'dev' }));
  });
});

describe('Environment isolation (AWS CDK, NHI8)', () => {
  function prodStack() {
    const app = testApp();
    GovernancePolicy.of(app).apply({ environmentAccounts: ENVIRONMENTS });
    return { app, stack: testStack(app) };
  }

  test('NHI_ENVIRONMENT_CROSSING: a prod identity whose scope or trusted role is in a dev account', () => {
    const { stack } = prodStack();
    expect(fields(() => new GovernedServiceAccount(stack, 'A', saProps({
      environment: 'prod',
      assumedBy: new iam.ArnPrincipal('arn:aws:iam::222222222222:role/dev-worker'),
      scope: [{ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:222222222222:table/orders'] }],
    })))).toEqual([
      ['NHI_ENVIRONMENT_CROSSING', 'scope[0].resources[0]'],
      ['NHI_ENVIRONMENT_CROSSING', 'assumedBy'],
    ]);
    // The reverse too: a dev identity reaching prod.
    expect(codes(() => new GovernedServiceAccount(stack, 'B', saProps({
      environment: 'dev', scope: [{ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:111111111111:orders'] }],
    })))).toEqual(['NHI_ENVIRONMENT_CROSSING']);
  });

  test('accepted when that grant (justification) or the trust (trustJustification) is justified; recorded in the register', () => {
    const { stack } = prodStack();
    const sa = new GovernedServiceAccount(stack, 'A', saProps({
      environment: 'prod',
      assumedBy: new iam.ArnPrincipal('arn:aws:iam::222222222222:role/dev-worker'),
      trustJustification: 'Dev replay worker feeds anonymised prod samples',
      scope: [{ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:222222222222:table/orders'], justification: 'Reads the dev catalogue for synthetic monitoring' }],
    }));
    expect(sa.registerEntry.details).toEqual({
      trust: { roleArns: ['arn:aws:iam::222222222222:role/dev-worker'], justification: 'Dev replay worker feeds anonymised prod samples' },
    });
  });

  test('the policy environment of the scope applies when the identity names none', () => {
    const { app } = prodStack();
    const stack = testStack(app, 'Prod');
    GovernancePolicy.of(stack).apply({ environment: 'prod' });
    expect(codes(() => new GovernedServiceAccount(stack, 'A', saProps({ assumedBy: new iam.ArnPrincipal('arn:aws:iam::222222222222:role/dev-worker') }))))
      .toEqual(['NHI_ENVIRONMENT_CROSSING']);
  });

  test('plugin: a trust statement added by an escape hatch that reaches a dev account is NHI_ENVIRONMENT_CROSSING', () => {
    const { app, stack } = withPlugin();
    GovernancePolicy.of(app).apply({ environmentAccounts: ENVIRONMENTS });
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps({ environment: 'prod' }));
    sa.role!.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      actions: ['sts:AssumeRole'], principals: [new iam.ArnPrincipal('arn:aws:iam::222222222222:role/dev-worker')],
      conditions: { DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } },
    }));
    const f = pluginFindings(app);
    expect(f.violations).toEqual(['NHI_ENVIRONMENT_CROSSING']);
    expect(f.message).toContain('Billing/Reader');
  });
});

describe('Third-party identities (AWS CDK, NHI3)', () => {
  const vendorRoleArn = 'arn:aws:iam::999988887777:role/globex-integration';
  const roleArn = 'arn:aws:iam::123456789012:role/nhi/globex-usage-reader';
  const time = '2027-01-01T00:00:00Z';

  test('without the vendor\'s external id, one is generated per deployment in a secret (never derivable from code); IAM simulation: denied without it', async () => {
    const stack = testStack();
    const sa = new GovernedServiceAccount(stack, 'Globex', saProps({
      name: 'globex-usage-reader', vendor: VENDOR, expires: '2027-01-31', assumedBy: new iam.AccountPrincipal('999988887777'),
    }));
    const template = Template.fromStack(stack).toJSON();
    const [secretId, secret] = Object.entries(template.Resources).find(([, r]: [string, any]) => r.Type === 'AWS::SecretsManager::Secret'
      && r.Properties.Name === 'nhi/globex-usage-reader/external-id') as [string, any];
    expect(secret.Properties.GenerateSecretString).toEqual({ ExcludePunctuation: true, IncludeSpace: false, PasswordLength: 32 });
    expect(JSON.stringify(template)).not.toMatch(/nhi-[0-9a-f]{32}/);
    const trust = roleNamed(stack, 'globex-usage-reader').Properties.AssumeRolePolicyDocument;
    // A dynamic reference: CloudFormation puts the secret's value in the trust at deploy time.
    expect(trust.Statement[0].Condition).toEqual({
      DateLessThan: { 'aws:CurrentTime': '2027-01-31T00:00:00Z' },
      StringEquals: { 'sts:ExternalId': { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] } },
    });
    // What IAM sees after deployment: the generated value is required, and only it.
    const value = 'Zq8TnW2yXb4Kc6Vd9Lf3Gh5Jm7Np1Rs0';
    const doc = JSON.parse(JSON.stringify(trust)
      .replace(/\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},":iam::999988887777:root"\]\]\}/g, '"arn:aws:iam::999988887777:root"')
      .replace(/\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:",\{"Ref":"[^"]+"\},":SecretString:::\}\}"\]\]\}/, `"${value}"`));
    expect(doc.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::999988887777:root' });
    expect(await canAssume(doc, { principal: vendorRoleArn, roleArn, time })).toBe(false);
    expect(await canAssume(doc, { principal: vendorRoleArn, roleArn, time, context: { 'sts:ExternalId': 'wrong' } })).toBe(false);
    expect(await canAssume(doc, { principal: vendorRoleArn, roleArn, time, context: { 'sts:ExternalId': value } })).toBe(true);
    expect(await canAssume(doc, { principal: vendorRoleArn, roleArn, time: '2027-01-31T00:00:01Z', context: { 'sts:ExternalId': value } })).toBe(false);
    expect(sa.registerEntry.vendor).toEqual(VENDOR);
    expect(JSON.stringify(stack.resolve(sa.registerEntry.details))).toContain('{{resolve:secretsmanager:');
    expect(tagsOf(roleNamed(stack, 'globex-usage-reader'))['nhi:vendor']).toBe('Globex Corp');
  });

  test('a given external id is used; a vendor role trust gets one too; one the principal requires is kept, not doubled', () => {
    const stack = testStack();
    const given = new GovernedServiceAccount(stack, 'A', saProps({
      name: 'a', vendor: VENDOR, expires: '2027-01-31', assumedBy: new iam.ArnPrincipal(vendorRoleArn), externalId: 'globex-7f3a',
    }));
    expect(given.externalId).toBe('globex-7f3a');
    expect(given.registerEntry.details).toEqual({ trust: { roleArns: [vendorRoleArn], externalId: 'globex-7f3a' } });
    const onPrincipal = new GovernedServiceAccount(stack, 'B', saProps({
      name: 'b', vendor: VENDOR, expires: '2027-01-31',
      assumedBy: new iam.AccountPrincipal('999988887777').withConditions({ StringEquals: { 'sts:ExternalId': 'globex-b' } }),
    }));
    expect(onPrincipal.externalId).toBe('globex-b');
    expect(roleNamed(stack, 'b').Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals).toEqual({ 'sts:ExternalId': 'globex-b' });
    expect(roleNamed(stack, 'a').Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals).toEqual({ 'sts:ExternalId': 'globex-7f3a' });
  });

  test('NHI_TRUST_ACCOUNT_ROOT: a whole account without a vendor; NHI_TRUST_INVALID: an external id without a vendor, or two different ones', () => {
    const stack = testStack();
    expect(codes(() => new GovernedServiceAccount(stack, 'A', saProps({ assumedBy: new iam.AccountPrincipal('999988887777') })))).toEqual(['NHI_TRUST_ACCOUNT_ROOT']);
    expect(fields(() => new GovernedServiceAccount(stack, 'B', saProps({ externalId: 'x-1' })))).toEqual([['NHI_TRUST_INVALID', 'externalId']]);
    expect(fields(() => new GovernedServiceAccount(stack, 'C', saProps({
      vendor: VENDOR, expires: '2027-01-31', externalId: 'x-1',
      assumedBy: new iam.AccountPrincipal('999988887777').withConditions({ StringEquals: { 'sts:ExternalId': 'x-2' } }),
    })))).toEqual([['NHI_TRUST_INVALID', 'externalId']]);
    expect(fields(() => new GovernedServiceAccount(stack, 'D', saProps({ vendor: VENDOR, expires: '2027-01-31', assumedBy: new iam.AccountRootPrincipal() }))))
      .toEqual([['NHI_TRUST_ACCOUNT_ROOT', 'assumedBy']]);
  });

  test('NHI_VENDOR_INVALID: a vendor without a contact', () => {
    expect(fields(() => new GovernedServiceAccount(testStack(), 'A', saProps({ vendor: { name: 'Globex', contact: 'nobody' }, expires: '2027-01-31' }))))
      .toEqual([['NHI_VENDOR_INVALID', 'vendor.contact']]);
  });

  test('vendor identities get the shorter vendor maximum lifetime (default 90 days, policy vendorMaxLifetimeDays)', () => {
    const stack = testStack();
    const err = governanceError(() => new GovernedServiceAccount(stack, 'A', saProps({ vendor: VENDOR, assumedBy: new iam.AccountPrincipal('999988887777') })));
    expect(err.violations[0]).toMatchObject({ code: 'NHI_EXPIRY_TOO_FAR', message: 'is more than 90 days away (the policy\'s maximum lifetime)' });
    expect(codes(() => new GovernedApiKey(stack, 'K', apiKeyProps(restApi(stack), { vendor: VENDOR })))).toEqual(['NHI_EXPIRY_TOO_FAR']);
    const app = testApp();
    GovernancePolicy.of(app).apply({ vendorMaxLifetimeDays: 30 });
    expect(codes(() => new GovernedServiceAccount(testStack(app), 'A', saProps({ vendor: VENDOR, expires: '2027-01-31' })))).toEqual(['NHI_EXPIRY_TOO_FAR']);
    // Not a vendor: the normal maximum (365 days) applies.
    new GovernedServiceAccount(testStack(), 'B', saProps({ expires: '2027-06-30' }));
  });

  test('plugin: the external id removed from a vendor trust by an escape hatch is NHI_TRUST_ACCOUNT_ROOT; the governed trust passes', () => {
    const ok = withPlugin();
    new GovernedServiceAccount(ok.stack, 'Globex', saProps({ vendor: VENDOR, expires: '2027-01-31', assumedBy: new iam.AccountPrincipal('999988887777') }));
    expect(pluginFindings(ok.app).violations).toEqual([]);

    const { app, stack } = withPlugin();
    const sa = new GovernedServiceAccount(stack, 'Globex', saProps({ vendor: VENDOR, expires: '2027-01-31', assumedBy: new iam.AccountPrincipal('999988887777') }));
    (sa.role!.node.defaultChild as iam.CfnRole).addPropertyDeletionOverride('AssumeRolePolicyDocument.Statement.0.Condition.StringEquals');
    expect(pluginFindings(app).violations).toEqual(['NHI_TRUST_ACCOUNT_ROOT']);
  });
});

describe('No human use (AWS CDK, NHI10)', () => {
  test.each([
    ['an IAM user', 'arn:aws:iam::123456789012:user/alice'],
    ['an IAM Identity Center (SSO) role', SSO_ROLE],
  ])('NHI_HUMAN_USE: assumedBy admitting %s, unless justified (recorded in the register)', (_what, arn) => {
    const stack = testStack();
    const err = governanceError(() => new GovernedServiceAccount(stack, 'A', saProps({ assumedBy: new iam.ArnPrincipal(arn) })));
    expect(err.violations.map((v) => [v.code, v.field])).toEqual([['NHI_HUMAN_USE', 'assumedBy.roleArns[0]']]);
    expect(err.violations[0].fix).toContain('justif');
    const sa = new GovernedServiceAccount(stack, 'B', saProps({
      name: 'b', assumedBy: new iam.ArnPrincipal(arn), trustJustification: 'Break-glass access during incident response',
    }));
    expect(sa.registerEntry.details).toEqual({ trust: { roleArns: [arn], justification: 'Break-glass access during incident response' } });
  });

  test('NHI_TRUST_INVALID: a vague trust justification; trustJustification without a role to trust', () => {
    const stack = testStack();
    expect(codes(() => new GovernedServiceAccount(stack, 'A', saProps({ assumedBy: new iam.ArnPrincipal(SSO_ROLE), trustJustification: 'ok' }))))
      .toEqual(['NHI_TRUST_INVALID', 'NHI_HUMAN_USE']);
    expect(fields(() => new GovernedServiceAccount(stack, 'B', saProps({
      assumedBy: undefined, staticCredentials: { justification: 'On-premises batch host cannot assume roles' }, trustJustification: 'Break-glass access during incidents',
    })))).toEqual([['NHI_TRUST_INVALID', 'trustJustification']]);
  });

  test('plugin: a person added to a governed trust by an escape hatch is NHI_HUMAN_USE', () => {
    const { app, stack } = withPlugin();
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    sa.role!.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      actions: ['sts:AssumeRole'], principals: [new iam.ArnPrincipal('arn:aws:iam::123456789012:user/alice')],
      conditions: { DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } },
    }));
    expect(pluginFindings(app).violations).toEqual(['NHI_HUMAN_USE']);
  });
});

describe('One identity per workload (AWS CDK, NHI9)', () => {
  test('NHI_TRUST_SHARED: a trust admitting several workload roles, unless justified', () => {
    const stack = testStack();
    const two = new iam.CompositePrincipal(new iam.ArnPrincipal('arn:aws:iam::123456789012:role/a'), new iam.ArnPrincipal('arn:aws:iam::123456789012:role/b'));
    expect(codes(() => new GovernedServiceAccount(stack, 'A', saProps({ assumedBy: two })))).toEqual(['NHI_TRUST_SHARED']);
    new GovernedServiceAccount(stack, 'B', saProps({ name: 'b', assumedBy: two, trustJustification: 'Blue/green workers of one deployment' }));
  });

  test('NHI_IDENTITY_REUSE: two identities of one system with overlapping scope fail the synth, in one stack', () => {
    const app = testApp();
    const stack = testStack(app);
    new GovernedServiceAccount(stack, 'A', saProps({ system: 'billing-reporter' }));
    new GovernedServiceAccount(stack, 'B', saProps({ name: 'b', system: 'billing-reporter' }));
    expect(() => app.synth()).toThrow(/NHI_IDENTITY_REUSE\] system: shares system 'billing-reporter' and part of its scope \(s3:GetObject on arn:aws:s3:::billing-exports\/reports\/\*\) with Billing\/A/);
  });

  test('NHI_IDENTITY_REUSE across the stacks of an app (reported once, on the later path)', () => {
    const app = testApp();
    new GovernedServiceAccount(testStack(app, 'Billing'), 'A', saProps({ system: 'billing-reporter' }));
    new GovernedServiceAccount(testStack(app, 'Reports'), 'B', saProps({ name: 'b', system: 'billing-reporter' }));
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Reports\/B[\s\S]*NHI_IDENTITY_REUSE[\s\S]*with Billing\/A/);
    expect(message.match(/NHI_IDENTITY_REUSE/g)).toHaveLength(1);
  });

  test('no finding: different systems, disjoint scopes, or a reuseJustification', () => {
    const app = testApp();
    const stack = testStack(app);
    new GovernedServiceAccount(stack, 'A', saProps({ system: 'billing-reporter' }));
    new GovernedServiceAccount(stack, 'B', saProps({ name: 'b', system: 'billing-exporter' }));
    new GovernedServiceAccount(stack, 'C', saProps({ name: 'c', system: 'billing-reporter', scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::other-bucket/*'] }] }));
    new GovernedServiceAccount(stack, 'D', saProps({ name: 'd', system: 'billing-reporter', reuseJustification: 'Blue/green pair of the same reporter during migration' }));
    expect(() => app.synth()).not.toThrow();
  });

  test('a core waiver on the path waives it (listed in the register); one that expired yesterday does not', () => {
    const waiver = (expires: string) => ({
      code: 'NHI_IDENTITY_REUSE', path: 'Billing/B', owner: { team: 'platform', contact: 'platform@example.com' },
      reason: 'Reporter split into two workloads next sprint', expires,
    });
    const app = testApp();
    const stack = testStack(app);
    Waivers.of(stack).add(waiver('2027-01-31'));
    new GovernedServiceAccount(stack, 'A', saProps({ system: 'billing-reporter' }));
    new GovernedServiceAccount(stack, 'B', saProps({ name: 'b', system: 'billing-reporter' }));
    const asm = app.synth();
    const register = JSON.parse(fs.readFileSync(path.join(asm.directory, 'Billing.nhi-register.json'), 'utf8'));
    expect(register.waivers).toEqual([{ ...waiver('2027-01-31') }]);

    const late = testApp();
    const lateStack = testStack(late);
    Waivers.of(lateStack).add(waiver('2026-11-22')); // TODAY is 2026-11-23
    new GovernedServiceAccount(lateStack, 'A', saProps({ system: 'billing-reporter' }));
    new GovernedServiceAccount(lateStack, 'B', saProps({ name: 'b', system: 'billing-reporter' }));
    expect(() => late.synth()).toThrow(/NHI_IDENTITY_REUSE[\s\S]*NHI_WAIVER_EXPIRED\] waiver: the waiver of NHI_IDENTITY_REUSE on Billing\/B .* expired on 2026-11-22/);
    expect(TODAY).toBe('2026-11-23');
  });
});

describe('Offboarding (AWS CDK, NHI1)', () => {
  function synthTemplate(withLegacy: boolean): { template: any; register: any } {
    const app = testApp();
    const stack = testStack(app);
    new GovernedServiceAccount(stack, 'Reader', saProps());
    if (withLegacy) {
      new GovernedServiceAccount(stack, 'Legacy', saProps({
        name: 'legacy-batch', assumedBy: undefined, staticCredentials: { justification: 'On-premises batch host cannot assume roles' },
        owner: { team: 'legacy', contact: 'legacy@example.com' }, expires: '2027-03-31',
      }));
    }
    const asm = app.synth();
    return {
      template: JSON.parse(fs.readFileSync(path.join(asm.directory, 'Billing.template.json'), 'utf8')),
      register: JSON.parse(fs.readFileSync(path.join(asm.directory, 'Billing.nhi-register.json'), 'utf8')),
    };
  }

  test('removing the identity from code removes everything of it: user, policy, secret, rotation, schedules, topic, register entry', () => {
    const before = synthTemplate(true);
    const after = synthTemplate(false);
    const types = (t: any) => Object.values(t.Resources).map((r: any) => r.Type).sort();
    const legacyIds = Object.keys(before.template.Resources).filter((id) => id.startsWith('Legacy'));
    expect(legacyIds.length).toBeGreaterThan(5);
    expect(Object.keys(after.template.Resources).filter((id) => id.startsWith('Legacy'))).toEqual([]);
    const text = JSON.stringify(after.template);
    expect(text).not.toContain('legacy');
    expect(types(before.template)).toEqual(expect.arrayContaining(['AWS::IAM::User', 'AWS::SecretsManager::Secret', 'AWS::SecretsManager::RotationSchedule']));
    expect(types(after.template)).not.toContain('AWS::IAM::User');
    expect(types(after.template)).not.toContain('AWS::SecretsManager::Secret');
    expect(after.register.identities.map((i: any) => i.path)).toEqual(['Billing/Reader']);
    // CloudFormation deletes what is gone: the secret is not retained.
    const secret = Object.values(before.template.Resources).find((r: any) => r.Type === 'AWS::SecretsManager::Secret') as any;
    expect(secret.DeletionPolicy).toBe('Delete');
    expect(OWNER.team).toBe('billing');
  });
});
