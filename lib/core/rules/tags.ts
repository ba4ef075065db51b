import { ResolvedGovernancePolicy } from '../policy';
import { NhiRisk, Violation, violation } from '../violation';

/** Extra tags a governed construct declares: a map of non-empty strings, carrying the policy's required tags. */
export function checkTags(tags: unknown, policy: ResolvedGovernancePolicy, field = 'tags'): Violation[] {
  const out: Violation[] = [];
  const risks = [NhiRisk.NHI1];
  if (tags !== undefined && tags !== null && (typeof tags !== 'object' || Array.isArray(tags)
    || Object.entries(tags).some(([k, v]) => k.trim() === '' || typeof v !== 'string'))) {
    return [violation('NHI_TAG_INVALID', field, 'must map tag keys to string values', "set e.g. tags: { 'cost-center': 'cc-1234' }", tags, risks)];
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
