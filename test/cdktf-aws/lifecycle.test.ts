import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { GovernedApiKey, GovernedServiceAccount, GovernedServiceAccountProps } from '../../lib/cdktf-aws';
import { NhiRegister } from '../../lib/cdktf';
import { GovernancePolicy } from '../../lib/core';
import { awsStack, GOVERNANCE, governanceError, resources, synth, TODAY } from '../helpers/cdktf';
import { canAssume } from '../helpers/iam-simulate';

const BASE: GovernedServiceAccountProps = {
  ...GOVERNANCE,
  name: 'billing-report-reader',
  assumedBy: { service: 'lambda.amazonaws.com' },
  scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/*'] }],
};
const VENDOR = { name: 'Globex Corp', contact: 'security@globex.example', contractRef: 'DPA-2026-17' };

describe('Lifecycle (cdktf AWS): system owner, environment, vendor, approval in tags and register', () => {
  test('recorded in tags and the register', () => {
    const { stack } = awsStack();
    const sa = new GovernedServiceAccount(stack, 'Reader', {
      ...BASE, system: 'billing-reporter', environment: 'prod', approval: { ticket: 'SEC-1234', approvedBy: 'lead@example.com' },
    });
    const role = resources(synth(stack), 'aws_iam_role').find((r) => r.name === 'billing-report-reader');
    expect(role.tags).toMatchObject({ 'nhi:system': 'billing-reporter', 'nhi:environment': 'prod', 'nhi:approval': 'SEC-1234' });
    expect(sa.registerEntry).toMatchObject({ system: 'billing-reporter', environment: 'prod', approval: { ticket: 'SEC-1234', approvedBy: 'lead@example.com' } });
  });

  test('the policy can require system, environment and approval in prod', () => {
    const { app, stack } = awsStack();
    GovernancePolicy.of(app).apply({ requireSystem: true, requireEnvironment: true, requireApprovalIn: ['prod'], environmentAccounts: { prod: ['111111111111'], dev: ['222222222222'] } });
    expect(governanceError(() => new GovernedServiceAccount(stack, 'A', BASE)).violations.map((v) => v.code)).toEqual(['NHI_SYSTEM_MISSING', 'NHI_ENVIRONMENT_MISSING']);
    expect(governanceError(() => new GovernedServiceAccount(stack, 'B', { ...BASE, system: 'x', environment: 'prod' })).violations.map((v) => v.code)).toEqual(['NHI_APPROVAL_MISSING']);
    expect(() => new GovernedServiceAccount(stack, 'C', { ...BASE, system: 'x', environment: 'dev' })).not.toThrow();
  });

  test('NHI_ENVIRONMENT_CROSSING: a prod identity reaching a dev account, in scope or in trust, unless justified', () => {
    const { app, stack } = awsStack();
    GovernancePolicy.of(app).apply({ environmentAccounts: { prod: ['111111111111'], dev: ['222222222222'] } });
    const err = governanceError(() => new GovernedServiceAccount(stack, 'A', {
      ...BASE, environment: 'prod',
      assumedBy: { roleArns: ['arn:aws:iam::222222222222:role/dev-worker'] },
      scope: [{ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:222222222222:table/orders'] }],
    }));
    expect(err.violations.map((v) => [v.code, v.field])).toEqual([
      ['NHI_ENVIRONMENT_CROSSING', 'scope[0].resources[0]'],
      ['NHI_ENVIRONMENT_CROSSING', 'assumedBy.roleArns[0]'],
    ]);
    expect(() => new GovernedServiceAccount(stack, 'B', {
      ...BASE, environment: 'prod',
      scope: [{ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:222222222222:table/orders'], justification: 'Reads the dev catalogue for synthetic monitoring' }],
    })).not.toThrow();
  });
});

describe('Third-party identities (cdktf AWS, NHI3)', () => {
  test('without the vendor\'s external id, one is generated per deployment and kept in state (never derivable from code)', async () => {
    const { stack } = awsStack();
    const sa = new GovernedServiceAccount(stack, 'Globex', {
      ...BASE, name: 'globex-usage-reader', vendor: VENDOR, expires: '2027-01-31', assumedBy: { accountIds: ['999988887777'] },
    });
    const json = synth(stack);
    // terraform_data { input = uuid() } keeps the first random value: nothing in the code or the synth output determines it.
    const [idKey] = Object.keys(json.resource.terraform_data);
    expect(json.resource.terraform_data[idKey]).toMatchObject({ input: '${uuid()}', lifecycle: { ignore_changes: ['input'] } });
    const trust = resources(json, 'aws_iam_role').find((r) => r.name === 'globex-usage-reader').assume_role_policy;
    expect(trust).toContain(`\${terraform_data.${idKey}.output}`);
    expect(JSON.stringify(json)).not.toMatch(/nhi-[0-9a-f]{32}/);
    expect(JSON.stringify(sa.registerEntry.details)).toContain('"externalId":"${TfToken');
    // What Terraform puts in the trust: the simulation proves the vendor needs that value, and only that.
    const deployed = trust.replace(`\${terraform_data.${idKey}.output}`, '6f1c2d0e-2b7a-4f7e-9c1a-0d9b8e7f6a5b');
    const vendorRole = 'arn:aws:iam::999988887777:role/globex-integration';
    const time = '2027-01-01T00:00:00Z';
    const roleArn = 'arn:aws:iam::123456789012:role/nhi/globex-usage-reader';
    expect(await canAssume(deployed, { principal: vendorRole, roleArn, time })).toBe(false);
    expect(await canAssume(deployed, { principal: vendorRole, roleArn, time, context: { 'sts:ExternalId': 'wrong' } })).toBe(false);
    expect(await canAssume(deployed, { principal: vendorRole, roleArn, time, context: { 'sts:ExternalId': '6f1c2d0e-2b7a-4f7e-9c1a-0d9b8e7f6a5b' } })).toBe(true);
    expect(sa.registerEntry.vendor).toEqual(VENDOR);
  });

  test('the register written at synth names where the generated external id lives', () => {
    const { app, stack } = awsStack();
    new GovernedServiceAccount(stack, 'Globex', {
      ...BASE, name: 'globex-usage-reader', vendor: VENDOR, expires: '2027-01-31', assumedBy: { accountIds: ['999988887777'] },
    });
    const entry = NhiRegister.of(stack).entries()[0];
    expect((entry.details as any).trust.externalId).toMatch(/^\$\{terraform_data\.Globex_ExternalId_[0-9A-F]+\.output\}$/);
    void app;
  });

  test('a given external id is used; a vendor role trust gets one too', () => {
    const { stack } = awsStack();
    const sa = new GovernedServiceAccount(stack, 'Globex', {
      ...BASE, name: 'g', vendor: VENDOR, expires: '2027-01-31', assumedBy: { roleArns: ['arn:aws:iam::999988887777:role/globex'], externalId: 'globex-7f3a' },
    });
    expect(sa.externalId).toBe('globex-7f3a');
  });

  test('NHI_TRUST_ACCOUNT_ROOT: a whole-account trust without a vendor', () => {
    const { stack } = awsStack();
    expect(governanceError(() => new GovernedServiceAccount(stack, 'A', { ...BASE, assumedBy: { accountIds: ['999988887777'] } })).violations[0].code).toBe('NHI_TRUST_ACCOUNT_ROOT');
  });

  test('vendor identities get the shorter vendor maximum lifetime (default 90 days)', () => {
    const { stack } = awsStack();
    const err = governanceError(() => new GovernedServiceAccount(stack, 'A', { ...BASE, vendor: VENDOR, expires: '2027-06-30', assumedBy: { accountIds: ['999988887777'] } }));
    expect(err.violations[0]).toMatchObject({ code: 'NHI_EXPIRY_TOO_FAR', message: 'is more than 90 days away (the policy\'s maximum lifetime)' });
    expect(governanceError(() => new GovernedApiKey(stack, 'K', {
      ...GOVERNANCE, expires: '2027-06-30', vendor: VENDOR, name: 'k', scope: [{ restApiId: 'a', stage: 'prod' }], throttle: { rateLimit: 1, burstLimit: 1 },
    })).violations[0].code).toBe('NHI_EXPIRY_TOO_FAR');
  });
});

describe('No human use (cdktf AWS, NHI10)', () => {
  test.each([
    ['an IAM user', 'arn:aws:iam::123456789012:user/alice'],
    ['an IAM Identity Center role', 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef'],
  ])('NHI_HUMAN_USE: trust admitting %s, unless justified', (_what, arn) => {
    const { stack } = awsStack();
    expect(governanceError(() => new GovernedServiceAccount(stack, 'A', { ...BASE, assumedBy: { roleArns: [arn] } })).violations[0]).toMatchObject({ code: 'NHI_HUMAN_USE', field: 'assumedBy.roleArns[0]' });
    expect(() => new GovernedServiceAccount(stack, 'B', { ...BASE, name: 'b', assumedBy: { roleArns: [arn], justification: 'Break-glass access during incident response' } })).not.toThrow();
  });

  test('NHI_TRUST_SHARED: several workload roles, unless justified', () => {
    const { stack } = awsStack();
    const roleArns = ['arn:aws:iam::123456789012:role/a', 'arn:aws:iam::123456789012:role/b'];
    expect(governanceError(() => new GovernedServiceAccount(stack, 'A', { ...BASE, assumedBy: { roleArns } })).violations[0].code).toBe('NHI_TRUST_SHARED');
  });
});

describe('One identity per workload (cdktf AWS, NHI9)', () => {
  test('two identities of one system with overlapping scope fail the synth, per stack and across the app', () => {
    const { app, stack } = awsStack();
    new GovernedServiceAccount(stack, 'A', { ...BASE, system: 'billing-reporter' });
    const other = new TerraformStack(app, 'other');
    new AwsProvider(other, 'aws', { region: 'eu-west-1' });
    new GovernedServiceAccount(other, 'B', { ...BASE, name: 'b', system: 'billing-reporter' });
    // Each pair is reported once, on the later path (stack/A sorts after other/B).
    expect(() => Testing.synth(stack, true)).toThrow(/NHI_IDENTITY_REUSE\] stack\/A: shares system 'billing-reporter' and part of its scope \(s3:GetObject on arn:aws:s3:::billing-exports\/\*\) with other\/B/);
    expect(() => Testing.synth(other, true)).not.toThrow();
  });

  test('a reuse justification is recorded and accepted', () => {
    const { stack } = awsStack();
    new GovernedServiceAccount(stack, 'A', { ...BASE, system: 'billing-reporter' });
    const b = new GovernedServiceAccount(stack, 'B', { ...BASE, name: 'b', system: 'billing-reporter', reuseJustification: 'Blue/green pair of the same reporter during migration' });
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(b.registerEntry.reuseJustification).toContain('Blue/green');
  });
});

describe('Offboarding (cdktf AWS, NHI1)', () => {
  function synthDir(withLegacy: boolean): any {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-off-'));
    const app = new App({ outdir, context: { 'nhi:today': TODAY } });
    const stack = new TerraformStack(app, 's');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new GovernedServiceAccount(stack, 'Reader', BASE);
    if (withLegacy) {
      new GovernedServiceAccount(stack, 'Legacy', { ...BASE, name: 'legacy', assumedBy: undefined, staticCredentials: { justification: 'Legacy host cannot assume roles' }, alarms: { cloudTrailLogGroupName: 'trail' } });
    }
    app.synth();
    return {
      tf: JSON.parse(fs.readFileSync(path.join(outdir, 'stacks/s/cdk.tf.json'), 'utf8')),
      reg: JSON.parse(fs.readFileSync(path.join(outdir, 'stacks/s/nhi-register.json'), 'utf8')),
    };
  }

  test('removing the identity from code removes everything of it: user, key, secret, schedules, alarms, register entry', () => {
    const before = synthDir(true);
    const after = synthDir(false);
    const mentions = (tf: any) => JSON.stringify(tf.resource).match(/Legacy[A-Za-z_]*_[0-9A-F]{8}/g) ?? [];
    expect(mentions(before.tf).length).toBeGreaterThan(5);
    expect(mentions(after.tf)).toEqual([]);
    expect(JSON.stringify(after.tf)).not.toContain('legacy');
    expect(after.reg.identities.map((i: any) => i.path)).toEqual(['s/Reader']);
    // Terraform destroys what is gone; the secret is scheduled for deletion with a recovery window, not left behind.
    expect(resources(before.tf, 'aws_secretsmanager_secret')[0].recovery_window_in_days).toBe(7);
    expect(resources(before.tf, 'aws_iam_user')[0].force_destroy).toBe(true);
  });
});

describe('controls in the register follow the declaration', () => {
  test('vendor, environment and system add NHI3, NHI8 and NHI9', () => {
    const { stack } = awsStack();
    const sa = new GovernedServiceAccount(stack, 'A', { ...BASE, expires: '2027-01-31', vendor: VENDOR, environment: 'prod', system: 'globex-sync', assumedBy: { accountIds: ['999988887777'] } });
    expect(sa.registerEntry.controls).toEqual(['NHI1', 'NHI3', 'NHI4', 'NHI5', 'NHI7', 'NHI8', 'NHI9']);
  });
});
