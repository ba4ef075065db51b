import { Construct } from 'constructs';
import { GovernanceError } from '../../lib/core/governance-error';
import { checkPolicy, DEFAULT_POLICY, GovernancePolicy } from '../../lib/core/policy';

function tree() {
  const app = new Construct(undefined as any, '');
  const stack = new Construct(app, 'Stack');
  const group = new Construct(stack, 'Group');
  const id = new Construct(group, 'Identity');
  return { app, stack, group, id };
}

function policyError(fn: () => unknown): GovernanceError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GovernanceError);
    return e as GovernanceError;
  }
  throw new Error('expected a GovernanceError');
}

describe('GovernancePolicy: organisation limits set on a scope, closest wins', () => {
  test('Compliance: the built-in defaults where no scope sets a policy', () => {
    const { id } = tree();
    expect(GovernancePolicy.of(id).resolve()).toEqual({
      maxLifetimeDays: 365, maxRotationDays: 90, defaultRotationDays: 30, reminderDays: 30, forbiddenActions: [], forbidPrefixWildcards: false, requiredTags: {},
      environmentAccounts: {}, requireSystem: false, requireEnvironment: false, requireApproval: false, requireApprovalIn: [], vendorMaxLifetimeDays: 90,
    });
    expect(DEFAULT_POLICY).toEqual(GovernancePolicy.of(id).resolve());
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
  });

  test('Compliance: a policy on the app applies to every construct below it', () => {
    const { app, stack, id } = tree();
    GovernancePolicy.of(app).apply({ maxLifetimeDays: 180, allowedOwnerDomains: ['example.com'] });
    for (const s of [app, stack, id]) {
      expect(GovernancePolicy.of(s).resolve()).toMatchObject({ maxLifetimeDays: 180, allowedOwnerDomains: ['example.com'], maxRotationDays: 90 });
    }
  });

  test('Compliance: app vs stack vs construct, the closest scope wins per field', () => {
    const { app, stack, group, id } = tree();
    GovernancePolicy.of(app).apply({ maxLifetimeDays: 300, maxRotationDays: 60, reminderDays: 20 });
    GovernancePolicy.of(stack).apply({ maxLifetimeDays: 200, forbiddenActions: ['iam:CreateUser'] });
    GovernancePolicy.of(id).apply({ maxLifetimeDays: 90 });
    expect(GovernancePolicy.of(id).resolve()).toMatchObject({
      maxLifetimeDays: 90, maxRotationDays: 60, reminderDays: 20, forbiddenActions: ['iam:CreateUser'],
    });
    expect(GovernancePolicy.of(group).resolve()).toMatchObject({ maxLifetimeDays: 200, maxRotationDays: 60 });
    expect(GovernancePolicy.of(app).resolve()).toMatchObject({ maxLifetimeDays: 300, forbiddenActions: [] });
  });

  test('Compliance: a second apply on the same scope merges; undefined fields do not erase', () => {
    const { stack } = tree();
    GovernancePolicy.of(stack).apply({ maxLifetimeDays: 100 });
    GovernancePolicy.of(stack).apply({ reminderDays: 7, maxLifetimeDays: undefined });
    expect(GovernancePolicy.of(stack).resolve()).toMatchObject({ maxLifetimeDays: 100, reminderDays: 7 });
  });

  test('Compliance: apply does not add enumerable state to the construct', () => {
    const { stack } = tree();
    const before = Object.keys(stack);
    GovernancePolicy.of(stack).apply({ maxLifetimeDays: 100 });
    expect(Object.keys(stack)).toEqual(before);
  });

  test('Compliance: maxRotationDays below the built-in default lowers the default rotation with it', () => {
    const { app, id } = tree();
    GovernancePolicy.of(app).apply({ maxRotationDays: 14 });
    expect(GovernancePolicy.of(id).resolve()).toMatchObject({ maxRotationDays: 14, defaultRotationDays: 14 });
  });

  test('Compliance: plain JavaScript apply(undefined) is a no-op', () => {
    const { stack } = tree();
    GovernancePolicy.of(stack).apply(undefined as any);
    expect(GovernancePolicy.of(stack).resolve()).toEqual(DEFAULT_POLICY);
  });

  test.each([
    ['maxLifetimeDays', 0],
    ['maxLifetimeDays', -1],
    ['maxRotationDays', 1.5],
    ['defaultRotationDays', '30'],
    ['reminderDays', NaN],
    ['maxLifetimeDays', Infinity],
  ])('Noncompliance 1: %s = %p is NHI_POLICY_INVALID', (field, value) => {
    const { stack } = tree();
    const err = policyError(() => GovernancePolicy.of(stack).apply({ [field]: value } as any));
    expect(err.violations).toEqual([expect.objectContaining({ code: 'NHI_POLICY_INVALID', field })]);
    expect(err.violations[0].message).toMatch(/whole number of days greater than 0/);
    expect(err.message).toContain('GovernancePolicy on Stack');
  });

  test('Noncompliance 2: defaultRotationDays > maxRotationDays, on one scope', () => {
    const { stack } = tree();
    const err = policyError(() => GovernancePolicy.of(stack).apply({ maxRotationDays: 30, defaultRotationDays: 45 }));
    expect(err.violations).toEqual([expect.objectContaining({
      code: 'NHI_POLICY_INVALID', field: 'defaultRotationDays', given: '45',
      message: expect.stringContaining('maxRotationDays (30)'), fix: expect.stringContaining('at most maxRotationDays'),
    })]);
  });

  test('Noncompliance 3: defaultRotationDays > maxRotationDays across scopes, reported when resolved', () => {
    const { app, stack, id } = tree();
    GovernancePolicy.of(app).apply({ defaultRotationDays: 60 });
    GovernancePolicy.of(stack).apply({ maxRotationDays: 45 });
    const err = policyError(() => GovernancePolicy.of(id).resolve());
    expect(err.violations.map((v) => [v.code, v.field])).toEqual([['NHI_POLICY_INVALID', 'defaultRotationDays']]);
    expect(err.message).toContain('GovernancePolicy in force at Stack/Group/Identity');
  });

  test.each([
    ['allowedOwnerDomains', 'example.com'],
    ['allowedOwnerDomains', ['example.com', '']],
    ['allowedTeams', ['  ']],
    ['forbiddenActions', [42]],
    ['forbiddenActions', null],
  ])('Noncompliance 4: %s = %p is NHI_POLICY_INVALID', (field, value) => {
    const { app } = tree();
    const err = policyError(() => GovernancePolicy.of(app).apply({ [field]: value } as any));
    expect(err.violations).toEqual([expect.objectContaining({ code: 'NHI_POLICY_INVALID', field, message: 'must be a list of non-empty strings' })]);
    expect(err.message).toContain('GovernancePolicy on <app>');
  });

  test('Noncompliance 5: an invalid apply leaves the previous policy in force', () => {
    const { stack } = tree();
    GovernancePolicy.of(stack).apply({ maxLifetimeDays: 100 });
    expect(() => GovernancePolicy.of(stack).apply({ maxLifetimeDays: -5 })).toThrow(GovernanceError);
    expect(GovernancePolicy.of(stack).resolve().maxLifetimeDays).toBe(100);
  });

  test('Noncompliance 6: every invalid field is reported at once', () => {
    expect(checkPolicy({ maxLifetimeDays: 0, reminderDays: -3, allowedTeams: [''] } as any).map((v) => v.field))
      .toEqual(['maxLifetimeDays', 'reminderDays', 'allowedTeams']);
  });

  test('Compliance: checkPolicy accepts a full valid policy', () => {
    expect(checkPolicy({
      maxLifetimeDays: 90, maxRotationDays: 30, defaultRotationDays: 30, reminderDays: 14,
      allowedOwnerDomains: ['example.com'], allowedTeams: ['payments'], forbiddenActions: ['iam:CreateUser'],
    })).toEqual([]);
  });
});

