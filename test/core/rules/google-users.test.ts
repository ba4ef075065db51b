import * as fc from 'fast-check';
import { analyzeGoogleAccountUsers, classifyGoogleMember, GOOGLE_ACCOUNT_USER_ROLES } from '../../../lib/core/rules/google-users';

const CI = 'serviceAccount:ci-deployer@acme-ci.iam.gserviceaccount.com';
const RUNNER = 'serviceAccount:billing-runner@acme-billing-prod.iam.gserviceaccount.com';
const POOL = 'projects/123456789012/locations/global/workloadIdentityPools/github';
const codes = (usedBy: unknown) => analyzeGoogleAccountUsers(usedBy).violations.map((v) => [v.code, v.field]);

describe('classifyGoogleMember: what an IAM member string names', () => {
  test.each([
    [CI, 'workload', 'acme-ci'],
    ['serviceAccount:acme-billing-prod.svc.id.goog[billing/reporter]', 'workload', 'acme-billing-prod'],
    ['serviceAccount:acme-web@appspot.gserviceaccount.com', 'workload', 'acme-web'],
    ['serviceAccount:service-123@gcp-sa-cloudscheduler.iam.gserviceaccount.com', 'workload', undefined],
    ['serviceAccount:123-compute@developer.gserviceaccount.com', 'workload', undefined],
    [`principal://iam.googleapis.com/${POOL}/subject/repo:acme/billing:ref:refs/heads/main`, 'workload', undefined],
    [`principalSet://iam.googleapis.com/${POOL}/attribute.repository/acme/billing`, 'workload', undefined],
    ['${google_service_account.x.member}', 'workload', undefined],
    ['user:alice@example.com', 'human', undefined],
    ['group:billing-devs@example.com', 'human', undefined],
    ['domain:example.com', 'human', undefined],
    ['projectEditor:acme-billing-prod', 'human', undefined],
    ['principal://iam.googleapis.com/locations/global/workforcePools/staff/subject/alice', 'human', undefined],
    ['allUsers', 'public', undefined],
    ['allAuthenticatedUsers', 'public', undefined],
    [`principalSet://iam.googleapis.com/${POOL}/*`, 'public', undefined],
    ['deleted:serviceAccount:old@acme-ci.iam.gserviceaccount.com?uid=1', 'invalid', undefined],
    ['ci-deployer@acme-ci.iam.gserviceaccount.com', 'invalid', undefined],
    ['user:alice', 'invalid', undefined],
  ])('%s is %s', (member, kind, project) => {
    const info = classifyGoogleMember(member);
    expect(info.kind).toBe(kind);
    expect(info.project).toBe(project);
  });
});

