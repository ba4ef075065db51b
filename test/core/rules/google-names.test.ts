import * as fc from 'fast-check';
import { isToken } from '../../../lib/core/rules/aws-scope';
import {
  checkGoogleAccountId, checkGoogleApiKeyName, checkGoogleProject, GOOGLE_ACCOUNT_ID, RFC1034_LABEL, truncateUtf8, utf8Length,
} from '../../../lib/core/rules/google-names';

const idChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'.split(''));
const lower = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split(''));
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));

describe('checkGoogleAccountId: 6-30 characters, ^[a-z]([-a-z0-9]*[a-z0-9])$', () => {
  test('Compliance: typical ids', () => {
    for (const id of ['billing-reader', 'abcdef', 'a23456789012345678901234567890', 'ci-deployer-2']) expect(checkGoogleAccountId(id)).toEqual([]);
  });

  test('Noncompliance NHI_NAME_INVALID: too short, too long, wrong characters, with a suggestion', () => {
    for (const id of ['abc', 'a'.repeat(31), 'Billing-Reader', '1billing', 'billing-', 'billing_reader']) {
      const v = checkGoogleAccountId(id);
      expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_NAME_INVALID', 'accountId']]);
      expect(v[0].message).toMatch(/6-30 characters/);
      expect(checkGoogleAccountId(v[0].fix.match(/'(.*)'/)![1])).toEqual([]);
    }
    expect(checkGoogleAccountId(undefined)[0].message).toMatch(/needs an account id/);
  });

  test('property: accepted exactly when 6-30 characters matching the pattern', () => {
    // Unresolved tokens are accepted as they are (checked by Google at apply); they are not names.
    fc.assert(fc.property(fc.string({ maxLength: 40 }).filter((s) => !isToken(s)), (s) => {
      const ok = checkGoogleAccountId(s).length === 0;
      expect(ok).toBe(s.length >= 6 && s.length <= 30 && GOOGLE_ACCOUNT_ID.test(s));
    }), { numRuns: 500 });
  });

  test('property: every generated valid id is accepted; the suggestion for any rejected string is itself valid', () => {
    fc.assert(fc.property(lower, fc.array(idChar, { minLength: 4, maxLength: 28 }), alnum, (a, mid, z) => {
      expect(checkGoogleAccountId(a + mid.join('') + z)).toEqual([]);
    }));
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 50 }).filter((s) => !isToken(s)), (s) => {
      const v = checkGoogleAccountId(s);
      if (v.length > 0) expect(checkGoogleAccountId(v[0].fix.match(/'(.*)'/)![1])).toEqual([]);
    }), { numRuns: 500 });
  });
});

describe('checkGoogleApiKeyName: RFC 1034, at most 52 characters before the rotation suffix', () => {
  test('Compliance and noncompliance examples', () => {
    expect(checkGoogleApiKeyName('partner-globex-maps')).toEqual([]);
    expect(checkGoogleApiKeyName('a'.repeat(52))).toEqual([]);
    const v = checkGoogleApiKeyName('a'.repeat(53));
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_NAME_INVALID', 'name']]);
    expect(v[0].message).toMatch(/at most 52 characters.*rotation suffix/);
    expect(checkGoogleApiKeyName('Partner_Key')[0].code).toBe('NHI_NAME_INVALID');
  });

  test('property: accepted exactly when an RFC 1034 label of at most 52 characters; name + suffix fits 63', () => {
    fc.assert(fc.property(fc.string({ maxLength: 70 }).filter((s) => !isToken(s)), (s) => {
      const ok = checkGoogleApiKeyName(s).length === 0;
      expect(ok).toBe(s.length >= 1 && s.length <= 52 && RFC1034_LABEL.test(s));
      if (ok) expect(RFC1034_LABEL.test(`${s}-1798675200`)).toBe(true);
    }), { numRuns: 500 });
  });
});

describe('checkGoogleProject: a project id', () => {
  test('Compliance: ids and tokens; Noncompliance NHI_PROJECT_INVALID: numbers, names, nothing', () => {
    expect(checkGoogleProject('acme-billing-prod')).toEqual([]);
    expect(checkGoogleProject('${google_project.p.project_id}')).toEqual([]);
    for (const p of ['123456789012', 'Acme Billing', undefined, '']) {
      const v = checkGoogleProject(p);
      expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_PROJECT_INVALID', 'project']]);
      expect(v[0].fix).toMatch(/acme-billing-prod/);
    }
  });
});

describe('truncateUtf8: byte-limited text', () => {
  test('property: never longer than the limit, never splits a character, unchanged when it fits', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 4, max: 300 }), (s, max) => {
      const t = truncateUtf8(s, max);
      expect(utf8Length(t)).toBeLessThanOrEqual(max);
      expect(t.includes('\uFFFD')).toBe(s.includes('\uFFFD'));
      if (utf8Length(s) <= max) expect(t).toBe(s);
      else expect(t.endsWith('…')).toBe(true);
    }), { numRuns: 500 });
  });
});
