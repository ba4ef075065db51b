import * as fc from 'fast-check';
import { awsGovernanceTags, googleGovernanceLabels, sanitizeAwsTagValue, sanitizeGoogleLabelValue } from '../../lib/core/tags';

// AWS tag values: Unicode letters, separators (spaces), numbers and _ . : / = + - @, at most 256 characters.
const AWS_TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const GOOGLE_LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
const INPUT = {
  team: 'payments-platform',
  contact: 'payments@example.com',
  purpose: 'Reads nightly billing exports (CSV, ~2 GB) for the reporting job!',
  expires: '2026-06-30',
  path: 'BillingStack/ExportReader',
};

describe('awsGovernanceTags / googleGovernanceLabels: one documented, prefixed key set', () => {
  test('Compliance: AWS tags in the fixed key order, values sanitised', () => {
    const tags = awsGovernanceTags({ ...INPUT, rotationDays: 30 });
    expect(Object.keys(tags)).toEqual([
      'nhi:owner-team', 'nhi:owner-contact', 'nhi:purpose', 'nhi:expires', 'nhi:rotation-days', 'nhi:managed-by', 'nhi:id',
    ]);
    expect(tags['nhi:purpose']).toBe('Reads nightly billing exports CSV 2 GB for the reporting job');
    expect(tags['nhi:owner-contact']).toBe('payments@example.com');
    expect(tags['nhi:rotation-days']).toBe('30');
    expect(tags['nhi:managed-by']).toBe('nhi-constructs');
  });

  test('Compliance: Google labels with the same fields, no rotation label without rotation', () => {
    const labels = googleGovernanceLabels(INPUT);
    expect(labels).toEqual({
      'nhi-owner-team': 'payments-platform',
      'nhi-owner-contact': 'payments_at_example_com',
      'nhi-purpose': 'reads_nightly_billing_exports_csv_2_gb_for_the_reporting_job',
      'nhi-expires': '2026-06-30',
      'nhi-managed-by': 'nhi-constructs',
      'nhi-id': 'billingstack_exportreader',
    });
    for (const k of Object.keys(labels)) expect(k).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
  });

  test('Compliance: long and non-ASCII values are cut to each cloud\'s limits', () => {
    expect(sanitizeAwsTagValue('ä'.repeat(300))).toBe('ä'.repeat(256));
    expect(sanitizeAwsTagValue('  a\t\n b  ')).toBe('a b');
    expect(sanitizeAwsTagValue('a'.repeat(255) + ' b')).toBe('a'.repeat(255));
    expect(sanitizeGoogleLabelValue('Zählerstände')).toBe('z_hlerst_nde');
    expect(sanitizeGoogleLabelValue('x'.repeat(100))).toHaveLength(63);
    expect(sanitizeGoogleLabelValue('__Hello__')).toBe('hello');
    expect(sanitizeAwsTagValue('\uD800team\u0000#1')).toBe('team 1');
    expect(sanitizeGoogleLabelValue('\uD800team')).toBe('team');
  });

  test('property: AWS tag values are always within the AWS charset and 256 characters', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
      const v = sanitizeAwsTagValue(s);
      expect(v).toMatch(AWS_TAG_VALUE);
      expect(Array.from(v).length).toBeLessThanOrEqual(256);
      expect(v).toBe(v.trim());
      expect(sanitizeAwsTagValue(v)).toBe(v);
    }), { numRuns: 200 });
  });

  test('property: Google label values always match ^[a-z0-9_-]{0,63}$', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      expect(sanitizeGoogleLabelValue(s)).toMatch(GOOGLE_LABEL_VALUE);
    }), { numRuns: 200 });
  });

  test('property: already-valid values pass through unchanged', () => {
    const lower = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'.split('')), minLength: 1, maxLength: 63 });
    fc.assert(fc.property(lower, (s) => {
      expect(sanitizeGoogleLabelValue(s)).toBe(s);
      expect(sanitizeAwsTagValue(s)).toBe(s);
    }), { numRuns: 200 });
  });

  test('property: every tag and label of any input is valid for its cloud', () => {
    const str = fc.string({ unit: 'grapheme', maxLength: 300 });
    fc.assert(fc.property(str, str, str, str, str, fc.option(fc.integer({ min: 1, max: 90 }), { nil: undefined }),
      (team, contact, purpose, expires, path, rotationDays) => {
        const input = { team, contact, purpose, expires, path, rotationDays };
        for (const v of Object.values(awsGovernanceTags(input))) {
          expect(v).toMatch(AWS_TAG_VALUE);
          expect(Array.from(v).length).toBeLessThanOrEqual(256);
        }
        for (const v of Object.values(googleGovernanceLabels(input))) expect(v).toMatch(GOOGLE_LABEL_VALUE);
      }), { numRuns: 200 });
  });
});
