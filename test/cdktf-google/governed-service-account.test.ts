import { run } from '@bufbuild/cel';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'fs';
import * as path from 'path';
import { GovernedServiceAccount, GovernedServiceAccountProps } from '../../lib/cdktf-google';
import { GovernancePolicy } from '../../lib/core';
import { parseGoogleServiceAccountDescription } from '../../lib/core/google-description';

Testing.setupJest();
import { googleStack, GOVERNANCE, PROJECT } from './helpers';
import { readRegister } from '../../lib/core/register';

const BASE: GovernedServiceAccountProps = {
  ...GOVERNANCE,
  project: PROJECT,
  accountId: 'billing-report-reader',
  scope: [
    { role: 'roles/bigquery.jobUser' },
    { role: 'roles/storage.objectViewer', bucket: 'acme-billing-exports' },
    { role: 'roles/secretmanager.secretAccessor', secret: 'warehouse-password' },
  ],
};

function build(props: Partial<GovernedServiceAccountProps> = {}, context: Record<string, unknown> = {}) {
  const { app, stack } = googleStack('stack', context);
  const sa = new GovernedServiceAccount(stack, 'Reader', { ...BASE, ...props } as GovernedServiceAccountProps);
  return { app, stack, sa, json: JSON.parse(Testing.synth(stack, true)) };
}

const of = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});
const IAM_TYPES = ['google_project_iam_member', 'google_storage_bucket_iam_member', 'google_secret_manager_secret_iam_member', 'google_kms_crypto_key_iam_member'];
const bindings = (json: any) => IAM_TYPES.flatMap((t) => of(json, t)).filter((b) => b.member === '${google_service_account.Reader_Account_054ADD96.member}');
const at = (iso: string) => ({ request: new Map<string, unknown>([['time', timestampFromDate(new Date(iso))]]) }) as any;

function governanceError(fn: () => unknown): { name: string; message: string; violations: { code: string; field: string; message: string; fix: string }[] } {
  try {
    fn();
  } catch (e: any) {
    if (e?.name !== 'GovernanceError') throw e;
    return e;
  }
  throw new Error('expected a GovernanceError');
}

