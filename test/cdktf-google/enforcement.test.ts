import { ApikeysKey } from '@cdktf/provider-google/lib/apikeys-key';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { ServiceAccountKey } from '@cdktf/provider-google/lib/service-account-key';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { Governance, NhiRegister } from '../../lib/cdktf';
import { GovernedApiKey, GovernedServiceAccount, GovernedServiceAccountProps } from '../../lib/cdktf-google';
import { googleStack, GOVERNANCE, PROJECT } from './helpers';
import { validationErrors } from '../helpers/cdktf';

const SA: GovernedServiceAccountProps = {
  ...GOVERNANCE,
  project: PROJECT,
  accountId: 'billing-report-reader',
  scope: [{ role: 'roles/storage.objectViewer', bucket: 'acme-billing-exports' }],
};
const EMAIL = 'billing-report-reader@acme-billing-prod.iam.gserviceaccount.com';
const WAIVER_OWNER = { team: 'platform', contact: 'platform@example.com' };

/** A compliant Google stack: a keyless account with users, an account with a key, an API key. */
function compliant(stack: Construct): GovernedServiceAccount {
  const sa = new GovernedServiceAccount(stack, 'Reader', {
    ...SA,
    usedBy: [{ member: 'serviceAccount:ci-deployer@acme-ci-prod.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountUser' }],
  });
  new GovernedServiceAccount(stack, 'Scanner', {
    ...SA, accountId: 'billing-invoice-scanner', keys: { justification: 'The scanner appliance only reads key files' },
    scope: [{ role: 'roles/storage.objectCreator', bucket: 'acme-billing-inbox' }],
  });
  new GovernedApiKey(stack, 'Key', {
    ...GOVERNANCE, project: PROJECT, name: 'partner-geocoding',
    scope: [{ service: 'geocoding-backend.googleapis.com' }], clientRestriction: { allowedIps: ['203.0.113.0/24'] },
  });
  new StorageBucket(stack, 'Exports', { name: 'acme-billing-exports', location: 'EU', uniformBucketLevelAccess: true });
  return sa;
}

