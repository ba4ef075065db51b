// Stack-wide enforcement (cdktf): app.synth() of a 5,000-resource stack with and without
// Governance.of(app).enforce(). Target: the enforcement pass adds <= 10% to the synth.
import { BenchCase, childMain, report, runCase } from './harness';

const GOVERNED = 1000; // 2 resources each (role + policy)
const OTHER = 3000; // plain S3 buckets

function build(enforce: boolean): () => void {
  const fs = require('fs');
  const os = require('os');
  const path = require('path');
  const { App, TerraformStack } = require('cdktf');
  const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
  const { S3Bucket } = require('@cdktf/provider-aws/lib/s3-bucket');
  const { GovernedServiceAccount } = require('../lib/cdktf-aws/index.js');
  const { Governance } = require('../lib/cdktf/index.js');
  return () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-bench-')) });
    const stack = new TerraformStack(app, 'bench');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    for (let i = 0; i < GOVERNED; i++) {
      new GovernedServiceAccount(stack, `Sa${i}`, {
        owner: { team: 'billing', contact: 'billing@example.com' },
        purpose: 'Reads nightly billing exports for the reporting job',
        expires: '2027-06-30',
        name: `svc-${i}`,
        assumedBy: { service: 'lambda.amazonaws.com' },
        scope: [{ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-${i}/*`] }],
      });
    }
    for (let i = 0; i < OTHER; i++) new S3Bucket(stack, `Bucket${i}`, { bucket: `bucket-${i}` });
    if (enforce) Governance.of(app).enforce();
    app.synth();
  };
}

const cases: Record<string, BenchCase> = {
  'synth': () => build(false),
  'synth-enforced': () => build(true),
};

export function main(): void {
  report(`synth of ${GOVERNED * 2 + OTHER}+ resources with enforce() vs without`, runCase(__filename, 'synth-enforced'), runCase(__filename, 'synth'), 1.1);
}

childMain(cases);
