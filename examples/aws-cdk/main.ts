// Example: a billing team's non-human identities on AWS, declared with nhi-constructs (AWS CDK).
// `npx cdk synth` (from this folder) writes cdk.out/, with Billing.nhi-register.json beside
// Billing.template.json; the NhiGovernance validation plugin checks the synthesised templates.
import { daysFromToday } from '../dates'; // examples compute dates so they never rot: write yours literally
import { App, AppProps, Stack, StackProps, Validations } from 'aws-cdk-lib/core';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { GovernedApiKey, GovernedServiceAccount, NhiGovernanceChecks } from '../../lib/aws-cdk';
import { GovernancePolicy } from '../../lib/core';

const owner = { team: 'billing', contact: 'billing-oncall@example.com' };

export class BillingStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const exports = new s3.Bucket(this, 'Exports', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    const trail = logs.LogGroup.fromLogGroupName(this, 'OrgTrail', 'org-cloudtrail');

    // Workload identity: a role the reporting Lambda assumes; no keys exist.
    const reader = new GovernedServiceAccount(this, 'ReportReader', {
      owner,
      purpose: 'Reads nightly billing exports for the monthly revenue report',
      expires: daysFromToday(this, 219),
      name: 'billing-report-reader',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      scope: [
        { actions: ['s3:GetObject'], resources: [exports.arnForObjects('reports/*')] },
        { actions: ['s3:ListBucket'], resources: [exports.bucketArn] },
      ],
      alarms: { cloudTrailLogGroup: trail, runbookUrl: 'https://wiki.example.com/billing/runbooks/nhi' },
    });
    // A CDK grant works, and adds nothing: the declared scope already allows it (a grant beyond
    // the scope would fail the synth with NHI_SCOPE_WIDENED).
    iam.Grant.addToPrincipal({ grantee: reader, actions: ['s3:GetObject'], resourceArns: [exports.arnForObjects('reports/2027/*')] });

    // CI deploys the billing site from one repository branch, through OIDC federation.
    new GovernedServiceAccount(this, 'SiteDeployer', {
      owner,
      purpose: 'Uploads the billing web site from the main branch of acme/billing-site',
      expires: daysFromToday(this, 219),
      name: 'billing-site-deployer',
      assumedBy: new iam.WebIdentityPrincipal('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': 'repo:acme/billing-site:ref:refs/heads/main',
        },
      }),
      scope: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::acme-billing-site/*'] }],
    });

    // A legacy on-premises uploader that cannot assume roles: a rotated access key, by exception.
    new GovernedServiceAccount(this, 'InvoiceUploader', {
      owner,
      purpose: 'On-premises invoice scanner uploads scanned invoices',
      expires: daysFromToday(this, 128),
      name: 'billing-invoice-uploader',
      staticCredentials: { justification: 'The scanner appliance only supports static access keys', rotationDays: 30 },
      scope: [{ actions: ['s3:PutObject'], resources: [exports.arnForObjects('invoices/*')] }],
    });

    // A partner calls the orders API with an API key, limited to one stage and throttled.
    const api = new apigateway.RestApi(this, 'OrdersApi', { deployOptions: { stageName: 'prod' }, cloudWatchRole: false });
    api.root.addResource('orders').addMethod('GET', new apigateway.MockIntegration(), { apiKeyRequired: true });
    new GovernedApiKey(this, 'PartnerKey', {
      owner: { team: 'partners', contact: 'partner-integrations@example.com' },
      purpose: 'Partner Acme polls order status for its invoicing',
      expires: daysFromToday(this, 219),
      name: 'partner-acme-orders',
      scope: [{ api, stage: api.deploymentStage }],
      throttle: { rateLimit: 10, burstLimit: 20 },
      quota: { limit: 10000, period: apigateway.Period.DAY },
      rotationDays: 30,
    });
  }
}

export function buildApp(props: AppProps = {}): App {
  const app = new App(props);
  // The organisation's policy, set once by the platform team for the whole app.
  GovernancePolicy.of(app).apply({ maxLifetimeDays: 365, maxRotationDays: 90, allowedOwnerDomains: ['example.com'] });
  // The governance rules run again over the synthesised templates (escape hatches included).
  Validations.of(app).addPlugins(new NhiGovernanceChecks());
  new BillingStack(app, 'Billing', { env: { account: '123456789012', region: 'eu-west-1' } });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
