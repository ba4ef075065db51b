import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../examples/cdktf-aws/main';
import { readRegister } from '../../lib/core/register';
import { TODAY } from '../helpers/cdktf';

describe('examples/cdktf-aws', () => {
  test('synthesises, with a register listing its four identities', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-example-'));
    buildApp(outdir, { 'nhi:today': TODAY }).synth();
    const stackDir = path.join(outdir, 'stacks', 'billing');
    const reg = readRegister(fs.readFileSync(path.join(stackDir, 'nhi-register.json'), 'utf8'));
    expect(reg.identities.map((i: any) => [i.path, i.kind, i.credentials])).toEqual([
      ['billing/InvoiceUploader', 'service-account', 'access-key'],
      ['billing/PartnerKey', 'api-key', 'api-key'],
      ['billing/ReportReader', 'service-account', 'none'],
      ['billing/SiteDeployer', 'service-account', 'none'],
    ]);
    const tf = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    // two identities, the scheduler role and one rotation function role per static credential
    expect(Object.keys(tf.resource.aws_iam_role)).toHaveLength(5);
    expect(fs.readdirSync(path.join(stackDir, 'assets'))).toEqual([expect.stringMatching(/^NhiRotationCode_Asset_/)]);
  });

  test('cdktf.json at the root points at the example', () => {
    const cfg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdktf.json'), 'utf8'));
    expect(cfg.app).toContain('examples/cdktf-aws/main.ts');
  });
});
