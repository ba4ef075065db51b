import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../examples/cdktf-google/main';
import { readRegister } from '../../lib/core/register';

describe('examples/cdktf-google', () => {
  test('synthesises, with a register listing its three Google identities', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-example-google-'));
    buildApp(outdir, { 'nhi:today': '2026-11-23' }).synth();
    const stackDir = path.join(outdir, 'stacks', 'billing-google');
    const reg = readRegister(fs.readFileSync(path.join(stackDir, 'nhi-register.json'), 'utf8'));
    expect(reg.identities.map((i: any) => [i.path, i.kind, i.cloud, i.credentials, i.name])).toEqual([
      ['billing-google/InvoiceUploader', 'service-account', 'google', 'service-account-key', 'billing-invoice-uploader@acme-billing-prod.iam.gserviceaccount.com'],
      ['billing-google/PartnerKey', 'api-key', 'google', 'api-key', 'partner-globex-geocoding'],
      ['billing-google/ReportReader', 'service-account', 'google', 'none', 'billing-report-reader@acme-billing-prod.iam.gserviceaccount.com'],
    ]);
    const tf = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const conditions = ['google_project_iam_member', 'google_storage_bucket_iam_member', 'google_secret_manager_secret_iam_member']
      .flatMap((t) => Object.values<any>(tf.resource[t] ?? {}))
      .filter((b) => !String(b.role).includes('nhiNotifier') && !String(b.role).includes('google_project_iam_custom_role'));
    expect(conditions).toHaveLength(4);
    expect(conditions.every((b) => /^request\.time < timestamp\("2027-0[56]-3[01]T00:00:00Z"\)$/.test(b.condition.expression))).toBe(true);
  });

  test('runs as a program into examples/cdktf-google/cdktf.out without a pinned date', () => {
    const main = require('../../examples/cdktf-google/main');
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-example-google-'));
    expect(() => main.buildApp(outdir).synth()).not.toThrow();
  });
});
