import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { GovernedServiceAccount } from 'nhi-constructs/lib/cdktf-aws';

const app = new App();
const stack = new TerraformStack(app, 'reports');
new AwsProvider(stack, 'aws', { region: 'eu-west-1' });

new GovernedServiceAccount(stack, 'ReportReader', {
  owner: { team: 'billing', contact: 'billing-oncall@example.com' },
  purpose: 'Reads nightly billing exports for the monthly revenue report',
  expires: daysFromToday(app, 342),
  name: 'billing-report-reader',
  assumedBy: { service: 'lambda.amazonaws.com' },
  scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-billing-exports/*'] }],
});

app.synth(); // cdktf.out/stacks/reports/{cdk.tf.json,nhi-register.json}
