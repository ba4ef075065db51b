import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key';
import { ApiGatewayUsagePlan } from '@cdktf/provider-aws/lib/api-gateway-usage-plan';
import { ApiGatewayUsagePlanKey } from '@cdktf/provider-aws/lib/api-gateway-usage-plan-key';
import { GovernedApiKey, GovernedApiKeyProps } from '../../lib/cdktf-aws';
import { awsStack, GOVERNANCE, governanceError, resources, synth } from '../helpers/cdktf';

const BASE: GovernedApiKeyProps = {
  ...GOVERNANCE,
  purpose: 'Partner ACME submits orders to the orders API',
  name: 'partner-acme-orders',
  scope: [{ restApiId: 'a1b2c3d4e5', stage: 'prod' }],
  throttle: { rateLimit: 10, burstLimit: 20 },
};

function build(props: Partial<GovernedApiKeyProps> = {}) {
  const { stack } = awsStack();
  const key = new GovernedApiKey(stack, 'Partner', { ...BASE, ...props } as GovernedApiKeyProps);
  return { stack, key, json: synth(stack) };
}

describe('GovernedApiKey (cdktf AWS)', () => {
  test('a usage plan limited to the given stages, with throttle and quota; the key itself is no Terraform resource', () => {
    const { json } = build({ quota: { limit: 10000, period: 'DAY' } });
    expect(json.resource.aws_api_gateway_api_key).toBeUndefined();
    expect(json.resource.aws_api_gateway_usage_plan_key).toBeUndefined();
    const [plan] = resources(json, 'aws_api_gateway_usage_plan');
    expect(plan).toMatchObject({
      api_stages: [{ api_id: 'a1b2c3d4e5', stage: 'prod' }],
      throttle_settings: { rate_limit: 10, burst_limit: 20 },
      quota_settings: { limit: 10000, period: 'DAY' },
    });
  });

  test('the key value is handed out only through Secrets Manager, never in synth output', () => {
    const { json } = build();
    expect(json.output).toBeUndefined();
    const [secret] = resources(json, 'aws_secretsmanager_secret');
    expect(secret).toMatchObject({ name: 'nhi/partner-acme-orders/api-key', recovery_window_in_days: 7 });
    const [version] = resources(json, 'aws_secretsmanager_secret_version');
    expect(JSON.parse(version.secret_string)).toEqual({ name: 'partner-acme-orders' });
    expect(version.lifecycle).toEqual({ ignore_changes: ['secret_string', 'version_stages'] });
  });

  test('created and rotated in the cloud by the rotation function, which adds each key to this usage plan', () => {
    const { json } = build({ rotationDays: 14 });
    expect(json.resource.time_rotating).toBeUndefined();
    const [rotation] = resources(json, 'aws_secretsmanager_secret_rotation');
    expect(rotation).toMatchObject({ rotation_rules: { automatically_after_days: 14 }, rotate_immediately: true });
    const [fn] = resources(json, 'aws_lambda_function');
    expect(fn.environment.variables).toMatchObject({ NHI_KIND: 'api-key', NHI_KEY_NAME: 'partner-acme-orders' });
    expect(fn.environment.variables.NHI_USAGE_PLAN_ID).toMatch(/^\$\{aws_api_gateway_usage_plan\.Partner_UsagePlan_[0-9A-F]+\.id\}$/);
    expect(JSON.parse(fn.environment.variables.NHI_TAGS)).toMatchObject({ 'nhi:owner-team': 'billing', 'nhi:rotation-days': '14' });
    const policy = JSON.parse(resources(json, 'aws_iam_role_policy').find((p) => p.name === 'nhi-rotation').policy);
    const byAction = Object.fromEntries(policy.Statement.map((s: any) => [s.Action.join(','), s.Resource]));
    expect(byAction['apigateway:POST']).toEqual([
      expect.stringMatching(/::\/apikeys$/), expect.stringMatching(/::\/usageplans\/\$\{aws_api_gateway_usage_plan\..*\.id\}\/keys$/),
    ]);
  });

  test('disabled at expiry: EventBridge Scheduler invokes the rotation function, which disables every key', () => {
    const { json } = build();
    const disable = resources(json, 'aws_scheduler_schedule').find((s) => /aws_lambda_function/.test(s.target.arn));
    expect(disable.schedule_expression).toBe('at(2027-03-01T00:00:00)');
    expect(JSON.parse(disable.target.input)).toEqual({ nhiAction: 'disable' });
    const policy = JSON.parse(resources(json, 'aws_iam_role_policy').find((p) => p.name === 'nhi-scheduler').policy);
    expect(policy.Statement.map((s: any) => s.Action).sort()).toEqual(['lambda:InvokeFunction', 'sns:Publish']);
  });

  test('tags on the usage plan, the secret and the rotation function (the function tags the keys it creates)', () => {
    const { json } = build();
    for (const type of ['aws_api_gateway_usage_plan', 'aws_secretsmanager_secret', 'aws_lambda_function']) {
      expect(resources(json, type)[0].tags).toMatchObject({ 'nhi:owner-team': 'billing', 'nhi:expires': '2027-03-01', 'nhi:rotation-days': '30' });
    }
  });

  test('register entry: api-key, stages, rotation, throttle', () => {
    const { key } = build({ quota: { limit: 100, period: 'WEEK' } });
    expect(key.registerEntry).toMatchObject({
      kind: 'api-key',
      cloud: 'aws',
      name: 'partner-acme-orders',
      scope: [{ restApiId: 'a1b2c3d4e5', stage: 'prod' }],
      credentials: 'api-key',
      rotation: { days: 30 },
      controls: ['NHI1', 'NHI2', 'NHI5', 'NHI7'],
      details: { throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 100, period: 'WEEK', offset: 0 } },
    });
    expect(key.registerEntry.alarms.map((a) => a.kind)).toEqual(['expiry-reminder', 'expired', 'credential-disabled']);
  });

  test('NHI_SCOPE_EMPTY, NHI_THROTTLE_MISSING, NHI_QUOTA_INVALID, NHI_ROTATION_TOO_LONG at once', () => {
    const { stack } = awsStack();
    const err = governanceError(() => new GovernedApiKey(stack, 'Bad', {
      ...BASE, scope: [], throttle: undefined as any, quota: { limit: 0, period: 'YEAR' }, rotationDays: 120,
    }));
    expect(err.violations.map((v) => [v.code, v.field])).toEqual([
      ['NHI_SCOPE_EMPTY', 'scope'],
      ['NHI_THROTTLE_MISSING', 'throttle'],
      ['NHI_QUOTA_INVALID', 'quota.limit'],
      ['NHI_QUOTA_INVALID', 'quota.period'],
      ['NHI_ROTATION_TOO_LONG', 'rotationDays'],
    ]);
  });

  test('NHI_SCOPE_WILDCARD for a wildcard stage, NHI_THROTTLE_INVALID for bad limits', () => {
    const { stack } = awsStack();
    const err = governanceError(() => new GovernedApiKey(stack, 'Bad', {
      ...BASE, scope: [{ restApiId: 'a1b2c3d4e5', stage: '*' }], throttle: { rateLimit: -1, burstLimit: 1.5 },
    }));
    expect(err.violations.map((v) => [v.code, v.field])).toEqual([
      ['NHI_SCOPE_WILDCARD', 'scope[0].stage'],
      ['NHI_THROTTLE_INVALID', 'throttle.rateLimit'],
      ['NHI_THROTTLE_INVALID', 'throttle.burstLimit'],
    ]);
  });

  test('NHI_NAME_INVALID and the contract rules apply to API keys too', () => {
    const { stack } = awsStack();
    const err = governanceError(() => new GovernedApiKey(stack, 'Bad', { ...BASE, name: '', purpose: 'tbd', expires: '2030-01-01' }));
    expect(err.violations.map((v) => v.code).sort()).toEqual(['NHI_EXPIRY_TOO_FAR', 'NHI_NAME_INVALID', 'NHI_PURPOSE_VAGUE']);
  });
});

