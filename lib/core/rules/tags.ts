import { ResolvedGovernancePolicy } from '../policy';
import { NhiRisk, Violation, violation } from '../violation';
import { isToken } from './aws-scope';

/** Extra tags a governed construct declares: a map of non-empty strings, carrying the policy's required tags. */
export function checkTags(tags: unknown, policy: ResolvedGovernancePolicy, field = 'tags'): Violation[] {
  const out: Violation[] = [];
  const risks = [NhiRisk.NHI1];
  if (tags !== undefined && tags !== null && (typeof tags !== 'object' || Array.isArray(tags)
    || Object.entries(tags).some(([k, v]) => k.trim() === '' || typeof v !== 'string'))) {
    return [violation('NHI_TAG_INVALID', field, 'must map tag keys to string values', "set e.g. tags: { 'cost-center': 'cc-1234' }", tags, risks)];
  }
  // A map known only at deploy (a map token: its one key is the token) cannot be merged with the
  // governance tags, nor checked against the policy's required tags. Values may be tokens.
  if (tags !== undefined && tags !== null && Object.keys(tags).some((k) => isToken(k))) {
    return [violation('NHI_TAG_INVALID', field, 'is a map known only at deploy (a map token): its tags cannot be merged with the governance tags or checked',
      "give the tags as a map written in the code; each value may be a reference, e.g. tags: { 'cost-center': costCenter.stringValue }", tags, risks)];
  }
  const given = (tags ?? {}) as Record<string, string>;
  for (const [key, allowed] of Object.entries(policy.requiredTags)) {
    const value = given[key];
    if (value === undefined || value.trim() === '') {
      out.push(violation('NHI_TAG_MISSING', `${field}.${key}`, 'the governance policy requires this tag',
        allowed.length > 0 ? `set tags['${key}'] to one of: ${allowed.join(', ')}` : `set tags['${key}']`, value, risks));
    } else if (allowed.length > 0 && !allowed.includes(value)) {
      out.push(violation('NHI_TAG_NOT_ALLOWED', `${field}.${key}`, 'is not a value the governance policy allows',
        `use one of: ${allowed.join(', ')}`, value, risks));
    }
  }
  return out;
}
