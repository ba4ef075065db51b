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

describe('GovernanceError: printed by Node when uncaught', () => {
  test('a script whose governed construct breaks the rules prints "GovernanceError: ..." and the list, with no object dump', () => {
    const { spawnSync } = require('child_process') as typeof import('child_process');
    const path = require('path') as typeof import('path');
    const lib = path.resolve(__dirname, '../../lib');
    const script = [
      "const { App, TerraformStack } = require('cdktf');",
      `const { GovernedServiceAccount } = require(${JSON.stringify(path.join(lib, 'cdktf-aws'))});`,
      "const app = new App({ context: { 'nhi:today': '2026-11-23' } });",
      "const stack = new TerraformStack(app, 'app');",
      "new GovernedServiceAccount(stack, 'Reader', { owner: { team: 'billing', contact: 'not-an-email' }, purpose: 'stuff',",
      "  expires: '2026-01-01', name: 'billing-reader', scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-exports/*'] }],",
      "  assumedBy: { service: 'lambda.amazonaws.com' } });",
    ].join('\n');
    const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), '-e', script], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    const stderr = r.stderr;
    expect(stderr).toMatch(/^GovernanceError: 3 governance violations in app\/Reader:\n {2}- \[NHI_OWNER_CONTACT_INVALID\] owner\.contact: /m);
    expect(stderr).toMatch(/^ {2}- \[NHI_PURPOSE_VAGUE\] purpose: .*Fix: /m);
    expect(stderr).toMatch(/^ {2}- \[NHI_EXPIRY_PAST\] expires: .*Fix: /m);
    expect(stderr).not.toContain('GovernanceErrorImpl');
    // No object dump after the stack: neither the path nor the violations as properties.
    expect(stderr).not.toMatch(/violations: \[|path: '|code: '/);
    expect(stderr.trimEnd().split('\n').pop()).toMatch(/^Node\.js v\d+/);
  });
});
