// Example: the identity lifecycle on the AWS CDK target (system, environment isolation, a
// third-party vendor, approval, waivers). docs/aws-cdk-lifecycle.md quotes the part between the
// docs markers; test/aws-cdk/lifecycle-example.test.ts synthesises it and keeps the quote in sync.
import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally
import { App, AppProps, Stack, Validations } from 'aws-cdk-lib/core';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GovernedServiceAccount, NhiGovernanceChecks } from '../../lib/aws-cdk';
import { GovernancePolicy, Waivers } from '../../lib/core';

export function buildLifecycleApp(props: AppProps = {}): { app: App; globex: GovernedServiceAccount } {
  const app = new App(props);
  // docs:start
  Validations.of(app).addPlugins(new NhiGovernanceChecks());
  GovernancePolicy.of(app).apply({
    requireSystem: true,
    requireEnvironment: true,
    requireApprovalIn: ['prod'],
    environmentAccounts: { prod: ['111111111111'], dev: ['222222222222'] },
    vendorMaxLifetimeDays: 90,
  });
  const prod = new Stack(app, 'BillingProd', { env: { account: '111111111111', region: 'eu-west-1' } });

  // A workload identity: who uses it (system), where (environment), who approved it.
  new GovernedServiceAccount(prod, 'ReportReader', {
    owner: { team: 'billing', contact: 'billing-oncall@example.com' },
    purpose: 'Reads nightly billing exports for the monthly revenue report',
    expires: daysFromToday(app, 219),
    system: 'billing-reporter',
    environment: 'prod',
    approval: { ticket: 'SEC-1234', approvedBy: 'security-lead@example.com' },
    name: 'billing-report-reader',
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-billing-exports/reports/*'] }],
  });

  // A third party: its account is trusted only with an sts:ExternalId (none given here, so one is
  // generated per deployment in the secret nhi/globex-usage-reader/external-id: hand it to the
  // vendor), and it lives at most 90 days.
  const globex = new GovernedServiceAccount(prod, 'GlobexUsageReader', {
    owner: { team: 'billing', contact: 'billing-oncall@example.com' },
    purpose: 'Globex reconciles our monthly usage export against their invoices',
    expires: daysFromToday(app, 69),
    system: 'globex-reconciliation',
    environment: 'prod',
    approval: { ticket: 'SEC-1301' },
    vendor: { name: 'Globex Corp', contact: 'security@globex.example', contractRef: 'DPA-2026-17' },
    name: 'globex-usage-reader',
    assumedBy: new iam.AccountPrincipal('999988887777'),
    scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-billing-exports/usage/*'] }],
  });

  // A legacy user nobody has migrated yet: waived, with an owner and an expiry, listed in the register.
  new iam.User(prod, 'LegacyFtpUser');
  Waivers.of(prod).add({
    code: 'NHI_UNGOVERNED_IDENTITY',
    path: 'BillingProd/LegacyFtpUser/Resource',
    owner: { team: 'platform', contact: 'platform@example.com' },
    reason: 'FTP bridge moves to a governed role in Q1 (OPS-42)',
    expires: daysFromToday(app, 97),
  });
  // docs:end
  return { app, globex };
}

if (require.main === module) {
  buildLifecycleApp().app.synth();
}
