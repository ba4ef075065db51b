import { checkNoTrustWithStaticCredentials } from '../../../lib/core/rules/aws-trust';

describe('checkNoTrustWithStaticCredentials: static credentials replace the role', () => {
  test('Noncompliance: assumedBy beside static credentials', () => {
    expect(checkNoTrustWithStaticCredentials({ service: 'lambda.amazonaws.com' })[0]).toMatchObject({ code: 'NHI_TRUST_INVALID', field: 'assumedBy' });
    expect(checkNoTrustWithStaticCredentials({}, '<principal>')[0].given).toBe('"<principal>"');
  });
  test('Compliance: no assumedBy', () => {
    expect(checkNoTrustWithStaticCredentials(undefined)).toEqual([]);
  });
});
