// Artifact verification on the AWS CDK: on by default for every stack with a governed identity
// (no plugin needed), on the CloudFormation template in the cloud assembly, with the one core rule.
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnOutput, Fn, Lazy, Stack } from 'aws-cdk-lib/core';
import { GovernedServiceAccount } from '../../lib/aws-cdk';
import { Waivers } from '../../lib/core/waivers';
import { saProps, testApp, testStack } from './util';

function errors(stack: Stack): string {
  try {
    (stack.node.root as any).synth();
  } catch (e: any) {
    return String(e.message);
  }
  return '';
}

describe('Artifact verification (AWS CDK): on by default, without the plugin', () => {
  test('Compliance: a governed identity as declared synthesises', () => {
    const stack = testStack(testApp());
    new GovernedServiceAccount(stack, 'Reader', saProps());
    expect(errors(stack)).toBe('');
  });

  test('Noncompliance: Role.fromRoleArn(Fn.join(...)) + addToPrincipalPolicy is NHI_SCOPE_WIDENED', () => {
    const stack = testStack(testApp());
    new GovernedServiceAccount(stack, 'Reader', saProps());
    const imported = iam.Role.fromRoleArn(stack, 'Imported', Fn.join('', ['arn:aws:iam::', stack.account, ':role/billing-report-reader']));
    imported.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: ['arn:aws:s3:::billing-exports/*'] }));
    expect(errors(stack)).toMatch(/\[NHI_SCOPE_WIDENED\] AWS::IAM::Policy at Billing\/Imported\/Policy.*s3:DeleteObject/);
  });

  test('Noncompliance: bucket.addToResourcePolicy naming sa.role is NHI_SCOPE_WIDENED', () => {
    const stack = testStack(testApp());
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    const bucket = new s3.Bucket(stack, 'Exports');
    bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [sa.role!], actions: ['s3:DeleteObject'], resources: [bucket.arnForObjects('*')] }));
    expect(errors(stack)).toMatch(/\[NHI_SCOPE_WIDENED\] AWS::S3::BucketPolicy at Billing\/Exports\/Policy.*s3:DeleteObject/);
  });

  test('Noncompliance: an iam.AccessKey for the governed user is NHI_CREDENTIAL_UNDECLARED', () => {
    const stack = testStack(testApp());
    const sa = new GovernedServiceAccount(stack, 'Legacy', saProps({ name: 'legacy-uploader', assumedBy: undefined, staticCredentials: { justification: 'On-premises batch host cannot assume roles' } }));
    new iam.AccessKey(sa, 'SecondKey', { user: sa.user! });
    expect(errors(stack)).toContain('[NHI_CREDENTIAL_UNDECLARED] AWS::IAM::AccessKey at Billing/Legacy/SecondKey');
  });

  test('Noncompliance: a wildcard hidden in a token (Lazy) is NHI_SCOPE_WIDENED', () => {
    const stack = testStack(testApp());
    new GovernedServiceAccount(stack, 'Reader', saProps({ scope: [{ actions: ['s3:GetObject'], resources: [Lazy.string({ produce: () => 'arn:aws:s3:::*' })] }] }));
    expect(errors(stack)).toMatch(/\[NHI_SCOPE_WIDENED\] AWS::IAM::Role at Billing\/Reader\/Role.*s3:GetObject on arn:aws:s3:::\*/);
  });

  test('Noncompliance: a CfnOutput of an access key secret is NHI_SECRET_EXPOSED', () => {
    const stack = testStack(testApp());
    const user = new iam.User(stack, 'Raw');
    const key = new iam.AccessKey(stack, 'RawKey', { user });
    new GovernedServiceAccount(stack, 'Reader', saProps());
    new CfnOutput(stack, 'Leak', { value: key.secretAccessKey.unsafeUnwrap() });
    expect(errors(stack)).toContain('[NHI_SECRET_EXPOSED] output at');
  });

  test('Compliance: a waiver on the path accepts the finding', () => {
    const stack = testStack(testApp());
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    const bucket = new s3.Bucket(stack, 'Exports');
    bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [sa.role!], actions: ['s3:DeleteObject'], resources: [bucket.arnForObjects('*')] }));
    Waivers.of(stack).add({ code: 'NHI_SCOPE_WIDENED', path: 'Billing/Exports/Policy', owner: { team: 'platform', contact: 'platform@example.com' }, reason: 'Cleanup job deletes old exports until the cutover', expires: '2027-01-31' });
    Waivers.of(stack).add({ code: 'NHI_EXPIRY_CONDITION_MISSING', path: 'Billing/Exports/Policy', owner: { team: 'platform', contact: 'platform@example.com' }, reason: 'Cleanup job deletes old exports until the cutover', expires: '2027-01-31' });
    expect(errors(stack)).toBe('');
  });
});
