// cdktf Google: synth of N governed service accounts vs N hand-written google_service_account +
// google_project_iam_member pairs, in the same run.
import { BenchCase, childMain, report, runCase } from './harness';

const N = Number(process.env.NHI_BENCH_N ?? 1000);
const PROJECT = 'acme-bench-prod';

function outdir(): string {
  return require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'nhi-bench-google-'));
}

const bare: BenchCase = () => {
  const { App, TerraformStack } = require('cdktf');
  const { GoogleProvider } = require('@cdktf/provider-google/lib/provider');
  const { ServiceAccount } = require('@cdktf/provider-google/lib/service-account');
  const { ProjectIamMember } = require('@cdktf/provider-google/lib/project-iam-member');
  return () => {
    const app = new App({ outdir: outdir() });
    const stack = new TerraformStack(app, 'bench');
    new GoogleProvider(stack, 'google', { project: PROJECT, region: 'europe-west1' });
    for (let i = 0; i < N; i++) {
      const sa = new ServiceAccount(stack, `Sa${i}`, {
        project: PROJECT,
        accountId: `svc-account-${i}`,
        displayName: 'Reads nightly billing exports',
        description: 'owner billing',
      });
      new ProjectIamMember(stack, `Grant${i}`, { project: PROJECT, role: 'roles/bigquery.dataViewer', member: sa.member });
    }
    app.synth();
  };
};

const governed: BenchCase = () => {
  const { App, TerraformStack } = require('cdktf');
  const { GoogleProvider } = require('@cdktf/provider-google/lib/provider');
  const { GovernedServiceAccount } = require('../lib/cdktf-google');
  return () => {
    const app = new App({ outdir: outdir() });
    const stack = new TerraformStack(app, 'bench');
    new GoogleProvider(stack, 'google', { project: PROJECT, region: 'europe-west1' });
    for (let i = 0; i < N; i++) {
      new GovernedServiceAccount(stack, `Sa${i}`, {
        owner: { team: 'billing', contact: 'billing@example.com' },
        purpose: 'Reads nightly billing exports for the reporting job',
        expires: '2027-06-30',
        project: PROJECT,
        accountId: `svc-account-${i}`,
        scope: [{ role: 'roles/bigquery.dataViewer' }],
      });
    }
    app.synth();
  };
};

const cases: Record<string, BenchCase> = {
  'synth-bare': bare,
  'synth-governed': governed,
};

/** Runs the benchmark and returns its numbers (also printed). */
export function main(): { ratio: number; ok: boolean; governedMs: number; bareMs: number; governedPeakRssMb: number; barePeakRssMb: number } {
  const file = __filename;
  const g = runCase(file, 'synth-governed');
  const b = runCase(file, 'synth-bare');
  const r = report(`synth ${N} governed Google service accounts vs account+binding`, g, b, 1.3);
  return { ...r, governedMs: g.ms, bareMs: b.ms, governedPeakRssMb: g.peakRssMb, barePeakRssMb: b.peakRssMb };
}

if (!childMain(cases) && require.main === module) main();
