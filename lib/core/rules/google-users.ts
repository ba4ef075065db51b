import { NhiRisk, Violation, violation } from '../violation';
import { isToken } from './aws-scope';
import { isEmail } from './owner';
import { isVague } from './purpose';

/**
 * Roles that let a member *use* a Google service account, granted on the account itself
 * (`google_service_account_iam_member`): the only roles `usedBy` grants. Roles granted *to* the
 * account belong in its `scope`.
 *
 * - `roles/iam.serviceAccountUser` (actAs): attach the account to a resource (a deployer);
 * - the other three: act as it at run time (mint its access / ID tokens, or federate into it).
 */
export const GOOGLE_ACCOUNT_USER_ROLES: readonly string[] = [
  'roles/iam.serviceAccountUser',
  'roles/iam.serviceAccountTokenCreator',
  'roles/iam.serviceAccountOpenIdTokenCreator',
  'roles/iam.workloadIdentityUser',
];

/** The role of {@link GOOGLE_ACCOUNT_USER_ROLES} that only deploys (attaches the account); the others run as it. */
export const GOOGLE_DEPLOYER_ROLE = 'roles/iam.serviceAccountUser';

/**
 * What an IAM member string names:
 * - `workload`: a service account, a GKE workload, a workload identity pool subject or set;
 * - `human`: `user:`, `group:`, `domain:`, project convenience members, workforce pool identities;
 * - `public`: `allUsers`, `allAuthenticatedUsers`, a whole workload identity pool (`.../*`);
 * - `invalid`: anything else (including `deleted:` members).
 */
export type GoogleMemberKind = 'workload' | 'human' | 'public' | 'invalid';

/** A classified IAM member. */
export interface GoogleMemberInfo {
  readonly kind: GoogleMemberKind;
  /** The Google project id the member lives in, when the member string names it (service accounts, GKE workloads). */
  readonly project?: string;
  /** What it is, in words, for messages. */
  readonly what: string;
}

const SA_EMAIL = /^[^@\s]+@([a-z][-a-z0-9]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/;
const APPSPOT = /^([a-z][-a-z0-9]{4,28}[a-z0-9])@appspot\.gserviceaccount\.com$/;
const GKE = /^([a-z][-a-z0-9]{4,28}[a-z0-9])\.svc\.id\.goog\[[^/\]]+\/[^/\]]+\]$/;
const FEDERATED = /^principal(Set)?:\/\/iam\.googleapis\.com\/(projects\/[^/]+\/)?locations\/[^/]+\/(workloadIdentityPools|workforcePools)\/[^/]+\/.+$/;

/** Classifies an IAM member string (tokens are taken to be workloads: they reference one). */
export function classifyGoogleMember(member: string): GoogleMemberInfo {
  if (isToken(member)) return { kind: 'workload', what: 'a referenced member' };
  if (member === 'allUsers' || member === 'allAuthenticatedUsers') {
    return { kind: 'public', what: member === 'allUsers' ? 'everyone on the internet' : 'every Google account' };
  }
  const colon = member.indexOf(':');
  const prefix = colon < 0 ? '' : member.slice(0, colon);
  const rest = colon < 0 ? '' : member.slice(colon + 1);
  switch (prefix) {
    case 'serviceAccount': {
      const gke = GKE.exec(rest);
      if (gke) return { kind: 'workload', project: gke[1], what: 'a GKE workload' };
      if (!isEmail(rest)) return { kind: 'invalid', what: 'not a service account e-mail' };
      // Google-managed service agents (service-<n>@gcp-sa-<svc>...) do not name a project.
      const sa = SA_EMAIL.exec(rest) ?? APPSPOT.exec(rest);
      const project = sa && !sa[1].startsWith('gcp-sa-') ? sa[1] : undefined;
      return { kind: 'workload', ...(project ? { project } : {}), what: 'a service account' };
    }
    case 'user':
    case 'group':
      return isEmail(rest) ? { kind: 'human', what: prefix === 'user' ? 'a person (user:)' : 'a group of people (group:)' } : { kind: 'invalid', what: 'not an e-mail address' };
    case 'domain':
      return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(rest) ? { kind: 'human', what: 'everyone of a domain (domain:)' } : { kind: 'invalid', what: 'not a domain' };
    case 'projectOwner':
    case 'projectEditor':
    case 'projectViewer':
      return { kind: 'human', what: `the ${prefix.slice(7).toLowerCase()}s of a project (${prefix}:)` };
    default:
      break;
  }
  if (FEDERATED.test(member)) {
    if (member.includes('/workforcePools/')) return { kind: 'human', what: 'a workforce identity federation identity (a person)' };
    if (member.startsWith('principalSet://') && /\/workloadIdentityPools\/[^/]+\/\*$/.test(member)) {
      return { kind: 'public', what: 'every identity of a workload identity pool' };
    }
    return { kind: 'workload', what: member.startsWith('principalSet://') ? 'a set of federated workloads' : 'a federated workload' };
  }
  return { kind: 'invalid', what: 'not an IAM member' };
}

