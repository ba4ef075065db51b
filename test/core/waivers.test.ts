import { Construct } from 'constructs';
import { checkWaiver, registerWaivers, Waiver, Waivers } from '../../lib/core/waivers';
import { violation } from '../../lib/core/violation';

const OWNER = { team: 'platform', contact: 'platform@example.com' };
const W: Waiver = { code: 'NHI_SCOPE_PRIVILEGED', path: 'app/stack/Sa', owner: OWNER, reason: 'Needed until the migration completes', expires: '2027-01-31' };

function tree(today = '2026-11-23') {
  const app = new Construct(undefined as any, '');
  app.node.setContext('nhi:today', today);
  const stack = new Construct(app, 'stack');
  return { app, stack };
}

describe('checkWaiver: a waiver follows the same rules as an identity', () => {
  test('Compliance: a well-formed waiver, and one already expired (reported at use)', () => {
    expect(checkWaiver(W, '2026-11-23', 365)).toEqual([]);
    expect(checkWaiver({ ...W, expires: '2026-11-01' }, '2026-11-23', 365)).toEqual([]);
  });

  test('Noncompliance: path and resourceType together, or neither', () => {
    expect(checkWaiver({ ...W, resourceType: 'aws_iam_user' }, '2026-11-23', 365).map((v) => v.code)).toEqual(['NHI_WAIVER_INVALID']);
    expect(checkWaiver({ ...W, path: undefined }, '2026-11-23', 365).map((v) => v.code)).toEqual(['NHI_WAIVER_INVALID']);
  });

  test('Noncompliance: bad code, vague reason, too far expiry', () => {
    expect(checkWaiver({ ...W, code: 'oops', reason: 'todo', expires: '2029-01-01' }, '2026-11-23', 365).map((v) => [v.code, v.field])).toEqual([
      ['NHI_WAIVER_INVALID', 'waiver.code'], ['NHI_PURPOSE_VAGUE', 'waiver.reason'], ['NHI_EXPIRY_TOO_FAR', 'waiver.expires'],
    ]);
  });
});

describe('Waivers: inherited, matching, expiring', () => {
  const finding = violation('NHI_SCOPE_PRIVILEGED', 'scope[0].actions[0]', 'm', 'f', 'iam:PassRole', []);

  test('a waiver on the app covers a finding on the exact path below it', () => {
    const { app, stack } = tree();
    Waivers.of(app).add({ ...W, path: 'stack/Sa' });
    expect(Waivers.of(stack).inForce()).toHaveLength(1);
    expect(Waivers.of(stack).filter('stack/Sa', [finding])).toEqual([]);
    expect(Waivers.of(stack).filter('stack/Other', [finding])).toEqual([finding]);
  });

  test('an expired waiver (yesterday) no longer waives, and the result names it once', () => {
    const { app, stack } = tree('2026-11-01');
    Waivers.of(app).add({ ...W, path: 'stack/Sa', expires: '2026-11-22' });
    const out = Waivers.of(stack).filter('stack/Sa', [finding, finding], '2026-11-23');
    expect(out.map((v) => v.code)).toEqual(['NHI_SCOPE_PRIVILEGED', 'NHI_WAIVER_EXPIRED', 'NHI_SCOPE_PRIVILEGED']);
    expect(out[1].message).toContain('expired on 2026-11-22');
  });

  test('registerWaivers: sorted, stable keys', () => {
    expect(registerWaivers([{ ...W, code: 'NHI_Z' }, { ...W, path: undefined, resourceType: 'aws_iam_user' }, W]).map((w) => w.code)).toEqual(['NHI_SCOPE_PRIVILEGED', 'NHI_SCOPE_PRIVILEGED', 'NHI_Z']);
    expect(Object.keys(registerWaivers([W])[0])).toEqual(['code', 'path', 'owner', 'reason', 'expires']);
  });
});
