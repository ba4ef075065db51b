import { run } from '@bufbuild/cel';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { App, TerraformStack, Testing } from 'cdktf';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GovernedApiKey, GovernedApiKeyProps, GovernedServiceAccount, GovernedServiceAccountProps } from '../../lib/cdktf-google';
import { GovernancePolicy } from '../../lib/core';
import { googleStack, GOVERNANCE, PROJECT, TODAY } from './helpers';
import { readRegister } from '../../lib/core/register';

const BASE: GovernedServiceAccountProps = {
  ...GOVERNANCE,
  project: PROJECT,
  accountId: 'billing-report-reader',
  scope: [
    { role: 'roles/bigquery.jobUser' },
    { role: 'roles/storage.objectViewer', bucket: 'acme-billing-exports' },
  ],
};
const KEY: GovernedApiKeyProps = {
  ...GOVERNANCE,
  project: PROJECT,
  name: 'partner-geocoding',
  scope: [{ service: 'geocoding-backend.googleapis.com' }],
  clientRestriction: { allowedIps: ['203.0.113.0/24'] },
};
const VENDOR = { name: 'Globex Corp', contact: 'security@globex.example', contractRef: 'DPA-2026-17' };
const ENVIRONMENTS = { prod: [PROJECT, 'acme-ci-prod'], dev: ['acme-billing-dev', 'acme-ci-dev'] };
const CI = 'serviceAccount:ci-deployer@acme-ci-prod.iam.gserviceaccount.com';
const WIF = 'principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github/subject/repo:acme/billing:ref:refs/heads/main';
const KEYS = { justification: 'The on-premises appliance only reads key files' };

const of = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});
const synth = (stack: TerraformStack): any => JSON.parse(Testing.synth(stack, true));
const at = (iso: string) => ({ request: new Map<string, unknown>([['time', timestampFromDate(new Date(iso))]]) }) as any;

function governanceError(fn: () => unknown): { message: string; violations: { code: string; field: string; message: string; fix: string; given?: string }[] } {
  try {
    fn();
  } catch (e: any) {
    if (e?.name !== 'GovernanceError') throw e;
    return e;
  }
  throw new Error('expected a GovernanceError, but nothing was thrown');
}

