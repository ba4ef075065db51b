import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readmeSummary, withSummary } from '../../bench/summary';
import { ROOT, anchors, docFiles, headingAnchor, headings, readAllDocs, readDoc } from '../helpers/docs';
import { filesUnder } from '../helpers/files';

const README = readDoc('README.md');
/** README.md and every docs/*.md page. */
const DOCS = readAllDocs();

/** Every code a rule can emit, read from the sources. */
function violationCodes(): string[] {
  const codes = new Set<string>();
  for (const p of filesUnder(path.join(ROOT, 'lib'), '.ts').filter((f) => !f.endsWith('.d.ts'))) {
    for (const m of fs.readFileSync(p, 'utf8').matchAll(/'(NHI_[A-Z0-9_]+)'/g)) codes.add(m[1]);
  }
  // Environment variables share the prefix but are not error codes.
  for (const env of ['NHI_TODAY', 'NHI_DEBUG']) codes.delete(env);
  return [...codes].sort();
}

describe('README and docs/', () => {
  const exampleFiles = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? exampleFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

  test('every TypeScript example in the README and docs/ is in a file under examples/, verbatim', () => {
    // Compared line by line without indentation: an example may quote a block inside a function.
    const flat = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '').join('\n');
    const sources = exampleFiles(path.join(ROOT, 'examples')).map((f) => flat(fs.readFileSync(f, 'utf8')));
    const blocks = [...DOCS.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)].map((m) => flat(m[1]));
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
    const found = filesUnder(outdir).map((f) => path.basename(f));
    expect(found.some((f) => f === 'cdk.tf.json' || f.endsWith('.template.json'))).toBe(true);
    if (/new Governed(ServiceAccount|ApiKey)\(/.test(fs.readFileSync(path.join(ROOT, 'examples', 'readme', file), 'utf8'))) {
      expect(found.some((f) => f.endsWith('nhi-register.json'))).toBe(true);
    }
  });

  test('every error code the library can raise is a row of the error-code table, with its OWASP NHI risks and fix', () => {
    // | `NHI_X` | field | NHI5, NHI9 | meaning and fix |
    const page = readDoc('docs/error-codes.md');
    const rows = new Map<string, string[]>();
    for (const line of page.split('\n')) {
      const cells = line.split(' | ').map((c) => c.replace(/^\|\s*|\s*\|$/g, '').trim());
      const code = /^`(NHI_[A-Z0-9_]+)`$/.exec(cells[0] ?? '')?.[1];
      if (code && !rows.has(code)) rows.set(code, cells);
    }
    const missing = violationCodes().filter((c) => !rows.has(c));
    expect(missing).toEqual([]);
    const incomplete = [...rows].filter(([, cells]) => cells.length < 4 || !/^NHI\d+(, NHI\d+)*$/.test(cells[2]) || cells[3].length < 20);
    expect(incomplete.map(([code]) => code)).toEqual([]);
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

describe('OWASP controls table', () => {
  test('is the one generated from CONTROL_COVERAGE', () => {
    const { renderControlsTable } = require('../../lib/core/controls');
    expect(DOCS).toContain(renderControlsTable());
  });
});

describe('README performance table', () => {
  test('is the one generated from the benchmark tables in docs/performance.md (no figure typed by hand)', () => {
    const summary = readmeSummary(readDoc('docs/performance.md'));
    expect(withSummary(README, summary)).toBe(README);
    // Every comparison with a target is in it, with its verdict.
    expect(summary).toMatch(/\| cdktf AWS synth, 1,000 identities: A governed vs B the same Terraform written by hand \| time \d/);
    expect(summary).toMatch(/\| import: A nhi-constructs\/lib\/aws-cdk [^|]*\| time [^|]*\| ≤ 1\.2: /);
  });
});

describe('construct controls matrix', () => {
  test('is the one generated from CONSTRUCT_CONTROLS', () => {
    const { renderConstructControlsTable } = require('../../lib/core/controls');
    expect(DOCS).toContain(renderConstructControlsTable());
  });
});

describe('documentation structure', () => {
  test('the README is at most 300 lines', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(300);
  });

  test('the README starts users with an install section, before any other section', () => {
    const sections = headings(README).filter((h) => h.level === 2).map((h) => h.text);
    expect(sections[0]).toBe('Use it in your app');
    expect(README).toContain('npm install nhi-constructs');
  });

  test('every docs/*.md page is linked from the README', () => {
    const unlinked = docFiles().filter((f) => f !== 'README.md' && !README.includes(`](${f})`) && !README.includes(`](${f}#`));
    expect(unlinked).toEqual([]);
  });

  test('no internal source or test paths, no references to issue notes', () => {
    // Public import paths (nhi-constructs/lib/cdktf-aws, @cdktf/provider-aws/lib/...) are fine: the
    // character before `lib/` is then a slash.
    const found = docFiles().flatMap((f) => readDoc(f).split('\n').map((line, i) => ({ f, i: i + 1, line })))
      .filter(({ line }) => /(^|[^\w\/.@-])(lib|test|bench)\/\w/.test(line) || /issue notes|issue \d+\b/i.test(line))
      .map(({ f, i, line }) => `${f}:${i}: ${line.trim()}`);
    expect(found).toEqual([]);
  });

  test('every relative link points to an existing file and heading', () => {
    const broken: string[] = [];
    for (const file of docFiles()) {
      const text = readDoc(file).replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
        const [rel, anchor] = target.split('#');
        const targetFile = rel === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), rel));
        if (!fs.existsSync(path.join(ROOT, targetFile))) { broken.push(`${file}: ${target} (no file)`); continue; }
        if (anchor && targetFile.endsWith('.md') && !anchors(fs.readFileSync(path.join(ROOT, targetFile), 'utf8')).has(anchor)) {
          broken.push(`${file}: ${target} (no heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  test('pages over 150 lines have a table of contents linking every section', () => {
    const missing: string[] = [];
    for (const file of docFiles().filter((f) => f !== 'README.md')) {
      const text = readDoc(file);
      if (text.split('\n').length <= 150) continue;
      for (const h of headings(text).filter((x) => x.level === 2 && x.text !== 'Contents')) {
        if (!text.includes(`(#${headingAnchor(h.text)})`)) missing.push(`${file}: ${h.text}`);
      }
    }
    expect(missing).toEqual([]);
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