describe('GovernedApiKey (cdktf AWS): a name given as a reference', () => {
  test('a TerraformVariable name synthesises with Terraform references and no cdktf warning', () => {
    const { TerraformVariable } = require('cdktf');
    const { stack } = awsStack();
    const name = new TerraformVariable(stack, 'key_name', { type: 'string' }).stringValue;
    const printed: string[] = [];
    const spies = (['log', 'warn', 'error', 'info'] as const).map((m) => jest.spyOn(console, m).mockImplementation((...a: unknown[]) => { printed.push(a.join(' ')); }));
    let json: any;
    try {
      new GovernedApiKey(stack, 'Partner', { ...BASE, name });
      json = synth(stack);
    } finally {
      for (const s of spies) s.mockRestore();
    }
    expect(printed.join('\n')).not.toMatch(/may be incorrect|TfToken|TOKEN\./);
    expect(JSON.stringify(json)).not.toMatch(/TfToken|TOKEN\.\d/);
    expect(resources(json, 'aws_api_gateway_usage_plan')[0].name).toBe('${var.key_name}');
    expect(resources(json, 'aws_lambda_function')[0].environment.variables.NHI_KEY_NAME).toBe('${var.key_name}'); // the rotation function names the keys
    expect(resources(json, 'aws_secretsmanager_secret')[0].name).toBe('nhi/${var.key_name}/api-key');
  });
});

