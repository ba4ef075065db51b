import { IConstruct } from 'constructs';
import { Approval, Owner, Vendor } from './contract';
import { expiryInstant, reminderDay, today } from './dates';
import { GovernanceError } from './governance-error';
import { markGoverned } from './governed-marker';
import { appendAll } from './private/append';
import { GovernancePolicy, ResolvedGovernancePolicy } from './policy';
import { checkExpiry } from './rules/expiry';
import { checkOwner } from './rules/owner';
import { checkApproval, checkEnvironment, checkSystem, checkVendor } from './rules/lifecycle';
import { checkPurpose } from './rules/purpose';
import { checkRotation, checkStaticCredentials } from './rules/rotation';
import { checkTags } from './rules/tags';
import { checkUniqueName, claimUniqueNames, UniqueName } from './rules/unique-names';
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
  /** The workload that uses the identity. */
  readonly system?: unknown;
  /** The third party that uses it. */
  readonly vendor?: unknown;
  /** Who approved it. */
  readonly approval?: unknown;
  /** Why it shares its system and scope with another identity. */
  readonly reuseJustification?: unknown;
  /** Names the identity takes in its cloud, which must be unique there (NHI_NAME_DUPLICATE). */
  readonly uniqueNames?: UniqueName[];
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
  /**
   * `YYYY-MM-DD` on which the owner is reminded: policy reminderDays before expiry, or the first
   * day after today when declared inside that window (never in the past).
   *
   * @default - no reminder: the identity expires the day after today, no day is left before it
   */
  readonly reminderDate?: string;
  /** Rotation period of the identity's secret; undefined when it has none. */
  readonly rotationDays?: number;
  readonly policy: ResolvedGovernancePolicy;
  /** The workload that uses the identity, if declared. */
  readonly system?: string;
  /** The identity's environment (declared, or from the policy in force), if any. */
  readonly environment?: string;
  /** The third party that uses it, if any. */
  readonly vendor?: Vendor;
  /** Who approved it, if recorded. */
  readonly approval?: Approval;
  /** Why it shares its system and scope with another identity, if it does. */
  readonly reuseJustification?: string;
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
  targetViolations: (policy: ResolvedGovernancePolicy, environment?: string) => Violation[],
  hasSecret = false,
): ResolvedGovernance {
  const path = scope.node.path;
  // Resources below a governed construct are not "ungoverned identities" for enforcement.
  markGoverned(scope);
  const d = (decl ?? {}) as IdentityDeclaration;
  const resolved = GovernancePolicy.of(scope).resolve(typeof d.environment === 'string' && d.environment !== '' ? d.environment : undefined);
  // Third-party identities live shorter (OWASP NHI3).
  const policy = d.vendor ? { ...resolved, maxLifetimeDays: Math.min(resolved.maxLifetimeDays, resolved.vendorMaxLifetimeDays) } : resolved;
  const environment = policy.environment;
  const now = today(scope);
  // Appended list by list (spreading twelve mostly empty arrays costs more than the checks behind them).
  const violations = appendAll([
    checkOwner(d.owner, policy),
    checkPurpose(d.purpose),
    checkExpiry(d.expires, now, policy),
    checkSystem(d.system, policy),
    checkEnvironment(d.environment ?? (policy.requireEnvironment ? environment : undefined), policy),
    checkVendor(d.vendor),
    checkApproval(d.approval, environment, policy),
    targetViolations(policy, environment),
    checkRotation(d.rotationDays, policy),
    checkStaticCredentials(d.staticCredentials, policy, d.staticCredentialsField ?? 'staticCredentials'),
    checkTags(d.tags, policy),
    checkUniqueName(scope, d.uniqueNames ?? [], environment),
  ]);
  GovernanceError.throwIfAny(path, Waivers.of(scope).filter(path, violations, now));
  claimUniqueNames(scope, d.uniqueNames ?? [], environment);

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
    // null is "not given" for every optional field (the checks above treat it so).
    system: (d.system ?? undefined) as string | undefined,
    environment,
    vendor: (d.vendor as Vendor | undefined)?.name,
    approval: (d.approval as Approval | undefined)?.ticket,
  };
  const resolvedGov = {
    path,
    owner: { team: owner.team, contact: owner.contact },
    purpose: (d.purpose as string).trim(),
    expires,
    expiresAt: expiryInstant(expires),
    reminderDate: reminderDay(expires, policy.reminderDays, now),
    rotationDays,
    policy,
    system: (d.system ?? undefined) as string | undefined,
    environment,
    vendor: (d.vendor ?? undefined) as Vendor | undefined,
    approval: (d.approval ?? undefined) as Approval | undefined,
    reuseJustification: typeof d.reuseJustification === 'string' && d.reuseJustification.trim() !== '' ? d.reuseJustification : undefined,
  } as Omit<ResolvedGovernance, 'googleLabels' | 'awsTags'>;
  // AWS tags and Google labels are computed on first read (a target reads only its own), by
  // getters shared by every resolved governance (a getter defined on each object would make it a
  // slow, larger dictionary).
  Object.setPrototypeOf(resolvedGov, TAG_GETTERS);
  tagInputs.set(resolvedGov, { extraTags, tagInput });
  return resolvedGov as ResolvedGovernance;
}

type TagInput = { extraTags: Record<string, string>; tagInput: Parameters<typeof googleGovernanceLabels>[0] };
const tagInputs = new WeakMap<object, TagInput>();
const awsTagCache = new WeakMap<object, Record<string, string>>();
const labelCache = new WeakMap<object, Record<string, string>>();
function lazyTags(cache: WeakMap<object, Record<string, string>>, make: (i: TagInput) => Record<string, string>): PropertyDescriptor {
  return {
    enumerable: true,
    get(this: object): Record<string, string> {
      let tags = cache.get(this);
      if (!tags) {
        tags = make(tagInputs.get(this)!);
        cache.set(this, tags);
      }
      return tags;
    },
  };
}
const TAG_GETTERS = Object.create(Object.prototype, {
  awsTags: lazyTags(awsTagCache, (i) => ({ ...sanitizeTags(i.extraTags, sanitizeAwsTagValue), ...awsGovernanceTags(i.tagInput) })),
  googleLabels: lazyTags(labelCache, (i) => ({ ...sanitizeLabels(i.extraTags), ...googleGovernanceLabels(i.tagInput) })),
});

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

/** The register fields every target's entry shares, from a resolved governance (stable order). */
export function registerGovernanceFields(gov: ResolvedGovernance): {
  owner: Owner; system?: string; reuseJustification?: string; environment?: string; purpose: string; expires: string; vendor?: Vendor; approval?: Approval;
} {
  return {
    owner: gov.owner,
    system: gov.system,
    reuseJustification: gov.reuseJustification,
    environment: gov.environment,
    purpose: gov.purpose,
    expires: gov.expires,
    vendor: gov.vendor ? { name: gov.vendor.name, contact: gov.vendor.contact, ...(gov.vendor.contractRef ? { contractRef: gov.vendor.contractRef } : {}) } : undefined,
    approval: gov.approval ? { ticket: gov.approval.ticket, ...(gov.approval.approvedBy ? { approvedBy: gov.approval.approvedBy } : {}) } : undefined,
  };
}
