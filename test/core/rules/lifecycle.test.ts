import { DEFAULT_POLICY } from '../../../lib/core/policy';
import { arnAccount, checkApproval, checkEnvironment, checkEnvironmentCrossing, checkSystem, checkVendor } from '../../../lib/core/rules/lifecycle';
import { findReuse } from '../../../lib/core/rules/reuse';

const P = { ...DEFAULT_POLICY, environmentAccounts: { prod: ['111111111111', 'acme-prod'], dev: ['222222222222'] } };

describe('checkSystem: the workload that uses the identity (NHI9)', () => {
  test('Compliance: a workload name; absent when not required', () => {
    expect(checkSystem('billing-reporter', P)).toEqual([]);
    expect(checkSystem(undefined, P)).toEqual([]);
  });
  test('Noncompliance: NHI_SYSTEM_MISSING when required, NHI_SYSTEM_INVALID for a bad name', () => {
    expect(checkSystem(undefined, { ...P, requireSystem: true })[0].code).toBe('NHI_SYSTEM_MISSING');
    expect(checkSystem('Billing Reporter', P)[0].code).toBe('NHI_SYSTEM_INVALID');
  });
});

describe('checkEnvironment and checkEnvironmentCrossing (NHI8)', () => {
  test('Noncompliance: missing when required, unknown to the policy', () => {
    expect(checkEnvironment(undefined, { ...P, requireEnvironment: true })[0]).toMatchObject({ code: 'NHI_ENVIRONMENT_MISSING', fix: "set environment, e.g. 'prod'" });
    expect(checkEnvironment('qa', P)[0]).toMatchObject({ code: 'NHI_ENVIRONMENT_UNKNOWN', fix: 'use one of: prod, dev' });
    expect(checkEnvironment('prod', P)).toEqual([]);
  });
  test('Noncompliance: a prod identity reaching a dev account (and the reverse); justified crossings pass', () => {
    expect(checkEnvironmentCrossing('prod', [{ field: 'scope[0].resources[0]', target: '222222222222', justified: false }], P)[0])
      .toMatchObject({ code: 'NHI_ENVIRONMENT_CROSSING', field: 'scope[0].resources[0]', message: 'a prod identity reaches 222222222222, which belongs to dev' });
    expect(checkEnvironmentCrossing('dev', [{ field: 'f', target: 'acme-prod', justified: false }], P)).toHaveLength(1);
    expect(checkEnvironmentCrossing('prod', [{ field: 'f', target: '222222222222', justified: true }], P)).toEqual([]);
    expect(checkEnvironmentCrossing('prod', [{ field: 'f', target: '111111111111', justified: false }, { field: 'g', target: '333333333333', justified: false }], P)).toEqual([]);
    expect(checkEnvironmentCrossing(undefined, [{ field: 'f', target: '222222222222', justified: false }], P)).toEqual([]);
  });
  test('arnAccount reads literal account ids only', () => {
    expect(arnAccount('arn:aws:dynamodb:eu-west-1:222222222222:table/x')).toBe('222222222222');
    expect(arnAccount('arn:aws:s3:::bucket/*')).toBeUndefined();
  });
});

describe('checkVendor (NHI3) and checkApproval', () => {
  test('Noncompliance: NHI_VENDOR_INVALID for a nameless vendor, a bad contact, an empty contract', () => {
    expect(checkVendor({ name: '', contact: 'nope', contractRef: '' }).map((v) => v.field)).toEqual(['vendor.name', 'vendor.contact', 'vendor.contractRef']);
    expect(checkVendor({ name: 'Globex', contact: 'security@globex.example' })).toEqual([]);
  });
  test('Noncompliance: NHI_APPROVAL_MISSING where the policy requires it; NHI_APPROVAL_INVALID', () => {
    expect(checkApproval(undefined, 'prod', { ...P, requireApprovalIn: ['prod'] })[0].code).toBe('NHI_APPROVAL_MISSING');
    expect(checkApproval(undefined, 'dev', { ...P, requireApprovalIn: ['prod'] })).toEqual([]);
    expect(checkApproval(undefined, undefined, { ...P, requireApproval: true })[0].code).toBe('NHI_APPROVAL_MISSING');
    expect(checkApproval({ ticket: '', approvedBy: 'bob' }, 'prod', P).map((v) => [v.code, v.field])).toEqual([
      ['NHI_APPROVAL_INVALID', 'approval.ticket'], ['NHI_APPROVAL_INVALID', 'approval.approvedBy'],
    ]);
    expect(checkApproval({ ticket: 'SEC-1234', approvedBy: 'lead@example.com' }, 'prod', { ...P, requireApprovalIn: ['prod'] })).toEqual([]);
  });
});

describe('findReuse: one identity per workload (NHI9)', () => {
  const entry = (path: string, system: string | undefined, action: string, resource: string, reuseJustification?: string) => ({
    path, kind: 'service-account', cloud: 'aws', name: path, owner: { team: 't', contact: 't@example.com' }, purpose: 'p', expires: '2027-01-01',
    scope: [{ actions: [{ action, accessLevel: 'Read', privileged: false }], resources: [resource] }], credentials: 'none', alarms: [], controls: [],
    system, reuseJustification,
  });
  test('Noncompliance: same system and overlapping scope, reported once on the later path', () => {
    const a = entry('s/A', 'billing', 's3:GetObject', 'arn:aws:s3:::b/*');
    const b = entry('s/B', 'billing', 's3:GetObject', 'arn:aws:s3:::b/reports/x.csv');
    const found = findReuse([a, b], [a, b]);
    expect(found.map((f) => [f.path, f.violation.code])).toEqual([['s/B', 'NHI_IDENTITY_REUSE']]);
    expect(found[0].violation.message).toContain('with s/A');
  });
  test('Compliance: different systems, disjoint scopes, no system, or a reuse justification', () => {
    const a = entry('s/A', 'billing', 's3:GetObject', 'arn:aws:s3:::b/*');
    expect(findReuse([entry('s/B', 'other', 's3:GetObject', 'arn:aws:s3:::b/*')], [a])).toEqual([]);
    expect(findReuse([entry('s/B', 'billing', 's3:PutObject', 'arn:aws:s3:::b/*')], [a])).toEqual([]);
    expect(findReuse([entry('s/B', undefined, 's3:GetObject', 'arn:aws:s3:::b/*')], [a])).toEqual([]);
    expect(findReuse([entry('s/B', 'billing', 's3:GetObject', 'arn:aws:s3:::b/*', 'Blue/green deployment of the same worker')], [a])).toEqual([]);
  });
});
