// Artifact verification on the AWS CDK: on by default for every stack with a governed identity
// (no plugin needed), on the CloudFormation template in the cloud assembly, with the one core rule.
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Aspects, CfnOutput, Fn, Lazy, Stack } from 'aws-cdk-lib/core';
import { GovernedApiKey, GovernedServiceAccount } from '../../lib/aws-cdk';
import { Waivers } from '../../lib/core/waivers';
import { apiKeyProps, restApi, saProps, testApp, testStack } from './util';

const WAIVER = { owner: { team: 'platform', contact: 'platform@example.com' }, reason: 'Accepted until the cutover', expires: '2027-01-31' };
const ANYONE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] };

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

  test('Compliance: the register in the cloud assembly lists what the waivers accepted on the identity (accepted)', () => {
    const fs = require('fs');
    const path = require('path');
    const { readRegister } = require('../../lib/core/register');
    const { NhiRegister } = require('../../lib/aws-cdk');
    const app = testApp();
    const stack = testStack(app);
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    new GovernedServiceAccount(stack, 'Other', saProps({ name: 'other-reader' }));
    const bucket = new s3.Bucket(stack, 'Exports');
    bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [sa.role!], actions: ['s3:DeleteObject'], resources: [bucket.arnForObjects('*')] }));
    for (const code of ['NHI_SCOPE_WIDENED', 'NHI_EXPIRY_CONDITION_MISSING']) {
      Waivers.of(stack).add({ code, path: 'Billing/Exports/Policy', owner: { team: 'platform', contact: 'platform@example.com' }, reason: 'Cleanup job deletes old exports until the cutover', expires: '2027-01-31' });
    }
    const assembly = app.synth();
    const text = fs.readFileSync(path.join(assembly.directory, NhiRegister.fileName(stack)), 'utf8');
    const entries = readRegister(text).identities;
    const reader = entries.find((e: any) => e.path === 'Billing/Reader');
    expect(reader.accepted.map((a: any) => [a.code, a.source, a.resourceType])).toEqual([
      ['NHI_SCOPE_WIDENED', 'Billing/Exports/Policy', 'AWS::S3::BucketPolicy'],
      ['NHI_EXPIRY_CONDITION_MISSING', 'Billing/Exports/Policy', 'AWS::S3::BucketPolicy'],
    ]);
    expect(reader.accepted[0].waiver).toEqual({ reason: 'Cleanup job deletes old exports until the cutover', expires: '2027-01-31', owner: 'platform' });
    expect(entries.find((e: any) => e.path === 'Billing/Other').accepted).toBeUndefined();
  });
});

