import { NhiRisk, Violation, violation } from '../violation';

/** Who may assume a governed AWS role. Give exactly one kind of workload principal. */
export interface AwsAssumedBy {
  /** An AWS service principal, e.g. `lambda.amazonaws.com`. */
  readonly service?: string;
  /** Web-identity (OIDC) federation, e.g. a CI system or a Kubernetes service account. */
  readonly oidc?: AwsOidcTrust;
  /** ARNs of workload roles (same or another account) that may assume this role. */
  readonly roleArns?: string[];
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

/** Trust: exactly one kind of workload principal, with nothing left open. */
export function checkAwsTrust(assumedBy: unknown, field = 'assumedBy'): Violation[] {
  if (!assumedBy || typeof assumedBy !== 'object') {
    return [violation('NHI_TRUST_MISSING', field, 'a governed role needs the workload that assumes it',
      "set assumedBy: { service: 'lambda.amazonaws.com' } (or oidc / roleArns)", assumedBy ?? undefined, RISKS)];
  }
  const a = assumedBy as { service?: unknown; oidc?: unknown; roleArns?: unknown };
  const kinds = (['service', 'oidc', 'roleArns'] as const).filter((k) => a[k] !== undefined && a[k] !== null);
  if (kinds.length !== 1) {
    return [violation('NHI_TRUST_MISSING', field, kinds.length === 0 ? 'names no principal' : `names several kinds of principal (${kinds.join(', ')}); one identity serves one workload`,
      'give exactly one of service, oidc or roleArns (declare one governed identity per workload)', assumedBy, [...RISKS, NhiRisk.NHI9])];
  }
  const out: Violation[] = [];
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
    arns.forEach((arn: unknown, i: number) => {
      if (typeof arn === 'string' && /[*?]/.test(arn)) {
        out.push(violation('NHI_TRUST_WILDCARD', `${field}.roleArns[${i}]`, 'a wildcard trusts every matching role', 'name the exact role ARN', arn, RISKS));
      } else if (typeof arn !== 'string' || (!ROLE_ARN.test(arn) && !arn.includes('${'))) {
        out.push(violation('NHI_TRUST_INVALID', `${field}.roleArns[${i}]`, 'is not an IAM role ARN (account roots and users are not workloads)',
          'give a role ARN, e.g. arn:aws:iam::123456789012:role/billing-worker', arn, [...RISKS]));
      }
    });
  }
  return out;
}

/** The trust policy document of a governed role (call only after checkAwsTrust passed). */
export function awsTrustPolicy(assumedBy: AwsAssumedBy, expiresAt: string): Record<string, unknown> {
  const expiry = { DateLessThan: { 'aws:CurrentTime': expiresAt } };
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
  } else {
    statement = { Effect: 'Allow', Principal: { AWS: [...(assumedBy.roleArns ?? [])] }, Action: 'sts:AssumeRole', Condition: expiry };
  }
  return { Version: '2012-10-17', Statement: [{ Sid: 'Workload', ...statement }] };
}

/** A one-line description of the trusted workload for the register. */
export function describeAwsTrust(assumedBy: AwsAssumedBy): Record<string, unknown> {
  if (assumedBy.service) return { service: assumedBy.service };
  if (assumedBy.oidc) return { oidc: { issuer: assumedBy.oidc.issuer, audience: assumedBy.oidc.audience, subject: assumedBy.oidc.subject } };
  return { roleArns: [...(assumedBy.roleArns ?? [])] };
}
