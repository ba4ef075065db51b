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
  test.each(['cdktf-aws', 'cdktf-google', 'aws-cdk'])('the README example examples/readme/%s.ts is in the README verbatim', (name) => {
    const code = fs.readFileSync(path.join(ROOT, 'examples', 'readme', `${name}.ts`), 'utf8').trim();
    expect(README).toContain(code);
  });

  test.each([
    ['cdktf-aws', 'cdktf.out/stacks/reports', ['cdk.tf.json', 'nhi-register.json']],
    ['cdktf-google', 'cdktf.out/stacks/billing-google', ['cdk.tf.json', 'nhi-register.json']],
    ['aws-cdk', 'cdk.out', ['Billing.nhi-register.json', 'Billing.template.json']],
  ])('the README example %s synthesises', (name, dir, files) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-readme-'));
    const cwd = process.cwd();
    process.chdir(outdir);
    try {
      jest.isolateModules(() => {
        process.env.NHI_TODAY = '2026-11-23';
        process.env.CDK_VALIDATION = 'false';
        process.env.CDK_OUTDIR = path.join(outdir, 'cdk.out'); // what the CDK CLI sets
        require(`../../examples/readme/${name}`);
      });
    } finally {
      delete process.env.NHI_TODAY;
      delete process.env.CDK_VALIDATION;
      delete process.env.CDK_OUTDIR;
      process.chdir(cwd);
    }
    const found = fs.readdirSync(path.join(outdir, dir));
    for (const f of files) expect(found).toContain(f);
  });

  test('every error code the library can raise is documented with its fix', () => {
    const missing = violationCodes().filter((c) => !README.includes(`\`${c}\``));
    expect(missing).toEqual([]);
  });

  test('the set-up commands are the ones CI runs', () => {
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    expect(README).toContain('npm install --no-audit --no-fund && npm run example');
    expect(README).toContain('npm install --no-audit --no-fund && npm test');
    expect(ci).toContain('npm install --no-audit --no-fund');
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
