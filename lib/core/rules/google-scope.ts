import { forbiddenBy, ResolvedGovernancePolicy } from '../policy';
import { closestGoogleRoles, googleRoleByCase, googleRoleCatalogueSource, GoogleRoleInfo, lookupGoogleRole } from '../private/google-roles';
import { NhiRisk, Violation, violation } from '../violation';
import { isToken } from './aws-scope';
import { GOOGLE_PROJECT_ID } from './google-names';
import { dataReach, fitsResource, GOOGLE_RESOURCE_PERMISSIONS, listSome, privilegedPermissions, resourceKindsOf } from './google-roles';
import { isVague } from './purpose';

/**
 * Basic (primitive) roles. They grant thousands of permissions across every service, and IAM
 * conditions cannot be attached to them, so a binding of one could never expire.
 */
export const GOOGLE_BASIC_ROLES: readonly string[] = ['roles/owner', 'roles/editor', 'roles/viewer'];

/**
 * Roles that let the holder act as other service accounts or mint their credentials. Granted at
 * project level they cover every service account of the project, so they need a justification.
 */
export const GOOGLE_IMPERSONATION_ROLES: readonly string[] = [
  'roles/iam.serviceAccountUser',
  'roles/iam.serviceAccountTokenCreator',
  'roles/iam.serviceAccountOpenIdTokenCreator',
  'roles/iam.workloadIdentityUser',
  'roles/iam.serviceAccountKeyAdmin',
];

/** The kinds of resource a Google grant can target; all of them accept IAM conditions. */
export const GOOGLE_GRANT_TARGETS = ['bucket', 'secret', 'cryptoKey'] as const;
/** One kind of {@link GOOGLE_GRANT_TARGETS}, or `project` for a project-level grant. */
export type GoogleGrantTargetKind = 'project' | (typeof GOOGLE_GRANT_TARGETS)[number];

const PREDEFINED = /^roles\/[a-z][a-zA-Z0-9_]*(\.[a-zA-Z0-9_]+)*$/;
const CUSTOM = /^(projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]|organizations\/[0-9]{1,20})\/roles\/[a-zA-Z0-9_.]{3,64}$/;
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const SECRET = /^(projects\/[^/]+\/secrets\/)?[a-zA-Z0-9_-]{1,255}$/;
const CRYPTO_KEY = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/;

