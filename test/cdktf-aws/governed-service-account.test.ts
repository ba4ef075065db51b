import { TerraformVariable } from 'cdktf';
import { GovernedServiceAccount, GovernedServiceAccountProps } from '../../lib/cdktf-aws';
import { GovernancePolicy } from '../../lib/core';
import { awsStack, GOVERNANCE, governanceError, resources, synth } from '../helpers/cdktf';
import { canAssume, isAllowed } from '../helpers/iam-simulate';

const BASE: GovernedServiceAccountProps = {
  ...GOVERNANCE,
  name: 'billing-report-reader',
  assumedBy: { service: 'lambda.amazonaws.com' },
  scope: [
    { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/*'] },
    { actions: ['s3:ListAllMyBuckets'], resources: ['*'] },
  ],
};

function build(props: Partial<GovernedServiceAccountProps> = {}, context: Record<string, unknown> = {}) {
  const { app, stack } = awsStack('stack', context);
  const sa = new GovernedServiceAccount(stack, 'Reader', { ...BASE, ...props } as GovernedServiceAccountProps);
  return { app, stack, sa, json: synth(stack) };
}

describe('GovernedServiceAccount (cdktf AWS): workload identity by default', () => {
  test('creates a role and a scoped inline policy, no user and no key', () => {
    const { json } = build();
    expect(resources(json, 'aws_iam_role').map((r) => r.name)).toContain('billing-report-reader');
    expect(resources(json, 'aws_iam_role_policy')).toHaveLength(2); // the identity's + the shared scheduler role's
    expect(json.resource.aws_iam_user).toBeUndefined();
    expect(json.resource.aws_iam_access_key).toBeUndefined();
    expect(json.resource.aws_secretsmanager_secret).toBeUndefined();
  });

  test('the policy is a literal JSON string; every statement expires; actions in canonical case', () => {
    const { sa } = build({ scope: [{ actions: ['S3:getobject', 's3:ListBucket'], resources: ['arn:aws:s3:::billing-exports', 'arn:aws:s3:::billing-exports/*'] }] });
    const doc = JSON.parse(sa.policyDocument);
    expect(doc).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'Scope0',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: ['arn:aws:s3:::billing-exports', 'arn:aws:s3:::billing-exports/*'],
        Condition: { DateLessThan: { 'aws:CurrentTime': '2027-03-01T00:00:00Z' } },
      }],
    });
    const { json } = build();
    const policy = resources(json, 'aws_iam_role_policy').find((p) => p.name === 'nhi-scope');
    expect(typeof policy.policy).toBe('string');
    expect(JSON.parse(policy.policy).Statement.every((s: any) => s.Condition.DateLessThan['aws:CurrentTime'] === '2027-03-01T00:00:00Z')).toBe(true);
  });

  test('IAM simulation: in scope allowed before expiry, out of scope denied, everything denied after expiry', async () => {
    const { sa } = build();
    const before = '2027-02-28T23:59:59Z';
    const after = '2027-03-01T00:00:00Z';
    const obj = 'arn:aws:s3:::billing-exports/2026/11/export.csv';
    expect(await isAllowed(sa.policyDocument, { action: 's3:GetObject', resource: obj, time: before })).toBe(true);
    expect(await isAllowed(sa.policyDocument, { action: 's3:ListAllMyBuckets', resource: '*', time: before })).toBe(true);
    expect(await isAllowed(sa.policyDocument, { action: 's3:PutObject', resource: obj, time: before })).toBe(false);
    expect(await isAllowed(sa.policyDocument, { action: 's3:GetObject', resource: 'arn:aws:s3:::other-bucket/x', time: before })).toBe(false);
    expect(await isAllowed(sa.policyDocument, { action: 's3:GetObject', resource: obj, time: after })).toBe(false);
    expect(await isAllowed(sa.policyDocument, { action: 's3:ListAllMyBuckets', resource: '*', time: '2030-01-01T00:00:00Z' })).toBe(false);
  });

  test('IAM simulation of the trust policy: only the workload may assume it, and only before expiry', async () => {
    const { json } = build();
    const role = resources(json, 'aws_iam_role').find((r) => r.name === 'billing-report-reader');
    const trust = role.assume_role_policy;
    expect(await canAssume(trust, { principal: 'lambda.amazonaws.com', time: '2027-01-01T00:00:00Z' })).toBe(true);
    expect(await canAssume(trust, { principal: 'ec2.amazonaws.com', time: '2027-01-01T00:00:00Z' })).toBe(false);
    expect(await canAssume(trust, { principal: 'lambda.amazonaws.com', time: '2027-03-02T00:00:00Z' })).toBe(false);
  });

  test('OIDC federation pins audience and subject', () => {
    const { json } = build({
      assumedBy: {
        oidc: {
          providerArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
          issuer: 'token.actions.githubusercontent.com',
          audience: 'sts.amazonaws.com',
          subject: 'repo:acme/billing:ref:refs/heads/main',
        },
      },
    });
    const trust = JSON.parse(resources(json, 'aws_iam_role').find((r) => r.name === 'billing-report-reader').assume_role_policy);
    expect(trust.Statement[0]).toMatchObject({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' },
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': 'repo:acme/billing:ref:refs/heads/main',
        },
        DateLessThan: { 'aws:CurrentTime': '2027-03-01T00:00:00Z' },
      },
    });
  });

  test('tags on every taggable resource it creates, sanitised to AWS charset', () => {
    const { json } = build({ purpose: 'Reads (nightly) billing exports; for reports!' });
    const role = resources(json, 'aws_iam_role').find((r) => r.name === 'billing-report-reader');
    expect(role.tags).toEqual({
      'nhi:owner-team': 'billing',
      'nhi:owner-contact': 'billing@example.com',
      'nhi:purpose': 'Reads nightly billing exports for reports',
      'nhi:expires': '2027-03-01',
      'nhi:managed-by': 'nhi-constructs',
      'nhi:id': 'stack/Reader',
    });
  });

  test('expiry reminder and expiry notice go to an SNS topic with the owner subscribed', () => {
    const { json } = build();
    const topics = resources(json, 'aws_sns_topic');
    expect(topics).toHaveLength(1);
    expect(resources(json, 'aws_sns_topic_subscription')).toEqual([
      expect.objectContaining({ protocol: 'email', endpoint: 'billing@example.com' }),
    ]);
    const schedules = resources(json, 'aws_scheduler_schedule').map((s) => s.schedule_expression).sort();
    expect(schedules).toEqual(['at(2027-01-30T09:00:00)', 'at(2027-03-01T00:00:00)']);
    const reminder = resources(json, 'aws_scheduler_schedule').find((s) => s.schedule_expression === 'at(2027-01-30T09:00:00)');
    expect(reminder.target.input).toContain('stack/Reader');
    expect(reminder.schedule_expression_timezone).toBe('UTC');
  });

  test('identities of one owner share a topic and a reminder per day', () => {
    const { stack } = awsStack();
    new GovernedServiceAccount(stack, 'A', BASE);
    new GovernedServiceAccount(stack, 'B', { ...BASE, name: 'other-reader' });
    new GovernedServiceAccount(stack, 'C', { ...BASE, name: 'third-reader', owner: { team: 'ops', contact: 'ops@example.com' } });
    const json = synth(stack);
    expect(resources(json, 'aws_sns_topic')).toHaveLength(2);
    expect(resources(json, 'aws_scheduler_schedule')).toHaveLength(4);
    const shared = resources(json, 'aws_scheduler_schedule').find((s) => s.target.input.includes('stack/A'));
    expect(shared.target.input).toContain('stack/B');
    expect(shared.target.input).not.toContain('stack/C');
  });

  test('a topic the user passes replaces the owner topic', () => {
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:platform-alerts';
    const { json, sa } = build({ alarms: { topicArn } });
    expect(json.resource.aws_sns_topic).toBeUndefined();
    expect(resources(json, 'aws_scheduler_schedule').every((s) => s.target.arn === topicArn)).toBe(true);
    expect(sa.registerEntry.alarms.every((a) => a.notifies === topicArn)).toBe(true);
  });

  test('with a CloudTrail log group: an AccessDenied metric filter on the role and an alarm to the owner', () => {
    const { json } = build({ alarms: { cloudTrailLogGroupName: 'org-trail', runbookUrl: 'https://wiki.example.com/nhi' } });
    const [filter] = resources(json, 'aws_cloudwatch_log_metric_filter');
    expect(filter.log_group_name).toBe('org-trail');
    expect(filter.pattern).toMatch(/^\{ \(\(\$\.errorCode = "\*UnauthorizedOperation"\) \|\| \(\$\.errorCode = "AccessDenied\*"\)\) && \(\$\.userIdentity\.sessionContext\.sessionIssuer\.arn = "\$\{aws_iam_role\.Reader_Role_[0-9A-F]+\.arn\}"\) \}$/);
    const [alarm] = resources(json, 'aws_cloudwatch_metric_alarm');
    expect(alarm).toMatchObject({ threshold: 1, comparison_operator: 'GreaterThanOrEqualToThreshold', treat_missing_data: 'notBreaching' });
    expect(alarm.alarm_description).toContain('billing@example.com');
    expect(alarm.alarm_description).toContain('https://wiki.example.com/nhi');
    expect(alarm.alarm_actions[0]).toMatch(/aws_sns_topic/);
  });

  test('register entry: owner, purpose, expiry, scope with access levels, alarms, controls', () => {
    const { sa } = build({ alarms: { cloudTrailLogGroupName: 'org-trail' } });
    expect(sa.registerEntry).toMatchObject({
      path: 'stack/Reader',
      kind: 'service-account',
      cloud: 'aws',
      name: 'billing-report-reader',
      owner: { team: 'billing', contact: 'billing@example.com' },
      expires: '2027-03-01',
      credentials: 'none',
      rotation: undefined,
      controls: ['NHI1', 'NHI4', 'NHI5', 'NHI7'],
      details: { trust: { service: 'lambda.amazonaws.com' } },
    });
    expect(sa.registerEntry.scope[0].actions).toEqual([{ action: 's3:GetObject', accessLevel: 'Read', privileged: false }]);
    expect(sa.registerEntry.alarms.map((a) => a.kind)).toEqual(['expiry-reminder', 'expired', 'policy-changed', 'access-denied-event', 'access-denied']);
  });
});

describe('GovernedServiceAccount (cdktf AWS): static credentials', () => {
  const STATIC = { assumedBy: undefined, staticCredentials: { justification: 'On-premises scanner cannot assume roles', rotationDays: 30 } };

  test('an IAM user with the scoped expiring policy, no console login, no role', () => {
    const { json } = build(STATIC);
    expect(resources(json, 'aws_iam_user')).toEqual([expect.objectContaining({ name: 'billing-report-reader', force_destroy: true, path: '/nhi/' })]);
    expect(json.resource.aws_iam_user_login_profile).toBeUndefined();
    const [policy] = resources(json, 'aws_iam_user_policy');
    expect(JSON.parse(policy.policy).Statement[0].Condition).toEqual({ DateLessThan: { 'aws:CurrentTime': '2027-03-01T00:00:00Z' } });
    expect(resources(json, 'aws_iam_role').map((r) => r.name)).not.toContain('billing-report-reader');
  });

  test('the key is created and rotated in the cloud by a Secrets Manager rotation function, not by Terraform', () => {
    const { json } = build(STATIC);
    // Terraform manages no key: nothing to re-create or revert after the function rotated it.
    expect(json.resource.aws_iam_access_key).toBeUndefined();
    expect(json.resource.time_rotating).toBeUndefined();
    expect(json.resource.terraform_data).toBeUndefined();
    const [rotation] = resources(json, 'aws_secretsmanager_secret_rotation');
    expect(rotation).toMatchObject({ rotation_rules: { automatically_after_days: 30 }, rotate_immediately: true });
    expect(rotation.secret_id).toMatch(/^\$\{aws_secretsmanager_secret\.Reader_Secret_[0-9A-F]+\.id\}$/);
    const [fn] = resources(json, 'aws_lambda_function');
    expect(rotation.rotation_lambda_arn).toMatch(/^\$\{aws_lambda_function\.Reader_Rotation_Function_[0-9A-F]+\.arn\}$/);
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', handler: 'index.handler', timeout: 120 });
    expect(fn.filename).toMatch(/^assets\/NhiRotationCode_Asset_[0-9A-F]+\/[0-9a-f]{32}\/rotation\.zip$/);
    expect(fn.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(fn.function_name).toMatch(/^nhi-rotate-billing-report-reader-[0-9a-f]{8}$/);
    expect(fn.environment.variables).toMatchObject({
      NHI_KIND: 'access-key', NHI_USER_NAME: 'billing-report-reader', NHI_EXPIRES_AT: '2027-03-01T00:00:00Z',
    });
    // Only Secrets Manager, for this secret, may invoke it.
    const [permission] = resources(json, 'aws_lambda_permission');
    expect(permission).toMatchObject({ principal: 'secretsmanager.amazonaws.com', action: 'lambda:InvokeFunction' });
    expect(permission.source_arn).toMatch(/aws_secretsmanager_secret\.Reader_Secret_[0-9A-F]+\.arn/);
  });

  test('the rotation function may touch the keys of this user and this secret only', () => {
    const { json } = build(STATIC);
    const policy = JSON.parse(resources(json, 'aws_iam_role_policy').find((p) => p.name === 'nhi-rotation').policy);
    expect(policy.Statement).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [expect.stringMatching(/aws_cloudwatch_log_group\..*\.arn\}:\*$/)] },
      {
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        Resource: [expect.stringMatching(/^\$\{aws_secretsmanager_secret\.Reader_Secret_[0-9A-F]+\.arn\}$/)],
      },
      {
        Effect: 'Allow',
        Action: ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys', 'iam:UpdateAccessKey'],
        Resource: [expect.stringMatching(/^\$\{aws_iam_user\.Reader_User_[0-9A-F]+\.arn\}$/)],
      },
    ]);
    const kms = build({ ...STATIC, secretKmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/abc' }).json;
    const kmsPolicy = JSON.parse(resources(kms, 'aws_iam_role_policy').find((p) => p.name === 'nhi-rotation').policy);
    expect(kmsPolicy.Statement).toContainEqual({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: ['arn:aws:kms:eu-west-1:123456789012:key/abc'] });
  });

  test('the key goes only to Secrets Manager: no output, secret with a recovery window and tags', () => {
    const { json } = build(STATIC);
    expect(json.output).toBeUndefined();
    const [secret] = resources(json, 'aws_secretsmanager_secret');
    expect(secret).toMatchObject({ name: 'nhi/billing-report-reader/access-key', recovery_window_in_days: 7 });
    expect(secret.tags['nhi:owner-team']).toBe('billing');
    // The first version holds no credential; Terraform never moves AWSCURRENT back to it.
    const [version] = resources(json, 'aws_secretsmanager_secret_version');
    expect(JSON.parse(version.secret_string)).toEqual({ UserName: 'billing-report-reader' });
    expect(version.lifecycle).toEqual({ ignore_changes: ['secret_string', 'version_stages'] });
  });

  test('the keys are disabled at expiry: EventBridge Scheduler invokes the rotation function with nhiAction disable', () => {
    const { json } = build(STATIC);
    const disable = resources(json, 'aws_scheduler_schedule').find((s) => /aws_lambda_function/.test(s.target.arn));
    expect(disable.schedule_expression).toBe('at(2027-03-01T00:00:00)');
    expect(JSON.parse(disable.target.input)).toEqual({ nhiAction: 'disable' });
    const schedulerPolicy = JSON.parse(resources(json, 'aws_iam_role_policy').find((p) => p.name === 'nhi-scheduler').policy);
    expect(schedulerPolicy.Statement).toContainEqual({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [expect.stringMatching(/aws_lambda_function\..*\.arn/)] });
  });

  test('rotation defaults to the policy and the register records it', () => {
    const { sa } = build({ assumedBy: undefined, staticCredentials: { justification: 'On-premises scanner cannot assume roles' } });
    expect(sa.registerEntry.rotation).toEqual({ days: 30 });
    expect(sa.registerEntry.credentials).toBe('access-key');
    expect(sa.registerEntry.controls).toEqual(['NHI1', 'NHI2', 'NHI5', 'NHI7']);
  });
});

describe('GovernedServiceAccount (cdktf AWS): errors say exactly what to fix', () => {
  test('every violation at once, with path, field, given value and fix', () => {
    const { stack } = awsStack();
    const err = governanceError(() => new GovernedServiceAccount(stack, 'Bad', {
      owner: { team: 'Billing Team', contact: 'not-an-email' },
      purpose: 'todo',
      expires: '2020-01-01',
      name: 'bad name!',
      assumedBy: { service: 'lambda' },
      scope: [{ actions: ['s3:GetObjects', 's3:*'], resources: ['*'] }],
    }));
    expect(err.violations.map((v) => v.code).sort()).toEqual([
      'NHI_EXPIRY_PAST', 'NHI_NAME_INVALID', 'NHI_OWNER_CONTACT_INVALID', 'NHI_OWNER_TEAM_INVALID', 'NHI_PURPOSE_VAGUE',
      'NHI_SCOPE_UNKNOWN_ACTION', 'NHI_SCOPE_WILDCARD', 'NHI_SCOPE_WILDCARD', 'NHI_TRUST_INVALID',
    ]);
    expect(err.message).toContain('stack/Bad');
    expect(err.message).toContain('[NHI_SCOPE_UNKNOWN_ACTION] scope[0].actions[0]');
    expect(err.message).toContain("'s3:GetObject'");
    expect(err.message).toContain('given: "2020-01-01"');
  });

  test('plain JavaScript callers that omit everything get a GovernanceError, not a TypeError', () => {
    const { stack } = awsStack();
    const err = governanceError(() => new GovernedServiceAccount(stack, 'Empty', undefined as any));
    expect(err.violations.map((v) => v.code)).toEqual(expect.arrayContaining([
      'NHI_OWNER_MISSING', 'NHI_PURPOSE_MISSING', 'NHI_EXPIRY_MISSING', 'NHI_SCOPE_EMPTY', 'NHI_NAME_INVALID', 'NHI_TRUST_MISSING',
    ]));
    const err2 = governanceError(() => new GovernedServiceAccount(stack, 'Nulls', { owner: null, purpose: null, expires: null, scope: [null], name: null, assumedBy: null } as any));
    expect(err2.violations.length).toBeGreaterThan(4);
  });

  test('NHI_TRUST_MISSING: no principal, or several kinds at once', () => {
    const { stack } = awsStack();
    expect(governanceError(() => new GovernedServiceAccount(stack, 'A', { ...BASE, assumedBy: undefined })).violations[0]).toMatchObject({ code: 'NHI_TRUST_MISSING', field: 'assumedBy' });
    const err = governanceError(() => new GovernedServiceAccount(stack, 'B', { ...BASE, assumedBy: { service: 'lambda.amazonaws.com', roleArns: ['arn:aws:iam::123456789012:role/x'] } }));
    expect(err.violations[0]).toMatchObject({ code: 'NHI_TRUST_MISSING' });
    expect(err.violations[0].message).toContain('service, roleArns');
  });

  test('NHI_TRUST_WILDCARD: an OIDC subject with a wildcard, or a wildcard role ARN', () => {
    const { stack } = awsStack();
    const err = governanceError(() => new GovernedServiceAccount(stack, 'A', {
      ...BASE,
      assumedBy: { oidc: { providerArn: 'arn:aws:iam::123456789012:oidc-provider/x', issuer: 'x', audience: 'sts.amazonaws.com', subject: 'repo:acme/*' } },
    }));
    expect(err.violations).toEqual([expect.objectContaining({ code: 'NHI_TRUST_WILDCARD', field: 'assumedBy.oidc.subject' })]);
    const err2 = governanceError(() => new GovernedServiceAccount(stack, 'B', { ...BASE, assumedBy: { roleArns: ['arn:aws:iam::123456789012:role/*'] } }));
    expect(err2.violations).toEqual([expect.objectContaining({ code: 'NHI_TRUST_WILDCARD', field: 'assumedBy.roleArns[0]' })]);
  });

  test('NHI_TRUST_INVALID: an account root is not a workload; static credentials with assumedBy', () => {
    const { stack } = awsStack();
    const err = governanceError(() => new GovernedServiceAccount(stack, 'A', { ...BASE, assumedBy: { roleArns: ['arn:aws:iam::123456789012:root'] } }));
    expect(err.violations[0]).toMatchObject({ code: 'NHI_TRUST_INVALID', field: 'assumedBy.roleArns[0]' });
    const err2 = governanceError(() => new GovernedServiceAccount(stack, 'B', { ...BASE, staticCredentials: { justification: 'Legacy host cannot assume roles' } }));
    expect(err2.violations).toEqual([expect.objectContaining({ code: 'NHI_TRUST_INVALID', field: 'assumedBy' })]);
  });

  test('NHI_STATIC_CREDENTIALS_UNJUSTIFIED and NHI_ROTATION_TOO_LONG on static credentials', () => {
    const { stack } = awsStack();
    const err = governanceError(() => new GovernedServiceAccount(stack, 'A', {
      ...BASE, assumedBy: undefined, staticCredentials: { justification: 'legacy', rotationDays: 365 },
    }));
    expect(err.violations.map((v) => [v.code, v.field])).toEqual([
      ['NHI_STATIC_CREDENTIALS_UNJUSTIFIED', 'staticCredentials.justification'],
      ['NHI_ROTATION_TOO_LONG', 'staticCredentials.rotationDays'],
    ]);
  });

  test('NHI_SCOPE_PRIVILEGED unless justified', () => {
    const { stack } = awsStack();
    const passRole = { actions: ['iam:PassRole'], resources: ['arn:aws:iam::123456789012:role/billing-worker'] };
    expect(governanceError(() => new GovernedServiceAccount(stack, 'A', { ...BASE, scope: [passRole] })).violations[0].code).toBe('NHI_SCOPE_PRIVILEGED');
    const sa = new GovernedServiceAccount(stack, 'B', { ...BASE, scope: [{ ...passRole, justification: 'Starts billing worker tasks with their role' }] });
    expect(sa.registerEntry.scope[0]).toMatchObject({ justification: 'Starts billing worker tasks with their role', actions: [{ action: 'iam:PassRole', privileged: true }] });
  });

  test('the organisation policy set on the app applies (closest wins)', () => {
    const { app, stack } = awsStack();
    GovernancePolicy.of(app).apply({ maxLifetimeDays: 30, allowedOwnerDomains: ['corp.example'] });
    const err = governanceError(() => new GovernedServiceAccount(stack, 'A', BASE));
    expect(err.violations.map((v) => v.code).sort()).toEqual(['NHI_EXPIRY_TOO_FAR', 'NHI_OWNER_DOMAIN_NOT_ALLOWED']);
    GovernancePolicy.of(stack).apply({ maxLifetimeDays: 180, allowedOwnerDomains: ['example.com'] });
    expect(() => new GovernedServiceAccount(stack, 'B', BASE)).not.toThrow();
  });
});

describe('GovernedServiceAccount (cdktf AWS): deterministic synth', () => {
  test('two synths of the same app give the same bytes, register included', () => {
    const { Testing } = require('cdktf');
    const { NhiRegister } = require('../../lib/cdktf');
    const make = () => {
      const { stack } = awsStack();
      new GovernedServiceAccount(stack, 'Reader', BASE);
      new GovernedServiceAccount(stack, 'Legacy', { ...BASE, name: 'legacy', assumedBy: undefined, staticCredentials: { justification: 'Legacy host cannot assume roles' } });
      new GovernedServiceAccount(stack, 'Other', { ...BASE, name: 'other', alarms: { topicArn: 'arn:aws:sns:eu-west-1:123456789012:t' } });
      return stack;
    };
    const a = make();
    const b = make();
    expect(Testing.synth(a)).toEqual(Testing.synth(b));
    expect(NhiRegister.of(a).render()).toEqual(NhiRegister.of(b).render());
  });
});

describe('GovernedServiceAccount (cdktf AWS): organisation policy extras', () => {
  test('required tags: NHI_TAG_MISSING and NHI_TAG_NOT_ALLOWED; declared tags land on the resources', () => {
    const { app, stack } = awsStack();
    GovernancePolicy.of(app).apply({ requiredTags: { 'cost-center': [], 'data-class': ['public', 'internal'] } });
    const err = governanceError(() => new GovernedServiceAccount(stack, 'A', { ...BASE, tags: { 'data-class': 'secret' } }));
    expect(err.violations.map((v) => [v.code, v.field])).toEqual([
      ['NHI_TAG_MISSING', 'tags.cost-center'],
      ['NHI_TAG_NOT_ALLOWED', 'tags.data-class'],
    ]);
    new GovernedServiceAccount(stack, 'B', { ...BASE, tags: { 'cost-center': 'cc-42', 'data-class': 'internal', 'nhi:owner-team': 'spoofed' } });
    const role = resources(synth(stack), 'aws_iam_role').find((r) => r.name === 'billing-report-reader');
    expect(role.tags).toMatchObject({ 'cost-center': 'cc-42', 'data-class': 'internal', 'nhi:owner-team': 'billing' });
  });

  test('per-environment overrides apply to the stack that declares its environment', () => {
    const { app, stack } = awsStack();
    GovernancePolicy.of(app).apply({ environments: { prod: { maxLifetimeDays: 60 } } });
    expect(() => new GovernedServiceAccount(stack, 'Dev', BASE)).not.toThrow();
    GovernancePolicy.of(stack).apply({ environment: 'prod' });
    expect(governanceError(() => new GovernedServiceAccount(stack, 'Prod', { ...BASE, name: 'p' })).violations[0]).toMatchObject({ code: 'NHI_EXPIRY_TOO_FAR' });
  });
});

describe('GovernedServiceAccount (cdktf AWS): a name given as a reference (TerraformVariable, Fn.join)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Fn, TerraformVariable } = require('cdktf');

  /** Builds in `fn` and synthesises, collecting everything cdktf prints. */
  function quietly(fn: (stack: any) => void): { json: any; printed: string } {
    const { stack } = awsStack();
    const printed: string[] = [];
    const spies = (['log', 'warn', 'error', 'info'] as const).map((m) => jest.spyOn(console, m).mockImplementation((...a: unknown[]) => { printed.push(a.join(' ')); }));
    try {
      fn(stack);
      return { json: synth(stack), printed: printed.join('\n') };
    } finally {
      for (const s of spies) s.mockRestore();
    }
  }

  test('a role named by a variable and a user named by Fn.join synthesise with Terraform references, no warning', () => {
    const { json, printed } = quietly((stack) => {
      const name = new TerraformVariable(stack, 'reader_name', { type: 'string' }).stringValue;
      new GovernedServiceAccount(stack, 'Reader', { ...BASE, name, alarms: { cloudTrailLogGroupName: 'cloudtrail' } });
      new GovernedServiceAccount(stack, 'Legacy', {
        ...BASE, name: Fn.join('-', ['legacy', name]), assumedBy: undefined,
        staticCredentials: { justification: 'On-premises batch host cannot assume roles' },
      });
    });
    expect(printed).not.toMatch(/may be incorrect|TfToken|TOKEN\./);
    expect(JSON.stringify(json)).not.toMatch(/TfToken|TOKEN\.\d/);
    expect(resources(json, 'aws_iam_role').map((r) => r.name)).toContain('${var.reader_name}');
    expect(resources(json, 'aws_iam_user').map((r) => r.name)).toEqual(['${join("-", ["legacy", var.reader_name])}']);
    expect(resources(json, 'aws_cloudwatch_metric_alarm').map((r) => r.alarm_name)).toContain('nhi-access-denied-${var.reader_name}');
  });

  test('the text around the reference is checked; the fix names no token', () => {
    const { stack } = awsStack();
    const name = new TerraformVariable(stack, 'reader_name', { type: 'string' }).stringValue;
    const err = governanceError(() => new GovernedServiceAccount(stack, 'Reader', { ...BASE, name: `billing reader ${name}` }));
    expect(err.violations).toEqual([expect.objectContaining({ code: 'NHI_NAME_INVALID', field: 'name', message: expect.stringContaining('" "') })]);
    expect(err.violations[0].fix).not.toMatch(/TOKEN|Token/);
  });
});

describe('GovernedServiceAccount (cdktf AWS): CloudTrail alarms that need no input', () => {
  const patterns = (json: any) => resources(json, 'aws_cloudwatch_event_rule').map((r) => JSON.parse(r.event_pattern));

  test('a role: policy changes and AccessDenied through EventBridge, routed to the owner\'s topic', () => {
    const { json, sa } = build();
    const all = patterns(json);
    expect(all).toHaveLength(2);
    const rules = [all.find((p) => p.source)!, all.find((p) => !p.source)!];
    expect(rules[0]).toMatchObject({ 'source': ['aws.iam'], 'detail-type': ['AWS API Call via CloudTrail'], 'detail': { requestParameters: { roleName: ['billing-report-reader'] } } });
    expect(rules[0].detail.eventName).toEqual(expect.arrayContaining(['PutRolePolicy', 'AttachRolePolicy', 'UpdateAssumeRolePolicy']));
    expect(rules[1]).toEqual({
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': {
        errorCode: [{ prefix: 'AccessDenied' }, { suffix: 'UnauthorizedOperation' }],
        userIdentity: { type: ['AssumedRole'], sessionContext: { sessionIssuer: { userName: ['billing-report-reader'] } } },
      },
    });
    const topicArn = resources(json, 'aws_cloudwatch_event_target').map((t) => t.arn);
    expect(topicArn).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.NhiNotices_Owner-.*\.arn\}$/), expect.stringMatching(/^\$\{aws_sns_topic\./)]);
    // The owner's topic lets EventBridge (and CloudWatch) publish, from this account only.
    const [topicPolicy] = resources(json, 'aws_sns_topic_policy');
    expect(JSON.parse(topicPolicy.policy).Statement[1]).toMatchObject({
      Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] }, Action: 'sns:Publish',
    });
    expect(sa.registerEntry.alarms.map((a) => a.kind)).toEqual(['expiry-reminder', 'expired', 'policy-changed', 'access-denied-event']);
  });

  test('static credentials: a key created by anyone but the rotation function alarms too', () => {
    const { json } = build({ assumedBy: undefined, staticCredentials: { justification: 'On-premises scanner cannot assume roles' } });
    const [keyCreated] = patterns(json).filter((p) => p.detail.eventName?.includes('CreateAccessKey'));
    expect(keyCreated.detail).toEqual({
      eventSource: ['iam.amazonaws.com'],
      eventName: ['CreateAccessKey'],
      requestParameters: { userName: ['billing-report-reader'] },
      $or: [
        { userIdentity: { type: [{ 'anything-but': 'AssumedRole' }] } },
        { userIdentity: { sessionContext: { sessionIssuer: { userName: [{ 'anything-but': { prefix: 'nhi-rotation-' } }] } } } },
      ],
    });
    // The rotation function's role carries the prefix the pattern exempts.
    expect(resources(json, 'aws_iam_role').map((r) => r.name_prefix)).toContain('nhi-rotation-');
  });

  test('shared per stack: 300 identities of one owner need a few rules (each pattern within 2048 characters), not 300', () => {
    const { stack } = awsStack();
    for (let i = 0; i < 300; i++) {
      new GovernedServiceAccount(stack, `R${i}`, { ...BASE, name: `billing-report-reader-${i}` });
    }
    const rules = patterns(synth(stack));
    expect(rules.length).toBeLessThanOrEqual(20);
    expect(rules.every((p) => JSON.stringify(p).length <= 2048)).toBe(true);
    const watched = rules.flatMap((p) => p.detail.requestParameters?.roleName ?? p.detail.userIdentity?.sessionContext.sessionIssuer.userName ?? []);
    expect(watched).toHaveLength(600); // every role in one policy-changed and one access-denied rule
  });

  test('a name given as a reference: the patterns carry the Terraform reference, no token text', () => {
    const { stack } = awsStack();
    const name = new TerraformVariable(stack, 'scanner_name', { type: 'string' }).stringValue;
    new GovernedServiceAccount(stack, 'Scanner', { ...BASE, name, assumedBy: undefined, staticCredentials: { justification: 'On-premises scanner cannot assume roles' } });
    const json = synth(stack);
    expect(JSON.stringify(json)).not.toMatch(/TfToken|TOKEN\.\d/);
    expect(patterns(json).map((p) => JSON.stringify(p)).every((p) => p.includes('"${var.scanner_name}"'))).toBe(true);
    expect(resources(json, 'aws_lambda_function')[0].function_name).toMatch(/^nhi-rotate-[0-9a-f]{8}$/);
  });

  test('a topic given by the user is the target; its policy stays the user\'s', () => {
    const { json } = build({ alarms: { topicArn: 'arn:aws:sns:eu-west-1:123456789012:platform-alerts' } });
    expect(resources(json, 'aws_cloudwatch_event_target').map((t) => t.arn)).toEqual(['arn:aws:sns:eu-west-1:123456789012:platform-alerts', 'arn:aws:sns:eu-west-1:123456789012:platform-alerts']);
    expect(json.resource.aws_sns_topic_policy).toBeUndefined();
  });
});
