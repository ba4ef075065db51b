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
  const pattern = cloudTrailAlarmPattern(kind, who);
  return pattern === undefined || JSON.stringify(pattern).length <= MAX_EVENT_PATTERN_LENGTH;
}
