import * as fs from 'fs';
import * as path from 'path';
import { findRegisterFiles, loadSynth, NhiInputError, parseRegister, REGISTER_SCHEMA_FILE, synthOf } from '../../lib/cli/load';
import { identity, synthBilling, tmpDir } from './fixtures';

function write(file: string, content: unknown): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function error(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NhiInputError);
    return (e as Error).message;
  }
  throw new Error('expected an NhiInputError');
}

const register = (identities: unknown[] = [identity()], extra: Record<string, unknown> = {}) => ({ version: 1, identities, ...extra });

describe('loader: finding registers', () => {
  test('cdktf stacks/<stack>/nhi-register.json and aws-cdk <artifact>.nhi-register.json, nested assemblies, sorted', () => {
    const dir = tmpDir();
    write(path.join(dir, 'cdktf.out', 'stacks', 'b', 'nhi-register.json'), register());
    write(path.join(dir, 'cdktf.out', 'stacks', 'a', 'nhi-register.json'), register());
    write(path.join(dir, 'cdk.out', 'Billing.nhi-register.json'), register());
    write(path.join(dir, 'cdk.out', 'assembly-Prod', 'ProdBilling.nhi-register.json'), register([identity({ path: 'Prod/Billing/Reader' })]));
    write(path.join(dir, 'cdk.out', 'Billing.template.json'), {});
    write(path.join(dir, 'cdk.out', 'node_modules', 'x', 'nhi-register.json'), register());
    expect(findRegisterFiles(path.join(dir, 'cdktf.out')).map((f) => path.relative(dir, f))).toEqual([
      'cdktf.out/stacks/a/nhi-register.json', 'cdktf.out/stacks/b/nhi-register.json']);
    expect(findRegisterFiles(path.join(dir, 'cdk.out')).map((f) => path.relative(dir, f))).toEqual([
      'cdk.out/Billing.nhi-register.json', 'cdk.out/assembly-Prod/ProdBilling.nhi-register.json']);
    const synth = loadSynth(path.join(dir, 'cdk.out'));
    expect(synth.registers.map((r) => r.stack)).toEqual(['Billing', 'ProdBilling']);
  });

  test('a register file may be given directly; stack names come from the path', () => {
    const dir = tmpDir();
    const file = write(path.join(dir, 'stacks', 'billing', 'nhi-register.json'), register());
    const synth = loadSynth(file);
    expect(synth.identities.map((i) => [i.path, i.stack])).toEqual([['app/Reader', 'billing']]);
  });

  test('missing directory, a file that is not a register, no register at all', () => {
    const dir = tmpDir();
    expect(error(() => loadSynth(path.join(dir, 'nope')))).toBe(`${path.join(dir, 'nope')}: no such directory. Give the synth output directory (cdktf.out or cdk.out) after running cdktf synth or cdk synth.`);
    const other = write(path.join(dir, 'cdk.tf.json'), {});
    expect(error(() => loadSynth(other))).toMatch(/cdk\.tf\.json: is a file, not a synth output directory or an nhi-register\.json\.$/);
    expect(error(() => loadSynth(dir))).toMatch(/: no nhi-register\.json found\. Looked for stacks\/<stack>\/nhi-register\.json \(cdktf\) and <stack>\.nhi-register\.json \(aws-cdk\)\. Run cdktf synth or cdk synth first/);
    expect(loadSynth(dir, { allowEmpty: true }).identities).toEqual([]);
  });

  test('the same identity in two registers (a parent of several synths given)', () => {
    const dir = tmpDir();
    write(path.join(dir, 'a', 'stacks', 's', 'nhi-register.json'), register());
    write(path.join(dir, 'b', 'stacks', 's', 'nhi-register.json'), register());
    expect(error(() => loadSynth(dir))).toMatch(/identity app\/Reader is also listed in .*a\/stacks\/s\/nhi-register\.json; give one synth output directory/);
  });

  test('the register an identity is also listed in: an earlier one of several, or the same one', () => {
    const read = (file: string, paths: string[]) => parseRegister(JSON.stringify(register(paths.map((p) => identity({ path: p })))), file);
    const [a, b, c] = [read('a.nhi-register.json', ['x/A']), read('b.nhi-register.json', ['x/B', 'x/C']), read('c.nhi-register.json', ['x/D', 'x/A'])];
    expect(error(() => synthOf('out', [a, b, c]))).toBe('c.nhi-register.json: identity x/A is also listed in a.nhi-register.json; give one synth output directory, not a parent of several.');
    expect(error(() => synthOf('out', [b, read('d.nhi-register.json', ['x/E', 'x/E'])]))).toBe('d.nhi-register.json: identity x/E is also listed in d.nhi-register.json; give one synth output directory, not a parent of several.');
    expect(synthOf('out', [a, b]).identities.map((i) => i.path)).toEqual(['x/A', 'x/B', 'x/C']);
  });
});

