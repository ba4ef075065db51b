import { Stack } from 'aws-cdk-lib/core';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import * as cdk from '../../../lib/aws-cdk';
import * as tfaws from '../../../lib/cdktf-aws';
import * as tfgoogle from '../../../lib/cdktf-google';
import { GovernancePolicy } from '../../../lib/core/policy';
import { checkUniqueName, claimUniqueNames } from '../../../lib/core/rules/unique-names';
import { apiKeyProps, restApi, saProps, testApp, testStack } from '../../aws-cdk/util';
import { awsStack, GOVERNANCE, governanceError } from '../../helpers/cdktf';
import { googleStack, PROJECT } from '../../cdktf-google/helpers';

describe('checkUniqueName: one name per cloud namespace in an app (NHI_NAME_DUPLICATE)', () => {
  const root = () => new Construct(undefined as any, '');
  test('Noncompliance: a name claimed by another construct, naming both paths', () => {
    const app = root();
    const a = new Construct(app, 'A');
    const b = new Construct(app, 'B');
    claimUniqueNames(a, [{ kind: 'IAM role', name: 'Worker', ignoreCase: true }]);
    const [v] = checkUniqueName(b, [{ kind: 'IAM role', name: 'worker', ignoreCase: true }]);
    expect(v).toMatchObject({ code: 'NHI_NAME_DUPLICATE', field: 'name', given: '"worker"', risks: ['NHI9'] });
    expect(v.message).toBe("IAM role name 'worker' is already taken by A in this app; the cloud rejects the second at deploy");
    expect(v.fix).toContain('give B another name');
  });

  test('Compliance: other kinds, namespaces, environments, case where it matters, tokens, and the same construct', () => {
    const app = root();
    const a = new Construct(app, 'A');
    const b = new Construct(app, 'B');
    claimUniqueNames(a, [{ kind: 'IAM role', name: 'w', namespace: '111111111111' }, { kind: 'API key', name: 'Key' }], 'prod');
    expect(checkUniqueName(b, [{ kind: 'IAM user', name: 'w', namespace: '111111111111' }])).toEqual([]);
    expect(checkUniqueName(b, [{ kind: 'IAM role', name: 'w', namespace: '222222222222' }])).toEqual([]);
    expect(checkUniqueName(b, [{ kind: 'API key', name: 'Key' }], 'dev')).toEqual([]);
    expect(checkUniqueName(b, [{ kind: 'API key', name: 'key' }], 'prod')).toEqual([]);
    expect(checkUniqueName(b, [{ kind: 'API key', name: '${var.name}' }], 'prod')).toEqual([]);
    expect(checkUniqueName(a, [{ kind: 'API key', name: 'Key' }], 'prod')).toEqual([]);
    expect(checkUniqueName(b, [{ kind: 'API key', name: 'Key' }], 'prod').map((v) => v.code)).toEqual(['NHI_NAME_DUPLICATE']);
  });
});

describe('NHI_NAME_DUPLICATE on every target', () => {
  test('cdktf AWS: the same role name in two stacks of one app; a failed identity does not take its name', () => {
    const { app, stack } = awsStack('one');
    const other = new TerraformStack(app, 'two');
    const props: tfaws.GovernedServiceAccountProps = {
      ...GOVERNANCE, name: 'billing-worker', assumedBy: { service: 'lambda.amazonaws.com' },
      scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/*'] }],
    };
    expect(() => new tfaws.GovernedServiceAccount(stack, 'Broken', { ...props, purpose: 'todo' })).toThrow();
    new tfaws.GovernedServiceAccount(stack, 'First', props);
    const e = governanceError(() => new tfaws.GovernedServiceAccount(other, 'Second', { ...props, name: 'Billing-Worker' }));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_NAME_DUPLICATE', 'name']]);
    expect(e.violations[0].message).toContain('one/First');
    expect(e.message).toContain('two/Second');
    // A role and a user may share a name; so may identities of different environments.
    new tfaws.GovernedServiceAccount(other, 'User', { ...props, assumedBy: undefined, staticCredentials: { justification: 'the vendor appliance cannot assume roles' } });
    GovernancePolicy.of(other).apply({ environment: 'dev' });
    new tfaws.GovernedServiceAccount(other, 'Dev', props);
  });

  test('cdktf AWS: API key names', () => {
    const { stack } = awsStack();
    const props: tfaws.GovernedApiKeyProps = { ...GOVERNANCE, name: 'partner-acme', scope: [{ restApiId: 'a1b2c3d4e5', stage: 'prod' }], throttle: { rateLimit: 10, burstLimit: 20 } };
    new tfaws.GovernedApiKey(stack, 'A', props);
    expect(governanceError(() => new tfaws.GovernedApiKey(stack, 'B', props)).violations.map((v) => v.code)).toEqual(['NHI_NAME_DUPLICATE']);
  });

  test('cdktf Google: service account ids per project, API key names', () => {
    const { stack } = googleStack();
    const sa: tfgoogle.GovernedServiceAccountProps = { ...GOVERNANCE, project: PROJECT, accountId: 'billing-reader', scope: [{ role: 'roles/storage.objectViewer', bucket: 'acme-billing-exports' }] };
    new tfgoogle.GovernedServiceAccount(stack, 'A', sa);
    const e = governanceError(() => new tfgoogle.GovernedServiceAccount(stack, 'B', sa));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_NAME_DUPLICATE', 'accountId']]);
    expect(e.violations[0].message).toContain(`already taken by stack/A in this app (${PROJECT})`);
    new tfgoogle.GovernedServiceAccount(stack, 'C', { ...sa, project: 'acme-billing-dev' });
    const key: tfgoogle.GovernedApiKeyProps = {
      ...GOVERNANCE, project: PROJECT, name: 'partner-globex', scope: [{ service: 'translate.googleapis.com' }], clientRestriction: { allowedIps: ['203.0.113.0/24'] },
    };
    new tfgoogle.GovernedApiKey(stack, 'K1', key);
    expect(governanceError(() => new tfgoogle.GovernedApiKey(stack, 'K2', key)).violations.map((v) => v.code)).toEqual(['NHI_NAME_DUPLICATE']);
  });

  test('AWS CDK: role names per account, API key names per account and region', () => {
    const app = testApp();
    const one = testStack(app, 'One');
    const two = testStack(app, 'Two');
    new cdk.GovernedServiceAccount(one, 'A', saProps());
    expect(governanceError(() => new cdk.GovernedServiceAccount(two, 'B', saProps())).violations.map((v) => v.code)).toEqual(['NHI_NAME_DUPLICATE']);
    const elsewhere = new Stack(app, 'Elsewhere', { env: { account: '999999999999', region: 'eu-west-1' } });
    new cdk.GovernedServiceAccount(elsewhere, 'C', saProps());
    new cdk.GovernedApiKey(one, 'K1', apiKeyProps(restApi(one)));
    expect(governanceError(() => new cdk.GovernedApiKey(two, 'K2', apiKeyProps(restApi(two)))).violations.map((v) => v.code)).toEqual(['NHI_NAME_DUPLICATE']);
  });
});
