import { ALARM_KINDS, sharedAlarm } from './alarms';
import { RegisterAlarm } from './register';

/**
 * The notifications governed Google identities send their owner: what each means and what the
 * owner should do. `expiry-reminder` and `expired` are the same notices as on every target
 * ({@link ALARM_KINDS}); the others are Google's own wording of the shared kinds, plus
 * `key-created` and `key-used`.
 */
export const GOOGLE_ALARM_KINDS = {
  'expiry-reminder': ALARM_KINDS['expiry-reminder'],
  'expired': ALARM_KINDS.expired,
  'access-denied': {
    when: () => 'when Cloud Audit Logs record a PERMISSION_DENIED error for the service account in its project',
    action: 'Check whether the workload needs more scope (change it in code) or whether the account is being misused; after the expiry date every call is denied.',
  },
  'key-created': {
    when: () => 'when a key is created or uploaded for the service account (Cloud Audit Logs, CreateServiceAccountKey / UploadServiceAccountKey)',
    action: 'Expected only for governed keys on rotation; any other key is a leak risk: delete it and find who created it.',
  },
  'key-used': {
    when: () => 'when Cloud Audit Logs record a call authenticated with a key of the service account other than its governed keys (Admin Activity logs always; reads only where Data Access logs are enabled)',
    action: 'An ungoverned key is in use: delete it and find out who created and used it.',
  },
  'credential-disabled': {
    when: (_r: string | undefined, expires: string) => `on ${expires} at 00:00 UTC the credential is disabled (service account key) or deleted (API key) by Cloud Scheduler`,
    action: 'Consumers of the credential stop working; remove it from code or extend `expires`.',
  },
} as const;

/** A Google notification kind. */
export type GoogleAlarmKind = keyof typeof GOOGLE_ALARM_KINDS;

/** The register view of one Google notification. */
export function googleAlarm(kind: GoogleAlarmKind, reminderDate: string | undefined, expires: string, notifies: string): RegisterAlarm {
  return sharedAlarm(`google:${kind}`, reminderDate, expires, notifies, () => ({ kind, description: GOOGLE_ALARM_KINDS[kind].when(reminderDate, expires), notifies }));
}
