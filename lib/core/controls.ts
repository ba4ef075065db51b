import { NhiRisk } from './violation';

/** Titles of the OWASP Non-Human Identities Top 10 (2025). */
export const NHI_RISK_TITLES: Record<string, string> = {
  NHI1: 'Improper Offboarding',
  NHI2: 'Secret Leakage',
  NHI3: 'Vulnerable Third-Party NHI',
  NHI4: 'Insecure Authentication',
  NHI5: 'Overprivileged NHI',
  NHI6: 'Insecure Cloud Deployment Configurations',
  NHI7: 'Long-Lived Secrets',
  NHI8: 'Environment Isolation',
  NHI9: 'NHI Reuse',
  NHI10: 'Human Use of NHI',
};

/**
 * The risks a governed identity's declaration mitigates:
 * - NHI1: an accountable owner and an expiry the cloud enforces;
 * - NHI5: a least-privilege scope checked against the AWS/Google catalogue;
 * - NHI7: access ends at expiry; secrets, if any, are rotated;
 * - NHI4: workload identity (no static secret) by default;
 * - NHI2: static secrets only in the cloud's secret manager, never in outputs or synth files.
 */
export function identityControls(hasStaticSecret: boolean): string[] {
  const risks = hasStaticSecret
    ? [NhiRisk.NHI1, NhiRisk.NHI2, NhiRisk.NHI5, NhiRisk.NHI7]
    : [NhiRisk.NHI1, NhiRisk.NHI4, NhiRisk.NHI5, NhiRisk.NHI7];
  return sortRisks(risks);
}

/** Sorts risk ids numerically (NHI2 before NHI10). */
export function sortRisks(risks: string[]): string[] {
  return [...new Set(risks)].sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
}
