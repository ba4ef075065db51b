// `nhi diff` of two registers of 10,000 identities each vs just reading and parsing both
// files, in the same run: a typical pull request (2% widened) and the worst cases (every
// identity widened to `s3:Get*`, or to `s3:*` on every bucket; the latter also at 50,000 to
// show it stays linear). Target: the diff (load, validate, diff, render the PR comment) under
// 1 s at 10,000 and within 3x of parsing. Run: `npm run bench -- cli-diff`.
import * as fs from 'fs';
import * as path from 'path';
import { assertCompiled, BenchCase, childMain, compare, requireCompiled, seriesSizes, tmpDir } from './harness';

const TODAY = '2026-11-23';

/**
 * How head differs from base: `two-percent` edits 2% of the identities each way (a wildcard
 * widening, an expiry extension, a weaker rotation, an offboarding, a new identity); the worst
 * cases widen every identity: to `s3:Get*`, or to `s3:*` on `arn:aws:s3:::*`.
 */
export type Scenario = 'two-percent' | 'get-star' | 's3-star';

const READ = ['s3:GetObject', 'dynamodb:GetItem', 'dynamodb:Query', 'sqs:ReceiveMessage', 'sns:Publish', 'kms:Decrypt', 's3:ListBucket'];

function awsIdentity(i: number, head: boolean, scenario: Scenario = 'two-percent'): Record<string, unknown> {
  const owner = { team: `team-${i % 40}`, contact: `team-${i % 40}@example.com` };
  const actions = [READ[i % READ.length], READ[(i + 3) % READ.length]].sort();
  // Head edits 2% of the identities each way: a wildcard widening, an extension, a weaker rotation.
  const some = scenario === 'two-percent';
  const widen = head && (scenario === 'get-star' || (some && i % 50 === 1));
  const extend = head && some && i % 50 === 2;
  const weaken = head && some && i % 50 === 3;
  const everything = head && scenario === 's3-star';
  const keyed = i % 10 === 0;
  return {
    path: `stack/Identity${String(i).padStart(5, '0')}`,
    kind: 'service-account',
    cloud: 'aws',
    name: `svc-${i}`,
    owner,
    system: null,
    environment: null,
    purpose: `Reads the exports of workload ${i} for the nightly report`,
    expires: extend ? '2027-11-30' : '2027-06-30',
    approval: null,
    vendor: null,
    credentials: keyed ? 'access-key' : 'none',
    rotation: keyed ? { days: weaken ? 60 : 30 } : null,
    scope: [
      {
        actions: (widen ? ['s3:Get*', ...actions.filter((a) => !a.startsWith('s3:'))] : actions).map((action) => ({ action, accessLevel: 'Read', privileged: false })),
        resources: [`arn:aws:s3:::bucket-${i}/*`, `arn:aws:dynamodb:eu-west-1:123456789012:table/t-${i}`],
      },
      ...(everything ? [{ actions: [{ action: 's3:*', accessLevel: 'Permissions management', privileged: true }], resources: ['arn:aws:s3:::*'] }] : []),
    ],
    alarms: [
      { kind: 'expiry-reminder', description: 'on 2027-05-31, before the identity expires on 2027-06-30', notifies: owner.contact },
      { kind: 'expired', description: 'on 2027-06-30 at 00:00 UTC, when the cloud stops honouring the identity', notifies: owner.contact },
      { kind: 'access-denied', description: 'when CloudTrail records an AccessDenied error for the identity', notifies: owner.contact },
    ],
    controls: ['NHI1', 'NHI4', 'NHI5', 'NHI7'],
    details: { trust: { service: 'lambda.amazonaws.com' } },
  };
}

/**
 * Writes base and head synth directories (cdktf layout) of `n` identities each, as register
 * version 1 (every field spelt out, as the numbers were measured) or version 2 (what the
 * library writes now, rendered by the compiled lib/core/register).
 */
