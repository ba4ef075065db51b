import { DEFAULT_POLICY, ResolvedGovernancePolicy } from '../../../lib/core/policy';
import { analyzeGoogleScope, GOOGLE_BASIC_ROLES, GOOGLE_IMPERSONATION_ROLES, isPrivilegedRole } from '../../../lib/core/rules/google-scope';

const policy = (p: Partial<ResolvedGovernancePolicy> = {}): ResolvedGovernancePolicy => ({ ...DEFAULT_POLICY, ...p });
const PROJECT = 'acme-billing-prod';
const analyze = (scope: unknown, p = policy()) => analyzeGoogleScope(scope, p, PROJECT);
const codes = (scope: unknown, p = policy()) => analyze(scope, p).violations.map((v) => [v.code, v.field]);

describe('analyzeGoogleScope: roles granted to the account, each on a project or one resource', () => {
  test('Compliance: project-level and resource-level grants resolve to their targets', () => {
    const a = analyze([
      { role: 'roles/bigquery.jobUser' },
      { role: 'roles/storage.objectViewer', bucket: 'acme-exports' },
      { role: 'roles/secretmanager.secretAccessor', secret: 'db-password' },
      { role: 'roles/secretmanager.secretAccessor', secret: 'projects/other-proj/secrets/api-token' },
      { role: 'roles/cloudkms.cryptoKeyDecrypter', cryptoKey: 'projects/acme-kms/locations/europe-west1/keyRings/r/cryptoKeys/k' },
      { role: 'projects/acme-billing-prod/roles/exportReader', project: 'acme-data-prod' },
    ]);
    expect(a.violations).toEqual([]);
    expect(a.grants.map((g) => [g.role, g.target, g.resource, g.project, g.custom, g.privileged])).toEqual([
      ['roles/bigquery.jobUser', 'project', PROJECT, PROJECT, false, false],
      ['roles/storage.objectViewer', 'bucket', 'acme-exports', undefined, false, false],
      ['roles/secretmanager.secretAccessor', 'secret', 'db-password', PROJECT, false, false],
      ['roles/secretmanager.secretAccessor', 'secret', 'projects/other-proj/secrets/api-token', undefined, false, false],
      ['roles/cloudkms.cryptoKeyDecrypter', 'cryptoKey', 'projects/acme-kms/locations/europe-west1/keyRings/r/cryptoKeys/k', undefined, false, false],
      ['projects/acme-billing-prod/roles/exportReader', 'project', 'acme-data-prod', 'acme-data-prod', true, false],
    ]);
  });

  test('Compliance: a privileged role with a justification is accepted and marked privileged', () => {
    const a = analyze([{ role: 'roles/iam.serviceAccountTokenCreator', justification: 'Mints short-lived tokens for the batch runner' }]);
    expect(a.violations).toEqual([]);
    expect(a.grants[0].privileged).toBe(true);
  });

  test('Noncompliance NHI_SCOPE_EMPTY: no grants', () => {
    for (const scope of [undefined, [], 'roles/x']) {
      const v = analyze(scope).violations;
      expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_SCOPE_EMPTY', 'scope']]);
      expect(v[0].fix).toContain("role: 'roles/storage.objectViewer'");
    }
  });

  test.each(GOOGLE_BASIC_ROLES)('Noncompliance NHI_SCOPE_BASIC_ROLE: %s', (role) => {
    const v = analyze([{ role: role.toUpperCase() === role ? role : role, justification: 'We really need everything here' }]).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_SCOPE_BASIC_ROLE', 'scope[0].role']]);
    expect(v[0].message).toMatch(/IAM conditions cannot be attached/);
    expect(v[0].fix).toMatch(/predefined roles/);
    expect(v[0].given).toBe(JSON.stringify(role));
  });

  test('Noncompliance NHI_SCOPE_WILDCARD: wildcard roles and targets', () => {
    expect(codes([{ role: 'roles/storage.*' }, { role: 'roles/storage.objectViewer', bucket: 'acme-*' }, { role: 'roles/run.invoker', project: '*' }])).toEqual([
      ['NHI_SCOPE_WILDCARD', 'scope[0].role'],
      ['NHI_SCOPE_WILDCARD', 'scope[1].bucket'],
      ['NHI_SCOPE_WILDCARD', 'scope[2].project'],
    ]);
  });

  test.each(GOOGLE_IMPERSONATION_ROLES)('Noncompliance NHI_SCOPE_PRIVILEGED: project-level %s without a justification', (role) => {
    const v = analyze([{ role }]).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_SCOPE_PRIVILEGED', 'scope[0].role']]);
    expect(v[0].fix).toMatch(/justification/);
  });

  test('Noncompliance NHI_SCOPE_PRIVILEGED: admin roles (*.admin, *Admin), also with a vague justification', () => {
    expect(codes([
      { role: 'roles/storage.admin', bucket: 'acme-exports' },
      { role: 'roles/resourcemanager.projectIamAdmin', justification: 'todo' },
      { role: 'roles/iam.securityAdmin' },
    ])).toEqual([
      ['NHI_SCOPE_PRIVILEGED', 'scope[0].role'],
      ['NHI_SCOPE_PRIVILEGED', 'scope[1].role'],
      ['NHI_SCOPE_PRIVILEGED', 'scope[2].role'],
    ]);
    expect(analyze([{ role: 'roles/storage.admin' }]).violations[0].message).toMatch(/administrator role/);
    expect(isPrivilegedRole('roles/storage.objectViewer')).toBe(false);
    expect(isPrivilegedRole('roles/administrator.viewer')).toBe(false);
  });

  test('Noncompliance NHI_SCOPE_FORBIDDEN: roles the policy forbids, justification or not, ignoring case', () => {
    const p = policy({ forbiddenActions: ['ROLES/iam.serviceAccountKeyAdmin', 'roles/run.developer'] });
    const v = analyze([{ role: 'roles/iam.serviceAccountKeyAdmin', justification: 'Rotates keys for the legacy system' }, { role: 'roles/run.developer' }], p).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_SCOPE_FORBIDDEN', 'scope[0].role'], ['NHI_SCOPE_FORBIDDEN', 'scope[1].role']]);
    expect(v[0].message).toMatch(/forbidden by the governance policy/);
  });

  test('Noncompliance NHI_SCOPE_ROLE_INVALID: missing or malformed role names, with a suggestion', () => {
    const v = analyze([{}, { role: 'storage.objectViewer' }, { role: 'Storage Object Viewer' }]).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([
      ['NHI_SCOPE_ROLE_INVALID', 'scope[0].role'],
      ['NHI_SCOPE_ROLE_INVALID', 'scope[1].role'],
      ['NHI_SCOPE_ROLE_INVALID', 'scope[2].role'],
    ]);
    expect(v[1].fix).toBe("did you mean 'roles/storage.objectViewer'?");
  });

  test('Noncompliance NHI_SCOPE_TARGET_INVALID: several resources in one grant, or malformed resources', () => {
    const v = analyze([
      { role: 'roles/storage.objectViewer', bucket: 'acme-exports', secret: 'db' },
      { role: 'roles/storage.objectViewer', bucket: 'gs://acme-exports/x' },
      { role: 'roles/cloudkms.cryptoKeyDecrypter', cryptoKey: 'my-key' },
      { role: 'roles/run.invoker', project: '' },
    ]).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([
      ['NHI_SCOPE_TARGET_INVALID', 'scope[0]'],
      ['NHI_SCOPE_TARGET_INVALID', 'scope[1].bucket'],
      ['NHI_SCOPE_TARGET_INVALID', 'scope[2].cryptoKey'],
      ['NHI_SCOPE_TARGET_INVALID', 'scope[3].project'],
    ]);
    expect(v[0].message).toMatch(/names several resources \(bucket, secret\)/);
    expect(v[1].fix).toBe("drop the scheme: 'acme-exports'");
  });

  test('Noncompliance NHI_SCOPE_DUPLICATE: the same role twice on the same target', () => {
    const v = analyze([{ role: 'roles/run.invoker' }, { role: 'roles/run.invoker', project: PROJECT }]).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_SCOPE_DUPLICATE', 'scope[1]']]);
    expect(v[0].message).toMatch(/same role on the same project as scope\[0\]/);
  });

  test('every violation of several grants is reported at once', () => {
    expect(codes([{ role: 'roles/owner' }, { role: 'roles/iam.serviceAccountUser' }, { role: 'nope' }]).map(([c]) => c))
      .toEqual(['NHI_SCOPE_BASIC_ROLE', 'NHI_SCOPE_PRIVILEGED', 'NHI_SCOPE_ROLE_INVALID']);
  });

  test('Compliance: unresolved tokens as roles or resources are not judged', () => {
    expect(codes([{ role: '${var.role}', bucket: '${google_storage_bucket.b.name}' }])).toEqual([]);
  });
});