describe('Lifecycle (cdktf Google): system, environment, vendor, approval and tags in labels and the register', () => {
  test('recorded as labels on the key secret and as register fields; controls NHI3, NHI8, NHI9 follow the declaration', () => {
    const { stack } = googleStack();
    const sa = new GovernedServiceAccount(stack, 'Reader', {
      ...BASE,
      expires: '2027-01-31',
      system: 'billing-reporter',
      environment: 'prod',
      vendor: VENDOR,
      approval: { ticket: 'SEC-1234', approvedBy: 'lead@example.com' },
      tags: { 'cost-center': 'cc-1234' },
      keys: { ...KEYS, vendorJustification: 'Globex runs on-premises without an OIDC issuer' },
    });
    const labels = of(synth(stack), 'google_secret_manager_secret')[0].labels;
    expect(labels).toMatchObject({
      'nhi-system': 'billing-reporter',
      'nhi-environment': 'prod',
      'nhi-vendor': 'globex_corp',
      'nhi-approval': 'sec-1234',
      'nhi-owner-team': 'billing',
      'cost-center': 'cc-1234',
    });
    expect(sa.registerEntry).toMatchObject({
      system: 'billing-reporter',
      environment: 'prod',
      vendor: VENDOR,
      approval: { ticket: 'SEC-1234', approvedBy: 'lead@example.com' },
      credentials: 'service-account-key',
    });
    expect(sa.registerEntry.controls).toEqual(['NHI1', 'NHI2', 'NHI3', 'NHI5', 'NHI7', 'NHI8', 'NHI9']);
  });

  test('the API key records them too (labels on its secret, register, controls)', () => {
    const { stack } = googleStack();
    const key = new GovernedApiKey(stack, 'Key', { ...KEY, system: 'geocoder', environment: 'prod', approval: { ticket: 'SEC-9' } });
    expect(of(synth(stack), 'google_secret_manager_secret')[0].labels).toMatchObject({ 'nhi-system': 'geocoder', 'nhi-environment': 'prod', 'nhi-approval': 'sec-9' });
    expect(key.registerEntry).toMatchObject({ system: 'geocoder', environment: 'prod', approval: { ticket: 'SEC-9' } });
    expect(key.registerEntry.controls).toEqual(['NHI1', 'NHI2', 'NHI5', 'NHI7', 'NHI8', 'NHI9']);
  });

  test('the written register carries the fields (null when not declared)', () => {
    const { stack } = googleStack();
    new GovernedServiceAccount(stack, 'Reader', { ...BASE, system: 'billing-reporter', environment: 'prod' });
    new GovernedServiceAccount(stack, 'Plain', { ...BASE, accountId: 'billing-plain' });
    const dir = Testing.fullSynth(stack);
    const reg = readRegister(fs.readFileSync(path.join(dir, 'stacks', 'stack', 'nhi-register.json'), 'utf8'));
    expect(reg.identities.map((i: any) => [i.path, i.system, i.environment, i.vendor, i.approval])).toEqual([
      ['stack/Plain', null, null, null, null],
      ['stack/Reader', 'billing-reporter', 'prod', null, null],
    ]);
  });

  test('the policy can require system, environment and (in prod) approval for Google identities', () => {
    const { app, stack } = googleStack();
    GovernancePolicy.of(app).apply({ requireSystem: true, requireEnvironment: true, requireApprovalIn: ['prod'], environmentAccounts: ENVIRONMENTS });
    expect(governanceError(() => new GovernedServiceAccount(stack, 'A', BASE)).violations.map((v) => v.code)).toEqual(['NHI_SYSTEM_MISSING', 'NHI_ENVIRONMENT_MISSING']);
    expect(governanceError(() => new GovernedApiKey(stack, 'K', { ...KEY, system: 'geocoder', environment: 'prod' })).violations.map((v) => [v.code, v.field]))
      .toEqual([['NHI_APPROVAL_MISSING', 'approval']]);
    expect(() => new GovernedServiceAccount(stack, 'B', { ...BASE, system: 'billing-reporter', environment: 'prod', approval: { ticket: 'SEC-1' } })).not.toThrow();
  });
});

