import { DEFAULT_POLICY, ResolvedGovernancePolicy } from '../../../lib/core/policy';
import { checkRotation, checkStaticCredentials } from '../../../lib/core/rules/rotation';

const policy = (p: Partial<ResolvedGovernancePolicy> = {}): ResolvedGovernancePolicy => ({ ...DEFAULT_POLICY, ...p });
const JUSTIFIED = 'On-premises batch host cannot assume roles';

describe('checkRotation: secrets are rotated at least every maxRotationDays', () => {
  test('Compliance: unset, 1 day, and exactly the maximum', () => {
    expect(checkRotation(undefined, policy())).toEqual([]);
    expect(checkRotation(null, policy())).toEqual([]);
    expect(checkRotation(1, policy())).toEqual([]);
    expect(checkRotation(90, policy())).toEqual([]);
  });

  test.each([[0], [-7], [1.5], [NaN], [Infinity], ['30'], [{}]])('Noncompliance 1: %p is NHI_ROTATION_INVALID', (days) => {
    const vs = checkRotation(days, policy());
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_ROTATION_INVALID', field: 'rotationDays', risks: ['NHI7', 'NHI2'] })]);
    expect(vs[0].message).toMatch(/whole number of days, at least 1/);
    expect(vs[0].fix).toBe('set rotationDays to e.g. 30');
  });

  test('Noncompliance 2: longer than the maximum is NHI_ROTATION_TOO_LONG', () => {
    const vs = checkRotation(91, policy());
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_ROTATION_TOO_LONG', field: 'rotationDays', given: '91' })]);
    expect(vs[0].message).toContain('(90 days)');
    expect(vs[0].fix).toBe('set rotationDays to 90 or less');
  });

  test('Noncompliance 3: the policy sets the maximum', () => {
    const vs = checkRotation(30, policy({ maxRotationDays: 14, defaultRotationDays: 7 }), 'keys.rotationDays');
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_ROTATION_TOO_LONG', field: 'keys.rotationDays' })]);
    expect(vs[0].fix).toBe('set keys.rotationDays to 14 or less');
  });
});

describe('checkStaticCredentials: long-lived credentials are an explicit, justified opt-in', () => {
  test('Compliance: not opted in', () => {
    for (const v of [undefined, null, false]) expect(checkStaticCredentials(v, policy())).toEqual([]);
  });

  test('Compliance: opted in with a justification (and optional rotation)', () => {
    expect(checkStaticCredentials({ justification: JUSTIFIED }, policy())).toEqual([]);
    expect(checkStaticCredentials({ justification: JUSTIFIED, rotationDays: 7 }, policy())).toEqual([]);
  });

  test.each([[true], [{}], [{ justification: '' }], [{ justification: 'tbd' }], [{ justification: 'legacy' }], [{ justification: 'needed it' }], [{ justification: 42 }], ['yes']])(
    'Noncompliance 1: %p is NHI_STATIC_CREDENTIALS_UNJUSTIFIED', (opts) => {
      const vs = checkStaticCredentials(opts, policy());
      expect(vs).toEqual([expect.objectContaining({
        code: 'NHI_STATIC_CREDENTIALS_UNJUSTIFIED', field: 'staticCredentials.justification', risks: ['NHI7', 'NHI2', 'NHI4'],
      })]);
      expect(vs[0].message).toMatch(/justification of at least three words/);
      expect(vs[0].fix).toMatch(/prefer workload identity \(remove staticCredentials\)/);
    });

  test('Noncompliance 2: the rotation of static credentials is checked under their field', () => {
    const vs = checkStaticCredentials({ justification: JUSTIFIED, rotationDays: 365 }, policy(), 'keys');
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_ROTATION_TOO_LONG', field: 'keys.rotationDays', given: '365' })]);
  });

  test('Noncompliance 3: unjustified and badly rotated are reported together', () => {
    expect(checkStaticCredentials({ rotationDays: 0 }, policy()).map((v) => [v.code, v.field])).toEqual([
      ['NHI_STATIC_CREDENTIALS_UNJUSTIFIED', 'staticCredentials.justification'],
      ['NHI_ROTATION_INVALID', 'staticCredentials.rotationDays'],
    ]);
  });
});
