import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { DataAwsIamRole } from '@cdktf/provider-aws/lib/data-aws-iam-role';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamSigningCertificate } from '@cdktf/provider-aws/lib/iam-signing-certificate';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserGroupMembership } from '@cdktf/provider-aws/lib/iam-user-group-membership';
import { IamUserSshKey } from '@cdktf/provider-aws/lib/iam-user-ssh-key';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { SecretsmanagerSecretPolicy } from '@cdktf/provider-aws/lib/secretsmanager-secret-policy';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccountKey } from '@cdktf/provider-google/lib/service-account-key';
import { Fn, Lazy, TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Governance } from '../../lib/cdktf';
import * as aws from '../../lib/cdktf-aws';
import * as google from '../../lib/cdktf-google';
import { awsStack, GOVERNANCE } from '../helpers/cdktf';
import { googleStack, GOVERNANCE as GOOGLE_GOVERNANCE, PROJECT } from '../cdktf-google/helpers';

const ROLE = {
  ...GOVERNANCE,
  name: 'billing-report-reader',
  assumedBy: { service: 'lambda.amazonaws.com' },
  scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/*'] }],
};
const USER = { ...ROLE, name: 'legacy-uploader', assumedBy: undefined, staticCredentials: { justification: 'Legacy host cannot assume roles' } };
const S3_STAR = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const WAIVER_OWNER = { team: 'platform', contact: 'platform@example.com' };

const GSA = {
  ...GOOGLE_GOVERNANCE,
  project: PROJECT,
  accountId: 'billing-report-reader',
  scope: [{ role: 'roles/storage.objectViewer', bucket: 'acme-billing-exports' }],
};
const EMAIL = `billing-report-reader@${PROJECT}.iam.gserviceaccount.com`;

/** The validation errors of a stack (empty if it synthesises). */
function errors(stack: TerraformStack): string {
  try {
    Testing.synth(stack, true);
  } catch (e: any) {
    return String(e.message);
  }
  return '';
}

function awsRole() {
  const { app, stack } = awsStack();
  const sa = new aws.GovernedServiceAccount(stack, 'Reader', ROLE);
  return { app, stack, sa };
}

function awsUser() {
  const { app, stack } = awsStack();
  const sa = new aws.GovernedServiceAccount(stack, 'Uploader', USER);
  return { app, stack, sa };
}

function resourcePolicy(principal: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 's3:*', Resource: '*' }] });
}

