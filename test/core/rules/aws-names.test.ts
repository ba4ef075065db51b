import { checkApiKeyName, checkAwsIamName, checkIamPath } from '../../../lib/core/rules/aws-names';

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

describe('checkAwsIamName: optional names and names with tokens (checked as far as they are known)', () => {
  const CDK = '${Token[TOKEN.123]}';
  const TF = '${TfToken[TOKEN.4]}';

  test('Compliance: an optional name may be left out; tokens alone or around valid text are accepted', () => {
    expect(checkAwsIamName(undefined, 'name', 64, { optional: true })).toEqual([]);
    for (const n of [CDK, TF, `billing-${CDK}`, `${TF}-reader`, `${'a'.repeat(60)}${CDK}`, `#{Token[TOKEN.9]}`]) expect(checkAwsIamName(n)).toEqual([]);
  });

  test('Noncompliance 1: an empty optional name says it can be left out', () => {
    for (const n of ['', null, 7]) {
      const [v] = checkAwsIamName(n, 'name', 64, { optional: true });
      expect(v).toMatchObject({ code: 'NHI_NAME_INVALID', field: 'name' });
      expect(v.fix).toContain('leave it out');
    }
  });

  test('Noncompliance 2: invalid characters or too much text around a token; the fix never quotes the token', () => {
    const [chars] = checkAwsIamName(`billing/${CDK} x`);
    expect(chars).toMatchObject({ code: 'NHI_NAME_INVALID', message: expect.stringContaining('"/", " "') });
    expect(chars.fix).not.toMatch(/TOKEN|Token/);
    const [long] = checkAwsIamName(`${'a'.repeat(33)}${TF}`, 'userName', 32);
    expect(long).toMatchObject({ code: 'NHI_NAME_INVALID', field: 'userName', message: expect.stringContaining('at most 32') });
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

  test('tokens: accepted alone or around printable text; an optional name may be left out', () => {
    expect(checkApiKeyName('${Token[TOKEN.5]}')).toEqual([]);
    expect(checkApiKeyName('partner ${TfToken[TOKEN.1]}')).toEqual([]);
    expect(checkApiKeyName(undefined, 'name', { optional: true })).toEqual([]);
    expect(checkApiKeyName(`${'x'.repeat(129)}\${Token[TOKEN.5]}`)[0].code).toBe('NHI_NAME_INVALID');
    expect(checkApiKeyName('tab\t${Token[TOKEN.5]}')[0].code).toBe('NHI_NAME_INVALID');
    expect(checkApiKeyName('', 'name', { optional: true })[0].fix).toContain('leave it out');
  });
});

describe('checkIamPath: an IAM path is / or /segments/ of printable ASCII (found by the fuzz test)', () => {
  test('Compliance: absent, /, nested paths, tokens', () => {
    for (const p of [undefined, null, '/', '/nhi/', '/nhi/billing-team/', '${var.path}']) expect(checkIamPath(p)).toEqual([]);
  });

  test.each([[''], ['nhi'], ['/nhi'], ['nhi/'], ['/n hi/'], ['/é/'], [`/${'a'.repeat(511)}/`], [1], [{}], [Object.create(null)], [['/nhi/']]])('Noncompliance NHI_NAME_INVALID: %p', (p) => {
    expect(checkIamPath(p).map((v) => [v.code, v.field])).toEqual([['NHI_NAME_INVALID', 'iamPath']]);
  });
});
