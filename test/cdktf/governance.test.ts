import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserLoginProfile } from '@cdktf/provider-aws/lib/iam-user-login-profile';
import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Governance } from '../../lib/cdktf';
import { GovernedServiceAccount } from '../../lib/cdktf-aws';
import { awsStack, GOVERNANCE, governanceError, validationErrors } from '../helpers/cdktf';

const SA = {
  ...GOVERNANCE,
  name: 'billing-report-reader',
  assumedBy: { service: 'lambda.amazonaws.com' },
  scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/*'] }],
};
const WAIVER_OWNER = { team: 'platform', contact: 'platform@example.com' };

describe('Governance.of(scope).enforce() (cdktf): no ungoverned identity gets through', () => {
  test('Compliance: a stack of governed identities and ordinary resources passes', () => {
    const { app, stack } = awsStack();
    new GovernedServiceAccount(stack, 'Reader', SA);
    new GovernedServiceAccount(stack, 'Legacy', { ...SA, name: 'legacy', assumedBy: undefined, staticCredentials: { justification: 'Legacy host cannot assume roles' } });
    new S3Bucket(stack, 'Bucket', { bucket: 'billing-exports' });
    Governance.of(app).enforce();
    expect(validationErrors(stack)).toBe('');
    expect(Governance.of(app).findings()).toEqual([]);
  });

  test.each([
    ['aws_iam_user', (s: Construct) => new IamUser(s, 'RawUser', { name: 'raw' }), 'GovernedServiceAccount with staticCredentials'],
    ['aws_iam_role', (s: Construct) => new IamRole(s, 'RawRole', { name: 'raw', assumeRolePolicy: '{}' }), 'GovernedServiceAccount'],
    ['aws_iam_access_key', (s: Construct) => new IamAccessKey(s, 'RawKey', { user: 'someone' }), 'GovernedServiceAccount with staticCredentials'],
    ['aws_iam_user_login_profile', (s: Construct) => new IamUserLoginProfile(s, 'Login', { user: 'someone' }), 'no console password'],
    ['aws_api_gateway_api_key', (s: Construct) => new ApiGatewayApiKey(s, 'RawApiKey', { name: 'k' }), 'GovernedApiKey'],
  ])('Noncompliance: a raw %s fails the synth naming path, type and the construct to use', (type, make, use) => {
    const { app, stack } = awsStack();
    make(stack);
    Governance.of(app).enforce();
    const msg = validationErrors(stack);
    expect(msg).toContain(`[NHI_UNGOVERNED_IDENTITY] ${type} at stack/`);
    expect(msg).toContain(use);
  });

  test('Noncompliance: a policy attached to a governed role from outside widens it (NHI_SCOPE_WIDENED)', () => {
    const { app, stack } = awsStack();
    const sa = new GovernedServiceAccount(stack, 'Reader', SA);
    new IamRolePolicy(stack, 'Extra', { role: sa.role!.name, policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] }) });
    new IamRolePolicyAttachment(stack, 'Admin', { role: 'billing-report-reader', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    Governance.of(app).enforce();
    const msg = validationErrors(stack);
    expect(msg).toContain('[NHI_SCOPE_WIDENED] aws_iam_role_policy at stack/Extra: ');
    expect(msg).toContain('s3:PutObject');
    expect(msg).toContain('[NHI_SCOPE_WIDENED] aws_iam_role_policy_attachment at stack/Admin: policy attachment (aws_iam_role_policy_attachment stack/Admin) of stack/Reader attaches the managed policy arn:aws:iam::aws:policy/AdministratorAccess');
    // Reported once each (by the artifact verification), not again by enforce().
    expect(msg.match(/\[NHI_SCOPE_WIDENED\] aws_iam_role_policy_attachment at stack\/Admin/g)).toHaveLength(1);
    expect(msg.match(/\[NHI_SCOPE_WIDENED\] aws_iam_role_policy at stack\/Extra/g)).toHaveLength(1);
  });

  test('enforce() on one stack leaves other stacks alone; on a construct, only its subtree', () => {
    const { app, stack } = awsStack('a');
    const other = new TerraformStack(app, 'b');
    const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
    new AwsProvider(other, 'aws', { region: 'eu-west-1' });
    new IamUser(other, 'RawUser', { name: 'raw' });
    new IamUser(stack, 'RawUser', { name: 'raw' });
    const team = new Construct(stack, 'Team');
    new IamUser(team, 'TeamUser', { name: 'team-raw' });
    Governance.of(team).enforce();
    expect(Governance.of(team).findings().map((f) => f.path)).toEqual(['a/Team/TeamUser']);
    expect(validationErrors(other)).toBe('');
  });

  test('stacks created after enforce() on the app are still checked at app.synth()', () => {
    const { App } = require('cdktf');
    const app = new App({ outdir: require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'nhi-enf-')), context: { 'nhi:today': '2026-11-23' } });
    Governance.of(app).enforce();
    const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
    const late = new TerraformStack(app, 'late');
    new AwsProvider(late, 'aws', { region: 'eu-west-1' });
    new IamUser(late, 'RawUser', { name: 'raw' });
    expect(() => app.synth()).toThrow(/NHI_UNGOVERNED_IDENTITY\] aws_iam_user at late\/RawUser/);
  });
});

describe('Waivers (cdktf): acknowledged findings that expire', () => {
  test('Compliance: a current waiver on the path waives the finding and is listed in the register', () => {
    const { app, stack } = awsStack();
    new IamUser(stack, 'LegacyUser', { name: 'legacy' });
    Governance.of(app).enforce({
      waivers: [{ code: 'NHI_UNGOVERNED_IDENTITY', path: 'stack/LegacyUser', owner: WAIVER_OWNER, reason: 'Migrating the batch host to roles in Q1', expires: '2027-01-31' }],
    });
    expect(validationErrors(stack)).toBe('');
    const { NhiRegister } = require('../../lib/cdktf');
    expect(JSON.parse(NhiRegister.of(stack).render()).waivers).toEqual([
      { code: 'NHI_UNGOVERNED_IDENTITY', path: 'stack/LegacyUser', owner: WAIVER_OWNER, reason: 'Migrating the batch host to roles in Q1', expires: '2027-01-31' },
    ]);
  });

  test('Compliance: a resource-type waiver covers every legacy resource of that type', () => {
    const { app, stack } = awsStack();
    new IamUser(stack, 'A', { name: 'a' });
    new IamUser(stack, 'B', { name: 'b' });
    new IamRole(stack, 'R', { name: 'r', assumeRolePolicy: '{}' });
    Governance.of(app).enforce({ waivers: [{ code: 'NHI_UNGOVERNED_IDENTITY', resourceType: 'aws_iam_user', owner: WAIVER_OWNER, reason: 'Legacy users are being migrated away', expires: '2027-02-01' }] });
    expect(Governance.of(app).findings().map((f) => f.path)).toEqual(['stack/R']);
  });

  test('Noncompliance: a waiver that expired yesterday stops waiving and is named', () => {
    const { app, stack } = awsStack('stack', { 'nhi:today': '2026-11-23' });
    new IamUser(stack, 'LegacyUser', { name: 'legacy' });
    // Declared while it was valid; today it has expired.
    (app.node as any)._context['nhi:today'] = '2026-11-01';
    Governance.of(app).waive({ code: 'NHI_UNGOVERNED_IDENTITY', path: 'stack/LegacyUser', owner: WAIVER_OWNER, reason: 'Migrating the batch host to roles', expires: '2026-11-22' });
    (app.node as any)._context['nhi:today'] = '2026-11-23';
    Governance.of(app).enforce();
    const msg = validationErrors(stack);
    expect(msg).toContain('[NHI_UNGOVERNED_IDENTITY] aws_iam_user at stack/LegacyUser');
    expect(msg).toContain('[NHI_WAIVER_EXPIRED]');
    expect(msg).toContain('expired on 2026-11-22');
  });

  test('a waiver also covers a governed construct\'s own check on its path', () => {
    const { app, stack } = awsStack();
    Governance.of(app).waive({ code: 'NHI_EXPIRY_TOO_FAR', path: 'stack/Reader', owner: WAIVER_OWNER, reason: 'Vendor contract runs for two years', expires: '2027-06-30' });
    expect(() => new GovernedServiceAccount(stack, 'Reader', { ...SA, expires: '2028-06-30' })).not.toThrow();
    expect(() => new GovernedServiceAccount(stack, 'Other', { ...SA, name: 'other', expires: '2028-06-30' })).toThrow(/NHI_EXPIRY_TOO_FAR/);
  });

  test('Noncompliance: malformed waivers are errors (owner, reason, expiry, path or type)', () => {
    const { app } = awsStack();
    const err = governanceError(() => Governance.of(app).waive({ code: 'whatever', owner: { team: '', contact: 'x' }, reason: 'tbd', expires: '2030-01-01' } as any));
    expect(err.violations.map((v) => v.code).sort()).toEqual([
      'NHI_EXPIRY_TOO_FAR', 'NHI_OWNER_CONTACT_INVALID', 'NHI_OWNER_MISSING', 'NHI_PURPOSE_VAGUE', 'NHI_WAIVER_INVALID', 'NHI_WAIVER_INVALID',
    ]);
  });
});

describe('Waivers on a governed construct\'s own scope findings', () => {
  test('a waived unknown action (newer than the catalogue) stays in the policy and the register', () => {
    const { app, stack } = awsStack();
    Governance.of(app).waive({ code: 'NHI_SCOPE_UNKNOWN_ACTION', path: 'stack/New', owner: WAIVER_OWNER, reason: 'Action launched last week, not in the catalogue yet', expires: '2027-01-31' });
    const sa = new GovernedServiceAccount(stack, 'New', { ...SA, scope: [{ actions: ['s3:GetObjectBrandNew'], resources: ['arn:aws:s3:::billing-exports/*'] }] });
    expect(JSON.parse(sa.policyDocument).Statement[0].Action).toEqual(['s3:GetObjectBrandNew']);
    expect(sa.registerEntry.scope[0].actions).toEqual([{ action: 's3:GetObjectBrandNew', accessLevel: 'Unknown', privileged: false }]);
  });
});

describe('Governance.of(scope).enforce() (cdktf): Google accounts named inside longer strings', () => {
  test('Noncompliance NHI_SCOPE_WIDENED: a key or IAM on a governed account given as projects/<p>/serviceAccounts/<e-mail>, and an IAM policy document naming it', () => {
    const { ServiceAccountKey } = require('@cdktf/provider-google/lib/service-account-key');
    const { ServiceAccountIamMember } = require('@cdktf/provider-google/lib/service-account-iam-member');
    const { ProjectIamPolicy } = require('@cdktf/provider-google/lib/project-iam-policy');
    const { googleStack, GOVERNANCE: G, PROJECT } = require('../cdktf-google/helpers');
    const google = require('../../lib/cdktf-google');
    const { app, stack } = googleStack();
    new google.GovernedServiceAccount(stack, 'Reader', { ...G, project: PROJECT, accountId: 'billing-report-reader', scope: [{ role: 'roles/run.invoker' }] });
    const email = 'billing-report-reader@acme-billing-prod.iam.gserviceaccount.com';
    const id = `projects/${PROJECT}/serviceAccounts/${email}`;
    new ServiceAccountKey(stack, 'Key', { serviceAccountId: id });
    new ServiceAccountIamMember(stack, 'User', { serviceAccountId: id, role: 'roles/iam.serviceAccountUser', member: 'serviceAccount:ci@acme-ci.iam.gserviceaccount.com' });
    new ProjectIamPolicy(stack, 'Policy', { project: PROJECT, policyData: JSON.stringify({ bindings: [{ role: 'roles/owner', members: [`serviceAccount:${email}`] }] }) });
    // Another project's account of the same id pattern but a different id is not the governed one.
    new ProjectIamPolicy(stack, 'Unrelated', { project: 'acme-other', policyData: JSON.stringify({ bindings: [{ role: 'roles/run.invoker', members: ['serviceAccount:other-reader@acme-other.iam.gserviceaccount.com'] }] }) });
    Governance.of(app).enforce();
    expect(Governance.of(app).findings().map((f) => [f.path, f.violation.code])).toEqual([
      ['stack/Key', 'NHI_UNGOVERNED_IDENTITY'],
      ['stack/Key', 'NHI_CREDENTIAL_UNDECLARED'],
      ['stack/User', 'NHI_UNGOVERNED_IDENTITY'],
      ['stack/User', 'NHI_TRUST_CHANGED'],
      ['stack/Policy', 'NHI_SCOPE_WIDENED'],
    ]);
    expect(validationErrors(stack)).toContain('[NHI_SCOPE_WIDENED] google_project_iam_policy at stack/Policy: ');
    expect(validationErrors(stack)).toContain('of stack/Reader grants roles/owner on project acme-billing-prod');
  });
});