export function generate(dir: string, n = 10_000, scenario: Scenario = 'two-percent', version: 1 | 2 = 1): { base: string; head: string } {
  const write = (name: string, head: boolean) => {
    const identities = [];
    for (let i = 0; i < n; i++) {
      if (head && scenario === 'two-percent' && i % 50 === 4) continue; // offboarded
      identities.push(awsIdentity(i, head, scenario));
    }
    for (let i = 0; head && scenario === 'two-percent' && i < n / 50; i++) identities.push(awsIdentity(n + i, true)); // new
    const file = path.join(dir, name, 'stacks', 'stack', 'nhi-register.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, version === 1
      ? JSON.stringify({ version: 1, identities, waivers: [] }, null, 2) + '\n'
      : requireCompiled('lib/core/register.js').renderRegister(identities, []));
    return path.join(dir, name);
  };
  return { base: write('base', false), head: write('head', true) };
}

function dirArg(): string {
  const i = process.argv.indexOf('--dir');
  if (i < 0) throw new Error('--dir is required');
  return process.argv[i + 1];
}

const cases: Record<string, BenchCase> = {
  // Baseline: read and parse both files, nothing else.
  'parse': () => {
    const dir = dirArg();
    const files = ['base', 'head'].map((s) => path.join(dir, s, 'stacks', 'stack', 'nhi-register.json'));
    return () => {
      for (const f of files) JSON.parse(fs.readFileSync(f, 'utf8'));
    };
  },
  // What `nhi diff --format markdown` does after start-up: find, read, validate, diff, render.
  'diff': () => {
    const dir = dirArg();
    const { loadSynth } = requireCompiled('lib/cli/load.js');
    const { diffRegisters } = requireCompiled('lib/cli/diff.js');
    const { renderDiffMarkdown } = requireCompiled('lib/cli/render-diff.js');
    return () => {
      const base = loadSynth(path.join(dir, 'base'));
      const head = loadSynth(path.join(dir, 'head'));
      const diff = diffRegisters(base, head, { today: TODAY });
      const md = renderDiffMarkdown(diff);
      if (diff.counts.changed === 0 || md.length === 0) throw new Error('the benchmark diff found no change');
    };
  },
};

const SCENARIOS: { scenario: Scenario; n: number; what: string; version?: 2 }[] = [
  { scenario: 'two-percent', n: 10_000, what: '2% widened, 8% changed, 2% added' },
  { scenario: 'get-star', n: 10_000, what: 'every identity widened to s3:Get*' },
  { scenario: 's3-star', n: 10_000, what: 'every identity widened to s3:* on arn:aws:s3:::*' },
  { scenario: 's3-star', n: 50_000, what: 'every identity widened to s3:* on arn:aws:s3:::*' },
  // The same worst case in register version 2: a quarter of the bytes to parse, entries expanded on reading.
  { scenario: 'get-star', n: 10_000, what: 'every identity widened to s3:Get*, register version 2', version: 2 },
];

export function main(): void {
  assertCompiled('lib/cli/load', 'lib/cli/diff', 'lib/cli/scope-diff', 'lib/cli/render-diff', 'lib/core/register');
  const sizes = seriesSizes([10_000, 50_000], [10_000]);
  for (const { scenario, n, what, version } of SCENARIOS) {
    if (!sizes.includes(n)) continue;
    const dir = tmpDir('nhi-bench-cli-');
    try {
      generate(dir, n, scenario, version ?? 1);
      const size = fs.statSync(path.join(dir, 'base', 'stacks', 'stack', 'nhi-register.json')).size;
      const args = ['--dir', dir];
      compare(`nhi diff of 2 x ${n.toLocaleString('en')} identities (${(size / 1e6).toFixed(1)} MB each), ${what}: A diff (read, validate, diff, markdown) vs B JSON.parse of both`,
        { file: __filename, name: 'diff', args }, { file: __filename, name: 'parse', args }, { target: 3, units: n });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (!childMain(cases) && require.main === module) main();
