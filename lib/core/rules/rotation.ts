import { ResolvedGovernancePolicy } from '../policy';
import { NhiRisk, Violation, violation } from '../violation';
import { isVague } from './purpose';

const RISKS = [NhiRisk.NHI7, NhiRisk.NHI2];

/** Rotation period: whole days, at most the policy's maximum. */
export function checkRotation(days: unknown, policy: ResolvedGovernancePolicy, field = 'rotationDays'): Violation[] {
  if (days === undefined || days === null) return [];
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) {
    return [violation('NHI_ROTATION_INVALID', field, 'must be a whole number of days, at least 1',
      `set ${field} to e.g. ${policy.defaultRotationDays}`, days, RISKS)];
  }
  if (days > policy.maxRotationDays) {
    return [violation('NHI_ROTATION_TOO_LONG', field, `is longer than the policy's maximum rotation period (${policy.maxRotationDays} days)`,
      `set ${field} to ${policy.maxRotationDays} or less`, days, RISKS)];
  }
  return [];
}

/**
 * Static credentials (access keys, service account keys) are an explicit opt-in with a
 * justification, and are always rotated.
 */
export function checkStaticCredentials(opts: unknown, policy: ResolvedGovernancePolicy, field = 'staticCredentials'): Violation[] {
  if (opts === undefined || opts === null || opts === false) return [];
  const o = (typeof opts === 'object' ? opts : {}) as { justification?: unknown; rotationDays?: unknown };
  const out: Violation[] = [];
  const j = o.justification;
  if (typeof j !== 'string' || isVague(j)) {
    out.push(violation('NHI_STATIC_CREDENTIALS_UNJUSTIFIED', `${field}.justification`,
      'long-lived credentials need a justification of at least three words saying why workload identity cannot be used',
      `prefer workload identity (remove ${field}); otherwise explain, e.g. 'On-premises batch host cannot assume roles'`,
      j, [NhiRisk.NHI7, NhiRisk.NHI2, NhiRisk.NHI4]));
  }
  out.push(...checkRotation(o.rotationDays, policy, `${field}.rotationDays`));
  return out;
}
