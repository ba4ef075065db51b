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
  test('the example in the README is examples/readme/cdktf-aws.ts, verbatim', () => {
    const code = fs.readFileSync(path.join(ROOT, 'examples', 'readme', 'cdktf-aws.ts'), 'utf8').trim();
    expect(README).toContain(code);
  });

  test('the README example synthesises', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-readme-'));
    const cwd = process.cwd();
    process.chdir(outdir);
    try {
      jest.isolateModules(() => {
        process.env.NHI_TODAY = '2026-11-23';
        require('../../examples/readme/cdktf-aws');
      });
    } finally {
      delete process.env.NHI_TODAY;
      process.chdir(cwd);
    }
    expect(fs.readdirSync(path.join(outdir, 'cdktf.out', 'stacks', 'reports')).sort()).toEqual(['cdk.tf.json', 'nhi-register.json']);
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