/** One member that may use the account, after analysis. */
export interface AnalysedGoogleUser {
  readonly member: string;
  readonly role: string;
  /** `workload` or `human` (a justified human). */
  readonly kind: string;
  /** The member's project, when its string names one. */
  readonly project?: string;
  readonly justification?: string;
}

/** The outcome of {@link analyzeGoogleAccountUsers}. */
export interface GoogleUsersAnalysis {
  readonly violations: Violation[];
  /** The users; only meaningful when there are no violations. */
  readonly users: AnalysedGoogleUser[];
}

interface RawUser {
  member?: unknown;
  role?: unknown;
  justification?: unknown;
}

const RISKS = [NhiRisk.NHI10, NhiRisk.NHI9];

/**
 * Who may use a Google service account (`usedBy`), separate from the roles granted to it:
 *
 * - not a list, a member that is not an IAM member, a role that is not a usage role
 *   ({@link GOOGLE_ACCOUNT_USER_ROLES}), the same member and role twice, a vague justification:
 *   NHI_TRUST_INVALID;
 * - `allUsers`, `allAuthenticatedUsers`, a whole workload identity pool (`principalSet://.../*`):
 *   NHI_TRUST_WILDCARD (never justifiable);
 * - people (`user:`, `group:`, `domain:`, `projectOwner:`..., workforce pool identities):
 *   NHI_HUMAN_USE unless that entry has a justification;
 * - one identity per workload: at most one unjustified workload may run as the account (token
 *   creator, OpenID token creator, workload identity user) and at most one may deploy it
 *   (service account user); more are NHI_TRUST_SHARED unless each extra entry is justified.
 */
