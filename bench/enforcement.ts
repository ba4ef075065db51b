// Stack-wide enforcement (cdktf): app.synth() with and without Governance.of(app).enforce() on a
// realistic mix where half the resources are ones the pass must analyse, not only classify: per
// governed service account (role + scoped policy) a Lambda function running as it; legacy roles
// with their inline policies (an ungoverned identity and grants to it, under an expiring waiver
// on the resource type, as a team adopting the library has them); then buckets, queues and log
// groups. Target: enforcement adds <= 10% to the synth.
import { argNumber, assertCompiled, BenchCase, childMain, compare, requireCompiled } from './harness';

const GOVERNED = argNumber('--n', 500);

function build(enforce: boolean): () => void {
  const fs = require('fs');
  const os = require('os');
  const path = require('path');
  const { App, TerraformStack } = require('cdktf');
  const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
  const { S3Bucket } = require('@cdktf/provider-aws/lib/s3-bucket');
  const { SqsQueue } = require('@cdktf/provider-aws/lib/sqs-queue');
  const { CloudwatchLogGroup } = require('@cdktf/provider-aws/lib/cloudwatch-log-group');
  const { IamRole } = require('@cdktf/provider-aws/lib/iam-role');
  const { IamRolePolicy } = require('@cdktf/provider-aws/lib/iam-role-policy');
  const { LambdaFunction } = require('@cdktf/provider-aws/lib/lambda-function');
  const { GovernedServiceAccount } = requireCompiled('lib/cdktf-aws/index.js');
  const { Governance } = requireCompiled('lib/cdktf/index.js');
  return () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-bench-')), context: { 'nhi:today': '2026-11-23' } });
    const stack = new TerraformStack(app, 'bench');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    for (let i = 0; i < GOVERNED; i++) {
      const sa = new GovernedServiceAccount(stack, `Sa${i}`, {
        owner: { team: `team-${i % 20}`, contact: `team-${i % 20}@example.com` },
        purpose: 'Reads nightly billing exports for the reporting job',
        expires: '2027-06-30',
        name: `svc-${i}`,
        assumedBy: { service: 'lambda.amazonaws.com' },
        scope: [{ actions: ['s3:GetObject', 's3:ListBucket'], resources: [`arn:aws:s3:::bucket-${i}`, `arn:aws:s3:::bucket-${i}/*`] }],
      });
      new LambdaFunction(stack, `Fn${i}`, { functionName: `fn-${i}`, role: sa.role!.arn, runtime: 'nodejs22.x', handler: 'index.handler', filename: 'fn.zip' });
    }
    for (let i = 0; i < GOVERNED / 2; i++) {
      const role = new IamRole(stack, `Legacy${i}`, {
        name: `legacy-${i}`,
        assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      });
      new IamRolePolicy(stack, `LegacyPolicy${i}`, {
        role: role.name,
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [`arn:aws:sqs:eu-west-1:123456789012:q-${i}`] }] }),
      });
    }
    for (let i = 0; i < GOVERNED; i++) new S3Bucket(stack, `Bucket${i}`, { bucket: `bucket-${i}` });
    for (let i = 0; i < GOVERNED / 2; i++) new SqsQueue(stack, `Queue${i}`, { name: `q-${i}` });
    for (let i = 0; i < GOVERNED / 2; i++) new CloudwatchLogGroup(stack, `Logs${i}`, { name: `/app/${i}`, retentionInDays: 30 });
    if (enforce) {
      Governance.of(app).waive({
        code: 'NHI_UNGOVERNED_IDENTITY', resourceType: 'aws_iam_role', owner: { team: 'platform', contact: 'platform@example.com' },
        reason: 'Legacy ECS task roles, moved to governed service accounts this quarter', expires: '2027-02-28',
      });
      Governance.of(app).enforce();
    }
    app.synth();
  };
}

const cases: Record<string, BenchCase> = {
  'synth': () => build(false),
  'synth-enforced': () => build(true),
};

export function main(): void {
  assertCompiled('lib/cdktf/index', 'lib/cdktf/governance');
  const file = __filename;
  compare(`cdktf synth of ${GOVERNED * 6} resources (half IAM, or functions running as a governed role): A with enforce() vs B without`,
    { file, name: 'synth-enforced' }, { file, name: 'synth' }, { target: 1.1 });
}

if (!childMain(cases) && require.main === module) main();
