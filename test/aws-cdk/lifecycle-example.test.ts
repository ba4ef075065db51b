import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildLifecycleApp } from '../../examples/aws-cdk/lifecycle';
import { TODAY } from './util';
import { readAllDocs } from '../helpers/docs';

describe('examples/aws-cdk/lifecycle.ts (quoted in docs/lifecycle.md)', () => {
  test('synthesises with the plugin on: lifecycle fields and the vendor external id in the register, the waiver listed', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-example-lifecycle-'));
    const { app } = buildLifecycleApp({ outdir, builtinCloudFormationValidation: false, context: { 'nhi:today': TODAY } });
    const asm = app.synth();
    const reg = JSON.parse(fs.readFileSync(path.join(asm.directory, 'BillingProd.nhi-register.json'), 'utf8'));
    expect(reg.identities.map((i: any) => [i.path, i.system, i.environment, i.approval.ticket, i.vendor?.name ?? null])).toEqual([
      ['BillingProd/GlobexUsageReader', 'globex-reconciliation', 'prod', 'SEC-1301', 'Globex Corp'],
      ['BillingProd/ReportReader', 'billing-reporter', 'prod', 'SEC-1234', null],
    ]);
    // Generated per deployment: the register says which secret holds it.
    expect(reg.identities[0].details.trust).toEqual({ accountIds: ['999988887777'], externalId: expect.stringMatching(/^\{\{resolve:secretsmanager:\$\{GlobexUsageReaderExternalId[0-9A-F]+\}:SecretString:::\}\}$/) });
    expect(reg.waivers.map((w: any) => [w.code, w.path, w.expires])).toEqual([['NHI_UNGOVERNED_IDENTITY', 'BillingProd/LegacyFtpUser/Resource', '2027-02-28']]);
  });

  test('the docs quote the example verbatim', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'aws-cdk', 'lifecycle.ts'), 'utf8');
    const region = source.slice(source.indexOf('// docs:start\n') + '// docs:start\n'.length, source.indexOf('  // docs:end'));
    const dedented = region.split('\n').map((l) => l.replace(/^ {2}/, '')).join('\n');
    const docs = readAllDocs();
    expect(docs).toContain('```ts\n' + dedented + '```');
  });
});
