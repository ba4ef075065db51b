import * as fc from 'fast-check';
import { analyzeAwsScope } from '../../../lib/core/rules/aws-scope';
import { applicableActions, checkScopeWidening, checkStatementExpiry, expandActionPattern, resourceCovers, scopeGaps } from '../../../lib/core/rules/aws-widening';
import { lookupAction } from '../../../lib/core/private/iam-catalog';
import { DEFAULT_POLICY } from '../../../lib/core/policy';

const declared = analyzeAwsScope([
  { actions: ['s3:GetObject', 's3:ListBucket'], resources: ['arn:aws:s3:::exports/*', 'arn:aws:s3:::exports'] },
  { actions: ['sts:GetCallerIdentity'], resources: ['*'] },
], DEFAULT_POLICY).grants;

describe('checkScopeWidening: statements attached to a governed identity stay within its declared scope', () => {
  test('Compliance: the same or a narrower statement', () => {
    expect(checkScopeWidening([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::exports/reports/*' }], declared, 'x')).toEqual([]);
    expect(checkScopeWidening([{ Effect: 'Allow', Action: ['s3:getobject'], Resource: ['arn:aws:s3:::exports/a.csv'] }], declared, 'x')).toEqual([]);
    expect(checkScopeWidening([{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }], declared, 'x')).toEqual([]);
    expect(checkScopeWidening([{ Effect: 'Deny', Action: '*', Resource: '*' }], declared, 'x')).toEqual([]);
  });

  test('Noncompliance 1: another action, another resource, a wider resource', () => {
    const v = checkScopeWidening([{ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: ['arn:aws:s3:::exports/*', 'arn:aws:s3:::other/*'] }], declared, 'a grant');
    expect(v.map((x) => x.code)).toEqual(['NHI_SCOPE_WIDENED']);
    expect(v[0].message).toContain('s3:PutObject on arn:aws:s3:::exports/*');
    expect(v[0].message).toContain('s3:GetObject, s3:PutObject on arn:aws:s3:::other/*');
    expect(scopeGaps({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::*' }, declared)).toHaveLength(1);
  });

  test('Noncompliance 2: a wildcard action is covered only if every action it matches is declared', () => {
    const gaps = scopeGaps({ Action: 's3:GetObject*', Resource: 'arn:aws:s3:::exports/x' }, declared);
    expect(gaps.map((g) => g.action)).toEqual(expect.arrayContaining(['s3:GetObjectAcl', 's3:GetObjectTagging']));
    expect(gaps.map((g) => g.action)).not.toContain('s3:GetObject');
    expect(scopeGaps({ Action: '*', Resource: 'arn:aws:s3:::exports/x' }, declared)).toEqual([{ action: '*', resource: 'arn:aws:s3:::exports/x' }]);
  });

  test('Noncompliance 3: NotAction and NotResource are never covered', () => {
    expect(scopeGaps({ NotAction: 's3:DeleteObject', Resource: 'arn:aws:s3:::exports/*' }, declared)).toHaveLength(1);
    expect(scopeGaps({ Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }, declared)).toHaveLength(1);
  });

  test('expandActionPattern and resourceCovers', () => {
    expect(expandActionPattern('s3:getobject')).toEqual(['s3:GetObject']);
    expect(expandActionPattern('s3:*')!.length).toBeGreaterThan(100);
    expect(expandActionPattern('nosuch:*')).toBeUndefined();
    expect(resourceCovers('arn:aws:s3:::b/*', 'arn:aws:s3:::b/reports/*')).toBe(true);
    expect(resourceCovers('arn:aws:s3:::b/reports/*', 'arn:aws:s3:::b/*')).toBe(false);
    expect(resourceCovers('${B.Arn}/*', '${B.Arn}/x')).toBe(true);
  });

  test('property: a declared literal resource covers itself and nothing else literal', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z0-9-]{3,20}$/), fc.stringMatching(/^[a-z0-9-]{3,20}$/), (a, b) => {
      const ra = `arn:aws:s3:::${a}`;
      const rb = `arn:aws:s3:::${b}`;
      return resourceCovers(ra, ra) && resourceCovers(ra, rb) === (a === b);
    }));
  });
});

describe('checkStatementExpiry: every Allow statement stops at expiry', () => {
  const at = '2027-06-30T00:00:00Z';
  test('Compliance: DateLessThan at or before the expiry', () => {
    expect(checkStatementExpiry([{ Effect: 'Allow', Condition: { DateLessThan: { 'aws:CurrentTime': at } } }], at, 'x')).toEqual([]);
    expect(checkStatementExpiry([{ Effect: 'Allow', Condition: { DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } } }], at, 'x')).toEqual([]);
    expect(checkStatementExpiry([{ Effect: 'Deny' }], at, 'x')).toEqual([]);
  });
  test('Noncompliance: missing, or later than the expiry', () => {
    expect(checkStatementExpiry([{ Effect: 'Allow' }], at, 'x').map((v) => v.code)).toEqual(['NHI_EXPIRY_CONDITION_MISSING']);
    expect(checkStatementExpiry([{ Condition: { DateLessThan: { 'aws:CurrentTime': '2028-01-01T00:00:00Z' } } }], at, 'x').map((v) => v.code)).toEqual(['NHI_EXPIRY_CONDITION_MISSING']);
  });
});

describe('applicableActions: the actions of a grant that can apply to a resource', () => {
  const info = (a: string) => lookupAction(a)!;
  test("AWS Backup's recovery point actions apply to recovery points of the '/' shape (an EBS snapshot), the S3 action does not", () => {
    const actions = [info('backup:DeleteRecoveryPoint'), info('s3:GetObject'), info('ec2:DeleteSnapshot')];
    expect(applicableActions(actions, 'arn:aws:ec2:eu-west-1::snapshot/snap-0123456789abcdef0')!.map((a) => a.name))
      .toEqual(['backup:DeleteRecoveryPoint', 'ec2:DeleteSnapshot']);
    expect(applicableActions(actions, 'arn:aws:s3:::exports/report.csv')!.map((a) => a.name)).toEqual(['s3:GetObject']);
  });
});