describe('Artifact verification (cdktf): on by default for every stack with a governed identity', () => {
  test('Compliance: governed identities as declared synthesise (role, user, Google account with key and users, API keys)', () => {
    const { stack } = awsRole();
    new aws.GovernedServiceAccount(stack, 'Uploader', USER);
    expect(errors(stack)).toBe('');
    const g = googleStack();
    new google.GovernedServiceAccount(g.stack, 'Reader', {
      ...GSA, keys: { justification: 'On-premises invoice scanner cannot federate' },
      usedBy: [{ member: 'serviceAccount:runner@acme-ci-prod.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountTokenCreator' }],
    });
    expect(errors(g.stack)).toBe('');
  });

  test('Compliance: a grant naming an ordinary (ungoverned) role is not the governed identity\'s business', () => {
    const { stack } = awsRole();
    new IamRolePolicyAttachment(stack, 'Other', { role: 'someone-else', policyArn: ADMIN });
    expect(errors(stack)).toBe('');
  });

  describe('escape hatches on the governed resources', () => {
    test('Noncompliance: rolePolicy.addOverride(policy, s3:* on *) is NHI_SCOPE_WIDENED and NHI_EXPIRY_CONDITION_MISSING', () => {
      const { stack, sa } = awsRole();
      sa.rolePolicy!.addOverride('policy', S3_STAR);
      const msg = errors(stack);
      expect(msg).toContain('[NHI_SCOPE_WIDENED] aws_iam_role_policy at stack/Reader/Policy');
      expect(msg).toMatch(/s3:AbortMultipartUpload, .* on \*/);
      expect(msg).toContain('[NHI_EXPIRY_CONDITION_MISSING] aws_iam_role_policy at stack/Reader/Policy');
    });

    test('Noncompliance: role.addOverride(assume_role_policy, Principal AWS *) is NHI_TRUST_CHANGED', () => {
      const { stack, sa } = awsRole();
      sa.role!.addOverride('assume_role_policy', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] }));
      const msg = errors(stack);
      expect(msg).toContain('[NHI_TRUST_CHANGED] aws_iam_role at stack/Reader/Role');
      expect(msg).toContain('[NHI_EXPIRY_CONDITION_MISSING] aws_iam_role at stack/Reader/Role');
    });

    test('Noncompliance: role.addOverride(managed_policy_arns, [AdministratorAccess]) is NHI_SCOPE_WIDENED', () => {
      const { stack, sa } = awsRole();
      sa.role!.addOverride('managed_policy_arns', [ADMIN]);
      expect(errors(stack)).toContain(`[NHI_SCOPE_WIDENED] aws_iam_role at stack/Reader/Role: managed_policy_arns of the role (aws_iam_role stack/Reader/Role) of stack/Reader attaches the managed policy ${ADMIN}`);
    });

    test('Noncompliance: role.addOverride(inline_policy) is NHI_SCOPE_WIDENED', () => {
      const { stack, sa } = awsRole();
      sa.role!.addOverride('inline_policy', [{ name: 'x', policy: S3_STAR }]);
      expect(errors(stack)).toContain('[NHI_SCOPE_WIDENED] aws_iam_role at stack/Reader/Role');
    });

    test('Noncompliance: userPolicy.addOverride(policy) is NHI_SCOPE_WIDENED', () => {
      const { stack, sa } = awsUser();
      sa.userPolicy!.addOverride('policy', S3_STAR);
      expect(errors(stack)).toContain('[NHI_SCOPE_WIDENED] aws_iam_user_policy at stack/Uploader/Policy');
    });

    test('Noncompliance: an override of the policy\'s role to another identity\'s name leaves the governed scope intact but is checked too', () => {
      const { stack, sa } = awsRole();
      sa.rolePolicy!.addOverride('policy', S3_STAR.replace('s3:*', 's3:GetObject').replace('"*"}', '"arn:aws:s3:::billing-exports/*"}'));
      // Same action and resource, but the expiry condition is gone.
      expect(errors(stack)).toContain('[NHI_EXPIRY_CONDITION_MISSING] aws_iam_role_policy at stack/Reader/Policy');
    });
  });

  describe('resources added inside a governed construct are checked', () => {
    test('Noncompliance: an extra IamRolePolicy in the construct is NHI_SCOPE_WIDENED', () => {
      const { stack, sa } = awsRole();
      new IamRolePolicy(sa, 'Extra', { role: sa.role!.name, policy: S3_STAR });
      expect(errors(stack)).toContain('[NHI_SCOPE_WIDENED] aws_iam_role_policy at stack/Reader/Extra');
    });

    test('Noncompliance: another governed identity\'s exact policy text attached to this one is NHI_SCOPE_WIDENED (declared text is per identity)', () => {
      const { stack, sa } = awsRole();
      const other = new aws.GovernedServiceAccount(stack, 'Other', { ...ROLE, name: 'other-reader', scope: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::uploads/*'] }] });
      new IamRolePolicy(stack, 'Borrowed', { role: sa.role!.name, policy: other.policyDocument });
      expect(errors(stack)).toContain('[NHI_SCOPE_WIDENED] aws_iam_role_policy at stack/Borrowed');
    });

    test('Compliance: a second policy of exactly the declared text grants nothing beyond the declaration', () => {
      const { stack, sa } = awsRole();
      new IamRolePolicy(stack, 'Again', { role: sa.role!.name, policy: sa.policyDocument });
      expect(errors(stack)).toBe('');
    });

    test('Noncompliance: the declared text with a reference resource whose value is a wildcard is still compared (no shortcut with tokens)', () => {
      const { stack } = awsStack();
      new aws.GovernedServiceAccount(stack, 'Reader', { ...ROLE, scope: [{ actions: ['s3:GetObject'], resources: [Fn.join('', ['arn:aws:s3:::', '*'])] }] });
      expect(errors(stack)).toContain('NHI_SCOPE_WIDENED');
    });

    test('Noncompliance: an AdministratorAccess attachment in the construct is NHI_SCOPE_WIDENED', () => {
      const { stack, sa } = awsRole();
      new IamRolePolicyAttachment(sa, 'Admin', { role: sa.role!.name, policyArn: ADMIN });
      expect(errors(stack)).toContain('[NHI_SCOPE_WIDENED] aws_iam_role_policy_attachment at stack/Reader/Admin');
    });

    test('Noncompliance: an IamUser + IamAccessKey in the construct is NHI_UNGOVERNED_IDENTITY under enforce()', () => {
      const { app, stack, sa } = awsRole();
      const u = new IamUser(sa, 'Sneaky', { name: 'sneaky' });
      new IamAccessKey(sa, 'SneakyKey', { user: u.name });
      Governance.of(app).enforce();
      const msg = errors(stack);
      expect(msg).toContain('[NHI_UNGOVERNED_IDENTITY] aws_iam_user at stack/Reader/Sneaky');
      expect(msg).toContain('[NHI_UNGOVERNED_IDENTITY] aws_iam_access_key at stack/Reader/SneakyKey');
    });

    test('Noncompliance: a second access key of the governed user is NHI_CREDENTIAL_UNDECLARED (no enforce needed)', () => {
      const { stack, sa } = awsUser();
      new IamAccessKey(sa, 'SecondKey', { user: sa.user!.name });
      expect(errors(stack)).toContain('[NHI_CREDENTIAL_UNDECLARED] aws_iam_access_key at stack/Uploader/SecondKey');
    });

    test('Noncompliance: a group membership of the governed user is NHI_SCOPE_WIDENED', () => {
      const { stack, sa } = awsUser();
      new IamUserGroupMembership(stack, 'Admins', { user: sa.user!.name, groups: ['admins'] });
      expect(errors(stack)).toContain('[NHI_SCOPE_WIDENED] aws_iam_user_group_membership at stack/Admins');
    });
  });

  describe('names hidden behind functions and data sources', () => {
    test('Noncompliance: an attachment whose role is Fn.join(...) of the name is NHI_SCOPE_WIDENED', () => {
      const { stack } = awsRole();
      new IamRolePolicyAttachment(stack, 'Joined', { role: Fn.join('', ['billing-report-', 'reader']), policyArn: ADMIN });
      expect(errors(stack)).toContain('[NHI_SCOPE_WIDENED] aws_iam_role_policy_attachment at stack/Joined');
    });

    test('Noncompliance: an attachment whose role is Fn.lower(sa.role.name) is NHI_SCOPE_WIDENED', () => {
      const { stack, sa } = awsRole();
      new IamRolePolicyAttachment(stack, 'Lowered', { role: Fn.lower(sa.role!.name), policyArn: ADMIN });
      expect(errors(stack)).toContain('[NHI_SCOPE_WIDENED] aws_iam_role_policy_attachment at stack/Lowered');
    });

    test('Noncompliance: an attachment whose role is DataAwsIamRole(name).name is NHI_SCOPE_WIDENED', () => {
      const { stack } = awsRole();
      const d = new DataAwsIamRole(stack, 'Lookup', { name: 'billing-report-reader' });
      new IamRolePolicyAttachment(stack, 'ViaData', { role: d.name, policyArn: ADMIN });
      expect(errors(stack)).toContain('[NHI_SCOPE_WIDENED] aws_iam_role_policy_attachment at stack/ViaData');
    });

    test('Noncompliance: a role name that cannot be resolved at synth (a variable) is NHI_SCOPE_UNVERIFIABLE naming resource and attribute', () => {
      const { stack } = awsRole();
      const v = new TerraformVariable(stack, 'roleName', { type: 'string' });
      new IamRolePolicyAttachment(stack, 'ViaVariable', { role: Fn.lower(v.stringValue), policyArn: ADMIN });
      const msg = errors(stack);
      expect(msg).toContain('[NHI_SCOPE_UNVERIFIABLE] aws_iam_role_policy_attachment at stack/ViaVariable: role of aws_iam_role_policy_attachment stack/ViaVariable is an expression that cannot be resolved at synth time');
    });

    test('Compliance: an NHI_SCOPE_UNVERIFIABLE finding is accepted by an expiring waiver on its path', () => {
      const { app, stack } = awsRole();
      const v = new TerraformVariable(stack, 'roleName', { type: 'string' });
      new IamRolePolicyAttachment(stack, 'ViaVariable', { role: v.stringValue, policyArn: ADMIN });
      Governance.of(app).waive({ code: 'NHI_SCOPE_UNVERIFIABLE', path: 'stack/ViaVariable', owner: WAIVER_OWNER, reason: 'Legacy pipeline role, replaced in Q1', expires: '2027-01-31' });
      expect(errors(stack)).toBe('');
    });
  });

  describe('resource-based policies that name the governed identity', () => {
    const cases: [string, string, (s: TerraformStack, arn: string) => void][] = [
      ['S3 bucket policy', 'aws_s3_bucket_policy', (s, arn) => new S3BucketPolicy(s, 'P', { bucket: 'billing-exports', policy: resourcePolicy(arn) })],
      ['KMS key policy', 'aws_kms_key', (s, arn) => new KmsKey(s, 'P', { policy: resourcePolicy(arn) })],
      ['SQS queue policy', 'aws_sqs_queue_policy', (s, arn) => new SqsQueuePolicy(s, 'P', { queueUrl: 'https://sqs/q', policy: resourcePolicy(arn) })],
      ['SNS topic policy', 'aws_sns_topic_policy', (s, arn) => new SnsTopicPolicy(s, 'P', { arn: 'arn:aws:sns:eu-west-1:123456789012:t', policy: resourcePolicy(arn) })],
      ['Secrets Manager policy', 'aws_secretsmanager_secret_policy', (s, arn) => new SecretsmanagerSecretPolicy(s, 'P', { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x', policy: resourcePolicy(arn) })],
      ['ECR repository policy', 'aws_ecr_repository_policy', (s, arn) => new EcrRepositoryPolicy(s, 'P', { repository: 'repo', policy: resourcePolicy(arn) })],
      ['Lambda permission', 'aws_lambda_permission', (s, arn) => new LambdaPermission(s, 'P', { action: 'lambda:InvokeFunction', functionName: 'fn', principal: arn })],
    ];
    test.each(cases)('Noncompliance: a %s naming sa.role.arn is NHI_SCOPE_WIDENED', (_what, type, make) => {
      const { stack, sa } = awsRole();
      make(stack, sa.role!.arn);
      expect(errors(stack)).toContain(`[NHI_SCOPE_WIDENED] ${type} at stack/P`);
    });

    test('Noncompliance: a bucket policy naming the role by its literal ARN is NHI_SCOPE_WIDENED', () => {
      const { stack } = awsRole();
      new S3BucketPolicy(stack, 'P', { bucket: 'b', policy: resourcePolicy('arn:aws:iam::123456789012:role/nhi/billing-report-reader') });
      expect(errors(stack)).toContain('[NHI_SCOPE_WIDENED] aws_s3_bucket_policy at stack/P');
    });

    test('Noncompliance: a bucket policy from a DataAwsIamPolicyDocument naming sa.role.arn is NHI_SCOPE_WIDENED', () => {
      const { stack, sa } = awsRole();
      const doc = new DataAwsIamPolicyDocument(stack, 'Doc', {
        statement: [{ effect: 'Allow', actions: ['s3:PutObject'], resources: ['arn:aws:s3:::billing-exports/*'], principals: [{ type: 'AWS', identifiers: [sa.role!.arn] }] }],
      });
      new S3BucketPolicy(stack, 'P', { bucket: 'billing-exports', policy: doc.json });
      expect(errors(stack)).toContain('[NHI_SCOPE_WIDENED] aws_s3_bucket_policy at stack/P');
    });

    test('Noncompliance: an SSH key and a signing certificate of the governed user are NHI_CREDENTIAL_UNDECLARED', () => {
      const { stack, sa } = awsUser();
      new IamUserSshKey(stack, 'Ssh', { username: sa.user!.name, encoding: 'SSH', publicKey: 'ssh-rsa AAAA' });
      new IamSigningCertificate(stack, 'Cert', { userName: sa.user!.name, certificateBody: '-----BEGIN CERTIFICATE-----' });
      const msg = errors(stack);
      expect(msg).toContain('[NHI_CREDENTIAL_UNDECLARED] aws_iam_user_ssh_key at stack/Ssh');
      expect(msg).toContain('[NHI_CREDENTIAL_UNDECLARED] aws_iam_signing_certificate at stack/Cert');
    });
  });

  describe('values hidden in tokens', () => {
    test('Noncompliance: scope resources Fn.join(\'\', [\'arn:aws:s3:::\', \'*\']) is NHI_SCOPE_WIDENED', () => {
      const { stack } = awsStack();
      new aws.GovernedServiceAccount(stack, 'Reader', { ...ROLE, scope: [{ actions: ['s3:GetObject'], resources: [Fn.join('', ['arn:aws:s3:::', '*'])] }] });
      const msg = errors(stack);
      expect(msg).toContain('[NHI_SCOPE_WIDENED] aws_iam_role_policy at stack/Reader/Policy');
      expect(msg).toContain('s3:GetObject on arn:aws:s3:::*');
    });

    test('Noncompliance: scope resources Lazy.string(() => \'*\') is NHI_SCOPE_WIDENED', () => {
      const { stack } = awsStack();
      new aws.GovernedServiceAccount(stack, 'Reader', { ...ROLE, scope: [{ actions: ['s3:GetObject'], resources: [Lazy.stringValue({ produce: () => '*' })] }] });
      expect(errors(stack)).toContain('s3:GetObject on *');
    });

    test('Compliance: scope resources that are references (bucket.arn, `${bucket.arn}/*`) are verified as declared', () => {
      const { stack } = awsStack();
      const d = new DataAwsIamRole(stack, 'Unrelated', { name: 'x' });
      new aws.GovernedServiceAccount(stack, 'Reader', { ...ROLE, scope: [{ actions: ['s3:GetObject'], resources: [`${d.arn}/*`, Fn.join('', [d.arn, '/reports/*'])] }] });
      expect(errors(stack)).toBe('');
    });
  });

  describe('secrets leaving through outputs', () => {
    // The access key itself is created by the rotation function (no key in Terraform): the secret
    // material reachable from the artifact is the credential secret's value.
    test('Noncompliance: a TerraformOutput of the credential secret read back (secret_string) is NHI_SECRET_EXPOSED', () => {
      const { stack, sa } = awsUser();
      const read = new DataAwsSecretsmanagerSecretVersion(stack, 'Read', { secretId: sa.secret!.id });
      new TerraformOutput(stack, 'Leak', { value: read.secretString });
      expect(errors(stack)).toMatch(/\[NHI_SECRET_EXPOSED\] output at .*Leak.*aws_secretsmanager_secret_version\.Read\.secret_string/);
    });

    test('Noncompliance: sensitive: true does not make it acceptable', () => {
      const { stack, sa } = awsUser();
      const read = new DataAwsSecretsmanagerSecretVersion(stack, 'Read', { secretId: sa.secret!.id });
      new TerraformOutput(stack, 'Leak', { value: read.secretString, sensitive: true });
      expect(errors(stack)).toContain('[NHI_SECRET_EXPOSED]');
    });

    test('Noncompliance: an output of a Google key\'s private_key is NHI_SECRET_EXPOSED', () => {
      const { stack } = googleStack();
      const sa = new google.GovernedServiceAccount(stack, 'Reader', { ...GSA, keys: { justification: 'On-premises invoice scanner cannot federate' } });
      new TerraformOutput(stack, 'Leak', { value: sa.key!.privateKey, sensitive: true });
      expect(errors(stack)).toContain('[NHI_SECRET_EXPOSED]');
    });

    test('Noncompliance: an output of a Google API key string is NHI_SECRET_EXPOSED', () => {
      const { stack } = googleStack();
      const key = new google.GovernedApiKey(stack, 'PartnerKey', {
        ...GOOGLE_GOVERNANCE, purpose: 'Partner Globex geocodes delivery addresses from its servers', project: PROJECT,
        name: 'partner-globex-geocoding', scope: [{ service: 'geocoding-backend.googleapis.com' }], clientRestriction: { allowedIps: ['203.0.113.0/24'] },
      });
      new TerraformOutput(stack, 'Leak', { value: key.apiKey.keyString, sensitive: true });
      expect(errors(stack)).toContain('[NHI_SECRET_EXPOSED]');
    });

    test('Compliance: an output of the secret\'s ARN (where to read it) is fine', () => {
      const { stack, sa } = awsUser();
      new TerraformOutput(stack, 'Where', { value: sa.secret!.arn });
      expect(errors(stack)).toBe('');
    });
  });

  describe('Google', () => {
    function gsa(props: Record<string, unknown> = {}) {
      const { app, stack } = googleStack();
      const sa = new google.GovernedServiceAccount(stack, 'Reader', { ...GSA, ...props } as google.GovernedServiceAccountProps);
      return { app, stack, sa };
    }

    test('Noncompliance: a binding\'s addOverride(role, roles/owner) is NHI_SCOPE_WIDENED', () => {
      const { stack, sa } = gsa();
      sa.bindings[0].addOverride('role', 'roles/owner');
      expect(errors(stack)).toMatch(/\[NHI_SCOPE_WIDENED\] google_storage_bucket_iam_member at stack\/Reader\/Grant-bucket-[0-9a-f]+: .*grants roles\/owner/);
    });

    test('Noncompliance: a binding\'s addOverride(condition) dropping the expiry is NHI_EXPIRY_CONDITION_MISSING', () => {
      const { stack, sa } = gsa();
      sa.bindings[0].addOverride('condition', { title: 'forever', expression: 'true' });
      expect(errors(stack)).toContain('[NHI_EXPIRY_CONDITION_MISSING] google_storage_bucket_iam_member at stack/Reader/Grant-bucket-');
    });

    test('Noncompliance: a second key of the governed account is NHI_CREDENTIAL_UNDECLARED', () => {
      const { stack, sa } = gsa();
      new ServiceAccountKey(sa, 'SecondKey', { serviceAccountId: sa.serviceAccount.name });
      expect(errors(stack)).toContain('[NHI_CREDENTIAL_UNDECLARED] google_service_account_key at stack/Reader/SecondKey');
    });

    test('Noncompliance: ProjectIamMember(sa, ..., roles/owner) is NHI_SCOPE_WIDENED', () => {
      const { stack, sa } = gsa();
      new ProjectIamMember(sa, 'Owner', { project: PROJECT, role: 'roles/owner', member: sa.member });
      expect(errors(stack)).toContain('[NHI_SCOPE_WIDENED] google_project_iam_member at stack/Reader/Owner');
    });

    test('Noncompliance: a member built with Fn.format(...) is NHI_SCOPE_WIDENED', () => {
      const { stack } = gsa();
      new ProjectIamMember(stack, 'Formatted', { project: PROJECT, role: 'roles/storage.admin', member: Fn.format('serviceAccount:%s@%s.iam.gserviceaccount.com', ['billing-report-reader', PROJECT]) });
      expect(errors(stack)).toContain('[NHI_SCOPE_WIDENED] google_project_iam_member at stack/Formatted');
    });

    test('Noncompliance: a scope role Fn.join(\'\', [\'roles/\', \'owner\']) is NHI_SCOPE_WIDENED', () => {
      const { stack } = gsa({ scope: [{ role: Fn.join('', ['roles/', 'owner']), bucket: 'acme-billing-exports' }] });
      expect(errors(stack)).toContain('grants roles/owner on bucket acme-billing-exports');
    });

    test('Noncompliance: an account IAM member letting someone else use the account is NHI_TRUST_CHANGED', () => {
      const { stack, sa } = gsa();
      sa.node.tryFindChild('Account');
      new (require('@cdktf/provider-google/lib/service-account-iam-member').ServiceAccountIamMember)(stack, 'Impersonate', {
        serviceAccountId: sa.serviceAccount.name, role: 'roles/iam.serviceAccountTokenCreator', member: 'user:mallory@example.com',
      });
      expect(errors(stack)).toContain('[NHI_TRUST_CHANGED] google_service_account_iam_member at stack/Impersonate');
    });

    test('Compliance: the literal e-mail of the account is recognised as the account', () => {
      const { stack } = gsa();
      new ProjectIamMember(stack, 'Literal', { project: PROJECT, role: 'roles/storage.admin', member: `serviceAccount:${EMAIL}` });
      expect(errors(stack)).toContain('[NHI_SCOPE_WIDENED] google_project_iam_member at stack/Literal');
    });
  });

  test('Compliance: a waiver with owner, reason and expiry accepts an escape hatch', () => {
    const { app, stack, sa } = awsRole();
    new IamRolePolicyAttachment(sa, 'ReadOnly', { role: sa.role!.name, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    Governance.of(app).waive({ code: 'NHI_SCOPE_WIDENED', path: 'stack/Reader/ReadOnly', owner: WAIVER_OWNER, reason: 'Audit migration needs read-only access until cutover', expires: '2027-01-31' });
    expect(errors(stack)).toBe('');
  });
});

describe('Artifact verification (cdktf): no synthesised JSON of a governed stack skips it', () => {
  test('Noncompliance: Testing.synth(stack) without validations throws a GovernanceError for an escape hatch', () => {
    const { stack, sa } = awsRole();
    sa.rolePolicy!.addOverride('policy', S3_STAR);
    let thrown: any;
    try {
      Testing.synth(stack);
    } catch (e) {
      thrown = e;
    }
    expect(thrown?.name).toBe('GovernanceError');
    expect(thrown.violations.map((v: any) => v.code)).toEqual(['NHI_SCOPE_WIDENED', 'NHI_EXPIRY_CONDITION_MISSING']);
    expect(thrown.message).toContain('governance violations in stack:');
    expect(thrown.message).toContain('[NHI_SCOPE_WIDENED] policy: aws_iam_role_policy at stack/Reader/Policy: ');
  });

  test('Noncompliance: so does a bypass added after a successful synth (the JSON is built and verified again)', () => {
    const { stack, sa } = awsRole();
    expect(errors(stack)).toBe('');
    new IamRolePolicyAttachment(sa, 'Admin', { role: sa.role!.name, policyArn: ADMIN });
    expect(() => Testing.synth(stack)).toThrow(/NHI_SCOPE_WIDENED\] .*aws_iam_role_policy_attachment at stack\/Reader\/Admin/);
  });

  test('Compliance: a declared stack, and a waived escape hatch, synthesise without validations; the validation\'s JSON is reused once', () => {
    const { app, stack, sa } = awsRole();
    expect(JSON.parse(Testing.synth(stack)).resource.aws_iam_role).toBeDefined();
    new IamRolePolicyAttachment(sa, 'ReadOnly', { role: sa.role!.name, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    Governance.of(app).waive({ code: 'NHI_SCOPE_WIDENED', path: 'stack/Reader/ReadOnly', owner: WAIVER_OWNER, reason: 'Audit migration needs read-only access until cutover', expires: '2027-01-31' });
    expect(JSON.parse(Testing.synth(stack)).resource.aws_iam_role_policy_attachment).toBeDefined();
    expect(JSON.parse(Testing.synth(stack, true)).resource.aws_iam_role_policy_attachment).toBeDefined();
  });

  test('Noncompliance: Google, a second key on a governed account, without validations', () => {
    const { stack } = googleStack();
    const sa = new google.GovernedServiceAccount(stack, 'Reader', GSA);
    new ServiceAccountKey(stack, 'Extra', { serviceAccountId: sa.serviceAccount.name });
    expect(() => Testing.synth(stack)).toThrow(/NHI_CREDENTIAL_UNDECLARED\] .*google_service_account_key at stack\/Extra/);
  });
});

describe('The register says what the artifact holds: declaration plus what waivers accepted', () => {
  const { NhiRegister } = require('../../lib/cdktf');

  test('Compliance: a waived escape hatch is listed on the identity it widens (accepted), with its waiver', () => {
    const { app, stack, sa } = awsRole();
    new IamRolePolicyAttachment(sa, 'ReadOnly', { role: sa.role!.name, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    Governance.of(app).waive({ code: 'NHI_SCOPE_WIDENED', path: 'stack/Reader/ReadOnly', owner: WAIVER_OWNER, reason: 'Audit migration needs read-only access until cutover', expires: '2027-01-31' });
    expect(errors(stack)).toBe('');
    const entry = JSON.parse(NhiRegister.of(stack).render()).identities.find((e: any) => e.path === 'stack/Reader');
    expect(entry.accepted).toEqual([{
      code: 'NHI_SCOPE_WIDENED',
      source: 'stack/Reader/ReadOnly',
      resourceType: 'aws_iam_role_policy_attachment',
      attribute: 'policy_arn',
      message: expect.stringContaining('attaches the managed policy arn:aws:iam::aws:policy/ReadOnlyAccess'),
      waiver: { reason: 'Audit migration needs read-only access until cutover', expires: '2027-01-31', owner: 'platform' },
    }]);
  });

  test('Compliance: a declared identity has no accepted list; a resource-type waiver is listed too (Google)', () => {
    const { app, stack } = googleStack();
    const sa = new google.GovernedServiceAccount(stack, 'Reader', GSA);
    const clean = JSON.parse(NhiRegister.of(stack).render()).identities[0];
    expect(clean.accepted).toBeUndefined();
    new ProjectIamMember(stack, 'Extra', { project: PROJECT, role: 'roles/storage.admin', member: sa.member });
    Governance.of(app).waive({ code: 'NHI_SCOPE_WIDENED', resourceType: 'google_project_iam_member', owner: WAIVER_OWNER, reason: 'Bucket move needs admin for two weeks', expires: '2026-12-15' });
    expect(errors(stack)).toBe('');
    const entry = JSON.parse(NhiRegister.of(stack).render()).identities[0];
    expect(entry.accepted.map((a: any) => [a.code, a.source, a.resourceType])).toEqual([['NHI_SCOPE_WIDENED', 'stack/Extra', 'google_project_iam_member']]);
    expect(entry.accepted[0].message).toContain('grants roles/storage.admin on project acme-billing-prod');
  });

  test('Compliance: the file app.synth() writes carries it (the validation\'s view is reused)', () => {
    const fs = require('fs');
    const path = require('path');
    const { app, stack, sa } = awsRole();
    new IamRolePolicy(sa, 'Extra', { role: sa.role!.name, policy: S3_STAR });
    Governance.of(app).waive(
      { code: 'NHI_SCOPE_WIDENED', path: 'stack/Reader/Extra', owner: WAIVER_OWNER, reason: 'Bucket migration copies everything until cutover', expires: '2027-01-31' },
      { code: 'NHI_EXPIRY_CONDITION_MISSING', path: 'stack/Reader/Extra', owner: WAIVER_OWNER, reason: 'Bucket migration copies everything until cutover', expires: '2027-01-31' },
    );
    app.synth();
    const file = path.join(app.outdir, 'stacks', stack.node.id, 'nhi-register.json');
    const entry = JSON.parse(fs.readFileSync(file, 'utf8')).identities[0];
    expect(entry.accepted.map((a: any) => a.code)).toEqual(['NHI_SCOPE_WIDENED', 'NHI_EXPIRY_CONDITION_MISSING']);
  });
});
