import { isToken } from './aws-scope';
import { NhiRisk, Violation, violation } from '../violation';

/** Tokens as both frameworks write them into strings: `${Token[TOKEN.12]}`, `${TfToken[TOKEN.3]}`, `#{Token[TOKEN.7]}`. */
const TOKEN_TEXT = /[$#]\{[^}]*\}/g;

/**
 * The characters of a name known before deployment: the text around its tokens (a
 * `CfnParameter`, `TerraformVariable`, `Fn.join`, `PhysicalName.GENERATE_IF_NEEDED`, ...). What the
 * tokens resolve to is checked at deploy time (and by the checks of the synthesised artifact).
 */
function literalText(name: string): string {
  return name.replace(TOKEN_TEXT, '');
}

/** Options of {@link checkAwsIamName}. */
export interface AwsIamNameOptions {
  /** The name may be omitted (the AWS CDK: CloudFormation then generates it). */
  readonly optional?: boolean;
}

/**
 * IAM role and user names: 1-64 characters of letters, digits and `+=,.@_-`. A name holding
 * tokens is checked as far as it is known: the text around the tokens must use those characters
 * and fit in the maximum; the rest is resolved at deploy time.
 */
export function checkAwsIamName(name: unknown, field = 'name', max = 64, options: AwsIamNameOptions = {}): Violation[] {
  if (name === undefined && options.optional) return [];
  if (typeof name !== 'string' || name === '') {
    return options.optional
      ? [violation('NHI_NAME_INVALID', field, 'is empty or not a string',
        "set a name such as 'billing-report-reader', or leave it out and CloudFormation generates one", name ?? undefined, [NhiRisk.NHI1])]
      : [violation('NHI_NAME_INVALID', field, 'an identity needs a name reviewers can find in the cloud',
        "set a name such as 'billing-report-reader'", name ?? undefined, [NhiRisk.NHI1])];
  }
  if (isToken(name)) {
    const literal = literalText(name);
    const bad = [...new Set(literal.replace(/[\w+=,.@-]/g, ''))];
    if (bad.length > 0) {
      return [violation('NHI_NAME_INVALID', field, `the text around its references holds ${bad.map((c) => JSON.stringify(c)).join(', ')}: IAM names take only letters, digits and + = , . @ _ -`,
        'use only those characters around the reference (e.g. a hyphen); what the reference resolves to is checked at deploy', name, [NhiRisk.NHI1])];
    }
    if (literal.length > max) {
      return [violation('NHI_NAME_INVALID', field, `the text around its references is already ${literal.length} characters: IAM names are at most ${max}`,
        `shorten the fixed text to leave room for what the reference resolves to (at most ${max} characters in all)`, name, [NhiRisk.NHI1])];
    }
    return [];
  }
  if (name.length > max || !/^[\w+=,.@-]+$/.test(name)) {
    return [violation('NHI_NAME_INVALID', field, `must be 1-${max} characters of letters, digits and + = , . @ _ -`,
      `use e.g. '${name.replace(/[^\w+=,.@-]+/g, '-').slice(0, max)}'`, name, [NhiRisk.NHI1])];
  }
  return [];
}

/**
 * API Gateway key and usage plan names: 1-128 printable characters. With tokens, the text around
 * them is checked (printable, at most 128 characters); the rest is resolved at deploy time.
 */
export function checkApiKeyName(name: unknown, field = 'name', options: AwsIamNameOptions = {}): Violation[] {
  if (name === undefined && options.optional) return [];
  const known = typeof name === 'string' && isToken(name) ? literalText(name) : name;
  const empty = typeof known !== 'string' || (known.trim() === '' && !(typeof name === 'string' && isToken(name)));
  if (empty || (known as string).length > 128 || /[\u0000-\u001f]/.test(known as string)) {
    return [violation('NHI_NAME_INVALID', field, 'must be 1-128 printable characters',
      options.optional ? "set a name such as 'partner-acme-orders', or leave it out for a generated one" : "set a name such as 'partner-acme-orders'",
      name ?? undefined, [NhiRisk.NHI1])];
  }
  return [];
}

/**
 * IAM path of a role or user: `/` or `/<segments>/`, printable ASCII without spaces, at most 512
 * characters (anything else fails at deploy, or in the AWS CDK before synth with a non-governance
 * error). Unresolved tokens are checked at deploy.
 */
export function checkIamPath(path: unknown, field = 'iamPath'): Violation[] {
  if (path === undefined || path === null || (typeof path === 'string' && isToken(path))) return [];
  if (typeof path !== 'string' || path.length > 512 || !/^\/([\u0021-\u007E]*\/)?$/.test(path)) {
    return [violation('NHI_NAME_INVALID', field, "must be an IAM path: '/' or '/<segments>/', printable ASCII without spaces, at most 512 characters",
      "use e.g. '/nhi/' or '/nhi/billing/'", path, [NhiRisk.NHI1])];
  }
  return [];
}
