// cdktf Google: synth of N governed service accounts vs the same Terraform written by hand (see
// `equivalent`: every resource the construct emits for these props), as a scaling series printed
// per identity, and peak RSS vs a minimal account + binding app.
import { argNumber, assertCompiled, BenchCase, childMain, compare, requireCompiled, seriesSizes } from './harness';

/** Identities per synth: `--n` of the child's arguments. */
const N = argNumber('--n', 1000);
const PROJECT = 'acme-bench-prod';

function outdir(): string {
  return require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'nhi-bench-google-'));
}

const bare: BenchCase = () => {
  const { App, TerraformStack } = require('cdktf');
  const { GoogleProvider } = require('@cdktf/provider-google/lib/provider');
  const { ServiceAccount } = require('@cdktf/provider-google/lib/service-account');
  const { ProjectIamMember } = require('@cdktf/provider-google/lib/project-iam-member');
  return () => {
    const app = new App({ outdir: outdir() });
    const stack = new TerraformStack(app, 'bench');
    new GoogleProvider(stack, 'google', { project: PROJECT, region: 'europe-west1' });
    for (let i = 0; i < N; i++) {
      const sa = new ServiceAccount(stack, `Sa${i}`, {
        project: PROJECT,
        accountId: `svc-account-${i}`,
        displayName: 'Reads nightly billing exports',
        description: 'owner billing',
      });
      new ProjectIamMember(stack, `Grant${i}`, { project: PROJECT, role: 'roles/bigquery.dataViewer', member: sa.member });
    }
    app.synth();
  };
};

