import { NhiRisk, Violation, violation } from '../violation';
import { isToken } from './aws-scope';
import { isVague } from './purpose';

/** Who may assume a governed AWS role. Give exactly one kind of workload principal. */
export interface AwsAssumedBy {
  /** An AWS service principal, e.g. `lambda.amazonaws.com`. */
  readonly service?: string;
  /** Web-identity (OIDC) federation, e.g. a CI system or a Kubernetes service account. */
  readonly oidc?: AwsOidcTrust;
  /** ARNs of workload roles (same or another account) that may assume this role. */
  readonly roleArns?: string[];
  /**
   * Whole AWS accounts that may assume the role: only for a third party (`vendor` set), and
   * always with an `sts:ExternalId` condition.
   * @default - none
   */
  readonly accountIds?: string[];
  /**
   * The `sts:ExternalId` a third party must present, as issued by the vendor (unique per
   * customer). Vendor identities trusted across accounts always get one: without it, an
   * unpredictable id is generated per deployment (never derived from code).
   * @default - generated per deployment for vendor identities, none otherwise
   */
  readonly externalId?: string;
  /**
   * Why the trust admits what the rules reject by default: human principals (IAM users, IAM
   * Identity Center roles), several workload roles, another environment's account.
   * @default - none
   */
  readonly justification?: string;
}

/** Facts about the identity that the trust rules depend on. */
export interface AwsTrustContext {
  /** The identity is used by a third party. */
  readonly vendor?: boolean;
}

/** OIDC federation with a pinned subject. */
export interface AwsOidcTrust {
  /** ARN of the IAM OIDC provider, e.g. `arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com`. */
  readonly providerArn: string;
  /** Issuer host the condition keys are named after, e.g. `token.actions.githubusercontent.com`. */
  readonly issuer: string;
  /** Expected audience (`aud`), e.g. `sts.amazonaws.com`. */
  readonly audience: string;
  /** Exact subject (`sub`), e.g. `repo:acme/billing:ref:refs/heads/main`. No wildcards. */
  readonly subject: string;
}

const RISKS = [NhiRisk.NHI5, NhiRisk.NHI10];
const SERVICE = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.(amazonaws\.com|amazonaws\.com\.cn|amazon\.com)$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/;
const OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/[^\s*?]+$/;

/** True for an IAM Identity Center (SSO) permission-set role: a human signs in through it. */
export function isHumanRoleArn(arn: string): boolean {
  return /:role\/aws-reserved\/sso\.amazonaws\.com\//.test(arn) || /:role\/(.*\/)?AWSReservedSSO_/.test(arn);
}

/**
 * Trust: exactly one kind of workload principal, with nothing left open.
 *
 * - no principal, or several kinds: NHI_TRUST_MISSING; malformed: NHI_TRUST_INVALID; wildcards: NHI_TRUST_WILDCARD;
 * - human principals (IAM users, IAM Identity Center roles) unless justified: NHI_HUMAN_USE;
 * - several workload roles unless justified: NHI_TRUST_SHARED;
 * - whole accounts: only for a vendor (NHI_TRUST_ACCOUNT_ROOT otherwise), always with an external id.
 */
