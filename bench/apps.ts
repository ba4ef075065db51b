// The governed apps the benchmarks build, shared by the synth and the verification benchmarks:
// N governed service accounts, one owner, one S3 grant each. Modules are loaded when called (in
// the measured child process), the library from its compiled files.
import { requireCompiled } from './harness';

/** A fresh synth output directory under the benchmark's temporary folder. */
export function benchOutdir(prefix = 'nhi-bench-'): string {
  return require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), prefix));
}

/** The props of governed role `i` on both AWS targets, but for who assumes it. */
function identityProps(i: number): Record<string, unknown> {
  return {
    owner: { team: 'billing', contact: 'billing@example.com' },
    purpose: 'Reads nightly billing exports for the reporting job',
    expires: '2027-06-30',
    name: `svc-${i}`,
    scope: [{ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-${i}/*`] }],
  };
}

/** cdktf AWS: a stack of `n` governed roles (not synthesised). */
export function governedAwsApp(n: number, context: Record<string, string> = {}): { app: any; stack: any } {
  const { App, TerraformStack } = require('cdktf');
  const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
  const { GovernedServiceAccount } = requireCompiled('lib/cdktf-aws/index.js');
  const app = new App({ outdir: benchOutdir(), context });
  const stack = new TerraformStack(app, 'bench');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  for (let i = 0; i < n; i++) {
    new GovernedServiceAccount(stack, `Sa${i}`, { ...identityProps(i), assumedBy: { service: 'lambda.amazonaws.com' } });
  }
  return { app, stack };
}

/** AWS CDK: a stack of `n` governed roles (not synthesised), template validation off. */
export function governedCdkApp(n: number, options: { plugin?: boolean; context?: Record<string, string> } = {}): { app: any; stack: any } {
  const core = require('aws-cdk-lib/core');
  const iam = require('aws-cdk-lib/aws-iam');
  const { GovernedServiceAccount, NhiGovernanceChecks } = requireCompiled('lib/aws-cdk/index.js');
  const app = new core.App({ outdir: benchOutdir('nhi-bench-cdk-'), builtinCloudFormationValidation: false, context: options.context ?? {} });
  if (options.plugin) core.Validations.of(app).addPlugins(new NhiGovernanceChecks());
  const stack = new core.Stack(app, 'bench', { env: { account: '123456789012', region: 'eu-west-1' } });
  for (let i = 0; i < n; i++) {
    new GovernedServiceAccount(stack, `Sa${i}`, { ...identityProps(i), assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  }
  return { app, stack };
}

/**
 * The CloudTrail alarm rules a hand-written AWS app needs for `names` (roles): per kind, the event
 * patterns that list as many role names as fit in EventBridge's 2,048 characters, in order. Both
 * hand-written baselines (cdktf AWS and AWS CDK) build their rules from these, as a team would
 * write one helper for it.
 */
export function cloudTrailRulePatterns(names: string[]): { kind: string; index: number; pattern: any }[] {
  const patterns: Record<string, (roles: string[]) => unknown> = {
    'policy-changed': (roles) => ({ 'source': ['aws.iam'], 'detail-type': ['AWS API Call via CloudTrail'], 'detail': {
      eventSource: ['iam.amazonaws.com'],
      eventName: ['AddUserToGroup', 'AttachRolePolicy', 'AttachUserPolicy', 'DeleteRolePermissionsBoundary', 'DeleteRolePolicy', 'DeleteUserPermissionsBoundary',
        'DeleteUserPolicy', 'DetachRolePolicy', 'DetachUserPolicy', 'PutRolePermissionsBoundary', 'PutRolePolicy', 'PutUserPermissionsBoundary', 'PutUserPolicy', 'UpdateAssumeRolePolicy'],
      requestParameters: { roleName: roles },
    } }),
    'access-denied-event': (roles) => ({ 'detail-type': ['AWS API Call via CloudTrail'], 'detail': {
      errorCode: [{ prefix: 'AccessDenied' }, { suffix: 'UnauthorizedOperation' }],
      userIdentity: { type: ['AssumedRole'], sessionContext: { sessionIssuer: { userName: roles } } },
    } }),
  };
  const out: { kind: string; index: number; pattern: any }[] = [];
  for (const [kind, pattern] of Object.entries(patterns)) {
    const fixed = JSON.stringify(pattern([])).length;
    for (let c = 0, start = 0; start < names.length; c++) {
      let end = start;
      for (let chars = fixed; end < names.length && chars + names[end].length + 3 <= 2048; end++) chars += names[end].length + 3;
      out.push({ kind, index: c, pattern: pattern(names.slice(start, end).sort()) });
      start = end;
    }
  }
  return out;
}
