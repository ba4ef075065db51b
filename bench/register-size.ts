// Register size: bytes per identity of `nhi-register.json` for the synth benchmarks' apps
// (bench/cdktf-aws.ts, bench/cdktf-google.ts) at 100 and 1,000 identities, in the current format
// (version 2) and as version 1 would write the same entries. A size, not a time: deterministic,
// measured once. Target (issue 15): at most 512 bytes per identity. Run: `npm run bench -- register-size`.
import * as fs from 'fs';
import { assertCompiled, requireCompiled, seriesSizes, tmpDir } from './harness';

const OWNER = { team: 'billing', contact: 'billing@example.com' };
const PURPOSE = 'Reads nightly billing exports for the reporting job';
const TARGET = 512;

function registerOf(target: 'aws' | 'google', n: number): { v2: string; v1: string } {
  const { App, TerraformStack } = require('cdktf');
  const { NhiRegister } = requireCompiled('lib/cdktf/index.js');
  const { renderRegisterV1 } = requireCompiled('lib/core/register.js');
  const dir = tmpDir('nhi-bench-register-');
  try {
    const app = new App({ outdir: dir, context: { 'nhi:today': '2026-11-23' } });
    const stack = new TerraformStack(app, 'bench');
    if (target === 'aws') {
      const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
      const { GovernedServiceAccount } = requireCompiled('lib/cdktf-aws/index.js');
      new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      for (let i = 0; i < n; i++) {
        new GovernedServiceAccount(stack, `Sa${i}`, {
          owner: OWNER, purpose: PURPOSE, expires: '2027-06-30', name: `svc-${i}`,
          assumedBy: { service: 'lambda.amazonaws.com' },
          scope: [{ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-${i}/*`] }],
        });
      }
    } else {
      const { GoogleProvider } = require('@cdktf/provider-google/lib/provider');
      const { GovernedServiceAccount } = requireCompiled('lib/cdktf-google/index.js');
      new GoogleProvider(stack, 'google', { project: 'acme-billing-prod', region: 'europe-west1' });
      for (let i = 0; i < n; i++) {
        new GovernedServiceAccount(stack, `Sa${i}`, {
          owner: OWNER, purpose: PURPOSE, expires: '2027-06-30', project: 'acme-billing-prod', accountId: `svc-account-${i}`,
          scope: [{ role: 'roles/bigquery.dataViewer' }],
        });
      }
    }
    const register = NhiRegister.of(stack);
    return { v2: register.render(), v1: renderRegisterV1(register.entries()) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function main(): void {
  assertCompiled('lib/core/register', 'lib/cdktf/register', 'lib/cdktf-aws/index', 'lib/cdktf-google/index');
  for (const n of seriesSizes([100, 1000], [100, 1000])) {
    for (const target of ['aws', 'google'] as const) {
      const { v2, v1 } = registerOf(target, n);
      const per = Buffer.byteLength(v2) / n;
      const perV1 = Buffer.byteLength(v1) / n;
      console.log(`register size, ${n.toLocaleString('en')} ${target === 'aws' ? 'AWS' : 'Google'} identities: ${per.toFixed(0)} bytes per identity ` +
        `(${(Buffer.byteLength(v2) / 1e6).toFixed(2)} MB; version 1: ${perV1.toFixed(0)} bytes, ${(Buffer.byteLength(v1) / 1e6).toFixed(2)} MB; ${(perV1 / per).toFixed(1)}x smaller) | ` +
        `target <= ${TARGET} bytes: ${per <= TARGET ? 'OK' : 'OVER'}`);
    }
  }
}

if (require.main === module) main();
