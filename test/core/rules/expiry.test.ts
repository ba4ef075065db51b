import * as fc from 'fast-check';
import { addDays, formatIsoDate, parseIsoDate } from '../../../lib/core/dates';
import { DEFAULT_POLICY, ResolvedGovernancePolicy } from '../../../lib/core/policy';
import { checkExpiry } from '../../../lib/core/rules/expiry';

const TODAY = '2026-01-15';
const policy = (p: Partial<ResolvedGovernancePolicy> = {}): ResolvedGovernancePolicy => ({ ...DEFAULT_POLICY, ...p });

describe('checkExpiry: a literal YYYY-MM-DD after today and within the maximum lifetime', () => {
  test('Compliance: tomorrow, a date mid-window and exactly today + 365', () => {
    expect(checkExpiry('2026-01-16', TODAY, policy())).toEqual([]);
    expect(checkExpiry('2026-06-30', TODAY, policy())).toEqual([]);
    expect(checkExpiry('2027-01-15', TODAY, policy())).toEqual([]);
  });

  test.each([[undefined], [null], ['']])('Noncompliance 1: %p is NHI_EXPIRY_MISSING with the allowed window as fix', (expires) => {
    const vs = checkExpiry(expires, TODAY, policy());
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_EXPIRY_MISSING', field: 'expires', risks: ['NHI1', 'NHI7'] })]);
    expect(vs[0].given).toBe(expires === '' ? '""' : undefined);
    expect(vs[0].fix).toBe('set expires to a YYYY-MM-DD date between 2026-01-16 and 2027-01-15');
  });

  test.each([
    ['2026-02-30'], ['2026-13-01'], ['2026-1-31'], ['31/01/2026'], ['2026-06-30T00:00:00Z'], ['next year'], ['  '],
    ['${var.x}'], ['${Token[TOKEN.42]}'], [20260630], [new Date('2026-06-30')],
  ])('Noncompliance 2: %p is NHI_EXPIRY_INVALID', (expires) => {
    const vs = checkExpiry(expires, TODAY, policy());
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_EXPIRY_INVALID', field: 'expires' })]);
    expect(vs[0].message).toMatch(/literal calendar date in the form YYYY-MM-DD/);
    expect(vs[0].fix).toBe("write the date literally, e.g. '2027-01-15'");
    expect(vs[0].given).toBeDefined();
  });

  test.each([['2026-01-15', 'today itself'], ['2026-01-14', 'yesterday'], ['2020-01-01', 'years ago']])(
    'Noncompliance 3: %s (%s) is NHI_EXPIRY_PAST', (expires) => {
      const vs = checkExpiry(expires, TODAY, policy());
      expect(vs).toEqual([expect.objectContaining({ code: 'NHI_EXPIRY_PAST', field: 'expires', given: JSON.stringify(expires) })]);
      expect(vs[0].message).toBe('is not after today (2026-01-15)');
      expect(vs[0].fix).toMatch(/between 2026-01-16 and 2027-01-15, or remove the identity/);
    });

  test('Noncompliance 4: today + 366 is NHI_EXPIRY_TOO_FAR', () => {
    const vs = checkExpiry('2027-01-16', TODAY, policy());
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_EXPIRY_TOO_FAR', field: 'expires', given: '"2027-01-16"' })]);
    expect(vs[0].message).toContain('more than 365 days away');
    expect(vs[0].fix).toMatch(/no later than 2027-01-15/);
  });

  test('Noncompliance 5: the policy sets the maximum lifetime; the field name is the caller\'s', () => {
    const vs = checkExpiry('2026-03-01', TODAY, policy({ maxLifetimeDays: 30 }), 'keys.expires');
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_EXPIRY_TOO_FAR', field: 'keys.expires' })]);
    expect(vs[0].message).toContain('more than 30 days away');
    expect(vs[0].fix).toContain('2026-02-14');
  });

  test('property: exactly the window (today, today + maxLifetimeDays] is accepted', () => {
    const day0 = parseIsoDate('2000-01-01')!;
    fc.assert(fc.property(
      fc.integer({ min: day0, max: day0 + 40_000 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: -2000, max: 2000 }),
      (todayDay, max, offset) => {
        const today = formatIsoDate(todayDay);
        const vs = checkExpiry(addDays(today, offset), today, policy({ maxLifetimeDays: max }));
        const expected = offset <= 0 ? ['NHI_EXPIRY_PAST'] : offset > max ? ['NHI_EXPIRY_TOO_FAR'] : [];
        expect(vs.map((v) => v.code)).toEqual(expected);
      }), { numRuns: 200 });
  });

  test('property: the boundaries themselves', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3650 }), (max) => {
      const p = policy({ maxLifetimeDays: max });
      expect(checkExpiry(TODAY, TODAY, p).map((v) => v.code)).toEqual(['NHI_EXPIRY_PAST']);
      expect(checkExpiry(addDays(TODAY, 1), TODAY, p)).toEqual([]);
      expect(checkExpiry(addDays(TODAY, max), TODAY, p)).toEqual([]);
      expect(checkExpiry(addDays(TODAY, max + 1), TODAY, p).map((v) => v.code)).toEqual(['NHI_EXPIRY_TOO_FAR']);
    }), { numRuns: 200 });
  });

  test('property: anything that is not a date string yields exactly one violation, never a throw', () => {
    fc.assert(fc.property(fc.anything(), (v) => {
      const vs = checkExpiry(v, TODAY, policy());
      expect(vs.length).toBeLessThanOrEqual(1);
      if (parseIsoDate(v) === undefined) expect(['NHI_EXPIRY_MISSING', 'NHI_EXPIRY_INVALID']).toContain(vs[0]?.code);
    }), { numRuns: 200 });
  });
});
