import * as fc from 'fast-check';
import {
  googleServiceAccountDescription, googleServiceAccountDisplayName, parseGoogleServiceAccountDescription,
} from '../../lib/core/google-description';
import { utf8Length } from '../../lib/core/rules/google-names';

const input = { team: 'billing', contact: 'billing@example.com', purpose: 'Reads nightly billing exports for the reporting job', expires: '2027-06-30' };

describe('google service account description and display name', () => {
  test('the documented, parseable forms', () => {
    const d = googleServiceAccountDescription(input);
    expect(d).toBe('nhi owner=billing contact=billing@example.com expires=2027-06-30 purpose=Reads nightly billing exports for the reporting job');
    expect(parseGoogleServiceAccountDescription(d)).toEqual(input);
    expect(googleServiceAccountDisplayName(input)).toBe('Reads nightly billing exports for the reporting job [nhi billing until 2027-06-30]');
    expect(parseGoogleServiceAccountDescription('a hand-written description')).toBeUndefined();
  });

  test('the system (the workload that uses the identity) is in the description when declared, and parses back', () => {
    const withSystem = { ...input, system: 'billing-reporter' };
    const d = googleServiceAccountDescription(withSystem);
    expect(d).toBe('nhi owner=billing contact=billing@example.com system=billing-reporter expires=2027-06-30 purpose=Reads nightly billing exports for the reporting job');
    expect(parseGoogleServiceAccountDescription(d)).toEqual(withSystem);
    expect(googleServiceAccountDescription({ ...input, system: undefined })).toBe(googleServiceAccountDescription(input));
  });

  test('property: description <= 256 bytes and display name <= 100 bytes for any input; owner, system and expiry always parse back', () => {
    const team = fc.stringMatching(/^[a-z0-9]{1,20}(-[a-z0-9]{1,20}){0,2}$/);
    const contact = fc.emailAddress();
    const purpose = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 500 });
    const day = fc.integer({ min: 20000, max: 30000 }).map((d) => new Date(d * 86400000).toISOString().slice(0, 10));
    const system = fc.option(fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/), { nil: undefined });
    fc.assert(fc.property(team, contact, purpose, day, system, (t, c, p, e, s) => {
      const i = { team: t, contact: c, purpose: p, expires: e, system: s };
      const d = googleServiceAccountDescription(i);
      expect(utf8Length(d)).toBeLessThanOrEqual(256);
      const back = parseGoogleServiceAccountDescription(d)!;
      expect([back.team, back.expires, back.system]).toEqual([t, e, s]);
      const n = googleServiceAccountDisplayName(i);
      expect(utf8Length(n)).toBeLessThanOrEqual(100);
      expect(n.endsWith(`[nhi ${t} until ${e}]`)).toBe(true);
    }), { numRuns: 300 });
  });
});
