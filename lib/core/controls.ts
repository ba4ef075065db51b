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
 * - NHI2: static secrets only in the cloud's secret manager, never in outputs or synth files;
 * - NHI3 / NHI8 / NHI9 when a vendor / environment / system is declared (their checks then apply).
 */
export function identityControls(hasStaticSecret: boolean, declared: { system?: string; environment?: string; vendor?: unknown } = {}): string[] {
  const risks: string[] = hasStaticSecret
    ? [NhiRisk.NHI1, NhiRisk.NHI2, NhiRisk.NHI5, NhiRisk.NHI7]
    : [NhiRisk.NHI1, NhiRisk.NHI4, NhiRisk.NHI5, NhiRisk.NHI7];
  // Lifecycle declarations add their checks: NHI3 (vendor), NHI8 (environment), NHI9 (system).
  if (declared.vendor) risks.push(NhiRisk.NHI3);
  if (declared.environment) risks.push(NhiRisk.NHI8);
  if (declared.system) risks.push(NhiRisk.NHI9);
  return sortRisks(risks);
}

/** Sorts risk ids numerically (NHI2 before NHI10). */
export function sortRisks(risks: string[]): string[] {
  return [...new Set(risks)].sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
}

/** How a risk is covered at provisioning time, and what stays out of reach. */
export interface ControlCoverage {
  readonly risk: string;
  /** What the constructs (all targets) do about it. */
  readonly covered: string;
  /** What no provisioning-time tool can do about it, and why. */
  readonly outOfReach: string;
}

/** The OWASP NHI Top 10 coverage of nhi-constructs, the source of the table in docs/error-codes.md. */
export const CONTROL_COVERAGE: ControlCoverage[] = [
  {
    risk: 'NHI1',
    covered: 'required owner and expiry; the cloud stops honouring the identity at expiry (IAM conditions); reminders and expiry notices to the owner; removing the construct revokes everything of it; `nhi check` and `nhi diff` (offboarding)',
    outOfReach: 'identities created outside IaC (console, scripts) unless enforcement runs on the stacks that would hold them',
  },
  {
    risk: 'NHI2',
    covered: 'secrets only in Secrets Manager / Secret Manager, never in outputs or synth files; rotation by replacement',
    outOfReach: 'leaks by consumers at run time (logs, code, chat): secret scanning and the cloud\'s leak detection',
  },
  {
    risk: 'NHI3',
    covered: '`vendor` marks third-party identities: shorter lifetime, external-id trust on AWS, listed in the register',
    outOfReach: "the vendor's own security; contract terms",
  },
  {
    risk: 'NHI4',
    covered: 'workload identity (roles, service accounts without keys, OIDC with pinned subjects) by default; static credentials only with a justification',
    outOfReach: 'how the workload itself authenticates to third parties',
  },
  {
    risk: 'NHI5',
    covered: 'least-privilege scope checked against the AWS catalogue / Google roles: no wildcards, no unknown actions, no basic roles, privileged actions only with a justification; enforcement fails grants that widen a governed identity',
    outOfReach: 'permissions that are granted but never used (needs access logs over time: IAM Access Analyzer, Recommender)',
  },
  {
    risk: 'NHI6',
    covered: 'CI/CD identities through OIDC federation with a pinned subject and audience instead of stored keys',
    outOfReach: 'pipeline and cloud configuration beyond identities (cdk-nag, Checkov cover those)',
  },
  {
    risk: 'NHI7',
    covered: 'maximum lifetime (policy); secrets rotated within maxRotationDays and disabled at expiry',
    outOfReach: 'on cdktf Google, keys rotate at the first apply after the period: applies must run on a schedule (AWS rotates in the cloud)',
  },
  {
    risk: 'NHI8',
    covered: '`environment` with the policy\'s environmentAccounts: scope or trust reaching another environment is an error unless justified',
    outOfReach: 'network paths and data flows between environments',
  },
  {
    risk: 'NHI9',
    covered: '`system` per identity; identities sharing a system and scope, or trusts admitting several workloads, are errors unless justified',
    outOfReach: 'one workload passing its credentials to another at run time',
  },
  {
    risk: 'NHI10',
    covered: 'trusts admitting people (IAM users, SSO roles, Google user/group members) are errors unless justified; governed users never get console passwords',
    outOfReach: 'a person using a workload\'s credentials obtained at run time (detect with the AccessDenied / usage alarms and CloudTrail)',
  },
];

/** The OWASP controls table of docs/error-codes.md, generated from {@link CONTROL_COVERAGE}. */
export function renderControlsTable(): string {
  const lines = ['| risk | covered at provisioning time | out of reach (and why) |', '|---|---|---|'];
  for (const c of CONTROL_COVERAGE) lines.push(`| ${c.risk} ${NHI_RISK_TITLES[c.risk]} | ${c.covered} | ${c.outOfReach} |`);
  return lines.join('\n');
}

/**
 * Which OWASP NHI risks each governed construct covers: `always`, `declared` (when the optional
 * prop is set: vendor, environment, system, usedBy, static credentials, CI/CD federation) or absent.
 */
export const CONSTRUCT_CONTROLS: { construct: string; always: string[]; declared: string[] }[] = [
  { construct: 'cdktf AWS `GovernedServiceAccount`', always: ['NHI1', 'NHI4', 'NHI5', 'NHI7', 'NHI10'], declared: ['NHI2', 'NHI3', 'NHI6', 'NHI8', 'NHI9'] },
  { construct: 'cdktf AWS `GovernedApiKey`', always: ['NHI1', 'NHI2', 'NHI5', 'NHI7'], declared: ['NHI3', 'NHI8', 'NHI9'] },
  { construct: 'cdktf Google `GovernedServiceAccount`', always: ['NHI1', 'NHI4', 'NHI5', 'NHI7'], declared: ['NHI2', 'NHI3', 'NHI6', 'NHI8', 'NHI9', 'NHI10'] },
  { construct: 'cdktf Google `GovernedApiKey`', always: ['NHI1', 'NHI2', 'NHI5', 'NHI7'], declared: ['NHI3', 'NHI8', 'NHI9'] },
  { construct: 'AWS CDK `GovernedServiceAccount`', always: ['NHI1', 'NHI4', 'NHI5', 'NHI7', 'NHI10'], declared: ['NHI2', 'NHI3', 'NHI6', 'NHI8', 'NHI9'] },
  { construct: 'AWS CDK `GovernedApiKey`', always: ['NHI1', 'NHI2', 'NHI5', 'NHI7'], declared: ['NHI3', 'NHI8', 'NHI9'] },
  { construct: 'cdktf `Governance.enforce()` / AWS CDK `NhiGovernanceChecks`', always: ['NHI1', 'NHI5', 'NHI7'], declared: ['NHI9'] },
];

/** The construct-by-risk matrix of docs/error-codes.md, generated from {@link CONSTRUCT_CONTROLS}. */
export function renderConstructControlsTable(): string {
  const risks = Object.keys(NHI_RISK_TITLES);
  const lines = [`| construct | ${risks.join(' | ')} |`, `|---|${risks.map(() => ':-:').join('|')}|`];
  for (const c of CONSTRUCT_CONTROLS) {
    lines.push(`| ${c.construct} | ${risks.map((r) => (c.always.includes(r) ? '✓' : c.declared.includes(r) ? '◐' : '–')).join(' | ')} |`);
  }
  return lines.join('\n');
}
