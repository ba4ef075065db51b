import { checkApiKeyName, checkAwsIamName } from '../../../lib/core/rules/aws-names';

describe('checkAwsIamName: IAM role and user names are 1-64 of letters, digits and +=,.@_-', () => {
  test('Compliance: valid names, up to the maximum length', () => {
    for (const n of ['billing-report-reader', 'a', 'svc+ci=prod,eu.x@y_z', 'a'.repeat(64)]) expect(checkAwsIamName(n)).toEqual([]);
    expect(checkAwsIamName('a'.repeat(32), 'userName', 32)).toEqual([]);
  });

  test.each([[undefined], [null], [''], [42]])('Noncompliance 1: %p is NHI_NAME_INVALID (no name)', (name) => {
    const vs = checkAwsIamName(name);
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_NAME_INVALID', field: 'name', risks: ['NHI1'] })]);
    expect(vs[0].message).toMatch(/a name reviewers can find/);
    expect(vs[0].fix).toContain('billing-report-reader');
  });

  test.each([
    ['billing reader', 'billing-reader'],
    ['billing/reader!', 'billing-reader-'],
    ['a'.repeat(65), 'a'.repeat(64)],
  ])('Noncompliance 2: %j is NHI_NAME_INVALID with a corrected suggestion', (name, suggestion) => {
    const vs = checkAwsIamName(name);
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_NAME_INVALID', field: 'name', given: JSON.stringify(name) })]);
    expect(vs[0].message).toBe('must be 1-64 characters of letters, digits and + = , . @ _ -');
    expect(vs[0].fix).toBe(`use e.g. '${suggestion}'`);
  });

  test('Noncompliance 3: the maximum and the field are the caller\'s', () => {
    const vs = checkAwsIamName('a'.repeat(33), 'userName', 32);
    expect(vs[0]).toMatchObject({ code: 'NHI_NAME_INVALID', field: 'userName', message: expect.stringContaining('1-32') });
  });
});

describe('checkApiKeyName: API Gateway key names are 1-128 printable characters', () => {
  test('Compliance: printable names', () => {
    expect(checkApiKeyName('partner-acme-orders')).toEqual([]);
    expect(checkApiKeyName('Partner ACME / Orders (prod)')).toEqual([]);
    expect(checkApiKeyName('x'.repeat(128))).toEqual([]);
  });

  test.each([[undefined], [''], ['   '], ['x'.repeat(129)], ['tab\there'], [7]])('Noncompliance 1: %p is NHI_NAME_INVALID', (name) => {
    const vs = checkApiKeyName(name, 'keyName');
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_NAME_INVALID', field: 'keyName', message: 'must be 1-128 printable characters' })]);
    expect(vs[0].fix).toContain('partner-acme-orders');
  });
});
