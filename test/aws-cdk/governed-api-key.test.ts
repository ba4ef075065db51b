import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { GovernedApiKey } from '../../lib/aws-cdk';
import { apiKeyProps, governanceError, restApi, testStack } from './util';

describe('GovernedApiKey: the synthesised template', () => {
  const stack = testStack();
  const api = restApi(stack);
  const key = new GovernedApiKey(stack, 'Acme', apiKeyProps(api, { quota: { limit: 10000, period: apigateway.Period.DAY }, rotationDays: 14 }));
  const template = Template.fromStack(stack);

  test('the key value comes from a generated Secrets Manager secret (a dynamic reference, never the value)', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'nhi/partner-acme-orders/api-key',
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'value', ExcludePunctuation: true, PasswordLength: 40 }),
    });
    const keys = Object.values(template.findResources('AWS::ApiGateway::ApiKey')) as any[];
    expect(keys).toHaveLength(1);
    expect(JSON.stringify(keys[0].Properties.Value)).toMatch(/resolve:secretsmanager:.*:SecretString:value::/);
    expect(keys[0].Properties).toEqual(expect.objectContaining({ Name: 'partner-acme-orders', Enabled: true }));
  });

  test('a usage plan limited to the stages, with throttle and quota, and the key in it', () => {
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: 'partner-acme-orders',
      ApiStages: [{ ApiId: { Ref: Match.stringLikeRegexp('^Api') }, Stage: { Ref: Match.stringLikeRegexp('ApiDeploymentStageprod') } }],
      Throttle: { RateLimit: 10, BurstLimit: 20 },
      Quota: { Limit: 10000, Period: 'DAY' },
    });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', { KeyType: 'API_KEY' });
  });

  test('rotated by a RotationSchedule and function, disabled at expiry', () => {
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(14 days)' },
      RotateImmediatelyOnUpdate: false,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NHI_KIND: 'api-key', NHI_KEY_NAME: 'partner-acme-orders' }) },
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'at(2027-06-30T00:00:00)',
      Target: Match.objectLike({ Input: '{"nhiAction":"disable"}' }),
    });
  });

  test('tags on the key, the secret and the rotation function', () => {
    for (const type of ['AWS::ApiGateway::ApiKey', 'AWS::SecretsManager::Secret', 'AWS::Lambda::Function', 'AWS::ApiGateway::UsagePlan']) {
      template.hasResourceProperties(type, { Tags: Match.arrayWith([{ Key: 'nhi:owner-team', Value: 'partners' }, { Key: 'nhi:rotation-days', Value: '14' }]) });
    }
  });

  test('register entry', () => {
    const e = key.registerEntry;
    expect(e.kind).toBe('api-key');
    expect(e.credentials).toBe('api-key');
    expect(e.rotation).toEqual({ days: 14 });
    expect(e.details).toEqual({ throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 10000, period: 'DAY', offset: 0 } });
    expect(e.alarms.map((a) => a.kind)).toEqual(['expiry-reminder', 'expired', 'credential-disabled']);
  });
});

describe('GovernedApiKey: violations', () => {
  test('NHI_SCOPE_EMPTY: no stages, or a stage without its API', () => {
    const stack = testStack();
    const api = restApi(stack);
    expect(governanceError(() => new GovernedApiKey(stack, 'A', apiKeyProps(api, { scope: [] }))).violations.map((v) => v.code)).toEqual(['NHI_SCOPE_EMPTY']);
    expect(governanceError(() => new GovernedApiKey(stack, 'B', apiKeyProps(api, { scope: [{ stage: api.deploymentStage }] }))).violations.map((v) => v.field))
      .toEqual(['scope[0].restApiId']);
  });

  test('NHI_THROTTLE_MISSING and NHI_THROTTLE_INVALID', () => {
    const stack = testStack();
    const api = restApi(stack);
    expect(governanceError(() => new GovernedApiKey(stack, 'A', apiKeyProps(api, { throttle: undefined as any }))).violations.map((v) => v.code))
      .toEqual(['NHI_THROTTLE_MISSING']);
    expect(governanceError(() => new GovernedApiKey(stack, 'B', apiKeyProps(api, { throttle: { rateLimit: 10 } }))).violations.map((v) => v.code))
      .toEqual(['NHI_THROTTLE_INVALID']);
  });

  test('NHI_QUOTA_INVALID, NHI_ROTATION_TOO_LONG, NHI_NAME_INVALID together', () => {
    const stack = testStack();
    const api = restApi(stack);
    const err = governanceError(() => new GovernedApiKey(stack, 'A', apiKeyProps(api, { quota: { limit: 0 }, rotationDays: 120, name: '' })));
    expect(err.violations.map((v) => v.code)).toEqual(['NHI_NAME_INVALID', 'NHI_QUOTA_INVALID', 'NHI_QUOTA_INVALID', 'NHI_ROTATION_TOO_LONG']);
  });
});

describe('GovernedApiKey: names (generated, or given as tokens)', () => {
  const { CfnParameter } = require('aws-cdk-lib/core');
  const { NhiRegister } = require('../../lib/aws-cdk');

  test('no name: one generated from the construct path names the key, the usage plan, the secret, the rotation and the register entry', () => {
    const stack = testStack();
    const api = restApi(stack);
    const key = new GovernedApiKey(stack, 'Acme', apiKeyProps(api, { name: undefined }));
    expect(key.keyName).toMatch(/^Billing-Acme-[0-9A-F]{8}$/);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: key.keyName });
    t.hasResourceProperties('AWS::ApiGateway::UsagePlan', { UsagePlanName: key.keyName });
    t.hasResourceProperties('AWS::SecretsManager::Secret', { Name: `nhi/${key.keyName}/api-key` });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ NHI_KEY_NAME: key.keyName }) } });
    expect(NhiRegister.of(stack).entries()[0]).toMatchObject({ path: 'Billing/Acme', name: key.keyName });
  });

  test('a CfnParameter name is accepted: the template and the register refer to the parameter', () => {
    const stack = testStack();
    const api = restApi(stack);
    const name = new CfnParameter(stack, 'KeyName', { type: 'String' }).valueAsString;
    new GovernedApiKey(stack, 'Acme', apiKeyProps(api, { name }));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: { Ref: 'KeyName' } });
    t.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: { 'Fn::Join': ['', ['nhi/', { Ref: 'KeyName' }, '/api-key']] },
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: { 'Fn::Join': ['', ['{"name":"', { Ref: 'KeyName' }, '"}']] } }),
    });
    expect(NhiRegister.of(stack).entries()[0].name).toBe('${KeyName}');
  });
});

describe('GovernedApiKey: PhysicalName.GENERATE_IF_NEEDED', () => {
  test('is a generated name (the key\'s rotation names its successors after it)', () => {
    const { PhysicalName } = require('aws-cdk-lib/core');
    const stack = testStack();
    const key = new GovernedApiKey(stack, 'Acme', apiKeyProps(restApi(stack), { name: PhysicalName.GENERATE_IF_NEEDED }));
    expect(key.keyName).toMatch(/^Billing-Acme-[0-9A-F]{8}$/);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: key.keyName });
  });
});
