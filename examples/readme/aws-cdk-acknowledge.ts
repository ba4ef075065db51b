// docs/aws-cdk.md "Validation plugin NhiGovernanceChecks": accepting one finding with an expiring waiver
// (owner, reason, expiry; listed in the stack's NHI register), not a bare Validations.acknowledge.
import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally
import { App, Stack, Validations } from 'aws-cdk-lib/core';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NhiGovernanceChecks } from 'nhi-constructs/lib/aws-cdk';
import { Waivers } from 'nhi-constructs/lib/core';

const app = new App();
Validations.of(app).addPlugins(new NhiGovernanceChecks());
const stack = new Stack(app, 'Bridge');
const breakGlassUser = new iam.User(stack, 'BreakGlassUser');

Waivers.of(breakGlassUser).add({
  code: 'NHI_UNGOVERNED_IDENTITY',
  path: breakGlassUser.node.path,
  owner: { team: 'platform', contact: 'platform@example.com' },
  reason: 'Break-glass user for the legacy FTP bridge, removal tracked in OPS-42',
  expires: daysFromToday(app, 69),
});

app.synth();