describe('GovernedServiceAccount (cdktf Google): a keyless account whose bindings expire', () => {
  test('creates the account with governance in description and display name, and one binding per grant', () => {
    const { json, sa } = build();
    const accounts = of(json, 'google_service_account').filter((a) => a.account_id === 'billing-report-reader');
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toEqual({
      project: PROJECT,
      account_id: 'billing-report-reader',
      description: 'nhi owner=billing contact=billing@example.com expires=2027-06-30 purpose=Reads nightly billing exports for the reporting job',
      display_name: 'Reads nightly billing exports for the reporting job [nhi billing until 2027-06-30]',
    });
    expect(parseGoogleServiceAccountDescription(accounts[0].description)).toMatchObject({ team: 'billing', expires: '2027-06-30' });
    expect(sa.email).toBe('billing-report-reader@acme-billing-prod.iam.gserviceaccount.com');
    expect(bindings(json).map((b) => b.role).sort()).toEqual(['roles/bigquery.jobUser', 'roles/secretmanager.secretAccessor', 'roles/storage.objectViewer']);
    expect(of(json, 'google_project_iam_member').find((b) => b.role === 'roles/bigquery.jobUser').project).toBe(PROJECT);
    expect(of(json, 'google_storage_bucket_iam_member')[0].bucket).toBe('acme-billing-exports');
    expect(of(json, 'google_secret_manager_secret_iam_member')[0]).toMatchObject({ secret_id: 'warehouse-password', project: PROJECT });
    expect(json.resource.google_service_account_key).toBeUndefined();
    expect(json.resource.google_secret_manager_secret).toBeUndefined();
  });

  test('every binding carries the expiry condition, naming owner and purpose', () => {
    const { stack, json } = build();
    for (const b of bindings(json)) {
      expect(b.condition).toEqual({
        title: 'nhi: billing until 2027-06-30',
        description: 'Expires 2027-06-30T00:00:00Z (nhi-constructs). Owner billing <billing@example.com>. Purpose: Reads nightly billing exports for the reporting job',
        expression: 'request.time < timestamp("2027-06-30T00:00:00Z")',
      });
    }
    expect(Testing.synth(stack)).toHaveResourceWithProperties(
      require('@cdktf/provider-google/lib/storage-bucket-iam-member').StorageBucketIamMember,
      { bucket: 'acme-billing-exports', role: 'roles/storage.objectViewer', condition: expect.objectContaining({ expression: 'request.time < timestamp("2027-06-30T00:00:00Z")' }) },
    );
  });

  test('CEL: the synthesised conditions are true before expiry and false from the expiry date on', () => {
    const { json } = build();
    const exprs = bindings(json).map((b) => b.condition.expression);
    expect(exprs).toHaveLength(3);
    for (const e of exprs) {
      expect(run(e, at('2026-11-23T08:00:00Z'))).toBe(true);
      expect(run(e, at('2027-06-29T23:59:59Z'))).toBe(true);
      expect(run(e, at('2027-06-30T00:00:00Z'))).toBe(false);
      expect(run(e, at('2028-01-01T00:00:00Z'))).toBe(false);
    }
  });

  test('alerts go to the owner: e-mail channel, notices, key-created and access-denied log alerts', () => {
    const { json } = build();
    const channels = of(json, 'google_monitoring_notification_channel');
    expect(channels).toEqual([expect.objectContaining({ type: 'email', labels: { email_address: 'billing@example.com' }, project: PROJECT })]);
    const policies = of(json, 'google_monitoring_alert_policy');
    expect(policies.map((p) => p.display_name).sort()).toEqual([
      'NHI access denied: accounts of billing',
      'NHI key created: accounts of billing',
      'NHI notices for billing (billing@example.com)',
      'NHI ungoverned key used: accounts of billing',
    ]);
    const email = 'billing-report-reader@acme-billing-prod.iam.gserviceaccount.com';
    const filters = policies.map((p) => p.conditions[0].condition_matched_log.filter);
    expect(filters.some((f) => f.includes('CreateServiceAccountKey') && f.includes(`resource.labels.email_id=("${email}")`))).toBe(true);
    expect(filters.some((f) => f.includes(`principalEmail=("${email}")`) && f.includes('status.code=7'))).toBe(true);
    // A keyless account: any key use alerts.
    expect(filters).toContain(`protoPayload.authenticationInfo.principalEmail=("${email}") AND protoPayload.authenticationInfo.serviceAccountKeyName:*`);
    for (const p of policies) {
      expect(p.notification_channels).toEqual([expect.stringMatching(/^\$\{google_monitoring_notification_channel\..*\.id\}$/)]);
      expect(p.alert_strategy.notification_rate_limit.period).toBe('300s');
      expect(p.documentation.subject).toMatch(/\$\$\{log\.extracted_label\./);
    }
    const jobs = of(json, 'google_cloud_scheduler_job');
    expect(jobs.map((j) => j.schedule).sort()).toEqual(['0 0 30 6 *', '0 9 31 5 *']);
    const reminder = jobs.find((j) => j.schedule === '0 9 31 5 *');
    const body = JSON.parse(Buffer.from(reminder.http_target.body, 'base64').toString('utf8'));
    expect(body.entries[0]).toMatchObject({
      logName: `projects/${PROJECT}/logs/nhi-notices`,
      jsonPayload: { subject: '[nhi] identities expire on 2027-06-30', identities: ['stack/Reader'] },
    });
    expect(reminder.http_target.oauth_token.service_account_email).toMatch(/google_service_account\.NhiGoogleNotices_.*Notifier.*\.email/);
    const role = of(json, 'google_project_iam_custom_role')[0];
    expect(role.permissions).toEqual(['logging.logEntries.create']);
  });

  test('a channel the user passes replaces the owner channel; the runbook is linked', () => {
    const channel = 'projects/acme-billing-prod/notificationChannels/123';
    const { json, sa } = build({ alarms: { notificationChannel: channel, runbookUrl: 'https://wiki.example.com/nhi', schedulerRegion: 'europe-west3' } });
    expect(json.resource.google_monitoring_notification_channel).toBeUndefined();
    for (const p of of(json, 'google_monitoring_alert_policy')) {
      expect(p.notification_channels).toEqual([channel]);
      expect(p.documentation.content).toContain('Runbook: https://wiki.example.com/nhi');
    }
    expect(of(json, 'google_cloud_scheduler_job').every((j) => j.region === 'europe-west3')).toBe(true);
    expect(sa.registerEntry.alarms.every((a) => a.notifies === channel)).toBe(true);
  });

  test('identities of one owner share the channel, the notices and the alert policies', () => {
    const { stack } = googleStack();
    for (let i = 0; i < 3; i++) new GovernedServiceAccount(stack, `Sa${i}`, { ...BASE, accountId: `billing-reader-${i}` });
    const json = JSON.parse(Testing.synth(stack, true));
    expect(of(json, 'google_monitoring_notification_channel')).toHaveLength(1);
    expect(of(json, 'google_monitoring_alert_policy')).toHaveLength(4);
    expect(of(json, 'google_cloud_scheduler_job')).toHaveLength(2);
    expect(of(json, 'google_service_account')).toHaveLength(4); // three identities + the notifier
    const keyPolicy = of(json, 'google_monitoring_alert_policy').find((p) => p.display_name.startsWith('NHI key created'));
    expect(keyPolicy.conditions[0].condition_matched_log.filter).toContain('"billing-reader-0@acme-billing-prod.iam.gserviceaccount.com" OR "billing-reader-1@');
  });
});

describe('GovernedServiceAccount (cdktf Google): keys only with a justification', () => {
  const keys = { justification: 'On-premises invoice scanner cannot use workload identity federation', rotationDays: 30 };

  test('two overlapping keys (two time_rotating slots, the second offset by one period), the newer in Secret Manager, both disabled at expiry', () => {
    const { json, sa } = build({ keys });
    const keysJson = of(json, 'google_service_account_key');
    expect(keysJson).toHaveLength(2);
    for (const key of keysJson) {
      expect(key.keepers).toEqual({ rotation: expect.stringMatching(/^\$\{time_rotating\..*\.id\}$/) });
      expect(key.lifecycle).toEqual({ create_before_destroy: true, replace_triggered_by: [expect.stringMatching(/^terraform_data\./)] });
    }
    expect(keysJson[0].keepers.rotation).not.toEqual(keysJson[1].keepers.rotation);
    // Each slot lives two periods; slot B starts one period after slot A, set once (ignore_changes).
    const [slotA, slotB] = of(json, 'time_rotating');
    expect(slotA).toEqual({ rotation_days: 60 });
    expect(slotB).toEqual({
      rotation_days: 60,
      rfc3339: expect.stringMatching(/^\$\{timeadd\(time_rotating\..*SlotA.*\.rfc3339, "720h"\)\}$/),
      lifecycle: { ignore_changes: ['rfc3339'] },
    });
    const secret = of(json, 'google_secret_manager_secret')[0];
    expect(secret).toMatchObject({ secret_id: 'nhi-sa-key-billing-report-reader', expire_time: '2027-06-30T00:00:00Z', replication: { auto: {} } });
    expect(secret.labels).toMatchObject({ 'nhi-owner-team': 'billing', 'nhi-expires': '2027-06-30', 'nhi-rotation-days': '30', 'nhi-managed-by': 'nhi-constructs' });
    for (const [k, v] of Object.entries(secret.labels as Record<string, string>)) {
      expect(k).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
      expect(v).toMatch(/^[a-z0-9_-]{0,63}$/);
    }
    // The secret holds the key of the slot whose period started last.
    expect(of(json, 'google_secret_manager_secret_version')[0].secret_data).toMatch(
      /^\$\{base64decode\(\(timecmp\(time_rotating\..*SlotA.*\.rfc3339, time_rotating\..*SlotB.*.rfc3339\) == 1\) \? google_service_account_key\.Reader_Key_[0-9A-F]+\.private_key : google_service_account_key\.Reader_KeyB_[0-9A-F]+\.private_key\)\}$/);
    const disable = of(json, 'google_cloud_scheduler_job').filter((j) => j.http_target.uri.endsWith(':disable'));
    expect(disable).toHaveLength(2);
    expect(disable[0]).toMatchObject({ schedule: '0 0 30 6 *', time_zone: 'Etc/UTC', http_target: { http_method: 'POST' } });
    expect(disable.map((d) => d.http_target.uri)).toEqual([
      expect.stringMatching(/^https:\/\/iam\.googleapis\.com\/v1\/\$\{google_service_account_key\.Reader_Key_.*\.name\}:disable$/),
      expect.stringMatching(/^https:\/\/iam\.googleapis\.com\/v1\/\$\{google_service_account_key\.Reader_KeyB_.*\.name\}:disable$/),
    ]);
    expect(of(json, 'google_project_iam_custom_role')[0].permissions).toEqual(['iam.serviceAccountKeys.disable', 'logging.logEntries.create']);
    expect(sa.keys).toHaveLength(2);
    expect(sa.registerEntry).toMatchObject({ credentials: 'service-account-key', rotation: { days: 30 }, controls: ['NHI1', 'NHI2', 'NHI5', 'NHI7'] });
    expect(sa.registerEntry.details!.limitations.join(' ')).toContain('constraints/iam.serviceAccountKeyExpiryHours');
  });

  test('key use alerts only for keys other than the two governed ones', () => {
    const { json } = build({ keys });
    const used = of(json, 'google_monitoring_alert_policy').find((p) => p.display_name.startsWith('NHI ungoverned key used'));
    expect(used.conditions[0].condition_matched_log.filter).toMatch(
      /AND protoPayload\.authenticationInfo\.serviceAccountKeyName:\* AND NOT protoPayload\.authenticationInfo\.serviceAccountKeyName=\("\/\/iam\.googleapis\.com\/\$\{google_service_account_key\.Reader_Key_[0-9A-F]+\.name\}" OR "\/\/iam\.googleapis\.com\/\$\{google_service_account_key\.Reader_KeyB_[0-9A-F]+\.name\}"\)$/);
  });

  test('the private key never reaches an output', () => {
    const { json } = build({ keys });
    expect(json.output).toBeUndefined();
  });

  test('Noncompliance NHI_STATIC_CREDENTIALS_UNJUSTIFIED: keys without a real justification (field keys.justification)', () => {
    const e = governanceError(() => build({ keys: { justification: 'tbd' } }));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_STATIC_CREDENTIALS_UNJUSTIFIED', 'keys.justification']]);
    expect(e.message).toContain('stack/Reader');
    expect(e.violations[0].fix).toMatch(/remove keys/);
  });

  test('Noncompliance NHI_ROTATION_TOO_LONG: keys.rotationDays over the policy', () => {
    const e = governanceError(() => build({ keys: { ...keys, rotationDays: 120 } }));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_ROTATION_TOO_LONG', 'keys.rotationDays']]);
  });
});

describe('GovernedServiceAccount (cdktf Google): every violation at once', () => {
  test('contract, name, project and scope violations in one GovernanceError', () => {
    const e = governanceError(() => build({
      owner: { team: 'Billing Team', contact: 'nope' },
      purpose: 'todo',
      expires: '2026-01-01',
      accountId: 'Bad_Id',
      project: '123',
      scope: [{ role: 'roles/editor' }, { role: 'roles/iam.serviceAccountUser' }, { role: 'roles/storage.objectViewer', bucket: 'b-*' }],
    }));
    expect(e.name).toBe('GovernanceError');
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([
      ['NHI_OWNER_TEAM_INVALID', 'owner.team'],
      ['NHI_OWNER_CONTACT_INVALID', 'owner.contact'],
      ['NHI_PURPOSE_VAGUE', 'purpose'],
      ['NHI_EXPIRY_PAST', 'expires'],
      ['NHI_NAME_INVALID', 'accountId'],
      ['NHI_PROJECT_INVALID', 'project'],
      ['NHI_SCOPE_BASIC_ROLE', 'scope[0].role'],
      ['NHI_SCOPE_PRIVILEGED', 'scope[1].role'],
      ['NHI_SCOPE_WILDCARD', 'scope[2].bucket'],
    ]);
    expect(e.message).toMatch(/^9 governance violations in stack\/Reader:/);
    expect(e.message).toContain('[NHI_SCOPE_BASIC_ROLE] scope[0].role');
  });

  test('plain JavaScript callers that omit everything get the error, never a TypeError', () => {
    const { stack } = googleStack();
    const e = governanceError(() => new GovernedServiceAccount(stack, 'Empty', undefined as any));
    expect(e.violations.map((v) => v.code)).toEqual([
      'NHI_OWNER_MISSING', 'NHI_PURPOSE_MISSING', 'NHI_EXPIRY_MISSING', 'NHI_NAME_INVALID', 'NHI_PROJECT_INVALID', 'NHI_SCOPE_EMPTY',
    ]);
  });

  test('Noncompliance NHI_SCOPE_FORBIDDEN: a policy on the app forbids a role', () => {
    const { stack, app } = googleStack();
    GovernancePolicy.of(app).apply({ forbiddenActions: ['roles/cloudsql.client'] });
    const e = governanceError(() => new GovernedServiceAccount(stack, 'Reader', { ...BASE, scope: [{ role: 'roles/cloudsql.client' }] }));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_SCOPE_FORBIDDEN', 'scope[0].role']]);
  });

  test('Noncompliance NHI_EXPIRY_TOO_FAR: beyond the policy lifetime', () => {
    const e = governanceError(() => build({ expires: '2028-01-01' }));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_EXPIRY_TOO_FAR', 'expires']]);
  });
});

describe('GovernedServiceAccount (cdktf Google): register and determinism', () => {
  test('register entry with cloud google, written beside cdk.tf.json', () => {
    const { stack, sa } = build({ scope: [{ role: 'roles/run.invoker' }, { role: 'roles/iam.serviceAccountTokenCreator', justification: 'Signs URLs for the download service' }] });
    const outdir = Testing.fullSynth(stack);
    const reg = readRegister(fs.readFileSync(path.join(outdir, 'stacks', 'stack', 'nhi-register.json'), 'utf8'));
    expect(reg.version).toBe(2);
    expect(reg.identities).toMatchObject([{
      path: 'stack/Reader',
      kind: 'service-account',
      cloud: 'google',
      name: 'billing-report-reader@acme-billing-prod.iam.gserviceaccount.com',
      owner: { team: 'billing', contact: 'billing@example.com' },
      purpose: 'Reads nightly billing exports for the reporting job',
      expires: '2027-06-30',
      credentials: 'none',
      rotation: null,
      scope: [
        { role: 'roles/run.invoker', on: 'project', resource: PROJECT, privileged: false },
        { role: 'roles/iam.serviceAccountTokenCreator', on: 'project', resource: PROJECT, privileged: true, justification: 'Signs URLs for the download service' },
      ],
      alarms: sa.registerEntry.alarms.map((a) => ({ ...a })),
      controls: ['NHI1', 'NHI4', 'NHI5', 'NHI7'],
      details: {
        project: PROJECT,
        accountId: 'billing-report-reader',
        condition: 'request.time < timestamp("2027-06-30T00:00:00Z")',
        limitations: expect.any(Array),
      },
    }]);
    expect(reg.identities[0].alarms.map((a: any) => a.kind)).toEqual(['expiry-reminder', 'expired', 'access-denied', 'key-created', 'key-used']);
  });

  test('the description carries the system (the workload) beside the owner', () => {
    const { json } = build({ system: 'billing-reporter' });
    const account = of(json, 'google_service_account').find((a) => a.account_id === 'billing-report-reader');
    expect(account.description).toBe('nhi owner=billing contact=billing@example.com system=billing-reporter expires=2027-06-30 purpose=Reads nightly billing exports for the reporting job');
    expect(parseGoogleServiceAccountDescription(account.description)).toMatchObject({ team: 'billing', system: 'billing-reporter' });
  });

  test('a project given as a TerraformVariable synthesises with no cdktf warning and no unresolved token', () => {
    const { stack } = googleStack();
    const { TerraformVariable } = require('cdktf');
    const project = new TerraformVariable(stack, 'project', { type: 'string' }).stringValue;
    const printed: string[] = [];
    const spies = (['log', 'warn', 'error', 'info'] as const).map((m) => jest.spyOn(console, m).mockImplementation((...a: unknown[]) => { printed.push(a.join(' ')); }));
    const writes = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { printed.push(String(chunk)); return true; });
    let text: string;
    try {
      // Keys, notices, alarms and the disable-at-expiry call all take the project.
      new GovernedServiceAccount(stack, 'Reader', { ...BASE, project, keys: { justification: 'On-premises invoice scanner cannot federate' } });
      text = Testing.synth(stack, true);
    } finally {
      for (const s of [...spies, writes]) s.mockRestore();
    }
    expect(printed.join('\n')).not.toMatch(/may be incorrect|TfToken|TOKEN\./);
    expect(text).not.toMatch(/TfToken|TOKEN\.\d/);
    const bodies = of(JSON.parse(text), 'google_cloud_scheduler_job').map((j) => j.http_target.body).filter((b) => b.includes('jsonencode'));
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) expect(b).toContain('"logName" = join("", ["projects/", var.project, "/logs/nhi-notices"])');
  });

  test('a project given as a token: email and register hold Terraform references', () => {
    const { stack } = googleStack();
    const { TerraformVariable } = require('cdktf');
    const project = new TerraformVariable(stack, 'project', { type: 'string' }).stringValue;
    const sa = new GovernedServiceAccount(stack, 'Reader', { ...BASE, project });
    const json = JSON.parse(Testing.synth(stack, true));
    expect(of(json, 'google_project_iam_member').find((b) => b.role === 'roles/bigquery.jobUser').project).toBe('${var.project}');
    expect(sa.email).not.toContain('@');
    const outdir = Testing.fullSynth(stack);
    const reg = readRegister(fs.readFileSync(path.join(outdir, 'stacks', 'stack', 'nhi-register.json'), 'utf8'));
    expect(reg.identities[0].name).toBe('${google_service_account.Reader_Account_054ADD96.email}');
  });

  test('two synths of the same app are byte-identical (template and register)', () => {
    const synthOnce = () => {
      const { stack } = googleStack();
      new GovernedServiceAccount(stack, 'Reader', { ...BASE, keys: { justification: 'On-premises invoice scanner cannot federate' } });
      new GovernedServiceAccount(stack, 'Writer', { ...BASE, accountId: 'billing-writer', scope: [{ role: 'roles/storage.objectCreator', bucket: 'acme-inbox' }] });
      const dir = Testing.fullSynth(stack);
      return ['cdk.tf.json', 'nhi-register.json'].map((f) => fs.readFileSync(path.join(dir, 'stacks', 'stack', f), 'utf8'));
    };
    expect(synthOnce()).toEqual(synthOnce());
  });
});

