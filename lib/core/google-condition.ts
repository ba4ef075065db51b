import { expiryInstant, parseIsoDate } from './dates';
import { truncateUtf8 } from './rules/google-names';

/** Longest IAM condition title Google accepts (characters; kept ASCII-safe in bytes). */
export const GOOGLE_CONDITION_TITLE_MAX = 100;
/** Longest IAM condition description this library writes (bytes). */
export const GOOGLE_CONDITION_DESCRIPTION_MAX = 256;

/** What an expiry condition says about the identity it limits. */
export interface GoogleConditionInput {
  readonly team: string;
  readonly contact: string;
  readonly purpose: string;
  /** `YYYY-MM-DD`. */
  readonly expires: string;
}

/** An IAM condition block (`condition { title, description, expression }`). */
export interface GoogleIamCondition {
  readonly title: string;
  readonly description: string;
  readonly expression: string;
}

const EXPRESSION = /^request\.time < timestamp\("(\d{4}-\d{2}-\d{2})T00:00:00Z"\)$/;

/** The CEL expression that is true until 00:00 UTC on `expires`. */
export function googleExpiryExpression(expires: string): string {
  if (parseIsoDate(expires) === undefined) throw new Error(`not a YYYY-MM-DD date: ${expires}`);
  return `request.time < timestamp("${expiryInstant(expires)}")`;
}

/**
 * The condition every binding of a governed Google identity carries, so that Google stops
 * honouring the binding at 00:00 UTC on the expiry date. Title and description name the owner
 * and the purpose; the expression is exactly {@link googleExpiryExpression}.
 */
export function googleExpiryCondition(input: GoogleConditionInput): GoogleIamCondition {
  return {
    title: truncateUtf8(`nhi: ${input.team} until ${input.expires}`, GOOGLE_CONDITION_TITLE_MAX),
    description: truncateUtf8(
      `Expires ${expiryInstant(input.expires)} (nhi-constructs). Owner ${input.team} <${input.contact}>. Purpose: ${input.purpose}`,
      GOOGLE_CONDITION_DESCRIPTION_MAX),
    expression: googleExpiryExpression(input.expires),
  };
}

/** The expiry date (`YYYY-MM-DD`) of a condition expression written by this library, or undefined. */
export function parseGoogleExpiryExpression(expression: string): string | undefined {
  const m = EXPRESSION.exec(expression);
  return m && parseIsoDate(m[1]) !== undefined ? m[1] : undefined;
}
