import { DEFAULT_POLICY, ResolvedGovernancePolicy } from '../../../lib/core/policy';
import { googleRoleNames, lookupGoogleRole } from '../../../lib/core/private/google-roles';
import { analyzeGoogleScope, GOOGLE_BASIC_ROLES, GOOGLE_IMPERSONATION_ROLES, isBasicRole, isPrivilegedRole } from '../../../lib/core/rules/google-scope';

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

  test('Noncompliance NHI_SCOPE_PRIVILEGED: admin roles that include IAM permissions, also with a vague justification', () => {
    expect(codes([
      { role: 'roles/storage.admin', bucket: 'acme-exports' },
      { role: 'roles/resourcemanager.projectIamAdmin', justification: 'todo' },
      { role: 'roles/iam.securityAdmin' },
    ])).toEqual([
      ['NHI_SCOPE_PRIVILEGED', 'scope[0].role'],
      ['NHI_SCOPE_PRIVILEGED', 'scope[1].role'],
      ['NHI_SCOPE_PRIVILEGED', 'scope[2].role'],
    ]);
    expect(analyze([{ role: 'roles/storage.admin', bucket: 'acme-exports' }]).violations[0].message).toMatch(/change IAM: changes IAM policies \(storage\.buckets\.setIamPolicy, storage\.managedFolders\.setIamPolicy \(\+1 more\)\)/);
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

describe('analyzeGoogleScope: roles checked against the shipped role catalogue (issue 12)', () => {
  test('Noncompliance NHI_SCOPE_UNKNOWN_ROLE: a typo, an invented role, a wrong case — with the closest roles', () => {
    const v = analyze([{ role: 'roles/storage.objectViwer', bucket: 'acme-exports' }, { role: 'roles/foo.bar' }, { role: 'roles/storage.objectviewer', bucket: 'acme-exports' }]).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([
      ['NHI_SCOPE_UNKNOWN_ROLE', 'scope[0].role'],
      ['NHI_SCOPE_UNKNOWN_ROLE', 'scope[1].role'],
      ['NHI_SCOPE_UNKNOWN_ROLE', 'scope[2].role'],
    ]);
    expect(v[0].fix).toMatch(/^did you mean 'roles\/storage\.objectViewer', /);
    expect(v[0].message).toMatch(/is not a predefined Google role \(role catalogue: iann0036\/iam-dataset/);
    expect(v[1].fix).toMatch(/name a predefined role/);
    expect(v[2].fix).toMatch(/^did you mean 'roles\/storage\.objectViewer'\?/);
  });

  test('Noncompliance NHI_SCOPE_ROLE_DEPRECATED: a role the catalogue marks deprecated, with current ones', () => {
    const v = analyze([{ role: 'roles/apigee.apiReader' }]).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_SCOPE_ROLE_DEPRECATED', 'scope[0].role']]);
    expect(v[0].fix).toMatch(/grant a current role .*'roles\/apigee\./);
  });

  test('Compliance: custom roles by full name (project or organization) are accepted', () => {
    expect(codes([{ role: 'projects/acme-billing-prod/roles/exportReader' }, { role: 'organizations/123456789012/roles/reportReader', bucket: 'acme-exports' }])).toEqual([]);
  });

  test('Noncompliance NHI_SCOPE_PRIVILEGED: by permission, not by name (roles/storage.legacyBucketOwner includes storage.buckets.setIamPolicy)', () => {
    const v = analyze([{ role: 'roles/storage.legacyBucketOwner', bucket: 'acme-exports' }]).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_SCOPE_PRIVILEGED', 'scope[0].role']]);
    expect(v[0].message).toContain('storage.buckets.setIamPolicy');
    const ok = analyze([{ role: 'roles/storage.legacyBucketOwner', bucket: 'acme-exports', justification: 'Shares export folders with the partner account' }]);
    expect(ok.violations).toEqual([]);
    expect(ok.grants[0].privileged).toBe(true);
    // An admin by name without IAM or credential permissions is not privileged by itself.
    expect(analyze([{ role: 'roles/cloudsql.admin' }]).grants[0].privileged).toBe(false);
  });

  test('attacker: every catalogued role with a permission to act as, mint credentials for or change IAM is privileged; no other is', () => {
    const privileged = /^iam\.serviceAccounts\.(actAs|getAccessToken|getOpenIdToken|signBlob|signJwt|implicitDelegation)$|^iam\.serviceAccountKeys\.create$|\.setIamPolicy$|^iam\.roles\.(create|update)$/;
    let flagged = 0;
    for (const role of googleRoleNames()) {
      if (isBasicRole(role)) continue;
      const info = lookupGoogleRole(role)!;
      const a = analyzeGoogleScope([{ role }], { ...DEFAULT_POLICY, forbiddenActions: [] }, PROJECT);
      const isPriv = a.violations.some((x) => x.code === 'NHI_SCOPE_PRIVILEGED');
      if (info.permissions.some((p) => privileged.test(p))) {
        expect([role, isPriv]).toEqual([role, true]);
        flagged++;
      }
      if (isPriv) expect(info.permissions.length).toBeGreaterThan(0);
    }
    expect(flagged).toBeGreaterThan(300);
  });

  test.each([
    [{ role: 'roles/secretmanager.secretAccessor', bucket: 'acme-exports' }, 'bucket', /no permission on a Cloud Storage bucket \(its permissions are on secretmanager\)/, /grant it on a Secret Manager secret/],
    [{ role: 'roles/storage.objectViewer', secret: 'db-password' }, 'secret', /no permission on a Secret Manager secret/, /'roles\/secretmanager\.secretAccessor'.*grant it on a Cloud Storage bucket/],
    [{ role: 'roles/run.invoker', cryptoKey: 'projects/acme-kms/locations/europe-west1/keyRings/r/cryptoKeys/k' }, 'cryptoKey', /no permission on a Cloud KMS crypto key/, /grant it on a project/],
  ])('Noncompliance NHI_SCOPE_RESOURCE_MISMATCH: %j', (grant, _kind, message, fix) => {
    const v = analyze([grant]).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_SCOPE_RESOURCE_MISMATCH', 'scope[0].role']]);
    expect(v[0].message).toMatch(message);
    expect(v[0].fix).toMatch(fix);
  });

  test('Noncompliance NHI_SCOPE_PROJECT_WIDE: a data-access role on a whole project says what it reaches; a justification accepts it', () => {
    const v = analyze([{ role: 'roles/secretmanager.secretAccessor' }, { role: 'roles/storage.objectViewer', project: 'acme-data-prod' }]).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_SCOPE_PROJECT_WIDE', 'scope[0].role'], ['NHI_SCOPE_PROJECT_WIDE', 'scope[1].role']]);
    expect(v[0].message).toBe('is a data-access role granted on a whole project: on project acme-billing-prod it reaches the value of every secret (secretmanager.versions.access)');
    expect(v[0].fix).toMatch(/^grant it on the one resource the workload uses \(secret: '<name>'\)/);
    expect(v[1].message).toMatch(/on project acme-data-prod it reaches every object of every bucket \(storage\.objects\.get\)/);
    expect(codes([{ role: 'roles/secretmanager.secretAccessor', justification: 'Reads every rotation secret of the vault project' }])).toEqual([]);
  });

  test('Noncompliance NHI_SCOPE_FORBIDDEN: the policy forbids project-wide data access, justification or not; one resource stays fine', () => {
    const p = policy({ forbidProjectWideDataAccess: true });
    const v = analyze([{ role: 'roles/secretmanager.secretAccessor', justification: 'Reads every rotation secret of the vault project' }, { role: 'roles/secretmanager.secretAccessor', secret: 'db-password' }], p).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_SCOPE_FORBIDDEN', 'scope[0].role']]);
    expect(v[0].message).toMatch(/forbidProjectWideDataAccess/);
  });

  test('Noncompliance NHI_SCOPE_TARGET_INVALID: organization, folder and unknown keys never become a project binding', () => {
    const v = analyze([
      { role: 'roles/run.invoker', organization: '123456789012' },
      { role: 'roles/run.invoker', folder: 'folders/42' },
      { role: 'roles/run.invoker', buckets: 'acme-exports' },
    ]).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([
      ['NHI_SCOPE_TARGET_INVALID', 'scope[0].organization'],
      ['NHI_SCOPE_TARGET_INVALID', 'scope[1].folder'],
      ['NHI_SCOPE_TARGET_INVALID', 'scope[2].buckets'],
    ]);
    expect(v[0].message).toMatch(/^grants on an organization are not supported/);
    expect(v[1].message).toMatch(/^grants on a folder are not supported/);
    expect(v[2].message).toBe('is not a grant key (role, project, bucket, secret, cryptoKey, justification)');
  });

  test('Noncompliance NHI_SCOPE_TARGET_INVALID: a project that is not a project id', () => {
    const v = analyze([{ role: 'roles/run.invoker', project: 'Not A Project' }, { role: 'roles/run.invoker', project: '123456789012' }, { role: 'roles/run.invoker', project: 'ab' }]).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([
      ['NHI_SCOPE_TARGET_INVALID', 'scope[0].project'],
      ['NHI_SCOPE_TARGET_INVALID', 'scope[1].project'],
      ['NHI_SCOPE_TARGET_INVALID', 'scope[2].project'],
    ]);
    expect(v[0].fix).toBe("give the project id, e.g. 'not-a-project' (not its display name or number)");
    expect(codes([{ role: 'roles/run.invoker', project: 'example.com:acme-legacy' }, { role: 'roles/run.invoker', project: '${var.project}' }])).toEqual([]);
  });

  test('Noncompliance NHI_SCOPE_FORBIDDEN: forbidden roles accept IAM wildcards (*, ?), ignoring case', () => {
    const p = policy({ forbiddenActions: ['roles/iam.*', 'ROLES/*ADMIN', 'roles/run.?nvoker'] });
    const v = analyze([
      { role: 'roles/iam.serviceAccountUser', justification: 'Deploys Cloud Run with the runtime account' },
      { role: 'roles/cloudsql.admin' },
      { role: 'roles/run.invoker' },
      { role: 'roles/run.viewer' },
    ], p).violations;
    expect(v.map((x) => [x.code, x.field])).toEqual([
      ['NHI_SCOPE_FORBIDDEN', 'scope[0].role'],
      ['NHI_SCOPE_FORBIDDEN', 'scope[1].role'],
      ['NHI_SCOPE_FORBIDDEN', 'scope[2].role'],
    ]);
    expect(v[0].message).toBe("is forbidden by the governance policy ('roles/iam.*')");
  });
});
