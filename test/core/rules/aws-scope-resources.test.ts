import { GovernedServiceAccount } from '../../../lib/cdktf-aws';
import { DEFAULT_POLICY, forbiddenBy, GovernancePolicy, ResolvedGovernancePolicy } from '../../../lib/core/policy';
import { arnMatchesFormat, classifyWildcard, formatsOf, ResourceWildcard, splitArn } from '../../../lib/core/private/arn';
import { awsScopeReaches } from '../../../lib/core/rules/aws-principal';
import { analyzeAwsScope } from '../../../lib/core/rules/aws-scope';
import { checkAwsTrust } from '../../../lib/core/rules/aws-trust';
import { checkEnvironmentCrossing } from '../../../lib/core/rules/lifecycle';
import { Waivers } from '../../../lib/core/waivers';
import { awsStack, GOVERNANCE, governanceError } from '../../helpers/cdktf';
import { isAllowed } from '../../helpers/iam-simulate';

const policy = (p: Partial<ResolvedGovernancePolicy> = {}): ResolvedGovernancePolicy => ({ ...DEFAULT_POLICY, ...p });
const analyze = (scope: unknown, p = policy()) => analyzeAwsScope(scope, p);
const codes = (scope: unknown, p = policy()) => analyze(scope, p).violations.map((v) => [v.code, v.field]);
const TABLE = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders';
const JUSTIFIED = 'reads the monthly export buckets the billing job creates';
/** The identity policy a grant becomes (without the expiry condition: only resource fit is under test). */
const doc = (actions: string[], resources: string[]) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resources }] });