describe('Artifact verification (AWS CDK): the trust policy is the declared one (assumedBy)', () => {
  test('Noncompliance: addPropertyOverride(AssumeRolePolicyDocument, Principal AWS "*") is NHI_TRUST_CHANGED', () => {
    const stack = testStack(testApp());
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    (sa.role!.node.defaultChild as iam.CfnRole).addPropertyOverride('AssumeRolePolicyDocument', ANYONE);
    expect(errors(stack)).toMatch(/\[NHI_TRUST_CHANGED\] AWS::IAM::Role at Billing\/Reader\/Role: the trust policy of Billing\/Reader .*"AWS":"\*"/);
  });

  test('Noncompliance: addOverride of one principal in the trust is NHI_TRUST_CHANGED', () => {
    const stack = testStack(testApp());
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    (sa.role!.node.defaultChild as iam.CfnRole).addOverride('Properties.AssumeRolePolicyDocument.Statement.0.Principal', { AWS: 'arn:aws:iam::999988887777:root' });
    expect(errors(stack)).toContain('[NHI_TRUST_CHANGED] AWS::IAM::Role at Billing/Reader/Role');
  });

  test('Noncompliance: the CloudFormation property replaced (cfnRole.assumeRolePolicyDocument = ...) is NHI_TRUST_CHANGED', () => {
    const stack = testStack(testApp());
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    (sa.role!.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = ANYONE;
    expect(errors(stack)).toContain('[NHI_TRUST_CHANGED] AWS::IAM::Role at Billing/Reader/Role');
  });

  test('Noncompliance: an Aspect overriding the trust (after construction, before synthesis) is NHI_TRUST_CHANGED', () => {
    const stack = testStack(testApp());
    new GovernedServiceAccount(stack, 'Reader', saProps());
    Aspects.of(stack).add({
      visit: (node) => {
        if (node instanceof iam.CfnRole) node.addPropertyOverride('AssumeRolePolicyDocument.Statement.0.Principal', { AWS: '*' });
      },
    });
    expect(errors(stack)).toContain('[NHI_TRUST_CHANGED] AWS::IAM::Role at Billing/Reader/Role');
  });

  test('Noncompliance: a condition removed by an override (the trust no longer expires) is NHI_TRUST_CHANGED + NHI_EXPIRY_CONDITION_MISSING', () => {
    const stack = testStack(testApp());
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    (sa.role!.node.defaultChild as iam.CfnRole).addPropertyDeletionOverride('AssumeRolePolicyDocument.Statement.0.Condition');
    const e = errors(stack);
    expect(e).toContain('[NHI_TRUST_CHANGED] AWS::IAM::Role at Billing/Reader/Role');
    expect(e).toContain('[NHI_EXPIRY_CONDITION_MISSING] AWS::IAM::Role at Billing/Reader/Role');
  });

  test('Noncompliance: a statement added through the L2 API (role.assumeRolePolicy.addStatements) is NHI_TRUST_CHANGED', () => {
    const stack = testStack(testApp());
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    sa.role!.assumeRolePolicy!.addStatements(new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('999988887777')], actions: ['sts:AssumeRole'] }));
    expect(errors(stack)).toMatch(/\[NHI_TRUST_CHANGED\] AWS::IAM::Role at Billing\/Reader\/Role: .*iam::999988/);
  });

  test.each([
    ['a service', () => new iam.ServicePrincipal('lambda.amazonaws.com'), {}],
    ['a role of the same account', () => new iam.ArnPrincipal('arn:aws:iam::123456789012:role/ci-deployer'), {}],
    ['a vendor account with a generated external id', () => new iam.AccountPrincipal('999988887777'), { vendor: { name: 'Datadog', contact: 'security@datadog.example' }, expires: '2027-01-31' }],
    ['an OIDC provider (GitHub Actions)', () => new iam.WebIdentityPrincipal('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', {
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/billing:ref:refs/heads/main' },
    }), {}],
  ])('Compliance: the declared trust of %s synthesises', (_what, principal, extra) => {
    const stack = testStack(testApp());
    new GovernedServiceAccount(stack, 'Reader', saProps({ assumedBy: principal(), ...extra }));
    expect(errors(stack)).toBe('');
  });

  test('Compliance: a trusted role of another stack (an import in the template) is the declared trust', () => {
    const app = testApp();
    const shared = testStack(app, 'Shared');
    const ci = new iam.Role(shared, 'Ci', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    const stack = testStack(app);
    new GovernedServiceAccount(stack, 'Reader', saProps({ assumedBy: new iam.ArnPrincipal(ci.roleArn) }));
    expect(errors(stack)).toBe('');
  });

  test('Compliance: a waiver on the role accepts a changed trust', () => {
    const stack = testStack(testApp());
    const sa = new GovernedServiceAccount(stack, 'Reader', saProps());
    sa.role!.assumeRolePolicy!.addStatements(new iam.PolicyStatement({ principals: [new iam.ArnPrincipal('arn:aws:iam::123456789012:role/break-glass')], actions: ['sts:AssumeRole'] }));
    Waivers.of(stack).add({ code: 'NHI_TRUST_CHANGED', path: 'Billing/Reader/Role', ...WAIVER });
    Waivers.of(stack).add({ code: 'NHI_EXPIRY_CONDITION_MISSING', path: 'Billing/Reader/Role', ...WAIVER });
    expect(errors(stack)).toBe('');
  });
});

