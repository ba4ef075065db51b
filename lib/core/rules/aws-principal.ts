import { AwsAssumedBy, checkAwsTrust } from './aws-trust';
import { NhiRisk, Violation, violation } from '../violation';

/**
 * A trust policy principal as IAM writes it (`{ Service: [...] }`, `{ AWS: [...] }`,
 * `{ Federated: [...] }`), with every value already flattened to a string (unresolved
 * references as `${Logical.Attr}`).
 */
export type AwsPrincipalJson = Record<string, string[] | string>;

/** The outcome of {@link trustFromPrincipalJson}. */
export interface AwsPrincipalTrust {
  /** Every violation: the principal's own and those of the core trust rule ({@link checkAwsTrust}). */
  readonly violations: Violation[];
  /** The principal as the core trust model; only meaningful when there are no violations. */
  readonly assumedBy?: AwsAssumedBy;
}

const RISKS = [NhiRisk.NHI5, NhiRisk.NHI10];
const ACCOUNT_ID = /^\d{12}$/;

function list(v: string[] | string | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** True if an `AWS` principal value names a whole account (`123456789012`, `arn:...:iam::123456789012:root`). */
export function isAccountPrincipal(value: string): boolean {
  return ACCOUNT_ID.test(value) || /^arn:.*:iam::.*:root$/.test(value);
}

/**
 * Translates a trust policy principal (and the conditions attached to it) into the core trust
 * model, then checks it with the core trust rule. Target adapters whose users give a principal
 * object (the AWS CDK's `iam.IPrincipal`) call this instead of re-implementing the rule.
 *
 * - `*` anywhere (`AnyPrincipal`, `StarPrincipal`): NHI_TRUST_WILDCARD;
 * - a whole account (`AccountRootPrincipal`, `AccountPrincipal`, `arn:...:root`): NHI_TRUST_ACCOUNT_ROOT;
 * - several service principals: NHI_TRUST_SHARED (one identity serves one workload);
 * - principal kinds other than Service, AWS (roles) and Federated (OIDC): NHI_TRUST_UNSUPPORTED;
 * - everything else as {@link checkAwsTrust} (several kinds, users, OIDC without a pinned subject, ...).
 *
 * OIDC: the issuer is read from the `<issuer>:aud` / `<issuer>:sub` condition keys under
 * `StringEquals` (or `StringLike`, where a wildcard subject is then reported).
 */
export function trustFromPrincipalJson(principal: unknown, conditions: unknown, field = 'assumedBy'): AwsPrincipalTrust {
  if (!principal || typeof principal !== 'object') {
    return { violations: checkAwsTrust(undefined, field) };
  }
  const p = principal as AwsPrincipalJson;
  const out: Violation[] = [];
  const kinds = Object.keys(p).sort();
  for (const k of kinds) {
    if (!['AWS', 'Service', 'Federated'].includes(k)) {
      out.push(violation('NHI_TRUST_UNSUPPORTED', field, `a ${k} principal is not a workload this library can govern`,
        'trust a service (iam.ServicePrincipal), a workload role (iam.ArnPrincipal of a role) or OIDC federation with a pinned subject (iam.WebIdentityPrincipal / OpenIdConnectPrincipal)', p[k], RISKS));
    }
  }
  const all = kinds.flatMap((k) => list(p[k]));
  if (all.some((v) => v === '*' || v.trim() === '*')) {
    out.push(violation('NHI_TRUST_WILDCARD', field, "'*' lets every AWS principal, in any account, assume the role",
      'trust exactly the workload: a service principal, a role ARN or an OIDC subject', p, RISKS));
    return { violations: out };
  }
  const aws = list(p.AWS);
  const accounts = aws.filter(isAccountPrincipal);
  for (const a of accounts) {
    out.push(violation('NHI_TRUST_ACCOUNT_ROOT', field,
      'trusting an account (its root) lets every user and role the account allows assume the role, so no one workload is accountable for it',
      'trust the workload role instead (new iam.ArnPrincipal(workerRole.roleArn)), a service principal, or OIDC with a pinned subject', a, [...RISKS, NhiRisk.NHI9]));
  }
  const services = list(p.Service);
  if (services.length > 1) {
    out.push(violation('NHI_TRUST_SHARED', field, `trusts several services (${services.join(', ')}); one identity serves one workload`,
      'declare one governed identity per workload', services, [...RISKS, NhiRisk.NHI9]));
  }
  if (out.length > 0) return { violations: out };

  const assumedBy: { service?: string; roleArns?: string[]; oidc?: AwsAssumedBy['oidc'] } = {};
  if (services.length === 1) assumedBy.service = services[0];
  if (aws.length > 0) assumedBy.roleArns = aws;
  const federated = list(p.Federated);
  if (federated.length > 0) {
    const c = (conditions && typeof conditions === 'object' ? conditions : {}) as Record<string, Record<string, unknown>>;
    const find = (suffix: string): { issuer?: string; value?: string } => {
      for (const op of ['StringEquals', 'StringLike', 'ForAnyValue:StringEquals', 'ForAnyValue:StringLike']) {
        for (const [k, v] of Object.entries(c[op] ?? {})) {
          if (k.endsWith(`:${suffix}`)) {
            const vals = list(v as string[] | string);
            return { issuer: k.slice(0, -suffix.length - 1), value: vals.length === 1 ? vals[0] : vals.length === 0 ? undefined : vals.join(' | ') };
          }
        }
      }
      return {};
    };
    const aud = find('aud');
    const sub = find('sub');
    assumedBy.oidc = {
      providerArn: federated.length === 1 ? federated[0] : federated.join(' | '),
      issuer: (aud.issuer ?? sub.issuer) as string,
      audience: aud.value as string,
      subject: sub.value as string,
    };
  }
  const violations = checkAwsTrust(assumedBy, field);
  return violations.length > 0 ? { violations } : { violations, assumedBy: assumedBy as AwsAssumedBy };
}