// What a team writes by hand to get the same Terraform as the construct emits for these props:
// per account the account (owner, expiry and purpose in its description and display name) and its
// binding with the expiry condition; per stack the owner's notification channel, the notices alert
// policy, the two notice jobs (their request lists every account's path), a keyless notifier
// account with its custom role and binding, and per batch of accounts (as many e-mails as fit in
// a log filter) the key-created, key-used and access-denied alert policies listing the e-mails.
// The only thing the construct adds is its own work: validation, the register and the check of
// the synthesised artifact.
const equivalent: BenchCase = () => {
  const { App, TerraformStack } = require('cdktf');
  const { Construct } = require('constructs');
  const { GoogleProvider } = require('@cdktf/provider-google/lib/provider');
  const { ServiceAccount } = require('@cdktf/provider-google/lib/service-account');
  const { ProjectIamMember } = require('@cdktf/provider-google/lib/project-iam-member');
  const { ProjectIamCustomRole } = require('@cdktf/provider-google/lib/project-iam-custom-role');
  const { MonitoringNotificationChannel } = require('@cdktf/provider-google/lib/monitoring-notification-channel');
  const { MonitoringAlertPolicy } = require('@cdktf/provider-google/lib/monitoring-alert-policy');
  const { CloudSchedulerJob } = require('@cdktf/provider-google/lib/cloud-scheduler-job');
  return () => {
    const app = new App({ outdir: outdir() });
    const stack = new TerraformStack(app, 'bench');
    new GoogleProvider(stack, 'google', { project: PROJECT, region: 'europe-west1' });
    const labels = { 'nhi-managed-by': 'hand', 'nhi-owner-team': 'billing' };
    const channel = new MonitoringNotificationChannel(stack, 'Owner', {
      project: PROJECT, type: 'email', displayName: 'NHI notices for billing (billing@example.com)',
      description: 'expiry reminders and alerts of the non-human identities this team owns', labels: { email_address: 'billing@example.com' }, userLabels: labels,
    });
    const common = {
      project: PROJECT, combiner: 'OR', severity: 'WARNING', notificationChannels: [channel.id], userLabels: labels,
      alertStrategy: { notificationRateLimit: { period: '300s' }, autoClose: '1800s' },
    };
    new MonitoringAlertPolicy(stack, 'Notices', {
      ...common,
      displayName: 'NHI notices for billing (billing@example.com)',
      conditions: [{ displayName: 'expiry notice', conditionMatchedLog: {
        filter: `logName="projects/${PROJECT}/logs/nhi-notices" AND labels.nhi_channel="billing"`,
        labelExtractors: { subject: 'EXTRACT(jsonPayload.subject)', identities: 'EXTRACT(jsonPayload.identities)' },
      } }],
      documentation: { mimeType: 'text/markdown', subject: '$${log.extracted_label.subject}', content: 'Identities of your team expire: $${log.extracted_label.identities}.' },
    });
    const notifier = new ServiceAccount(stack, 'Notifier', { project: PROJECT, accountId: 'notifier', displayName: 'notifier', description: 'Cloud Scheduler identity that writes expiry notices. Keyless.' });
    const role = new ProjectIamCustomRole(stack, 'NotifierRole', { project: PROJECT, roleId: 'notifier', title: 'notifier', description: 'The calls the jobs make', permissions: ['logging.logEntries.create'] });
    new ProjectIamMember(stack, 'NotifierBinding', { project: PROJECT, role: role.name, member: notifier.member });
    const paths: string[] = [];
    const emails: string[] = [];
    for (let i = 0; i < N; i++) {
      paths.push(`bench/Sa${i}`);
      emails.push(`svc-account-${i}@${PROJECT}.iam.gserviceaccount.com`);
    }
    for (const [kind, schedule, severity] of [['expiry-reminder', '0 9 31 5 *', 'WARNING'], ['expired', '0 0 30 6 *', 'ERROR']]) {
      const request = { entries: [{
        logName: `projects/${PROJECT}/logs/nhi-notices`, resource: { type: 'global', labels: { project_id: PROJECT } }, severity,
        labels: { nhi_channel: 'billing', nhi_kind: kind },
        jsonPayload: { subject: `identities: ${kind} on 2027-06-30`, message: `These identities: ${kind} on 2027-06-30:\n${paths.map((p) => `  - ${p}`).join('\n')}`, identities: paths, expires: '2027-06-30' },
      }] };
      new CloudSchedulerJob(stack, `Notice-${kind}`, {
        project: PROJECT, name: `nhi-${kind}`, description: `${kind} notice`, schedule, timeZone: 'Etc/UTC', attemptDeadline: '60s',
        retryConfig: { retryCount: 3 },
        httpTarget: {
          uri: 'https://logging.googleapis.com/v2/entries:write', httpMethod: 'POST', headers: { 'Content-Type': 'application/json' },
          body: Buffer.from(JSON.stringify(request)).toString('base64'),
          oauthToken: { serviceAccountEmail: notifier.email, scope: 'https://www.googleapis.com/auth/cloud-platform' },
        },
      });
    }
    // The watched e-mails in batches that keep each log filter under Cloud Logging's limit.
    for (let b = 0, start = 0; start < emails.length; b++) {
      let end = start;
      for (let chars = 0; end < emails.length && chars + emails[end].length + 6 <= 15_000; end++) chars += emails[end].length + 6;
      const list = `(${emails.slice(start, end).map((e) => `"${e}"`).join(' OR ')})`;
      start = end;
      const doc = { mimeType: 'text/markdown', subject: 'NHI: $${log.extracted_label.account}', content: '$${log.extracted_label.account}: delete the key or widen the scope in code.' };
      new MonitoringAlertPolicy(stack, `KeyCreated${b}`, { ...common, displayName: `key created ${b}`, documentation: doc, conditions: [{ displayName: 'key created', conditionMatchedLog: {
        filter: `protoPayload.methodName=("google.iam.admin.v1.CreateServiceAccountKey" OR "google.iam.admin.v1.UploadServiceAccountKey") AND resource.type="service_account" AND resource.labels.email_id=${list}`,
        labelExtractors: { account: 'EXTRACT(resource.labels.email_id)', by: 'EXTRACT(protoPayload.authenticationInfo.principalEmail)' },
      } }] });
      new MonitoringAlertPolicy(stack, `KeyUsed${b}`, { ...common, displayName: `key used ${b}`, documentation: doc, conditions: [{ displayName: 'key used', conditionMatchedLog: {
        filter: `protoPayload.authenticationInfo.principalEmail=${list} AND protoPayload.authenticationInfo.serviceAccountKeyName:*`,
        labelExtractors: { account: 'EXTRACT(protoPayload.authenticationInfo.principalEmail)', key: 'EXTRACT(protoPayload.authenticationInfo.serviceAccountKeyName)', method: 'EXTRACT(protoPayload.methodName)' },
      } }] });
      new MonitoringAlertPolicy(stack, `AccessDenied${b}`, { ...common, displayName: `access denied ${b}`, documentation: doc, conditions: [{ displayName: 'access denied', conditionMatchedLog: {
        filter: `protoPayload.authenticationInfo.principalEmail=${list} AND protoPayload.status.code=7`,
        labelExtractors: { account: 'EXTRACT(protoPayload.authenticationInfo.principalEmail)', method: 'EXTRACT(protoPayload.methodName)' },
      } }] });
    }
    for (let i = 0; i < N; i++) {
      const c = new Construct(stack, `Sa${i}`);
      const sa = new ServiceAccount(c, 'Account', {
        project: PROJECT,
        accountId: `svc-account-${i}`,
        displayName: 'Reads nightly billing exports for the reporting job [nhi billing until 2027-06-30]',
        description: 'nhi owner=billing contact=billing@example.com expires=2027-06-30 purpose=Reads nightly billing exports for the reporting job',
      });
      new ProjectIamMember(c, 'Grant', {
        project: PROJECT,
        role: 'roles/bigquery.dataViewer',
        member: sa.member,
        condition: {
          title: 'nhi: billing until 2027-06-30',
          description: 'Expires 2027-06-30T00:00:00Z (nhi-constructs). Owner billing <billing@example.com>. Purpose: Reads nightly billing exports for the reporting job',
          expression: 'request.time < timestamp("2027-06-30T00:00:00Z")',
        },
      });
    }
    app.synth();
  };
};

