import { NhiRisk, Violation, violation } from '../violation';

const RISKS = [NhiRisk.NHI1, NhiRisk.NHI9];
/** Words that say nothing about why an identity exists. */
export const PLACEHOLDERS = [
  'todo', 'tbd', 'tba', 'test', 'testing', 'temp', 'tmp', 'fixme', 'xxx', 'placeholder', 'n/a', 'na', 'none',
  'null', 'undefined', 'asdf', 'foo', 'bar', 'misc', 'stuff', 'something', 'whatever', 'lorem ipsum', '-', '?', '...',
];
/**
 * Placeholder words rejected as the first word of a text (`todo: write purpose later`,
 * `TBD - ask Anna`, `test service account`): what follows them is a note, not a purpose.
 */
export const LEADING_PLACEHOLDERS = [
  'todo', 'tbd', 'tba', 'tk', 'fixme', 'xxx', 'placeholder', 'test', 'testing', 'temp', 'tmp', 'wip', 'dummy',
  'changeme', 'asdf', 'foo', 'lorem', 'n/a', 'na', 'none', 'misc', 'whatever', 'something',
];
/** Placeholder words rejected anywhere in a text: they mark it as unfinished. */
export const UNFINISHED_MARKERS = ['todo', 'tbd', 'fixme', 'xxx', 'placeholder', 'lorem', 'changeme'];
/**
 * Words that name no subject or object of their own: a text made only of these (and of
 * {@link PLACEHOLDERS}) is generic — `needed by the app`, `service account for the project`,
 * `used by our system`. A purpose needs at least two words outside this list.
 */
export const GENERIC_WORDS = [
  'a', 'an', 'the', 'this', 'that', 'these', 'those', 'it', 'its', 'our', 'my', 'your', 'their', 'we', 'us', 'i',
  'by', 'for', 'to', 'of', 'in', 'on', 'at', 'with', 'from', 'and', 'or', 'as', 'so', 'is', 'are', 'be', 'was', 'will',
  'do', 'does', 'just', 'only', 'also', 'etc', 'some', 'any', 'all', 'various', 'other', 'general', 'generic',
  'needed', 'need', 'needs', 'required', 'requires', 'require', 'used', 'uses', 'use', 'using', 'usage', 'for',
  'app', 'apps', 'application', 'applications', 'service', 'services', 'account', 'accounts', 'sa', 'identity',
  'identities', 'key', 'keys', 'api', 'access', 'system', 'systems', 'workload', 'workloads', 'purpose', 'purposes',
  'default', 'main', 'thing', 'things', 'permission', 'permissions', 'role', 'roles', 'user', 'users', 'project',
  'projects', 'team', 'prod', 'production', 'dev', 'development', 'staging', 'env', 'environment', 'cloud', 'aws',
  'gcp', 'google', 'iam', 'new', 'old', 'everything', 'really', 'here', 'there', 'now', 'stuff', 'misc', 'work', 'works', 'working', 'things', 'code', 'backend', 'frontend',
];
/** Longest purpose accepted (tags and descriptions truncate further). */
export const MAX_PURPOSE_LENGTH = 500;

const SHORT = 'is a placeholder or has fewer than three words';
const PLACEHOLDER_SET = new Set(PLACEHOLDERS);
const GENERIC_SET = new Set(GENERIC_WORDS);

const ASCII = /^[\x00-\x7f]*$/;

const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57); // a-z, 0-9
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** {@link words} of lower-case ASCII text, in one pass (no regular expression per word). */
function asciiWords(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const start = i;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    // Trim what is neither a letter, a digit nor '/' at both ends; keep words with a letter or digit.
    let a = start;
    let b = i;
    while (a < b && !isWordChar(text.charCodeAt(a)) && text.charCodeAt(a) !== 47) a++;
    while (b > a && !isWordChar(text.charCodeAt(b - 1)) && text.charCodeAt(b - 1) !== 47) b--;
    let word = false;
    for (let k = a; k < b && !word; k++) word = isWordChar(text.charCodeAt(k));
    if (word) out.push(text.slice(a, b));
  }
  return out;
}

/** The text's words, lower case, without leading and trailing punctuation. */
function words(text: string): string[] {
  const lower = text.toLowerCase();
  // ASCII text (most purposes): the same as the Unicode classes below, several times faster.
  if (ASCII.test(lower)) return asciiWords(lower);
  return lower.split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}/]+|[^\p{L}\p{N}/]+$/gu, ''))
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/**
 * Why a text says nothing a reviewer can judge, or undefined when it does:
 * - a placeholder (`todo`, `n/a`, ...) or fewer than three words;
 * - a placeholder as its first word (`todo: write purpose later`, `test service account`);
 * - an unfinished marker anywhere (`todo`, `tbd`, `fixme`, `xxx`, `placeholder`, ...);
 * - generic: fewer than two words outside {@link GENERIC_WORDS} (`needed by the app`).
 */
export function vagueness(text: string): string | undefined {
  const normalised = text.trim().toLowerCase().replace(/[.!?]+$/, '');
  if (PLACEHOLDER_SET.has(normalised)) return SHORT;
  const ws = words(normalised);
  if (ws.length < 3) return SHORT;
  // "todo todo todo", "test test test": a placeholder repeated.
  if (ws.every((w) => PLACEHOLDER_SET.has(w))) return SHORT;
  if (LEADING_PLACEHOLDERS.includes(ws[0])) return `starts with the placeholder '${ws[0]}'`;
  const marker = ws.find((w) => UNFINISHED_MARKERS.includes(w));
  if (marker) return `contains the placeholder '${marker}'`;
  const specific = ws.filter((w) => !GENERIC_SET.has(w) && !PLACEHOLDER_SET.has(w));
  if (specific.length < 2) return 'is generic: it names no subject and object (what uses the identity, and what for)';
  return undefined;
}

/** True when a text is a placeholder, too short or generic (see {@link vagueness}). */
export function isVague(text: string): boolean {
  return typeof text !== 'string' || vagueness(text) !== undefined;
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
  const vague = vagueness(purpose);
  if (vague !== undefined) {
    return [violation('NHI_PURPOSE_VAGUE', field, vague,
      "say what uses the identity and for what, e.g. 'Reads nightly billing exports for the reporting job'", purpose, RISKS)];
  }
  if (purpose.length > MAX_PURPOSE_LENGTH) {
    return [violation('NHI_PURPOSE_TOO_LONG', field, `is longer than ${MAX_PURPOSE_LENGTH} characters`,
      'shorten it to one or two sentences and link to design docs instead', `${purpose.slice(0, 40)}…`, RISKS)];
  }
  return [];
}