describe('Artifact verification (AWS CDK): API keys', () => {
  function keyStack() {
    const stack = testStack(testApp());
    const api = restApi(stack);
    const key = new GovernedApiKey(stack, 'Acme', apiKeyProps(api));
    return { stack, api, key };
  }

  test('Compliance: a governed API key as declared synthesises', () => {
    expect(errors(keyStack().stack)).toBe('');
  });

  test('Noncompliance: a second ApiKey on the governed usage plan (usagePlan.addApiKey) is NHI_CREDENTIAL_UNDECLARED', () => {
    const { stack, key } = keyStack();
    key.usagePlan.addApiKey(new apigateway.ApiKey(stack, 'Second'));
    expect(errors(stack)).toMatch(/\[NHI_CREDENTIAL_UNDECLARED\] AWS::ApiGateway::UsagePlanKey at Billing\/Acme\/UsagePlan\/UsagePlanKeyResource:Billing\w+: .*Billing\/Acme/);
  });

  test('Noncompliance: an ApiKey created inside the governed construct and added to its plan is NHI_CREDENTIAL_UNDECLARED', () => {
    const { stack, key } = keyStack();
    key.usagePlan.addApiKey(new apigateway.ApiKey(key, 'Extra', { apiKeyName: 'partner-acme-orders-2' }));
    expect(errors(stack)).toContain('[NHI_CREDENTIAL_UNDECLARED] AWS::ApiGateway::UsagePlanKey at Billing/Acme/UsagePlan/UsagePlanKeyResource:BillingAcmeExtra');
  });

  test('Noncompliance: a CfnUsagePlanKey naming the governed plan is NHI_CREDENTIAL_UNDECLARED', () => {
    const { stack, key } = keyStack();
    const other = new apigateway.CfnApiKey(stack, 'Raw', { enabled: true });
    new apigateway.CfnUsagePlanKey(stack, 'RawPlanKey', { keyId: other.ref, keyType: 'API_KEY', usagePlanId: key.usagePlan.usagePlanId });
    expect(errors(stack)).toContain('[NHI_CREDENTIAL_UNDECLARED] AWS::ApiGateway::UsagePlanKey at Billing/RawPlanKey');
  });

  test('Noncompliance: a CfnOutput of the API key value (its secret) is NHI_SECRET_EXPOSED', () => {
    const { stack, key } = keyStack();
    new CfnOutput(stack, 'Leak', { value: key.secret.secretValueFromJson('value').unsafeUnwrap() });
    expect(errors(stack)).toContain('[NHI_SECRET_EXPOSED] output at');
  });

  test('Compliance: an output of the key id or the secret ARN (where to read it) is fine', () => {
    const { stack, key } = keyStack();
    new CfnOutput(stack, 'KeyId', { value: key.apiKey.keyId });
    new CfnOutput(stack, 'Where', { value: key.secret.secretArn });
    expect(errors(stack)).toBe('');
  });

  test('Noncompliance: another API stage added to the governed usage plan (usagePlan.addApiStage) is NHI_SCOPE_WIDENED', () => {
    const { stack, key } = keyStack();
    const admin = restApi(stack, 'AdminApi');
    key.usagePlan.addApiStage({ api: admin, stage: admin.deploymentStage });
    expect(errors(stack)).toMatch(/\[NHI_SCOPE_WIDENED\] AWS::ApiGateway::UsagePlan at Billing\/Acme\/UsagePlan: .*API stage/);
  });

  test('Noncompliance: addPropertyOverride(ApiStages) on the governed usage plan is NHI_SCOPE_WIDENED', () => {
    const { stack, key } = keyStack();
    (key.usagePlan.node.defaultChild as apigateway.CfnUsagePlan).addPropertyOverride('ApiStages', [{ ApiId: 'a1b2c3d4e5', Stage: 'prod' }]);
    expect(errors(stack)).toMatch(/\[NHI_SCOPE_WIDENED\] AWS::ApiGateway::UsagePlan at Billing\/Acme\/UsagePlan: .*a1b2c3d4e5\/prod/);
  });

  test('Noncompliance: the governed key added to another usage plan (otherPlan.addApiKey(key.apiKey)) is NHI_SCOPE_WIDENED', () => {
    const { stack, key } = keyStack();
    const admin = restApi(stack, 'AdminApi');
    const other = new apigateway.UsagePlan(stack, 'AdminPlan', { apiStages: [{ api: admin, stage: admin.deploymentStage }] });
    other.addApiKey(key.apiKey);
    expect(errors(stack)).toMatch(/\[NHI_SCOPE_WIDENED\] AWS::ApiGateway::UsagePlanKey at Billing\/AdminPlan\/UsagePlanKeyResource:\w+: another usage plan .*admits the API stage/);
  });

  test('Compliance: another key on another usage plan is not the governed key\'s concern', () => {
    const { stack } = keyStack();
    const admin = restApi(stack, 'AdminApi');
    const other = new apigateway.UsagePlan(stack, 'AdminPlan', { apiStages: [{ api: admin, stage: admin.deploymentStage }] });
    other.addApiKey(new apigateway.ApiKey(stack, 'AdminKey'));
    expect(errors(stack)).toBe('');
  });

  test('Compliance: the declared stages of an API in another stack (imports in the template) verify', () => {
    const app = testApp();
    const shared = testStack(app, 'Shared');
    const api = restApi(shared);
    const stack = testStack(app);
    new GovernedApiKey(stack, 'Acme', apiKeyProps(api));
    expect(errors(stack)).toBe('');
  });

  test('Compliance: a waiver on the extra key accepts it', () => {
    const { stack, key } = keyStack();
    const other = new apigateway.CfnApiKey(stack, 'Raw', { enabled: true });
    new apigateway.CfnUsagePlanKey(stack, 'RawPlanKey', { keyId: other.ref, keyType: 'API_KEY', usagePlanId: key.usagePlan.usagePlanId });
    Waivers.of(stack).add({ code: 'NHI_CREDENTIAL_UNDECLARED', path: 'Billing/RawPlanKey', ...WAIVER });
    expect(errors(stack)).toBe('');
  });
});