describe('GovernancePolicy: required tags and environments', () => {
  test('Compliance: environment overrides merge over the chain, closest environment setting wins', () => {
    const { app, stack, id } = tree();
    GovernancePolicy.of(app).apply({ maxLifetimeDays: 300, environments: { prod: { maxLifetimeDays: 90 }, dev: { maxLifetimeDays: 30 } } });
    GovernancePolicy.of(stack).apply({ environment: 'prod', environments: { prod: { maxRotationDays: 30 } } });
    expect(GovernancePolicy.of(id).resolve()).toMatchObject({ environment: 'prod', maxLifetimeDays: 90, maxRotationDays: 30, defaultRotationDays: 30 });
    expect(GovernancePolicy.of(id).resolve('dev')).toMatchObject({ environment: 'dev', maxLifetimeDays: 30, maxRotationDays: 90 });
    expect(GovernancePolicy.of(app).resolve()).toMatchObject({ maxLifetimeDays: 300 });
    expect(GovernancePolicy.of(app).resolve()).not.toHaveProperty('environment');
  });

  test('Noncompliance: invalid requiredTags, environment and environments are NHI_POLICY_INVALID', () => {
    const { app } = tree();
    for (const bad of [
      { requiredTags: { 'cost-center': 'any' } },
      { environment: '' },
      { environments: { prod: { maxLifetimeDays: -1 } } },
      { environments: { prod: { environment: 'dev' } } },
    ]) {
      expect(() => GovernancePolicy.of(app).apply(bad as any)).toThrow(/NHI_POLICY_INVALID/);
    }
  });
});
