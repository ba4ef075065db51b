// Real synth outputs for the CLI tests: a small cdktf app on AWS, in a base version and a
// head version that edits it the way pull requests do.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { GovernedApiKey, GovernedServiceAccount } from '../../lib/cdktf-aws';
import { GovernancePolicy } from '../../lib/core';

/** The date the fixtures and the CLI pin as "today". */
export const TODAY = '2026-11-23';

const owner = { team: 'billing', contact: 'billing-oncall@example.com' };

/**
 * Synthesises the billing app into `outdir` (a `cdktf.out`). The head version:
 * - widens ReportReader: adds s3:PutObject (Write) and a justified iam:PassRole (privileged);
 * - extends SiteDeployer's expiry by 500 days under a policy loosened to 730 days;
 * - removes InvoiceUploader (offboarding);
 * - weakens PartnerKey's rotation from 30 to 90 days and drops its second stage;
 * - adds AuditReader.
 */
export function synthBilling(outdir: string, version: 'base' | 'head'): string {
  const head = version === 'head';
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir, context: { 'nhi:today': TODAY } });
  GovernancePolicy.of(app).apply({ maxLifetimeDays: head ? 730 : 365, maxRotationDays: 90 });
  const stack = new TerraformStack(app, 'billing');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });

  new GovernedServiceAccount(stack, 'ReportReader', {
    owner,
    purpose: 'Reads nightly billing exports for the monthly revenue report',
    expires: '2027-10-31',
    name: 'billing-report-reader',
    assumedBy: { service: 'lambda.amazonaws.com' },
    scope: [
      { actions: ['s3:GetObject', 's3:ListBucket', ...(head ? ['s3:PutObject'] : [])], resources: ['arn:aws:s3:::acme-billing-exports', 'arn:aws:s3:::acme-billing-exports/*'] },
      ...(head ? [{ actions: ['iam:PassRole'], resources: ['arn:aws:iam::123456789012:role/billing-export-job'], justification: 'Starts the export job with its own role' }] : []),
    ],
    alarms: { cloudTrailLogGroupName: 'org-cloudtrail' },
  });
  new GovernedServiceAccount(stack, 'SiteDeployer', {
    owner,
    purpose: 'Uploads the billing web site from the main branch of acme/billing-site',
    expires: head ? '2028-08-13' : '2027-03-31',
    name: 'billing-site-deployer',
    assumedBy: { service: 'codebuild.amazonaws.com' },
    scope: [{ actions: ['s3:PutObject', 's3:DeleteObject'], resources: ['arn:aws:s3:::acme-billing-site/*'] }],
  });
  if (!head) {
    new GovernedServiceAccount(stack, 'InvoiceUploader', {
      owner,
      purpose: 'On-premises invoice scanner uploads scanned invoices',
      expires: '2027-01-31',
      name: 'billing-invoice-uploader',
      staticCredentials: { justification: 'The on-premises scanner appliance only supports access keys', rotationDays: 30 },
      scope: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::acme-billing-inbox/scans/*'] }],
    });
  }
  new GovernedApiKey(stack, 'PartnerKey', {
    owner,
    purpose: 'Partner Globex submits usage records to the billing API',
    expires: '2027-05-31',
    name: 'partner-globex-usage',
    scope: [{ restApiId: 'a1b2c3d4e5', stage: 'prod' }, ...(head ? [] : [{ restApiId: 'a1b2c3d4e5', stage: 'staging' }])],
    throttle: { rateLimit: 5, burstLimit: 10 },
    rotationDays: head ? 90 : 30,
  });
  if (head) {
    new GovernedServiceAccount(stack, 'AuditReader', {
      owner: { team: 'security', contact: 'security@example.com' },
      purpose: 'Reads billing exports for the quarterly audit sample',
      expires: '2027-02-28',
      name: 'billing-audit-reader',
      assumedBy: { service: 'lambda.amazonaws.com' },
      scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-billing-exports/*'] }],
    });
  }
  app.synth();
  return outdir;
}

/** A fresh temporary directory. */
export function tmpDir(prefix = 'nhi-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Base and head synths of the billing app, plus an unchanged copy of base. */
export function billingSynths(): { base: string; head: string; same: string } {
  const root = tmpDir();
  return {
    base: synthBilling(path.join(root, 'base', 'cdktf.out'), 'base'),
    head: synthBilling(path.join(root, 'head', 'cdktf.out'), 'head'),
    same: synthBilling(path.join(root, 'same', 'cdktf.out'), 'base'),
  };
}

/** A register identity as the loader returns it, for unit tests. */
export function identity(overrides: Record<string, unknown> = {}): any {
  return {
    path: 'app/Reader',
    kind: 'service-account',
    cloud: 'aws',
    name: 'reader',
    owner: { team: 'billing', contact: 'billing@example.com' },
    system: null,
    environment: null,
    purpose: 'Reads nightly billing exports for the report',
    expires: '2027-06-30',
    approval: null,
    vendor: null,
    credentials: 'none',
    rotation: null,
    scope: [{ actions: [{ action: 's3:GetObject', accessLevel: 'Read', privileged: false }], resources: ['arn:aws:s3:::b/*'] }],
    alarms: [
      { kind: 'expiry-reminder', description: 'on 2027-05-31, before the identity expires on 2027-06-30', notifies: 'billing@example.com' },
      { kind: 'access-denied', description: 'when CloudTrail records an AccessDenied error for the identity', notifies: 'billing@example.com' },
    ],
    controls: ['NHI1', 'NHI5', 'NHI7'],
    stack: 'app',
    ...overrides,
  };
}

/** An AWS grant of a register (actions as written; access levels are looked up by the CLI). */
export function grant(actions: string[], resources: string[], justification?: string): any {
  return { actions: actions.map((action) => ({ action })), resources, ...(justification ? { justification } : {}) };
}

/**
 * A finding the artifact holds for `app/Reader` beyond its declaration, accepted by a waiver (a
 * register's `accepted`): by default an escape hatch that adds `s3:PutObject` to the role.
 */
export function accepted(overrides: Record<string, unknown> = {}): any {
  return {
    code: 'NHI_SCOPE_WIDENED',
    source: 'app/Reader/Extra',
    resourceType: 'aws_iam_role_policy',
    attribute: 'policy',
    message: 'an escape hatch (aws_iam_role_policy app/Reader/Extra) of app/Reader grants more than the declared scope (and the register) says: s3:PutObject on arn:aws:s3:::b/*',
    waiver: { reason: 'Legacy uploader until the migration', expires: '2027-01-31', owner: 'billing' },
    ...overrides,
  };
}
