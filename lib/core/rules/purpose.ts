import { NhiRisk, Violation, violation } from '../violation';

const RISKS = [NhiRisk.NHI1, NhiRisk.NHI9];
/** Words that say nothing about why an identity exists. */
export const PLACEHOLDERS = [
  'todo', 'tbd', 'tba', 'test', 'testing', 'temp', 'tmp', 'fixme', 'xxx', 'placeholder', 'n/a', 'na', 'none',
  'null', 'undefined', 'asdf', 'foo', 'bar', 'misc', 'stuff', 'something', 'whatever', 'lorem ipsum', '-', '?', '...',
];
/** Longest purpose accepted (tags and descriptions truncate further). */
export const MAX_PURPOSE_LENGTH = 500;

/** True when a text is a placeholder or has fewer than three words. */
export function isVague(text: string): boolean {
  const normalised = text.trim().toLowerCase().replace(/[.!?]+$/, '');
  if (PLACEHOLDERS.includes(normalised)) return true;
  const words = normalised.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length < 3) return true;
  // "todo todo todo", "test test test": a placeholder repeated.
  return words.every((w) => PLACEHOLDERS.includes(w.replace(/[^\p{L}\p{N}/]/gu, '')));
}

/** Purpose: why the identity exists, in words a reviewer understands. */
export function checkPurpose(purpose: unknown, field = 'purpose'): Violation[] {
  if (purpose === undefined || purpose === null || (typeof purpose === 'string' && purpose.trim() === '')) {
    return [violation('NHI_PURPOSE_MISSING', field, 'every identity needs a purpose a reviewer can judge',
      "say why it exists, e.g. 'Reads nightly billing exports for the reporting job'", purpose ?? undefined, RISKS)];
  }
  if (typeof purpose !== 'string') {
    return [violation('NHI_PURPOSE_MISSING', field, 'must be a string', 'give the purpose as text', purpose, RISKS)];
  }
  if (isVague(purpose)) {
    return [violation('NHI_PURPOSE_VAGUE', field, 'is a placeholder or has fewer than three words',
      "say what uses the identity and for what, e.g. 'Reads nightly billing exports for the reporting job'", purpose, RISKS)];
  }
  if (purpose.length > MAX_PURPOSE_LENGTH) {
    return [violation('NHI_PURPOSE_TOO_LONG', field, `is longer than ${MAX_PURPOSE_LENGTH} characters`,
      'shorten it to one or two sentences and link to design docs instead', `${purpose.slice(0, 40)}…`, RISKS)];
  }
  return [];
}
