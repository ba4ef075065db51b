import { checkEnvironmentCrossing } from '../../../lib/core/rules/lifecycle';
import { awsPrincipalReaches, awsScopeReaches, conditionExternalId, trustFromPrincipalJson } from '../../../lib/core/rules/aws-principal';
import { DEFAULT_POLICY } from '../../../lib/core/policy';

const VENDOR_ROOT = 'arn:${AWS::Partition}:iam::999988887777:root';
const codes = (p: unknown, c?: unknown, ctx = {}) => trustFromPrincipalJson(p, c, 'assumedBy', ctx).violations.map((v) => v.code);

describe('trustFromPrincipalJson with a vendor (NHI3): whole-account trust only for a vendor, always with an external id', () => {
  test('Compliance: a vendor account by literal id, external id given by the adapter or required by the conditions', () => {
    const r = trustFromPrincipalJson({ AWS: VENDOR_ROOT }, undefined, 'assumedBy', { vendor: true, externalId: 'globex-7f3a' });
    expect(r.violations).toEqual([]);
    expect(r.assumedBy).toEqual({ accountIds: ['999988887777'], externalId: 'globex-7f3a' });
    const c = trustFromPrincipalJson({ AWS: '999988887777' }, { StringEquals: { 'sts:ExternalId': 'globex-7f3a' } }, 'assumedBy', { vendor: true });
    expect(c.assumedBy).toEqual({ accountIds: ['999988887777'], externalId: 'globex-7f3a' });
  });

  test('Compliance: a vendor role, with an external id', () => {
    const r = trustFromPrincipalJson({ AWS: 'arn:aws:iam::999988887777:role/globex' }, undefined, 'assumedBy', { vendor: true, externalId: 'x-1' });
    expect(r.assumedBy).toEqual({ roleArns: ['arn:aws:iam::999988887777:role/globex'], externalId: 'x-1' });
  });

  test('Noncompliance 1: NHI_TRUST_ACCOUNT_ROOT for a vendor account without an external id, or not named by id', () => {
    const v = trustFromPrincipalJson({ AWS: VENDOR_ROOT }, {}, 'assumedBy', { vendor: true }).violations;
    expect(v.map((x) => x.code)).toEqual(['NHI_TRUST_ACCOUNT_ROOT']);
    expect(v[0].message).toContain('sts:ExternalId');
    expect(v[0].risks).toContain('NHI3');
    expect(codes({ AWS: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' }, undefined, { vendor: true, externalId: 'x-1' })).toEqual(['NHI_TRUST_ACCOUNT_ROOT']);
    const own = trustFromPrincipalJson({ AWS: '123456789012' }, undefined, 'assumedBy', { vendor: true, externalId: 'x-1', ownAccount: '123456789012' }).violations;
    expect(own.map((x) => x.code)).toEqual(['NHI_TRUST_ACCOUNT_ROOT']);
    expect(own[0].message).toContain("this role's own account");
  });

  test('Noncompliance 2: NHI_TRUST_ACCOUNT_ROOT for any account without a vendor, external id or not', () => {
    expect(codes({ AWS: VENDOR_ROOT }, { StringEquals: { 'sts:ExternalId': 'x-1' } })).toEqual(['NHI_TRUST_ACCOUNT_ROOT']);
  });

  test('Noncompliance 3: NHI_TRUST_INVALID for a vendor role without an external id, or an invalid one', () => {
    expect(trustFromPrincipalJson({ AWS: 'arn:aws:iam::999988887777:role/globex' }, {}, 'assumedBy', { vendor: true }).violations.map((v) => [v.code, v.field]))
      .toEqual([['NHI_TRUST_INVALID', 'assumedBy.externalId']]);
    expect(codes({ AWS: VENDOR_ROOT }, {}, { vendor: true, externalId: 'no spaces allowed' })).toEqual(['NHI_TRUST_INVALID']);
  });
});

describe('trustFromPrincipalJson: people (NHI10) and several workloads (NHI9) reach the core trust rule', () => {
  test.each([
    ['an IAM user', 'arn:aws:iam::123456789012:user/alice'],
    ['an IAM Identity Center role', 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef'],
  ])('Noncompliance: NHI_HUMAN_USE for %s; Compliance with a justification', (_w, arn) => {
    expect(codes({ AWS: arn })).toEqual(['NHI_HUMAN_USE']);
    expect(codes({ AWS: arn }, undefined, { justification: 'Break-glass access during incident response' })).toEqual([]);
    expect(trustFromPrincipalJson({ AWS: arn }, undefined, 'assumedBy', { justification: 'Break-glass access during incident response' }).assumedBy!.justification)
      .toBe('Break-glass access during incident response');
  });

  test('Noncompliance: NHI_TRUST_SHARED for several roles; a vague justification is NHI_TRUST_INVALID', () => {
    const aws = ['arn:aws:iam::123456789012:role/a', 'arn:aws:iam::123456789012:role/b'];
    expect(codes({ AWS: aws })).toEqual(['NHI_TRUST_SHARED']);
    expect(codes({ AWS: aws }, undefined, { justification: 'Blue/green workers of one deployment' })).toEqual([]);
    expect(codes({ AWS: aws }, undefined, { justification: 'ok' })).toEqual(['NHI_TRUST_INVALID', 'NHI_TRUST_SHARED']);
  });
});

describe('awsPrincipalReaches / awsScopeReaches: the accounts a trust and a scope reach (NHI8)', () => {
  const policy = { ...DEFAULT_POLICY, environmentAccounts: { prod: ['111111111111'], dev: ['222222222222'] } };

  test('literal accounts of AWS principals; services, OIDC and references reach none', () => {
    expect(awsPrincipalReaches({ AWS: ['arn:aws:iam::222222222222:role/w', '333333333333', '${Worker.Arn}'] })).toEqual([
      { field: 'assumedBy[0]', target: '222222222222', justified: false },
      { field: 'assumedBy[1]', target: '333333333333', justified: false },
    ]);
    expect(awsPrincipalReaches({ AWS: VENDOR_ROOT })).toEqual([{ field: 'assumedBy', target: '999988887777', justified: false }]);
    expect(awsPrincipalReaches({ Service: 'lambda.amazonaws.com' })).toEqual([]);
    expect(awsPrincipalReaches(undefined)).toEqual([]);
    expect(awsPrincipalReaches({ AWS: 'arn:aws:iam::222222222222:role/w' }, 'assumedBy', true)).toEqual([{ field: 'assumedBy', target: '222222222222', justified: true }]);
  });

  test('scope resources: literal ARNs with an account; justified grants', () => {
    expect(awsScopeReaches([
      { actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:222222222222:table/orders', 'arn:aws:s3:::bucket/*'] },
      { actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:222222222222:q'], justification: 'Feeds the dev replay queue' },
    ])).toEqual([
      { field: 'scope[0].resources[0]', target: '222222222222', justified: false },
      { field: 'scope[1].resources[0]', target: '222222222222', justified: true },
    ]);
    expect(awsScopeReaches(undefined)).toEqual([]);
  });

  test('Noncompliance: with checkEnvironmentCrossing, a prod trust reaching dev is NHI_ENVIRONMENT_CROSSING; Compliance when justified', () => {
    const reach = (justified: boolean) => awsPrincipalReaches({ AWS: 'arn:aws:iam::222222222222:role/w' }, 'assumedBy', justified);
    expect(checkEnvironmentCrossing('prod', reach(false), policy).map((v) => [v.code, v.field])).toEqual([['NHI_ENVIRONMENT_CROSSING', 'assumedBy']]);
    expect(checkEnvironmentCrossing('prod', reach(true), policy)).toEqual([]);
    expect(checkEnvironmentCrossing('dev', reach(false), policy)).toEqual([]);
  });
});

describe('conditionExternalId', () => {
  test('one sts:ExternalId under StringEquals, else none', () => {
    expect(conditionExternalId({ StringEquals: { 'sts:ExternalId': 'a' } })).toBe('a');
    expect(conditionExternalId({ StringEquals: { 'sts:ExternalId': ['a'] } })).toBe('a');
    expect(conditionExternalId({ StringEquals: { 'sts:ExternalId': ['a', 'b'] } })).toBeUndefined();
    expect(conditionExternalId({ StringLike: { 'sts:ExternalId': 'a*' } })).toBeUndefined();
    expect(conditionExternalId(undefined)).toBeUndefined();
  });
});
