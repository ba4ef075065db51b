import { IConstruct } from 'constructs';
import { GovernanceError } from './governance-error';
import { NhiRisk, Violation, violation } from './violation';

/**
 * Organisation rules for governed identities, set once on a scope (app, stage, stack or
 * any construct) by a platform team and inherited by every governed construct below it.
 * Where several scopes set a field, the closest one wins.
 */
export interface GovernancePolicyProps {
  /**
   * Longest time, in days from today, an identity may be declared to live.
   * @default 365
   */
  readonly maxLifetimeDays?: number;
  /**
   * Longest rotation period, in days, for any secret (access key, API key, service account key).
   * @default 90
   */
  readonly maxRotationDays?: number;
  /**
   * Rotation period used when a construct does not set one.
   * @default 30
   */
  readonly defaultRotationDays?: number;
  /**
   * Days before expiry at which the owner is reminded.
   * @default 30
   */
  readonly reminderDays?: number;
  /**
   * E-mail domains an owner contact must belong to (e.g. `example.com`); subdomains do not match.
   * @default - any domain
   */
  readonly allowedOwnerDomains?: string[];
  /**
   * Team slugs an owner must be one of.
   * @default - any team
   */
  readonly allowedTeams?: string[];
  /**
   * Actions (AWS, e.g. `iam:CreateUser`) or roles (Google, e.g. `roles/iam.securityAdmin`) no
   * governed identity may be granted, justification or not. Matching ignores case and accepts
   * IAM wildcard syntax: `iam:*` forbids every IAM action, `iam:Create*` every IAM action whose
   * name starts with `Create`, `?` one character. A Google custom role defined in the same stack
   * is also matched by its permissions (`iam.serviceAccountKeys.create`, `compute.instances.*`).
   * @default - none beyond the built-in checks
   */
  readonly forbiddenActions?: string[];
  /**
   * Forbid prefix wildcards in AWS resource ARNs (`table/orders-*`, `arn:aws:s3:::acme-*`)
   * even with a justification. Without this, a grant may use one only with a `justification`.
   * @default false
   */
  readonly forbidPrefixWildcards?: boolean;
  /**
   * Tags every governed identity must declare (in its `tags` prop), each with its allowed values
   * (an empty list allows any non-empty value), e.g. `{ 'cost-center': [], 'data-class': ['public', 'internal'] }`.
   * @default - none
   */
  readonly requiredTags?: { [key: string]: string[] };
  /**
   * The environment of the governed identities below this scope (e.g. `prod`), selecting the
   * `environments` override that applies to them. An identity's own `environment` prop wins.
   * @default - none: no environment override applies
   */
  readonly environment?: string;
  /**
   * Per-environment overrides, e.g. `{ prod: { maxLifetimeDays: 90 }, dev: { maxLifetimeDays: 30 } }`.
   * They apply over the rest of the policy in force. Overrides do not nest.
   * @default - none
   */
  readonly environments?: { [environment: string]: GovernancePolicyProps };
  /**
   * The AWS account ids and Google project ids of each environment, e.g.
   * `{ prod: ['111111111111', 'acme-prod'], dev: ['222222222222'] }`. An identity of one
   * environment reaching another's account or project is NHI_ENVIRONMENT_CROSSING unless justified.
   * @default - no environment isolation check
   */
  readonly environmentAccounts?: { [environment: string]: string[] };
  /**
   * Every governed identity must name the workload that uses it (`system`).
   * @default false
   */
  readonly requireSystem?: boolean;
  /**
   * Every governed identity must name its `environment`.
   * @default false
   */
  readonly requireEnvironment?: boolean;
  /**
   * Every governed identity must record an `approval`.
   * @default false
   */
  readonly requireApproval?: boolean;
  /**
   * Environments in which an `approval` is required, e.g. `['prod']`.
   * @default - none
   */
  readonly requireApprovalIn?: string[];
  /**
   * Longest lifetime, in days, of an identity used by a third party (`vendor`).
   * @default 90
   */
  readonly vendorMaxLifetimeDays?: number;
  /**
   * How much of the address space the allowed IPs of an API key may cover together, as a prefix
   * length: the ranges must add up to less than one /N of the IPv4 (or IPv6) address space.
   * 8 rejects a /8 or wider, or ranges adding up to 1/256 of the address space; 16 rejects
   * 1/65536 (a /16) and more. A whole number from 1 to 32.
   * @default 8
   */
  readonly maxApiKeyAddressRange?: number;
  /**
   * Forbid project-wide grants of data-access roles (a Google role that reads or decrypts data,
   * e.g. `roles/secretmanager.secretAccessor` on a project reaches every secret of it), even with
   * a justification: such roles must be granted on the one bucket, secret or key.
   * @default false - allowed with a justification
   */
  readonly forbidProjectWideDataAccess?: boolean;
}

