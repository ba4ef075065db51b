import { canAssume, isAllowed, simulateIdentityPolicy } from './iam-simulate';

const SCOPED_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Scope0',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: ['arn:aws:s3:::reports-bucket/*'],
      Condition: { DateLessThan: { 'aws:CurrentTime': '2027-03-01T00:00:00Z' } },
    },
  ],
});
const BEFORE_EXPIRY = '2026-12-01T00:00:00Z';
const IN_SCOPE = { action: 's3:GetObject', resource: 'arn:aws:s3:::reports-bucket/2026/q4.csv' };

describe('simulateIdentityPolicy / isAllowed', () => {
  test('allows the in-scope action and resource before expiry', async () => {
    expect(await simulateIdentityPolicy(SCOPED_POLICY, { ...IN_SCOPE, time: BEFORE_EXPIRY })).toBe('Allowed');
    expect(await isAllowed(JSON.parse(SCOPED_POLICY), { ...IN_SCOPE, time: BEFORE_EXPIRY })).toBe(true);
  });

  test('denies an out-of-scope action', async () => {
    const req = { ...IN_SCOPE, action: 's3:PutObject', time: BEFORE_EXPIRY };
    expect(await simulateIdentityPolicy(SCOPED_POLICY, req)).toBe('ImplicitlyDenied');
    expect(await isAllowed(SCOPED_POLICY, { ...IN_SCOPE, action: 's3:DeleteObject', time: BEFORE_EXPIRY })).toBe(false);
  });

  test('denies an out-of-scope resource', async () => {
    expect(
      await isAllowed(SCOPED_POLICY, { action: 's3:GetObject', resource: 'arn:aws:s3:::other-bucket/q4.csv', time: BEFORE_EXPIRY }),
    ).toBe(false);
  });

  test('denies the in-scope action at and after expiry', async () => {
    expect(await simulateIdentityPolicy(SCOPED_POLICY, { ...IN_SCOPE, time: '2027-03-01T00:00:00Z' })).toBe('ImplicitlyDenied');
    expect(await isAllowed(SCOPED_POLICY, { ...IN_SCOPE, time: '2027-03-01T00:00:01Z' })).toBe(false);
    expect(await isAllowed(SCOPED_POLICY, { ...IN_SCOPE, time: '2030-01-01T00:00:00Z' })).toBe(false);
  });

  test('reports explicit denies', async () => {
    const policy = JSON.parse(SCOPED_POLICY);
    policy.Statement.push({ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const req = { ...IN_SCOPE, time: BEFORE_EXPIRY };
    expect(await simulateIdentityPolicy(policy, { ...req, context: { 'aws:SecureTransport': 'false' } })).toBe('ExplicitlyDenied');
    expect(await simulateIdentityPolicy(policy, { ...req, context: { 'aws:SecureTransport': 'true' } })).toBe('Allowed');
  });

  test('throws instead of answering for invalid input', async () => {
    await expect(isAllowed(SCOPED_POLICY, { ...IN_SCOPE, time: 'not-a-date' })).rejects.toThrow(/invalid time/);
    await expect(isAllowed(SCOPED_POLICY, { ...IN_SCOPE, action: 's3:NoSuchAction' })).rejects.toThrow(/rejected/);
    await expect(isAllowed('{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}', IN_SCOPE)).rejects.toThrow(/rejected/);
  });
});

describe('canAssume', () => {
  const LAMBDA_TRUST = { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' };

  test('service trust allows only the named service principal', async () => {
    expect(await canAssume(LAMBDA_TRUST, { principal: 'lambda.amazonaws.com' })).toBe(true);
    expect(await canAssume(JSON.stringify(LAMBDA_TRUST), { principal: 'ec2.amazonaws.com' })).toBe(false);
    // The caller's allow-sts:* identity policy must not bypass the trust policy, even same-account.
    expect(await canAssume(LAMBDA_TRUST, { principal: 'arn:aws:iam::123456789012:role/other' })).toBe(false);
  });

  test('vendor trust requires the external id', async () => {
    const trust = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::999988887777:root' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'abc' } },
        },
      ],
    };
    const vendor = 'arn:aws:iam::999988887777:role/vendor-integration';
    expect(await canAssume(trust, { principal: vendor })).toBe(false);
    expect(await canAssume(trust, { principal: vendor, context: { 'sts:ExternalId': 'wrong' } })).toBe(false);
    expect(await canAssume(trust, { principal: vendor, context: { 'sts:ExternalId': 'abc' } })).toBe(true);
    const stranger = 'arn:aws:iam::111122223333:role/attacker';
    expect(await canAssume(trust, { principal: stranger, context: { 'sts:ExternalId': 'abc' } })).toBe(false);
  });

  test('web identity trust evaluates OIDC context keys', async () => {
    const provider = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const trust = {
      Effect: 'Allow',
      Principal: { Federated: provider },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:repository': 'org/repo' } },
    };
    const action = 'sts:AssumeRoleWithWebIdentity';
    const ctx = (repository: string) => ({ 'token.actions.githubusercontent.com:repository': repository });
    expect(await canAssume(trust, { principal: provider, action, context: ctx('org/repo') })).toBe(true);
    expect(await canAssume(trust, { principal: provider, action, context: ctx('evil/repo') })).toBe(false);
    // iam-data does not list `:sub` for this action; the helper refuses rather than silently dropping it.
    await expect(
      canAssume(trust, { principal: provider, action, context: { 'token.actions.githubusercontent.com:sub': 'repo:org/repo:ref:refs/heads/main' } }),
    ).rejects.toThrow(/ignored context keys/);
  });
});
