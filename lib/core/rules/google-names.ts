import { NhiRisk, Violation, violation } from '../violation';
import { isToken } from './aws-scope';

/** `google_service_account.account_id`: 6-30 characters, a lowercase letter first, no trailing hyphen. */
export const GOOGLE_ACCOUNT_ID = /^[a-z]([-a-z0-9]*[a-z0-9])$/;
/** Google project ids: 6-30 characters of lowercase letters, digits and hyphens, a letter first. */
export const GOOGLE_PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
/** RFC 1034 labels, as `google_apikeys_key.name` requires: `[a-z]([a-z0-9-]{0,61}[a-z0-9])?`. */
export const RFC1034_LABEL = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** Longest `google_service_account.description`, in UTF-8 bytes. */
export const GOOGLE_DESCRIPTION_MAX_BYTES = 256;
/** Longest `google_service_account.display_name`, in UTF-8 bytes. */
export const GOOGLE_DISPLAY_NAME_MAX_BYTES = 100;
/** Longest `google_apikeys_key.name`. */
export const GOOGLE_API_KEY_NAME_MAX = 63;
/**
 * Characters a governed API key adds to its name for rotation: `-` and the 10-digit Unix time
 * of the current rotation period (a deleted key's name cannot be reused for 30 days).
 */
export const GOOGLE_API_KEY_ROTATION_SUFFIX = 11;

const RISKS = [NhiRisk.NHI1];

/** Length of a string in UTF-8 bytes. */
export function utf8Length(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/**
 * Truncates `value` to at most `maxBytes` UTF-8 bytes without splitting a character, ending in
 * `…` when anything was cut.
 */
export function truncateUtf8(value: string, maxBytes: number): string {
  if (utf8Length(value) <= maxBytes) return value;
  const ellipsis = '…';
  const budget = maxBytes - utf8Length(ellipsis);
  let out = '';
  let used = 0;
  for (const ch of value) {
    const n = utf8Length(ch);
    if (used + n > budget) break;
    out += ch;
    used += n;
  }
  return out.trimEnd() + ellipsis;
}

function suggestId(value: string, max: number): string {
  let s = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^[^a-z]+/, '');
  s = s.slice(0, max).replace(/-+$/, '');
  return s.length >= 6 ? s : `${s || 'svc'}-account`.slice(0, max);
}

/** `accountId` of a Google service account: 6-30 characters matching {@link GOOGLE_ACCOUNT_ID}. */
export function checkGoogleAccountId(accountId: unknown, field = 'accountId'): Violation[] {
  if (typeof accountId !== 'string' || accountId === '') {
    return [violation('NHI_NAME_INVALID', field, 'a service account needs an account id reviewers can find in the cloud',
      "set an id such as 'billing-report-reader' (6-30 characters)", accountId ?? undefined, RISKS)];
  }
  if (isToken(accountId)) return [];
  if (accountId.length < 6 || accountId.length > 30 || !GOOGLE_ACCOUNT_ID.test(accountId)) {
    return [violation('NHI_NAME_INVALID', field,
      'must be 6-30 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen',
      `use e.g. '${suggestId(accountId, 30)}'`, accountId, RISKS)];
  }
  return [];
}

/** `project` of a governed Google identity: a project id (tokens are accepted as they are). */
export function checkGoogleProject(project: unknown, field = 'project'): Violation[] {
  if (typeof project !== 'string' || project.trim() === '') {
    return [violation('NHI_PROJECT_INVALID', field, 'a governed Google identity needs the project it lives in',
      "set project to the project id, e.g. 'acme-billing-prod'", project ?? undefined, [NhiRisk.NHI8])];
  }
  if (isToken(project)) return [];
  if (!GOOGLE_PROJECT_ID.test(project)) {
    return [violation('NHI_PROJECT_INVALID', field,
      'is not a project id (6-30 lowercase letters, digits and hyphens, starting with a letter); project numbers and names are not accepted',
      "use the project id, e.g. 'acme-billing-prod'", project, [NhiRisk.NHI8])];
  }
  return [];
}

/**
 * `name` of a governed API key. The key's cloud name is `<name>-<unix time of the rotation>`, so
 * `name` may use at most 63 - {@link GOOGLE_API_KEY_ROTATION_SUFFIX} = 52 characters of RFC 1034.
 */
export function checkGoogleApiKeyName(name: unknown, field = 'name'): Violation[] {
  const max = GOOGLE_API_KEY_NAME_MAX - GOOGLE_API_KEY_ROTATION_SUFFIX;
  if (typeof name !== 'string' || name === '') {
    return [violation('NHI_NAME_INVALID', field, 'an API key needs a name reviewers can find in the cloud',
      "set a name such as 'partner-globex-maps'", name ?? undefined, RISKS)];
  }
  if (isToken(name)) return [];
  if (name.length > max || !RFC1034_LABEL.test(name)) {
    return [violation('NHI_NAME_INVALID', field,
      `must be an RFC 1034 label of at most ${max} characters (lowercase letters, digits and hyphens, a letter first, no trailing hyphen; ` +
      `${GOOGLE_API_KEY_ROTATION_SUFFIX} of Google's 63 are taken by the rotation suffix)`,
      `use e.g. '${suggestId(name, max)}'`, name, RISKS)];
  }
  return [];
}
