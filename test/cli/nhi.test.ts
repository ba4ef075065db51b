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
    expect(nhi('register', dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/Billing\.nhi-register\.json: has register version 7, which this nhi does not read \(it reads versions 1, 2\)/) });
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

describe('hostile input (issue 14)', () => {
  function hostileSynths(purpose: string, id: string): { base: string; head: string } {
    const root = tmpDir();
    const reg = (scope: unknown[], expires: string) => ({
      version: 1,
      identities: [{
        path: `billing/${id}`, kind: 'service-account', cloud: 'aws', name: 'r', owner: { team: 'billing <b>', contact: 'b@example.com' },
        purpose, expires, credentials: 'none', rotation: null, scope, alarms: [], controls: [],
      }],
    });
    const write = (name: string, content: unknown) => {
      const file = path.join(root, name, 'stacks', 'billing', 'nhi-register.json');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(content));
      return path.join(root, name);
    };
    return {
      base: write('base', reg([{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }], '2027-01-31')),
      head: write('head', reg([{ actions: ['s3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::b/*'], justification: 'x\n</details>\n<!-- nhi-diff -->' }], '2027-02-28')),
    };
  }

  test('a purpose, a team, a justification or a construct id cannot inject markdown or HTML into the PR comment', () => {
    const purpose = 'Reads *exports*\n### Approved by security\n<!-- nhi-diff -->\n<details><summary>click';
    const dirsX = hostileSynths(purpose, 'Reader<!-- nhi-diff -->`x`');
    const md = nhi('diff', dirsX.base, dirsX.head, '-f', 'markdown').stdout;
    expect(md.split('<!-- nhi-diff -->').length).toBe(2); // the one marker, first line
    expect(md.startsWith('<!-- nhi-diff -->\n')).toBe(true);
    expect(md.match(/<details>/g)).toHaveLength(1);
    expect(md.match(/<\/details>/g)).toHaveLength(1);
    expect(md).not.toMatch(/^#+ Approved/m);
    expect(md).not.toMatch(/<summary>click/);
    expect(md).not.toContain('<b>');
    expect(md).toContain(String.raw`“Reads \*exports\*\\x0a### Approved by security\\x0a&lt;!-- nhi-diff --&gt;\\x0a&lt;details&gt;&lt;summary&gt;click”`);
    expect(md).toContain(String.raw`justification now reads “x\\x0a&lt;/details&gt;\\x0a&lt;!-- nhi-diff --&gt;”`);
    expect(md).toContain('<code>billing/Reader&lt;!-- nhi-diff --&gt;`x`</code>');
  });

  test('terminal output shows control characters as escapes: a construct id cannot recolour or rewrite the terminal', () => {
    const dirsX = hostileSynths('Reads\u001b[2J exports\u202e', 'Reader\u001b[31mRED\u001b]0;title\u0007');
    for (const out of [nhi('diff', dirsX.base, dirsX.head).stdout, nhi('register', dirsX.head).stdout, nhi('check', dirsX.head, '--within', '1000d').stdout]) {
      expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      expect(out).toContain('billing/Reader\\x1b[31mRED\\x1b]0;title\\x07');
    }
    const err = nhi('register', path.join(dirsX.head, 'no\u001bsuch')).stderr;
    expect(err).toMatch(/^nhi: error: .*no\\x1bsuch: no such directory/);
    expect(err.split('\n')).toHaveLength(2);
  });

  test('a structurally wrong register exits 2 with one line naming the JSON path; diff never reads it as "narrowed"', () => {
    const dirsX = hostileSynths('p', 'Reader');
    const file = path.join(dirsX.head, 'stacks', 'billing', 'nhi-register.json');
    const broken = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const [scope, message] of [
      [[null], 'identities[0].scope[0] (identity billing/Reader) must be an object, got null.'],
      [[{ actions: [1, 2], resources: ['*'] }], 'identities[0].scope[0].actions[0] (identity billing/Reader) must be a string or an object, got 1.'],
    ] as const) {
      fs.writeFileSync(file, JSON.stringify({ ...broken, identities: [{ ...broken.identities[0], scope }] }));
      const r = nhi('diff', dirsX.base, dirsX.head, '-f', 'json');
      expect(r).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr.endsWith(`nhi-register.json: ${message}\n`)).toBe(true);
      expect(r.stderr.split('\n')).toHaveLength(2);
    }
    fs.writeFileSync(file, JSON.stringify({ ...broken, identities: [{ ...broken.identities[0], rotation: { days: -5 } }] }));
    expect(nhi('register', dirsX.head).stderr).toMatch(/identities\[0\]\.rotation\.days \(identity billing\/Reader\) must be at least 1, got -5\.\n$/);
  });

  test('JSON nested 200,000 levels deep exits 2 with one line (not 3, internal error)', () => {
    const dirsX = hostileSynths('p', 'Reader');
    for (const dir of [dirsX.base, dirsX.head]) {
      const file = path.join(dir, 'stacks', 'billing', 'nhi-register.json');
      const r = JSON.parse(fs.readFileSync(file, 'utf8'));
      const deep = '['.repeat(200_000) + ']'.repeat(200_000);
      fs.writeFileSync(file, JSON.stringify({ ...r, identities: [{ ...r.identities[0], details: { nested: '@@' } }] }).replace('"@@"', deep));
    }
    for (const args of [['diff', dirsX.base, dirsX.head], ['register', dirsX.head, '-f', 'json']]) {
      const r = nhi(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^nhi: error: [^\n]*nested too deeply[^\n]*\n$/);
    }
  });

  test('a register file larger than any register exits 2 with one line', () => {
    const { MAX_REGISTER_BYTES } = require('../../lib/cli/load');
    const dir = tmpDir();
    const file = path.join(dir, 'Huge.nhi-register.json');
    const fd = fs.openSync(file, 'w');
    fs.ftruncateSync(fd, MAX_REGISTER_BYTES + 1); // sparse: no disk used
    fs.closeSync(fd);
    const r = nhi('register', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nhi: error: .*Huge\.nhi-register\.json: is 256 MB, larger than any NHI register nhi reads \(256 MB\)\.\n$/);
  });
});
