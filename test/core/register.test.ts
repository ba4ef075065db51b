import * as fc from 'fast-check';
import { REGISTER_FILE, REGISTER_VERSION, RegisterEntry, renderRegister } from '../../lib/core/register';

function entry(path: string, extra: Partial<RegisterEntry> = {}): RegisterEntry {
  return {
    path,
    kind: 'service-account',
    cloud: 'aws',
    name: path.split('/').pop()!.toLowerCase(),
    owner: { team: 'payments-platform', contact: 'payments@example.com' },
    purpose: 'Reads nightly billing exports for the reporting job',
    expires: '2026-06-30',
    scope: [{ actions: [{ action: 's3:GetObject', accessLevel: 'Read' }], resources: ['arn:aws:s3:::b/*'] }],
    credentials: 'none',
    alarms: [{ kind: 'expiry-reminder', description: '30 days before expiry', notifies: 'payments@example.com' }],
    controls: ['NHI1', 'NHI4', 'NHI5', 'NHI7'],
    ...extra,
  };
}

describe('renderRegister: a sorted, deterministic nhi-register.json', () => {
  test('Compliance: version 1, file name nhi-register.json, empty register', () => {
    expect(REGISTER_FILE).toBe('nhi-register.json');
    expect(renderRegister([])).toBe(`{\n  "version": ${REGISTER_VERSION},\n  "identities": [],\n  "waivers": []\n}\n`);
  });

  test('Compliance: entries sorted by path, fixed key order, rotation null when absent, trailing newline', () => {
    const out = renderRegister([entry('Stack/b'), entry('Stack/B'), entry('Stack/a', { rotation: { days: 30 }, credentials: 'access-key' })]);
    expect(out.endsWith('}\n')).toBe(true);
    expect(out.endsWith('\n\n')).toBe(false);
    const parsed = JSON.parse(out);
    expect(parsed.version).toBe(1);
    expect(parsed.identities.map((i: any) => i.path)).toEqual(['Stack/B', 'Stack/a', 'Stack/b']);
    expect(Object.keys(parsed.identities[0])).toEqual([
      'path', 'kind', 'cloud', 'name', 'owner', 'system', 'environment', 'purpose', 'expires', 'approval', 'vendor', 'credentials', 'rotation', 'scope', 'alarms', 'controls',
    ]);
    expect(parsed.identities[0].rotation).toBeNull();
    expect(parsed.identities[1].rotation).toEqual({ days: 30 });
    expect(out).toContain('\n  "identities": [\n    {\n      "path": "Stack/B",');
  });

  test('Compliance: key order does not depend on the input object\'s key order; extra keys are dropped', () => {
    const e = entry('S/x', { details: { principals: ['lambda.amazonaws.com'] } });
    const reversed = Object.fromEntries(Object.entries({ ...e, owner: { contact: e.owner.contact, team: e.owner.team, extra: 1 } as any }).reverse()) as RegisterEntry;
    (reversed as any).secret = 'AKIA...';
    expect(renderRegister([reversed])).toBe(renderRegister([e]));
    expect(renderRegister([reversed])).not.toContain('AKIA');
    expect(Object.keys(JSON.parse(renderRegister([e])).identities[0]).pop()).toBe('details');
  });

  test('Compliance: the input array is not reordered', () => {
    const input = [entry('b'), entry('a')];
    renderRegister(input);
    expect(input.map((e) => e.path)).toEqual(['b', 'a']);
  });

  test('property: byte-identical for any shuffle of the same entries', () => {
    const paths = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 0, maxLength: 12 });
    fc.assert(fc.property(paths.chain((ps) => fc.tuple(fc.constant(ps), fc.shuffledSubarray(ps, { minLength: ps.length, maxLength: ps.length }))),
      ([ps, shuffled]) => {
        const byPath = (p: string, i: number) => entry(p, i % 2 ? { rotation: { days: 1 + i } } : {});
        const a = renderRegister(ps.map((p, i) => byPath(p, i)));
        const b = renderRegister(shuffled.map((p) => byPath(p, ps.indexOf(p))));
        expect(b).toBe(a);
        const out = JSON.parse(a).identities.map((i: any) => i.path);
        expect(out).toEqual([...ps].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
      }), { numRuns: 200 });
  });
});
