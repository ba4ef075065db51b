import * as tfaws from '../../../lib/cdktf-aws';
import { checkAwsAlarmOptions, checkAwsReference, checkRunbookUrl } from '../../../lib/core/rules/aws-references';
import { awsStack, GOVERNANCE, governanceError, resources, synth } from '../../helpers/cdktf';

describe('checkAwsReference: references to existing AWS resources given as text', () => {
  test.each([
    ['sns-topic', 'arn:aws:sns:eu-west-1:123456789012:billing-alerts'],
    ['sns-topic', '${aws_sns_topic.t.arn}'],
    ['managed-policy', 'arn:aws:iam::123456789012:policy/boundaries/workload'],
    ['managed-policy', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
    ['log-group', 'aws-cloudtrail-logs-123456789012'],
    ['log-group', 'arn:aws:logs:eu-west-1:123456789012:log-group:/trail/x:*'],
    ['kms-key', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['kms-key', 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab'],
    ['kms-key', '${aws_kms_key.k.arn}'],
  ] as const)('Compliance: %s %s', (kind, value) => {
    expect(checkAwsReference(value, kind, 'f')).toEqual([]);
  });

  test.each([
    ['sns-topic', 'billing-alerts', 'NHI_ALARMS_INVALID'],
    ['sns-topic', 'arn:aws:sqs:eu-west-1:123456789012:q', 'NHI_ALARMS_INVALID'],
    ['sns-topic', {}, 'NHI_ALARMS_INVALID'],
    ['managed-policy', 'workload-boundary', 'NHI_BOUNDARY_INVALID'],
    ['managed-policy', 'arn:aws:iam::123456789012:role/x', 'NHI_BOUNDARY_INVALID'],
    ['log-group', 'with space', 'NHI_ALARMS_INVALID'],
    // Secrets Manager takes these, but the rotation function's kms:Decrypt is granted on the key's ARN.
    ['kms-key', 'alias/billing-secrets', 'NHI_KMS_KEY_INVALID'],
    ['kms-key', 'arn:aws:kms:eu-west-1:123456789012:alias/billing-secrets', 'NHI_KMS_KEY_INVALID'],
    ['kms-key', '1234abcd-12ab-34cd-56ef-1234567890ab', 'NHI_KMS_KEY_INVALID'],
    ['kms-key', 'arn:aws:kms:eu-west-1:123456789012:key/*', 'NHI_KMS_KEY_INVALID'],
    ['kms-key', 42, 'NHI_KMS_KEY_INVALID'],
    // A list token: an array, not the reference of one key.
    ['kms-key', ['#{TfToken[TOKEN.1]}'], 'NHI_KMS_KEY_INVALID'],
  ] as const)('Noncompliance: %s %j is %s', (kind, value, code) => {
    expect(checkAwsReference(value, kind, 'f').map((v) => [v.code, v.field])).toEqual([[code, 'f']]);
  });

  test('a managed policy name where the adapter accepts names', () => {
    expect(checkAwsReference('workload-boundary', 'managed-policy', 'f', 'a managed policy ARN or name')).toEqual([]);
  });

  test('runbook URLs and cdktf alarm options', () => {
    expect(checkRunbookUrl('https://wiki.example.com/rb')).toEqual([]);
    expect(checkRunbookUrl('javascript:alert(1)').map((v) => v.code)).toEqual(['NHI_ALARMS_INVALID']);
    expect(checkAwsAlarmOptions({ topicArn: 'x', cloudTrailLogGroupName: 'a:b', runbookUrl: 5 }).map((v) => v.field))
      .toEqual(['alarms.topicArn', 'alarms.cloudTrailLogGroupName', 'alarms.runbookUrl']);
    expect(checkAwsAlarmOptions('x').map((v) => v.field)).toEqual(['alarms']);
  });
});

describe('cdktf AWS: alarms and permissions boundary are checked', () => {
  const props: tfaws.GovernedServiceAccountProps = {
    ...GOVERNANCE, name: 'billing-worker', assumedBy: { service: 'lambda.amazonaws.com' },
    scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/*'] }],
  };
  test('Noncompliance: a topic name and a boundary name', () => {
    const { stack } = awsStack();
    const e = governanceError(() => new tfaws.GovernedServiceAccount(stack, 'A', { ...props, alarms: { topicArn: 'billing-alerts' }, permissionsBoundary: 'boundary' }));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_ALARMS_INVALID', 'alarms.topicArn'], ['NHI_BOUNDARY_INVALID', 'permissionsBoundary']]);
    const key = governanceError(() => new tfaws.GovernedApiKey(stack, 'K', {
      ...GOVERNANCE, name: 'k', scope: [{ restApiId: 'a1b2c3d4e5', stage: 'prod' }], throttle: { rateLimit: 1, burstLimit: 1 }, alarms: { runbookUrl: 'see wiki' },
    }));
    expect(key.violations.map((v) => [v.code, v.field])).toEqual([['NHI_ALARMS_INVALID', 'alarms.runbookUrl']]);
  });

  test('Noncompliance: the key of a credential secret that is not a key ARN, on both constructs', () => {
    const { stack } = awsStack();
    const e = governanceError(() => new tfaws.GovernedServiceAccount(stack, 'A', {
      ...props, staticCredentials: true, staticCredentialsJustification: 'The vendor appliance only accepts access keys', assumedBy: undefined, secretKmsKeyId: 'alias/billing',
    } as any));
    expect(e.violations.map((v) => [v.code, v.field])).toContainEqual(['NHI_KMS_KEY_INVALID', 'secretKmsKeyId']);
    const key = governanceError(() => new tfaws.GovernedApiKey(stack, 'K', {
      ...GOVERNANCE, name: 'k', scope: [{ restApiId: 'a1b2c3d4e5', stage: 'prod' }], throttle: { rateLimit: 1, burstLimit: 1 }, secretKmsKeyId: ['#{TfToken[TOKEN.1]}'] as any,
    }));
    expect(key.violations.map((v) => [v.code, v.field])).toEqual([['NHI_KMS_KEY_INVALID', 'secretKmsKeyId']]);
  });

  test('Compliance: ARNs are used as given', () => {
    const { stack } = awsStack();
    new tfaws.GovernedServiceAccount(stack, 'A', { ...props, permissionsBoundary: 'arn:aws:iam::123456789012:policy/boundary' });
    expect(resources(synth(stack), 'aws_iam_role')[0].permissions_boundary).toBe('arn:aws:iam::123456789012:policy/boundary');
  });
});
