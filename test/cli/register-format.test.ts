// The register format: `nhi` reads version 1 (older releases) and version 2 (this release) to the
// same identities, so register/diff/check print the same for a register in either version, and a
// pull request that crosses the format change shows no change. Also the size goal of version 2
// (issue 15: at most 0.5 KB per identity for 1,000 AWS and Google identities, same information).
import * as fs from 'fs';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { buildApp as buildGoogleApp } from '../../examples/cdktf-google/main';
import { checkSynth, renderCheckJson, renderCheckMarkdown, renderCheckText } from '../../lib/cli/check';
import { diffRegisters } from '../../lib/cli/diff';
import { findRegisterFiles, loadSynth, LoadedSynth } from '../../lib/cli/load';
import { renderRegisterJson, renderRegisterMarkdown, renderRegisterTable } from '../../lib/cli/register-view';
import { renderDiffJson, renderDiffMarkdown, renderDiffText } from '../../lib/cli/render-diff';
import { NhiRegister } from '../../lib/cdktf';
import * as aws from '../../lib/cdktf-aws';
import * as google from '../../lib/cdktf-google';
import { API_KEY_LIMITATIONS } from '../../lib/cdktf-google/governed-api-key';
import { KEY_LIMITATION, SERVICE_ACCOUNT_LIMITATIONS } from '../../lib/cdktf-google/governed-service-account';
import { KNOWN_LIMITATIONS, readRegister, renderRegister, renderRegisterV1 } from '../../lib/core/register';
import { synthBilling, tmpDir, TODAY } from './fixtures';

/** A copy of a synth directory with every register rewritten in version 1 (as an older release wrote it). */
function asVersion1(dir: string, to: string): string {
  fs.cpSync(dir, to, { recursive: true });
  for (const file of findRegisterFiles(to)) {
    const text = fs.readFileSync(file, 'utf8');
    expect(JSON.parse(text).version).toBe(2);
    const { identities, waivers } = readRegister(text);
    fs.writeFileSync(file, JSON.stringify({ version: 1, identities, waivers }, null, 2) + '\n');
  }
  return to;
}

/** What `nhi register`, `nhi check` print for one synth (the directory name made neutral). */
function views(synth: LoadedSynth): string[] {
  const options = { today: TODAY, withinDays: 400 };
  const findings = checkSynth(synth, options);
  return [
    renderRegisterTable(synth, TODAY), renderRegisterMarkdown(synth, TODAY), renderRegisterJson(synth, TODAY),
    renderCheckText(findings, synth, options), renderCheckMarkdown(findings, synth, options), renderCheckJson(findings, options),
  ].map((s) => s.split(synth.dir).join('<dir>'));
}

function diffViews(base: LoadedSynth, head: LoadedSynth): string[] {
  const d = diffRegisters(base, head, { today: TODAY });
  return [renderDiffText(d), renderDiffMarkdown(d), renderDiffJson(d)];
}

