// Issue 5 on the AWS CDK target: stack-wide enforcement with the NhiGovernanceChecks validation
// plugin on real stacks (one rule per describe, non-compliant fails with its code and fix, the
// compliant stack passes), expiring waivers, acknowledgements, and organisation policy inheritance.
import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, IAspect, Stack, Validations } from 'aws-cdk-lib/core';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { GovernedApiKey, GovernedServiceAccount, GovernedServiceAccountProps, NhiGovernanceChecks, NhiGovernanceChecksProps } from '../../lib/aws-cdk';
import { GovernancePolicy } from '../../lib/core/policy';
import { Waivers } from '../../lib/core/waivers';
import { apiKeyProps, governanceError, restApi, saProps, testApp, testStack } from './util';

const STATIC = { justification: 'On-premises batch host cannot assume roles' };
const PLATFORM = { team: 'platform', contact: 'platform@example.com' };

interface Finding { rule: string; description: string; fix: string; logicalId?: string }

function appWithPlugin(props?: NhiGovernanceChecksProps, appProps = {}): { app: App; stack: Stack } {
  const app = testApp(appProps);
  Validations.of(app).addPlugins(new NhiGovernanceChecks(props));
  return { app, stack: testStack(app) };
}

/** Synthesises; returns the NhiGovernance findings (violations and acknowledged ones) and the error message. */
function synth(app: App): { findings: Finding[]; rules: string[]; suppressed: string[]; message: string } {
  let message = '';
  try {
    app.synth();
  } catch (e) {
    message = (e as Error).message;
  }
  const file = path.join(app.outdir, 'validation-report.json');
  const report = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { pluginReports: [] };
  const ours = (report.pluginReports as any[]).filter((r) => r.pluginName === 'NhiGovernance');
  const findings: Finding[] = ours.flatMap((r) => (r.violations as any[]).flatMap((v) => (v.violatingConstructs as any[]).map((c) => ({
    rule: String(v.ruleName), description: String(v.description), fix: String(v.suggestedFix), logicalId: c.cloudFormationResource?.logicalId,
  }))));
  return {
    findings,
    rules: findings.map((f) => f.rule).sort(),
    suppressed: ours.flatMap((r) => (r.suppressedViolations ?? []).map((v: any) => String(v.ruleName).replace(/^NhiGovernance::/, ''))).sort(),
    message,
  };
}

/** A stack made only of governed identities (role, static-credential user, API key). */
function governedStack(stack: Stack) {
  const reader = new GovernedServiceAccount(stack, 'Reader', saProps());
  const legacy = new GovernedServiceAccount(stack, 'Legacy', saProps({ name: 'legacy-batch', assumedBy: undefined, staticCredentials: STATIC }));
  const api = restApi(stack);
  const key = new GovernedApiKey(stack, 'Acme', apiKeyProps(api));
  return { reader, legacy, api, key };
}

describe('NhiGovernanceChecks: the compliant stack passes', () => {
  test('governed role, user and API key, a grant covered by the scope: no finding, synthesis succeeds', () => {
    const { app, stack } = appWithPlugin();
    const { reader } = governedStack(stack);
    // A grant the declared scope covers adds nothing.
    iam.Grant.addToPrincipal({ grantee: reader, actions: ['s3:GetObject'], resourceArns: ['arn:aws:s3:::billing-exports/reports/*'] });
    const f = synth(app);
    expect(f.message).not.toMatch(/NHI_/);
    expect(f.rules).toEqual([]);
  });
});

