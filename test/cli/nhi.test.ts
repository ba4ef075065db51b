// The `nhi` command line on real synth outputs: a cdktf app synthesised in a base and a head
// version (see fixtures.ts). Most cases run `run()` in-process; a few spawn the real binary.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../lib/cli/program';
import { billingSynths, TODAY, tmpDir } from './fixtures';
import { readAllDocs } from '../helpers/docs';

const ROOT = path.join(__dirname, '..', '..');

interface Result { code: number; stdout: string; stderr: string }

function nhi(...args: string[]): Result {
  let stdout = '';
  let stderr = '';
  const code = run(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: { NHI_TODAY: TODAY }, clock: () => '2000-01-01' });
  return { code, stdout, stderr };
}

/** The real binary: node with tsx, from the repository root. */
function binary(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/nhi.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, NHI_TODAY: TODAY, NHI_DEBUG: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let dirs: { base: string; head: string; same: string };
let corrupt: string;
let spawned: Record<string, Result>;

beforeAll(async () => {
  dirs = billingSynths();
  corrupt = path.join(tmpDir(), 'cdktf.out');
  fs.mkdirSync(path.join(corrupt, 'stacks', 'billing'), { recursive: true });
  fs.writeFileSync(path.join(corrupt, 'stacks', 'billing', 'nhi-register.json'), '{"version": 1, "identities": [{"path": "billing/Rep');
  // The real binary, in parallel (each start-up costs most of the time).
  const cases: Record<string, string[]> = {
    register: ['register', dirs.base],
    diff: ['diff', dirs.base, dirs.head, '--format', 'markdown', '--fail-on', 'widened'],
    same: ['diff', dirs.base, dirs.same, '--format', 'markdown', '--fail-on', 'widened,privileged,expiry-extended'],
    corrupt: ['diff', dirs.base, corrupt],
    check: ['check', dirs.base, '--within', '90d'],
  };
  const results = await Promise.all(Object.values(cases).map((a) => binary(a)));
  spawned = Object.fromEntries(Object.keys(cases).map((k, i) => [k, results[i]]));
});

describe('the nhi binary (node + tsx, real synth output)', () => {
  test('register prints the table and exits 0', () => {
    expect(spawned.register.code).toBe(0);
    expect(spawned.register.stdout).toBe(nhi('register', dirs.base).stdout);
    expect(spawned.register.stdout).toContain('billing/InvoiceUploader  service-account  aws    billing  2027-01-31 (in 69 days)   every 30 days');
  });

  test('diff --format markdown --fail-on widened prints the PR comment and exits 1', () => {
    expect(spawned.diff.code).toBe(1);
    expect(spawned.diff.stdout).toBe(nhi('diff', dirs.base, dirs.head, '--format', 'markdown').stdout);
    expect(spawned.diff.stderr).toBe('nhi diff: failing (--fail-on widened): widened: 2 identities gained access\n');
  });

  test('diff of two identical synths prints nothing and exits 0, whatever the gates', () => {
    expect(spawned.same).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('a corrupt register: one clear line naming the file, exit 2, no stack trace', () => {
    expect(spawned.corrupt.code).toBe(2);
    expect(spawned.corrupt.stdout).toBe('');
    expect(spawned.corrupt.stderr).toMatch(/^nhi: error: .*cdktf\.out\/stacks\/billing\/nhi-register\.json: is not valid JSON \(.+\)\. Re-run the synth; if it persists, the file was edited or truncated\.\n$/);
    expect(spawned.corrupt.stderr).not.toMatch(/\n\s+at /);
  });

  test('check exits 1 on findings', () => {
    expect(spawned.check.code).toBe(1);
    expect(spawned.check.stdout).toContain('expiring  billing/InvoiceUploader  billing <billing-oncall@example.com>  expires on 2027-01-31, in 69 days');
  });
});

describe('nhi diff', () => {
  test('the pull-request comment (markdown) — what a reviewer sees', () => {
    const r = nhi('diff', dirs.base, dirs.head, '--format', 'markdown');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchSnapshot();
    // docs/cli.md shows this very comment, quoted.
    const quoted = r.stdout.trimEnd().split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n');
    expect(readAllDocs()).toContain(quoted);
  });

  test('text for a CI log', () => {
    expect(nhi('diff', dirs.base, dirs.head).stdout).toMatchSnapshot();
    expect(nhi('diff', dirs.base, dirs.same).stdout).toBe('nhi diff: no change to non-human identities.\n');
  });

  test('json', () => {
    const d = JSON.parse(nhi('diff', dirs.base, dirs.head, '-f', 'json').stdout);
    expect(d.today).toBe(TODAY);
    expect(d.severity).toBe('critical');
    expect(d.counts).toEqual({ added: 1, removed: 1, changed: 3, unchanged: 0, widened: 2, privileged: 1, expiryExtended: 1 });
    expect(d.identities.map((i: any) => [i.path, i.status])).toEqual([
      ['billing/AuditReader', 'added'], ['billing/InvoiceUploader', 'removed'], ['billing/PartnerKey', 'changed'], ['billing/ReportReader', 'changed'], ['billing/SiteDeployer', 'changed'],
    ]);
  });

  test('--fail-on: each gate, several gates, none; exit codes', () => {
    const code = (...gates: string[]) => nhi('diff', dirs.base, dirs.head, '-f', 'json', ...gates.flatMap((g) => ['--fail-on', g])).code;
    expect(code('widened')).toBe(1);
    expect(code('privileged')).toBe(1);
    expect(code('expiry-extended')).toBe(1);
    expect(code('none')).toBe(0);
    expect(code()).toBe(0);
    // Head -> base: offboarding of AuditReader, narrowing, shorter expiry: no gate trips but widened (InvoiceUploader comes back).
    const back = (g: string) => nhi('diff', dirs.head, dirs.base, '-f', 'json', '--fail-on', g).code;
    expect([back('privileged'), back('expiry-extended'), back('widened')]).toEqual([0, 0, 1]);
    expect(nhi('diff', dirs.base, dirs.head, '--fail-on', 'privileged,expiry-extended').stderr)
      .toBe('nhi diff: failing (--fail-on privileged,expiry-extended): privileged: 1 identity gained privileged or credential-exposing access; expiry-extended: 1 expiry extended\n');
  });

  test('--max-lifetime-days changes the verdict on an extended expiry', () => {
    expect(nhi('diff', dirs.base, dirs.head, '--max-lifetime-days', '730').stdout).toContain('expiry extended by 501 days: 2027-03-31 → 2028-08-13 (629 days from today, within the 730-day limit)');
  });

  test('--allow-empty: a base without any register', () => {
    const empty = tmpDir();
    expect(nhi('diff', empty, dirs.head).code).toBe(2);
    const r = nhi('diff', empty, dirs.head, '--allow-empty', '-f', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).counts.added).toBe(4);
  });
});

describe('nhi register and check', () => {
  test('register: table (default), markdown, json', () => {
    const table = nhi('register', dirs.head).stdout.replace(dirs.head, '<synth>');
    expect(table).toMatchSnapshot();
    expect(nhi('register', dirs.head, '--format', 'markdown').stdout).toContain('| `billing/ReportReader` | service-account | aws | billing | 2027-10-31 (in 342 days) | none (no secret) | Write 2, Read 1, List 1 (1 privileged) on 3 resources |');
    const json = JSON.parse(nhi('register', dirs.head, '-f', 'json', '--today', '2027-10-30').stdout);
    expect(json.identities.find((i: any) => i.path === 'billing/ReportReader')).toMatchObject({ stack: 'billing', expiresInDays: 1 });
  });

  test('"today": --today, else NHI_TODAY, else the clock', () => {
    expect(nhi('register', dirs.base, '--today', '2027-01-30').stdout).toContain('2027-01-31 (in 1 day)');
    let out = '';
    run(['register', dirs.base], { stdout: (t) => { out += t; }, stderr: () => undefined, env: {}, clock: () => '2027-02-01' });
    expect(out).toContain('2027-01-31 (expired 1 day ago)');
  });

  test('check: --within, --max-rotation-days, --warn-only, formats', () => {
    expect(nhi('check', dirs.head).code).toBe(0);
    const r = nhi('check', dirs.head, '--within', '6m');
    expect(r).toMatchObject({ code: 2, stderr: 'nhi: error: --within must be a number of days such as 30d, 2w or 30, got "6m".\n' });
    expect(nhi('check', dirs.base, '--within', '10w').code).toBe(1);
    expect(nhi('check', dirs.base, '--within', '10w', '--warn-only').code).toBe(0);
    expect(nhi('check', dirs.head, '--max-rotation-days', '60').stdout).toContain('api-key rotated every 90 days, above the 60-day maximum');
    const json = JSON.parse(nhi('check', dirs.base, '--within', '70d', '-f', 'json').stdout);
    expect(json.findings.map((f: any) => [f.kind, f.path, f.days])).toEqual([['expiring', 'billing/InvoiceUploader', 69]]);
    expect(nhi('check', dirs.base, '--within', '70d', '-f', 'markdown').stdout).toContain('### 🟠 nhi check: 1 finding');
  });
});

describe('usage and input errors exit 2 with one clear line', () => {
  test.each([
    [['diff', 'nope-base', 'nope-head'], /^nhi: error: nope-base: no such directory\./],
    [['register', '--format', 'yaml', 'x'], /error: option '-f, --format <format>' argument 'yaml' is invalid\. Allowed choices are table, json, markdown\./],
    [['diff', 'a'], /error: missing required argument 'head-synth-dir'/],
    [['diff', 'a', 'b', '--fail-on', 'broader'], /^nhi: error: --fail-on: unknown gate "broader"; use one or more of widened, privileged, expiry-extended, none \(comma-separated\)\.\n$/],
    [['register', 'x', '--today', '2026-13-01'], /^nhi: error: --today must be a YYYY-MM-DD date, got "2026-13-01"\.\n$/],
    [['check', 'x', '--max-rotation-days', 'ninety'], /^nhi: error: --max-rotation-days must be a whole number of days greater than 0, got "ninety"\.\n$/],
    [['frobnicate'], /error: unknown command 'frobnicate'/],
    [[], /Usage: nhi/],
  ])('nhi %j', (args, message) => {
    const r = nhi(...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  test('an unknown register version', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'Billing.nhi-register.json'), '{"version": 7, "identities": []}');
    expect(nhi('register', dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/Billing\.nhi-register\.json: has register version 7, which this nhi does not read \(it reads version 1\)/) });
  });

  test('NHI_TODAY malformed', () => {
    let err = '';
    const code = run(['register', dirs.base], { stdout: () => undefined, stderr: (t) => { err += t; }, env: { NHI_TODAY: 'today' } });
    expect([code, err]).toEqual([2, 'nhi: error: NHI_TODAY must be a YYYY-MM-DD date, got "today".\n']);
  });

  test('--help and --version exit 0', () => {
    expect(nhi('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('Commands:') });
    expect(nhi('diff', '--help').stdout).toContain('--fail-on <gates>');
    expect(nhi('--version')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});
