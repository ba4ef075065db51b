import { DEFAULT_POLICY, ResolvedGovernancePolicy } from '../../../lib/core/policy';
import { checkGoogleVendorKeys, googleAccountControls, googleReaches } from '../../../lib/core/rules/google-lifecycle';
import { checkEnvironmentCrossing } from '../../../lib/core/rules/lifecycle';

const policy = (p: Partial<ResolvedGovernancePolicy> = {}): ResolvedGovernancePolicy => ({ ...DEFAULT_POLICY, ...p });
const ENVS = policy({ environmentAccounts: { prod: ['acme-billing-prod', 'acme-kms-prod'], dev: ['acme-billing-dev', 'acme-ci-dev'] } });
const VENDOR = { name: 'Globex Corp', contact: 'security@globex.example', contractRef: 'DPA-2026-17' };
const KEYS = { justification: 'The vendor appliance only reads key files' };

describe('googleReaches: the projects a Google identity reaches', () => {
  test('its project, grants on other projects, secrets and keys by name, and usedBy service accounts', () => {
    expect(googleReaches({
      project: 'acme-billing-prod',
      scope: [
        { role: 'roles/bigquery.jobUser' },
        { role: 'roles/bigquery.dataViewer', project: 'acme-data-dev' },
        { role: 'roles/run.invoker', project: 'acme-billing-prod' },
        { role: 'roles/storage.objectViewer', bucket: 'acme-exports', project: 'ignored-for-buckets' },
        { role: 'roles/secretmanager.secretAccessor', secret: 'projects/acme-billing-dev/secrets/token', justification: 'Reads the shared dev token for smoke tests' },
        { role: 'roles/secretmanager.secretAccessor', secret: 'db-password', project: 'acme-db-dev' },
        { role: 'roles/cloudkms.cryptoKeyDecrypter', cryptoKey: 'projects/acme-kms-prod/locations/europe-west1/keyRings/r/cryptoKeys/k' },
        { role: 'roles/run.invoker', project: '${var.project}' },
      ],
      usedBy: [
        { member: 'serviceAccount:ci@acme-ci-dev.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountUser' },
        { member: 'serviceAccount:acme-billing-prod.svc.id.goog[billing/reporter]', role: 'roles/iam.workloadIdentityUser', justification: 'Kubernetes reporter runs as it' },
        { member: 'principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/subject/s', role: 'roles/iam.workloadIdentityUser' },
      ],
    })).toEqual([
      { field: 'project', target: 'acme-billing-prod', justified: false },
      { field: 'scope[1].project', target: 'acme-data-dev', justified: false },
      { field: 'scope[4].secret', target: 'acme-billing-dev', justified: true },
      { field: 'scope[5].project', target: 'acme-db-dev', justified: false },
      { field: 'scope[6].cryptoKey', target: 'acme-kms-prod', justified: false },
      { field: 'usedBy[0].member', target: 'acme-ci-dev', justified: false },
      { field: 'usedBy[1].member', target: 'acme-billing-prod', justified: true },
    ]);
  });

  test('plain JavaScript input that is not what the types say gives no reaches, never a TypeError', () => {
    expect(googleReaches({ project: 42, scope: 'x', usedBy: [null, { member: 3 }] })).toEqual([]);
    expect(googleReaches({})).toEqual([]);
  });
});

