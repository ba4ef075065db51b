// docs/aws-cdk-idioms.md: generated names, a governed role for an L2 construct (role: sa), a
// name from a CfnParameter, and an expiring waiver instead of Validations.acknowledge.
import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally
import { App, CfnParameter, Stack, Validations } from 'aws-cdk-lib/core';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { GovernedServiceAccount, NhiGovernanceChecks } from 'nhi-constructs/lib/aws-cdk';
import { Waivers } from 'nhi-constructs/lib/core';

const app = new App();
Validations.of(app).addPlugins(new NhiGovernanceChecks()); // ungoverned roles are reported too
const stack = new Stack(app, 'Reports', { env: { account: '123456789012', region: 'eu-west-1' } });

// No name: CloudFormation generates it. The function runs as the governed role.
const reportRole = new GovernedServiceAccount(stack, 'ReportRole', {
  owner: { team: 'billing', contact: 'billing-oncall@example.com' },
  purpose: 'Runs the monthly revenue report from the nightly billing exports',
  expires: daysFromToday(app, 219),
  assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  scope: [
    { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-billing-exports/reports/*'] },
    { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/revenue-report:*'] },
  ],
});
new lambda.Function(stack, 'RevenueReport', {
  functionName: 'revenue-report',
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  role: reportRole,
});

// A name given at deploy time: the text around the reference is checked now, the rest at deploy.
const readerName = new CfnParameter(stack, 'ReaderName', { type: 'String', default: 'billing-report-reader' });
new GovernedServiceAccount(stack, 'Reader', {
  owner: { team: 'billing', contact: 'billing-oncall@example.com' },
  purpose: 'Reads nightly billing exports for the finance dashboard',
  expires: daysFromToday(app, 219),
  name: `${readerName.valueAsString}-eu`,
  assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
  scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-billing-exports/dashboard/*'] }],
});

// A legacy identity accepted for now: an owner, a reason and an expiry, listed in the register.
const ftpUser = new iam.User(stack, 'LegacyFtpUser');
Waivers.of(ftpUser).add({
  code: 'NHI_UNGOVERNED_IDENTITY',
  path: ftpUser.node.path,
  owner: { team: 'platform', contact: 'platform@example.com' },
  reason: 'Legacy FTP bridge user, replaced by a governed role in OPS-42',
  expires: daysFromToday(app, 69),
});

app.synth();
