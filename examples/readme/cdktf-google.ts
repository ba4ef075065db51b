import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { GovernedServiceAccount } from 'nhi-constructs/lib/cdktf-google';

const app = new App();
const stack = new TerraformStack(app, 'billing-google');
new GoogleProvider(stack, 'google', { project: 'acme-billing-prod', region: 'europe-west1' });

new GovernedServiceAccount(stack, 'ReportReader', {
  owner: { team: 'billing', contact: 'billing-oncall@example.com' },
  purpose: 'Cloud Run job that builds the monthly revenue report from billing exports',
  expires: daysFromToday(app, 219),
  project: 'acme-billing-prod',
  accountId: 'billing-report-reader',
  scope: [
    { role: 'roles/bigquery.jobUser' },                                          // project level
    { role: 'roles/storage.objectViewer', bucket: 'acme-billing-exports' },       // one bucket
    { role: 'roles/secretmanager.secretAccessor', secret: 'warehouse-password' }, // one secret
  ],
});
app.synth(); // cdktf.out/stacks/billing-google/{cdk.tf.json,nhi-register.json}
