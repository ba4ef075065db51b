import { GOOGLE_IMPERSONATION_ROLES, IDENTITY_RESOURCE_TYPES, ungovernedIdentityFinding } from '../../lib/core/enforcement';

describe('ungovernedIdentityFinding: identity-bearing resource types', () => {
  test.each(Object.keys(IDENTITY_RESOURCE_TYPES))('Noncompliance: %s outside a governed construct', (type) => {
    const f = ungovernedIdentityFinding(type)!;
    expect(f).toMatchObject({ code: 'NHI_UNGOVERNED_IDENTITY', field: type });
    expect(f.fix).toMatch(type === 'AWS::IAM::Role' ? /^give the construct that uses it a governed role: .*GovernedServiceAccount/ : /^use .*Governed/);
    expect(f.risks).toEqual(['NHI1', 'NHI5', 'NHI7']);
  });

  test('Noncompliance: an AWS CDK role an L2 construct created for itself names the construct and shows role: sa', () => {
    const f = ungovernedIdentityFinding('AWS::IAM::Role', undefined, { createdBy: 'Billing/Fn' })!;
    expect(f.message).toContain('Billing/Fn creates it as its own role');
    expect(f.fix).toMatch(/^give Billing\/Fn a governed role: const sa = new GovernedServiceAccount\(/);
    expect(f.fix).toContain("new lambda.Function(this, 'Fn', { ..., role: sa })");
    expect(f.fix).toContain('waiver');
  });

  test('Noncompliance: a Google service-account IAM grant of token creation', () => {
    for (const role of GOOGLE_IMPERSONATION_ROLES) {
      expect(ungovernedIdentityFinding('google_service_account_iam_member', { role, member: 'user:a@example.com' })?.code).toBe('NHI_UNGOVERNED_IDENTITY');
    }
  });

  test('Compliance: ordinary resources and harmless service-account IAM grants', () => {
    expect(ungovernedIdentityFinding('aws_s3_bucket')).toBeUndefined();
    expect(ungovernedIdentityFinding('AWS::S3::Bucket')).toBeUndefined();
    expect(ungovernedIdentityFinding('google_service_account_iam_member', { role: 'roles/iam.serviceAccountViewer' })).toBeUndefined();
  });
});
