import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Every code a rule can emit, read from the sources. */
function violationCodes(): string[] {
  const codes = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/'(NHI_[A-Z0-9_]+)'/g)) codes.add(m[1]);
      }
    }
  };
  walk(path.join(ROOT, 'lib'));
  return [...codes].sort();
}

describe('README', () => {
  const exampleFiles = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? exampleFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

  test('every TypeScript example in the README is in a file under examples/, verbatim', () => {
    // Compared line by line without indentation: an example may quote a block inside a function.
    const flat = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '').join('\n');
    const sources = exampleFiles(path.join(ROOT, 'examples')).map((f) => flat(fs.readFileSync(f, 'utf8')));
    const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => flat(m[1]));
    expect(blocks.length).toBeGreaterThan(5);
    expect(blocks.filter((b) => !sources.some((src) => src.includes(b)))).toEqual([]);
  });

  test.each(fs.readdirSync(path.join(ROOT, 'examples', 'readme')).filter((f) => f.endsWith('.ts')))('examples/readme/%s synthesises and writes a register', (file) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-readme-'));
    const cwd = process.cwd();
    process.chdir(outdir);
    try {
      jest.isolateModules(() => {
        process.env.NHI_TODAY = '2026-11-23';
        process.env.CDK_VALIDATION = 'false';
        process.env.CDK_OUTDIR = path.join(outdir, 'cdk.out'); // what the CDK CLI sets
        require(`../../examples/readme/${file}`);
      });
    } finally {
      delete process.env.NHI_TODAY;
      delete process.env.CDK_VALIDATION;
      delete process.env.CDK_OUTDIR;
      process.chdir(cwd);
    }
    const found: string[] = [];
    const walk = (d: string) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { if (e.isDirectory()) walk(path.join(d, e.name)); else found.push(e.name); } };
    walk(outdir);
    expect(found.some((f) => f === 'cdk.tf.json' || f.endsWith('.template.json'))).toBe(true);
    if (/new Governed(ServiceAccount|ApiKey)\(/.test(fs.readFileSync(path.join(ROOT, 'examples', 'readme', file), 'utf8'))) {
      expect(found.some((f) => f.endsWith('nhi-register.json'))).toBe(true);
    }
  });

  test('every error code the library can raise is documented with its fix', () => {
    const missing = violationCodes().filter((c) => !README.includes(`\`${c}\``));
    expect(missing).toEqual([]);
  });

  test('the set-up commands are the ones CI runs', () => {
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    expect(README).toContain('npm ci --no-audit --no-fund && npm run example');
    expect(README).toContain('npm ci --no-audit --no-fund && npm test');
    expect(ci).toContain('npm ci --no-audit --no-fund');
    // npm ci installs the committed lockfile as is: no fallback to npm install, no stale excuse.
    expect(ci).not.toMatch(/^\s*npm (install|i)\b/m);
    expect(README).not.toContain('npm install --no-audit');
    expect(ci).toContain('git diff --exit-code -- package-lock.json');
    expect(ci).toContain('npm test');
    expect(ci).toContain('npm run example');
  });
});

describe('README controls table', () => {
  test('is the one generated from CONTROL_COVERAGE', () => {
    const { renderControlsTable } = require('../../lib/core/controls');
    expect(README).toContain(renderControlsTable());
  });
});

describe('README construct controls matrix', () => {
  test('is the one generated from CONSTRUCT_CONTROLS', () => {
    const { renderConstructControlsTable } = require('../../lib/core/controls');
    expect(README).toContain(renderConstructControlsTable());
  });
});

describe('README sample error', () => {
  test('is exactly what the library prints for those mistakes', () => {
    const { App, TerraformStack } = require('cdktf');
    const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
    const { GovernedServiceAccount } = require('../../lib/cdktf-aws');
    const app = new App({ context: { 'nhi:today': '2026-11-23' } });
    const stack = new TerraformStack(app, 'reports');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    let text = '';
    try {
      new GovernedServiceAccount(stack, 'ReportReader', {
        owner: { team: 'billing', contact: 'billing-oncall@example.com' },
        purpose: 'todo',
        expires: '2030-01-01',
        name: 'billing-report-reader',
        assumedBy: { service: 'lambda.amazonaws.com' },
        scope: [{ actions: ['s3:GetObjects'], resources: ['arn:aws:s3:::acme-billing-exports/*'] }],
      });
    } catch (e: any) {
      text = `${e.name}: ${e.message}`;
    }
    expect(text).toMatch(/^GovernanceError: 3 governance violations/);
    expect(README).toContain(text);
  });
});
