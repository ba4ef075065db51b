import { DEFAULT_POLICY } from '../../../lib/core/policy';
import { checkTags } from '../../../lib/core/rules/tags';

const policy = { ...DEFAULT_POLICY, requiredTags: { 'cost-center': [], 'data-class': ['public', 'internal'] } };

describe('checkTags: the policy\'s required tags', () => {
  test('Compliance: all present with allowed values; nothing required', () => {
    expect(checkTags({ 'cost-center': 'cc-1', 'data-class': 'public' }, policy)).toEqual([]);
    expect(checkTags(undefined, DEFAULT_POLICY)).toEqual([]);
  });
  test('Noncompliance: a map token (cdktf Token.asStringMap, its key is the token) cannot be merged or checked', () => {
    for (const key of ['&{TfToken[TOKEN.3]}', '${Token[TOKEN.5]}']) {
      const vs = checkTags({ [key]: 'String Map Token Value' }, DEFAULT_POLICY);
      expect(vs.map((v) => [v.code, v.field])).toEqual([['NHI_TAG_INVALID', 'tags']]);
      expect(vs[0].message).toMatch(/map token/);
    }
    // Values may be references.
    expect(checkTags({ 'cost-center': '${var.cc}' }, DEFAULT_POLICY)).toEqual([]);
  });
  test('Noncompliance 1: missing and empty required tags', () => {
    expect(checkTags({ 'cost-center': ' ' }, policy).map((v) => [v.code, v.field])).toEqual([
      ['NHI_TAG_MISSING', 'tags.cost-center'], ['NHI_TAG_MISSING', 'tags.data-class'],
    ]);
  });
  test('Noncompliance 2: a value not allowed', () => {
    expect(checkTags({ 'cost-center': 'x', 'data-class': 'secret' }, policy)[0]).toMatchObject({ code: 'NHI_TAG_NOT_ALLOWED', fix: 'use one of: public, internal' });
  });
  test('Noncompliance 3: not a string map', () => {
    expect(checkTags({ a: 1 }, DEFAULT_POLICY)[0].code).toBe('NHI_TAG_INVALID');
    expect(checkTags(['a'], DEFAULT_POLICY)[0].code).toBe('NHI_TAG_INVALID');
  });
});
