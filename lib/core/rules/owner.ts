import { ResolvedGovernancePolicy } from '../policy';
import { NhiRisk, safeString, Violation, violation } from '../violation';

const RISKS = [NhiRisk.NHI1, NhiRisk.NHI9];
const TEAM = /^[a-z0-9]+(-[a-z0-9]+)*$/;
// Deliberately practical: one @, no spaces, a dotted domain with a 2+ letter TLD.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** True for a syntactically valid e-mail address. */
export function isEmail(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 254 && EMAIL.test(value) && !value.includes('..');
}

/** True for a valid team slug. */
export function isTeamSlug(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 63 && TEAM.test(value);
}

/** Owner: a team slug and a contact e-mail, both allowed by the policy. */
export function checkOwner(owner: unknown, policy: ResolvedGovernancePolicy): Violation[] {
  if (owner === undefined || owner === null || typeof owner !== 'object') {
    return [violation('NHI_OWNER_MISSING', 'owner', 'every identity needs an accountable owner',
      "set owner: { team: 'my-team', contact: 'my-team@example.com' }", owner ?? undefined, RISKS)];
  }
  const { team, contact } = owner as { team?: unknown; contact?: unknown };
  const out: Violation[] = [];
  if (team === undefined || team === null || (typeof team === 'string' && team.trim() === '')) {
    out.push(violation('NHI_OWNER_MISSING', 'owner.team', 'the owner has no team',
      "set owner.team to the team's slug, e.g. 'payments-platform'", team ?? undefined, RISKS));
  } else if (!isTeamSlug(team)) {
    out.push(violation('NHI_OWNER_TEAM_INVALID', 'owner.team', 'is not a team slug (lowercase letters, digits and single hyphens, at most 63 characters)',
      `use a slug such as '${slugSuggestion(team)}'`, team, RISKS));
  } else if (policy.allowedTeams && !policy.allowedTeams.includes(team as string)) {
    out.push(violation('NHI_OWNER_TEAM_NOT_ALLOWED', 'owner.team', 'is not one of the teams the governance policy allows',
      `use one of: ${policy.allowedTeams.join(', ')}`, team, RISKS));
  }
  if (contact === undefined || contact === null || (typeof contact === 'string' && contact.trim() === '')) {
    out.push(violation('NHI_OWNER_MISSING', 'owner.contact', 'the owner has no contact',
      "set owner.contact to the team's e-mail address, e.g. 'payments@example.com'", contact ?? undefined, RISKS));
  } else if (!isEmail(contact)) {
    out.push(violation('NHI_OWNER_CONTACT_INVALID', 'owner.contact', 'is not an e-mail address',
      "set owner.contact to an address alarms can reach, e.g. 'payments@example.com'", contact, RISKS));
  } else if (policy.allowedOwnerDomains) {
    const domain = (contact as string).split('@')[1].toLowerCase();
    if (!policy.allowedOwnerDomains.some((d) => d.toLowerCase() === domain)) {
      out.push(violation('NHI_OWNER_DOMAIN_NOT_ALLOWED', 'owner.contact', `is not in an e-mail domain the governance policy allows`,
        `use an address at ${policy.allowedOwnerDomains.join(' or ')}`, contact, RISKS));
    }
  }
  return out;
}

function slugSuggestion(value: unknown): string {
  const s = (typeof value === 'string' ? value : safeString(value)).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  return s || 'my-team';
}
