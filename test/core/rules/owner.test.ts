import * as fc from 'fast-check';
import { DEFAULT_POLICY, ResolvedGovernancePolicy } from '../../../lib/core/policy';
import { checkOwner, isEmail, isTeamSlug } from '../../../lib/core/rules/owner';

const OK = { team: 'payments-platform', contact: 'payments@example.com' };
const policy = (p: Partial<ResolvedGovernancePolicy> = {}): ResolvedGovernancePolicy => ({ ...DEFAULT_POLICY, ...p });

describe('checkOwner: every identity has an accountable team and a reachable contact', () => {
  test('Compliance: a team slug and an e-mail address', () => {
    expect(checkOwner(OK, policy())).toEqual([]);
    expect(checkOwner({ team: 'a', contact: 'first.last+nhi@mail.example.co.uk' }, policy())).toEqual([]);
  });

  test.each([[undefined], [null], ['payments'], [42]])('Noncompliance 1: owner %p is NHI_OWNER_MISSING on owner', (owner) => {
    const [v, ...rest] = checkOwner(owner, policy());
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ code: 'NHI_OWNER_MISSING', field: 'owner', risks: ['NHI1', 'NHI9'] });
    expect(v.message).toMatch(/accountable owner/);
    expect(v.fix).toContain("owner: { team: 'my-team', contact: 'my-team@example.com' }");
  });

  test('Noncompliance 1b: owner {} reports both team and contact missing, with no given value', () => {
    const vs = checkOwner({}, policy());
    expect(vs.map((v) => [v.code, v.field])).toEqual([['NHI_OWNER_MISSING', 'owner.team'], ['NHI_OWNER_MISSING', 'owner.contact']]);
    expect(vs[0].given).toBeUndefined();
    expect(vs[0].fix).toMatch(/owner\.team/);
    expect(vs[1].fix).toMatch(/owner\.contact/);
  });

  test('Noncompliance 1c: blank and null team/contact are missing', () => {
    expect(checkOwner({ team: '  ', contact: null }, policy()).map((v) => v.code)).toEqual(['NHI_OWNER_MISSING', 'NHI_OWNER_MISSING']);
  });

  test.each([
    ['Payments', 'payments'],
    ['payments platform', 'payments-platform'],
    ['payments--platform', 'payments-platform'],
    ['-payments', 'payments'],
    ['payments_', 'payments'],
    ['a'.repeat(64), 'a'.repeat(63)],
  ])('Noncompliance 2: team %j is NHI_OWNER_TEAM_INVALID and suggests %j', (team, suggestion) => {
    const vs = checkOwner({ ...OK, team }, policy());
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_OWNER_TEAM_INVALID', field: 'owner.team', given: JSON.stringify(team) })]);
    expect(vs[0].message).toMatch(/lowercase letters, digits and single hyphens/);
    expect(vs[0].fix).toBe(`use a slug such as '${suggestion}'`);
  });

  test('Noncompliance 2b: a non-string team is invalid, not a crash', () => {
    expect(checkOwner({ ...OK, team: 7 }, policy())).toEqual([expect.objectContaining({ code: 'NHI_OWNER_TEAM_INVALID', given: '7' })]);
    expect(checkOwner({ ...OK, team: '!!!' }, policy())[0].fix).toBe("use a slug such as 'my-team'");
  });

  test('Noncompliance 3: a team the policy does not allow is NHI_OWNER_TEAM_NOT_ALLOWED', () => {
    const vs = checkOwner(OK, policy({ allowedTeams: ['identity', 'data-platform'] }));
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_OWNER_TEAM_NOT_ALLOWED', field: 'owner.team', given: '"payments-platform"' })]);
    expect(vs[0].fix).toBe('use one of: identity, data-platform');
    expect(checkOwner(OK, policy({ allowedTeams: ['payments-platform'] }))).toEqual([]);
  });

  test.each([
    'payments', 'payments@', '@example.com', 'pay ments@example.com', 'payments@example', 'payments@example.c',
    'a@b@example.com', 'payments@exa_mple.com', 'payments@-example.com', 'pay..ments@example.com', 'payments@example..com',
  ])('Noncompliance 4: contact %j is NHI_OWNER_CONTACT_INVALID', (contact) => {
    const vs = checkOwner({ ...OK, contact }, policy());
    expect(vs).toEqual([expect.objectContaining({ code: 'NHI_OWNER_CONTACT_INVALID', field: 'owner.contact', given: JSON.stringify(contact) })]);
    expect(vs[0].message).toBe('is not an e-mail address');
    expect(vs[0].fix).toMatch(/address alarms can reach/);
  });

  test('Noncompliance 5: a contact outside the allowed domains is NHI_OWNER_DOMAIN_NOT_ALLOWED (subdomains do not match)', () => {
    const p = policy({ allowedOwnerDomains: ['example.com', 'example.org'] });
    for (const contact of ['payments@other.com', 'payments@eu.example.com']) {
      const vs = checkOwner({ ...OK, contact }, p);
      expect(vs).toEqual([expect.objectContaining({ code: 'NHI_OWNER_DOMAIN_NOT_ALLOWED', field: 'owner.contact', given: JSON.stringify(contact) })]);
      expect(vs[0].fix).toBe('use an address at example.com or example.org');
    }
  });

  test('Compliance: allowed domains match case-insensitively', () => {
    expect(checkOwner({ ...OK, contact: 'Payments@EXAMPLE.com' }, policy({ allowedOwnerDomains: ['Example.COM'] }))).toEqual([]);
  });

  test('Noncompliance 6: team and contact problems are reported together', () => {
    expect(checkOwner({ team: 'Payments Team', contact: 'nope' }, policy()).map((v) => v.code))
      .toEqual(['NHI_OWNER_TEAM_INVALID', 'NHI_OWNER_CONTACT_INVALID']);
  });
});

