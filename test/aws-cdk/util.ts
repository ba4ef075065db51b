import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps, Stack } from 'aws-cdk-lib/core';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GovernedApiKeyProps, GovernedServiceAccountProps } from '../../lib/aws-cdk';

export const TODAY = '2026-11-23';

/** An App with "today" pinned and the built-in CloudFormation validation off (it costs ~2 s and 300 MB). */
export function testApp(props: AppProps = {}): App {
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-cdk-')),
    builtinCloudFormationValidation: false,
    ...props,
    context: { 'nhi:today': TODAY, ...(props.context ?? {}) },
  });
}

export function testStack(app = testApp(), id = 'Billing'): Stack {
  return new Stack(app, id, { env: { account: '123456789012', region: 'eu-west-1' } });
}

export const OWNER = { team: 'billing', contact: 'billing@example.com' };

export function saProps(over: Partial<GovernedServiceAccountProps> = {}): GovernedServiceAccountProps {
  return {
    owner: OWNER,
    purpose: 'Reads nightly billing exports for the reporting job',
    expires: '2027-06-30',
    name: 'billing-report-reader',
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/reports/*'] }],
    ...over,
  };
}

export function restApi(stack: Stack, id = 'Api'): apigateway.RestApi {
  // No account-wide CloudWatch role (an ungoverned role; new CDK apps turn it off with the
  // @aws-cdk/aws-apigateway:disableCloudWatchRole feature flag).
  const api = new apigateway.RestApi(stack, id, { deployOptions: { stageName: 'prod' }, cloudWatchRole: false });
  api.root.addMethod('GET', new apigateway.MockIntegration(), { apiKeyRequired: true });
  return api;
}

export function apiKeyProps(api: apigateway.RestApi, over: Partial<GovernedApiKeyProps> = {}): GovernedApiKeyProps {
  return {
    owner: { team: 'partners', contact: 'partners@example.com' },
    purpose: 'Partner Acme pulls order status from the orders API',
    expires: '2027-06-30',
    name: 'partner-acme-orders',
    scope: [{ api, stage: api.deploymentStage }],
    throttle: { rateLimit: 10, burstLimit: 20 },
    ...over,
  };
}

/** Expects `fn` to throw a GovernanceError with `code`; returns the error. */
export function governanceError(fn: () => unknown): { name: string; message: string; violations: { code: string; field: string; message: string; fix: string }[] } {
  try {
    fn();
  } catch (e) {
    const err = e as any;
    if (err?.name !== 'GovernanceError') throw e;
    return err;
  }
  throw new Error('expected a GovernanceError');
}
