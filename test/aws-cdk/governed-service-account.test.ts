import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { GovernedServiceAccount } from '../../lib/aws-cdk';
import { GovernancePolicy } from '../../lib/core/policy';
import { canAssume, isAllowed } from '../helpers/iam-simulate';
import { governanceError, saProps, testApp, testStack } from './util';

const STATIC = { justification: 'On-premises batch host cannot assume roles' };

function roleOf(template: Template): any {
  const roles = template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'billing-report-reader' } });
  return Object.values(roles)[0];
}

describe('GovernedServiceAccount (role): the synthesised template', () => {
  const stack = testStack();
  const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
  const template = Template.fromStack(stack);

  test('one role with the scoped inline policy, every statement expiring', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'billing-report-reader',
      Path: '/nhi/',
      Policies: [{
        PolicyName: 'nhi-scope',
        PolicyDocument: {
          Statement: [{
            Sid: 'Scope0',
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::billing-exports/reports/*',
            Condition: { DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } },
          }],
        },
      }],
    });
    // Grants never add a default policy; users and access keys are not created for a role identity.
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::User', 0);
  });

  test('the trust policy trusts the one workload, until expiry', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'billing-report-reader',
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'lambda.amazonaws.com' },
          Condition: { DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } },
        }],
      },
    });
  });

  test('governance tags on the role', () => {
    const tags = roleOf(template).Properties.Tags as { Key: string; Value: string }[];
    expect(Object.fromEntries(tags.map((t) => [t.Key, t.Value]))).toEqual(expect.objectContaining({
      'nhi:owner-team': 'billing',
      'nhi:owner-contact': 'billing@example.com',
      'nhi:purpose': 'Reads nightly billing exports for the reporting job',
      'nhi:expires': '2027-06-30',
      'nhi:managed-by': 'nhi-constructs',
      'nhi:id': 'Billing/Reader',
    }));
  });

  test('expiry reminder and expiry notice are scheduled to the owner topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'billing@example.com' });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'at(2027-05-31T09:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      Target: { Input: Match.stringLikeRegexp('Billing/Reader') },
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'at(2027-06-30T00:00:00)' });
  });

  test('IGrantable and role accessors', () => {
    expect(sa.grantPrincipal).toBe(sa.role);
    expect(sa.identityName).toBe('billing-report-reader');
    expect(sa.user).toBeUndefined();
    expect(JSON.parse(sa.policyDocument).Statement[0].Action).toEqual(['s3:GetObject']);
  });
});

describe('GovernedServiceAccount: IAM simulation of the synthesised policies', () => {
  const stack = testStack();
  new GovernedServiceAccount(stack, 'Reader', saProps({
    scope: [
      { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/reports/*'] },
      { actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/invoices'] },
    ],
  }));
  const role = roleOf(Template.fromStack(stack)).Properties;
  const policy = role.Policies[0].PolicyDocument;
  const trust = role.AssumeRolePolicyDocument;
  const before = '2027-06-29T23:59:59Z';
  const after = '2027-06-30T00:00:01Z';

  test('in scope: allowed before expiry', async () => {
    expect(await isAllowed(policy, { action: 's3:GetObject', resource: 'arn:aws:s3:::billing-exports/reports/2026-11.csv', time: before })).toBe(true);
    expect(await isAllowed(policy, { action: 'dynamodb:Query', resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/invoices', time: before })).toBe(true);
  });

  test('out of scope: another action or resource is denied', async () => {
    expect(await isAllowed(policy, { action: 's3:PutObject', resource: 'arn:aws:s3:::billing-exports/reports/x.csv', time: before })).toBe(false);
    expect(await isAllowed(policy, { action: 's3:GetObject', resource: 'arn:aws:s3:::billing-exports/secrets/x', time: before })).toBe(false);
    expect(await isAllowed(policy, { action: 'dynamodb:DeleteItem', resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/invoices', time: before })).toBe(false);
  });

  test('after expiry: everything is denied, and nobody can assume the role', async () => {
    expect(await isAllowed(policy, { action: 's3:GetObject', resource: 'arn:aws:s3:::billing-exports/reports/x.csv', time: after })).toBe(false);
    expect(await isAllowed(policy, { action: 'dynamodb:GetItem', resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/invoices', time: after })).toBe(false);
    expect(await canAssume(trust, { principal: 'lambda.amazonaws.com', time: before })).toBe(true);
    expect(await canAssume(trust, { principal: 'lambda.amazonaws.com', time: after })).toBe(false);
    expect(await canAssume(trust, { principal: 'ec2.amazonaws.com', time: before })).toBe(false);
  });
});

describe('GovernedServiceAccount: grants (iam.IGrantable) never widen the declared scope', () => {
  test('a grant the declared scope covers adds nothing: the policy stays the declared one', () => {
    const app = testApp();
    const stack = testStack(app);
    const bucket = new s3.Bucket(stack, 'Exports');
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps({
      scope: [{ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }],
    }));
    const grant = bucket.grantRead(sa, undefined); // s3:GetObject*, s3:GetBucket*, s3:List* ...
    expect(grant.success).toBe(true);
    // narrower grant, fully covered:
    const narrow = iam.Grant.addToPrincipal({ grantee: sa, actions: ['s3:GetObject'], resourceArns: [bucket.arnForObjects('reports/*')] });
    expect(narrow.success).toBe(true);
    // grantRead also reads the bucket itself (s3:GetBucket*, s3:List*), which the scope does not declare: the fix names one action.
    expect(() => app.synth()).toThrow(/NHI_SCOPE_WIDENED.*e.g. { actions: \["s3:ListBucket"\]/s);
  });

  test('NHI_SCOPE_WIDENED: names the grant\'s extra actions and resources, and the fix', () => {
    const app = testApp();
    const stack = testStack(app);
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    iam.Grant.addToPrincipal({ grantee: sa, actions: ['s3:PutObject'], resourceArns: ['arn:aws:s3:::billing-exports/reports/*'] });
    let message = '';
    try { app.synth(); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/\[NHI_SCOPE_WIDENED\] scope: a grant to this identity/);
    expect(message).toContain('s3:PutObject (changing) on arn:aws:s3:::billing-exports/reports/*');
    expect(message).toContain('declare in scope what the workload needs there');
  });

  test('a covered grant synthesises with no extra policy', () => {
    const app = testApp();
    const stack = testStack(app);
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    iam.Grant.addToPrincipal({ grantee: sa, actions: ['s3:GetObject'], resourceArns: ['arn:aws:s3:::billing-exports/reports/2026/*'] });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('Deny statements pass through (they only narrow)', () => {
    const stack = testStack();
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    sa.role!.addToPrincipalPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/reports/secret/*'] }));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny' })] } });
  });

  test('NHI_SCOPE_WIDENED: a managed policy attached to the role', () => {
    const app = testApp();
    const stack = testStack(app);
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    sa.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'));
    expect(() => app.synth()).toThrow(/NHI_SCOPE_WIDENED.*managed policy .*ReadOnlyAccess/s);
  });

  test('NHI_SCOPE_WIDENED and NHI_EXPIRY_CONDITION_MISSING: an inline policy attached to the role', () => {
    const app = testApp();
    const stack = testStack(app);
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    sa.role!.attachInlinePolicy(new iam.Policy(stack, 'Extra', {
      statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/reports/*'] })],
    }));
    expect(() => app.synth()).toThrow(/NHI_EXPIRY_CONDITION_MISSING/);
  });

  test('grantPassRole / grantAssumeRole go to the other principal', () => {
    const stack = testStack();
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    const deployer = new iam.Role(stack, 'Deployer', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    sa.grantPassRole(deployer);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'iam:PassRole' })] },
      Roles: [{ Ref: Match.stringLikeRegexp('Deployer') }],
    });
  });
});

describe('GovernedServiceAccount: assumedBy (iam.IPrincipal) is checked by the core trust rule', () => {
  const codeFor = (assumedBy: any) => governanceError(() => new GovernedServiceAccount(testStack(), 'Sa', saProps({ assumedBy })))
    .violations.map((v) => v.code);

  test('NHI_TRUST_ACCOUNT_ROOT: AccountRootPrincipal and AccountPrincipal', () => {
    expect(codeFor(new iam.AccountRootPrincipal())).toEqual(['NHI_TRUST_ACCOUNT_ROOT']);
    expect(codeFor(new iam.AccountPrincipal('210987654321'))).toEqual(['NHI_TRUST_ACCOUNT_ROOT']);
  });

  test('NHI_TRUST_WILDCARD: AnyPrincipal, and an OIDC subject with a wildcard', () => {
    expect(codeFor(new iam.AnyPrincipal())).toEqual(['NHI_TRUST_WILDCARD']);
    expect(codeFor(new iam.WebIdentityPrincipal('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', {
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' },
    }))).toEqual(['NHI_TRUST_WILDCARD']);
  });

  test('NHI_TRUST_SHARED: several services', () => {
    expect(codeFor(new iam.CompositePrincipal(new iam.ServicePrincipal('lambda.amazonaws.com'), new iam.ServicePrincipal('ec2.amazonaws.com'))))
      .toEqual(['NHI_TRUST_SHARED']);
  });

  test('NHI_HUMAN_USE: a user is a person, not a workload (the core trust rule decides the code); NHI_TRUST_INVALID: not a principal at all', () => {
    expect(codeFor(new iam.ArnPrincipal('arn:aws:iam::123456789012:user/bob'))).toEqual(['NHI_HUMAN_USE']);
    expect(codeFor({ service: 'lambda.amazonaws.com' })).toEqual(['NHI_TRUST_INVALID']);
  });

  test('NHI_TRUST_MISSING: no assumedBy and no static credentials; several kinds of principal', () => {
    expect(codeFor(undefined)).toEqual(['NHI_TRUST_MISSING']);
    expect(codeFor(new iam.CompositePrincipal(new iam.ServicePrincipal('lambda.amazonaws.com'), new iam.ArnPrincipal('arn:aws:iam::123456789012:role/w'))))
      .toEqual(['NHI_TRUST_MISSING']);
  });

  test('NHI_TRUST_UNSUPPORTED: a canonical user', () => {
    expect(codeFor(new iam.CanonicalUserPrincipal('79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be'))).toEqual(['NHI_TRUST_UNSUPPORTED']);
  });

  test('accepted: a workload role (also as a token), OIDC with a pinned subject', () => {
    const stack = testStack();
    const worker = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    new GovernedServiceAccount(stack, 'A', saProps({ name: 'a', assumedBy: new iam.ArnPrincipal(worker.roleArn) }));
    const oidc = new GovernedServiceAccount(stack, 'B', saProps({
      name: 'b',
      assumedBy: new iam.WebIdentityPrincipal('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': 'repo:acme/billing:ref:refs/heads/main',
        },
      }),
    }));
    expect(oidc.registerEntry.details).toEqual({
      trust: { oidc: { providerArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', issuer: 'token.actions.githubusercontent.com', audience: 'sts.amazonaws.com', subject: 'repo:acme/billing:ref:refs/heads/main' } },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'b',
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: Match.objectLike({ DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } }),
        })],
      },
    });
  });
});

describe('GovernedServiceAccount: the contract is checked in the constructor, all violations at once', () => {
  test('every violation in one GovernanceError', () => {
    const err = governanceError(() => new GovernedServiceAccount(testStack(), 'Bad', {
      owner: { team: 'Billing Team', contact: 'nobody' },
      purpose: 'todo',
      expires: '2026-01-01',
      name: 'bad name',
      assumedBy: new iam.AnyPrincipal(),
      scope: [{ actions: ['s3:*', 's3:GetObjects'], resources: ['*'] }],
    }));
    const codes = err.violations.map((v) => v.code);
    expect(codes).toEqual(expect.arrayContaining([
      'NHI_OWNER_CONTACT_INVALID', 'NHI_PURPOSE_VAGUE', 'NHI_EXPIRY_PAST', 'NHI_NAME_INVALID', 'NHI_TRUST_WILDCARD',
      'NHI_SCOPE_WILDCARD', 'NHI_SCOPE_UNKNOWN_ACTION',
    ]));
    expect(err.message).toContain('Billing/Bad');
  });

  test('plain JavaScript with no props gets the GovernanceError, not a TypeError', () => {
    const err = governanceError(() => new GovernedServiceAccount(testStack(), 'Empty', undefined as any));
    expect(err.violations.map((v) => v.code)).toEqual(expect.arrayContaining(['NHI_OWNER_MISSING', 'NHI_PURPOSE_MISSING', 'NHI_EXPIRY_MISSING', 'NHI_SCOPE_EMPTY']));
  });

  test('NHI_SCOPE_PRIVILEGED without a justification; accepted with one', () => {
    const grant = { actions: ['iam:PassRole'], resources: ['arn:aws:iam::123456789012:role/worker'] };
    expect(governanceError(() => new GovernedServiceAccount(testStack(), 'P', saProps({ scope: [grant] }))).violations.map((v) => v.code))
      .toEqual(['NHI_SCOPE_PRIVILEGED']);
    new GovernedServiceAccount(testStack(), 'P', saProps({ scope: [{ ...grant, justification: 'Starts the nightly worker task with its own role' }] }));
  });

  test('the GovernancePolicy on a scope applies (NHI_EXPIRY_TOO_FAR)', () => {
    const app = testApp();
    GovernancePolicy.of(app).apply({ maxLifetimeDays: 90 });
    expect(governanceError(() => new GovernedServiceAccount(testStack(app), 'Sa', saProps())).violations.map((v) => v.code)).toEqual(['NHI_EXPIRY_TOO_FAR']);
  });

  test('NHI_STATIC_CREDENTIALS_UNJUSTIFIED and NHI_ROTATION_TOO_LONG', () => {
    const err = governanceError(() => new GovernedServiceAccount(testStack(), 'S', saProps({
      assumedBy: undefined, staticCredentials: { justification: 'tbd', rotationDays: 400 },
    })));
    expect(err.violations.map((v) => v.code)).toEqual(['NHI_STATIC_CREDENTIALS_UNJUSTIFIED', 'NHI_ROTATION_TOO_LONG']);
  });

  test('NHI_TRUST_INVALID: static credentials and assumedBy together', () => {
    const err = governanceError(() => new GovernedServiceAccount(testStack(), 'S', saProps({ staticCredentials: STATIC })));
    expect(err.violations.map((v) => v.code)).toEqual(['NHI_TRUST_INVALID']);
  });
});

describe('GovernedServiceAccount with staticCredentials', () => {
  const stack = testStack();
  const sa = new GovernedServiceAccount(stack, 'Legacy', saProps({ name: 'legacy-batch', assumedBy: undefined, staticCredentials: STATIC }));
  const template = Template.fromStack(stack);

  test('an IAM user without console access, the scoped expiring policy, no access key in the template', () => {
    template.hasResourceProperties('AWS::IAM::User', { UserName: 'legacy-batch', Path: '/nhi/', LoginProfile: Match.absent() });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: 'nhi-scope',
      Users: [{ Ref: Match.stringLikeRegexp('LegacyUser') }],
      PolicyDocument: { Statement: [Match.objectLike({ Condition: { DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } } })] },
    });
    template.resourceCountIs('AWS::IAM::AccessKey', 0);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/SecretAccessKey"\s*:\s*\{\s*"Fn::GetAtt/);
  });

  test('the key lives only in Secrets Manager, rotated by a real RotationSchedule and function', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'nhi/legacy-batch/access-key' });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationLambdaARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('LegacyRotationFunction'), 'Arn'] },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
      RotateImmediatelyOnUpdate: true,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Code: { ZipFile: Match.stringLikeRegexp('createSecret') },
      Environment: { Variables: Match.objectLike({ NHI_KIND: 'access-key', NHI_USER_NAME: 'legacy-batch', NHI_EXPIRES_AT: '2027-06-30T00:00:00Z' }) },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'secretsmanager.amazonaws.com',
      SourceArn: { Ref: Match.stringLikeRegexp('LegacySecret') },
    });
    expect(sa.grantPrincipal).toBe(sa.user);
    expect(sa.registerEntry.credentials).toBe('access-key');
    expect(sa.registerEntry.rotation).toEqual({ days: 30 });
  });

  test('the rotation function may manage exactly this user\'s keys and this secret', () => {
    const roles = template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('access key of IAM user legacy-batch') } });
    const statements = (Object.values(roles)[0] as any).Properties.Policies[0].PolicyDocument.Statement;
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({
        Action: ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys', 'iam:UpdateAccessKey'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^LegacyUser/), 'Arn'] },
      }),
      expect.objectContaining({ Resource: { Ref: expect.stringMatching(/^LegacySecret/) } }),
    ]));
    expect(JSON.stringify(statements)).not.toContain('"Resource":"*"');
  });

  test('the keys are disabled at expiry: a one-time schedule invokes the function', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'at(2027-06-30T00:00:00)',
      Target: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('LegacyRotationFunction'), 'Arn'] }, Input: '{"nhiAction":"disable"}' },
    });
  });

  test('a grant to the user is checked like one to a role', () => {
    const app = testApp();
    const s = testStack(app);
    const u = new GovernedServiceAccount(s, 'Legacy', saProps({ assumedBy: undefined, staticCredentials: STATIC }));
    iam.Grant.addToPrincipal({ grantee: u, actions: ['s3:DeleteObject'], resourceArns: ['arn:aws:s3:::billing-exports/reports/*'] });
    expect(() => app.synth()).toThrow(/NHI_SCOPE_WIDENED/);
  });
});

describe('GovernedServiceAccount: alarms', () => {
  test('AccessDenied alarm on the CloudTrail log group, routed to the given topic', () => {
    const stack = testStack();
    const trail = logs.LogGroup.fromLogGroupName(stack, 'Trail', 'cloudtrail-events');
    const topic = new sns.Topic(stack, 'Pager');
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps({ alarms: { topic, cloudTrailLogGroup: trail, runbookUrl: 'https://runbooks.example.com/nhi' } }));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: 'cloudtrail-events',
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'NHI', MetricName: 'nhi-access-denied-billing-report-reader' })],
    });
    expect(JSON.stringify(t.findResources('AWS::Logs::MetricFilter'))).toContain('$.userIdentity.sessionContext.sessionIssuer.arn');
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('Runbook: https://runbooks.example.com/nhi'),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Pager') }],
      Threshold: 1,
    });
    t.resourceCountIs('AWS::SNS::Subscription', 0); // the given topic replaces the owner topic
    expect(sa.registerEntry.alarms.map((a) => a.kind)).toEqual(['expiry-reminder', 'expired', 'policy-changed', 'access-denied-event', 'access-denied']);
  });

  test('identities sharing an owner and expiry share one topic and one schedule per notice', () => {
    const stack = testStack();
    for (let i = 0; i < 5; i++) new GovernedServiceAccount(stack, `Sa${i}`, saProps({ name: `sa-${i}` }));
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.resourceCountIs('AWS::Scheduler::Schedule', 2);
    t.resourceCountIs('AWS::IAM::Role', 6); // 5 identities + the scheduler role
    const schedules = Object.values(t.findResources('AWS::Scheduler::Schedule')) as any[];
    expect(schedules[0].Properties.Target.Input).toContain('Billing/Sa4');
  });
});

describe('GovernedServiceAccount: names (AWS CDK idioms: generated physical names, tokens)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CfnParameter, Fn, PhysicalName } = require('aws-cdk-lib/core') as typeof import('aws-cdk-lib/core');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NhiRegister } = require('../../lib/aws-cdk') as typeof import('../../lib/aws-cdk');

  test('no name: CloudFormation generates it; the register records the path and the name as a reference to the role', () => {
    const stack = testStack();
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps({ name: undefined }));
    const t = Template.fromStack(stack);
    const roles = Object.entries(t.findResources('AWS::IAM::Role', { Properties: { Path: '/nhi/' } }));
    expect(roles).toHaveLength(1);
    const [logicalId, role] = roles[0] as [string, any];
    expect(role.Properties.RoleName).toBeUndefined();
    const [entry] = NhiRegister.of(stack).entries();
    expect(entry).toMatchObject({ path: 'Billing/Reader', name: `\${${logicalId}}` });
    expect(stack.resolve(sa.identityName)).toEqual({ Ref: logicalId });
  });

  test('PhysicalName.GENERATE_IF_NEEDED is accepted (no suggestion built from the token), and the role is usable across stacks', () => {
    const app = testApp();
    const stack = testStack(app);
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps({ name: PhysicalName.GENERATE_IF_NEEDED }));
    const other = new (require('aws-cdk-lib/core').Stack)(app, 'Other', { env: { account: '210987654321', region: 'eu-west-1' } });
    new iam.CfnRole(other, 'Consumer', { assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: sa.arn } }] } });
    const role = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role', { Properties: { Path: '/nhi/' } }))[0] as any;
    // Referenced from another account: the CDK generates a physical name.
    expect(role.Properties.RoleName).toMatch(/^billing/);
    expect(NhiRegister.of(stack).entries()[0].name).toBe(role.Properties.RoleName);
  });

  test('a CfnParameter or Fn.join name is accepted; the template and the register refer to it', () => {
    const stack = testStack();
    const param = new CfnParameter(stack, 'ReaderName', { type: 'String' });
    new GovernedServiceAccount(stack, 'Reader', saProps({ name: param.valueAsString }));
    new GovernedServiceAccount(stack, 'Joined', saProps({ name: Fn.join('-', ['billing', param.valueAsString]), scope: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::billing-exports/in/*'] }] }));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Role', { RoleName: { Ref: 'ReaderName' } });
    t.hasResourceProperties('AWS::IAM::Role', { RoleName: { 'Fn::Join': ['-', ['billing', { Ref: 'ReaderName' }]] } });
    expect(NhiRegister.of(stack).entries().map((e) => e.name).sort()).toEqual(['${ReaderName}', 'billing-${ReaderName}']);
  });

  test('Noncompliance: the text around a reference is checked (characters, length), with a fix that names no token', () => {
    const stack = testStack();
    const param = new CfnParameter(stack, 'ReaderName', { type: 'String' });
    const err = governanceError(() => new GovernedServiceAccount(stack, 'Reader', saProps({ name: `billing/${param.valueAsString}` })));
    expect(err.violations).toEqual([expect.objectContaining({ code: 'NHI_NAME_INVALID', field: 'name' })]);
    expect(err.violations[0].message).toContain('"/"');
    expect(err.violations[0].fix).not.toMatch(/Token|TOKEN/);
    const long = governanceError(() => new GovernedServiceAccount(stack, 'Long', saProps({ name: `${'a'.repeat(65)}${param.valueAsString}` })));
    expect(long.violations[0]).toMatchObject({ code: 'NHI_NAME_INVALID', message: expect.stringContaining('at most 64') });
    expect(governanceError(() => new GovernedServiceAccount(stack, 'Empty', saProps({ name: '' }))).violations[0].fix).toContain('leave it out');
    // The text an Fn.join adds around a reference is known, and checked.
    const joined = governanceError(() => new GovernedServiceAccount(stack, 'Joined', saProps({ name: Fn.join('/', ['billing', param.valueAsString]) })));
    expect(joined.violations[0]).toMatchObject({ code: 'NHI_NAME_INVALID', message: expect.stringContaining('"/"') });
  });

  test('static credentials with PhysicalName.GENERATE_IF_NEEDED: the marker is never read into other strings', () => {
    const stack = testStack();
    const trail = new logs.LogGroup(stack, 'Trail');
    new GovernedServiceAccount(stack, 'Legacy', saProps({ name: PhysicalName.GENERATE_IF_NEEDED, assumedBy: undefined, staticCredentials: STATIC, alarms: { cloudTrailLogGroup: trail } }));
    const t = Template.fromStack(stack);
    const [userId] = Object.keys(t.findResources('AWS::IAM::User'));
    t.hasResourceProperties('AWS::SecretsManager::Secret', { Name: { 'Fn::Join': ['', ['nhi/', { Ref: userId }, '/access-key']] } });
    expect(NhiRegister.of(stack).entries()[0].name).toBe(`\${${userId}}`);
  });

  test('static credentials without a name: user, secret, rotation and access-denied alarm refer to the generated user name', () => {
    const stack = testStack();
    const trail = new logs.LogGroup(stack, 'Trail');
    new GovernedServiceAccount(stack, 'Legacy', saProps({ name: undefined, assumedBy: undefined, staticCredentials: STATIC, alarms: { cloudTrailLogGroup: trail } }));
    const t = Template.fromStack(stack);
    const users = Object.entries(t.findResources('AWS::IAM::User'));
    expect(users).toHaveLength(1);
    const [userId, user] = users[0] as [string, any];
    expect(user.Properties.UserName).toBeUndefined();
    t.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: { 'Fn::Join': ['', ['nhi/', { Ref: userId }, '/access-key']] },
      SecretString: { 'Fn::Join': ['', ['{"UserName":"', { Ref: userId }, '"}']] },
    });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ NHI_USER_NAME: { Ref: userId } }) } });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: { 'Fn::Join': ['', ['nhi-access-denied-', { Ref: userId }]] } });
    expect(NhiRegister.of(stack).entries()[0].name).toBe(`\${${userId}}`);
  });
});

describe('GovernedServiceAccount: CloudTrail alarms that need no input (EventBridge)', () => {
  const rules = (stack: any) => Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')) as any[];

  test('a role: policy changes and AccessDenied rules routed to the owner\'s topic, which lets EventBridge publish', () => {
    const stack = testStack();
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    const all = rules(stack);
    expect(all).toHaveLength(2);
    const policy = all.find((r) => r.Properties.EventPattern.source)!.Properties;
    expect(policy.EventPattern.detail.requestParameters).toEqual({ roleName: [sa.identityName] });
    expect(policy.EventPattern.detail.eventName).toEqual(expect.arrayContaining(['PutRolePolicy', 'DetachRolePolicy', 'UpdateAssumeRolePolicy']));
    const denied = all.find((r) => !r.Properties.EventPattern.source)!.Properties;
    expect(denied.EventPattern.detail.userIdentity).toEqual({ type: ['AssumedRole'], sessionContext: { sessionIssuer: { userName: [sa.identityName] } } });
    expect(policy.Targets[0].Arn).toEqual({ Ref: expect.stringMatching(/^NhiNoticesOwner/) });
    const topicPolicy = Object.values(Template.fromStack(stack).findResources('AWS::SNS::TopicPolicy'))[0] as any;
    expect(topicPolicy.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({
      Sid: 'NhiAlarms', Effect: 'Allow', Action: 'sns:Publish',
      Principal: { Service: ['events.amazonaws.com', 'cloudwatch.amazonaws.com'] },
    }));
  });

  test('static credentials: key creation by anyone but the rotation function (whose role name carries the exempt prefix)', () => {
    const stack = testStack();
    new GovernedServiceAccount(stack, 'Legacy', saProps({ assumedBy: undefined, staticCredentials: STATIC }));
    const keyCreated = rules(stack).find((r) => r.Properties.EventPattern.detail.eventName?.[0] === 'CreateAccessKey')!.Properties.EventPattern;
    expect(keyCreated.detail.$or[1]).toEqual({ userIdentity: { sessionContext: { sessionIssuer: { userName: [{ 'anything-but': { prefix: 'nhi-rotation-' } }] } } } });
    const role = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role')).find((r: any) => /rotates/.test(r.Properties.Description)) as any;
    expect(role.Properties.RoleName['Fn::Join'][1][0]).toBe('nhi-rotation-');
  });

  test('shared per stack: 200 identities of one owner need a few rules, each pattern within 2048 characters', () => {
    const stack = testStack();
    for (let i = 0; i < 200; i++) new GovernedServiceAccount(stack, `R${i}`, saProps({ name: `billing-report-reader-${i}` }));
    const all = rules(stack);
    expect(all.length).toBeLessThanOrEqual(14);
    expect(all.every((r) => JSON.stringify(r.Properties.EventPattern).length <= 2048)).toBe(true);
  });
});
