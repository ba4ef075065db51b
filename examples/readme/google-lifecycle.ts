// docs/lifecycle.md "The identity lifecycle on Google": who may use an account, a vendor account with a key.
import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { GovernedServiceAccount } from 'nhi-constructs/lib/cdktf-google';

const app = new App();
const stack = new TerraformStack(app, 'billing-google');
new GoogleProvider(stack, 'google', { project: 'acme-billing-prod', region: 'europe-west1' });
const owner = { team: 'billing', contact: 'billing-oncall@example.com' };

new GovernedServiceAccount(stack, 'ReportReader', {
  owner: { team: 'billing', contact: 'billing-oncall@example.com' },
  purpose: 'Cloud Run job that builds the monthly revenue report from billing exports',
  expires: daysFromToday(app, 219),
  system: 'billing-reporter',
  environment: 'prod',
  project: 'acme-billing-prod',
  accountId: 'billing-report-reader',
  scope: [{ role: 'roles/storage.objectViewer', bucket: 'acme-billing-exports' }],  // granted TO it
  usedBy: [                                                                           // who may USE it
    { member: 'serviceAccount:billing-deployer@acme-ci-prod.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountUser' },
    { member: 'principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github/subject/repo:acme/billing:ref:refs/heads/main',
      role: 'roles/iam.workloadIdentityUser' },
  ],
});

new GovernedServiceAccount(stack, 'Globex', {
  owner, purpose: 'Globex reads the daily usage export for invoicing', expires: daysFromToday(app, 69),
  project: 'acme-billing-prod', accountId: 'globex-usage-reader',
  vendor: { name: 'Globex Corp', contact: 'security@globex.example', contractRef: 'DPA-2026-17' },
  keys: {
    justification: 'The Globex appliance only reads service account key files',
    vendorJustification: 'Globex runs on-premises without an OIDC issuer to federate from',
  },
  scope: [{ role: 'roles/bigquery.dataViewer', project: 'acme-billing-prod' }],
});

app.synth();
