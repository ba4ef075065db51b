// AWS CDK: synth of N governed service accounts vs N hand-written iam.Role + iam.Policy pairs in
// the same run (N = 200: a CloudFormation stack holds at most 500 resources; a governed role is
// one resource, the notices plumbing is shared per stack), with and without the NhiGovernance
// validation plugin.
import { BenchCase, childMain, report, runCase } from './harness';

const N = Number(process.env.NHI_BENCH_AWS_CDK_N ?? 200);

function newApp(core: any): any {
  return new core.App({
    outdir: require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'nhi-bench-cdk-')),
    builtinCloudFormationValidation: false,
  });
}

const bare: BenchCase = () => {
  const core = require('aws-cdk-lib/core');
  const iam = require('aws-cdk-lib/aws-iam');
  return () => {
    const app = newApp(core);
    const stack = new core.Stack(app, 'bench', { env: { account: '123456789012', region: 'eu-west-1' } });
    for (let i = 0; i < N; i++) {
      const role = new iam.Role(stack, `Role${i}`, { roleName: `svc-${i}`, assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      core.Tags.of(role).add('owner', 'billing');
      new iam.Policy(stack, `Policy${i}`, {
        roles: [role],
        statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-${i}/*`] })],
      });
    }
    app.synth();
  };
};

function governed(withPlugin: boolean): BenchCase {
  return () => {
    const core = require('aws-cdk-lib/core');
    const iam = require('aws-cdk-lib/aws-iam');
    const { GovernedServiceAccount, NhiGovernanceChecks } = require('../lib/aws-cdk');
    return () => {
      const app = newApp(core);
      if (withPlugin) core.Validations.of(app).addPlugins(new NhiGovernanceChecks());
      const stack = new core.Stack(app, 'bench', { env: { account: '123456789012', region: 'eu-west-1' } });
      for (let i = 0; i < N; i++) {
        new GovernedServiceAccount(stack, `Sa${i}`, {
          owner: { team: 'billing', contact: 'billing@example.com' },
          purpose: 'Reads nightly billing exports for the reporting job',
          expires: '2027-06-30',
          name: `svc-${i}`,
          assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
          scope: [{ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-${i}/*`] }],
        });
      }
      app.synth();
    };
  };
}

const cases: Record<string, BenchCase> = {
  'synth-bare': bare,
  'synth-governed': governed(false),
  'synth-governed-checked': governed(true),
};

export function main(): void {
  const file = __filename;
  const baseline = runCase(file, 'synth-bare');
  report(`synth ${N} governed service accounts vs iam.Role+Policy`, runCase(file, 'synth-governed'), baseline, 1.3);
  report('  ... with the NhiGovernance validation plugin', runCase(file, 'synth-governed-checked'), baseline, 1.3);
}

childMain(cases);
