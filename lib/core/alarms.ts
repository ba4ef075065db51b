import { RegisterAlarm } from './register';

/**
 * The notifications every target sends an identity's owner, with what each means and what the
 * owner should do. Documented in docs/cdktf-aws.md ("Notifications and alarms").
 */
export const ALARM_KINDS = {
  'expiry-reminder': {
    when: (reminderDate: string | undefined, expires: string) => (reminderDate
      ? `on ${reminderDate}, before the identity expires on ${expires}`
      : `not sent: the identity was declared the day before it expires (${expires}), no day is left for a reminder; the expiry notice is sent`),
    action: 'Re-attest and extend `expires` in code (within the policy), or let it lapse and remove it.',
  },
  'expired': {
    when: (_r: string | undefined, expires: string) => `on ${expires} at 00:00 UTC, when the cloud stops honouring the identity`,
    action: 'Remove the identity from code (offboarding), or extend `expires` if it is still needed.',
  },
  'access-denied': {
    when: () => 'when CloudTrail records an AccessDenied or UnauthorizedOperation error for the identity (5-minute sum >= 1)',
    action: 'Check whether the workload needs more scope (change it in code) or whether the identity is being misused.',
  },
  'key-created': {
    when: () => 'when CloudTrail records an access key created for the identity by anyone but its rotation function (EventBridge; needs a trail with management events)',
    action: 'Expected only from the rotation function; any other key is a leak risk: delete it and find who created it.',
  },
  'policy-changed': {
    when: () => 'when CloudTrail records a change to the identity\'s policies, permissions boundary, trust or groups (EventBridge; needs a trail with management events)',
    action: 'Governed permissions change only in code: revert the change (deploy again) and find who made it.',
  },
  'access-denied-event': {
    when: () => 'when CloudTrail records a write call by the identity failing with AccessDenied or UnauthorizedOperation (EventBridge; needs a trail with management events)',
    action: 'Check whether the workload needs more scope (change it in code) or whether the identity is being misused.',
  },
  'credential-disabled': {
    when: (_r: string | undefined, expires: string) => `on ${expires} at 00:00 UTC the static credential is disabled`,
    action: 'Consumers of the credential stop working; remove it from code or extend `expires`.',
  },
} as const;

/** The register view of one notification. */
export function alarm(kind: keyof typeof ALARM_KINDS, reminderDate: string | undefined, expires: string, notifies: string): RegisterAlarm {
  return sharedAlarm(kind, reminderDate, expires, notifies, () => ({ kind, description: ALARM_KINDS[kind].when(reminderDate, expires), notifies }));
}

const alarms = new Map<string, RegisterAlarm>();

/**
 * One frozen alarm object per kind, dates and recipient, shared by every identity that has it
 * (identities of one owner expiring the same day have the same alarms: no copy per identity).
 */
export function sharedAlarm(kind: string, reminderDate: string | undefined, expires: string, notifies: string, make: () => RegisterAlarm): RegisterAlarm {
  const key = `${kind}|${reminderDate ?? ''}|${expires}|${notifies}`;
  let a = alarms.get(key);
  if (!a) {
    a = Object.freeze(make());
    if (alarms.size > 10_000) alarms.clear();
    alarms.set(key, a);
  }
  return a;
}

/** Subject and body of the e-mail a scheduled notification sends. */
export function noticeMessage(kind: 'expiry-reminder' | 'expired', expires: string, identities: string[]): { subject: string; body: string } {
  const list = [...identities].sort().map((p) => `  - ${p}`).join('\n');
  const subject = kind === 'expiry-reminder' ? `[nhi] identities expire on ${expires}` : `[nhi] identities expired on ${expires}`;
  const body = `${kind === 'expiry-reminder' ? `These non-human identities expire on ${expires}` : `These non-human identities expired today (${expires})`}:\n${list}\n\n${ALARM_KINDS[kind].action}`;
  return { subject, body };
}
