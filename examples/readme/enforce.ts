// docs/policy-and-enforcement.md "Stack-wide enforcement and waivers": a legacy user, waived until it is migrated.
import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { App, TerraformStack } from 'cdktf';
import { Governance } from 'nhi-constructs/lib/cdktf';

const app = new App();
const billing = new TerraformStack(app, 'billing');
new AwsProvider(billing, 'aws', { region: 'eu-west-1' });
new IamUser(billing, 'LegacyBatchUser', { name: 'legacy-batch' });

Governance.of(app).enforce({
  waivers: [{
    code: 'NHI_UNGOVERNED_IDENTITY',
    path: 'billing/LegacyBatchUser',          // or resourceType: 'aws_iam_user' for every legacy user
    owner: { team: 'platform', contact: 'platform@example.com' },
    reason: 'Batch host migrates to roles in Q1',
    expires: daysFromToday(app, 97),
  }],
});
app.synth();
