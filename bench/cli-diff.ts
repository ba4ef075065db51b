// `nhi diff` of two registers of 10,000 identities each vs just reading and parsing both
// files, in the same run. Target: the diff (load, validate, diff, render the PR comment) under
// 1 s and within 3x of parsing. Run: `npm run bench -- cli-diff`.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BenchCase, childMain, report, runCase } from './harness';

const IDENTITIES = 10_000;
const TODAY = '2026-11-23';

const READ = ['s3:GetObject', 'dynamodb:GetItem', 'dynamodb:Query', 'sqs:ReceiveMessage', 'sns:Publish', 'kms:Decrypt', 's3:ListBucket'];

function awsIdentity(i: number, head: boolean): Record<string, unknown> {
  const owner = { team: `team-${i % 40}`, contact: `team-${i % 40}@example.com` };
  const actions = [READ[i % READ.length], READ[(i + 3) % READ.length]].sort();
  // Head edits 2% of the identities each way: a wildcard widening, an extension, a weaker rotation.
  const widen = head && i % 50 === 1;
  const extend = head && i % 50 === 2;
  const weaken = head && i % 50 === 3;
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

/** Writes base and head synth directories (cdktf layout); head removes and adds 2% each. */
export function generate(dir: string): { base: string; head: string } {
  const write = (name: string, head: boolean) => {
    const identities = [];
    for (let i = 0; i < IDENTITIES; i++) {
      if (head && i % 50 === 4) continue; // offboarded
      identities.push(awsIdentity(i, head));
    }
    for (let i = 0; head && i < IDENTITIES / 50; i++) identities.push(awsIdentity(IDENTITIES + i, true)); // new
    const file = path.join(dir, name, 'stacks', 'stack', 'nhi-register.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ version: 1, identities, waivers: [] }, null, 2) + '\n');
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
    const { loadSynth } = require('../lib/cli/load');
    const { diffRegisters } = require('../lib/cli/diff');
    const { renderDiffMarkdown } = require('../lib/cli/render-diff');
    return () => {
      const base = loadSynth(path.join(dir, 'base'));
      const head = loadSynth(path.join(dir, 'head'));
      const diff = diffRegisters(base, head, { today: TODAY });
      const md = renderDiffMarkdown(diff);
      if (diff.counts.changed === 0 || md.length === 0) throw new Error('the benchmark diff found no change');
    };
  },
};

export function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-bench-cli-'));
  try {
    generate(dir);
    const size = fs.statSync(path.join(dir, 'base', 'stacks', 'stack', 'nhi-register.json')).size;
    console.log(`registers: 2 x ${IDENTITIES} identities (${(size / 1e6).toFixed(1)} MB each); head changes 8%, adds 2%`);
    const diff = runCase(__filename, 'diff', 3, ['--dir', dir]);
    const parse = runCase(__filename, 'parse', 3, ['--dir', dir]);
    report(`nhi diff of 2 x ${IDENTITIES} identities vs JSON.parse of both`, diff, parse, 3);
    console.log(`nhi diff wall time ${diff.ms} ms (target < 1000 ms) ${diff.ms < 1000 ? 'OK' : 'OVER'}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (!childMain(cases) && require.main === module) main();
