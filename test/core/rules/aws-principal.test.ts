import { isAccountPrincipal, trustFromPrincipalJson } from '../../../lib/core/rules/aws-principal';

const codes = (p: unknown, c?: unknown) => trustFromPrincipalJson(p, c).violations.map((v) => v.code);

describe('trustFromPrincipalJson: a trust policy principal, read as the core trust model', () => {
  test('Compliance: one service principal', () => {
    const r = trustFromPrincipalJson({ Service: ['lambda.amazonaws.com'] }, undefined);
    expect(r.violations).toEqual([]);
    expect(r.assumedBy).toEqual({ service: 'lambda.amazonaws.com' });
  });

  test('Compliance: workload role ARNs, literal or unresolved', () => {
    expect(trustFromPrincipalJson({ AWS: 'arn:aws:iam::123456789012:role/worker' }, {}).assumedBy).toEqual({ roleArns: ['arn:aws:iam::123456789012:role/worker'] });
    expect(codes({ AWS: ['${WorkerRole.Arn}'] })).toEqual([]);
  });

  test('Compliance: OIDC federation with a pinned subject (issuer from the condition keys)', () => {
    const r = trustFromPrincipalJson({ Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' }, {
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:acme/billing:ref:refs/heads/main' },
    });
    expect(r.violations).toEqual([]);
    expect(r.assumedBy!.oidc).toEqual({
      providerArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      issuer: 'token.actions.githubusercontent.com', audience: 'sts.amazonaws.com', subject: 'repo:acme/billing:ref:refs/heads/main',
    });
  });

  test('Noncompliance 1: NHI_TRUST_WILDCARD for * (AnyPrincipal) and for a wildcard subject', () => {
    expect(codes({ AWS: '*' })).toEqual(['NHI_TRUST_WILDCARD']);
    expect(codes({ Federated: 'arn:aws:iam::123456789012:oidc-provider/x' }, {
      StringEquals: { 'x:aud': 'sts.amazonaws.com' }, StringLike: { 'x:sub': 'repo:acme/*' },
    })).toEqual(['NHI_TRUST_WILDCARD']);
  });

  test('Noncompliance 2: NHI_TRUST_ACCOUNT_ROOT for an account id or root ARN (even with references)', () => {
    expect(codes({ AWS: '123456789012' })).toEqual(['NHI_TRUST_ACCOUNT_ROOT']);
    expect(codes({ AWS: ['arn:${AWS::Partition}:iam::${AWS::AccountId}:root'] })).toEqual(['NHI_TRUST_ACCOUNT_ROOT']);
    expect(isAccountPrincipal('arn:aws:iam::123456789012:role/root')).toBe(false);
  });

  test('Noncompliance 3: NHI_TRUST_SHARED for several services', () => {
    expect(codes({ Service: ['lambda.amazonaws.com', 'ec2.amazonaws.com'] })).toEqual(['NHI_TRUST_SHARED']);
  });

  test('Noncompliance 4: NHI_TRUST_UNSUPPORTED for other principal kinds', () => {
    expect(codes({ CanonicalUser: 'abc' })).toEqual(['NHI_TRUST_UNSUPPORTED']);
  });

  test('Noncompliance 5: the core trust rule for the rest (several kinds, missing subject, nothing)', () => {
    expect(codes({ Service: 'lambda.amazonaws.com', AWS: 'arn:aws:iam::123456789012:role/w' })).toEqual(['NHI_TRUST_MISSING']);
    expect(codes({ Federated: 'arn:aws:iam::123456789012:oidc-provider/x' }, { StringEquals: { 'x:aud': 'sts.amazonaws.com' } })).toEqual(['NHI_TRUST_INVALID']);
    expect(codes(undefined)).toEqual(['NHI_TRUST_MISSING']);
  });
});
