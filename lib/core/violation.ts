/**
 * The OWASP Non-Human Identities Top 10 (2025) risks a governance rule mitigates.
 */
export enum NhiRisk {
  /** NHI1: Improper Offboarding. */
  NHI1 = 'NHI1',
  /** NHI2: Secret Leakage. */
  NHI2 = 'NHI2',
  /** NHI3: Vulnerable Third-Party NHI. */
  NHI3 = 'NHI3',
  /** NHI4: Insecure Authentication. */
  NHI4 = 'NHI4',
  /** NHI5: Overprivileged NHI. */
  NHI5 = 'NHI5',
  /** NHI6: Insecure Cloud Deployment Configurations. */
  NHI6 = 'NHI6',
  /** NHI7: Long-Lived Secrets. */
  NHI7 = 'NHI7',
  /** NHI8: Environment Isolation. */
  NHI8 = 'NHI8',
  /** NHI9: NHI Reuse. */
  NHI9 = 'NHI9',
  /** NHI10: Human Use of NHI. */
  NHI10 = 'NHI10',
}

/** One broken governance rule, as reported by a rule function. */
export interface Violation {
  /** Stable code, `NHI_<FIELD>_<PROBLEM>` (see docs/error-codes.md). */
  readonly code: string;
  /** The prop the violation is about, as a path into the props (`owner.contact`, `scope[1].actions[0]`). */
  readonly field: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** How to fix it, in one sentence. */
  readonly fix: string;
  /**
   * The value that was given, rendered for humans (JSON for non-strings).
   * @default - nothing was given
   */
  readonly given?: string;
  /** The OWASP NHI Top 10 risks this rule mitigates. */
  readonly risks: string[];
}

/** Renders a value a user gave for an error message. */
export function renderGiven(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return JSON.stringify(value);
  // cdktf and the AWS CDK encode a number known only at deploy (Token.asNumber, a variable's
  // numberValue) as a double near ±1e289-1e299: no real setting is that large, and the number
  // itself would only confuse.
  if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) > 1e280) return '(a number token: known only at deploy, so it cannot be checked; give the number in the code)';
  try {
    return JSON.stringify(value) ?? safeString(value);
  } catch {
    return safeString(value);
  }
}

/**
 * `String(value)` that never throws: objects without a prototype (`Object.create(null)`), or
 * with a throwing `toString`, render as `[object Object]`.
 */
export function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Builds a violation (the given value is rendered with {@link renderGiven}). */
export function violation(
  code: string,
  field: string,
  message: string,
  fix: string,
  given: unknown,
  risks: NhiRisk[],
): Violation {
  const rendered = renderGiven(given);
  return { code, field, message, fix, ...(rendered === undefined ? {} : { given: rendered }), risks: [...risks] };
}
