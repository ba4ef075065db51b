import { AwsAssumedBy, AwsTrustContext, checkAwsTrust } from './aws-trust';
import { arnAccount, arnAccountReach, Reach } from './lifecycle';
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

/** What the trust rules need beyond the principal itself (adapters whose users give a principal object). */
export interface AwsPrincipalContext extends AwsTrustContext {
  /**
   * Why the trust admits what the rules reject by default (people, several workload roles,
   * another environment's account).
   * @default - none
   */
  readonly justification?: string;
  /**
   * The `sts:ExternalId` the adapter adds to the trust (vendor identities). When absent, an
   * `sts:ExternalId` under `StringEquals` in the conditions counts.
   * @default - read from the conditions
   */
  readonly externalId?: string;
  /**
   * The account the trusting role lives in, if known: a vendor is never trusted through it (its
   * root admits this account's own users and roles, not the vendor).
   * @default - unknown
   */
  readonly ownAccount?: string;
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
 * - a whole account (`AccountRootPrincipal`, `AccountPrincipal`, `arn:...:root`): NHI_TRUST_ACCOUNT_ROOT, except
 *   for a vendor (`context.vendor`) whose account is named by a literal id and whose trust carries an
 *   `sts:ExternalId` (given in `context.externalId` or required by the conditions);
 * - a vendor's role ARNs without an external id: NHI_TRUST_INVALID;
 * - several service principals: NHI_TRUST_SHARED (one identity serves one workload);
 * - principal kinds other than Service, AWS (roles) and Federated (OIDC): NHI_TRUST_UNSUPPORTED;
 * - everything else as {@link checkAwsTrust} (several kinds, users, OIDC without a pinned subject, ...).
 *
 * OIDC: the issuer is read from the `<issuer>:aud` / `<issuer>:sub` condition keys under
 * `StringEquals` (or `StringLike`, where a wildcard subject is then reported).
 */
export function trustFromPrincipalJson(principal: unknown, conditions: unknown, field = 'assumedBy', context: AwsPrincipalContext = {}): AwsPrincipalTrust {
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
  const externalId = context.externalId ?? conditionExternalId(conditions);
  // A vendor (third party) may be trusted as a whole account, by literal id, with an external id.
  const isVendorAccount = (a: string) => {
    const id = principalAccount(a);
    return id !== undefined && id !== context.ownAccount;
  };
  const vendorAccounts = context.vendor && externalId !== undefined ? accounts.filter(isVendorAccount) : [];
  for (const a of accounts) {
    if (vendorAccounts.includes(a)) continue;
    const own = principalAccount(a) !== undefined && principalAccount(a) === context.ownAccount;
    out.push(context.vendor
      ? violation('NHI_TRUST_ACCOUNT_ROOT', field,
        own ? "trusts this role's own account: its root admits this account's users and roles, not the vendor"
          : externalId === undefined
            ? "trusts the vendor's whole account without an sts:ExternalId condition (the confused-deputy problem: any customer of the vendor could make it act here)"
            : 'trusts an account that is not named by a literal 12-digit id, so nobody can tell which vendor account it is',
        own || externalId !== undefined
          ? "trust the vendor's account by its id, e.g. new iam.AccountPrincipal('999988887777')"
          : "keep the external id the governed construct adds (or give externalId); trust the vendor's account by its id", a, [...RISKS, NhiRisk.NHI3, NhiRisk.NHI9])
      : violation('NHI_TRUST_ACCOUNT_ROOT', field,
        'trusting an account (its root) lets every user and role the account allows assume the role, so no one workload is accountable for it',
        'trust the workload role instead (new iam.ArnPrincipal(workerRole.roleArn)), a service principal, or OIDC with a pinned subject; whole-account trust is only for a vendor (set vendor)', a, [...RISKS, NhiRisk.NHI9]));
  }
  const roles = aws.filter((a) => !isAccountPrincipal(a));
  if (context.vendor && roles.length > 0 && externalId === undefined) {
    out.push(violation('NHI_TRUST_INVALID', `${field}.externalId`,
      "a vendor's cross-account trust without an sts:ExternalId condition lets any customer of the vendor make it act here (confused deputy)",
      'keep the external id the governed construct adds (or give externalId)', roles, [NhiRisk.NHI3]));
  }
  const services = list(p.Service);
  if (services.length > 1) {
    out.push(violation('NHI_TRUST_SHARED', field, `trusts several services (${services.join(', ')}); one identity serves one workload`,
      'declare one governed identity per workload', services, [...RISKS, NhiRisk.NHI9]));
  }
  if (out.length > 0) return { violations: out };

  const assumedBy: { service?: string; roleArns?: string[]; accountIds?: string[]; oidc?: AwsAssumedBy['oidc']; externalId?: string; justification?: string } = {};
  if (services.length === 1) assumedBy.service = services[0];
  if (roles.length > 0) assumedBy.roleArns = roles;
  if (vendorAccounts.length > 0) assumedBy.accountIds = vendorAccounts.map((a) => principalAccount(a)!);
  if (context.vendor && aws.length > 0 && externalId !== undefined) assumedBy.externalId = externalId;
  if (context.justification !== undefined) assumedBy.justification = context.justification;
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
  const violations = checkAwsTrust(assumedBy, field, { vendor: context.vendor });
  return violations.length > 0 ? { violations } : { violations, assumedBy: assumedBy as AwsAssumedBy };
}

/** The literal 12-digit account of an account principal (`123456789012`, `arn:<partition>:iam::123456789012:root`). */
function principalAccount(value: string): string | undefined {
  if (ACCOUNT_ID.test(value)) return value;
  return isAccountPrincipal(value) ? literalAccount(value) : undefined;
}

/** The literal account of an account id or ARN (also with an unresolved partition, `arn:${AWS::Partition}:...`). */
function literalAccount(value: string): string | undefined {
  return ACCOUNT_ID.test(value) ? value : arnAccount(value.replace(/\$\{AWS::Partition\}/g, 'aws'));
}

/** The `sts:ExternalId` a trust statement's conditions require (`StringEquals`, one value), if any. */
export function conditionExternalId(conditions: unknown): string | undefined {
  const eq = (conditions && typeof conditions === 'object' ? (conditions as Record<string, unknown>).StringEquals : undefined) as Record<string, unknown> | undefined;
  const v = eq && typeof eq === 'object' ? eq['sts:ExternalId'] : undefined;
  const vals = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return vals.length === 1 && typeof vals[0] === 'string' ? vals[0] : undefined;
}

/**
 * The AWS accounts a trust policy principal reaches, for the environment isolation check
 * (`checkEnvironmentCrossing`): the literal account of each `AWS` value (role or user ARN,
 * account root or id). Services and OIDC providers reach no other account.
 *
 * @param justified true if the trust carries a justification
 */
export function awsPrincipalReaches(principal: unknown, field = 'assumedBy', justified = false): Reach[] {
  if (!principal || typeof principal !== 'object') return [];
  const aws = list((principal as AwsPrincipalJson).AWS);
  const out: Reach[] = [];
  aws.forEach((v, i) => {
    const account = typeof v === 'string' ? literalAccount(v) ?? arnAccountReach(v) : undefined;
    if (account) out.push({ field: aws.length === 1 ? field : `${field}[${i}]`, target: account, justified });
  });
  return out;
}

/**
 * The AWS accounts a scope's resources reach (literal ARNs only), for the environment isolation
 * check; a grant with a `justification` is justified.
 */
export function awsScopeReaches(scope: unknown, field = 'scope'): Reach[] {
  const out: Reach[] = [];
  (Array.isArray(scope) ? scope : []).forEach((g: any, i: number) => {
    (Array.isArray(g?.resources) ? g.resources : []).forEach((r: unknown, j: number) => {
      const account = typeof r === 'string' ? arnAccountReach(r) : undefined;
      if (account) out.push({ field: `${field}[${i}].resources[${j}]`, target: account, justified: typeof g.justification === 'string' && g.justification.trim() !== '' });
    });
  });
  return out;
}