describe('GovernedServiceAccount (cdktf Google): stack-wide enforcement', () => {
  test('governed accounts and their shared notice plumbing pass Governance.enforce; a bare account and a widening grant fail it', () => {
    const { Governance } = require('../../lib/cdktf');
    const { ServiceAccount } = require('@cdktf/provider-google/lib/service-account');
    const { ProjectIamMember } = require('@cdktf/provider-google/lib/project-iam-member');
    const { stack, app } = googleStack();
    Governance.of(app).enforce();
    const sa = new GovernedServiceAccount(stack, 'Reader', { ...BASE, keys: { justification: 'On-premises invoice scanner cannot federate' } });
    expect(() => Testing.synth(stack, true)).not.toThrow();
    new ServiceAccount(stack, 'Bare', { accountId: 'bare-account' });
    new ProjectIamMember(stack, 'Widen', { project: PROJECT, role: 'roles/storage.admin', member: sa.member });
    let message = '';
    try {
      Testing.synth(stack, true);
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toContain('NHI_UNGOVERNED_IDENTITY');
    expect(message).toContain('NHI_SCOPE_WIDENED');
  });
});

describe('GovernedServiceAccount (cdktf Google): extra labels and shared contract fields', () => {
  test('tags become sanitised labels on the key secret; system reaches the register', () => {
    const { sa, json } = build({ keys: { justification: 'On-premises invoice scanner cannot federate' }, tags: { 'Cost-Center': 'CC 1234' }, system: 'invoice-scanner' } as any);
    const labels = of(json, 'google_secret_manager_secret')[0].labels;
    expect(labels['cost-center']).toBe('cc_1234');
    expect(labels['nhi-owner-team']).toBe('billing');
    expect(sa.registerEntry).toMatchObject({ system: 'invoice-scanner', cloud: 'google' });
  });
});

describe('GovernedServiceAccount (cdktf Google): watched accounts in batches', () => {
  test('300 accounts of one owner: alert filters stay under Cloud Logging\'s 20,000 characters, every account watched once', () => {
    const { stack } = googleStack();
    for (let i = 0; i < 300; i++) new GovernedServiceAccount(stack, `Sa${i}`, { ...BASE, accountId: `billing-reader-${i}`, scope: [{ role: 'roles/run.invoker' }] });
    const json = JSON.parse(Testing.synth(stack));
    const keyPolicies = of(json, 'google_monitoring_alert_policy').filter((p) => p.display_name.startsWith('NHI key created'));
    expect(keyPolicies.length).toBe(2);
    const filters = keyPolicies.map((p) => p.conditions[0].condition_matched_log.filter as string);
    for (const f of filters) expect(f.length).toBeLessThan(20_000);
    const watched = filters.flatMap((f) => f.match(/billing-reader-\d+@/g) ?? []);
    expect(watched).toHaveLength(300);
    expect(new Set(watched).size).toBe(300);
  });
});
