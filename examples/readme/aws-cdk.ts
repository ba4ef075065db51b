import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally
import { App, Stack, Validations } from 'aws-cdk-lib/core';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GovernedServiceAccount, NhiGovernanceChecks } from 'nhi-constructs/lib/aws-cdk';

const app = new App();
Validations.of(app).addPlugins(new NhiGovernanceChecks());
const stack = new Stack(app, 'Billing');

new GovernedServiceAccount(stack, 'ReportReader', {
  owner: { team: 'billing', contact: 'billing-oncall@example.com' },
  purpose: 'Reads nightly billing exports for the monthly revenue report',
  expires: daysFromToday(app, 219),
  name: 'billing-report-reader',
  assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-billing-exports/reports/*'] }],
});

app.synth(); // under `npx cdk synth`: cdk.out/Billing.template.json and cdk.out/Billing.nhi-register.json
