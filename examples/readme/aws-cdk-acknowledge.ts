// docs/aws-cdk.md "Validation plugin NhiGovernanceChecks": acknowledging one finding with a reason.
import { App, Stack, Validations } from 'aws-cdk-lib/core';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NhiGovernanceChecks } from 'nhi-constructs/lib/aws-cdk';

const app = new App();
Validations.of(app).addPlugins(new NhiGovernanceChecks());
const stack = new Stack(app, 'Bridge');
const breakGlassUser = new iam.User(stack, 'BreakGlassUser');

Validations.of(breakGlassUser).acknowledge({
  id: 'NhiGovernance::NHI_UNGOVERNED_IDENTITY',
  reason: 'Break-glass user for the legacy FTP bridge, removal tracked in OPS-42',
});

app.synth();
