import { NhiRisk, Violation, violation } from './violation';

/** What to use instead of a raw identity-bearing resource. */
interface IdentityType {
  readonly cloud: 'aws' | 'google';
  readonly what: string;
  readonly use: string;
}

const AWS_SA = 'GovernedServiceAccount (nhi-constructs/lib/cdktf-aws or nhi-constructs/lib/aws-cdk)';
const AWS_SA_STATIC = 'GovernedServiceAccount with staticCredentials (nhi-constructs/lib/cdktf-aws or nhi-constructs/lib/aws-cdk)';
const AWS_KEY = 'GovernedApiKey (nhi-constructs/lib/cdktf-aws or nhi-constructs/lib/aws-cdk)';
const GOOGLE_SA = 'GovernedServiceAccount (nhi-constructs/lib/cdktf-google)';

/**
 * Identity-bearing resource types (Terraform and CloudFormation): a resource of one of these types
 * not created by a governed construct is an ungoverned non-human identity.
 */
export const IDENTITY_RESOURCE_TYPES: { readonly [type: string]: IdentityType } = {
  'aws_iam_role': { cloud: 'aws', what: 'an IAM role (assumable by a workload)', use: AWS_SA },
  'aws_iam_user': { cloud: 'aws', what: 'an IAM user', use: AWS_SA_STATIC },
  'aws_iam_access_key': { cloud: 'aws', what: 'a static access key', use: AWS_SA_STATIC },
  'aws_iam_user_login_profile': { cloud: 'aws', what: 'a console password on an IAM user (human use of a non-human identity)', use: `${AWS_SA} (non-human identities get no console password)` },
  'aws_iam_service_specific_credential': { cloud: 'aws', what: 'a service-specific password (CodeCommit, Keyspaces)', use: `${AWS_SA} with workload identity (service-specific credentials are not governed)` },
  'aws_api_gateway_api_key': { cloud: 'aws', what: 'an API Gateway API key', use: AWS_KEY },
  'google_service_account': { cloud: 'google', what: 'a Google service account', use: GOOGLE_SA },
  'google_service_account_key': { cloud: 'google', what: 'a service account key', use: 'GovernedServiceAccount with keys (nhi-constructs/lib/cdktf-google)' },
  'google_apikeys_key': { cloud: 'google', what: 'a Google API key', use: 'GovernedApiKey (nhi-constructs/lib/cdktf-google)' },
  'AWS::IAM::Role': { cloud: 'aws', what: 'an IAM role (assumable by a workload)', use: AWS_SA },
  'AWS::IAM::User': { cloud: 'aws', what: 'an IAM user', use: AWS_SA_STATIC },
  'AWS::IAM::AccessKey': { cloud: 'aws', what: 'a static access key', use: AWS_SA_STATIC },
  'AWS::ApiGateway::ApiKey': { cloud: 'aws', what: 'an API Gateway API key', use: AWS_KEY },
};

/** Google roles whose grant *on a service account* lets the member act as it or mint its credentials. */
export const GOOGLE_IMPERSONATION_ROLES: readonly string[] = [
  'roles/iam.serviceAccountTokenCreator',
  'roles/iam.serviceAccountKeyAdmin',
  'roles/iam.serviceAccountUser',
  'roles/iam.workloadIdentityUser',
  'roles/iam.serviceAccountOpenIdTokenCreator',
  'roles/owner',
  'roles/editor',
];

/** Google IAM resources on a service account (`google_service_account_iam_member` ...): identity-bearing when they grant impersonation. */
export const GOOGLE_SERVICE_ACCOUNT_IAM_TYPES: readonly string[] = [
  'google_service_account_iam_member',
  'google_service_account_iam_binding',
  'google_service_account_iam_policy',
];

/** Where an ungoverned identity-bearing resource comes from (what the fix can name). */
export interface UngovernedContext {
  /**
   * The construct that created the resource for itself, e.g. the `lambda.Function` whose service
   * role it is (AWS CDK L2 constructs create their roles).
   */
  readonly createdBy?: string;
}

/**
 * The finding for a resource that bears a non-human identity outside a governed construct, or
 * none. `attributes` (resolved) are read only for Google service-account IAM resources, which
 * bear an identity when they grant impersonation or token creation. For an AWS CDK role, the fix
 * shows how to hand the construct a governed role (`role: sa`).
 */
export function ungovernedIdentityFinding(type: string, attributes?: Record<string, unknown>, context: UngovernedContext = {}): Violation | undefined {
  let info = IDENTITY_RESOURCE_TYPES[type];
  if (!info && GOOGLE_SERVICE_ACCOUNT_IAM_TYPES.includes(type)) {
    const text = JSON.stringify(attributes ?? {});
    const role = GOOGLE_IMPERSONATION_ROLES.find((r) => text.includes(`"${r}"`));
    if (!role) return undefined;
    info = { cloud: 'google', what: `a grant of ${role} on a service account (lets its members act as it)`, use: `${GOOGLE_SA}, which declares who may use it` };
  }
  if (!info) return undefined;
  const waiver = `for a legacy resource, add an expiring waiver for NHI_UNGOVERNED_IDENTITY on its path or on ${type}`;
  if (type === 'AWS::IAM::Role') {
    const who = context.createdBy ? `${context.createdBy} creates it as its own role` : 'it is created outside a governed construct';
    return violation('NHI_UNGOVERNED_IDENTITY', type,
      `an IAM role (assumable by a workload): ${who}, so it has no owner, purpose, expiry or reviewed scope`,
      `${context.createdBy ? `give ${context.createdBy}` : 'give the construct that uses it'} a governed role: ` +
      "const sa = new GovernedServiceAccount(this, 'Role', { owner, purpose, expires, scope, assumedBy: new iam.ServicePrincipal('<service>.amazonaws.com') }) " +
      `(nhi-constructs/lib/aws-cdk), then pass role: sa wherever an iam.IRole is expected, e.g. new lambda.Function(this, 'Fn', { ..., role: sa }); ${waiver}`,
      type, [NhiRisk.NHI1, NhiRisk.NHI5, NhiRisk.NHI7]);
  }
  return violation('NHI_UNGOVERNED_IDENTITY', type,
    `${info.what} is created outside a governed construct, so it has no owner, purpose, expiry or reviewed scope`,
    `use ${info.use}; ${waiver}`,
    type, [NhiRisk.NHI1, NhiRisk.NHI5, NhiRisk.NHI7]);
}

/**
 * The finding for a framework acknowledgement (the AWS CDK's `Validations.acknowledge`) of an NHI
 * finding that no waiver backs: it silences the finding with a reason only, no owner, no expiry,
 * and outside the NHI register. The fix is the expiring waiver that replaces it.
 */
export function acknowledgementFinding(code: string, path: string, reason: string): Violation {
  const example = `Waivers.of(scope).add({ code: '${code}', path: '${path}', owner: { team: '<team>', contact: '<e-mail>' }, ` +
    `reason: ${JSON.stringify(reason.trim() || '<why the risk is accepted for now>')}, expires: '<YYYY-MM-DD>' })`;
  return violation('NHI_ACKNOWLEDGEMENT_UNGOVERNED', 'acknowledgement',
    `Validations.acknowledge of ${code} silences an NHI finding with a reason only: nobody owns the accepted risk, it never expires and it is not in the NHI register`,
    `replace it with an expiring waiver (nhi-constructs/lib/core), which the register lists and which stops waiving at its expiry: ${example}`,
    code, [NhiRisk.NHI1]);
}
