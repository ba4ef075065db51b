import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'aws-cdk-idioms.md'), 'utf8');
const flat = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '').join('\n');

describe('docs/aws-cdk-idioms.md', () => {
  test('its TypeScript example is examples/readme/aws-cdk-idioms.ts, verbatim (synthesised by the README test)', () => {
    const blocks = [...DOC.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => flat(m[1]));
    expect(blocks.length).toBe(1);
    expect(flat(fs.readFileSync(path.join(ROOT, 'examples', 'readme', 'aws-cdk-idioms.ts'), 'utf8'))).toContain(blocks[0]);
  });

  test('the fix it quotes is the one the library prints', () => {
    const { ungovernedIdentityFinding } = require('../../lib/core/enforcement');
    const f = ungovernedIdentityFinding('AWS::IAM::Role', undefined, { createdBy: 'Reports/RevenueReport' });
    const quoted = /^Fix: (.*); \.\.\.$/m.exec(DOC)![1];
    expect(f.fix.startsWith(quoted)).toBe(true);
    expect(DOC).toContain(f.message.split(', so')[0]);
  });

  test('the example synthesises: the register records the generated and the parameter names, and the waiver', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-idioms-'));
    jest.isolateModules(() => {
      process.env.NHI_TODAY = '2026-11-23';
      process.env.CDK_VALIDATION = 'false';
      process.env.CDK_OUTDIR = outdir;
      try {
        require('../../examples/readme/aws-cdk-idioms');
      } finally {
        delete process.env.NHI_TODAY;
        delete process.env.CDK_VALIDATION;
        delete process.env.CDK_OUTDIR;
      }
    });
    const register = JSON.parse(fs.readFileSync(path.join(outdir, 'Reports.nhi-register.json'), 'utf8'));
    expect(register.identities.map((i: any) => [i.path, i.name])).toEqual([
      ['Reports/Reader', '${ReaderName}-eu'],
      ['Reports/ReportRole', expect.stringMatching(/^\$\{ReportRole[0-9A-F]{8}\}$/)],
    ]);
    expect(register.waivers).toEqual([expect.objectContaining({ code: 'NHI_UNGOVERNED_IDENTITY', path: 'Reports/LegacyFtpUser', expires: '2027-01-31' })]);
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'Reports.template.json'), 'utf8'));
    const fn = Object.values(template.Resources as Record<string, any>).find((r) => r.Type === 'AWS::Lambda::Function');
    expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': [register.identities[1].name.slice(2, -1), 'Arn'] });
  });
});
