import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Template } from 'aws-cdk-lib/assertions';
import { GovernedApiKey, GovernedServiceAccount } from '../../lib/aws-cdk';
import { apiKeyProps, governanceError, restApi, saProps, testApp, testStack } from './util';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:billing-alerts';
const BOUNDARY = 'arn:aws:iam::123456789012:policy/workload-boundary';

describe('AWS CDK: references given as text are accepted properly or rejected with a GovernanceError', () => {
  test('Compliance: alarms.topic as an ARN string is imported; notices and alarms go to it', () => {
    const app = testApp();
    const stack = testStack(app);
    new GovernedServiceAccount(stack, 'A', saProps({ alarms: { topic: TOPIC as unknown as sns.ITopic, cloudTrailLogGroup: 'aws-cloudtrail-logs' as unknown as logs.ILogGroup } }));
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SNS::Topic', 0);
    const schedules = Object.values(t.findResources('AWS::Scheduler::Schedule'));
    expect(schedules.length).toBeGreaterThan(0);
    for (const s of schedules) expect(s.Properties.Target.Arn).toBe(TOPIC);
    t.hasResourceProperties('AWS::Logs::MetricFilter', { LogGroupName: 'aws-cloudtrail-logs' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [TOPIC] });
  });

  test('Compliance: a topic and log group object as before', () => {
    const stack = testStack();
    const topic = new sns.Topic(stack, 'T');
    new GovernedServiceAccount(stack, 'A', saProps({ alarms: { topic, cloudTrailLogGroup: logs.LogGroup.fromLogGroupArn(stack, 'G', 'arn:aws:logs:eu-west-1:123456789012:log-group:trail:*') } }));
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::MetricFilter', { LogGroupName: 'trail' });
  });

  test.each([
    [{ topic: 'billing-alerts' }, 'alarms.topic'],
    [{ topic: 42 }, 'alarms.topic'],
    [{ topic: { arn: TOPIC } }, 'alarms.topic'],
    [{ cloudTrailLogGroup: 'has spaces in it' }, 'alarms.cloudTrailLogGroup'],
    [{ cloudTrailLogGroup: {} }, 'alarms.cloudTrailLogGroup'],
    [{ runbookUrl: 'wiki/runbook' }, 'alarms.runbookUrl'],
    ['alerts', 'alarms'],
  ])('Noncompliance NHI_ALARMS_INVALID: alarms %j', (alarms, field) => {
    const e = governanceError(() => new GovernedServiceAccount(testStack(), 'A', saProps({ alarms: alarms as any })));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_ALARMS_INVALID', field]]);
  });

  test('Noncompliance NHI_ALARMS_INVALID on API keys too', () => {
    const stack = testStack();
    const e = governanceError(() => new GovernedApiKey(stack, 'K', apiKeyProps(restApi(stack), { alarms: { topic: 'nope' as any } })));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_ALARMS_INVALID', 'alarms.topic']]);
  });

  test.each([
    [BOUNDARY, BOUNDARY],
    ['workload-boundary', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:policy/workload-boundary']] }],
  ])('Compliance: permissionsBoundary %s as a string is applied, not dropped (role and user)', (given, expected) => {
    const stack = testStack();
    new GovernedServiceAccount(stack, 'A', saProps({ permissionsBoundary: given as unknown as iam.IManagedPolicy }));
    new GovernedServiceAccount(stack, 'U', saProps({ name: 'billing-legacy', permissionsBoundary: given as unknown as iam.IManagedPolicy, assumedBy: undefined, staticCredentials: { justification: 'the vendor appliance cannot assume roles' } }));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Role', { PermissionsBoundary: expected });
    t.hasResourceProperties('AWS::IAM::User', { PermissionsBoundary: expected });
  });

  test.each([['not a policy'], [42], [{ arn: BOUNDARY }], ['arn:aws:iam::123456789012:role/x']])('Noncompliance NHI_BOUNDARY_INVALID: permissionsBoundary %j', (given) => {
    const e = governanceError(() => new GovernedServiceAccount(testStack(), 'A', saProps({ permissionsBoundary: given as any })));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_BOUNDARY_INVALID', 'permissionsBoundary']]);
  });

  test.each([
    [[{ restApiId: 'a1b2c3d4e5', stage: 'prod' }]],
    [[{ api: { restApiId: 'a1b2c3d4e5' }, stage: 'prod' }]],
    [[{ api: { restApiId: 'a1b2c3d4e5' }, stage: { stageName: 'prod' } }]],
    [[null]],
  ])('Noncompliance NHI_SCOPE_TARGET_INVALID: API key scope as plain objects %j (no TypeError)', (scope) => {
    const stack = testStack();
    const e = governanceError(() => new GovernedApiKey(stack, 'K', apiKeyProps(restApi(stack), { scope: scope as any })));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_SCOPE_TARGET_INVALID', 'scope[0]']]);
    expect(e.violations[0].fix).toContain('api.deploymentStage');
  });
});
