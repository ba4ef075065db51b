import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { GovernedApiKey, GovernedServiceAccount } from '../../lib/aws-cdk';
import { apiKeyProps, restApi, saProps, testApp, testStack } from './util';

describe('cdk-nag v3 AwsSolutionsChecks on a stack made only of governed constructs', () => {
  const app = testApp();
  // The API the key calls lives in its own stack: only governed constructs are in `stack`.
  const apiStack = testStack(app, 'Api');
  const api = restApi(apiStack);
  const bucket = new s3.Bucket(apiStack, 'Exports');
  const stack = testStack(app, 'Identities');
  new GovernedServiceAccount(stack, 'Reader', saProps({
    scope: [
      { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/reports/*'] },
      { actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] },
      { actions: ['sts:GetCallerIdentity'], resources: ['*'] },
    ],
  }));
  new GovernedServiceAccount(stack, 'Legacy', saProps({
    name: 'legacy-batch', assumedBy: undefined, staticCredentials: { justification: 'On-premises batch host cannot assume roles' },
  }));
  new GovernedServiceAccount(stack, 'Ci', saProps({
    name: 'ci-deployer',
    assumedBy: new iam.WebIdentityPrincipal('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', {
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:acme/billing:ref:refs/heads/main' },
    }),
    scope: [{ actions: ['cloudformation:DescribeStacks'], resources: ['arn:aws:cloudformation:eu-west-1:123456789012:stack/billing/*'] }],
  }));
  new GovernedApiKey(stack, 'Acme', apiKeyProps(api));
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  const ids = report.violations.map((v) => v.ruleName);

  test('no IAM4, IAM5 or SMG4 finding: every wildcard our constructs keep is acknowledged, one finding at a time, with a reason', () => {
    expect(ids.filter((id) => /^AwsSolutions-(IAM4|IAM5|SMG4)/.test(id))).toEqual([]);
  });

  test('no finding at all remains on our constructs', () => {
    expect(ids).toEqual([]);
  });

  test('control: the same pack does report a bare role with the same wildcard resource', () => {
    const control = testStack(testApp(), 'Control');
    new iam.Role(control, 'Bare', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: { p: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/reports/*'] })] }) },
    });
    const found = new AwsSolutionsChecks().validateScope(control).violations.map((v) => v.ruleName);
    expect(found).toContain('AwsSolutions-IAM5[Resource::arn:aws:s3:::billing-exports/reports/*]');
  });

  test('the acknowledgements are exact findings, never a whole rule', () => {
    const acks: Record<string, string> = {};
    for (const c of stack.node.findAll()) {
      for (const m of c.node.metadata) {
        if (m.type === 'aws:cdk:acknowledged-rules') Object.assign(acks, m.data);
      }
    }
    const keys = Object.keys(acks).map((k) => k.replace(/^Annotation::/, '')).sort();
    expect(keys).toEqual(expect.arrayContaining([
      'AwsSolutions-IAM5[Resource::arn:aws:s3:::billing-exports/reports/*]',
      'AwsSolutions-IAM5[Resource::*]',
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<Exports[0-9A-F]+\.Arn>\/\*\]$/),
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::/apikeys/*]',
      'AwsSolutions-L1',
      'AwsSolutions-SNS2',
    ]));
    expect(keys).not.toContain('AwsSolutions-IAM5');
    for (const reason of Object.values(acks)) expect(reason.split(' ').length).toBeGreaterThan(8);
  });
});
