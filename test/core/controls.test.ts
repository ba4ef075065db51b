import { identityControls, NHI_RISK_TITLES, sortRisks } from '../../lib/core/controls';
import { NhiRisk } from '../../lib/core/violation';

describe('identityControls: the OWASP NHI Top 10 risks a governed identity mitigates', () => {
  test('Compliance: workload identity vs static secret', () => {
    expect(identityControls(false)).toEqual(['NHI1', 'NHI4', 'NHI5', 'NHI7']);
    expect(identityControls(true)).toEqual(['NHI1', 'NHI2', 'NHI5', 'NHI7']);
  });

  test('sortRisks sorts numerically and removes duplicates', () => {
    expect(sortRisks(['NHI10', 'NHI2', 'NHI1', 'NHI2'])).toEqual(['NHI1', 'NHI2', 'NHI10']);
  });

  test('every risk has a title', () => {
    expect(Object.keys(NHI_RISK_TITLES).sort()).toEqual(Object.values(NhiRisk).sort());
  });
});
