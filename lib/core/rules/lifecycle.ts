import { Approval, Vendor } from '../contract';
import { globMatch, ResolvedGovernancePolicy } from '../policy';
import { NhiRisk, Violation, violation } from '../violation';
import { isEmail } from './owner';
import { isVague } from './purpose';

const SYSTEM = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;
const ENV = /^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?$/;

/** System: the workload or service that uses the identity (NHI9), required if the policy says so. */
export function checkSystem(system: unknown, policy: ResolvedGovernancePolicy, field = 'system'): Violation[] {
  if (system === undefined || system === null || system === '') {
    return policy.requireSystem
      ? [violation('NHI_SYSTEM_MISSING', field, 'the governance policy requires the workload that uses the identity',
        "set system to the workload's name, e.g. 'billing-reporter'", undefined, [NhiRisk.NHI9])]
      : [];
  }
  if (typeof system !== 'string' || !SYSTEM.test(system)) {
    return [violation('NHI_SYSTEM_INVALID', field, 'is not a workload name (lowercase letters, digits, . _ -, at most 63 characters)',
      "use e.g. 'billing-reporter'", system, [NhiRisk.NHI9])];
  }
  return [];
}

/** Environment: a known environment name, required if the policy says so (NHI8). */
export function checkEnvironment(env: unknown, policy: ResolvedGovernancePolicy, field = 'environment'): Violation[] {
  if (env === undefined || env === null || env === '') {
    return policy.requireEnvironment
      ? [violation('NHI_ENVIRONMENT_MISSING', field, 'the governance policy requires the environment the identity belongs to',
        `set environment, e.g. '${Object.keys(policy.environmentAccounts)[0] ?? 'prod'}'`, undefined, [NhiRisk.NHI8])]
      : [];
  }
  if (typeof env !== 'string' || !ENV.test(env)) {
    return [violation('NHI_ENVIRONMENT_UNKNOWN', field, 'is not an environment name', "use e.g. 'prod'", env, [NhiRisk.NHI8])];
  }
  const known = Object.keys(policy.environmentAccounts);
  if (known.length > 0 && !known.includes(env)) {
    return [violation('NHI_ENVIRONMENT_UNKNOWN', field, 'is not an environment the governance policy defines', `use one of: ${known.join(', ')}`, env, [NhiRisk.NHI8])];
  }
  return [];
}

/** Vendor: a named third party with a contact (NHI3). */
export function checkVendor(vendor: unknown, field = 'vendor'): Violation[] {
  if (vendor === undefined || vendor === null) return [];
  const v = (typeof vendor === 'object' ? vendor : {}) as Partial<Vendor>;
  const out: Violation[] = [];
  if (typeof v.name !== 'string' || v.name.trim() === '') {
    out.push(violation('NHI_VENDOR_INVALID', `${field}.name`, 'a third-party identity names its vendor', "set vendor.name, e.g. 'Globex Corp'", v.name, [NhiRisk.NHI3]));
  }
  if (!isEmail(v.contact)) {
    out.push(violation('NHI_VENDOR_INVALID', `${field}.contact`, "is not the vendor's contact e-mail", "set vendor.contact, e.g. 'security@globex.example'", v.contact, [NhiRisk.NHI3]));
  }
  if (v.contractRef !== undefined && (typeof v.contractRef !== 'string' || v.contractRef.trim() === '')) {
    out.push(violation('NHI_VENDOR_INVALID', `${field}.contractRef`, 'is empty', 'name the contract, or remove contractRef', v.contractRef, [NhiRisk.NHI3]));
  }
  return out;
}

/** Approval: a ticket, required in the environments the policy names. */
export function checkApproval(approval: unknown, environment: string | undefined, policy: ResolvedGovernancePolicy, field = 'approval'): Violation[] {
  const required = policy.requireApproval || (environment !== undefined && policy.requireApprovalIn.includes(environment));
  if (approval === undefined || approval === null) {
    return required
      ? [violation('NHI_APPROVAL_MISSING', field, `the governance policy requires an approval${environment ? ` in ${environment}` : ''}`,
        "set approval: { ticket: 'SEC-1234', approvedBy: 'security-lead@example.com' }", undefined, [NhiRisk.NHI1])]
      : [];
  }
  const a = (typeof approval === 'object' ? approval : {}) as Partial<Approval>;
  const out: Violation[] = [];
  if (typeof a.ticket !== 'string' || a.ticket.trim() === '' || isVague(`${a.ticket} x y`) && /^(todo|tbd|n\/?a|none|-)$/i.test(a.ticket.trim())) {
    out.push(violation('NHI_APPROVAL_INVALID', `${field}.ticket`, 'is not a ticket reference', "set the ticket, e.g. 'SEC-1234'", a.ticket, [NhiRisk.NHI1]));
  }
  if (a.approvedBy !== undefined && !isEmail(a.approvedBy)) {
    out.push(violation('NHI_APPROVAL_INVALID', `${field}.approvedBy`, 'is not an e-mail address', "set approvedBy to the approver's e-mail", a.approvedBy, [NhiRisk.NHI1]));
  }
  return out;
}

/** A place an identity reaches: an AWS account id or a Google project id, and the prop that names it. */
export interface Reach {
  readonly field: string;
  readonly target: string;
  /** True if that grant or trust carries a justification. */
  readonly justified: boolean;
}

/**
 * Environment isolation (NHI8): an identity of one environment must not reach accounts or projects
 * that the policy assigns to another environment, unless that grant or trust is justified.
 */
export function checkEnvironmentCrossing(environment: string | undefined, reaches: Reach[], policy: ResolvedGovernancePolicy): Violation[] {
  if (environment === undefined) return [];
  const owners = new Map<string, string>();
  for (const [env, targets] of Object.entries(policy.environmentAccounts)) for (const t of targets) owners.set(t, env);
  const out: Violation[] = [];
  for (const r of reaches) {
    if (r.justified) continue;
    // A wildcard (`*` account, `acme-*` project) reaches every target it matches.
    const hits = /[*?]/.test(r.target)
      ? [...owners.entries()].filter(([t, env]) => env !== environment && globMatch(r.target, t))
      : owners.has(r.target) && owners.get(r.target) !== environment ? [[r.target, owners.get(r.target)!] as [string, string]] : [];
    if (hits.length === 0) continue;
    const others = [...new Set(hits.map(([, env]) => env))];
    const what = hits.length === 1 && hits[0][0] === r.target ? r.target : `${hits.map(([t]) => t).join(', ')} (through ${r.target})`;
    out.push(violation('NHI_ENVIRONMENT_CROSSING', r.field, `a ${environment} identity reaches ${what}, which belongs to ${others.join(', ')}`,
      `keep environments apart (declare a separate ${others[0]} identity${/[*?]/.test(r.target) ? ' and name the account instead of a wildcard' : ''}), or justify this grant/trust`, r.target, [NhiRisk.NHI8]));
  }
  return out;
}

/**
 * The account an ARN reaches, for environment isolation: its literal 12-digit id, or the
 * account pattern when the account is wildcarded (`*`, `1111*`, `????????????`), which
 * {@link checkEnvironmentCrossing} matches against every environment's accounts.
 */
export function arnAccountReach(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return /^\d{12}$/.test(parts[4]) || (/[*?]/.test(parts[4]) && /^[\d*?]+$/.test(parts[4])) ? parts[4] : undefined;
}

/** The AWS account id of an ARN, if literal. */
export function arnAccount(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}