describe('loader: validating a register', () => {
  const f = 'cdktf.out/stacks/s/nhi-register.json';
  test('corrupt JSON names the file and the parse error', () => {
    expect(error(() => parseRegister('{"version": 1, "identities": [', f))).toMatch(/^cdktf\.out\/stacks\/s\/nhi-register\.json: is not valid JSON \(.+\)\. Re-run the synth/);
    expect(error(() => parseRegister('', f))).toMatch(/is not valid JSON/);
  });

  test('unknown or missing version, not a register', () => {
    expect(error(() => parseRegister(JSON.stringify(register([], { version: 3 })), f)))
      .toBe(`${f}: has register version 3, which this nhi does not read (it reads versions 1, 2). Use the nhi of the nhi-constructs release that wrote it.`);
    expect(error(() => parseRegister('{"version": 2, "identities": []}', f))).toBe(`${f}: owners is missing, got nothing.`);
    expect(error(() => parseRegister('{"identities": []}', f))).toBe(`${f}: is not an NHI register: it has no "version".`);
    expect(error(() => parseRegister('[1,2]', f))).toBe(`${f}: is not an NHI register: expected { "version": 2, "owners": {...}, "identities": [...] }, got [1,2].`);
    expect(error(() => parseRegister('{"version": 1, "identities": {}}', f))).toBe(`${f}: is not an NHI register: "identities" must be a list, got {}.`);
  });

  test('bad identities: one line naming the JSON path, the identity and what was given (JSON Schema, ajv)', () => {
    const bad = (o: Record<string, unknown>) => error(() => parseRegister(JSON.stringify(register([identity(), identity({ path: 'app/B', ...o })])), f));
    expect(bad({ expires: '2027-02-30' })).toBe(`${f}: identities[1].expires (identity app/B) must be a YYYY-MM-DD date, got "2027-02-30".`);
    expect(bad({ expires: 'soon' })).toBe(`${f}: identities[1].expires (identity app/B) must be a YYYY-MM-DD date, got "soon".`);
    expect(bad({ owner: 'billing' })).toBe(`${f}: identities[1].owner (identity app/B) must be an object, got "billing".`);
    expect(bad({ owner: { team: 'billing' } })).toBe(`${f}: identities[1].owner.contact (identity app/B) is missing, got nothing.`);
    expect(bad({ scope: 'all' })).toBe(`${f}: identities[1].scope (identity app/B) must be a list, got "all".`);
    expect(bad({ rotation: 30 })).toBe(`${f}: identities[1].rotation (identity app/B) must be null or an object, got 30.`);
    expect(bad({ alarms: [{}] })).toBe(`${f}: identities[1].alarms[0].kind (identity app/B) is missing, got nothing.`);
    expect(error(() => parseRegister(JSON.stringify(register([identity({ path: undefined })])), f))).toBe(`${f}: identities[0].path is missing, got nothing.`);
    expect(error(() => parseRegister(JSON.stringify(register([42])), f))).toBe(`${f}: identities[0] must be an object, got 42.`);
  });

  test('structurally wrong scopes and rotations are rejected, never read (issue: "narrowed" for a broken register)', () => {
    const bad = (o: Record<string, unknown>) => error(() => parseRegister(JSON.stringify(register([identity({ path: 'app/B', ...o })])), f));
    expect(bad({ scope: [null] })).toBe(`${f}: identities[0].scope[0] (identity app/B) must be an object, got null.`);
    expect(bad({ scope: [{ actions: [5], resources: ['arn:aws:s3:::b/*'] }] })).toBe(`${f}: identities[0].scope[0].actions[0] (identity app/B) must be a string or an object, got 5.`);
    expect(bad({ scope: [{ actions: [{ action: 7 }], resources: ['*'] }] })).toBe(`${f}: identities[0].scope[0].actions[0].action (identity app/B) must be a string, got 7.`);
    expect(bad({ scope: [{ actions: [], resources: ['*'] }] })).toBe(`${f}: identities[0].scope[0].actions (identity app/B) must list at least 1 entry, got [].`);
    expect(bad({ scope: [{ actions: ['s3:GetObject'], resources: [null] }] })).toBe(`${f}: identities[0].scope[0].resources[0] (identity app/B) must be a string, got null.`);
    expect(bad({ scope: [{ role: 42 }] })).toBe(`${f}: identities[0].scope[0].role (identity app/B) must be a string, got 42.`);
    expect(bad({ rotation: { days: -5 } })).toBe(`${f}: identities[0].rotation.days (identity app/B) must be at least 1, got -5.`);
    expect(bad({ rotation: { days: 1.5 } })).toBe(`${f}: identities[0].rotation.days (identity app/B) must be a whole number, got 1.5.`);
    expect(bad({ purpose: '' })).toBe(`${f}: identities[0].purpose (identity app/B) must not be empty, got "".`);
  });

  test('fields of two shapes (null or object, string or object) and scope entries by their key: one line each, in both versions', () => {
    // The schema states these without anyOf/if branches (cheaper to validate); the messages are
    // the ones the branching schema gave.
    const owner = { team: 't', contact: 'c' };
    const v1 = (o: Record<string, unknown>) => error(() => parseRegister(JSON.stringify({ version: 1, identities: [{ path: 'app/B', kind: 'service-account', cloud: 'aws', owner, purpose: 'x', expires: '2027-01-01', ...o }] }), f));
    const v2 = (o: Record<string, unknown>) => error(() => parseRegister(JSON.stringify({ version: 2, owners: { t: owner }, identities: [{ path: 'app/B', cloud: 'aws', owner: 't', purpose: 'x', expires: '2027-01-01', ...o }] }), f));
    const at = (where: string, what: string) => `${f}: identities[0].${where} (identity app/B) ${what}`;
    expect(v1({ approval: 'x' })).toBe(at('approval', 'must be null or an object, got "x".'));
    expect(v1({ approval: {} })).toBe(at('approval.ticket', 'is missing, got nothing.'));
    expect(v1({ vendor: { contact: 'c' } })).toBe(at('vendor.name', 'is missing, got nothing.'));
    expect(v1({ vendor: 3 })).toBe(at('vendor', 'must be null or an object, got 3.'));
    expect(v1({ scope: [{ actions: [''], resources: ['*'] }] })).toBe(at('scope[0].actions[0]', 'must not be empty, got "".'));
    expect(v1({ scope: [{ actions: [{ action: '' }], resources: ['*'] }] })).toBe(at('scope[0].actions[0].action', 'must not be empty, got "".'));
    expect(v1({ scope: [{ actions: [{}], resources: ['*'] }] })).toBe(at('scope[0].actions[0].action', 'is missing, got nothing.'));
    expect(v1({ scope: [{ restApiId: 'r' }] })).toBe(at('scope[0].stage', 'is missing, got nothing.'));
    expect(v1({ scope: [{ service: 's', methods: 'GET' }] })).toBe(at('scope[0].methods', 'must be null or a list, got "GET".'));
    expect(v1({ scope: [{ service: 's', methods: [1] }] })).toBe(at('scope[0].methods[0]', 'must be a string, got 1.'));
    expect(v2({ alarms: [3] })).toBe(at('alarms[0]', 'must be a string or an object, got 3.'));
    expect(v2({ alarms: [''] })).toBe(at('alarms[0]', 'must not be empty, got "".'));
    expect(v2({ alarms: [{ description: 'd' }] })).toBe(at('alarms[0].kind', 'is missing, got nothing.'));
    expect(v2({ rotation: null })).toBe(at('rotation', 'must be an object, got null.'));
    expect(v2({ scope: [{ actions: ['s3:GetObject'] }] })).toBe(at('scope[0].resources', 'is missing, got nothing.'));
  });

  test('the schema is shipped beside the CLI and accepts the registers the library writes', () => {
    const schema = JSON.parse(fs.readFileSync(REGISTER_SCHEMA_FILE, 'utf8'));
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.required).toEqual(['version', 'identities']);
    const dir = tmpDir();
    synthBilling(path.join(dir, 'out'), 'head');
    expect(loadSynth(path.join(dir, 'out')).identities.length).toBeGreaterThan(3);
  });

  test('optional fields default; waivers are optional and validated', () => {
    const minimal = { path: 'p', kind: 'api-key', cloud: 'aws', purpose: 'x', expires: '2027-01-01', owner: { team: 't', contact: 'c' } };
    const r = parseRegister(JSON.stringify(register([minimal])), f);
    expect(r.identities[0]).toMatchObject({ name: '', credentials: 'none', rotation: null, scope: [], alarms: [], controls: [], stack: 's' });
    expect(r.waivers).toEqual([]);
    expect(error(() => parseRegister(JSON.stringify(register([], { waivers: [{ code: 'NHI_X', expires: 'soon' }] })), f)))
      .toBe(`${f}: waivers[0].expires must be a YYYY-MM-DD date, got "soon".`);
  });
});