export function checkAwsTrust(assumedBy: unknown, field = 'assumedBy', context: AwsTrustContext = {}): Violation[] {
  if (!assumedBy || typeof assumedBy !== 'object') {
    return [violation('NHI_TRUST_MISSING', field, 'a governed role needs the workload that assumes it',
      "set assumedBy: { service: 'lambda.amazonaws.com' } (or oidc / roleArns)", assumedBy ?? undefined, RISKS)];
  }
  const a = assumedBy as { service?: unknown; oidc?: unknown; roleArns?: unknown; accountIds?: unknown; externalId?: unknown; justification?: unknown };
  const kinds = (['service', 'oidc', 'roleArns', 'accountIds'] as const).filter((k) => a[k] !== undefined && a[k] !== null);
  if (kinds.length !== 1) {
    return [violation('NHI_TRUST_MISSING', field, kinds.length === 0 ? 'names no principal' : `names several kinds of principal (${kinds.join(', ')}); one identity serves one workload`,
      'give exactly one of service, oidc, roleArns or (for a vendor) accountIds (declare one governed identity per workload)', assumedBy, [...RISKS, NhiRisk.NHI9])];
  }
  const justified = typeof a.justification === 'string' && !isVague(a.justification);
  const out: Violation[] = [];
  if (a.justification !== undefined && !justified) {
    out.push(violation('NHI_TRUST_INVALID', `${field}.justification`, 'is too vague to justify an exception', 'say why, in at least three words', a.justification, RISKS));
  }
  if (a.externalId !== undefined && (typeof a.externalId !== 'string' || !(/^[\w+=,.@:\/-]{2,1224}$/.test(a.externalId) || GENERATED_REFERENCE.test(a.externalId)))) {
    out.push(violation('NHI_TRUST_INVALID', `${field}.externalId`, 'is not a valid external id (2-1224 of letters, digits and +=,.@:/-)', 'give the id agreed with the vendor, or omit it to generate one', a.externalId, [NhiRisk.NHI3]));
  }
  if (a.accountIds !== undefined) {
    const ids = Array.isArray(a.accountIds) ? a.accountIds : [];
    if (!context.vendor) {
      out.push(violation('NHI_TRUST_ACCOUNT_ROOT', `${field}.accountIds`,
        'trusting a whole account lets every user and role it allows assume the role, so no one workload is accountable',
        'trust the workload role (roleArns); whole-account trust is only for a vendor (set vendor), with an external id', a.accountIds, [...RISKS, NhiRisk.NHI9]));
    }
    if (ids.length === 0 || ids.some((x) => typeof x !== 'string' || !/^\d{12}$/.test(x))) {
      out.push(violation('NHI_TRUST_INVALID', `${field}.accountIds`, 'must be a list of 12-digit AWS account ids', "set e.g. accountIds: ['999988887777']", a.accountIds, RISKS));
    }
  }
  if (a.service !== undefined) {
    if (typeof a.service !== 'string' || !SERVICE.test(a.service)) {
      out.push(violation('NHI_TRUST_INVALID', `${field}.service`, 'is not an AWS service principal',
        "use the service's principal, e.g. 'lambda.amazonaws.com'", a.service, RISKS));
    }
  }
  if (a.oidc !== undefined) {
    const o = (typeof a.oidc === 'object' ? a.oidc : {}) as Record<string, unknown>;
    for (const k of ['providerArn', 'issuer', 'audience', 'subject']) {
      if (typeof o[k] !== 'string' || (o[k] as string).trim() === '') {
        out.push(violation('NHI_TRUST_INVALID', `${field}.oidc.${k}`, 'is required for web-identity federation', `set ${field}.oidc.${k}`, o[k], RISKS));
      }
    }
    const provider = o.providerArn;
    if (typeof provider === 'string' && provider.trim() !== '' && !isToken(provider)) {
      if (/[*?]/.test(provider)) {
        out.push(violation('NHI_TRUST_WILDCARD', `${field}.oidc.providerArn`, 'a wildcard trusts every identity provider (any issuer\'s tokens could assume the role)',
          'give the ARN of the IAM OIDC provider, e.g. arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', provider, RISKS));
      } else if (!OIDC_PROVIDER_ARN.test(provider)) {
        out.push(violation('NHI_TRUST_INVALID', `${field}.oidc.providerArn`, 'is not the ARN of an IAM OIDC provider',
          'give arn:aws:iam::<account>:oidc-provider/<issuer host>, e.g. arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', provider, RISKS));
      }
    }
    for (const k of ['subject', 'audience']) {
      if (typeof o[k] === 'string' && /[*?]/.test(o[k] as string)) {
        out.push(violation('NHI_TRUST_WILDCARD', `${field}.oidc.${k}`, 'a wildcard lets any matching workload (any branch, any repository) assume the role',
          'pin the exact value, e.g. repo:acme/billing:ref:refs/heads/main', o[k], RISKS));
      }
    }
  }
  if (a.roleArns !== undefined) {
    const arns = Array.isArray(a.roleArns) ? a.roleArns : [];
    if (arns.length === 0) {
      out.push(violation('NHI_TRUST_MISSING', `${field}.roleArns`, 'is empty', 'list the workload role ARNs', a.roleArns, RISKS));
    }
    if (arns.length > 1 && !justified) {
      out.push(violation('NHI_TRUST_SHARED', `${field}.roleArns`, `trusts ${arns.length} workload roles; one identity serves one workload`,
        'declare one governed identity per workload, or justify the shared trust (assumedBy.justification)', arns, [...RISKS, NhiRisk.NHI9]));
    }
    arns.forEach((arn: unknown, i: number) => {
      if (typeof arn === 'string' && /[*?]/.test(arn)) {
        out.push(violation('NHI_TRUST_WILDCARD', `${field}.roleArns[${i}]`, 'a wildcard trusts every matching role', 'name the exact role ARN', arn, RISKS));
      } else if (typeof arn === 'string' && (/^arn:aws[a-z-]*:iam::\d{12}:user\//.test(arn) || isHumanRoleArn(arn))) {
        if (!justified) {
          out.push(violation('NHI_HUMAN_USE', `${field}.roleArns[${i}]`,
            `${arn.includes(':user/') ? 'an IAM user' : 'an IAM Identity Center (SSO) role'} is a person, so people could act as this non-human identity`,
            'trust the workload only; people use their own roles (or justify: assumedBy.justification)', arn, [NhiRisk.NHI10]));
        }
      } else if (typeof arn !== 'string' || (!ROLE_ARN.test(arn) && !arn.includes('${'))) {
        out.push(violation('NHI_TRUST_INVALID', `${field}.roleArns[${i}]`, 'is not an IAM role ARN (account roots are not workloads)',
          'give a role ARN, e.g. arn:aws:iam::123456789012:role/billing-worker', arn, [...RISKS]));
      }
    });
  }
  return out;
}

/**
 * Static credentials replace the role: an identity with `staticCredentials` has nothing to
 * assume, so an `assumedBy` beside it is a mistake (NHI_TRUST_INVALID).
 *
 * @param given how to render the principal in the message (an object principal is not JSON)
 */
export function checkNoTrustWithStaticCredentials(assumedBy: unknown, given: unknown = assumedBy): Violation[] {
  if (assumedBy === undefined || assumedBy === null) return [];
  return [violation('NHI_TRUST_INVALID', 'assumedBy', 'static credentials replace the role, so nothing assumes it',
    'remove assumedBy, or remove staticCredentials to use workload identity', given, [NhiRisk.NHI9])];
}

/** The trust policy document of a governed role (call only after checkAwsTrust passed). */
export function awsTrustPolicy(assumedBy: AwsAssumedBy, expiresAt: string, externalId?: string): Record<string, unknown> {
  const expiry: Record<string, unknown> = { DateLessThan: { 'aws:CurrentTime': expiresAt } };
  if (externalId) expiry.StringEquals = { 'sts:ExternalId': externalId };
  let statement: Record<string, unknown>;
  if (assumedBy.service) {
    statement = { Effect: 'Allow', Principal: { Service: assumedBy.service }, Action: 'sts:AssumeRole', Condition: expiry };
  } else if (assumedBy.oidc) {
    const o = assumedBy.oidc;
    statement = {
      Effect: 'Allow',
      Principal: { Federated: o.providerArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { ...expiry, StringEquals: { [`${o.issuer}:aud`]: o.audience, [`${o.issuer}:sub`]: o.subject } },
    };
  } else if (assumedBy.accountIds) {
    statement = { Effect: 'Allow', Principal: { AWS: assumedBy.accountIds.map((id) => `arn:aws:iam::${id}:root`) }, Action: 'sts:AssumeRole', Condition: expiry };
  } else {
    statement = { Effect: 'Allow', Principal: { AWS: [...(assumedBy.roleArns ?? [])] }, Action: 'sts:AssumeRole', Condition: expiry };
  }
  return { Version: '2012-10-17', Statement: [{ Sid: 'Workload', ...statement }] };
}

/** A one-line description of the trusted workload for the register. */
export function describeAwsTrust(assumedBy: AwsAssumedBy): Record<string, unknown> {
  if (assumedBy.service) return { service: assumedBy.service };
  // The provider ARN too: `nhi verify` rebuilds the exact trust policy from the register.
  if (assumedBy.oidc) return { oidc: { providerArn: assumedBy.oidc.providerArn, issuer: assumedBy.oidc.issuer, audience: assumedBy.oidc.audience, subject: assumedBy.oidc.subject } };
  if (assumedBy.accountIds) return { accountIds: [...assumedBy.accountIds] };
  return { roleArns: [...(assumedBy.roleArns ?? [])] };
}

/** The register's `details.trust` of a governed role: the workload, the vendor external id, the justification. */
export function awsTrustDetails(assumedBy: AwsAssumedBy, externalId?: string): Record<string, unknown> {
  return {
    ...describeAwsTrust(assumedBy),
    ...(externalId ? { externalId } : {}),
    ...(assumedBy.justification ? { justification: assumedBy.justification } : {}),
  };
}

/**
 * A generated external id as the artifact holds it: a CloudFormation dynamic reference to the
 * Secrets Manager secret the AWS CDK target generates (resolved at deploy time).
 */
const GENERATED_REFERENCE = /^\{\{resolve:secretsmanager:[\w${}:/+=,.@-]+:SecretString:::\}\}$/;

/** Stands for an external id the adapter generates, where rules only need to know one exists. */
export const GENERATED_EXTERNAL_ID = 'generated-per-deployment';

/** Where a vendor trust's `sts:ExternalId` comes from: see {@link vendorExternalId}. */
export interface VendorExternalId {
  /** The id to put in the trust (the vendor's), when one was given or required by conditions. */
  readonly value?: string;
  /** No id was given: the adapter generates one per deployment, kept in state or a secret. */
  readonly generate: boolean;
}

/**
 * The external id of a vendor trusted across accounts. AWS's confused-deputy protection works
 * only if the id is unique per customer and unknown to other customers of the vendor: the vendor
 * issues it (give it as `externalId`), or, when none is given, the adapter generates an
 * unpredictable one per deployment (kept in Terraform state / a Secrets Manager secret) and the
 * owner hands it to the vendor. It is never derived from code (a construct path and name are the
 * same for every customer using the same code, and readable by anyone who sees it).
 */
export function vendorExternalId(given: string | undefined, required?: string): VendorExternalId {
  const value = given ?? required;
  return value !== undefined ? { value, generate: false } : { generate: true };
}
