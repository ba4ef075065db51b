// docs/google-scope.md: roles checked against the role catalogue, API key restrictions, policy limits.
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { GovernedApiKey, GovernedServiceAccount } from 'nhi-constructs/lib/cdktf-google';
import { GovernancePolicy } from 'nhi-constructs/lib/core';
import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally

const app = new App();
GovernancePolicy.of(app).apply({
  forbiddenActions: ['roles/iam.serviceAccountKey*', 'roles/*.admin'], // IAM wildcards: * and ?
  maxApiKeyAddressRange: 16,        // allowed IPs of an API key: less than a /16 together
  forbidProjectWideDataAccess: false, // true: data-access roles only on one bucket, secret or key
});
const stack = new TerraformStack(app, 'billing-google');
new GoogleProvider(stack, 'google', { project: 'acme-billing-prod', region: 'europe-west1' });
const owner = { team: 'billing', contact: 'billing-oncall@example.com' };

// A custom role defined in the stack is judged by the permissions cdk.tf.json gives it.
const invoiceReader = new ProjectIamCustomRole(stack, 'InvoiceReader', {
  project: 'acme-billing-prod',
  roleId: 'invoiceReader',
  title: 'Reads invoices',
  permissions: ['storage.objects.get'], // + 'iam.serviceAccountKeys.create': NHI_SCOPE_PRIVILEGED at synth
});

new GovernedServiceAccount(stack, 'Exporter', {
  owner,
  purpose: 'Nightly export job copies invoices from the vault secrets to the exports bucket',
  expires: daysFromToday(app, 211),
  project: 'acme-billing-prod',
  accountId: 'billing-exporter',
  scope: [
    { role: 'roles/storage.objectCreator', bucket: 'acme-billing-exports' },     // one bucket
    { role: 'roles/secretmanager.secretAccessor', project: 'acme-billing-vault', // a whole project:
      justification: 'Reads every per-customer invoice key kept in the vault project' }, // says why
    { role: 'projects/acme-billing-prod/roles/invoiceExporter' },               // a custom role
    { role: invoiceReader.name, bucket: 'acme-billing-invoices' },              // one of the stack
  ],
});

new GovernedApiKey(stack, 'PartnerKey', {
  owner,
  purpose: 'Partner Globex geocodes delivery addresses from its servers',
  expires: daysFromToday(app, 120),
  project: 'acme-billing-prod',
  name: 'partner-globex-geocoding',
  scope: [{ service: 'geocoding-backend.googleapis.com' }],
  clientRestriction: { allowedIps: ['203.0.113.0/24', '2001:db8:1200::/40'] },
});

app.synth();