describe('loader: stacks with the same name', () => {
  test('two assemblies with a Billing stack are kept apart by location, waivers included', () => {
    const dir = tmpDir();
    const waiver = (reason: string) => ({ code: 'NHI_UNGOVERNED_IDENTITY', resourceType: 'AWS::IAM::Role', owner: { team: 'platform', contact: 'p@example.com' }, reason, expires: '2027-01-31' });
    write(path.join(dir, 'cdk.out', 'assembly-Prod', 'Billing.nhi-register.json'), register([identity({ path: 'Prod/Billing/Reader' })], { waivers: [waiver('prod legacy')] }));
    write(path.join(dir, 'cdk.out', 'assembly-Dev', 'Billing.nhi-register.json'), register([identity({ path: 'Dev/Billing/Reader' })], { waivers: [waiver('dev legacy')] }));
    const synth = loadSynth(path.join(dir, 'cdk.out'));
    expect(synth.registers.map((r) => r.stack)).toEqual(['assembly-Dev/Billing', 'assembly-Prod/Billing']);
    expect(synth.identities.map((i) => [i.path, i.stack])).toEqual([['Dev/Billing/Reader', 'assembly-Dev/Billing'], ['Prod/Billing/Reader', 'assembly-Prod/Billing']]);
    expect(synth.waivers.map((w) => [w.stack, w.reason])).toEqual([['assembly-Dev/Billing', 'dev legacy'], ['assembly-Prod/Billing', 'prod legacy']]);
    // A change to one of them is reported once, on the right one.
    const { diffRegisters } = require('../../lib/cli/diff');
    const head = { ...synth, waivers: [synth.waivers[0], { ...synth.waivers[1], expires: '2027-03-31' }] };
    const d = diffRegisters(synth, head, { today: '2026-11-23' });
    expect(d.waivers.flatMap((w: any) => w.changes.map((c: any) => c.summary))).toEqual([
      'waiver of `NHI_UNGOVERNED_IDENTITY` extended by 59 days: 2027-01-31 → 2027-03-31, owner platform — “prod legacy”',
    ]);
  });
});
