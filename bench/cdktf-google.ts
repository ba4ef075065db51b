// cdktf Google: synth of N governed service accounts vs the equivalent written by hand (account
// with owner and expiry in its description, project binding with the expiry condition, the
// shared notice plumbing), as a scaling series printed per identity, and peak RSS vs a minimal
// account + binding app.
import { assertCompiled, BenchCase, childMain, compare, requireCompiled, seriesSizes } from './harness';

/** Identities per synth: `--n` of the child's arguments. */
const N = Number(process.argv[process.argv.indexOf('--n') + 1] || 1000);
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

// What a team writes by hand to get the same governance: per account the account (owner, expiry
// and purpose in its description and display name) and its binding with the expiry condition;
// per stack a notification channel, an alert policy and the two notice jobs.
const equivalent: BenchCase = () => {
  const { App, TerraformStack } = require('cdktf');
  const { Construct } = require('constructs');
  const { GoogleProvider } = require('@cdktf/provider-google/lib/provider');
  const { ServiceAccount } = require('@cdktf/provider-google/lib/service-account');
  const { ProjectIamMember } = require('@cdktf/provider-google/lib/project-iam-member');
  const { MonitoringNotificationChannel } = require('@cdktf/provider-google/lib/monitoring-notification-channel');
  const { MonitoringAlertPolicy } = require('@cdktf/provider-google/lib/monitoring-alert-policy');
  const { CloudSchedulerJob } = require('@cdktf/provider-google/lib/cloud-scheduler-job');
  return () => {
    const app = new App({ outdir: outdir() });
    const stack = new TerraformStack(app, 'bench');
    new GoogleProvider(stack, 'google', { project: PROJECT, region: 'europe-west1' });
    const channel = new MonitoringNotificationChannel(stack, 'Owner', { project: PROJECT, type: 'email', displayName: 'NHI notices for billing', labels: { email_address: 'billing@example.com' } });
    new MonitoringAlertPolicy(stack, 'Notices', {
      project: PROJECT,
      displayName: 'NHI notices for billing',
      combiner: 'OR',
      notificationChannels: [channel.name],
      alertStrategy: { notificationRateLimit: { period: '300s' }, autoClose: '1800s' },
      conditions: [{ displayName: 'expiry notice', conditionMatchedLog: { filter: `logName="projects/${PROJECT}/logs/nhi-notices"` } }],
    });
    for (const [kind, schedule] of [['expiry-reminder', '0 9 31 5 *'], ['expired', '0 0 30 6 *']]) {
      new CloudSchedulerJob(stack, `Notice-${kind}`, {
        project: PROJECT, region: 'europe-west1', name: `nhi-${kind}`, schedule, timeZone: 'Etc/UTC', attemptDeadline: '60s',
        httpTarget: { uri: 'https://logging.googleapis.com/v2/entries:write', httpMethod: 'POST', body: Buffer.from(JSON.stringify({ kind })).toString('base64') },
      });
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
  const big = sizes[sizes.length - 1];
  compare(`cdktf Google synth, ${big.toLocaleString('en')} accounts: A governed vs B minimal account + binding (peak RSS target <= 1.2)`,
    { file, name: 'synth-governed', args: ['--n', String(big)] }, { file, name: 'synth-bare', args: ['--n', String(big)] }, { units: big });
}

if (!childMain(cases) && require.main === module) main();
