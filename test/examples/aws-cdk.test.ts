import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../examples/aws-cdk/main';
import { readRegister } from '../../lib/core/register';

describe('examples/aws-cdk', () => {
  test('synthesises (validation plugin on), with a register listing its four identities', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-example-aws-cdk-'));
    const asm = buildApp({ outdir, builtinCloudFormationValidation: false, context: { 'nhi:today': '2026-11-23' } }).synth();
    const reg = readRegister(fs.readFileSync(path.join(asm.directory, 'Billing.nhi-register.json'), 'utf8'));
    expect(reg.identities.map((i: any) => [i.path, i.kind, i.cloud, i.credentials, i.name])).toEqual([
      ['Billing/InvoiceUploader', 'service-account', 'aws', 'access-key', 'billing-invoice-uploader'],
      ['Billing/PartnerKey', 'api-key', 'aws', 'api-key', 'partner-acme-orders'],
      ['Billing/ReportReader', 'service-account', 'aws', 'none', 'billing-report-reader'],
      ['Billing/SiteDeployer', 'service-account', 'aws', 'none', 'billing-site-deployer'],
    ]);
    const template = JSON.parse(fs.readFileSync(path.join(asm.directory, 'Billing.template.json'), 'utf8'));
    const types = Object.values(template.Resources).map((r: any) => r.Type);
    expect(types.filter((t) => t === 'AWS::IAM::AccessKey')).toEqual([]);
    expect(types.filter((t) => t === 'AWS::IAM::Policy')).toHaveLength(1); // the static user's scoped policy; grants add none
  });

  test('cdk.json runs main.ts with tsx', () => {
    const cfg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'aws-cdk', 'cdk.json'), 'utf8'));
    expect(cfg.app).toBe('npx tsx main.ts');
  });
});