/** A domain-scoped project id (`example.com:my-project`). */
const DOMAIN_PROJECT = /^[a-z0-9][-a-z0-9.]*[a-z0-9]:[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
/** The keys of a grant; any other key is an error (an `organization` or `folder` key must not silently become a project binding). */
export const GOOGLE_GRANT_KEYS: readonly string[] = ['role', 'project', 'bucket', 'secret', 'cryptoKey', 'justification'];

/** A grant of the Google scope as the user wrote it (see the cdktf-google `GoogleRoleGrant`). */
interface RawGrant {
  role?: unknown;
  project?: unknown;
  bucket?: unknown;
  secret?: unknown;
  cryptoKey?: unknown;
  justification?: unknown;
}

/** A grant after analysis: what to bind, where, and how privileged it is. */
export interface AnalysedGoogleGrant {
  readonly role: string;
  /** `project`, `bucket`, `secret` or `cryptoKey`. */
  readonly target: GoogleGrantTargetKind;
  /** The project id (project-level grants) or the resource (bucket name, secret id or name, crypto key id). */
  readonly resource: string;
  /** The project of a project-level grant or of a secret given by id; undefined otherwise. */
  readonly project?: string;
  /** True for custom roles (`projects/p/roles/x`), whose permissions cannot be checked at synth. */
  readonly custom: boolean;
  readonly privileged: boolean;
  readonly justification?: string;
}

/** The outcome of {@link analyzeGoogleScope}. */
export interface GoogleScopeAnalysis {
  readonly violations: Violation[];
  /** The grants; only meaningful when there are no violations. */
  readonly grants: AnalysedGoogleGrant[];
}

/** True for a basic role (`roles/owner`, `roles/editor`, `roles/viewer`), any case. */
export function isBasicRole(role: string): boolean {
  return GOOGLE_BASIC_ROLES.includes(role.toLowerCase());
}

/** True for an admin role (`roles/x.admin`, `roles/x.securityAdmin`, ...) or an impersonation role. */
export function isPrivilegedRole(role: string): boolean {
  if (GOOGLE_IMPERSONATION_ROLES.some((r) => r.toLowerCase() === role.toLowerCase())) return true;
  const name = role.slice(role.lastIndexOf('/') + 1);
  const last = name.slice(name.lastIndexOf('.') + 1);
  return last === 'admin' || /Admin$/.test(last);
}

/** True for a syntactically valid predefined or custom role name (tokens pass). */
export function isGoogleRoleName(role: string): boolean {
  return isToken(role) || PREDEFINED.test(role) || CUSTOM.test(role);
}

interface RoleContext {
  readonly justified: boolean;
  /** `project`, `bucket`, `secret` or `cryptoKey` (undefined when the target is invalid). */
  readonly target?: GoogleGrantTargetKind;
  /** The project of a project-level grant. */
  readonly project?: string;
  readonly policy: ResolvedGovernancePolicy;
}

const JUSTIFY = 'at least three words naming why the workload needs it';

function roleViolations(role: unknown, f: string, ctx: RoleContext): { v: Violation[]; privileged: boolean } {
  if (typeof role !== 'string' || role.trim() === '') {
    return { v: [violation('NHI_SCOPE_ROLE_INVALID', f, 'a grant needs the role it grants',
      "set role, e.g. 'roles/storage.objectViewer'", role ?? undefined, [NhiRisk.NHI5])], privileged: false };
  }
  if (isToken(role)) return { v: [], privileged: false };
  if (role.includes('*') || role.includes('?')) {
    return { v: [violation('NHI_SCOPE_WILDCARD', f, 'roles are granted by exact name; a wildcard is not a role',
      "name one predefined role, e.g. 'roles/storage.objectViewer'", role, [NhiRisk.NHI5])], privileged: false };
  }
  if (isBasicRole(role)) {
    return { v: [violation('NHI_SCOPE_BASIC_ROLE', f,
      'is a basic role: it grants thousands of permissions on every service, and IAM conditions cannot be attached to it, so it could never expire',
      "grant the predefined roles the workload needs instead, e.g. 'roles/storage.objectViewer' on one bucket", role, [NhiRisk.NHI5, NhiRisk.NHI7])], privileged: false };
  }
  if (!isGoogleRoleName(role)) {
    const hint = /^[a-z][a-zA-Z0-9]*\.[a-zA-Z0-9.]+$/.test(role) ? `did you mean 'roles/${role}'?` : "write 'roles/<service>.<role>' or 'projects/<project>/roles/<custom>'";
    return { v: [violation('NHI_SCOPE_ROLE_INVALID', f, 'is not a role name (predefined roles/<service>.<role>, or a custom role projects/<p>/roles/<id> or organizations/<n>/roles/<id>)',
      hint, role, [NhiRisk.NHI5])], privileged: false };
  }
  const rule = forbiddenBy(ctx.policy, role);
  if (rule !== undefined) {
    return { v: [violation('NHI_SCOPE_FORBIDDEN', f, `is forbidden by the governance policy${rule.toLowerCase() === role.toLowerCase() ? '' : ` ('${rule}')`}`,
      'remove it; ask the platform team if the workload truly needs it', role, [NhiRisk.NHI5])], privileged: true };
  }
  if (!role.startsWith('roles/')) {
    // A custom role: its permissions live in the project or organisation, not in the catalogue.
    const privileged = isPrivilegedRole(role);
    if (privileged && !ctx.justified) {
      return { v: [violation('NHI_SCOPE_PRIVILEGED', f, 'is named as an administrator role, and the permissions of a custom role cannot be checked at synth',
        `rename it if it is not one, or add a justification of ${JUSTIFY}`, role, [NhiRisk.NHI5, NhiRisk.NHI10])], privileged };
    }
    return { v: [], privileged };
  }
  const info = lookupGoogleRole(role);
  if (!info) return { v: [unknownRole(role, f)], privileged: false };
  const v: Violation[] = [];
  if (info.stage === 'DEPRECATED') {
    const current = closestGoogleRoles(role, 6).filter((r) => r !== role && lookupGoogleRole(r)?.stage !== 'DEPRECATED').slice(0, 3);
    v.push(violation('NHI_SCOPE_ROLE_DEPRECATED', f, `is deprecated in Google's role catalogue (${info.title}): Google may remove it, and its permissions with it`,
      `grant a current role with the permissions the workload needs${current.length ? `, e.g. ${current.map((r) => `'${r}'`).join(', ')}` : ''}`, role, [NhiRisk.NHI5]));
  }
  if (ctx.target && ctx.target !== 'project' && !fitsResource(info, ctx.target)) {
    v.push(resourceMismatch(info, ctx.target, f));
    return { v, privileged: false };
  }
  const privileged = privilegedPermissions(info);
  if (privileged.length > 0 && !ctx.justified) {
    const everyAccount = ctx.target === 'project' && privileged.some((x) => x.permissions.some((p) => p.startsWith('iam.serviceAccount')));
    const what = privileged.map((x) => `${x.what} (${listSome(x.permissions, 2)})`).join('; ');
    v.push(violation('NHI_SCOPE_PRIVILEGED', f,
      `includes permissions that let the holder act as or mint credentials for other identities or change IAM: ${what}${everyAccount ? '; on a project this covers every service account of the project' : ''}`,
      `grant a narrower role (e.g. a viewer or user role), or move it to its own grant with a justification of ${JUSTIFY}`,
      role, [NhiRisk.NHI5, NhiRisk.NHI10]));
  }
  if (ctx.target === 'project') {
    const reach = dataReach(info);
    // Unjustified and privileged: NHI_SCOPE_PRIVILEGED already asks for the one justification that covers both.
    if (reach.length > 0 && (ctx.policy.forbidProjectWideDataAccess || (!ctx.justified && privileged.length === 0))) {
      const where = `project ${ctx.project ?? ''}`.trim();
      const reaches = `on ${where} it reaches ${listSome(reach.map((r) => `${r.reaches} (${r.permission})`), 4)}`;
      const narrower = resourceKindsOf(info).map((k) => `${k}: '<name>'`);
      const fixNarrow = narrower.length > 0 ? `grant it on the one resource the workload uses (${narrower.join(' or ')})` : 'grant a role on the one resource the workload uses';
      v.push(ctx.policy.forbidProjectWideDataAccess
        ? violation('NHI_SCOPE_FORBIDDEN', f, `is a data-access role granted on a whole project, which the governance policy forbids (forbidProjectWideDataAccess): ${reaches}`,
          `${fixNarrow}`, role, [NhiRisk.NHI5])
        : violation('NHI_SCOPE_PROJECT_WIDE', f, `is a data-access role granted on a whole project: ${reaches}`,
          `${fixNarrow}, or add a justification of ${JUSTIFY} on the whole project`, role, [NhiRisk.NHI5]));
    }
  }
  return { v, privileged: privileged.length > 0 };
}

/** A custom role defined beside the grant (in the same artifact), with the permissions it holds there. */
export interface GoogleCustomRoleGrant {
  /** Its full name (`projects/<p>/roles/<id>`), or its reference. */
  readonly name: string;
  /** Where it is defined, for messages (`google_project_iam_custom_role.r at stack/Role`). */
  readonly where: string;
  readonly permissions: readonly string[];
  /** `project`, `bucket`, `secret`, `cryptoKey` (or another kind of resource the binding is on). */
  readonly target: string;
  /** The grant concerned, for messages (`google_project_iam_member binding (...) of stack/Sa`). */
  readonly grant: string;
  /** The governed identity's path (where a waiver of the finding may go). */
  readonly identity: string;
  readonly justification?: string;
}

const customInfos = new WeakMap<readonly string[], GoogleRoleInfo>();

/**
 * A custom role defined in the same stack, judged by its permissions as a predefined role is by the
 * catalogue's (the name of a custom role says nothing about what it holds):
 *
 * - a permission the policy forbids (`forbiddenActions`, matched against permission names, e.g.
 *   `iam.serviceAccountKeys.create`, `iam.*`), or the role's name: NHI_SCOPE_FORBIDDEN, justified or not;
 * - privileged permissions (GOOGLE_PRIVILEGED_PERMISSIONS) without a justification: NHI_SCOPE_PRIVILEGED;
 * - data-access permissions on a whole project: NHI_SCOPE_PROJECT_WIDE unless justified,
 *   NHI_SCOPE_FORBIDDEN when the policy sets `forbidProjectWideDataAccess`.
 */
export function checkCustomRolePermissions(role: GoogleCustomRoleGrant, policy: Pick<ResolvedGovernancePolicy, 'forbiddenActions' | 'forbidProjectWideDataAccess'>, f: string): Violation[] {
  let info = customInfos.get(role.permissions);
  if (!info) customInfos.set(role.permissions, info = { name: role.name, title: role.name, stage: 'GA', permissions: [...role.permissions].sort() });
  const justified = typeof role.justification === 'string' && !isVague(role.justification);
  const about = `${role.grant} grants the custom role ${role.name} (${role.where}), whose permissions in the synthesised JSON`;
  const waive = (code: string) => `or waive ${code} on ${role.identity} with an owner, a reason and an expiry`;
  const v: Violation[] = [];
  const forbidden = [role.name, ...info.permissions].map((p) => ({ p, rule: forbiddenBy(policy, p) })).filter((x) => x.rule !== undefined);
  if (forbidden.length > 0) {
    const what = listSome(forbidden.map((x) => `${x.p}, which the governance policy forbids ('${x.rule}')`), 3);
    v.push(violation('NHI_SCOPE_FORBIDDEN', f, `${about} include ${what}`,
      `remove ${listSome(forbidden.map((x) => x.p), 3)} from the permissions of ${role.where} (and any override that adds it), or grant another role; ask the platform team if the workload truly needs it`,
      `${role.name}: ${forbidden.map((x) => x.p).join(', ')}`, [NhiRisk.NHI5]));
  }
  const privileged = privilegedPermissions(info);
  if (privileged.length > 0 && !justified) {
    const everyAccount = role.target === 'project' && privileged.some((x) => x.permissions.some((p) => p.startsWith('iam.serviceAccount')));
    const what = privileged.map((x) => `${x.what} (${listSome(x.permissions, 2)})`).join('; ');
    const perms = privileged.flatMap((x) => x.permissions);
    v.push(violation('NHI_SCOPE_PRIVILEGED', f,
      `${about} let the holder act as or mint credentials for other identities or change IAM: ${what}${everyAccount ? '; on a project this covers every service account of the project' : ''}`,
      `remove ${listSome(perms, 3)} from the permissions of ${role.where} (and any override that adds it), or give the grant in the scope of ${role.identity} a justification of ${JUSTIFY}, ${waive('NHI_SCOPE_PRIVILEGED')}`,
      `${role.name}: ${perms.join(', ')}`, [NhiRisk.NHI5, NhiRisk.NHI10]));
  }
  if (role.target === 'project') {
    const reach = dataReach(info);
    if (reach.length > 0 && (policy.forbidProjectWideDataAccess || (!justified && privileged.length === 0))) {
      const reaches = `on the project it reaches ${listSome(reach.map((r) => `${r.reaches} (${r.permission})`), 4)}`;
      const narrower = resourceKindsOf(info).map((k) => `${k}: '<name>'`);
      const fixNarrow = narrower.length > 0 ? `grant it on the one resource the workload uses (${narrower.join(' or ')})` : 'grant it on the one resource the workload uses';
      v.push(policy.forbidProjectWideDataAccess
        ? violation('NHI_SCOPE_FORBIDDEN', f, `${about} read or change data, on a whole project, which the governance policy forbids (forbidProjectWideDataAccess): ${reaches}`,
          fixNarrow, role.name, [NhiRisk.NHI5])
        : violation('NHI_SCOPE_PROJECT_WIDE', f, `${about} read or change data, on a whole project: ${reaches}`,
          `${fixNarrow}, or give the grant in the scope of ${role.identity} a justification of ${JUSTIFY} on the whole project, ${waive('NHI_SCOPE_PROJECT_WIDE')}`, role.name, [NhiRisk.NHI5]));
    }
  }
  return v;
}

function unknownRole(role: string, f: string): Violation {
  const byCase = googleRoleByCase(role);
  const closest = byCase ? [byCase] : closestGoogleRoles(role);
  const fix = closest.length > 0
    ? `did you mean ${closest.map((r) => `'${r}'`).join(', ')}?`
    : "name a predefined role (https://cloud.google.com/iam/docs/roles-permissions) or a custom role 'projects/<p>/roles/<id>'";
  return violation('NHI_SCOPE_UNKNOWN_ROLE', f, `is not a predefined Google role (role catalogue: ${googleRoleCatalogueSource()})`,
    `${fix}; a role newer than the catalogue can be acknowledged with a waiver`, role, [NhiRisk.NHI5]);
}

function resourceMismatch(info: GoogleRoleInfo, target: string, f: string): Violation {
  const fit = GOOGLE_RESOURCE_PERMISSIONS[target];
  const kinds = resourceKindsOf(info);
  const services = [...new Set(info.permissions.map((p) => p.split('.')[0]).filter((s) => s !== 'resourcemanager'))];
  const elsewhere = kinds.length > 0 ? `grant it on ${kinds.map((k) => GOOGLE_RESOURCE_PERMISSIONS[k].what).join(' or ')}` : 'grant it on a project';
  return violation('NHI_SCOPE_RESOURCE_MISMATCH', f,
    `has no permission on ${fit.what} (its permissions are on ${listSome(services)}): bound to the ${target} it grants nothing`,
    `grant a role for ${fit.what}, e.g. '${fit.example}', or ${elsewhere}`, info.name, [NhiRisk.NHI5]);
}

function targetOf(g: RawGrant, f: string, defaultProject: string): { v: Violation[]; target?: GoogleGrantTargetKind; resource?: string; project?: string } {
  const given = GOOGLE_GRANT_TARGETS.filter((k) => g[k] !== undefined && g[k] !== null);
  if (given.length > 1) {
    return { v: [violation('NHI_SCOPE_TARGET_INVALID', f, `names several resources (${given.join(', ')}); a grant targets one resource`,
      'split it into one grant per resource', Object.fromEntries(given.map((k) => [k, g[k]])), [NhiRisk.NHI5])] };
  }
  const project = g.project === undefined || g.project === null ? defaultProject : g.project;
  if (typeof project !== 'string' || project.trim() === '') {
    return { v: [violation('NHI_SCOPE_TARGET_INVALID', `${f}.project`, 'is not a project id', "give a project id, e.g. 'acme-billing-prod'", g.project, [NhiRisk.NHI5])] };
  }
  if (project.includes('*')) {
    return { v: [violation('NHI_SCOPE_WILDCARD', `${f}.project`, 'a wildcard is not a project', 'name the project', project, [NhiRisk.NHI5])] };
  }
  if (g.project !== undefined && g.project !== null && !isToken(project) && !GOOGLE_PROJECT_ID.test(project) && !DOMAIN_PROJECT.test(project)) {
    const slug = project.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+|-+$/g, '').slice(0, 30);
    return { v: [violation('NHI_SCOPE_TARGET_INVALID', `${f}.project`,
      'is not a Google project id (6-30 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen)',
      GOOGLE_PROJECT_ID.test(slug) ? `give the project id, e.g. '${slug}' (not its display name or number)` : "give the project id, e.g. 'acme-billing-prod' (not its display name or number)",
      project, [NhiRisk.NHI5])] };
  }
  if (given.length === 0) return { v: [], target: 'project', resource: project, project };
  const kind = given[0];
  const value = g[kind];
  const rf = `${f}.${kind}`;
  if (typeof value !== 'string' || value.trim() === '') {
    return { v: [violation('NHI_SCOPE_TARGET_INVALID', rf, 'is not a resource name', `give the ${kind} name`, value, [NhiRisk.NHI5])] };
  }
  if (value.includes('*')) {
    return { v: [violation('NHI_SCOPE_WILDCARD', rf, 'a wildcard is not a resource; IAM grants on resources are by exact name',
      `name the ${kind}, or grant at project level with a justification`, value, [NhiRisk.NHI5])] };
  }
  if (!isToken(value)) {
    const ok = kind === 'bucket' ? BUCKET.test(value) : kind === 'secret' ? SECRET.test(value) : CRYPTO_KEY.test(value);
    if (!ok) {
      const fix = kind === 'bucket' ? (value.startsWith('gs://') ? `drop the scheme: '${value.slice(5).replace(/\/.*$/, '')}'` : 'give the bucket name, e.g. acme-billing-exports')
        : kind === 'secret' ? 'give the secret id (e.g. billing-db-password) or its name projects/<p>/secrets/<id>'
          : 'give the key id projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>';
      return { v: [violation('NHI_SCOPE_TARGET_INVALID', rf, `is not a ${kind === 'cryptoKey' ? 'Cloud KMS crypto key id' : kind === 'bucket' ? 'bucket name' : 'Secret Manager secret'}`,
        fix, value, [NhiRisk.NHI5])] };
    }
  }
  return { v: [], target: kind, resource: value, project: kind === 'secret' && !value.startsWith('projects/') ? project : undefined };
}

