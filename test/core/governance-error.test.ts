import { GovernanceError, GovernanceErrors } from '../../lib/core/governance-error';
import { NhiRisk, violation } from '../../lib/core/violation';

const V1 = violation('NHI_EXPIRY_PAST', 'expires', 'is not after today (2026-01-15)', 'set a later date', '2025-01-01', [NhiRisk.NHI1]);
const V2 = violation('NHI_OWNER_MISSING', 'owner', 'every identity needs an accountable owner', 'set owner', undefined, [NhiRisk.NHI1, NhiRisk.NHI9]);

describe('GovernanceError: every violation at once, with path, field, given value and fix', () => {
  test('Compliance: throwIfAny does nothing without violations', () => {
    expect(() => GovernanceError.throwIfAny('Stack/Id', [])).not.toThrow();
  });

  test('Noncompliance 1: the error is an Error named GovernanceError carrying path and violations', () => {
    let err: unknown;
    try {
      GovernanceError.throwIfAny('Stack/Reader', [V1, V2]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GovernanceError);
    expect(err).toBeInstanceOf(Error);
    const g = err as GovernanceError;
    expect(g.name).toBe('GovernanceError');
    expect(g.path).toBe('Stack/Reader');
    expect(g.violations).toEqual([V1, V2]);
    expect(String(g)).toMatch(/^GovernanceError: 2 governance violations in Stack\/Reader:/);
    expect(g.stack).toContain('GovernanceError');
  });

  test('Noncompliance 2: the message has one line per violation with code, field, message, given and fix', () => {
    expect(new GovernanceError('Stack/Reader', [V1, V2]).message).toBe([
      '2 governance violations in Stack/Reader:',
      '  - [NHI_EXPIRY_PAST] expires: is not after today (2026-01-15) (given: "2025-01-01"). Fix: set a later date',
      '  - [NHI_OWNER_MISSING] owner: every identity needs an accountable owner (nothing was given). Fix: set owner',
    ].join('\n'));
    expect(GovernanceError.format('A', [V1])).toMatch(/^1 governance violation in A:\n/);
  });

  test('GovernanceErrors.isGovernanceError / violationsOf work on the class and on errors from other jsii languages', () => {
    const err = new GovernanceError('S/I', [V1]);
    expect(GovernanceErrors.isGovernanceError(err)).toBe(true);
    expect(GovernanceErrors.violationsOf(err)).toEqual([V1]);
    expect(GovernanceErrors.violationsOf(err)).not.toBe(err.violations);
    const foreign = Object.assign(new Error('x'), { name: 'GovernanceError', violations: [V2] });
    expect(GovernanceErrors.isGovernanceError(foreign)).toBe(true);
    expect(GovernanceErrors.violationsOf(foreign)).toEqual([V2]);
    for (const x of [new Error('x'), new TypeError('t'), null, undefined, 'GovernanceError', { name: 'GovernanceError' }]) {
      expect(GovernanceErrors.isGovernanceError(x)).toBe(false);
      expect(GovernanceErrors.violationsOf(x)).toEqual([]);
    }
  });
});