describe('Governance.of(app).enforce() (cdktf Google): no ungoverned identity gets through', () => {
  test('Compliance: governed accounts (with users and a key), an API key, their notifier plumbing and ordinary resources pass', () => {
    const { app, stack } = googleStack();
    compliant(stack);
    Governance.of(app).enforce();
    expect(validationErrors(stack)).toBe('');
    expect(Governance.of(app).findings()).toEqual([]);
  });

  test('Compliance: the shared notifier (service account, custom role, binding) is governance plumbing, not reported', () => {
    const { app, stack } = googleStack();
    compliant(stack);
    const json = JSON.parse(Testing.synth(stack));
    // The notifier exists: a service account and a project binding made outside any governed identity.
    expect(Object.values<any>(json.resource.google_service_account).some((a) => /^nhi-notifier-/.test(a.account_id))).toBe(true);
    expect(Object.keys(json.resource.google_project_iam_member).some((k) => k.includes('NotifierBinding'))).toBe(true);
    expect(Governance.of(app).findings().filter((f) => f.path.includes('NhiGoogleNotices'))).toEqual([]);
  });

  test.each([
    ['google_service_account', (s: Construct) => new ServiceAccount(s, 'Raw', { accountId: 'raw-account' }),
      'a Google service account is created outside a governed construct, so it has no owner, purpose, expiry or reviewed scope',
      'use GovernedServiceAccount (nhi-constructs/lib/cdktf-google)'],
    ['google_service_account_key', (s: Construct) => new ServiceAccountKey(s, 'Raw', { serviceAccountId: 'projects/acme-billing-prod/serviceAccounts/legacy@acme-billing-prod.iam.gserviceaccount.com' }),
      'a service account key is created outside a governed construct',
      'use GovernedServiceAccount with keys (nhi-constructs/lib/cdktf-google)'],
    ['google_apikeys_key', (s: Construct) => new ApikeysKey(s, 'Raw', { name: 'raw-key', project: PROJECT }),
      'a Google API key is created outside a governed construct',
      'use GovernedApiKey (nhi-constructs/lib/cdktf-google)'],
    ['google_service_account_iam_member', (s: Construct) => new ServiceAccountIamMember(s, 'Raw', {
      serviceAccountId: 'projects/acme-billing-prod/serviceAccounts/legacy@acme-billing-prod.iam.gserviceaccount.com',
      role: 'roles/iam.serviceAccountTokenCreator', member: 'user:alice@example.com',
    }),
    'a grant of roles/iam.serviceAccountTokenCreator on a service account (lets its members act as it) is created outside a governed construct',
    'use GovernedServiceAccount (nhi-constructs/lib/cdktf-google), which declares who may use it'],
  ])('Noncompliance: a raw %s fails the synth naming path, type and the construct to use', (type, make, message, fix) => {
    const { app, stack } = googleStack();
    compliant(stack);
    make(stack);
    Governance.of(app).enforce();
    const msg = validationErrors(stack);
    expect(msg).toContain(`[NHI_UNGOVERNED_IDENTITY] ${type} at stack/Raw: ${message}`);
    expect(msg).toContain(`Fix: ${fix}`);
    expect(msg).toContain(`add an expiring waiver for NHI_UNGOVERNED_IDENTITY on its path or on ${type}`);
    expect(Governance.of(app).findings().map((f) => [f.path, f.resourceType, f.violation.code])).toEqual([['stack/Raw', type, 'NHI_UNGOVERNED_IDENTITY']]);
  });

  test('Compliance: a raw google_service_account_iam_member granting a non-impersonation role on a non-governed account is not an identity', () => {
    const { app, stack } = googleStack();
    new ServiceAccountIamMember(stack, 'Viewer', {
      serviceAccountId: 'projects/acme-billing-prod/serviceAccounts/legacy@acme-billing-prod.iam.gserviceaccount.com',
      role: 'roles/iam.serviceAccountViewer', member: 'group:auditors@example.com',
    });
    expect(Governance.of(app).findings()).toEqual([]);
  });

  test.each([
    ['google_project_iam_member by reference', (s: Construct, sa: GovernedServiceAccount) =>
      new ProjectIamMember(s, 'Extra', { project: PROJECT, role: 'roles/storage.admin', member: sa.member }), 'google_project_iam_member', 'roles/storage.admin on project acme-billing-prod'],
    ['google_project_iam_member by literal e-mail', (s: Construct) =>
      new ProjectIamMember(s, 'Extra', { project: PROJECT, role: 'roles/bigquery.admin', member: `serviceAccount:${EMAIL}` }), 'google_project_iam_member', 'roles/bigquery.admin on project acme-billing-prod'],
    ['google_storage_bucket_iam_member by e-mail reference', (s: Construct, sa: GovernedServiceAccount) =>
      new StorageBucketIamMember(s, 'Extra', { bucket: 'acme-billing-exports', role: 'roles/storage.objectAdmin', member: `serviceAccount:${sa.serviceAccount.email}` }), 'google_storage_bucket_iam_member', 'roles/storage.objectAdmin on bucket acme-billing-exports'],
  ])('Noncompliance NHI_SCOPE_WIDENED: a %s giving a governed account an extra role (reported once, by the artifact verification)', (_what, make, type, what) => {
    const { app, stack } = googleStack();
    const sa = compliant(stack);
    make(stack, sa);
    Governance.of(app).enforce();
    const errors = validationErrors(stack);
    expect(errors).toContain(`[NHI_SCOPE_WIDENED] ${type} at stack/Extra: ${type} binding (${type} stack/Extra) of stack/Reader grants ${what}, ` +
      'which the declared scope (and the register) does not say. Fix: declare the role in the scope of stack/Reader (where it is analysed, recorded and expires), or remove it');
    expect(errors.match(/NHI_SCOPE_WIDENED/g)).toHaveLength(1);
    expect(Governance.of(app).findings().map((f) => f.violation.code)).toEqual(['NHI_SCOPE_WIDENED']);
  });

  test('Noncompliance: a raw token-creator grant on a governed account is both an ungoverned identity and a changed trust', () => {
    const { app, stack } = googleStack();
    const sa = compliant(stack);
    new ServiceAccountIamMember(stack, 'Extra', { serviceAccountId: sa.serviceAccount.name, role: 'roles/iam.serviceAccountTokenCreator', member: 'user:alice@example.com' });
    Governance.of(app).enforce();
    expect(Governance.of(app).findings().map((f) => [f.path, f.violation.code])).toEqual([
      ['stack/Extra', 'NHI_UNGOVERNED_IDENTITY'],
      ['stack/Extra', 'NHI_TRUST_CHANGED'],
    ]);
  });
});