describe('checkEnvironmentCrossing over Google reaches (NHI8)', () => {
  test('Noncompliance NHI_ENVIRONMENT_CROSSING: a prod account with a dev grant and a dev deployer', () => {
    const v = checkEnvironmentCrossing('prod', googleReaches({
      project: 'acme-billing-prod',
      scope: [{ role: 'roles/storage.objectViewer' }, { role: 'roles/secretmanager.secretAccessor', secret: 'projects/acme-billing-dev/secrets/token' }],
      usedBy: [{ member: 'serviceAccount:ci@acme-ci-dev.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountUser' }],
    }), ENVS);
    expect(v.map((x) => [x.code, x.field, x.message])).toEqual([
      ['NHI_ENVIRONMENT_CROSSING', 'scope[1].secret', 'a prod identity reaches acme-billing-dev, which belongs to dev'],
      ['NHI_ENVIRONMENT_CROSSING', 'usedBy[0].member', 'a prod identity reaches acme-ci-dev, which belongs to dev'],
    ]);
  });

  test('Noncompliance NHI_ENVIRONMENT_CROSSING: a dev account living in a prod project', () => {
    const v = checkEnvironmentCrossing('dev', googleReaches({ project: 'acme-billing-prod', scope: [{ role: 'roles/run.invoker' }] }), ENVS);
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_ENVIRONMENT_CROSSING', 'project']]);
  });

  test('Compliance: justified crossings, projects no environment claims, and no environment at all', () => {
    const reaches = googleReaches({
      project: 'acme-billing-prod',
      scope: [{ role: 'roles/secretmanager.secretAccessor', secret: 'projects/acme-billing-dev/secrets/token', justification: 'Synthetic monitoring reads the dev token' }],
      usedBy: [{ member: 'serviceAccount:ci@acme-shared.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountUser' }],
    });
    expect(checkEnvironmentCrossing('prod', reaches, ENVS)).toEqual([]);
    expect(checkEnvironmentCrossing(undefined, googleReaches({ project: 'acme-billing-dev' }), ENVS)).toEqual([]);
  });
});

describe('checkGoogleVendorKeys: keys for a third party need their own justification (NHI3)', () => {
  test('Compliance: a vendor key with its own justification and a contract; any account without keys; keys without a vendor', () => {
    expect(checkGoogleVendorKeys(VENDOR, { ...KEYS, vendorJustification: 'Globex runs on-premises without an OIDC issuer' })).toEqual([]);
    expect(checkGoogleVendorKeys(VENDOR, undefined)).toEqual([]);
    expect(checkGoogleVendorKeys(undefined, KEYS)).toEqual([]);
  });

  test('Noncompliance: no vendor justification (NHI_STATIC_CREDENTIALS_UNJUSTIFIED) and no contract reference (NHI_VENDOR_INVALID)', () => {
    const v = checkGoogleVendorKeys({ name: 'Globex Corp', contact: 'security@globex.example' }, KEYS);
    expect(v.map((x) => [x.code, x.field])).toEqual([
      ['NHI_STATIC_CREDENTIALS_UNJUSTIFIED', 'keys.vendorJustification'],
      ['NHI_VENDOR_INVALID', 'vendor.contractRef'],
    ]);
    expect(v[0].message).toBe('a key for a third party leaves your control: it needs its own justification (at least three words) of why the vendor cannot federate');
    expect(v[0].fix).toMatch(/^let the vendor federate instead \(workload identity federation: usedBy a principal:\/\/ member\) and remove keys/);
    expect(v[0].risks).toEqual(['NHI3', 'NHI7']);
    expect(v[1].fix).toBe("set vendor.contractRef, e.g. 'DPA-2026-17'");
  });

  test('Noncompliance NHI_STATIC_CREDENTIALS_UNJUSTIFIED: a vague vendor justification, or a copy of keys.justification', () => {
    expect(checkGoogleVendorKeys(VENDOR, { ...KEYS, vendorJustification: 'tbd' }).map((x) => x.code)).toEqual(['NHI_STATIC_CREDENTIALS_UNJUSTIFIED']);
    const copy = checkGoogleVendorKeys(VENDOR, { ...KEYS, vendorJustification: KEYS.justification.toUpperCase() });
    expect(copy.map((x) => [x.code, x.message])).toEqual([['NHI_STATIC_CREDENTIALS_UNJUSTIFIED', 'repeats keys.justification: say why this vendor cannot federate, not why a key is needed']]);
  });

  test('Noncompliance NHI_VENDOR_INVALID: a vendor justification on an account that declares no vendor', () => {
    expect(checkGoogleVendorKeys(undefined, { ...KEYS, vendorJustification: 'Globex has no OIDC issuer' }).map((x) => [x.code, x.field]))
      .toEqual([['NHI_VENDOR_INVALID', 'keys.vendorJustification']]);
  });
});

describe('googleAccountControls', () => {
  test('declaring usedBy adds NHI9 and NHI10 to the declaration\'s controls', () => {
    expect(googleAccountControls(false, {}, false)).toEqual(['NHI1', 'NHI4', 'NHI5', 'NHI7']);
    expect(googleAccountControls(true, { vendor: VENDOR, environment: 'prod' }, true)).toEqual(['NHI1', 'NHI2', 'NHI3', 'NHI5', 'NHI7', 'NHI8', 'NHI9', 'NHI10']);
  });
});
