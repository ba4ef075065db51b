// docs/scope.md: a least-privilege AWS scope the resource analysis accepts.
import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { GovernedServiceAccount } from 'nhi-constructs/lib/cdktf-aws';

const app = new App();
const stack = new TerraformStack(app, 'exports');
new AwsProvider(stack, 'aws', { region: 'eu-west-1' });

new GovernedServiceAccount(stack, 'ExportWriter', {
  owner: { team: 'billing', contact: 'billing-oncall@example.com' },
  purpose: 'Writes the nightly billing export and records it in the orders table',
  expires: daysFromToday(app, 219),
  name: 'billing-export-writer',
  assumedBy: { service: 'lambda.amazonaws.com' },
  scope: [
    // Object actions on object ARNs, bucket actions on the bucket ARN.
    { actions: ['s3:PutObject'], resources: ['arn:aws:s3:::acme-billing-exports/nightly/*'] },
    { actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::acme-billing-exports'] },
    // Region and account named; the table and its indexes.
    {
      actions: ['dynamodb:PutItem', 'dynamodb:Query'],
      resources: [
        'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
        'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/index/*',
      ],
    },
    // A prefix wildcard only with a justification (and only if the policy allows it).
    {
      actions: ['sqs:SendMessage'],
      resources: ['arn:aws:sqs:eu-west-1:123456789012:billing-export-*'],
      justification: 'one queue per export region is created by the platform team',
    },
    // Actions without resource types: only on '*', in a grant of their own.
    { actions: ['sts:GetCallerIdentity'], resources: ['*'] },
  ],
});

app.synth();