const governed: BenchCase = () => {
  const { App, TerraformStack } = require('cdktf');
  const { GoogleProvider } = require('@cdktf/provider-google/lib/provider');
  const { GovernedServiceAccount } = requireCompiled('lib/cdktf-google/index.js');
  return () => {
    const app = new App({ outdir: outdir() });
    const stack = new TerraformStack(app, 'bench');
    new GoogleProvider(stack, 'google', { project: PROJECT, region: 'europe-west1' });
    for (let i = 0; i < N; i++) {
      new GovernedServiceAccount(stack, `Sa${i}`, {
        owner: { team: 'billing', contact: 'billing@example.com' },
        purpose: 'Reads nightly billing exports for the reporting job',
        expires: '2027-06-30',
        project: PROJECT,
        accountId: `svc-account-${i}`,
        scope: [{ role: 'roles/bigquery.dataViewer' }],
      });
    }
    app.synth();
  };
};

const cases: Record<string, BenchCase> = {
  'synth-bare': bare,
  'synth-equivalent': equivalent,
  'synth-governed': governed,
};

export function main(): void {
  assertCompiled('lib/cdktf-google/index', 'lib/cdktf-google/governed-service-account');
  const file = __filename;
  const sizes = seriesSizes([100, 1000, 5000], [100, 1000]);
  for (const n of sizes) {
    const args = ['--n', String(n)];
    compare(`cdktf Google synth, ${n.toLocaleString('en')} accounts: A governed vs B account + binding + expiry condition written by hand`,
      { file, name: 'synth-governed', args }, { file, name: 'synth-equivalent', args }, { target: 1.05, units: n });
  }
  // The same at 1,000 with source maps on, as `ts-node` (the TypeScript app template) runs an app:
  // every stack trace cdktf records for a token is then mapped, frame by frame.
  const maps = { args: ['--n', '1000'], sourceMaps: true };
  compare(`cdktf Google synth, 1,000 accounts, source maps on (ts-node): A governed vs B account + binding + expiry condition written by hand`,
    { file, name: 'synth-governed', ...maps }, { file, name: 'synth-equivalent', ...maps }, { target: 1.05, units: 1000 });
  const big = sizes[sizes.length - 1];
  compare(`cdktf Google synth, ${big.toLocaleString('en')} accounts: A governed vs B minimal account + binding (peak RSS target <= 1.2)`,
    { file, name: 'synth-governed', args: ['--n', String(big)] }, { file, name: 'synth-bare', args: ['--n', String(big)] }, { units: big });
}

if (!childMain(cases) && require.main === module) main();
