import * as fc from 'fast-check';
import { evaluateTemplate, hasUnknown, isRef, isUnknown, refAddress, refAttribute, renderValue } from '../../../lib/core/artifact/expression';

const none = () => undefined;

describe('evaluateTemplate: the Terraform expressions a synthesised artifact holds', () => {
  test.each([
    ['${join("", ["arn:aws:s3:::", "*"])}', 'arn:aws:s3:::*'],
    ['${lower("Billing-Reader")}', 'billing-reader'],
    ['${upper("x")}', 'X'],
    ['${format("serviceAccount:%s@%s.iam.gserviceaccount.com", "a-reader", "acme-prod")}', 'serviceAccount:a-reader@acme-prod.iam.gserviceaccount.com'],
    ['${replace("a-b-c", "-", "_")}', 'a_b_c'],
    ['${trimspace("  x ")}', 'x'],
    ['${element(["a", "b"], 1)}', 'b'],
    ['pre-${"x"}-post', 'pre-x-post'],
    ['$${literal}', '${literal}'],
    ['${jsonencode({"a" = "b"})}', '{"a":"b"}'],
    ['${join("/", split(":", "a:b"))}', 'a/b'],
  ])('Compliance: %s evaluates to %s', (text, value) => {
    expect(evaluateTemplate(text, none)).toEqual(value);
  });

  test('a lone plain reference (read without the parser) evaluates as the parser reads it', () => {
    // `${ x }` (spaces) always goes through the parser: the oracle for `${x}`.
    const segment = fc.stringMatching(/^[A-Za-z0-9_*-]{1,8}$/);
    const head = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/), fc.constantFrom('true', 'false', 'null', 'data', 'var'));
    fc.assert(fc.property(head, fc.array(segment, { minLength: 1, maxLength: 4 }), fc.constantFrom('found', 'missing', 'ref'), (h, rest, mode) => {
      const ref = [h, ...rest].join('.');
      const lookup = (r: string) => (mode === 'found' ? `value of ${r}` : mode === 'ref' ? { ref: `${r}.resolved` } : undefined);
      const direct = evaluateTemplate(`\${${ref}}`, lookup);
      const parsed = evaluateTemplate(`\${ ${ref} }`, lookup);
      // `true.x`: not a reference; both unknown (their text differs by the spaces).
      if (['true', 'false', 'null'].includes(h)) expect(isUnknown(direct) && isUnknown(parsed)).toBe(true);
      else expect(direct).toEqual(parsed);
    }), { numRuns: Number(process.env.FUZZ_RUNS ?? 500) });
  });

  test('Compliance: a reference is looked up, and kept as a reference when unknown', () => {
    const lookup = (ref: string) => (ref === 'aws_iam_role.r.name' ? 'reader' : undefined);
    expect(evaluateTemplate('${lower(aws_iam_role.r.name)}', lookup)).toBe('reader');
    const v = evaluateTemplate('${aws_iam_role.r.arn}', lookup);
    expect(isRef(v) && v.ref).toBe('aws_iam_role.r.arn');
    expect(renderValue(evaluateTemplate('${aws_s3_bucket.b.arn}/*', lookup))).toBe('${aws_s3_bucket.b.arn}/*');
  });

  test('Noncompliance: a function of an unknown value, an operator or an unknown function is unknown', () => {
    expect(isUnknown(evaluateTemplate('${lower(var.name)}', none))).toBe(true);
    expect(isUnknown(evaluateTemplate('${var.a == "x" ? "a" : "b"}', none))).toBe(true);
    expect(isUnknown(evaluateTemplate('${sha256("x")}', none))).toBe(true);
    expect(hasUnknown(renderValue(evaluateTemplate('{"Resource":"${lower(var.x)}"}', none)))).toBe(true);
  });

  test('Compliance: malformed expressions are unknown, never an exception', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const v = evaluateTemplate('${' + s, none);
      expect(v).toBeDefined();
      evaluateTemplate(`\${${s}}`, none);
    }));
  });

  test('Compliance: addresses and attributes of references', () => {
    expect(refAddress('aws_iam_role.r.arn')).toBe('aws_iam_role.r');
    expect(refAddress('data.aws_iam_role.r.name')).toBe('data.aws_iam_role.r');
    expect(refAddress('var.x')).toBeUndefined();
    expect(refAttribute('data.aws_iam_role.r.name')).toBe('name');
  });
});
