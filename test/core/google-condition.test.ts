import { run } from '@bufbuild/cel';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import * as fc from 'fast-check';
import { formatIsoDate } from '../../lib/core/dates';
import { googleExpiryCondition, googleExpiryExpression, parseGoogleExpiryExpression } from '../../lib/core/google-condition';
import { utf8Length } from '../../lib/core/rules/google-names';

const at = (iso: string) => ({ request: new Map<string, unknown>([['time', timestampFromDate(new Date(iso))]]) }) as any;

describe('googleExpiryCondition: the IAM condition on every Google binding', () => {
  test('title and description name owner and purpose; the expression is the expiry instant', () => {
    const c = googleExpiryCondition({ team: 'billing', contact: 'billing@example.com', purpose: 'Reads nightly billing exports', expires: '2027-06-30' });
    expect(c).toEqual({
      title: 'nhi: billing until 2027-06-30',
      description: 'Expires 2027-06-30T00:00:00Z (nhi-constructs). Owner billing <billing@example.com>. Purpose: Reads nightly billing exports',
      expression: 'request.time < timestamp("2027-06-30T00:00:00Z")',
    });
  });

  test('CEL: true up to the last instant before expiry, false from 00:00 UTC on the expiry date', () => {
    const e = googleExpiryExpression('2027-06-30');
    expect(run(e, at('2026-11-23T12:00:00Z'))).toBe(true);
    expect(run(e, at('2027-06-29T23:59:59.999Z'))).toBe(true);
    expect(run(e, at('2027-06-30T00:00:00Z'))).toBe(false);
    expect(run(e, at('2031-01-01T00:00:00Z'))).toBe(false);
  });

  test('property: for any date, CEL agrees with the expiry instant and the expression parses back', () => {
    fc.assert(fc.property(fc.integer({ min: 18000, max: 40000 }), fc.integer({ min: -3 * 86400, max: 3 * 86400 }), (day, offset) => {
      const date = formatIsoDate(day);
      const e = googleExpiryExpression(date);
      const t = day * 86400 + offset;
      expect(run(e, at(new Date(t * 1000).toISOString()))).toBe(offset < 0);
      expect(parseGoogleExpiryExpression(e)).toBe(date);
    }), { numRuns: 200 });
  });

  test('long purposes and contacts are shortened to the condition limits', () => {
    const c = googleExpiryCondition({ team: 't'.repeat(63), contact: `${'c'.repeat(60)}@example.com`, purpose: 'ünïcödé purpose '.repeat(40), expires: '2027-06-30' });
    expect(c.title.length).toBeLessThanOrEqual(100);
    expect(utf8Length(c.description)).toBeLessThanOrEqual(256);
    expect(c.description.endsWith('…')).toBe(true);
    expect(() => googleExpiryExpression('2027-02-30')).toThrow(/YYYY-MM-DD/);
    expect(parseGoogleExpiryExpression('request.time < timestamp("2027-02-30T00:00:00Z")')).toBeUndefined();
  });
});