describe('NHI_SCOPE_RESOURCE_MISMATCH: each action must apply to a resource type its grant names', () => {
  test('Noncompliance 1: s3:GetObject on a bucket ARN grants nothing; the fix is the objects ARN', async () => {
    const vs = analyze([{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b'] }]).violations;
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_SCOPE_RESOURCE_MISMATCH', field: 'scope[0].actions[0]', given: '"s3:GetObject"', risks: ['NHI5'] })]);
    expect(vs[0].message).toContain('object (arn:${Partition}:s3:::${BucketName}/${ObjectName})');
    expect(vs[0].message).toContain('grants nothing');
    expect(vs[0].fix).toBe('give the ARN it applies to, e.g. arn:aws:s3:::b/*');
    // What IAM does: the declared grant allows no object; the suggested one does.
    expect(await isAllowed(doc(['s3:GetObject'], ['arn:aws:s3:::b']), { action: 's3:GetObject', resource: 'arn:aws:s3:::b/report.csv' })).toBe(false);
    expect(await isAllowed(doc(['s3:GetObject'], ['arn:aws:s3:::b/*']), { action: 's3:GetObject', resource: 'arn:aws:s3:::b/report.csv' })).toBe(true);
  });

  test('Noncompliance 2: s3:ListBucket on bucket/* grants nothing; the fix is the bucket ARN', async () => {
    const [v] = analyze([{ actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::b/*'] }]).violations;
    expect(v).toMatchObject({ code: 'NHI_SCOPE_RESOURCE_MISMATCH', field: 'scope[0].actions[0]' });
    expect(v.fix).toBe('give the ARN it applies to, e.g. arn:aws:s3:::b');
    expect(await isAllowed(doc(['s3:ListBucket'], ['arn:aws:s3:::b/*']), { action: 's3:ListBucket', resource: 'arn:aws:s3:::b' })).toBe(false);
    expect(await isAllowed(doc(['s3:ListBucket'], ['arn:aws:s3:::b']), { action: 's3:ListBucket', resource: 'arn:aws:s3:::b' })).toBe(true);
  });

  test('Noncompliance 3: dynamodb:GetItem on an S3 ARN names the table ARN format', () => {
    const [v] = analyze([{ actions: ['dynamodb:GetItem'], resources: ['arn:aws:s3:::b/*'] }]).violations;
    expect(v).toMatchObject({ code: 'NHI_SCOPE_RESOURCE_MISMATCH', field: 'scope[0].actions[0]' });
    expect(v.fix).toBe('give the ARN it applies to, e.g. arn:aws:dynamodb:<region>:<account>:table/<TableName>');
  });

  test('Noncompliance 4: the fix takes region and account from the grant\'s other ARNs', () => {
    const vs = analyze([{ actions: ['dynamodb:GetItem', 'sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:123456789012:orders'] }]).violations;
    expect(vs.map((v) => [v.code, v.field])).toEqual([['NHI_SCOPE_RESOURCE_MISMATCH', 'scope[0].actions[0]']]);
    expect(vs[0].fix).toContain('arn:aws:dynamodb:eu-west-1:123456789012:table/<TableName>');
  });

  test("Noncompliance 5: an action without resource types on ARNs (IAM grants it only on '*')", () => {
    const [v] = analyze([{ actions: ['s3:GetObject', 'sts:GetCallerIdentity'], resources: ['arn:aws:s3:::b/*'] }]).violations;
    expect(v).toMatchObject({ code: 'NHI_SCOPE_RESOURCE_MISMATCH', field: 'scope[0].actions[1]' });
    expect(v.fix).toBe("move it to a grant of its own with resources: ['*']");
  });

  test('Noncompliance 6: a resource no action of the grant applies to', () => {
    const [v] = analyze([{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*', 'arn:aws:s3:::b'] }]).violations;
    expect(v).toMatchObject({ code: 'NHI_SCOPE_RESOURCE_MISMATCH', field: 'scope[0].resources[1]', given: '"arn:aws:s3:::b"' });
    expect(v.message).toContain('bucket ARN');
  });

  test.each([
    [['s3:GetObject', 's3:ListBucket'], ['arn:aws:s3:::b', 'arn:aws:s3:::b/*']],
    [['dynamodb:Query'], [TABLE, `${TABLE}/index/*`]],
    [['logs:CreateLogStream', 'logs:PutLogEvents'], ['arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/x:*']],
    [['secretsmanager:GetSecretValue'], ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:nhi/x/api-key-??????']],
    [['lambda:InvokeFunction'], ['arn:aws:lambda:eu-west-1:123456789012:function:x', 'arn:aws:lambda:eu-west-1:123456789012:function:x:*']],
    [['kms:Decrypt'], ['arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab']],
    [['iam:GetRole'], ['arn:aws:iam::123456789012:role/nhi/app']],
    [['sqs:SendMessage', 'sqs:GetQueueAttributes'], ['arn:aws:sqs:eu-west-1:123456789012:orders']],
    [['s3:GetObject'], ['arn:aws-cn:s3:::b/*']],
    [['sts:GetCallerIdentity'], ['*']],
    // Formats with a free-form '*' part: arn:${Partition}:dms:${Region}:${Account}:cert:*, ...:${ClusterResourceId}/*
    [['dms:DeleteCertificate'], ['arn:aws:dms:eu-west-1:123456789012:cert:ABCDEFGHIJ']],
    [['neptune-db:ReadDataViaQuery'], ['arn:aws:neptune-db:eu-west-1:123456789012:cluster-ABCDEFGHIJ/database']],
  ])('Compliance: %j on %j', (actions, resources) => {
    expect(codes([{ actions, resources }])).toEqual([]);
  });

  test('Compliance: references are judged at deploy (a partition reference alone is still read)', () => {
    expect(codes([{ actions: ['s3:GetObject'], resources: ['${aws_s3_bucket.b.arn}/*', '${Token[TOKEN.7]}/*'] }])).toEqual([]);
    expect(codes([{ actions: ['s3:GetObject'], resources: ['arn:${Token[AWS.Partition.8]}:s3:::b/*'] }])).toEqual([]);
    expect(codes([{ actions: ['s3:GetObject'], resources: ['arn:${data.aws_partition.p.partition}:s3:::b'] }]))
      .toEqual([['NHI_SCOPE_RESOURCE_MISMATCH', 'scope[0].actions[0]']]);
  });
});

describe('NHI_SCOPE_RESOURCE_INVALID: each ARN parses against its service\'s ARN formats', () => {
  test.each([
    ['arn:aws:s3::acme-x', /is not an ARN/],
    ['not-an-arn', /is not an ARN/],
    [' *', /is not an ARN/],
    ['arn:aws:s3:::', /is not an ARN/],
    ['arn:amazon:s3:::b/*', /not an AWS partition/],
    ['arn:aws:dynamodb:europe:123456789012:table/orders', /not an AWS region/],
    ['arn:aws:dynamodb:eu-west-1:acme:table/orders', /not an AWS account id/],
    ['arn:aws:s3:eu-west-1::b/*', /matches none of the s3 ARN formats/],
    ['arn:aws:nosuch:eu-west-1:123456789012:x', /not the service of any AWS resource ARN/],
  ])('Noncompliance: %j', (resource, message) => {
    const vs = analyze([{ actions: ['s3:GetObject'], resources: [resource] }]).violations;
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_SCOPE_RESOURCE_INVALID', field: 'scope[0].resources[0]', given: JSON.stringify(resource) })]);
    expect(vs[0].message).toMatch(message);
  });

  test('the fix shows the formats of the actions\' resource types', () => {
    const [v] = analyze([{ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:123456789012:orders'] }]).violations;
    expect(v.code).toBe('NHI_SCOPE_RESOURCE_INVALID');
    expect(v.fix).toContain('arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}');
  });
});

describe('NHI_SCOPE_WILDCARD: every wildcard form in a resource ARN', () => {
  test.each([
    ['s3:GetObject', 'arn:aws:s3:::?*/*', /every resource of its type/],
    ['s3:GetObject', 'arn:aws:s3:::*-logs/x', /every resource of its type/],
    ['dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-1:123456789012:table/?*', /every resource of its type/],
    ['dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-1:123456789012:*', /every resource of its type/],
    ['dynamodb:GetItem', 'arn:aws:dynamodb:*:*:table/orders', /wildcard region and account/],
    ['sqs:SendMessage', 'arn:aws:sqs:eu-west-1:*:orders', /wildcard account/],
    ['sqs:SendMessage', 'arn:aws:sqs:eu-west-?:123456789012:orders', /wildcard region/],
    ['sqs:SendMessage', 'arn:aws:sqs:eu-west-1:1234567890??:orders', /wildcard account/],
  ])('Noncompliance: %s on %s', (action, resource, message) => {
    const vs = analyze([{ actions: [action], resources: [resource], justification: JUSTIFIED }]).violations;
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_SCOPE_WILDCARD', field: 'scope[0].resources[0]' })]);
    expect(vs[0].message).toMatch(message);
  });

  test('an account or region wildcard fix names a literal one', () => {
    const [v] = analyze([{ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:*:*:table/orders'] }]).violations;
    expect(v.fix).toContain('arn:aws:dynamodb:eu-west-1:123456789012:table/orders');
    expect(v.risks).toEqual(['NHI5', 'NHI8']);
  });

  test.each([
    ['dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-1:123456789012:table/p*'],
    ['s3:GetObject', 'arn:aws:s3:::acme*/x'],
    ['s3:ListBucket', 'arn:aws:s3:::acme-?'],
    ['iam:GetRole', 'arn:aws:iam::123456789012:role/app-*'],
  ])('prefix wildcard %s on %s: NHI_SCOPE_WILDCARD without a justification, accepted with one', (action, resource) => {
    const vs = analyze([{ actions: [action], resources: [resource] }]).violations;
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_SCOPE_WILDCARD', field: 'scope[0].resources[0]' })]);
    expect(vs[0].message).toMatch(/inside the resource name/);
    expect(vs[0].fix).toMatch(/justification/);
    expect(codes([{ actions: [action], resources: [resource], justification: 'vague' }])).toEqual([['NHI_SCOPE_WILDCARD', 'scope[0].resources[0]']]);
    expect(codes([{ actions: [action], resources: [resource], justification: JUSTIFIED }])).toEqual([]);
  });

  test('prefix wildcard: the policy can forbid it, justification or not (NHI_SCOPE_FORBIDDEN)', () => {
    const p = policy({ forbidPrefixWildcards: true });
    const vs = analyze([{ actions: ['dynamodb:GetItem'], resources: [`${TABLE}-*`], justification: JUSTIFIED }], p).violations;
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_SCOPE_FORBIDDEN', field: 'scope[0].resources[0]' })]);
    expect(vs[0].message).toContain('forbidPrefixWildcards');
    // A wildcard that narrows inside a named resource is not a prefix wildcard.
    expect(codes([{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/reports/*'] }], p)).toEqual([]);
  });

  test('iam-simulate: what each form reaches', async () => {
    const every = doc(['s3:GetObject'], ['arn:aws:s3:::?*/*']);
    expect(await isAllowed(every, { action: 's3:GetObject', resource: 'arn:aws:s3:::someone-elses-bucket/secret' })).toBe(true);
    const prefix = doc(['s3:GetObject'], ['arn:aws:s3:::acme*/x']);
    expect(await isAllowed(prefix, { action: 's3:GetObject', resource: 'arn:aws:s3:::acme-unrelated-team/x' })).toBe(true);
    const narrow = doc(['s3:GetObject'], ['arn:aws:s3:::b/reports/*']);
    expect(await isAllowed(narrow, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/other' })).toBe(false);
  });

  test('classification helpers', () => {
    const obj = formatsOf('s3').find((f) => f.type === 'object')!;
    const bucket = formatsOf('s3').find((f) => f.type === 'bucket')!;
    const arn = (s: string) => splitArn(s)!;
    expect(arnMatchesFormat(arn('arn:aws:s3:::b/*'), obj)).toBe(true);
    expect(arnMatchesFormat(arn('arn:aws:s3:::b/*'), bucket)).toBe(false);
    expect(arnMatchesFormat(arn('arn:aws:s3:::b*'), bucket)).toBe(true);
    expect(arnMatchesFormat(arn('arn:aws:s3:::b*'), obj)).toBe(true);
    expect(classifyWildcard(arn('arn:aws:s3:::b/*'), obj)).toBe(ResourceWildcard.NONE);
    expect(classifyWildcard(arn('arn:aws:s3:::b*'), obj)).toBe(ResourceWildcard.PREFIX);
    expect(classifyWildcard(arn('arn:aws:s3:::*'), bucket)).toBe(ResourceWildcard.TYPE);
  });
});

describe('environment isolation sees through account wildcards', () => {
  const p = policy({ environmentAccounts: { prod: ['111111111111'], dev: ['222222222222'] } });
  test('Noncompliance: a dev identity with a wildcard account reaches prod', () => {
    const reaches = awsScopeReaches([{ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:*:orders'] }]);
    expect(reaches).toEqual([{ field: 'scope[0].resources[0]', target: '*', justified: false }]);
    const vs = checkEnvironmentCrossing('dev', reaches, p);
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_ENVIRONMENT_CROSSING', field: 'scope[0].resources[0]' })]);
    expect(vs[0].message).toBe('a dev identity reaches 111111111111 (through *), which belongs to prod');
    expect(checkEnvironmentCrossing('dev', awsScopeReaches([{ resources: ['arn:aws:sqs:eu-west-1:1111111111??:orders'] }]), p)).toHaveLength(1);
  });

  test('Compliance: a pattern matching only its own environment, or a justified grant', () => {
    expect(checkEnvironmentCrossing('dev', awsScopeReaches([{ resources: ['arn:aws:sqs:eu-west-1:2222*:orders'] }]), p)).toEqual([]);
    expect(checkEnvironmentCrossing('dev', awsScopeReaches([{ resources: ['arn:aws:sqs:eu-west-1:*:orders'], justification: JUSTIFIED }]), p)).toEqual([]);
  });
});

describe('OIDC trust: providerArn', () => {
  const oidc = (providerArn: string) => ({ oidc: { providerArn, issuer: 'token.actions.githubusercontent.com', audience: 'sts.amazonaws.com', subject: 'repo:acme/billing:ref:refs/heads/main' } });
  test("Noncompliance: providerArn '*' (trust Federated: '*') is NHI_TRUST_WILDCARD", () => {
    expect(checkAwsTrust(oidc('*')).map((v) => [v.code, v.field])).toEqual([['NHI_TRUST_WILDCARD', 'assumedBy.oidc.providerArn']]);
    expect(checkAwsTrust(oidc('arn:aws:iam::123456789012:oidc-provider/*')).map((v) => v.code)).toEqual(['NHI_TRUST_WILDCARD']);
  });
  test('Noncompliance: not an OIDC provider ARN is NHI_TRUST_INVALID', () => {
    expect(checkAwsTrust(oidc('arn:aws:iam::123456789012:role/x')).map((v) => [v.code, v.field])).toEqual([['NHI_TRUST_INVALID', 'assumedBy.oidc.providerArn']]);
  });
  test('Compliance: a provider ARN or a reference', () => {
    expect(checkAwsTrust(oidc('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'))).toEqual([]);
    expect(checkAwsTrust(oidc('${aws_iam_openid_connect_provider.gh.arn}'))).toEqual([]);
  });
});

describe('policy forbiddenActions: IAM wildcard syntax', () => {
  test.each([
    ['iam:*', 'iam:CreateUser'], ['IAM:create*', 'iam:CreateUser'], ['s3:?etObject', 's3:GetObject'], ['iam:CreateUser', 'IAM:createuser'],
  ])('%s forbids %s', (pattern, action) => {
    expect(forbiddenBy(policy({ forbiddenActions: [pattern] }), action)).toBe(pattern);
  });

  test.each([['iam:Create*', 'iam:DeleteUser'], ['s3:Get', 's3:GetObject'], ['iam.*', 'iam:CreateUser']])('%s does not forbid %s', (pattern, action) => {
    expect(forbiddenBy(policy({ forbiddenActions: [pattern] }), action)).toBeUndefined();
  });

  test("Noncompliance: forbiddenActions ['iam:*'] forbids every IAM action, naming the pattern", () => {
    const p = policy({ forbiddenActions: ['iam:*'] });
    const vs = analyze([{ actions: ['iam:GetRole', 'iam:PassRole'], resources: ['arn:aws:iam::123456789012:role/app'], justification: JUSTIFIED }], p).violations;
    expect(vs.map((v) => [v.code, v.field])).toEqual([['NHI_SCOPE_FORBIDDEN', 'scope[0].actions[0]'], ['NHI_SCOPE_FORBIDDEN', 'scope[0].actions[1]']]);
    expect(vs[0].message).toBe('is forbidden by the governance policy (iam:*)');
  });

  test('Noncompliance: a wildcard action that includes a forbidden action is also NHI_SCOPE_FORBIDDEN (a waiver of the wildcard does not lift it)', () => {
    const p = policy({ forbiddenActions: ['iam:CreateUser'] });
    expect(codes([{ actions: ['iam:Create*'], resources: ['arn:aws:iam::123456789012:user/x'] }], p)).toEqual([
      ['NHI_SCOPE_WILDCARD', 'scope[0].actions[0]'], ['NHI_SCOPE_FORBIDDEN', 'scope[0].actions[0]'],
    ]);
  });
});

describe('attacker: a waived account wildcard still cannot cross environments (cdktf AWS construct)', () => {
  test('NHI_SCOPE_WILDCARD waived: NHI_ENVIRONMENT_CROSSING remains; with a literal dev account it passes', () => {
    const { stack } = awsStack();
    GovernancePolicy.of(stack).apply({ environmentAccounts: { prod: ['111111111111'], dev: ['222222222222'] } });
    Waivers.of(stack).add({ code: 'NHI_SCOPE_WILDCARD', path: 'stack/Sa', owner: GOVERNANCE.owner, reason: 'Legacy queue layout until the migration', expires: '2027-01-31' });
    const props = { ...GOVERNANCE, name: 'orders-sender', environment: 'dev', assumedBy: { service: 'lambda.amazonaws.com' } };
    const e = governanceError(() => new GovernedServiceAccount(stack, 'Sa', { ...props, scope: [{ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:*:orders'] }] }));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_ENVIRONMENT_CROSSING', 'scope[0].resources[0]']]);
    new GovernedServiceAccount(stack, 'Ok', { ...props, name: 'orders-sender-2', scope: [{ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:222222222222:orders'] }] });
  });
});
