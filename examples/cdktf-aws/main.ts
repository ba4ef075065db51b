// Example: a billing team's non-human identities on AWS, declared with nhi-constructs (cdktf).
// `npm run example` synthesises it to examples/cdktf-aws/cdktf.out and prints the NHI register.
import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GovernedApiKey, GovernedServiceAccount } from '../../lib/cdktf-aws';
import { GovernancePolicy } from '../../lib/core';

const owner = { team: 'billing', contact: 'billing-oncall@example.com' };

export class BillingStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });

    // Workload identity: a role the reporting Lambda assumes; no keys exist.
    new GovernedServiceAccount(this, 'ReportReader', {
      owner,
      purpose: 'Reads nightly billing exports for the monthly revenue report',
      expires: daysFromToday(this, 342),
      name: 'billing-report-reader',
      assumedBy: { service: 'lambda.amazonaws.com' },
      scope: [
        { actions: ['s3:GetObject', 's3:ListBucket'], resources: ['arn:aws:s3:::acme-billing-exports', 'arn:aws:s3:::acme-billing-exports/*'] },
        { actions: ['s3:ListAllMyBuckets'], resources: ['*'] },
      ],
      alarms: { cloudTrailLogGroupName: 'org-cloudtrail', runbookUrl: 'https://wiki.example.com/billing/runbooks/nhi' },
    });

    // CI deploys the billing site from one repository branch, through OIDC federation.
    new GovernedServiceAccount(this, 'SiteDeployer', {
      owner,
      purpose: 'Uploads the billing web site from the main branch of acme/billing-site',
      expires: daysFromToday(this, 311),
      name: 'billing-site-deployer',
      assumedBy: {
        oidc: {
          providerArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
          issuer: 'token.actions.githubusercontent.com',
          audience: 'sts.amazonaws.com',
          subject: 'repo:acme/billing-site:ref:refs/heads/main',
        },
      },
      scope: [{ actions: ['s3:PutObject', 's3:DeleteObject'], resources: ['arn:aws:s3:::acme-billing-site/*'] }],
    });

    // A legacy on-premises host that cannot assume roles: a static key, justified and rotated.
    new GovernedServiceAccount(this, 'InvoiceUploader', {
      owner,
      purpose: 'On-premises invoice scanner uploads scanned invoices',
      expires: daysFromToday(this, 281),
      name: 'billing-invoice-uploader',
      staticCredentials: { justification: 'The on-premises scanner appliance only supports access keys', rotationDays: 30 },
      scope: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::acme-billing-inbox/scans/*'] }],
    });

    // A partner's API key: one API stage, throttled, with a daily quota.
    new GovernedApiKey(this, 'PartnerKey', {
      owner,
      purpose: 'Partner Globex submits usage records to the billing API',
      expires: daysFromToday(this, 357),
      name: 'partner-globex-usage',
      scope: [{ restApiId: 'a1b2c3d4e5', stage: 'prod' }],
      throttle: { rateLimit: 5, burstLimit: 10 },
      quota: { limit: 50000, period: 'DAY' },
      rotationDays: 60,
    });
  }
}

export function buildApp(outdir: string, context: Record<string, string> = {}): App {
  const app = new App({ outdir, context });
  // The organisation's policy, set once by the platform team for the whole app.
  GovernancePolicy.of(app).apply({ maxLifetimeDays: 365, maxRotationDays: 90, allowedOwnerDomains: ['example.com'] });
  new BillingStack(app, 'billing');
  return app;
}

if (require.main === module) {
  // `npx cdktf synth` in this folder sets CDKTF_OUTDIR (cdktf.json `output`, or --output).
  buildApp(process.env.CDKTF_OUTDIR ?? path.join(__dirname, 'cdktf.out')).synth();
}
