// cdktf AWS: synth of N governed service accounts vs the same Terraform written by hand (see
// `equivalent`: every resource the construct emits for these props), as a scaling series (100 /
// 1,000 / 5,000) printed per identity; peak RSS at 5,000 vs a minimal role + policy app; and the import
// cost of lib/cdktf-aws vs the bare provider modules it uses.
import * as fs from 'fs';
import * as path from 'path';
import { cloudTrailRulePatterns, governedAwsApp } from './apps';
import { argNumber, assertCompiled, BenchCase, childMain, compare, importScript, packageFilesRequiredBy, requireCompiled, seriesSizes, tmpDir } from './harness';

/** Identities per synth: `--n` of the child's arguments. */
const N = argNumber('--n', 1000);

const bare: BenchCase = () => {
  const { App, TerraformStack } = require('cdktf');
  const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
  const { IamRole } = require('@cdktf/provider-aws/lib/iam-role');
  const { IamRolePolicy } = require('@cdktf/provider-aws/lib/iam-role-policy');
  return () => {
  const app = new App({ outdir: require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'nhi-bench-')) });
  const stack = new TerraformStack(app, 'bench');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  for (let i = 0; i < N; i++) {
    const role = new IamRole(stack, `Role${i}`, {
      name: `svc-${i}`,
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      tags: { owner: 'billing' },
    });
    new IamRolePolicy(stack, `Policy${i}`, {
      role: role.name,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::bucket-${i}/*`] }] }),
    });
  }
  app.synth();
  };
};

// The same Terraform a team would write by hand to get what the construct emits for these props:
// per identity the role in its own construct (owner tags, description, expiry conditions on trust
// and policy) and its scoped policy; per stack the owner's topic with its e-mail subscription and
// topic policy, the account id, the scheduler role and its policy, the two notice schedules
// (their message lists every identity's path), and per chunk of roles (as many names as fit in
// an event pattern) the policy-changed and access-denied EventBridge rules listing the names,
// with their targets. The only thing the construct adds is its own work: validation, the
// register and the check of the synthesised artifact.
const equivalent: BenchCase = () => {
  const { App, TerraformStack } = require('cdktf');
  const { Construct } = require('constructs');
  const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
  const { IamRole } = require('@cdktf/provider-aws/lib/iam-role');
  const { IamRolePolicy } = require('@cdktf/provider-aws/lib/iam-role-policy');
  const { SnsTopic } = require('@cdktf/provider-aws/lib/sns-topic');
  const { SnsTopicPolicy } = require('@cdktf/provider-aws/lib/sns-topic-policy');
  const { SnsTopicSubscription } = require('@cdktf/provider-aws/lib/sns-topic-subscription');
  const { SchedulerSchedule } = require('@cdktf/provider-aws/lib/scheduler-schedule');
  const { CloudwatchEventRule } = require('@cdktf/provider-aws/lib/cloudwatch-event-rule');
  const { CloudwatchEventTarget } = require('@cdktf/provider-aws/lib/cloudwatch-event-target');
  const { DataAwsCallerIdentity } = require('@cdktf/provider-aws/lib/data-aws-caller-identity');
  return () => {
    const app = new App({ outdir: require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'nhi-bench-')) });
    const stack = new TerraformStack(app, 'bench');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const account = new DataAwsCallerIdentity(stack, 'Account');
    const topic = new SnsTopic(stack, 'Topic', { namePrefix: 'billing-nhi-', displayName: 'NHI notices for billing', tags: { 'nhi:owner-team': 'billing', 'nhi:owner-contact': 'billing@example.com', 'nhi:managed-by': 'hand' } });
    new SnsTopicSubscription(stack, 'TopicEmail', { topicArn: topic.arn, protocol: 'email', endpoint: 'billing@example.com' });
    new SnsTopicPolicy(stack, 'TopicPolicy', {
      arn: topic.arn,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [
        { Sid: 'OwnerAccount', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['SNS:GetTopicAttributes', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'], Resource: topic.arn, Condition: { StringEquals: { 'AWS:SourceOwner': account.accountId } } },
        { Sid: 'Alarms', Effect: 'Allow', Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] }, Action: 'sns:Publish', Resource: topic.arn, Condition: { StringEquals: { 'aws:SourceAccount': account.accountId } } },
      ] }),
    });
    const schedRole = new IamRole(stack, 'SchedRole', {
      namePrefix: 'sched-', description: 'lets EventBridge Scheduler send notices',
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': account.accountId } } }] }),
      tags: { 'nhi:managed-by': 'hand', 'nhi:purpose': 'EventBridge Scheduler sends notices' },
    });
    new IamRolePolicy(stack, 'SchedPolicy', { role: schedRole.name, name: 'sched', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: [topic.arn] }] }) });
    const paths: string[] = [];
    const names: string[] = [];
    for (let i = 0; i < N; i++) {
      paths.push(`bench/Sa${i}`);
      names.push(`svc-${i}`);
    }
    for (const [kind, at] of [['expiry-reminder', '2027-05-31T09:00:00'], ['expired', '2027-06-30T00:00:00']]) {
      new SchedulerSchedule(stack, kind, {
        description: `${kind} notice for identities expiring on 2027-06-30`, scheduleExpression: `at(${at})`, scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' }, actionAfterCompletion: 'NONE',
        target: { arn: topic.arn, roleArn: schedRole.arn, input: `[nhi] identities: ${kind} on 2027-06-30\n\n${paths.map((p) => `  - ${p}`).join('\n')}\n\nRemove or extend them.` },
      });
    }
    // The role names in chunks that keep each event pattern under EventBridge's 2048 characters.
    for (const { kind, index: c, pattern } of cloudTrailRulePatterns(names)) {
      const rule = new CloudwatchEventRule(stack, `${kind}-${c}`, {
        namePrefix: `${kind}-${c}-`, description: `${kind} alarm (CloudTrail management events) for the identities, to their owner's topic`,
        eventPattern: JSON.stringify(pattern), tags: { 'nhi:managed-by': 'hand' },
      });
      new CloudwatchEventTarget(stack, `${kind}-${c}-Target`, { rule: rule.name, arn: topic.arn, targetId: 'owner-topic' });
    }
    const expiry = { DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } };
    for (let i = 0; i < N; i++) {
      const c = new Construct(stack, `Sa${i}`);
      const role = new IamRole(c, 'Role', {
        name: `svc-${i}`,
        path: '/nhi/',
        description: 'Reads nightly billing exports for the reporting job (owner billing, expires 2027-06-30)',
        maxSessionDuration: 3600,
        assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Workload', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: expiry }] }),
        tags: {
          'nhi:owner-team': 'billing', 'nhi:owner-contact': 'billing@example.com', 'nhi:purpose': 'Reads nightly billing exports for the reporting job',
          'nhi:expires': '2027-06-30', 'nhi:managed-by': 'hand', 'nhi:id': `bench/Sa${i}`,
        },
      });
      new IamRolePolicy(c, 'Policy', {
        role: role.name,
        name: 'nhi-scope',
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Scope0', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::bucket-${i}/*`], Condition: expiry }] }),
      });
    }
    app.synth();
  };
};

const governed: BenchCase = () => {
  // Loaded untimed, as the other cases load theirs: cdktf, the provider the app declares, the library.
  require('cdktf');
  require('@cdktf/provider-aws/lib/provider');
  requireCompiled('lib/cdktf-aws/index.js');
  return () => governedAwsApp(N).app.synth();
};

const cases: Record<string, BenchCase> = {
  'synth-bare': bare,
  'synth-governed': governed,
  'synth-equivalent': equivalent,
};

export function main(): void {
  assertCompiled('lib/cdktf-aws/index', 'lib/cdktf-aws/governed-service-account');
  const file = __filename;
  // `--import-only`: the import comparison alone (while working on import cost).
  if (!process.argv.includes('--import-only')) {
    const sizes = seriesSizes([100, 1000, 5000], [100, 1000]);
    for (const n of sizes) {
      const args = ['--n', String(n)];
      compare(`cdktf AWS synth, ${n.toLocaleString('en')} identities: A governed vs B the same Terraform written by hand`,
        { file, name: 'synth-governed', args }, { file, name: 'synth-equivalent', args }, { target: 1.05, units: n });
    }
    // The same at 1,000 with source maps on, as `ts-node` (the TypeScript app template) runs an app:
    // every stack trace cdktf records for a token is then mapped, frame by frame.
    const maps = { args: ['--n', '1000'], sourceMaps: true };
    compare(`cdktf AWS synth, 1,000 identities, source maps on (ts-node): A governed vs B the same Terraform written by hand`,
      { file, name: 'synth-governed', ...maps }, { file, name: 'synth-equivalent', ...maps }, { target: 1.05, units: 1000 });
    const big = sizes[sizes.length - 1];
    compare(`cdktf AWS synth, ${big.toLocaleString('en')} identities: A governed vs B minimal role + policy (peak RSS target <= 1.2)`,
      { file, name: 'synth-governed', args: ['--n', String(big)] }, { file, name: 'synth-bare', args: ['--n', String(big)] }, { units: big });
  }
  const dir = tmpDir('nhi-bench-import-');
  try {
    // Plain node on both sides (a TypeScript loader would distort import cost). B requires the
    // files of cdktf, constructs and the providers that the library requires, as its import
    // loads them: A is what importing the library costs over the provider modules it needs.
    const entry = 'lib/cdktf-aws/index.js';
    const ours = importScript(dir, 'governed', [path.join(__dirname, '..', entry)]);
    const theirs = importScript(dir, 'bare', packageFilesRequiredBy(entry, /^(cdktf|constructs|@cdktf)\//));
    compare('import: A nhi-constructs/lib/cdktf-aws vs B the provider modules it needs (plain node)', { file: ours, name: 'import', plain: true }, { file: theirs, name: 'import', plain: true }, { target: 1.2 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (!childMain(cases) && require.main === module) main();
