// The benchmarks compare a governed app with "the same Terraform (CloudFormation) written by
// hand" (README, docs/performance.md): that claim holds only while the hand-written baseline emits
// what the construct emits. This test runs both benchmark cases at a few identities, as the
// benchmark runs them (a child process each, the compiled library), and compares what they
// synthesise (cdk.tf.json, the AWS CDK's template): the same resources of each type, and for each
// identity the same resources field by field, except the value that says who wrote them. A change
// of what a construct emits that its baseline does not follow fails here.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { filesUnder } from '../helpers/files';

const ROOT = path.join(__dirname, '..', '..');
const N = 3;

type Json = Record<string, any>;

/**
 * The synthesised file a benchmark case writes (its output folder is made under TMPDIR):
 * cdk.tf.json, or the AWS CDK's template.
 */
function synth(bench: string, name: string, output = 'cdk.tf.json'): Json {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-bench-equivalent-'));
  try {
    execFileSync(process.execPath, ['--import', 'tsx', path.join('bench', bench), '--case', name, '--n', String(N)], {
      cwd: ROOT, env: { ...process.env, TMPDIR: tmp, NHI_TODAY: '2026-11-23', NHI_BENCH_AWS_CDK_N: String(N), CDK_VALIDATION: 'false' }, encoding: 'utf8',
    });
    const files = filesUnder(tmp, output);
    expect(files).toHaveLength(1);
    return JSON.parse(fs.readFileSync(files[0], 'utf8'));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Resource and data source counts by type. */
function counts(tf: Json): Record<string, number> {
  const out: Record<string, number> = {};
  for (const section of ['resource', 'data']) {
    for (const [type, blocks] of Object.entries<Json>(tf[section] ?? {})) out[`${section}.${type}`] = Object.keys(blocks).length;
  }
  return out;
}

/** The blocks of every identity's resources (paths under `bench/Sa<i>/`), without cdktf's metadata. */
function identityBlocks(tf: Json): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [type, blocks] of Object.entries<Json>(tf.resource ?? {})) {
    for (const [id, block] of Object.entries<Json>(blocks)) {
      const p: string = block['//']?.metadata?.path ?? '';
      if (!/^bench\/Sa\d+\//.test(p)) continue;
      const { ['//']: _meta, ...rest } = block;
      out[`${type} ${id}`] = rest;
    }
  }
  return out;
}

/** Who wrote it: the only value the baseline is allowed to differ in. */
function withoutAuthor(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x).replace(/"(nhi[:-]managed-by)":"[^"]*"/g, '"$1":"?"')
    .replace(/"Key":"nhi:managed-by","Value":"[^"]*"/g, '"Key":"nhi:managed-by","Value":"?"'));
}

/** The shape of a value: its keys and the shapes below them, strings and numbers as their kind. */
function shape(x: unknown): unknown {
  return Array.isArray(x) ? x.map(shape)
    : x !== null && typeof x === 'object' ? Object.fromEntries(Object.keys(x).filter((k) => k !== '//').sort().map((k) => [k, shape((x as Json)[k])]))
      : typeof x;
}

describe.each([
  ['cdktf AWS', 'cdktf-aws.ts'],
  ['cdktf Google', 'cdktf-google.ts'],
])('%s benchmark: the hand-written baseline emits what the construct emits', (_target, bench) => {
  let governed: Json;
  let equivalent: Json;
  beforeAll(() => {
    governed = synth(bench, 'synth-governed');
    equivalent = synth(bench, 'synth-equivalent');
  }, 60_000);

  test('the same resources of each type', () => {
    expect(counts(equivalent)).toEqual(counts(governed));
    expect(equivalent.provider).toEqual(governed.provider);
  });

  test('every identity\'s resources field by field (names of the shared plumbing aside)', () => {
    const g = identityBlocks(governed);
    const e = identityBlocks(equivalent);
    // The per-identity resources are named alike on both sides (same construct paths).
    expect(Object.keys(g).length).toBeGreaterThanOrEqual(2 * N);
    // Blocks whose logical ids differ only by the construct's naming of a scope item are paired by type and order.
    const pair = (blocks: Record<string, Json>) => {
      const byType = new Map<string, Json[]>();
      for (const [key, block] of Object.entries(blocks).sort(([a], [b]) => (a < b ? -1 : 1))) {
        const [type, id] = key.split(' ');
        const identity = /^(Sa\d+)_/.exec(id)?.[1] ?? id;
        const k = `${type} ${identity}`;
        byType.set(k, [...(byType.get(k) ?? []), block]);
      }
      return Object.fromEntries([...byType].map(([k, v]) => [k, withoutAuthor(v)]));
    };
    expect(pair(e)).toEqual(pair(g));
  });

  test('the shared plumbing (notices, alarms, their roles): the same arguments set in each resource, worded as the team likes', () => {
    const plumbing = (tf: Json) => Object.fromEntries(Object.entries<Json>(tf.resource).map(([type, blocks]) => [type,
      Object.values<Json>(blocks).filter((b) => !/^bench\/Sa\d+\//.test(b['//']?.metadata?.path ?? ''))
        .map((b) => JSON.stringify(shape(b))).sort()]));
    expect(plumbing(equivalent)).toEqual(plumbing(governed));
  });
});

describe('AWS CDK benchmark: the hand-written baseline emits what the construct emits', () => {
  let governed: Json;
  let equivalent: Json;
  beforeAll(() => {
    governed = synth('aws-cdk.ts', 'synth-governed', '.template.json');
    equivalent = synth('aws-cdk.ts', 'synth-equivalent', '.template.json');
  }, 60_000);

  const byType = (t: Json) => {
    const out: Record<string, string[]> = {};
    for (const r of Object.values<Json>(t.Resources)) (out[r.Type] ??= []).push(JSON.stringify(shape(r)));
    for (const list of Object.values(out)) list.sort();
    return out;
  };

  test('the same resources of each type, each with the same properties set', () => {
    expect(byType(equivalent)).toEqual(byType(governed));
  });

  test('every identity\'s role the same, property by property (logical ids alike)', () => {
    const roles = (t: Json) => Object.fromEntries(Object.entries<Json>(t.Resources)
      .filter(([id, r]) => r.Type === 'AWS::IAM::Role' && /^Sa\d+/.test(id)).map(([id, r]) => [id, withoutAuthor(r)]));
    expect(Object.keys(roles(governed))).toHaveLength(N);
    expect(roles(equivalent)).toEqual(roles(governed));
  });
});