/**
 * Google scope: roles granted *to* the identity, each on one project or one resource.
 *
 * - empty scope: NHI_SCOPE_EMPTY;
 * - a role that is not a role name: NHI_SCOPE_ROLE_INVALID; a wildcard role or target: NHI_SCOPE_WILDCARD;
 * - a predefined role missing from the shipped catalogue: NHI_SCOPE_UNKNOWN_ROLE (with the closest
 *   roles); a deprecated one: NHI_SCOPE_ROLE_DEPRECATED; custom roles (`projects/p/roles/x`,
 *   `organizations/n/roles/x`) are accepted by name;
 * - basic roles (`roles/owner`, `roles/editor`, `roles/viewer`): NHI_SCOPE_BASIC_ROLE;
 * - roles whose permissions let the holder act as or mint credentials for other identities or
 *   change IAM (see GOOGLE_PRIVILEGED_PERMISSIONS): NHI_SCOPE_PRIVILEGED unless the grant carries a
 *   justification (custom roles: by name, `*.admin` / `*Admin`);
 * - a role with no permission on the resource kind it is bound to: NHI_SCOPE_RESOURCE_MISMATCH;
 * - a data-access role on a whole project: NHI_SCOPE_PROJECT_WIDE unless justified,
 *   NHI_SCOPE_FORBIDDEN when the policy sets `forbidProjectWideDataAccess`;
 * - roles the policy forbids (`forbiddenActions`, IAM wildcards `*` and `?`, ignoring case): NHI_SCOPE_FORBIDDEN;
 * - a grant naming several resources, an unknown key (`organization`, `folder`, ...), an invalid
 *   project id or a malformed resource: NHI_SCOPE_TARGET_INVALID;
 * - the same role twice on the same target: NHI_SCOPE_DUPLICATE.
 */
