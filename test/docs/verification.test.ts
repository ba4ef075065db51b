import * as fs from 'fs';
import * as path from 'path';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { GovernedServiceAccount } from '../../lib/cdktf-aws';

const ROOT = path.join(__dirname, '..', '..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'verification.md'), 'utf8');
const flat = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '').join('\n');

describe('docs/verification.md', () => {
  test('its TypeScript example is examples/readme/verification.ts, verbatim (synthesised with its waiver by the README test)', () => {
    const blocks = [...DOC.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => flat(m[1]));
    expect(blocks.length).toBe(1);
    expect(flat(fs.readFileSync(path.join(ROOT, 'examples', 'readme', 'verification.ts'), 'utf8'))).toContain(blocks[0]);
  });

  test('the failure it shows is what the same stack without the waiver prints', () => {
    const app = Testing.app({ context: { 'nhi:today': '2026-11-23' } } as any);
    const stack = new TerraformStack(app, 'audit');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const reader = new GovernedServiceAccount(stack, 'ReportReader', {
      owner: { team: 'billing', contact: 'billing-oncall@example.com' },
      purpose: 'Reads nightly billing exports for the monthly revenue report',
      expires: '2027-10-31',
      name: 'billing-audit-reader',
      assumedBy: { service: 'lambda.amazonaws.com' },
      scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-billing-exports/*'] }],
    });
    new IamRolePolicyAttachment(stack, 'AuditReadOnly', { role: reader.role!.name, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    let message = '';
    try {
      Testing.synth(stack, true);
    } catch (e: any) {
      message = e.message;
    }
    const shown = /```\n(Validation failed[\s\S]*?)```/.exec(DOC)![1];
    const lines = shown.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('['));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(message).toContain(l);
    expect(message.split('\n').filter((l) => l.trim().startsWith('[')).length).toBe(lines.length);
  });

  test('the README states the one rule, and the failure it shows is the one this page shows (which the test above reproduces)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## The one rule'), readme.indexOf('## Review changes'));
    expect(section).toContain('synthesis fails unless everything in the\nsynthesised artifact that grants to, trusts, or hands out credentials of a governed identity is\nexactly what its declaration says');
    const line = /```\n(\[audit\][^\n]*)\n```/.exec(section)![1];
    expect(DOC).toContain(line);
  });

  test('the README and this page say the register lists what a waiver accepted: the README example\'s register does', () => {
    const out = fs.mkdtempSync(path.join(require('os').tmpdir(), 'nhi-readme-verification-'));
    const cwd = process.cwd();
    process.chdir(out);
    try {
      jest.isolateModules(() => {
        process.env.NHI_TODAY = '2026-11-23';
        require('../../examples/readme/verification');
      });
    } finally {
      delete process.env.NHI_TODAY;
      process.chdir(cwd);
    }
    const entry = JSON.parse(fs.readFileSync(path.join(out, 'cdktf.out', 'stacks', 'audit', 'nhi-register.json'), 'utf8'))
      .identities.find((e: any) => e.path === 'audit/ReportReader');
    expect(entry.accepted.map((a: any) => [a.code, a.source])).toEqual([['NHI_SCOPE_WIDENED', 'audit/AuditReadOnly']]);
  });

  test('the README\'s verification cost is the range of the benchmark\'s medians in docs/performance.md, within the target', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const perf = fs.readFileSync(path.join(ROOT, 'docs', 'performance.md'), 'utf8');
    const section = perf.slice(perf.indexOf('<!-- bench:verification -->'), perf.indexOf('<!-- /bench:verification -->'));
    // Column 4 of each row: the median A/B time ratio, "0.05 (0.03–0.06)".
    const medians = section.split('\n').filter((l) => l.startsWith('| cdktf') || l.startsWith('| AWS CDK')).map((l) => l.split('|')[4].trim().split(' ')[0]);
    expect(medians).toHaveLength(3);
    const sorted = [...medians].sort();
    expect(readme).toContain(`the check alone takes ${sorted[0]}–${sorted[2]} of the synth time`);
    expect(Number(sorted[2])).toBeLessThanOrEqual(0.1);
  });

  test('every code of the one rule is in its table', () => {
    for (const code of ['NHI_SCOPE_WIDENED', 'NHI_SCOPE_UNVERIFIABLE', 'NHI_SECRET_EXPOSED', 'NHI_EXPIRY_CONDITION_MISSING', 'NHI_TRUST_CHANGED', 'NHI_CREDENTIAL_UNDECLARED']) {
      expect(DOC).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
    }
  });
});