export function analyzeGoogleAccountUsers(usedBy: unknown, field = 'usedBy'): GoogleUsersAnalysis {
  if (usedBy === undefined || usedBy === null) return { violations: [], users: [] };
  if (!Array.isArray(usedBy)) {
    return {
      violations: [violation('NHI_TRUST_INVALID', field, 'must be a list of members with the role they use the account by',
        "set usedBy: [{ member: 'serviceAccount:ci@acme-ci.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountUser' }]", usedBy, RISKS)],
      users: [],
    };
  }
  const violations: Violation[] = [];
  const users: AnalysedGoogleUser[] = [];
  const seen = new Map<string, number>();
  // Distinct unjustified workloads by lowercased member, per kind of use.
  const unjustified: { deploy: Map<string, string>; run: Map<string, string> } = { deploy: new Map(), run: new Map() };
  usedBy.forEach((raw: unknown, i: number) => {
    const f = `${field}[${i}]`;
    const u = (raw && typeof raw === 'object' ? raw : {}) as RawUser;
    const v: Violation[] = [];
    let justified = false;
    if (u.justification !== undefined) {
      justified = typeof u.justification === 'string' && !isVague(u.justification);
      if (!justified) {
        v.push(violation('NHI_TRUST_INVALID', `${f}.justification`, 'is too vague to justify an exception', 'say why, in at least three words', u.justification, RISKS));
      }
    }
    let role = '';
    if (typeof u.role !== 'string' || u.role.trim() === '') {
      v.push(violation('NHI_TRUST_INVALID', `${f}.role`, 'names no role',
        `set role to one of ${GOOGLE_ACCOUNT_USER_ROLES.join(', ')}`, u.role, RISKS));
    } else if (!isToken(u.role) && !GOOGLE_ACCOUNT_USER_ROLES.includes(u.role)) {
      v.push(violation('NHI_TRUST_INVALID', `${f}.role`, 'is not a role that uses the account (usedBy grants roles on the account, not to it)',
        `use one of ${GOOGLE_ACCOUNT_USER_ROLES.join(', ')}; roles the account needs go in scope`, u.role, RISKS));
    } else {
      role = u.role;
    }
    let info: GoogleMemberInfo | undefined;
    if (typeof u.member !== 'string' || u.member.trim() === '') {
      v.push(violation('NHI_TRUST_INVALID', `${f}.member`, 'names no member',
        "set member, e.g. 'serviceAccount:ci@acme-ci.iam.gserviceaccount.com' or 'principal://iam.googleapis.com/projects/<n>/locations/global/workloadIdentityPools/<pool>/subject/<s>'", u.member, RISKS));
    } else {
      info = classifyGoogleMember(u.member);
      if (info.kind === 'invalid') {
        v.push(violation('NHI_TRUST_INVALID', `${f}.member`, `is ${info.what}`,
          "write serviceAccount:<e-mail>, principal://... or principalSet://... (a workload), e.g. 'serviceAccount:ci@acme-ci.iam.gserviceaccount.com'", u.member, RISKS));
      } else if (info.kind === 'public') {
        v.push(violation('NHI_TRUST_WILDCARD', `${f}.member`, `lets ${info.what} use the account`,
          'name the one workload that uses it (serviceAccount:<e-mail>, principal://..., or a principalSet:// narrowed by an attribute)', u.member, [NhiRisk.NHI5, NhiRisk.NHI10]));
      } else if (info.kind === 'human' && !justified) {
        v.push(violation('NHI_HUMAN_USE', `${f}.member`, `is ${info.what}, so people could act as this non-human identity`,
          `let only the workload use it; people act with their own identities (or justify: ${f}.justification, e.g. break-glass access)`, u.member, [NhiRisk.NHI10]));
      }
    }
    if (v.length === 0 && info) {
      const member = u.member as string;
      const key = `${member.toLowerCase()}|${role.toLowerCase()}`;
      if (seen.has(key)) {
        v.push(violation('NHI_TRUST_INVALID', f, `grants the same role to the same member as ${field}[${seen.get(key)}]`, 'remove one of them', member, RISKS));
      } else {
        seen.set(key, i);
        if (info.kind === 'workload' && !justified) (role === GOOGLE_DEPLOYER_ROLE ? unjustified.deploy : unjustified.run).set(member.toLowerCase(), member);
        users.push({
          member,
          role,
          kind: info.kind,
          ...(info.project ? { project: info.project } : {}),
          ...(typeof u.justification === 'string' ? { justification: u.justification } : {}),
        });
      }
    }
    violations.push(...v);
  });
  for (const [what, set] of [['run as', unjustified.run], ['deploy', unjustified.deploy]] as const) {
    if (set.size > 1) {
      violations.push(violation('NHI_TRUST_SHARED', field, `lets ${set.size} workloads ${what} the account; one identity serves one workload`,
        'declare one governed service account per workload, or justify each additional user (usedBy[i].justification)', [...set.values()], [NhiRisk.NHI9, NhiRisk.NHI10]));
    }
  }
  return { violations, users };
}
