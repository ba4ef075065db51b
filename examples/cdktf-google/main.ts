// Example: a billing team's non-human identities on Google Cloud, declared with nhi-constructs (cdktf).
// `npx tsx examples/cdktf-google/main.ts` synthesises it to examples/cdktf-google/cdktf.out.
import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally
import * as path from 'path';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GovernedApiKey, GovernedServiceAccount } from '../../lib/cdktf-google';
import { GovernancePolicy } from '../../lib/core';

const owner = { team: 'billing', contact: 'billing-oncall@example.com' };
const project = 'acme-billing-prod';

export class BillingStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new GoogleProvider(this, 'google', { project, region: 'europe-west1' });

    // Workload identity: the Cloud Run reporting job runs as this account; no key exists.
    new GovernedServiceAccount(this, 'ReportReader', {
      owner,
      purpose: 'Cloud Run job that builds the monthly revenue report from billing exports',
      expires: daysFromToday(this, 219),
      system: 'billing-reporter',
      environment: 'prod',
      project,
      accountId: 'billing-report-reader',
      scope: [
        { role: 'roles/bigquery.jobUser' },
        { role: 'roles/storage.objectViewer', bucket: 'acme-billing-exports' },
        { role: 'roles/secretmanager.secretAccessor', secret: 'warehouse-password' },
      ],
      // Who may use it (separate from the roles granted to it): the CI pipeline deploys the job with it.
      usedBy: [{ member: 'serviceAccount:billing-deployer@acme-ci-prod.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountUser' }],
      alarms: { runbookUrl: 'https://wiki.example.com/billing/runbooks/nhi' },
    });

    // A legacy on-premises scanner that cannot federate: a key, justified, rotated, in Secret Manager.
    new GovernedServiceAccount(this, 'InvoiceUploader', {
      owner,
      purpose: 'On-premises invoice scanner uploads scanned invoices to the inbox bucket',
      expires: daysFromToday(this, 189),
      system: 'invoice-scanner',
      environment: 'prod',
      project,
      accountId: 'billing-invoice-uploader',
      keys: { justification: 'The scanner appliance only supports service account key files', rotationDays: 30 },
      scope: [{ role: 'roles/storage.objectCreator', bucket: 'acme-billing-inbox' }],
    });

    // A partner's API key: one API, only from the partner's servers.
    new GovernedApiKey(this, 'PartnerKey', {
      owner,
      purpose: 'Partner Globex geocodes delivery addresses from its servers',
      expires: daysFromToday(this, 219),
      project,
      name: 'partner-globex-geocoding',
      scope: [{ service: 'geocoding-backend.googleapis.com' }],
      clientRestriction: { allowedIps: ['203.0.113.0/24'] },
      rotationDays: 60,
    });
  }
}

export function buildApp(outdir: string, context: Record<string, string> = {}): App {
  const app = new App({ outdir, context });
  // The organisation's policy, set once by the platform team for the whole app.
  GovernancePolicy.of(app).apply({
    maxLifetimeDays: 365,
    maxRotationDays: 90,
    allowedOwnerDomains: ['example.com'],
    // Environment isolation: a prod identity reaching a dev project fails the synth (NHI_ENVIRONMENT_CROSSING).
    environmentAccounts: { prod: ['acme-billing-prod', 'acme-ci-prod'], dev: ['acme-billing-dev', 'acme-ci-dev'] },
  });
  new BillingStack(app, 'billing-google');
  return app;
}

if (require.main === module) {
  // `npx cdktf synth` in this folder sets CDKTF_OUTDIR (cdktf.json `output`, or --output).
  buildApp(process.env.CDKTF_OUTDIR ?? path.join(__dirname, 'cdktf.out')).synth();
}