describe('nhi reads register versions 1 and 2 to the same identities', () => {
  const root = tmpDir('nhi-format-');
  const v2 = {
    base: synthBilling(path.join(root, 'v2', 'base'), 'base'),
    head: synthBilling(path.join(root, 'v2', 'head'), 'head'),
    google: (() => {
      const outdir = path.join(root, 'v2', 'google');
      buildGoogleApp(outdir, { 'nhi:today': TODAY }).synth();
      return outdir;
    })(),
  };
  const v1 = {
    base: asVersion1(v2.base, path.join(root, 'v1', 'base')),
    head: asVersion1(v2.head, path.join(root, 'v1', 'head')),
    google: asVersion1(v2.google, path.join(root, 'v1', 'google')),
  };

  test.each(['base', 'head', 'google'] as const)('%s: the same identities, and the same `nhi register` and `nhi check` output', (which) => {
    const a = loadSynth(v1[which]);
    const b = loadSynth(v2[which]);
    expect(a.registers.map((r) => r.version)).toEqual(a.registers.map(() => 1));
    expect(b.registers.map((r) => r.version)).toEqual(b.registers.map(() => 2));
    expect(b.identities.length).toBeGreaterThan(2);
    expect(b.identities).toEqual(a.identities);
    expect(views(b)).toEqual(views(a));
  });

  test('the same `nhi diff` output, whichever version base and head are in', () => {
    const expected = diffViews(loadSynth(v1.base), loadSynth(v1.head));
    expect(expected[0]).toMatch(/widened/);
    expect(diffViews(loadSynth(v2.base), loadSynth(v2.head))).toEqual(expected);
    expect(diffViews(loadSynth(v1.base), loadSynth(v2.head))).toEqual(expected);
    expect(diffViews(loadSynth(v2.base), loadSynth(v1.head))).toEqual(expected);
  });

  test('a pull request that only crosses the format change shows no change', () => {
    for (const which of ['base', 'google'] as const) {
      const d = diffRegisters(loadSynth(v1[which]), loadSynth(v2[which]), { today: TODAY });
      expect(d.identities).toEqual([]);
      expect(d.counts.changed + d.counts.added + d.counts.removed).toBe(0);
    }
  });

  test('a version-2 file is at most a third of its version-1 rendering', () => {
    for (const which of ['base', 'google'] as const) {
      const [f2] = findRegisterFiles(v2[which]);
      const [f1] = findRegisterFiles(v1[which]);
      expect(fs.statSync(f2).size * 3).toBeLessThan(fs.statSync(f1).size);
    }
  });

  test('an owner missing from the table is an input error naming the identity', () => {
    const [file] = findRegisterFiles(v2.head);
    const dir = tmpDir();
    const copy = path.join(dir, 'nhi-register.json');
    fs.writeFileSync(copy, fs.readFileSync(file, 'utf8').replace(/"owner": "billing"/, '"owner": "nobody"'));
    expect(() => loadSynth(copy)).toThrow(/nhi-register\.json: identities\[1\]\.owner \(identity billing\/PartnerKey\) names owner "nobody", which the register's "owners" table does not list\.$/);
  });
});

describe('register size (issue 15: at most 512 bytes per identity, same information)', () => {
  const N = 1000;
  const OWNER = { team: 'billing', contact: 'billing@example.com' };
  const PURPOSE = 'Reads nightly billing exports for the reporting job';

  /** The register of the synth benchmark's app (bench/cdktf-aws.ts, bench/cdktf-google.ts) at N identities. */
  function register(target: 'aws' | 'google'): NhiRegister {
    const app = new App({ outdir: tmpDir(), context: { 'nhi:today': TODAY } });
    const stack = new TerraformStack(app, 'bench');
    if (target === 'aws') {
      new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      for (let i = 0; i < N; i++) {
        new aws.GovernedServiceAccount(stack, `Sa${i}`, {
          owner: OWNER, purpose: PURPOSE, expires: '2027-06-30', name: `svc-${i}`,
          assumedBy: { service: 'lambda.amazonaws.com' },
          scope: [{ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-${i}/*`] }],
        });
      }
    } else {
      new GoogleProvider(stack, 'google', { project: 'acme-billing-prod', region: 'europe-west1' });
      for (let i = 0; i < N; i++) {
        new google.GovernedServiceAccount(stack, `Sa${i}`, {
          owner: OWNER, purpose: PURPOSE, expires: '2027-06-30', project: 'acme-billing-prod', accountId: `svc-account-${i}`,
          scope: [{ role: 'roles/bigquery.dataViewer' }],
        });
      }
    }
    return NhiRegister.of(stack);
  }

  test.each(['aws', 'google'] as const)('%s: 1,000 identities', (target) => {
    const r = register(target);
    const text = r.render();
    const v1 = renderRegisterV1(r.entries());
    const bytes = Buffer.byteLength(text);
    expect(bytes / N).toBeLessThanOrEqual(512);
    expect(Buffer.byteLength(v1) / N).toBeGreaterThan(1500); // what version 1 took
    // Same information: it reads back to exactly the version-1 entries.
    expect(JSON.stringify(readRegister(text).identities)).toBe(JSON.stringify(JSON.parse(v1).identities));
  });
});

test('every limitation the Google adapters list has an id in the version-2 table', () => {
  const known = Object.values(KNOWN_LIMITATIONS);
  for (const text of [...SERVICE_ACCOUNT_LIMITATIONS, KEY_LIMITATION, ...API_KEY_LIMITATIONS]) expect(known).toContain(text);
});

test('docs/register.md: its version-2 example is the rendering of its version-1 example', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'register.md'), 'utf8');
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
  const v2 = blocks.find((b) => b.includes('"version": 2'))!;
  const v1 = blocks.find((b) => b.includes('"version": 1'))!;
  const entries = readRegister(v1).identities as any[];
  expect(readRegister(v2).identities).toEqual(entries);
  expect(renderRegister(entries)).toBe(v2);
});
