import { GOOGLE_DESCRIPTION_MAX_BYTES, GOOGLE_DISPLAY_NAME_MAX_BYTES, truncateUtf8, utf8Length } from './rules/google-names';

/**
 * `google_service_account` takes no labels, so its governance goes into `description` in this
 * fixed, parseable form (at most 256 bytes; only the purpose is shortened, with `…`; `system=` only
 * when the identity declares its workload):
 *
 *     nhi owner=<team> contact=<e-mail> [system=<system> ]expires=<YYYY-MM-DD> purpose=<purpose>
 */
export const GOOGLE_DESCRIPTION_FORMAT = 'nhi owner=<team> contact=<e-mail> [system=<system> ]expires=<YYYY-MM-DD> purpose=<purpose>';

/** What a service account's description and display name say. */
export interface GoogleDescriptionInput {
  readonly team: string;
  readonly contact: string;
  readonly purpose: string;
  /** `YYYY-MM-DD`. */
  readonly expires: string;
  /**
   * The workload that uses the identity (governance `system`).
   * @default - none: no `system=` in the description
   */
  readonly system?: string;
}

const PARSE = /^nhi owner=([a-z0-9-]+) contact=(\S+) (?:system=([a-z0-9._-]+) )?expires=(\d{4}-\d{2}-\d{2}) purpose=([\s\S]*)$/;

/** The service account's description, in {@link GOOGLE_DESCRIPTION_FORMAT}, at most 256 bytes. */
export function googleServiceAccountDescription(input: GoogleDescriptionInput): string {
  // Teams and systems are at most 63 bytes and e-mails 254: shorten an extreme contact so the purpose keeps 24 bytes.
  const system = input.system ? `system=${input.system} ` : '';
  const fixed = utf8Length(`nhi owner=${input.team} contact= ${system}expires=${input.expires} purpose=`);
  const contact = truncateUtf8(input.contact, Math.max(8, GOOGLE_DESCRIPTION_MAX_BYTES - fixed - 24));
  const head = `nhi owner=${input.team} contact=${contact} ${system}expires=${input.expires} purpose=`;
  const purpose = input.purpose.replace(/\s+/g, ' ').trim();
  return head + truncateUtf8(purpose, Math.max(0, GOOGLE_DESCRIPTION_MAX_BYTES - utf8Length(head)));
}

/** Reads a description written by {@link googleServiceAccountDescription}; undefined for any other text. */
export function parseGoogleServiceAccountDescription(description: string): GoogleDescriptionInput | undefined {
  const m = PARSE.exec(description);
  return m ? { team: m[1], contact: m[2], ...(m[3] ? { system: m[3] } : {}), expires: m[4], purpose: m[5] } : undefined;
}

/**
 * The service account's display name (at most 100 bytes): `<purpose> [nhi <team> until <date>]`,
 * the purpose shortened with `…` so the bracketed part is always whole.
 */
export function googleServiceAccountDisplayName(input: GoogleDescriptionInput): string {
  const tail = ` [nhi ${input.team} until ${input.expires}]`;
  const purpose = input.purpose.replace(/\s+/g, ' ').trim();
  return truncateUtf8(purpose, GOOGLE_DISPLAY_NAME_MAX_BYTES - utf8Length(tail)) + tail;
}