describe('NHI_UNGOVERNED_IDENTITY: identity-bearing resources outside governed constructs', () => {
  test.each([
    ['iam.User', (s: Stack) => new iam.User(s, 'Human'), 'AWS::IAM::User', 'GovernedServiceAccount with staticCredentials'],
    ['iam.AccessKey', (s: Stack) => new iam.AccessKey(s, 'Key', { user: iam.User.fromUserName(s, 'Imported', 'someone') }), 'AWS::IAM::AccessKey', 'GovernedServiceAccount with staticCredentials'],
    ['apigateway.ApiKey', (s: Stack) => new apigateway.ApiKey(s, 'RawKey'), 'AWS::ApiGateway::ApiKey', 'GovernedApiKey'],
  ])('Noncompliance: %s fails the synth with the construct path, the resource type and the governed construct to use', (_what, make, type, use) => {
    const { app, stack } = appWithPlugin();
    governedStack(stack);
    const c = make(stack) as IConstruct;
    const f = synth(app);
    expect(f.rules).toEqual(['NHI_UNGOVERNED_IDENTITY']);
    expect(f.findings[0].description).toContain(c.node.path);
    expect(f.findings[0].description).toContain(type);
    expect(f.findings[0].fix).toContain(use);
    expect(f.message).toContain('NHI_UNGOVERNED_IDENTITY');
  });

  test('Noncompliance: CfnRole and iam.Role, by default; not when reportUngovernedRoles is off', () => {
    const build = (props?: NhiGovernanceChecksProps) => {
      const { app, stack } = appWithPlugin(props);
      new GovernedServiceAccount(stack, 'Reader', saProps());
      new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      new iam.CfnRole(stack, 'RawRole', { assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }] } });
      return synth(app);
    };
    const on = build();
    expect(on.rules).toEqual(['NHI_UNGOVERNED_IDENTITY', 'NHI_UNGOVERNED_IDENTITY']);
    expect(on.findings.map((f) => f.description).join('\n')).toMatch(/Billing\/Worker[\s\S]*Billing\/RawRole|Billing\/RawRole[\s\S]*Billing\/Worker/);
    expect(on.findings.map((f) => f.fix).join('\n')).toContain('role: sa');
    expect(build({ reportUngovernedRoles: false }).rules).toEqual([]);
  });

  test('constructs added by an aspect are checked too (the plugin reads the final template)', () => {
    const { app, stack } = appWithPlugin();
    new GovernedServiceAccount(stack, 'Reader', saProps());
    class AddsUser implements IAspect {
      private done = false;
      public visit(node: IConstruct): void {
        if (!this.done && Stack.isStack(node)) {
          this.done = true;
          new iam.User(node, 'AddedByAspect');
        }
      }
    }
    Aspects.of(app).add(new AddsUser());
    expect(synth(app).rules).toEqual(['NHI_UNGOVERNED_IDENTITY']);
  });
});