describe('GovernedApiKey (cdktf AWS): artifact verification', () => {
  function errors(stack: import('cdktf').TerraformStack): string {
    try {
      synth(stack);
    } catch (e: any) {
      return String(e.message);
    }
    return '';
  }

  test('Noncompliance: a usage plan key on the governed plan (the rotation function creates the keys, Terraform none) is NHI_CREDENTIAL_UNDECLARED', () => {
    const { stack } = awsStack();
    const key = new GovernedApiKey(stack, 'Partner', BASE);
    const raw = new ApiGatewayApiKey(stack, 'Raw', { name: 'raw' });
    new ApiGatewayUsagePlanKey(stack, 'RawPlanKey', { keyId: raw.id, keyType: 'API_KEY', usagePlanId: key.usagePlan.id });
    expect(errors(stack)).toContain('[NHI_CREDENTIAL_UNDECLARED] aws_api_gateway_usage_plan_key at stack/RawPlanKey');
  });

  test('Compliance: a key on another usage plan is not the governed key\'s concern', () => {
    const { stack } = awsStack();
    new GovernedApiKey(stack, 'Partner', BASE);
    const raw = new ApiGatewayApiKey(stack, 'Raw', { name: 'raw' });
    const plan = new ApiGatewayUsagePlan(stack, 'OtherPlan', { name: 'other' });
    new ApiGatewayUsagePlanKey(stack, 'RawPlanKey', { keyId: raw.id, keyType: 'API_KEY', usagePlanId: plan.id });
    expect(errors(stack)).toBe('');
  });
});

describe('GovernedApiKey (cdktf AWS): artifact verification of the stages', () => {
  test('Noncompliance: an override adding a stage to the governed usage plan is NHI_SCOPE_WIDENED', () => {
    const { stack } = awsStack();
    const key = new GovernedApiKey(stack, 'Partner', BASE);
    key.usagePlan.addOverride('api_stages', [{ api_id: 'a1b2c3d4e5', stage: 'prod' }, { api_id: 'f6g7h8i9j0', stage: 'admin' }]);
    let message = '';
    try {
      synth(stack);
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toMatch(/\[NHI_SCOPE_WIDENED\] aws_api_gateway_usage_plan at stack\/Partner\/UsagePlan: .*f6g7h8i9j0\/admin/);
    expect(message).not.toContain('a1b2c3d4e5/prod,');
  });

  test('Compliance: stages given as references to the API and its stage verify', () => {
    const { stack } = awsStack();
    const api = new ApiGatewayRestApi(stack, 'Api', { name: 'orders' });
    const stage = new ApiGatewayStage(stack, 'Prod', { restApiId: api.id, stageName: 'prod', deploymentId: 'd1' });
    new GovernedApiKey(stack, 'Partner', { ...BASE, scope: [{ restApiId: api.id, stage: stage.stageName }] });
    expect(() => synth(stack)).not.toThrow();
  });
});