const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const word = fc.string({ unit: alnum, minLength: 1, maxLength: 10 });
const slug = fc.array(word, { minLength: 1, maxLength: 5 }).map((ws) => ws.join('-')).filter((s) => s.length <= 63);

describe('isTeamSlug / isEmail: owner validators (properties)', () => {
  test('property: generated slugs are accepted', () => {
    fc.assert(fc.property(slug, (s) => expect(isTeamSlug(s)).toBe(true)), { numRuns: 200 });
  });

  test('property: a slug with a space, an uppercase letter, or a leading/trailing/double hyphen is rejected', () => {
    const broken = fc.tuple(slug, fc.nat(), fc.constantFrom(' ', 'A', 'Z', '_', '.', '@', '--')).map(([s, i, bad]) => {
      const at = i % (s.length + 1);
      return s.slice(0, at) + bad + s.slice(at);
    });
    fc.assert(fc.property(broken, (s) => expect(isTeamSlug(s)).toBe(false)), { numRuns: 200 });
    fc.assert(fc.property(slug, (s) => {
      expect(isTeamSlug(`-${s}`)).toBe(false);
      expect(isTeamSlug(`${s}-`)).toBe(false);
    }), { numRuns: 100 });
  });

  test('property: RFC-style generated e-mail addresses are accepted', () => {
    fc.assert(fc.property(fc.emailAddress(), (e) => expect(isEmail(e)).toBe(true)), { numRuns: 200 });
  });

  test('property: e-mail addresses with a space, without @, or with two @ are rejected', () => {
    fc.assert(fc.property(fc.emailAddress(), fc.nat(), (e, i) => {
      const at = i % (e.length + 1);
      expect(isEmail(e.slice(0, at) + ' ' + e.slice(at))).toBe(false);
      expect(isEmail(e.replace('@', ''))).toBe(false);
      expect(isEmail(e.replace('@', '@@'))).toBe(false);
    }), { numRuns: 200 });
  });

  test('property: non-strings are neither slugs nor e-mail addresses', () => {
    fc.assert(fc.property(fc.anything().filter((v) => typeof v !== 'string'), (v) => {
      expect(isTeamSlug(v)).toBe(false);
      expect(isEmail(v)).toBe(false);
    }), { numRuns: 200 });
  });

  test('property: checkOwner never throws and accepts every valid slug/e-mail pair', () => {
    fc.assert(fc.property(slug, fc.emailAddress(), (team, contact) => {
      expect(checkOwner({ team, contact }, DEFAULT_POLICY)).toEqual([]);
    }), { numRuns: 200 });
    fc.assert(fc.property(fc.anything(), (owner) => {
      const vs = checkOwner(owner, DEFAULT_POLICY);
      expect(Array.isArray(vs)).toBe(true);
    }), { numRuns: 200 });
  });
});

describe('checkOwner: any value gives violations, never another exception (issue 12)', () => {
  test.each([
    ['a prototype-less object', Object.create(null)],
    ['an object with a throwing toString', { toString: () => { throw new Error('boom'); } }],
    ['a symbol', Symbol('team')],
    ['a number', 42],
  ])('owner.team as %s is NHI_OWNER_TEAM_INVALID', (_, team) => {
    const vs = checkOwner({ team, contact: 'billing@example.com' }, DEFAULT_POLICY);
    expect(vs.map((v) => [v.code, v.field])).toEqual([['NHI_OWNER_TEAM_INVALID', 'owner.team']]);
  });

  test('a prototype-less owner and contact', () => {
    const owner = Object.create(null);
    owner.team = 'billing';
    owner.contact = Object.create(null);
    expect(checkOwner(owner, DEFAULT_POLICY).map((v) => [v.code, v.field])).toEqual([['NHI_OWNER_CONTACT_INVALID', 'owner.contact']]);
  });
});
