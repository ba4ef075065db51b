import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Template } from 'aws-cdk-lib/assertions';
import { GovernedServiceAccount } from '../../lib/aws-cdk';
import { AwsScopeGrant } from '../../lib/core/contract';
import { applicableActions, checkGrantCoverage } from '../../lib/core/rules/aws-widening';
import { lookupAction } from '../../lib/core/private/iam-catalog';
import { saProps, testApp, testStack } from './util';

function build(scope: (b: s3.Bucket, t: dynamodb.Table) => AwsScopeGrant[], grant: (b: s3.Bucket, t: dynamodb.Table, sa: GovernedServiceAccount) => void) {
  const app = testApp();
  const stack = testStack(app);
  const bucket = new s3.Bucket(stack, 'Exports');
  const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  const sa = new GovernedServiceAccount(stack, 'Reader', saProps({ scope: scope(bucket, table) }));
  grant(bucket, table, sa);
  let error = '';
  try { app.synth(); } catch (e) { error = (e as Error).message; }
  return { stack, error };
}

describe('AWS CDK grants (bucket.grantRead(sa)): covered grants pass, the fix names only what is missing', () => {
  test('Compliance: grantRead when the scope declares reading the bucket and its objects; nothing is added', () => {
    const { stack, error } = build((b) => [
      { actions: ['s3:GetObject'], resources: [b.arnForObjects('*')] },
      { actions: ['s3:ListBucket'], resources: [b.bucketArn] },
    ], (b, _t, sa) => b.grantRead(sa));
    expect(error).toBe('');
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('Compliance: table.grantReadData when the scope declares one read action on the table', () => {
    expect(build((_b, t) => [{ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [t.tableArn] }], (_b, t, sa) => t.grantReadData(sa)).error).toBe('');
  });

  test('Noncompliance 1: grantRead without the bucket: one action (s3:ListBucket) on the bucket, not the expansion', () => {
    const { error } = build((b) => [{ actions: ['s3:GetObject'], resources: [b.arnForObjects('*')] }], (b, _t, sa) => b.grantRead(sa));
    expect(error).toMatch(/\[NHI_SCOPE_WIDENED\] scope: a grant to this identity/);
    expect(error).toMatch(/s3:GetBucket\*, s3:List\* \(reading\) on \$\{Exports\w+\.Arn\};/);
    expect(error).toMatch(/e\.g\. \{ actions: \["s3:ListBucket"\], resources: \["\$\{Exports\w+\.Arn\}"\] \}\)/);
    expect(error).not.toContain('s3:ListAllMyBuckets');
    expect(error).not.toContain('s3:GetBucketAcl');
    expect(error.length).toBeLessThan(1000);
  });

  test('Noncompliance 2: grantReadWrite when only reading is declared: the fix is one write action on the objects', () => {
    const { error } = build((b) => [
      { actions: ['s3:GetObject'], resources: [b.arnForObjects('*')] },
      { actions: ['s3:ListBucket'], resources: [b.bucketArn] },
    ], (b, _t, sa) => b.grantReadWrite(sa));
    expect(error).toMatch(/\(changing\) on \$\{Exports\w+\.Arn\}\/\*/);
    expect(error).toMatch(/e\.g\. \{ actions: \["s3:(PutObject|DeleteObject)"\], resources: \["\$\{Exports\w+\.Arn\}\/\*"\] \}\)/);
    expect(error).not.toMatch(/\(reading\)/);
  });

  test('Noncompliance 3: a grant on another bucket, by name; the suggested ARNs have a literal partition', () => {
    const { error } = build(() => [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/*'] }],
      (b, _t, sa) => s3.Bucket.fromBucketName(b.stack, 'Other', 'other-bucket').grantRead(sa));
    expect(error).toContain('{ actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::other-bucket"] }');
    expect(error).toContain('{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::other-bucket/*"] }');
  });

  test('Noncompliance 4: NotAction grants are never covered', () => {
    const { error } = build((b) => [{ actions: ['s3:GetObject'], resources: [b.arnForObjects('*')] }],
      (b, _t, sa) => sa.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ notActions: ['s3:DeleteObject'], resources: [b.arnForObjects('*')] })));
    expect(error).toMatch(/NHI_SCOPE_WIDENED.*NotAction/s);
  });
});

describe('applicableActions / checkGrantCoverage', () => {
  const infos = (...names: string[]) => names.map((n) => lookupAction(n)!);
  test('actions that cannot apply to a resource are dropped; references are read as the resource they stand for', () => {
    const all = infos('s3:GetObject', 's3:ListBucket', 's3:ListAllMyBuckets');
    expect(applicableActions(all, 'arn:aws:s3:::b')!.map((i) => i.name)).toEqual(['s3:ListBucket']);
    expect(applicableActions(all, 'arn:aws:s3:::b/*')!.map((i) => i.name)).toEqual(['s3:GetObject']);
    expect(applicableActions(all, '${Bucket.Arn}/*')!.map((i) => i.name)).toEqual(['s3:GetObject']);
    expect(applicableActions(all, '${Token[TOKEN.1]}')!.map((i) => i.name)).toEqual(['s3:ListBucket']);
    expect(applicableActions(all, '*')).toBeUndefined();
    expect(applicableActions(all, 'what')).toBeUndefined();
  });

  test('coverage is per resource and kind: one declared action of the grant\'s own on each', () => {
    const declared = [{ actions: [{ action: 's3:GetObject', accessLevel: 'Read', privileged: false }], resources: ['arn:aws:s3:::b/*'] }];
    expect(checkGrantCoverage([{ Effect: 'Allow', Action: ['s3:GetObject*'], Resource: ['arn:aws:s3:::b/reports/*'] }], declared, 'g')).toEqual([]);
    expect(checkGrantCoverage([{ Effect: 'Deny', Action: ['s3:*'], Resource: '*' }], declared, 'g')).toEqual([]);
    const [v] = checkGrantCoverage([{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*' }], declared, 'g');
    expect(v).toMatchObject({ code: 'NHI_SCOPE_WIDENED', field: 'scope', given: '"s3:PutObject"' });
    expect(v.fix).toContain('{ actions: ["s3:PutObject"], resources: ["arn:aws:s3:::b/*"] }');
    expect(checkGrantCoverage([{ Effect: 'Allow', Action: '*', Resource: '*' }], declared, 'g').map((x) => x.code)).toEqual(['NHI_SCOPE_WIDENED']);
  });
});