/** A policy with every default filled in. */
export interface ResolvedGovernancePolicy {
  readonly maxLifetimeDays: number;
  readonly maxRotationDays: number;
  readonly defaultRotationDays: number;
  readonly reminderDays: number;
  readonly allowedOwnerDomains?: string[];
  readonly allowedTeams?: string[];
  readonly forbiddenActions: string[];
  readonly forbidPrefixWildcards: boolean;
  readonly requiredTags: { [key: string]: string[] };
  readonly environmentAccounts: { [environment: string]: string[] };
  readonly requireSystem: boolean;
  readonly requireEnvironment: boolean;
  readonly requireApproval: boolean;
  readonly requireApprovalIn: string[];
  readonly vendorMaxLifetimeDays: number;
  /** @default 8 */
  readonly maxApiKeyAddressRange?: number;
  /** @default false */
  readonly forbidProjectWideDataAccess?: boolean;
  /** The environment the policy was resolved for, if any. */
  readonly environment?: string;
}

const SYMBOL = Symbol.for('nhi-constructs.GovernancePolicy');

/** The built-in policy, used where no scope sets one. */
export const DEFAULT_POLICY: ResolvedGovernancePolicy = Object.freeze({
  maxLifetimeDays: 365,
  maxRotationDays: 90,
  defaultRotationDays: 30,
  reminderDays: 30,
  forbiddenActions: [],
  forbidPrefixWildcards: false,
  requiredTags: {},
  environmentAccounts: {},
  requireSystem: false,
  requireEnvironment: false,
  requireApproval: false,
  requireApprovalIn: [],
  vendorMaxLifetimeDays: 90,
});

/** What `resolve` returns where no scope sets a policy (DEFAULT_POLICY with the derived defaults). */
let DEFAULT_RESOLVED_CACHE: ResolvedGovernancePolicy | undefined;

const globs = new Map<string, RegExp>();

/** IAM-style wildcard match (`*` any run, `?` one character), ignoring case. */
export function globMatch(pattern: string, value: string): boolean {
  let re = globs.get(pattern);
  if (!re) {
    re = new RegExp('^' + pattern.split('').map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('') + '$', 'i');
    if (globs.size > 10_000) globs.clear();
    globs.set(pattern, re);
  }
  return re.test(value);
}

/**
 * The first pattern of a policy's `forbiddenActions` that matches an action or role name (IAM
 * wildcard syntax, ignoring case), or undefined. Shared by the AWS and Google scope rules.
 */
export function forbiddenBy(policy: Pick<ResolvedGovernancePolicy, 'forbiddenActions'>, name: string): string | undefined {
  return policy.forbiddenActions.find((p) => globMatch(p, name));
}

function isPositiveInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** Checks a policy itself: an invalid policy is an error, never silently ignored. */
export function checkPolicy(props: GovernancePolicyProps): Violation[] {
  const out: Violation[] = [];
  const risks = [NhiRisk.NHI7];
  for (const f of ['maxLifetimeDays', 'maxRotationDays', 'defaultRotationDays', 'reminderDays', 'vendorMaxLifetimeDays'] as const) {
    const v = props[f];
    if (v !== undefined && !isPositiveInt(v)) {
      out.push(violation('NHI_POLICY_INVALID', f, 'must be a whole number of days greater than 0', `set ${f} to e.g. 30`, v, risks));
    }
  }
  const maxRot = props.maxRotationDays;
  const defRot = props.defaultRotationDays;
  if (isPositiveInt(maxRot) && isPositiveInt(defRot) && defRot! > maxRot!) {
    out.push(violation('NHI_POLICY_INVALID', 'defaultRotationDays', `is longer than maxRotationDays (${maxRot})`,
      'make defaultRotationDays at most maxRotationDays', defRot, risks));
  }
  const range = props.maxApiKeyAddressRange;
  if (range !== undefined && !(typeof range === 'number' && Number.isInteger(range) && range >= 1 && range <= 32)) {
    out.push(violation('NHI_POLICY_INVALID', 'maxApiKeyAddressRange', 'must be a prefix length from 1 to 32 (8: less than a /8 in total)',
      'set e.g. maxApiKeyAddressRange: 16', range, [NhiRisk.NHI2]));
  }
  for (const f of ['requireSystem', 'requireEnvironment', 'requireApproval', 'forbidPrefixWildcards', 'forbidProjectWideDataAccess'] as const) {
    if (props[f] !== undefined && typeof props[f] !== 'boolean') {
      out.push(violation('NHI_POLICY_INVALID', f, 'must be true or false', `set ${f}: true`, props[f], [NhiRisk.NHI1]));
    }
  }
  const accounts = props.environmentAccounts;
  if (accounts !== undefined && (accounts === null || typeof accounts !== 'object' || Array.isArray(accounts)
    || Object.values(accounts).some((l) => !Array.isArray(l) || l.some((x) => typeof x !== 'string' || x.trim() === '')))) {
    out.push(violation('NHI_POLICY_INVALID', 'environmentAccounts', 'must map environment names to lists of account or project ids',
      "set e.g. environmentAccounts: { prod: ['111111111111'] }", accounts, [NhiRisk.NHI8]));
  }
  for (const f of ['allowedOwnerDomains', 'allowedTeams', 'forbiddenActions', 'requireApprovalIn'] as const) {
    const v = props[f];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === ''))) {
      out.push(violation('NHI_POLICY_INVALID', f, 'must be a list of non-empty strings', `fix ${f}`, v, [NhiRisk.NHI5]));
    }
  }
  const tags = props.requiredTags;
  if (tags !== undefined && (tags === null || typeof tags !== 'object' || Array.isArray(tags)
    || Object.entries(tags).some(([k, vals]) => k.trim() === '' || !Array.isArray(vals) || vals.some((x) => typeof x !== 'string')))) {
    out.push(violation('NHI_POLICY_INVALID', 'requiredTags', 'must map tag keys to lists of allowed values ([] for any value)',
      "set e.g. requiredTags: { 'cost-center': [] }", tags, [NhiRisk.NHI1]));
  }
  if (props.environment !== undefined && (typeof props.environment !== 'string' || props.environment.trim() === '')) {
    out.push(violation('NHI_POLICY_INVALID', 'environment', 'must be a non-empty environment name', "set e.g. environment: 'prod'", props.environment, [NhiRisk.NHI8]));
  }
  const envs = props.environments;
  if (envs !== undefined) {
    if (envs === null || typeof envs !== 'object' || Array.isArray(envs)) {
      out.push(violation('NHI_POLICY_INVALID', 'environments', 'must map environment names to policy overrides',
        'set e.g. environments: { prod: { maxLifetimeDays: 90 } }', envs, [NhiRisk.NHI8]));
    } else {
      for (const [name, o] of Object.entries(envs)) {
        if (o && typeof o === 'object' && ((o as GovernancePolicyProps).environments !== undefined || (o as GovernancePolicyProps).environment !== undefined)) {
          out.push(violation('NHI_POLICY_INVALID', `environments.${name}`, 'overrides cannot set environment or environments', 'remove them from the override', o, [NhiRisk.NHI8]));
        }
        for (const v of checkPolicy((o ?? {}) as GovernancePolicyProps)) {
          out.push({ ...v, field: `environments.${name}.${v.field}` });
        }
      }
    }
  }
  return out;
}

