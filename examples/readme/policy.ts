// docs/policy-and-enforcement.md "Organisation policy": set once on the app, tightened on one stack.
import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { GovernancePolicy } from 'nhi-constructs/lib/core';
import { GovernedServiceAccount } from 'nhi-constructs/lib/cdktf-aws';

const app = new App();
const sandboxStack = new TerraformStack(app, 'sandbox');
new AwsProvider(sandboxStack, 'aws', { region: 'eu-west-1' });

GovernancePolicy.of(app).apply({
  maxLifetimeDays: 180,              // default 365
  maxRotationDays: 30,               // default 90
  defaultRotationDays: 14,           // default 30 (at most maxRotationDays)
  reminderDays: 21,                  // default 30
  allowedOwnerDomains: ['example.com'],
  allowedTeams: ['billing', 'payments'],
  forbiddenActions: ['iam:CreateUser', 'organizations:LeaveOrganization'],
});
GovernancePolicy.of(sandboxStack).apply({ maxLifetimeDays: 30 });

new GovernedServiceAccount(sandboxStack, 'Experiment', {
  owner: { team: 'billing', contact: 'billing@example.com' },
  purpose: 'Tries the new invoice parser on sample data',
  expires: daysFromToday(app, 22),
  name: 'billing-parser-experiment',
  assumedBy: { service: 'lambda.amazonaws.com' },
  scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-billing-samples/*'] }],
});
app.synth();