export function analyzeGoogleScope(scope: unknown, policy: ResolvedGovernancePolicy, defaultProject: string, field = 'scope'): GoogleScopeAnalysis {
  if (!Array.isArray(scope) || scope.length === 0) {
    return {
      violations: [violation('NHI_SCOPE_EMPTY', field, 'an identity needs at least one least-privilege role grant',
        "set scope: [{ role: 'roles/storage.objectViewer', bucket: 'my-bucket' }]", scope ?? undefined, [NhiRisk.NHI5])],
      grants: [],
    };
  }
  const violations: Violation[] = [];
  const grants: AnalysedGoogleGrant[] = [];
  const seen = new Map<string, number>();
  scope.forEach((raw: unknown, i: number) => {
    const f = `${field}[${i}]`;
    const g = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as RawGrant;
    const justified = typeof g.justification === 'string' && !isVague(g.justification);
    const unknownKeys = Object.keys(g).filter((k) => !GOOGLE_GRANT_KEYS.includes(k) && (g as Record<string, unknown>)[k] !== undefined);
    const k = unknownKeys.map((key) => violation('NHI_SCOPE_TARGET_INVALID', `${f}.${key}`,
      ['organization', 'folder', 'billingAccount'].includes(key)
        ? `grants on ${key === 'organization' ? 'an organization' : `a ${key}`} are not supported: a governed account's roles are granted on a project or one resource, and this grant would otherwise become a project binding`
        : `is not a grant key (${GOOGLE_GRANT_KEYS.join(', ')})`,
      ['organization', 'folder', 'billingAccount'].includes(key)
        ? 'grant the role on the projects or resources the workload uses; organisation-wide access belongs to an ungoverned platform identity with its own review'
        : `remove it, or use one of ${GOOGLE_GRANT_KEYS.join(', ')}`,
      (g as Record<string, unknown>)[key], [NhiRisk.NHI5]));
    const t = targetOf(g, f, defaultProject);
    const r = roleViolations(g.role, `${f}.role`, { justified, target: t.target, project: t.project, policy });
    violations.push(...k, ...r.v, ...t.v);
    if (r.v.length > 0 || t.v.length > 0 || k.length > 0) return;
    const role = g.role as string;
    const key = `${role.toLowerCase()}|${t.target}|${t.resource}|${t.project ?? ''}`;
    if (seen.has(key)) {
      violations.push(violation('NHI_SCOPE_DUPLICATE', f, `grants the same role on the same ${t.target} as ${field}[${seen.get(key)}]`,
        'remove one of them', role, [NhiRisk.NHI5]));
      return;
    }
    seen.set(key, i);
    grants.push({
      role,
      target: t.target!,
      resource: t.resource!,
      ...(t.project !== undefined ? { project: t.project } : {}),
      custom: !role.startsWith('roles/') && !isToken(role),
      privileged: r.privileged,
      ...(typeof g.justification === 'string' ? { justification: g.justification } : {}),
    });
  });
  return { violations, grants };
}