/**
 * Sets and reads the organisation policy on a construct scope.
 *
 * @example
 * GovernancePolicy.of(app).apply({ maxLifetimeDays: 180, allowedOwnerDomains: ['example.com'] });
 */
export class GovernancePolicy {
  /** The policy handle of a scope. */
  public static of(scope: IConstruct): GovernancePolicy {
    return new GovernancePolicy(scope);
  }

  private constructor(private readonly scope: IConstruct) {}

  /**
   * Sets the policy on this scope (merged over any earlier `apply` on the same scope).
   * Throws a GovernanceError if the policy itself is invalid.
   */
  public apply(props: GovernancePolicyProps): void {
    const merged = { ...((this.scope as any)[SYMBOL] ?? {}), ...stripUndefined(props ?? {}) };
    GovernanceError.throwIfAny(`GovernancePolicy on ${this.scope.node.path || '<app>'}`, checkPolicy(merged));
    Object.defineProperty(this.scope, SYMBOL, { value: merged, configurable: true, enumerable: false, writable: true });
  }

  /**
   * The policy in force at this scope: the built-in defaults overridden from the root down
   * (closest wins), then the override of the environment (`environment`, or the closest
   * scope's `environment` setting).
   */
  public resolve(environment?: string): ResolvedGovernancePolicy {
    // No policy anywhere above and no environment (most apps): the defaults, one shared frozen object.
    if (environment === undefined && !this.scope.node.scopes.some((s) => (s as any)[SYMBOL])) {
      return DEFAULT_RESOLVED_CACHE ??= Object.freeze(this.compute(undefined));
    }
    return this.compute(environment);
  }

  private compute(environment: string | undefined): ResolvedGovernancePolicy {
    let out: any = { ...DEFAULT_POLICY };
    let defaultRotationSet = false;
    let found = false;
    const envs: Record<string, GovernancePolicyProps> = {};
    for (const s of this.scope.node.scopes) {
      const p = (s as any)[SYMBOL];
      if (!p) continue;
      found = true;
      const { environments, ...rest } = p as GovernancePolicyProps;
      out = { ...out, ...rest };
      if (rest.defaultRotationDays !== undefined) defaultRotationSet = true;
      for (const [name, o] of Object.entries(environments ?? {})) envs[name] = { ...(envs[name] ?? {}), ...stripUndefined(o) };
    }
    const env = environment ?? out.environment;
    if (env !== undefined && envs[env]) {
      out = { ...out, ...envs[env] };
      if (envs[env].defaultRotationDays !== undefined) defaultRotationSet = true;
    }
    // Assigned only when there is one: deleting a property would turn the object (kept by every
    // identity's governance) into a slow, larger dictionary.
    if (env !== undefined) out.environment = env;
    // The built-in default rotation never exceeds a max the policy sets (maxRotationDays: 14 alone is valid).
    if (!defaultRotationSet && isPositiveInt(out.maxRotationDays)) {
      out.defaultRotationDays = Math.min(DEFAULT_POLICY.defaultRotationDays, out.maxRotationDays);
    }
    const resolved = out as ResolvedGovernancePolicy;
    // Each policy was checked when applied; their combination is checked here (the defaults are valid).
    if (found) GovernanceError.throwIfAny(`GovernancePolicy in force at ${this.scope.node.path || '<app>'}`, checkPolicy(resolved));
    return resolved;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
