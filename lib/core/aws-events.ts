// EventBridge alarms on CloudTrail management events for governed AWS identities: the event
// patterns, decided once for both AWS targets (cdktf-aws and aws-cdk only translate them into a
// rule resource). They need no input from the user, only a CloudTrail trail recording management
// events in the account (EventBridge receives CloudTrail's write management events).

/** The kinds of CloudTrail event alarms (register alarm kinds). */
export type CloudTrailAlarmKind = 'key-created' | 'policy-changed' | 'access-denied-event';

/** The CloudTrail event alarm kinds, in the order the adapters create them. */
export const CLOUDTRAIL_ALARM_KINDS: readonly CloudTrailAlarmKind[] = ['key-created', 'policy-changed', 'access-denied-event'];

/**
 * The session-issuer (role) name prefix of the library's own rotation functions: their key
 * creations are the expected rotations, not alarms.
 */
export const ROTATION_ROLE_PREFIX = 'nhi-rotation-';

/** IAM calls that change what a role or user may do or who may assume it. */
export const POLICY_CHANGE_EVENTS = [
  'AddUserToGroup',
  'AttachRolePolicy', 'AttachUserPolicy',
  'DeleteRolePermissionsBoundary', 'DeleteRolePolicy', 'DeleteUserPermissionsBoundary', 'DeleteUserPolicy',
  'DetachRolePolicy', 'DetachUserPolicy',
  'PutRolePermissionsBoundary', 'PutRolePolicy', 'PutUserPermissionsBoundary', 'PutUserPolicy',
  'UpdateAssumeRolePolicy',
];

/**
 * EventBridge's limit on an event pattern (2048 characters): identities are split over as many
 * rules as needed, each listing as many names as fit.
 */
export const MAX_EVENT_PATTERN_LENGTH = 2048;

/** The governed identities one rule watches (IAM names; names are unique per account). */
export interface WatchedIdentities {
  readonly roles: string[];
  readonly users: string[];
}

const DETAIL_TYPE = ['AWS API Call via CloudTrail'];

/**
 * The EventBridge event pattern of one CloudTrail alarm over the given identities, or undefined
 * when the kind does not apply to any of them (keys exist only for users).
 *
 * - `key-created`: `iam:CreateAccessKey` for a governed user, by anyone but the library's own
 *   rotation function (`ROTATION_ROLE_PREFIX`);
 * - `policy-changed`: an IAM call in {@link POLICY_CHANGE_EVENTS} on a governed role or user
 *   (escape hatches, console edits, privilege escalation);
 * - `access-denied-event`: any service's call by a governed identity failing with `AccessDenied*`
 *   or `*UnauthorizedOperation`.
 */
export function cloudTrailAlarmPattern(kind: CloudTrailAlarmKind, who: WatchedIdentities): Record<string, unknown> | undefined {
  const roles = [...new Set(who.roles)].sort();
  const users = [...new Set(who.users)].sort();
  switch (kind) {
    case 'key-created':
      if (users.length === 0) return undefined;
      return {
        'source': ['aws.iam'],
        'detail-type': DETAIL_TYPE,
        'detail': {
          eventSource: ['iam.amazonaws.com'],
          eventName: ['CreateAccessKey'],
          requestParameters: { userName: users },
          $or: [
            { userIdentity: { type: [{ 'anything-but': 'AssumedRole' }] } },
            { userIdentity: { sessionContext: { sessionIssuer: { userName: [{ 'anything-but': { prefix: ROTATION_ROLE_PREFIX } }] } } } },
          ],
        },
      };
    case 'policy-changed': {
      const targets = [
        ...(roles.length > 0 ? [{ requestParameters: { roleName: roles } }] : []),
        ...(users.length > 0 ? [{ requestParameters: { userName: users } }] : []),
      ];
      if (targets.length === 0) return undefined;
      return {
        'source': ['aws.iam'],
        'detail-type': DETAIL_TYPE,
        'detail': { eventSource: ['iam.amazonaws.com'], eventName: POLICY_CHANGE_EVENTS, ...orOf(targets) },
      };
    }
    case 'access-denied-event': {
      const callers = [
        ...(roles.length > 0 ? [{ userIdentity: { type: ['AssumedRole'], sessionContext: { sessionIssuer: { userName: roles } } } }] : []),
        ...(users.length > 0 ? [{ userIdentity: { type: ['IAMUser'], userName: users } }] : []),
      ];
      if (callers.length === 0) return undefined;
      return {
        'detail-type': DETAIL_TYPE,
        'detail': { errorCode: [{ prefix: 'AccessDenied' }, { suffix: 'UnauthorizedOperation' }], ...orOf(callers) },
      };
    }
  }
}

function orOf(alternatives: Record<string, unknown>[]): Record<string, unknown> {
  return alternatives.length === 1 ? alternatives[0] : { $or: alternatives };
}

/** Whether one rule may watch `who`: its pattern stays within EventBridge's size limit. */
export function fitsOneRule(kind: CloudTrailAlarmKind, who: WatchedIdentities): boolean {
  return patternLength(kind, who) <= MAX_EVENT_PATTERN_LENGTH;
}

/** Characters of the rule's event pattern over `who` (0 when the kind does not apply to them). */
function patternLength(kind: CloudTrailAlarmKind, who: WatchedIdentities): number {
  const pattern = cloudTrailAlarmPattern(kind, who);
  return pattern === undefined ? 0 : JSON.stringify(pattern).length;
}

/**
 * The identities of one alarm kind split over as few rules as {@link fitsOneRule} allows, in
 * order: an identity joins the last rule while its pattern fits, else starts the next rule.
 *
 * Linear in the number of identities: a name adds at most its JSON text and a comma to a pattern
 * that already lists a name of its kind (each name appears once in a pattern), so the pattern is
 * measured again only when that bound could pass the limit, or when a first role or user changes
 * the pattern's shape. The split is the one measuring every time would give.
 */
export class WatchChunks {
  /** The rules' shares, in order; the last one grows as identities are added. */
  public readonly chunks: WatchedIdentities[] = [];
  /** Upper bound on the pattern length of the last chunk. */
  private bound = 0;

  public constructor(private readonly kind: CloudTrailAlarmKind) {}

  /** Adds one identity (a role or a user name); returns its chunk and whether it is a new one. */
  public add(identity: { readonly role?: string; readonly user?: string }): { chunk: WatchedIdentities; created: boolean } {
    const { role, user } = identity;
    const last = this.chunks[this.chunks.length - 1];
    if (last) {
      const newShape = (role !== undefined && last.roles.length === 0) || (user !== undefined && last.users.length === 0);
      const growth = (role !== undefined ? JSON.stringify(role).length + 1 : 0) + (user !== undefined ? JSON.stringify(user).length + 1 : 0);
      let fits = !newShape && this.bound + growth <= MAX_EVENT_PATTERN_LENGTH;
      if (fits) {
        this.bound += growth;
      } else {
        const length = patternLength(this.kind, {
          roles: role !== undefined ? [...last.roles, role] : last.roles,
          users: user !== undefined ? [...last.users, user] : last.users,
        });
        fits = length <= MAX_EVENT_PATTERN_LENGTH;
        if (fits) this.bound = length;
      }
      if (fits) {
        if (role !== undefined) last.roles.push(role);
        if (user !== undefined) last.users.push(user);
        return { chunk: last, created: false };
      }
    }
    const chunk = { roles: role !== undefined ? [role] : [], users: user !== undefined ? [user] : [] };
    this.chunks.push(chunk);
    this.bound = patternLength(this.kind, chunk);
    return { chunk, created: true };
  }
}
