import { Construct } from 'constructs';
import { GovernanceError, GovernanceErrors } from '../../lib/core/governance-error';
import { governIdentity, IdentityDeclaration } from '../../lib/core/governance';
import { GovernancePolicy } from '../../lib/core/policy';
import { analyzeAwsScope } from '../../lib/core/rules/aws-scope';
import { checkAwsIamName } from '../../lib/core/rules/aws-names';

const TODAY = '2026-01-15';
const GOOD: IdentityDeclaration = {
  owner: { team: 'payments-platform', contact: 'payments@example.com' },
  purpose: 'Reads nightly billing exports for the reporting job',
  expires: '2026-06-30',
};

/** A real construct tree with "today" pinned on the root before any child is added. */
function tree(today = TODAY) {
  const app = new Construct(undefined as any, '');
  app.node.setContext('nhi:today', today);
  const stack = new Construct(app, 'BillingStack');
  const id = new Construct(stack, 'ExportReader');
  return { app, stack, id };
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

function governanceError(fn: () => unknown): GovernanceError {
  const e = catchError(fn);
  expect(e).not.toBeInstanceOf(TypeError);
  expect(e).toBeInstanceOf(GovernanceError);
  return e as GovernanceError;
}

const noTarget = () => [];

describe('governIdentity: every governance rule, one GovernanceError with every violation', () => {
  test('Compliance: a valid declaration resolves to what adapters translate', () => {
    const { id } = tree();
    const r = governIdentity(id, GOOD, noTarget);
    expect(r).toMatchObject({
      path: 'BillingStack/ExportReader',
      owner: { team: 'payments-platform', contact: 'payments@example.com' },
      purpose: 'Reads nightly billing exports for the reporting job',
      expires: '2026-06-30',
      expiresAt: '2026-06-30T00:00:00Z',
      reminderDate: '2026-05-31',
      policy: { maxLifetimeDays: 365, maxRotationDays: 90, defaultRotationDays: 30, reminderDays: 30 },
    });
    expect(r.rotationDays).toBeUndefined();
    expect(r.awsTags).toEqual({
      'nhi:owner-team': 'payments-platform',
      'nhi:owner-contact': 'payments@example.com',
      'nhi:purpose': 'Reads nightly billing exports for the reporting job',
      'nhi:expires': '2026-06-30',
      'nhi:managed-by': 'nhi-constructs',
      'nhi:id': 'BillingStack/ExportReader',
    });
    expect(r.googleLabels).toEqual({
      'nhi-owner-team': 'payments-platform',
      'nhi-owner-contact': 'payments_at_example_com',
      'nhi-purpose': 'reads_nightly_billing_exports_for_the_reporting_job',
      'nhi-expires': '2026-06-30',
      'nhi-managed-by': 'nhi-constructs',
      'nhi-id': 'billingstack_exportreader',
    });
  });

  test('Compliance: the owner and purpose are copied and trimmed, not aliased', () => {
    const { id } = tree();
    const owner = { team: 'payments-platform', contact: 'payments@example.com', extra: 'x' };
    const r = governIdentity(id, { ...GOOD, owner, purpose: `  ${GOOD.purpose}  ` }, noTarget);
    expect(r.owner).toEqual({ team: 'payments-platform', contact: 'payments@example.com' });
    expect(r.owner).not.toBe(owner);
    expect(r.purpose).toBe(GOOD.purpose);
  });

  test('Compliance: rotationDays defaults from the policy for secrets and static credentials', () => {
    const { app, stack, id } = tree();
    expect(governIdentity(id, GOOD, noTarget, true).rotationDays).toBe(30);
    expect(governIdentity(id, { ...GOOD, rotationDays: 7 }, noTarget, true).rotationDays).toBe(7);
    expect(governIdentity(id, { ...GOOD, staticCredentials: { justification: 'On-premises batch host cannot assume roles' } }, noTarget).rotationDays).toBe(30);
    expect(governIdentity(id, { ...GOOD, staticCredentials: { justification: 'On-premises batch host cannot assume roles', rotationDays: 10 } }, noTarget)
      .awsTags['nhi:rotation-days']).toBe('10');
    GovernancePolicy.of(app).apply({ defaultRotationDays: 14 });
    GovernancePolicy.of(stack).apply({ reminderDays: 7 });
    const r = governIdentity(id, GOOD, noTarget, true);
    expect(r.rotationDays).toBe(14);
    expect(r.reminderDate).toBe('2026-06-23');
    expect(r.googleLabels['nhi-rotation-days']).toBe('14');
  });

  test('Compliance: the target gets the policy in force and its violations join the others', () => {
    const { stack, id } = tree();
    GovernancePolicy.of(stack).apply({ forbiddenActions: ['s3:DeleteObject'] });
    let seen: unknown;
    governIdentity(id, GOOD, (p) => {
      seen = p.forbiddenActions;
      return [];
    });
    expect(seen).toEqual(['s3:DeleteObject']);
  });

  test('Noncompliance 1: every violation is reported at once, in one GovernanceError', () => {
    const { id } = tree();
    const err = governanceError(() => governIdentity(id, {
      owner: { team: 'Payments Team', contact: 'payments-at-example.com' },
      purpose: 'todo',
      expires: '2026-01-15',
      rotationDays: 120,
      staticCredentials: { justification: 'tbd' },
    }, (p) => [
      ...checkAwsIamName('export reader'),
      ...analyzeAwsScope([{ actions: ['s3:Get*', 'iam:PassRole'], resources: ['*'] }], p).violations,
    ], true));
    expect(err.name).toBe('GovernanceError');
    expect(GovernanceErrors.isGovernanceError(err)).toBe(true);
    expect(err.path).toBe('BillingStack/ExportReader');
    expect(err.violations.map((v) => [v.code, v.field])).toEqual([
      ['NHI_OWNER_TEAM_INVALID', 'owner.team'],
      ['NHI_OWNER_CONTACT_INVALID', 'owner.contact'],
      ['NHI_PURPOSE_VAGUE', 'purpose'],
      ['NHI_EXPIRY_PAST', 'expires'],
      ['NHI_NAME_INVALID', 'name'],
      ['NHI_SCOPE_WILDCARD', 'scope[0].actions[0]'],
      ['NHI_SCOPE_PRIVILEGED', 'scope[0].actions[1]'],
      ['NHI_SCOPE_WILDCARD', 'scope[0].resources[0]'],
      ['NHI_ROTATION_TOO_LONG', 'rotationDays'],
      ['NHI_STATIC_CREDENTIALS_UNJUSTIFIED', 'staticCredentials.justification'],
    ]);
    expect(err.message).toMatch(/^10 governance violations in BillingStack\/ExportReader:\n/);
    expect(err.message).toContain('  - [NHI_EXPIRY_PAST] expires: is not after today (2026-01-15) (given: "2026-01-15"). Fix: set a date between 2026-01-16 and 2027-01-15');
    expect(err.message).toContain('[NHI_OWNER_TEAM_INVALID] owner.team: is not a team slug');
    expect(err.message).toContain("given: \"Payments Team\"). Fix: use a slug such as 'payments-team'");
  });

  test('Noncompliance 2: "today" comes from the context on the root', () => {
    const { id } = tree('2026-07-01');
    const err = governanceError(() => governIdentity(id, GOOD, noTarget));
    expect(err.violations).toEqual([expect.objectContaining({ code: 'NHI_EXPIRY_PAST', message: 'is not after today (2026-07-01)' })]);
  });

  test('Noncompliance 3: the policy in force applies (lifetime, teams, domains, rotation)', () => {
    const { app, stack, id } = tree();
    GovernancePolicy.of(app).apply({ maxLifetimeDays: 90, allowedOwnerDomains: ['corp.example'], maxRotationDays: 14 });
    GovernancePolicy.of(stack).apply({ allowedTeams: ['identity'] });
    const err = governanceError(() => governIdentity(id, { ...GOOD, rotationDays: 30 }, noTarget, true));
    expect(err.violations.map((v) => v.code)).toEqual([
      'NHI_OWNER_TEAM_NOT_ALLOWED', 'NHI_OWNER_DOMAIN_NOT_ALLOWED', 'NHI_EXPIRY_TOO_FAR', 'NHI_ROTATION_TOO_LONG',
    ]);
    expect(err.message).toContain('Fix: use one of: identity');
    expect(err.message).toContain('Fix: use an address at corp.example');
  });

  test('Noncompliance 4: the static-credential field name is the construct\'s', () => {
    const { id } = tree();
    const err = governanceError(() => governIdentity(id, { ...GOOD, staticCredentials: {}, staticCredentialsField: 'keys' }, noTarget));
    expect(err.violations.map((v) => v.field)).toEqual(['keys.justification']);
    expect(err.violations[0].fix).toContain('remove keys');
  });

  describe('plain JavaScript callers get a GovernanceError, never a TypeError', () => {
    test('Noncompliance 5: no declaration at all', () => {
      const { id } = tree();
      const err = governanceError(() => governIdentity(id, undefined as any, () => []));
      expect(err.violations.map((v) => [v.code, v.field])).toEqual([
        ['NHI_OWNER_MISSING', 'owner'], ['NHI_PURPOSE_MISSING', 'purpose'], ['NHI_EXPIRY_MISSING', 'expires'],
      ]);
      expect(err.message).toContain('(nothing was given)');
      expect(governanceError(() => governIdentity(id, null as any, () => [])).violations).toHaveLength(3);
    });

    test('Noncompliance 6: nulls everywhere, an undefined scope and grants with missing fields', () => {
      const { id } = tree();
      const decl = { owner: { team: null, contact: null }, purpose: null, expires: null, rotationDays: null, staticCredentials: null };
      const e1 = governanceError(() => governIdentity(id, decl as any, (p) => analyzeAwsScope(undefined, p).violations));
      expect(e1.violations.map((v) => [v.code, v.field])).toEqual([
        ['NHI_OWNER_MISSING', 'owner.team'], ['NHI_OWNER_MISSING', 'owner.contact'], ['NHI_PURPOSE_MISSING', 'purpose'],
        ['NHI_EXPIRY_MISSING', 'expires'], ['NHI_SCOPE_EMPTY', 'scope'],
      ]);
      const e2 = governanceError(() => governIdentity(id, GOOD, (p) => analyzeAwsScope([{ actions: ['s3:GetObject'] }, null, { resources: [null] }], p).violations));
      expect(e2.violations.map((v) => v.field)).toEqual([
        'scope[0].resources', 'scope[1].actions', 'scope[1].resources', 'scope[2].actions', 'scope[2].resources[0]',
      ]);
    });

    test('Noncompliance 7: wrong types everywhere', () => {
      const { id } = tree();
      const decl = { owner: 'payments', purpose: 42, expires: 20260630, rotationDays: 'monthly', staticCredentials: 'yes please' };
      const err = governanceError(() => governIdentity(id, decl as any, noTarget, true));
      expect(err.violations.map((v) => v.code)).toEqual([
        'NHI_OWNER_MISSING', 'NHI_PURPOSE_MISSING', 'NHI_EXPIRY_INVALID', 'NHI_ROTATION_INVALID', 'NHI_STATIC_CREDENTIALS_UNJUSTIFIED',
      ]);
    });
  });

  test('Noncompliance 8: an invalid policy in force is itself a GovernanceError (NHI_POLICY_INVALID)', () => {
    const { app, stack, id } = tree();
    GovernancePolicy.of(app).apply({ defaultRotationDays: 60 });
    GovernancePolicy.of(stack).apply({ maxRotationDays: 45 });
    const err = governanceError(() => governIdentity(id, GOOD, noTarget));
    expect(err.violations.map((v) => v.code)).toEqual(['NHI_POLICY_INVALID']);
  });
});

describe('governIdentity: null is "not given" for every optional field (found by the fuzz test)', () => {
  test('system, vendor, approval, tags and reuseJustification as null resolve like absent ones', () => {
    const { id } = tree();
    const gov = governIdentity(id, { ...GOOD, system: null, vendor: null, approval: null, tags: null, reuseJustification: null } as any, noTarget);
    expect(gov.system).toBeUndefined();
    expect(gov.vendor).toBeUndefined();
    expect(gov.approval).toBeUndefined();
    expect(Object.keys(gov.awsTags).some((k) => k.endsWith('system'))).toBe(false);
    expect(gov.googleLabels['nhi-system']).toBeUndefined();
  });
});
