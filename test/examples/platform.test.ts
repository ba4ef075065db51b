import { GovernancePolicy } from '../../lib/core';
import { PaymentsServiceAccount } from '../../examples/platform/payments-service-account';
import { awsStack, governanceError, resources, synth } from '../helpers/cdktf';

const SCOPE = [{ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/payments'] }];

describe('examples/platform: a blessed construct on top of GovernedServiceAccount', () => {
  test('fixed owner, tags and alarms; the organisation policy on the app still applies', () => {
    const { app, stack } = awsStack();
    GovernancePolicy.of(app).apply({ requiredTags: { 'data-class': ['pci', 'internal'] } });
    const sa = new PaymentsServiceAccount(stack, 'Refunds', {
      purpose: 'Issues refunds for disputed card payments', expires: '2027-01-15', name: 'refunds', lambdaFunctionScope: SCOPE, dataClass: 'pci',
    });
    expect(sa.account.registerEntry.owner.team).toBe('payments');
    const role = resources(synth(stack), 'aws_iam_role').find((r) => r.name === 'payments-refunds');
    expect(role.tags).toMatchObject({ 'data-class': 'pci', 'nhi:owner-team': 'payments' });
  });

  test('the platform\'s stricter lifetime applies below the blessed construct (closest wins)', () => {
    const { stack } = awsStack();
    const err = governanceError(() => new PaymentsServiceAccount(stack, 'Refunds', {
      purpose: 'Issues refunds for disputed card payments', expires: '2027-06-30', name: 'refunds', lambdaFunctionScope: SCOPE, dataClass: 'pci',
    }));
    expect(err.violations.map((v) => v.code)).toEqual(['NHI_EXPIRY_TOO_FAR']);
    expect(err.message).toContain('more than 90 days away');
  });
});
