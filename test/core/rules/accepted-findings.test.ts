import * as fs from 'fs';
import * as path from 'path';
import { ACCEPTED_FINDING_EFFECTS } from '../../../lib/core/rules/accepted-findings';

const RULES = path.join(__dirname, '..', '..', '..', 'lib', 'core', 'rules');
const read = (file: string) => fs.readFileSync(path.join(RULES, file), 'utf8');
const codesIn = (text: string) => new Set((text.match(/'NHI_[A-Z_]+'/g) ?? []).map((c) => c.slice(1, -1)));

/** The body of an exported function of a rule module. */
function functionBody(file: string, name: string): string {
  const text = read(file);
  const start = text.indexOf(`export function ${name}(`);
  expect(start).toBeGreaterThanOrEqual(0);
  return text.slice(start, text.indexOf('\n}\n', start));
}

describe('accepted findings: every code the artifact check gives for an identity says what it adds', () => {
  test('the table has an entry for each code of checkArtifact and the rules it calls, and no other', () => {
    const artifact = read('artifact.ts');
    // What the check takes from other rule modules: a new function that may give findings must be scanned below too.
    const fromRules = (text: string) => [...text.matchAll(/^import (?:type )?(.*) from '\.\/([a-z-]+)';$/gm)].map((m) => `${m[2]}: ${m[1]}`).sort();
    expect(fromRules(artifact)).toEqual([
      'aws-scope: { AnalysedAwsGrant, isWildcardResource }', // a type and a predicate
      'aws-widening: { AwsGrantedStatement, checkScopeWidening, checkStatementExpiry }', // scanned whole
      'google-roles: { isPrivilegedPermission, listSome }', // a predicate and text
      'google-scope: * as googleScope', // lazily, for checkCustomRolePermissions alone
    ]);
    expect([...artifact.matchAll(/googleRoles\(\)\.(\w+)/g)].map((m) => m[1]).filter((f) => f.startsWith('check'))).toEqual(['checkCustomRolePermissions']);
    expect(fromRules(read('aws-widening.ts'))).toEqual(['aws-scope: { AnalysedAwsGrant, isCredentialExposing, isPrivileged, isToken, wildcardMatch }']);
    const produced = new Set([
      ...codesIn(artifact),
      ...codesIn(read('aws-widening.ts')),
      ...codesIn(functionBody('google-scope.ts', 'checkCustomRolePermissions')),
    ]);
    // The one code about something else than an identity (an output exposing a secret).
    expect(artifact).toMatch(/push\(e\.source, undefined, \[violation\('NHI_SECRET_EXPOSED'/);
    produced.delete('NHI_SECRET_EXPOSED');
    expect([...ACCEPTED_FINDING_EFFECTS.keys()].sort()).toEqual([...produced].sort());
  });

  test('each effect is a widening, a privilege or an extended expiry', () => {
    for (const [c, effect] of ACCEPTED_FINDING_EFFECTS) {
      expect([c, effect.widens || effect.privileged || effect.expiryExtended]).toEqual([c, true]);
    }
  });
});