describe('analyzeGoogleAccountUsers: who may use a service account (usedBy)', () => {
  test('Compliance: one deployer and one workload running as it, each role a usage role', () => {
    const a = analyzeGoogleAccountUsers([
      { member: CI, role: 'roles/iam.serviceAccountUser' },
      { member: `principal://iam.googleapis.com/${POOL}/subject/repo:acme/billing:ref:refs/heads/main`, role: 'roles/iam.workloadIdentityUser' },
    ]);
    expect(a.violations).toEqual([]);
    expect(a.users).toEqual([
      { member: CI, role: 'roles/iam.serviceAccountUser', kind: 'workload', project: 'acme-ci' },
      { member: `principal://iam.googleapis.com/${POOL}/subject/repo:acme/billing:ref:refs/heads/main`, role: 'roles/iam.workloadIdentityUser', kind: 'workload' },
    ]);
  });

  test('Compliance: nothing declared', () => {
    expect(analyzeGoogleAccountUsers(undefined)).toEqual({ violations: [], users: [] });
    expect(analyzeGoogleAccountUsers([])).toEqual({ violations: [], users: [] });
  });

  test.each(['user:alice@example.com', 'group:billing-devs@example.com', 'domain:example.com', 'principal://iam.googleapis.com/locations/global/workforcePools/staff/subject/alice'])(
    'Noncompliance NHI_HUMAN_USE: %s may use the account, unless justified', (member) => {
      const v = analyzeGoogleAccountUsers([{ member, role: 'roles/iam.serviceAccountTokenCreator' }]).violations;
      expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_HUMAN_USE', 'usedBy[0].member']]);
      expect(v[0].message).toMatch(/people could act as this non-human identity$/);
      expect(v[0].fix).toContain('usedBy[0].justification');
      expect(v[0].risks).toEqual(['NHI10']);
      const ok = analyzeGoogleAccountUsers([{ member, role: 'roles/iam.serviceAccountTokenCreator', justification: 'Break-glass access during incident response' }]);
      expect(ok.violations).toEqual([]);
      expect(ok.users[0]).toMatchObject({ kind: 'human', justification: 'Break-glass access during incident response' });
    });

  test.each(['allUsers', 'allAuthenticatedUsers', `principalSet://iam.googleapis.com/${POOL}/*`])(
    'Noncompliance NHI_TRUST_WILDCARD: %s, even with a justification', (member) => {
      const v = analyzeGoogleAccountUsers([{ member, role: 'roles/iam.serviceAccountTokenCreator', justification: 'Everyone needs it for the demo' }]).violations;
      expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_TRUST_WILDCARD', 'usedBy[0].member']]);
      expect(v[0].fix).toMatch(/^name the one workload/);
    });

  test('Noncompliance NHI_TRUST_SHARED: two workloads run as the account (or two deploy it), unless the extra one is justified', () => {
    const other = 'serviceAccount:export-job@acme-billing-prod.iam.gserviceaccount.com';
    const v = analyzeGoogleAccountUsers([
      { member: RUNNER, role: 'roles/iam.serviceAccountTokenCreator' },
      { member: other, role: 'roles/iam.serviceAccountOpenIdTokenCreator' },
    ]).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_TRUST_SHARED', 'usedBy']]);
    expect(v[0].message).toBe('lets 2 workloads run as the account; one identity serves one workload');
    expect(v[0].given).toBe(JSON.stringify([RUNNER, other]));
    expect(codes([{ member: CI, role: 'roles/iam.serviceAccountUser' }, { member: RUNNER, role: 'roles/iam.serviceAccountUser' }]))
      .toEqual([['NHI_TRUST_SHARED', 'usedBy']]);
    // The same workload with two roles is one workload; a justified extra workload is accepted.
    expect(codes([{ member: RUNNER, role: 'roles/iam.serviceAccountTokenCreator' }, { member: RUNNER, role: 'roles/iam.serviceAccountOpenIdTokenCreator' }])).toEqual([]);
    expect(codes([
      { member: RUNNER, role: 'roles/iam.serviceAccountTokenCreator' },
      { member: other, role: 'roles/iam.serviceAccountTokenCreator', justification: 'Blue/green successor during the migration' },
    ])).toEqual([]);
  });

  test('Noncompliance NHI_TRUST_INVALID: not a list, no or bad member, a role granted to the account, duplicates, vague justification', () => {
    expect(codes('serviceAccount:x@y.iam.gserviceaccount.com')).toEqual([['NHI_TRUST_INVALID', 'usedBy']]);
    expect(codes([{ role: 'roles/iam.serviceAccountUser' }])).toEqual([['NHI_TRUST_INVALID', 'usedBy[0].member']]);
    expect(codes([{ member: 'ci@acme-ci.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountUser' }])).toEqual([['NHI_TRUST_INVALID', 'usedBy[0].member']]);
    const role = analyzeGoogleAccountUsers([{ member: CI, role: 'roles/storage.objectViewer' }]).violations;
    expect(role.map((x) => [x.code, x.field])).toEqual([['NHI_TRUST_INVALID', 'usedBy[0].role']]);
    expect(role[0].fix).toContain('roles the account needs go in scope');
    expect(codes([{ member: CI }])).toEqual([['NHI_TRUST_INVALID', 'usedBy[0].role']]);
    expect(codes([{ member: CI, role: 'roles/iam.serviceAccountUser' }, { member: CI, role: 'roles/iam.serviceAccountUser' }])).toEqual([['NHI_TRUST_INVALID', 'usedBy[1]']]);
    expect(codes([{ member: 'user:alice@example.com', role: 'roles/iam.serviceAccountUser', justification: 'tbd' }]))
      .toEqual([['NHI_TRUST_INVALID', 'usedBy[0].justification'], ['NHI_HUMAN_USE', 'usedBy[0].member']]);
  });

  test('property: any member with a usage role is accepted only if it is a workload, or a justified person; never when public or invalid', () => {
    const member = fc.oneof(
      fc.constantFrom(CI, RUNNER, 'user:alice@example.com', 'group:g@example.com', 'allUsers', `principalSet://iam.googleapis.com/${POOL}/*`),
      fc.string(),
    );
    fc.assert(fc.property(member, fc.constantFrom(...GOOGLE_ACCOUNT_USER_ROLES), fc.boolean(), (m, role, justify) => {
      const a = analyzeGoogleAccountUsers([{ member: m, role, ...(justify ? { justification: 'Break-glass access during incidents' } : {}) }]);
      const kind = m.trim() === '' ? 'invalid' : classifyGoogleMember(m).kind;
      const accepted = a.violations.length === 0;
      return accepted === (kind === 'workload' || (kind === 'human' && justify));
    }));
  });
});