describe('Waivers (cdktf Google): acknowledged findings that expire', () => {
  test('Compliance: a path waiver waives one Google finding and is listed in the register', () => {
    const { app, stack } = googleStack();
    compliant(stack);
    new ServiceAccount(stack, 'LegacyAccount', { accountId: 'legacy-batch' });
    new ServiceAccount(stack, 'Other', { accountId: 'other-batch' });
    const waiver = { code: 'NHI_UNGOVERNED_IDENTITY', path: 'stack/LegacyAccount', owner: WAIVER_OWNER, reason: 'Batch host migrates to a governed account in Q1', expires: '2027-01-31' };
    Governance.of(app).enforce({ waivers: [waiver] });
    expect(Governance.of(app).findings().map((f) => f.path)).toEqual(['stack/Other']);
    expect(JSON.parse(NhiRegister.of(stack).render()).waivers).toEqual([waiver]);
  });

  test('Compliance: a resource-type waiver covers every legacy google_service_account_key, nothing else', () => {
    const { app, stack } = googleStack();
    compliant(stack);
    new ServiceAccountKey(stack, 'A', { serviceAccountId: 'legacy-a' });
    new ServiceAccountKey(stack, 'B', { serviceAccountId: 'legacy-b' });
    new ApikeysKey(stack, 'K', { name: 'raw-key', project: PROJECT });
    Governance.of(app).enforce({
      waivers: [{ code: 'NHI_UNGOVERNED_IDENTITY', resourceType: 'google_service_account_key', owner: WAIVER_OWNER, reason: 'Legacy keys are being replaced by federation', expires: '2027-02-01' }],
    });
    expect(validationErrors(stack)).not.toContain('google_service_account_key at');
    expect(Governance.of(app).findings().map((f) => [f.path, f.resourceType])).toEqual([['stack/K', 'google_apikeys_key']]);
  });

  test('Compliance: a waiver also covers a widening finding on its path', () => {
    const { app, stack } = googleStack();
    const sa = compliant(stack);
    new ProjectIamMember(stack, 'Extra', { project: PROJECT, role: 'roles/storage.admin', member: sa.member });
    Governance.of(app).enforce({ waivers: [{ code: 'NHI_SCOPE_WIDENED', path: 'stack/Extra', owner: WAIVER_OWNER, reason: 'Temporary admin while moving buckets', expires: '2026-12-15' }] });
    expect(validationErrors(stack)).toBe('');
  });

  test('Noncompliance: a waiver that expired yesterday stops waiving and is named', () => {
    const { app, stack } = googleStack();
    compliant(stack);
    new ServiceAccountKey(stack, 'LegacyKey', { serviceAccountId: 'legacy' });
    // Declared while it was valid; today (2026-11-23) it has expired.
    (app.node as any)._context['nhi:today'] = '2026-11-01';
    Governance.of(app).waive({ code: 'NHI_UNGOVERNED_IDENTITY', path: 'stack/LegacyKey', owner: WAIVER_OWNER, reason: 'Legacy key replaced by federation soon', expires: '2026-11-22' });
    (app.node as any)._context['nhi:today'] = '2026-11-23';
    Governance.of(app).enforce();
    const msg = validationErrors(stack);
    expect(msg).toContain('[NHI_UNGOVERNED_IDENTITY] google_service_account_key at stack/LegacyKey');
    expect(msg).toContain('[NHI_WAIVER_EXPIRED]');
    expect(msg).toContain('expired on 2026-11-22');
  });

  test('a waiver covers a governed Google construct\'s own check on its path (e.g. NHI_HUMAN_USE), declared before it', () => {
    const { app, stack } = googleStack();
    Governance.of(app).waive({ code: 'NHI_HUMAN_USE', path: 'stack/Reader', owner: WAIVER_OWNER, reason: 'On-call engineers impersonate during the migration', expires: '2026-12-31' });
    expect(() => new GovernedServiceAccount(stack, 'Reader', { ...SA, usedBy: [{ member: 'group:oncall@example.com', role: 'roles/iam.serviceAccountTokenCreator' }] })).not.toThrow();
    expect(() => new GovernedServiceAccount(stack, 'Other', { ...SA, accountId: 'billing-other', usedBy: [{ member: 'group:oncall@example.com', role: 'roles/iam.serviceAccountTokenCreator' }] }))
      .toThrow(/NHI_HUMAN_USE/);
  });
});
