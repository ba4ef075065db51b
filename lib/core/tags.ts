/** Prefix of every tag key (AWS) this library writes. */
export const AWS_TAG_PREFIX = 'nhi:';
/** Prefix of every label key (Google) this library writes. */
export const GOOGLE_LABEL_PREFIX = 'nhi-';
/** Value of the managed-by tag/label. */
export const MANAGED_BY = 'nhi-constructs';

/** What tags and labels say about an identity. */
export interface GovernanceTagInput {
  readonly team: string;
  readonly contact: string;
  readonly purpose: string;
  readonly expires: string;
  /** Construct path of the governed construct (ties a cloud resource to its register entry). */
  readonly path: string;
  readonly rotationDays?: number;
  /** The workload that uses the identity. */
  readonly system?: string;
  /** Its environment. */
  readonly environment?: string;
  /** The third party that uses it (vendor name). */
  readonly vendor?: string;
  /** The approval ticket. */
  readonly approval?: string;
}

/** Field order of the tag set, one documented list for both clouds. */
const FIELDS: [string, (i: GovernanceTagInput) => string | undefined][] = [
  ['owner-team', (i) => i.team],
  ['owner-contact', (i) => i.contact],
  ['purpose', (i) => i.purpose],
  ['expires', (i) => i.expires],
  ['rotation-days', (i) => (i.rotationDays === undefined ? undefined : String(i.rotationDays))],
  ['system', (i) => i.system],
  ['environment', (i) => i.environment],
  ['vendor', (i) => i.vendor],
  ['approval', (i) => i.approval],
  ['managed-by', () => MANAGED_BY],
  ['id', (i) => i.path],
];

/**
 * Sanitises a tag value to AWS's charset (letters, digits, spaces and `_ . : / = + - @`) and
 * 256 characters: other characters become spaces, runs of spaces collapse.
 */
export function sanitizeAwsTagValue(value: string): string {
  // Fast path (most values): plain ASCII in the allowed set, no runs of spaces, within 256.
  if (value.length <= 256 && /^[A-Za-z0-9_.:/=+\-@]+( [A-Za-z0-9_.:/=+\-@]+)*$/.test(value)) return value;
  const cleaned = value.replace(/[^\p{L}\p{N}\s_.:/=+\-@]/gu, ' ').replace(/\s+/g, ' ').trim();
  return Array.from(cleaned).slice(0, 256).join('').trim();
}

/**
 * Sanitises a Google label value: lowercase letters, digits, `_` and `-`, at most 63 characters
 * (`@` becomes `_at_`, anything else `_`).
 */
export function sanitizeGoogleLabelValue(value: string): string {
  if (value.length <= 63 && /^[a-z0-9-]*$/.test(value) && !/^_|_$/.test(value)) return value;
  return value
    .toLowerCase()
    .replace(/@/g, '_at_')
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 63);
}

/** The AWS tags of a governed identity and every taggable resource it creates, keys in a fixed order. */
export function awsGovernanceTags(input: GovernanceTagInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, f] of FIELDS) {
    const v = f(input);
    if (v !== undefined) out[`${AWS_TAG_PREFIX}${k}`] = sanitizeAwsTagValue(v);
  }
  return out;
}

/** The Google labels of every labelable resource a governed identity creates. */
export function googleGovernanceLabels(input: GovernanceTagInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, f] of FIELDS) {
    const v = f(input);
    if (v !== undefined) out[`${GOOGLE_LABEL_PREFIX}${k}`] = sanitizeGoogleLabelValue(v);
  }
  return out;
}
