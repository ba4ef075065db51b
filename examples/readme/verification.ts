// docs/verification.md: an escape hatch on a governed identity, accepted by an expiring waiver.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { App, TerraformStack } from 'cdktf';
import { Governance } from 'nhi-constructs/lib/cdktf';
import { GovernedServiceAccount } from 'nhi-constructs/lib/cdktf-aws';
import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally

const app = new App();
const stack = new TerraformStack(app, 'audit');
new AwsProvider(stack, 'aws', { region: 'eu-west-1' });

const reader = new GovernedServiceAccount(stack, 'ReportReader', {
  owner: { team: 'billing', contact: 'billing-oncall@example.com' },
  purpose: 'Reads nightly billing exports for the monthly revenue report',
  expires: daysFromToday(app, 334),
  name: 'billing-audit-reader',
  assumedBy: { service: 'lambda.amazonaws.com' },
  scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-billing-exports/*'] }],
});

// An escape hatch: a managed policy attached to the governed role, outside its declared scope.
new IamRolePolicyAttachment(stack, 'AuditReadOnly', {
  role: reader.role!.name,
  policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
});

// Without this waiver, synthesis fails with NHI_SCOPE_WIDENED (see docs/verification.md).
Governance.of(app).waive({
  code: 'NHI_SCOPE_WIDENED',
  path: 'audit/AuditReadOnly',
  owner: { team: 'platform', contact: 'platform@example.com' },
  reason: 'The audit migration reads every service until the cutover',
  expires: daysFromToday(app, 61),
});

app.synth(); // cdktf.out/stacks/audit/{cdk.tf.json,nhi-register.json}: the waiver is listed in the register
