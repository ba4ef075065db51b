import * as fc from 'fast-check';
import { checkPurpose, isVague, MAX_PURPOSE_LENGTH, PLACEHOLDERS } from '../../../lib/core/rules/purpose';

const GOOD = 'Reads nightly billing exports for the reporting job';

describe('checkPurpose: why the identity exists, in words a reviewer understands', () => {
  test('Compliance: three or more real words', () => {
    expect(checkPurpose(GOOD)).toEqual([]);
    expect(checkPurpose('Uploads invoice PDFs')).toEqual([]);
    expect(checkPurpose('Synchronise Zählerstände täglich')).toEqual([]);
  });

  test.each([[undefined], [null], [''], ['   ']])('Noncompliance 1: %p is NHI_PURPOSE_MISSING', (purpose) => {
    const vs = checkPurpose(purpose);
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_PURPOSE_MISSING', field: 'purpose', risks: ['NHI1', 'NHI9'] })]);
    expect(vs[0].fix).toMatch(/say why it exists/);
  });

  test('Noncompliance 1b: a non-string purpose is NHI_PURPOSE_MISSING with the value given', () => {
    expect(checkPurpose(42)).toEqual([expect.objectContaining({ code: 'NHI_PURPOSE_MISSING', message: 'must be a string', given: '42' })]);
    expect(checkPurpose(['reads', 'billing', 'exports'], 'description')[0].field).toBe('description');
  });

  test.each(['todo', 'TODO', 'tbd', 'test', 'Test.', 'n/a', '...', 'lorem ipsum', 'temp', 'todo todo todo', 'Test test test!', 'foo bar foo'])(
    'Noncompliance 2: placeholder %j is NHI_PURPOSE_VAGUE', (purpose) => {
      const vs = checkPurpose(purpose);
      expect(vs).toEqual([expect.objectContaining({ code: 'NHI_PURPOSE_VAGUE', field: 'purpose', given: JSON.stringify(purpose) })]);
      expect(vs[0].message).toBe('is a placeholder or has fewer than three words');
      expect(vs[0].fix).toMatch(/say what uses the identity and for what/);
    });

  test.each(['billing reader', 'Reads', 'reads - billing', 'reads ... billing'])('Noncompliance 3: %j has fewer than three words', (purpose) => {
    expect(checkPurpose(purpose).map((v) => v.code)).toEqual(['NHI_PURPOSE_VAGUE']);
  });

  test('Noncompliance 4: longer than 500 characters is NHI_PURPOSE_TOO_LONG, given truncated', () => {
    const long = `${GOOD} `.repeat(20).trim();
    expect(long.length).toBeGreaterThan(MAX_PURPOSE_LENGTH);
    const vs = checkPurpose(long);
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_PURPOSE_TOO_LONG', field: 'purpose' })]);
    expect(vs[0].message).toContain('500 characters');
    expect(vs[0].fix).toMatch(/shorten it/);
    expect(vs[0].given).toBe(JSON.stringify(`${long.slice(0, 40)}…`));
    expect(checkPurpose(long.slice(0, MAX_PURPOSE_LENGTH))).toEqual([]);
  });

  test('property: any single placeholder (any case, trailing punctuation) is vague', () => {
    fc.assert(fc.property(fc.constantFrom(...PLACEHOLDERS), fc.boolean(), fc.constantFrom('', '.', '!', '?!'), (p, upper, punct) => {
      expect(isVague(`  ${upper ? p.toUpperCase() : p}${punct} `)).toBe(true);
    }), { numRuns: 200 });
  });

  test('property: fewer than three words is vague; three distinct real words are not', () => {
    const w = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')), minLength: 5, maxLength: 10 })
      .filter((x) => !PLACEHOLDERS.includes(x));
    fc.assert(fc.property(fc.array(w, { minLength: 0, maxLength: 2 }), (ws) => expect(isVague(ws.join(' '))).toBe(true)), { numRuns: 200 });
    fc.assert(fc.property(fc.array(w, { minLength: 3, maxLength: 8 }), (ws) => expect(isVague(ws.join(' '))).toBe(false)), { numRuns: 200 });
  });
});

describe('checkPurpose: placeholders at the start, unfinished markers and generic phrases (issue 12)', () => {
  test.each([
    ['todo: write purpose later', "starts with the placeholder 'todo'"],
    ['TBD - ask the billing team', "starts with the placeholder 'tbd'"],
    ['test service account', "starts with the placeholder 'test'"],
    ['Testing: reads billing exports', "starts with the placeholder 'testing'"],
    ['WIP reads billing exports', "starts with the placeholder 'wip'"],
    ['Reads billing exports, TODO narrow later', "contains the placeholder 'todo'"],
    ['Reads billing exports (fixme)', "contains the placeholder 'fixme'"],
  ])('Noncompliance 5: %j is NHI_PURPOSE_VAGUE (%s)', (purpose, message) => {
    const vs = checkPurpose(purpose);
    expect(vs.map((v) => [v.code, v.message])).toEqual([['NHI_PURPOSE_VAGUE', message]]);
  });

  test.each(['needed by the app', 'Service account for the application', 'used by our system', 'Required for the prod environment', 'API key for the service', 'We really need everything here'])(
    'Noncompliance 6: generic %j names no subject and object', (purpose) => {
      const vs = checkPurpose(purpose);
      expect(vs.map((v) => v.code)).toEqual(['NHI_PURPOSE_VAGUE']);
      expect(vs[0].message).toMatch(/is generic: it names no subject and object/);
    });

  test.each(['Reads nightly billing exports', 'Deploys the billing-api stack', 'Kubernetes reporter runs as it', 'Smoke tests of the checkout API in staging', 'Legacy job until migration'])(
    'Compliance: %j names what uses the identity and what for', (purpose) => {
      expect(checkPurpose(purpose)).toEqual([]);
    });

  test('justifications follow the same rule (isVague)', () => {
    expect(isVague('needed by the app')).toBe(true);
    expect(isVague('todo: justify later')).toBe(true);
    expect(isVague('Mints short-lived tokens for the batch runner')).toBe(false);
  });
});
