import { IConstruct } from 'constructs';
import { Owner } from './contract';
import { addDays, expiryInstant, today } from './dates';
import { GovernanceError } from './governance-error';
import { markGoverned } from './governed-marker';
import { GovernancePolicy, ResolvedGovernancePolicy } from './policy';
import { checkExpiry } from './rules/expiry';
import { checkOwner } from './rules/owner';
import { checkPurpose } from './rules/purpose';
import { checkRotation, checkStaticCredentials } from './rules/rotation';
import { checkTags } from './rules/tags';
import { awsGovernanceTags, googleGovernanceLabels, sanitizeAwsTagValue, sanitizeGoogleLabelValue } from './tags';
import { Waivers } from './waivers';
import { Violation } from './violation';

/** What a governed construct declares, besides its target-specific scope. */
export interface IdentityDeclaration {
  readonly owner?: unknown;
  readonly purpose?: unknown;
  readonly expires?: unknown;
  /** Rotation period of a secret the construct always has (API keys). */
  readonly rotationDays?: unknown;
  /** Opt-in static credentials (`{ justification, rotationDays? }`). */
  readonly staticCredentials?: unknown;
  /** Name of the prop that holds the static-credential opt-in (`staticCredentials`, `keys`). */
  readonly staticCredentialsField?: string;
  /** Extra tags / labels (must carry the policy's required tags). */
  readonly tags?: unknown;
  /** The identity's environment (selects the policy's environment override). */
  readonly environment?: unknown;
}

/** A declaration that passed every rule: what adapters translate into resources. */
export interface ResolvedGovernance {
  readonly path: string;
  readonly owner: Owner;
  readonly purpose: string;
  /** `YYYY-MM-DD`. */
  readonly expires: string;
  /** `YYYY-MM-DDT00:00:00Z`: the instant access ends. */
  readonly expiresAt: string;
  /** `YYYY-MM-DD` on which the owner is reminded (policy reminderDays before expiry). */
  readonly reminderDate: string;
  /** Rotation period of the identity's secret; undefined when it has none. */
  readonly rotationDays?: number;
  readonly policy: ResolvedGovernancePolicy;
  /** AWS tags for every taggable resource. */
  readonly awsTags: Record<string, string>;
  /** Google labels for every labelable resource. */
  readonly googleLabels: Record<string, string>;
}

/**
 * Checks a declaration against every governance rule and the policy in force at `scope`,
 * together with the target's own violations (scope, names), and throws one GovernanceError
 * listing all of them. Returns the resolved governance otherwise.
 *
 * @param hasSecret true if the construct always has a secret (API keys); static credentials
 *   add one when opted in.
 */
export function governIdentity(
  scope: IConstruct,
  decl: IdentityDeclaration,
  targetViolations: (policy: ResolvedGovernancePolicy) => Violation[],
  hasSecret = false,
): ResolvedGovernance {
  const path = scope.node.path;
  // Resources below a governed construct are not "ungoverned identities" for enforcement.
  markGoverned(scope);
  const d = (decl ?? {}) as IdentityDeclaration;
  const policy = GovernancePolicy.of(scope).resolve(typeof d.environment === 'string' ? d.environment : undefined);
  const now = today(scope);
  const violations = [
    ...checkOwner(d.owner, policy),
    ...checkPurpose(d.purpose),
    ...checkExpiry(d.expires, now, policy),
    ...targetViolations(policy),
    ...checkRotation(d.rotationDays, policy),
    ...checkStaticCredentials(d.staticCredentials, policy, d.staticCredentialsField ?? 'staticCredentials'),
    ...checkTags(d.tags, policy),
  ];
  GovernanceError.throwIfAny(path, Waivers.of(scope).filter(path, violations, now));

  const owner = d.owner as Owner;
  const expires = d.expires as string;
  const staticCreds = d.staticCredentials as { rotationDays?: number } | undefined;
  const rotationDays = staticCreds
    ? staticCreds.rotationDays ?? policy.defaultRotationDays
    : hasSecret ? (d.rotationDays as number | undefined) ?? policy.defaultRotationDays : undefined;
  const extraTags = (d.tags ?? {}) as Record<string, string>;
  const tagInput = {
    team: owner.team,
    contact: owner.contact,
    purpose: d.purpose as string,
    expires,
    path,
    rotationDays,
  };
  return {
    path,
    owner: { team: owner.team, contact: owner.contact },
    purpose: (d.purpose as string).trim(),
    expires,
    expiresAt: expiryInstant(expires),
    reminderDate: addDays(expires, -policy.reminderDays),
    rotationDays,
    policy,
    awsTags: { ...sanitizeTags(extraTags, sanitizeAwsTagValue), ...awsGovernanceTags(tagInput) },
    googleLabels: { ...sanitizeLabels(extraTags), ...googleGovernanceLabels(tagInput) },
  };
}

function sanitizeTags(tags: Record<string, string>, value: (v: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(tags).sort()) out[k.slice(0, 128)] = value(tags[k]);
  return out;
}

function sanitizeLabels(tags: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(tags).sort()) {
    const key = sanitizeGoogleLabelValue(k).replace(/^[^a-z]+/, '');
    if (key) out[key] = sanitizeGoogleLabelValue(tags[k]);
  }
  return out;
}