describe('NHI_SCOPE_WIDENED: permissions attached to a governed identity from outside its construct', () => {
  test('Noncompliance: an iam.Policy attached to the governed role imported by name', () => {
    const { app, stack } = appWithPlugin();
    governedStack(stack);
    const imported = iam.Role.fromRoleName(stack, 'Imported', 'billing-report-reader');
    new iam.Policy(stack, 'Extra', {
      roles: [imported],
      statements: [new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::billing-exports/reports/*'], conditions: { DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } } })],
    });
    const f = synth(app);
    expect(f.rules).toEqual(['NHI_SCOPE_WIDENED']);
    expect(f.findings[0].description).toContain('Billing/Reader');
    expect(f.findings[0].description).toContain('s3:PutObject');
    expect(f.findings[0].logicalId).toMatch(/^Extra/);
  });

  test('Noncompliance: an iam.Policy attached to the governed role imported by ARN (a reference to the role)', () => {
    const { app, stack } = appWithPlugin();
    const { reader } = governedStack(stack);
    const imported = iam.Role.fromRoleArn(stack, 'ByArn', reader.arn, { mutable: true });
    imported.attachInlinePolicy(new iam.Policy(stack, 'Extra', {
      statements: [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:123456789012:orders'] })],
    }));
    expect(synth(app).rules).toEqual(['NHI_EXPIRY_CONDITION_MISSING', 'NHI_SCOPE_WIDENED']);
  });

  test('Noncompliance: a CfnRolePolicy naming the governed role; a group membership of the governed user', () => {
    const { app, stack } = appWithPlugin();
    governedStack(stack);
    new iam.CfnRolePolicy(stack, 'RawRolePolicy', {
      roleName: 'billing-report-reader',
      policyName: 'extra',
      policyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::billing-exports/reports/*', Condition: { DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } } }] },
    });
    const group = new iam.Group(stack, 'Admins');
    group.addUser(iam.User.fromUserName(stack, 'LegacyByName', 'legacy-batch'));
    const f = synth(app);
    expect(f.rules).toEqual(['NHI_SCOPE_WIDENED', 'NHI_SCOPE_WIDENED']);
    expect(f.findings.map((x) => x.description).join('\n')).toContain('adds the governed user to group');
  });

  test('Compliance: a policy on another role is none of the governed identity\'s business', () => {
    const { app, stack } = appWithPlugin();
    governedStack(stack);
    const other = iam.Role.fromRoleName(stack, 'Other', 'someone-else');
    new iam.Policy(stack, 'Extra', { roles: [other], statements: [new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::x/*'] })] });
    expect(synth(app).rules).toEqual([]);
  });
});

describe('Waivers (core, expiring) and acknowledgements (AWS CDK) with the plugin', () => {
  const waiver = (over: Record<string, string>) => ({
    code: 'NHI_UNGOVERNED_IDENTITY', owner: PLATFORM, reason: 'Legacy users migrate to governed identities in Q1', expires: '2027-01-31', ...over,
  });

  test('a waiver on the construct path waives that finding only; the register lists it', () => {
    const { app, stack } = appWithPlugin();
    new GovernedServiceAccount(stack, 'Reader', saProps());
    new iam.User(stack, 'Legacy');
    new iam.User(stack, 'Other');
    Waivers.of(app).add(waiver({ path: 'Billing/Legacy/Resource' }));
    const f = synth(app);
    expect(f.rules).toEqual(['NHI_UNGOVERNED_IDENTITY']);
    expect(f.findings[0].description).toContain('Billing/Other');
    const register = JSON.parse(fs.readFileSync(path.join(app.outdir, 'Billing.nhi-register.json'), 'utf8'));
    expect(register.waivers).toEqual([expect.objectContaining({ code: 'NHI_UNGOVERNED_IDENTITY', path: 'Billing/Legacy/Resource', expires: '2027-01-31' })]);
  });

  test('a waiver by resource type waives every resource of that type', () => {
    const { app, stack } = appWithPlugin();
    new iam.User(stack, 'A');
    new iam.User(stack, 'B');
    Waivers.of(stack).add(waiver({ resourceType: 'AWS::IAM::User' }));
    expect(synth(app).rules).toEqual([]);
  });

  test('a waiver that expired yesterday no longer waives: the finding is back, with NHI_WAIVER_EXPIRED naming the waiver', () => {
    const { app, stack } = appWithPlugin();
    new iam.User(stack, 'Legacy');
    Waivers.of(stack).add(waiver({ resourceType: 'AWS::IAM::User', expires: '2026-11-22' })); // today is 2026-11-23
    const f = synth(app);
    expect(f.rules).toEqual(['NHI_UNGOVERNED_IDENTITY', 'NHI_WAIVER_EXPIRED']);
    const expired = f.findings.find((x) => x.rule === 'NHI_WAIVER_EXPIRED')!;
    expect(expired.description).toContain('expired on 2026-11-22');
    expect(expired.description).toContain('owner platform');
  });

  test('a waiver also covers a governed construct\'s own check on its path (declared before the construct)', () => {
    const stack = testStack();
    Waivers.of(stack).add({ code: 'NHI_SCOPE_PRIVILEGED', path: 'Billing/Deployer', owner: PLATFORM, reason: 'Deployer passes the worker role until the pipeline moves', expires: '2027-01-31' });
    new GovernedServiceAccount(stack, 'Deployer', saProps({ scope: [{ actions: ['iam:PassRole'], resources: ['arn:aws:iam::123456789012:role/worker'] }] }));
  });

  test('a malformed waiver is itself an error (NHI_WAIVER_INVALID)', () => {
    const err = governanceError(() => Waivers.of(testStack()).add({ code: 'NHI_UNGOVERNED_IDENTITY', owner: PLATFORM, reason: 'Legacy users migrate in Q1', expires: '2027-01-31' }));
    expect(err.violations.map((v) => v.code)).toEqual(['NHI_WAIVER_INVALID']);
  });

  test('a bare acknowledgement on a scope above the resource is NHI_ACKNOWLEDGEMENT_UNGOVERNED; backed by a waiver of the code in that scope it is accepted', () => {
    const { app, stack } = appWithPlugin();
    const legacy = new Construct(stack, 'LegacyTeam');
    new iam.User(legacy, 'Ftp');
    Validations.of(legacy).acknowledge({ id: 'NhiGovernance::NHI_UNGOVERNED_IDENTITY', reason: 'Legacy FTP bridge users, removal tracked in OPS-42' });
    const f = synth(app);
    expect(f.rules).toEqual(['NHI_ACKNOWLEDGEMENT_UNGOVERNED']);
    expect(f.suppressed).toEqual(['NHI_UNGOVERNED_IDENTITY']);

    const backed = appWithPlugin();
    const team = new Construct(backed.stack, 'LegacyTeam');
    new iam.User(team, 'Ftp');
    Waivers.of(backed.stack).add(waiver({ path: 'Billing/LegacyTeam/Ftp' }));
    Validations.of(team).acknowledge({ id: 'NhiGovernance::NHI_UNGOVERNED_IDENTITY', reason: 'Waived in the NHI register' });
    expect(synth(backed.app).rules).toEqual([]);

    // A waiver of the code elsewhere does not back it.
    const elsewhere = appWithPlugin();
    const t2 = new Construct(elsewhere.stack, 'LegacyTeam');
    new iam.User(t2, 'Ftp');
    Waivers.of(elsewhere.stack).add(waiver({ path: 'Billing/Other' }));
    Validations.of(t2).acknowledge({ id: 'NhiGovernance::NHI_UNGOVERNED_IDENTITY', reason: 'Waived in the NHI register' });
    expect(synth(elsewhere.app).rules).toEqual(['NHI_ACKNOWLEDGEMENT_UNGOVERNED']);
  });
});

describe('Organisation policy on AWS CDK scopes: app vs stack vs construct, closest wins', () => {
  // Today is 2026-11-23: 2027-01-31 is 69 days away, 2027-06-30 is 219 days away.
  function scopes() {
    const app = testApp();
    GovernancePolicy.of(app).apply({ maxLifetimeDays: 100, allowedOwnerDomains: ['example.com'] });
    const inherits = testStack(app, 'Inherits');
    const relaxed = testStack(app, 'Relaxed');
    GovernancePolicy.of(relaxed).apply({ maxLifetimeDays: 300 });
    const strict = new Construct(relaxed, 'Strict');
    GovernancePolicy.of(strict).apply({ maxLifetimeDays: 60 });
    return { app, inherits, relaxed, strict };
  }
  const far = saProps({ expires: '2027-06-30' });
  const near = saProps({ expires: '2027-01-31' });
  const codes = (fn: () => unknown) => governanceError(fn).violations.map((v) => v.code);

  test('app: a stack without a policy inherits the app\'s', () => {
    const { inherits } = scopes();
    expect(codes(() => new GovernedServiceAccount(inherits, 'Far', far))).toEqual(['NHI_EXPIRY_TOO_FAR']);
    new GovernedServiceAccount(inherits, 'Near', near);
  });

  test('stack: its policy wins over the app\'s, per field (owner domains still inherited)', () => {
    const { relaxed } = scopes();
    new GovernedServiceAccount(relaxed, 'Far', far);
    expect(codes(() => new GovernedServiceAccount(relaxed, 'Elsewhere', saProps({ name: 'billing-elsewhere', owner: { team: 'billing', contact: 'billing@other.org' } }))))
      .toEqual(['NHI_OWNER_DOMAIN_NOT_ALLOWED']);
  });

  test('construct: the closest scope wins', () => {
    const { strict } = scopes();
    expect(codes(() => new GovernedServiceAccount(strict, 'Near', near))).toEqual(['NHI_EXPIRY_TOO_FAR']);
    new GovernedServiceAccount(strict, 'Soon', saProps({ expires: '2027-01-15' }));
  });

  test('per-environment overrides apply to the identity\'s environment; an invalid policy is an error', () => {
    const app = testApp();
    GovernancePolicy.of(app).apply({ environments: { prod: { maxLifetimeDays: 30, defaultRotationDays: 7 } } });
    const stack = testStack(app);
    expect(codes(() => new GovernedServiceAccount(stack, 'Prod', saProps({ environment: 'prod', expires: '2027-01-31' })))).toEqual(['NHI_EXPIRY_TOO_FAR']);
    const dev = new GovernedServiceAccount(stack, 'Dev', saProps({ environment: 'dev', expires: '2027-01-31', assumedBy: undefined, staticCredentials: STATIC }));
    expect(dev.governance.rotationDays).toBe(30);
    const prodUser = new GovernedServiceAccount(stack, 'ProdUser', saProps({ environment: 'prod', name: 'p', expires: '2026-12-15', assumedBy: undefined, staticCredentials: STATIC }));
    expect(prodUser.governance.rotationDays).toBe(7);
    expect(codes(() => GovernancePolicy.of(testApp()).apply({ maxLifetimeDays: -1 }))).toEqual(['NHI_POLICY_INVALID']);
  });

  test('a platform team\'s blessed construct on top of GovernedServiceAccount (fixed team, defaults) is governed the same way', () => {
    interface PaymentsServiceAccountProps extends Omit<GovernedServiceAccountProps, 'owner' | 'system'> { readonly workload: string }
    class PaymentsServiceAccount extends Construct {
      public readonly identity: GovernedServiceAccount;
      public constructor(scope: Construct, id: string, props: PaymentsServiceAccountProps) {
        super(scope, id);
        GovernancePolicy.of(this).apply({ maxLifetimeDays: 180, requiredTags: { 'cost-center': [] } });
        this.identity = new GovernedServiceAccount(this, 'Identity', {
          ...props,
          owner: { team: 'payments', contact: 'payments-oncall@example.com' },
          system: `payments-${props.workload}`,
          tags: { 'cost-center': 'cc-payments', ...props.tags },
        });
      }
    }
    const { app, stack } = appWithPlugin();
    const sa = new PaymentsServiceAccount(stack, 'Settlement', { ...saProps({ expires: '2027-03-31' }), workload: 'settlement' });
    expect(sa.identity.registerEntry).toMatchObject({ owner: { team: 'payments' }, system: 'payments-settlement' });
    expect(codes(() => new PaymentsServiceAccount(stack, 'TooLong', { ...saProps({ name: 'x', expires: '2027-06-30' }), workload: 'x' }))).toEqual(['NHI_EXPIRY_TOO_FAR']);
    expect(synth(app).rules).toEqual([]);
  });
});
