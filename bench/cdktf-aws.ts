// cdktf AWS: synth of N governed service accounts vs the same Terraform written by hand (role,
// tags, expiry conditions, scoped policy, shared notices), as a scaling series (100 / 1,000 /
// 5,000) printed per identity; peak RSS at 5,000 vs a minimal role + policy app; and the import
// cost of lib/cdktf-aws vs the bare provider modules it uses.
import { assertCompiled, BenchCase, childMain, compare, requireCompiled, seriesSizes } from './harness';

/** Identities per synth: `--n` of the child's arguments. */
const N = Number(process.argv[process.argv.indexOf('--n') + 1] || 1000);

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
  const { GovernedServiceAccount } = requireCompiled('lib/cdktf-aws/index.js');
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
    requireCompiled('lib/cdktf-aws/index.js');
  },
};

export function main(): void {
  assertCompiled('lib/cdktf-aws/index', 'lib/cdktf-aws/governed-service-account');
  const file = __filename;
  const sizes = seriesSizes([100, 1000, 5000], [100, 1000]);
  for (const n of sizes) {
    const args = ['--n', String(n)];
    compare(`cdktf AWS synth, ${n.toLocaleString('en')} identities: A governed vs B the same Terraform written by hand`,
      { file, name: 'synth-governed', args }, { file, name: 'synth-equivalent', args }, { target: 1.05, units: n });
  }
  const big = sizes[sizes.length - 1];
  compare(`cdktf AWS synth, ${big.toLocaleString('en')} identities: A governed vs B minimal role + policy (peak RSS target <= 1.2)`,
    { file, name: 'synth-governed', args: ['--n', String(big)] }, { file, name: 'synth-bare', args: ['--n', String(big)] }, { units: big });
  compare('import: A nhi-constructs/lib/cdktf-aws vs B the provider modules it needs', { file, name: 'import-governed' }, { file, name: 'import-bare' }, { target: 1.2 });
}

if (!childMain(cases) && require.main === module) main();