describe('Environment isolation (cdktf Google, NHI8): NHI_ENVIRONMENT_CROSSING', () => {
  function policyStack() {
    const { app, stack } = googleStack();
    GovernancePolicy.of(app).apply({ environmentAccounts: ENVIRONMENTS });
    return { app, stack };
  }

  test('Noncompliance: a prod account with a grant on a dev project, a dev secret, a dev key ring and a dev deployer', () => {
    const { stack } = policyStack();
    const e = governanceError(() => new GovernedServiceAccount(stack, 'Reader', {
      ...BASE,
      environment: 'prod',
      scope: [
        { role: 'roles/bigquery.dataViewer', project: 'acme-billing-dev' },
        { role: 'roles/secretmanager.secretAccessor', secret: 'projects/acme-billing-dev/secrets/token' },
        { role: 'roles/cloudkms.cryptoKeyDecrypter', cryptoKey: 'projects/acme-billing-dev/locations/europe-west1/keyRings/r/cryptoKeys/k' },
      ],
      usedBy: [{ member: 'serviceAccount:ci-deployer@acme-ci-dev.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountUser' }],
    }));
    expect(e.violations.map((v) => [v.code, v.field, v.message])).toEqual([
      ['NHI_ENVIRONMENT_CROSSING', 'scope[0].project', 'a prod identity reaches acme-billing-dev, which belongs to dev'],
      ['NHI_ENVIRONMENT_CROSSING', 'scope[1].secret', 'a prod identity reaches acme-billing-dev, which belongs to dev'],
      ['NHI_ENVIRONMENT_CROSSING', 'scope[2].cryptoKey', 'a prod identity reaches acme-billing-dev, which belongs to dev'],
      ['NHI_ENVIRONMENT_CROSSING', 'usedBy[0].member', 'a prod identity reaches acme-ci-dev, which belongs to dev'],
    ]);
    expect(e.violations[0].fix).toBe('keep environments apart (declare a separate dev identity), or justify this grant/trust');
  });

  test('Noncompliance: a dev account (or API key) living in a prod project; the policy\'s environment applies when the prop is not set', () => {
    const { app, stack } = policyStack();
    expect(governanceError(() => new GovernedServiceAccount(stack, 'Reader', { ...BASE, environment: 'dev' })).violations.map((v) => [v.code, v.field]))
      .toEqual([['NHI_ENVIRONMENT_CROSSING', 'project']]);
    GovernancePolicy.of(app).apply({ environment: 'dev' });
    expect(governanceError(() => new GovernedApiKey(stack, 'Key', KEY)).violations.map((v) => [v.code, v.field]))
      .toEqual([['NHI_ENVIRONMENT_CROSSING', 'project']]);
  });

  test('Compliance: justified grants and users, and projects of its own environment', () => {
    const { stack } = policyStack();
    const sa = new GovernedServiceAccount(stack, 'Reader', {
      ...BASE,
      environment: 'prod',
      scope: [
        { role: 'roles/bigquery.jobUser' },
        { role: 'roles/secretmanager.secretAccessor', secret: 'projects/acme-billing-dev/secrets/token', justification: 'Synthetic monitoring reads the dev token' },
      ],
      usedBy: [
        { member: CI, role: 'roles/iam.serviceAccountUser' },
        { member: 'serviceAccount:smoke@acme-ci-dev.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountTokenCreator', justification: 'Dev smoke tests check the prod report path' },
      ],
    });
    expect(sa.registerEntry.environment).toBe('prod');
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('Third-party identities (cdktf Google, NHI3)', () => {
  test('vendor identities get the shorter vendor maximum lifetime (default 90 days), accounts and API keys', () => {
    const { stack } = googleStack();
    const e = governanceError(() => new GovernedServiceAccount(stack, 'A', { ...BASE, vendor: VENDOR }));
    expect(e.violations[0]).toMatchObject({ code: 'NHI_EXPIRY_TOO_FAR', field: 'expires', message: 'is more than 90 days away (the policy\'s maximum lifetime)' });
    expect(governanceError(() => new GovernedApiKey(stack, 'K', { ...KEY, vendor: VENDOR })).violations.map((v) => v.code)).toEqual(['NHI_EXPIRY_TOO_FAR']);
    expect(() => new GovernedServiceAccount(stack, 'B', { ...BASE, vendor: VENDOR, expires: '2027-02-21' })).not.toThrow();
    GovernancePolicy.of(stack).apply({ vendorMaxLifetimeDays: 30 });
    expect(governanceError(() => new GovernedServiceAccount(stack, 'C', { ...BASE, accountId: 'c-vendor', vendor: VENDOR, expires: '2027-02-21' })).violations[0].message)
      .toBe('is more than 30 days away (the policy\'s maximum lifetime)');
  });

  test('Noncompliance: a vendor account with keys but no vendor justification (NHI_STATIC_CREDENTIALS_UNJUSTIFIED) and no contract (NHI_VENDOR_INVALID)', () => {
    const { stack } = googleStack();
    const e = governanceError(() => new GovernedServiceAccount(stack, 'Globex', {
      ...BASE, expires: '2027-01-31', vendor: { name: 'Globex Corp', contact: 'security@globex.example' }, keys: KEYS,
    }));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([
      ['NHI_STATIC_CREDENTIALS_UNJUSTIFIED', 'keys.vendorJustification'],
      ['NHI_VENDOR_INVALID', 'vendor.contractRef'],
    ]);
    expect(e.message).toContain('[NHI_STATIC_CREDENTIALS_UNJUSTIFIED] keys.vendorJustification');
    expect(e.violations[0].fix).toContain('let the vendor federate instead');
  });

  test('Noncompliance: keys.justification is still required for a vendor key; a vendor justification without a vendor is NHI_VENDOR_INVALID', () => {
    const { stack } = googleStack();
    expect(governanceError(() => new GovernedServiceAccount(stack, 'A', {
      ...BASE, expires: '2027-01-31', vendor: VENDOR, keys: { justification: 'tbd', vendorJustification: 'Globex runs on-premises without an OIDC issuer' },
    })).violations.map((v) => [v.code, v.field])).toEqual([['NHI_STATIC_CREDENTIALS_UNJUSTIFIED', 'keys.justification']]);
    expect(governanceError(() => new GovernedServiceAccount(stack, 'B', {
      ...BASE, keys: { ...KEYS, vendorJustification: 'Globex runs on-premises without an OIDC issuer' },
    })).violations.map((v) => [v.code, v.field])).toEqual([['NHI_VENDOR_INVALID', 'keys.vendorJustification']]);
  });

  test('Compliance: a vendor key with its own justification and a contract; a keyless vendor account federating in', () => {
    const { stack } = googleStack();
    const keyed = new GovernedServiceAccount(stack, 'Globex', {
      ...BASE, accountId: 'globex-usage-reader', expires: '2027-01-31', vendor: VENDOR,
      keys: { ...KEYS, vendorJustification: 'Globex runs on-premises without an OIDC issuer' },
    });
    const federated = new GovernedServiceAccount(stack, 'Initech', {
      ...BASE, accountId: 'initech-usage-reader', expires: '2027-01-31', vendor: { name: 'Initech', contact: 'sec@initech.example' },
      usedBy: [{ member: 'principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/initech/attribute.aws_role/arn:aws:sts::999988887777:assumed-role/initech-sync', role: 'roles/iam.workloadIdentityUser' }],
    });
    expect(() => synth(stack)).not.toThrow();
    expect(keyed.registerEntry).toMatchObject({ vendor: VENDOR, credentials: 'service-account-key' });
    expect(federated.registerEntry).toMatchObject({ vendor: { name: 'Initech' }, credentials: 'none' });
  });
});

describe('Who may use the account (cdktf Google, usedBy): NHI10 and NHI9', () => {
  const USED_BY = [
    { member: CI, role: 'roles/iam.serviceAccountUser' },
    { member: WIF, role: 'roles/iam.workloadIdentityUser' },
  ];

  test('one google_service_account_iam_member per user on the account, each with the expiry condition, and in the register', () => {
    const { stack } = googleStack();
    const sa = new GovernedServiceAccount(stack, 'Reader', { ...BASE, usedBy: USED_BY });
    const json = synth(stack);
    const users = of(json, 'google_service_account_iam_member');
    expect(users.map((u) => [u.member, u.role, u.service_account_id])).toEqual([
      [CI, 'roles/iam.serviceAccountUser', '${google_service_account.Reader_Account_054ADD96.name}'],
      [WIF, 'roles/iam.workloadIdentityUser', '${google_service_account.Reader_Account_054ADD96.name}'],
    ]);
    for (const u of users) expect(u.condition).toEqual({ ...sa.condition });
    // Roles granted to the account stay separate: its scope bindings name the account as member.
    expect(of(json, 'google_project_iam_member').filter((b) => b.member === '${google_service_account.Reader_Account_054ADD96.member}').map((b) => b.role))
      .toEqual(['roles/bigquery.jobUser']);
    expect(sa.userBindings).toHaveLength(2);
    expect(sa.registerEntry.details!.usedBy).toEqual([
      { member: CI, role: 'roles/iam.serviceAccountUser', kind: 'workload' },
      { member: WIF, role: 'roles/iam.workloadIdentityUser', kind: 'workload' },
    ]);
    expect(sa.registerEntry.controls).toEqual(['NHI1', 'NHI4', 'NHI5', 'NHI7', 'NHI9', 'NHI10']);
  });

  test('CEL: the usedBy conditions are true before expiry and false from the expiry date on', () => {
    const { stack } = googleStack();
    new GovernedServiceAccount(stack, 'Reader', { ...BASE, usedBy: USED_BY });
    const exprs = of(synth(stack), 'google_service_account_iam_member').map((u) => u.condition.expression);
    expect(exprs).toHaveLength(2);
    for (const e of exprs) {
      expect(run(e, at('2026-11-23T08:00:00Z'))).toBe(true);
      expect(run(e, at('2027-06-29T23:59:59Z'))).toBe(true);
      expect(run(e, at('2027-06-30T00:00:00Z'))).toBe(false);
    }
  });

  test('binding ids do not depend on the order of usedBy', () => {
    const ids = (usedBy: typeof USED_BY) => {
      const { stack } = googleStack();
      new GovernedServiceAccount(stack, 'Reader', { ...BASE, usedBy });
      return Object.keys(synth(stack).resource.google_service_account_iam_member).sort();
    };
    expect(ids([...USED_BY].reverse())).toEqual(ids(USED_BY));
  });

  test.each([
    ['user:alice@example.com', 'a person (user:)'],
    ['group:billing-devs@example.com', 'a group of people (group:)'],
    ['domain:example.com', 'everyone of a domain (domain:)'],
  ])('Noncompliance NHI_HUMAN_USE: %s granted token creation, unless justified', (member, what) => {
    const { stack } = googleStack();
    const e = governanceError(() => new GovernedServiceAccount(stack, 'Reader', { ...BASE, usedBy: [{ member, role: 'roles/iam.serviceAccountTokenCreator' }] }));
    expect(e.violations.map((v) => [v.code, v.field, v.message])).toEqual([
      ['NHI_HUMAN_USE', 'usedBy[0].member', `is ${what}, so people could act as this non-human identity`],
    ]);
    const sa = new GovernedServiceAccount(stack, 'BreakGlass', {
      ...BASE, accountId: 'billing-break-glass', usedBy: [{ member, role: 'roles/iam.serviceAccountTokenCreator', justification: 'Break-glass access during incident response' }],
    });
    expect(sa.registerEntry.details!.usedBy).toEqual([{ member, role: 'roles/iam.serviceAccountTokenCreator', kind: 'human', justification: 'Break-glass access during incident response' }]);
  });

  test.each(['allUsers', 'allAuthenticatedUsers'])('Noncompliance NHI_TRUST_WILDCARD: %s, justified or not', (member) => {
    const { stack } = googleStack();
    const e = governanceError(() => new GovernedServiceAccount(stack, 'Reader', {
      ...BASE, usedBy: [{ member, role: 'roles/iam.serviceAccountTokenCreator', justification: 'Public demo needs open access' }],
    }));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_TRUST_WILDCARD', 'usedBy[0].member']]);
  });

  test('Noncompliance NHI_TRUST_SHARED: two unrelated workloads run as the account, unless the extra one is justified', () => {
    const { stack } = googleStack();
    const other = 'serviceAccount:export-job@acme-billing-prod.iam.gserviceaccount.com';
    const e = governanceError(() => new GovernedServiceAccount(stack, 'Reader', {
      ...BASE, usedBy: [{ member: WIF, role: 'roles/iam.workloadIdentityUser' }, { member: other, role: 'roles/iam.serviceAccountTokenCreator' }],
    }));
    expect(e.violations.map((v) => [v.code, v.field, v.message])).toEqual([
      ['NHI_TRUST_SHARED', 'usedBy', 'lets 2 workloads run as the account; one identity serves one workload'],
    ]);
    expect(() => new GovernedServiceAccount(stack, 'Ok', {
      ...BASE, accountId: 'billing-ok', usedBy: [{ member: WIF, role: 'roles/iam.workloadIdentityUser' }, { member: other, role: 'roles/iam.serviceAccountTokenCreator', justification: 'Export job shares the reporter during migration' }],
    })).not.toThrow();
  });

  test('Noncompliance NHI_TRUST_INVALID: a role granted to the account, or a malformed member', () => {
    const { stack } = googleStack();
    const e = governanceError(() => new GovernedServiceAccount(stack, 'Reader', {
      ...BASE, usedBy: [{ member: CI, role: 'roles/storage.admin' }, { member: 'ci-deployer@acme-ci-prod.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountUser' }],
    }));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_TRUST_INVALID', 'usedBy[0].role'], ['NHI_TRUST_INVALID', 'usedBy[1].member']]);
  });

  test('a governed account as the user: its member (a token) is accepted and resolved in the register', () => {
    const { stack } = googleStack();
    const ci = new GovernedServiceAccount(stack, 'Deployer', { ...BASE, accountId: 'billing-deployer', scope: [{ role: 'roles/run.developer' }] });
    new GovernedServiceAccount(stack, 'Reader', { ...BASE, usedBy: [{ member: ci.member, role: 'roles/iam.serviceAccountUser' }] });
    const json = synth(stack);
    expect(of(json, 'google_service_account_iam_member')[0].member).toBe('${google_service_account.Deployer_Account_9F5C6AE7.member}');
    const dir = Testing.fullSynth(stack);
    const reg = readRegister(fs.readFileSync(path.join(dir, 'stacks', 'stack', 'nhi-register.json'), 'utf8'));
    expect(reg.identities.find((i: any) => i.path === 'stack/Reader')!.details.usedBy[0].member).toBe('${google_service_account.Deployer_Account_9F5C6AE7.member}');
  });
});

describe('One identity per workload (cdktf Google, NHI9)', () => {
  test('NHI_IDENTITY_REUSE: two accounts of one system with overlapping scope, across stacks; accepted with a reuse justification', () => {
    const { app, stack } = googleStack();
    new GovernedServiceAccount(stack, 'A', { ...BASE, system: 'billing-reporter' });
    const other = new TerraformStack(app, 'other');
    new GoogleProvider(other, 'google', { project: PROJECT, region: 'europe-west1' });
    new GovernedServiceAccount(other, 'B', { ...BASE, accountId: 'billing-report-reader-2', system: 'billing-reporter' });
    expect(() => Testing.synth(stack, true)).toThrow(/NHI_IDENTITY_REUSE\] stack\/A: shares system 'billing-reporter' and part of its scope .*roles\/bigquery\.jobUser.* with other\/B/);
    const { stack: s2 } = googleStack();
    new GovernedServiceAccount(s2, 'A', { ...BASE, system: 'billing-reporter' });
    new GovernedServiceAccount(s2, 'B', { ...BASE, accountId: 'billing-report-reader-2', system: 'billing-reporter', reuseJustification: 'Blue/green pair of the reporter during migration' });
    expect(() => Testing.synth(s2, true)).not.toThrow();
  });
});

describe('Offboarding (cdktf Google, NHI1)', () => {
  function synthDir(withLegacy: boolean): { tf: any; reg: any } {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-off-google-'));
    const app = new App({ outdir, context: { 'nhi:today': TODAY } });
    const stack = new TerraformStack(app, 's');
    new GoogleProvider(stack, 'google', { project: PROJECT, region: 'europe-west1' });
    new GovernedServiceAccount(stack, 'Reader', BASE);
    if (withLegacy) {
      new GovernedServiceAccount(stack, 'Legacy', {
        ...BASE, accountId: 'billing-legacy-scanner', expires: '2027-05-31', keys: KEYS,
        usedBy: [{ member: CI, role: 'roles/iam.serviceAccountUser' }],
      });
    }
    app.synth();
    return {
      tf: JSON.parse(fs.readFileSync(path.join(outdir, 'stacks/s/cdk.tf.json'), 'utf8')),
      reg: readRegister(fs.readFileSync(path.join(outdir, 'stacks/s/nhi-register.json'), 'utf8')),
    };
  }

  test('removing the account from code removes everything of it: account, key, secret, bindings, schedules, watches, register entry', () => {
    const before = synthDir(true);
    const after = synthDir(false);
    const mentions = (tf: any) => JSON.stringify(tf.resource).match(/Legacy_[A-Za-z_]*[0-9A-F]{8}|billing-legacy-scanner|s\/Legacy/g) ?? [];
    expect(mentions(before.tf).length).toBeGreaterThan(8);
    expect(mentions(after.tf)).toEqual([]);
    expect(after.reg.identities.map((i: any) => i.path)).toEqual(['s/Reader']);
    // Terraform destroys what is gone; the key secret can be deleted (no deletion protection) and expires anyway.
    expect(of(before.tf, 'google_secret_manager_secret')[0]).toMatchObject({ deletion_protection: false, expire_time: '2027-05-31T00:00:00Z' });
    expect(of(after.tf, 'google_cloud_scheduler_job').some((j) => j.schedule === '0 0 31 5 *')).toBe(false);
  });
});
