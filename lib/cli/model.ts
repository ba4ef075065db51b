// The result types of `nhi diff` (plain data, serialised as-is by `--format json`).

/** How much a change matters to a reviewer, most severe first. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Severities, most severe first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Rank of a severity: 0 for critical, 4 for info. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** The more severe of two severities. */
export function maxSeverity(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return severityRank(a) <= severityRank(b) ? a : b;
}

/** One governance change of one identity (or waiver). */
export interface Change {
  /** `identity-added`, `scope-widened`, `expiry-extended`, ... (see docs/cli.md). */
  readonly kind: string;
  readonly severity: Severity;
  /** One line, markdown-light (inline code in backticks). */
  readonly summary: string;
  /** Further lines for the collapsed details. */
  readonly details?: string[];
  /** It grants more access than before (new identity, new action/resource/role/stage, new credential). */
  readonly widens?: boolean;
  /** It grants a privileged or credential-exposing action or role. */
  readonly privileged?: boolean;
  /** It moves an identity's or a waiver's expiry later. */
  readonly expiryExtended?: boolean;
  /** Good news: it removes access or an identity. */
  readonly good?: boolean;
  /**
   * For a widening or narrowing of AWS access: the resources granted before and after for the
   * actions concerned (a narrowing from `incoming/*` to `incoming/site-a/*` shows both).
   */
  readonly resources?: { readonly before: string[]; readonly after: string[] };
}

/** What changed for one identity between base and head. */
export interface IdentityDiff {
  /** Its construct path in head (in base if removed). */
  readonly path: string;
  readonly status: 'added' | 'removed' | 'changed' | 'moved';
  /** Its path in base, when it moved. */
  readonly from?: string;
  readonly cloud: string;
  readonly kind: string;
  readonly owner: { readonly team: string; readonly contact: string };
  readonly purpose: string;
  readonly changes: Change[];
  readonly severity: Severity;
}

/** A change to a waiver that is not about one identity of the registers (e.g. on a resource type). */
export interface WaiverDiff {
  /** What the waiver is on: a construct path or a resource type. */
  readonly target: string;
  readonly changes: Change[];
  readonly severity: Severity;
}

/** The whole result of `nhi diff`. */
export interface RegisterDiff {
  /** The date "expires in" and policy limits were judged against. */
  readonly today: string;
  readonly identities: IdentityDiff[];
  readonly waivers: WaiverDiff[];
  /** The most severe change, or undefined when nothing changed. */
  readonly severity?: Severity;
  /** One line for a reviewer. */
  readonly verdict: string;
  readonly counts: {
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
    readonly unchanged: number;
    readonly widened: number;
    readonly privileged: number;
    readonly expiryExtended: number;
  };
}
