// Artifact verification (on by default on cdktf): the check's own time compared with the synth of
// the same stack, for N governed identities per cdktf target and 200 on the AWS CDK (target: at most
// 10% of synth).
// - synth: app.synth() of N governed identities (which includes the check);
// - verify: the check alone on the stack's already-built Terraform JSON (extraction from the
//   JSON, comparison with every declaration). Synthesis hands the JSON the check built to
//   cdk.tf.json, so this is what verification adds.
import { governedAwsApp, governedCdkApp } from './apps';
import { assertCompiled, BenchCase, childMain, compare, requireCompiled } from './harness';

const N = Number(process.env.NHI_BENCH_N ?? 1000);

function awsStack(): any {
  return governedAwsApp(N, { 'nhi:today': '2026-11-23' });
}

function googleStack(): any {
  const { App, TerraformStack } = require('cdktf');
  const { GoogleProvider } = require('@cdktf/provider-google/lib/provider');
  const { GovernedServiceAccount } = requireCompiled('lib/cdktf-google/index.js');
  const app = new App({ outdir: require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'nhi-bench-')), context: { 'nhi:today': '2026-11-23' } });
  const stack = new TerraformStack(app, 'bench');
  new GoogleProvider(stack, 'google', { project: 'acme-billing-prod', region: 'europe-west1' });
  for (let i = 0; i < N; i++) {
    new GovernedServiceAccount(stack, `Sa${i}`, {
      owner: { team: 'billing', contact: 'billing@example.com' },
      purpose: 'Reads nightly billing exports for the reporting job',
      expires: '2027-06-30',
      project: 'acme-billing-prod',
      accountId: `svc-reader-${i}`,
      scope: [{ role: 'roles/storage.objectViewer', bucket: `acme-exports-${i}` }],
    });
  }
  return { app, stack };
}

const CDK_N = Number(process.env.NHI_BENCH_CDK_N ?? 200);

function cdkApp(): any {
  return governedCdkApp(CDK_N, { context: { 'nhi:today': '2026-11-23' } });
}

const cdkVerify: BenchCase = () => {
  const { artifactFindings } = requireCompiled('lib/aws-cdk/private/verification-check.js');
  const { app, stack } = cdkApp();
  app.synth();
  const template = JSON.parse(require('fs').readFileSync(require('path').join(app.outdir, stack.templateFile), 'utf8'));
  return () => {
    const findings = artifactFindings(stack, template);
    if (findings.length > 0) throw new Error(`unexpected findings: ${findings.length}`);
  };
};

const synth = (build: () => any): BenchCase => () => {
  const { app } = build();
  return () => app.synth();
};

const verify = (build: () => any): BenchCase => () => {
  const { verifyStack } = requireCompiled('lib/cdktf/verification.js');
  const { stack } = build();
  const tf = stack.toTerraform();
  return () => {
    const findings = verifyStack(stack, tf);
    if (findings.length > 0) throw new Error(`unexpected findings: ${findings.length}`);
  };
};

const cases: Record<string, BenchCase> = {
  'aws-synth': synth(awsStack),
  'aws-verify': verify(awsStack),
  'google-synth': synth(googleStack),
  'google-verify': verify(googleStack),
  'cdk-synth': synth(cdkApp),
  'cdk-verify': cdkVerify,
};

export function main(): void {
  assertCompiled('lib/cdktf/verification', 'lib/cdktf-aws/index', 'lib/cdktf-google/index', 'lib/aws-cdk/private/verification-check');
  const file = __filename;
  compare(`cdktf AWS, ${N} identities: A verification alone vs B the synth (which includes it)`, { file, name: 'aws-verify' }, { file, name: 'aws-synth' }, { target: 0.1 });
  compare(`cdktf Google, ${N} identities: A verification alone vs B the synth (which includes it)`, { file, name: 'google-verify' }, { file, name: 'google-synth' }, { target: 0.1 });
  compare(`AWS CDK, ${CDK_N} identities: A verification alone vs B the synth (which includes it)`, { file, name: 'cdk-verify' }, { file, name: 'cdk-synth' }, { target: 0.1 });
}

if (!childMain(cases) && require.main === module) main();
