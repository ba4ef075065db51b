// cdktf AWS: synth of N governed service accounts vs N hand-written role + policy pairs, and
// the import cost of lib/cdktf-aws vs the bare provider modules it uses.
import { BenchCase, childMain, report, runCase } from './harness';

const N = Number(process.env.NHI_BENCH_N ?? 1000);

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

// The same Terraform a team would write by hand to get what the construct gives: the role in
// its own construct, owner tags, description, expiry conditions on trust and policy, and the
// shared per-owner notices. It isolates the library's own overhead (validation, register).
const equivalent: BenchCase = () => {
  const { App, TerraformStack } = require('cdktf');
  const { Construct } = require('constructs');
  const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
  const { IamRole } = require('@cdktf/provider-aws/lib/iam-role');
  const { IamRolePolicy } = require('@cdktf/provider-aws/lib/iam-role-policy');
  const { SnsTopic } = require('@cdktf/provider-aws/lib/sns-topic');
  const { SchedulerSchedule } = require('@cdktf/provider-aws/lib/scheduler-schedule');
  return () => {
    const app = new App({ outdir: require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'nhi-bench-')) });
    const stack = new TerraformStack(app, 'bench');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const topic = new SnsTopic(stack, 'Topic', { name: 'billing-nhi' });
    const schedRole = new IamRole(stack, 'SchedRole', { name: 'sched', assumeRolePolicy: '{}' });
    for (const at of ['at(2027-05-31T09:00:00)', 'at(2027-06-30T00:00:00)']) {
      new SchedulerSchedule(stack, at, { scheduleExpression: at, flexibleTimeWindow: { mode: 'OFF' }, target: { arn: topic.arn, roleArn: schedRole.arn, input: 'identities' } });
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
  const { App, TerraformStack } = require('cdktf');
  const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
  const { GovernedServiceAccount } = require('../lib/cdktf-aws/index.js');
  return () => {
  const app = new App({ outdir: require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'nhi-bench-')) });
  const stack = new TerraformStack(app, 'bench');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  for (let i = 0; i < N; i++) {
    new GovernedServiceAccount(stack, `Sa${i}`, {
      owner: { team: 'billing', contact: 'billing@example.com' },
      purpose: 'Reads nightly billing exports for the reporting job',
      expires: '2027-06-30',
      name: `svc-${i}`,
      assumedBy: { service: 'lambda.amazonaws.com' },
      scope: [{ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-${i}/*`] }],
    });
  }
  app.synth();
  };
};

const cases: Record<string, BenchCase> = {
  'synth-bare': bare,
  'synth-governed': governed,
  'synth-equivalent': equivalent,
  'import-bare': () => () => {
    require('cdktf');
    for (const m of ['provider', 'iam-role', 'iam-role-policy', 'iam-user', 'iam-user-policy', 'iam-access-key', 'secretsmanager-secret',
      'secretsmanager-secret-version', 'scheduler-schedule', 'sns-topic', 'sns-topic-subscription', 'cloudwatch-log-metric-filter',
      'cloudwatch-metric-alarm', 'api-gateway-api-key', 'api-gateway-usage-plan', 'api-gateway-usage-plan-key', 'data-aws-caller-identity',
      'data-aws-partition', 'data-aws-region']) {
      require(`@cdktf/provider-aws/lib/${m}`);
    }
    require('@cdktf/provider-time/lib/rotating');
    require('@cdktf/provider-time/lib/provider');
  },
  'import-governed': () => () => {
    require('../lib/cdktf-aws/index.js');
  },
};

export function main(): void {
  const file = __filename;
  const governedRun = runCase(file, 'synth-governed');
  report(`synth ${N} governed service accounts vs minimal role+policy`, governedRun, runCase(file, 'synth-bare'), 1.3);
  report(`synth ${N} governed vs the same output written by hand`, governedRun, runCase(file, 'synth-equivalent'), 1.3);
  report('import lib/cdktf-aws vs the bare provider modules', runCase(file, 'import-governed', 5), runCase(file, 'import-bare', 5), 1.2);
}

childMain(cases);
