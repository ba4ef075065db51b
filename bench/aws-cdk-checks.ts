// AWS CDK enforcement: the cost of the NhiGovernanceChecks validation plugin compared with cdk-nag
// v3 AwsSolutionsChecks on the same app, in the same run (issue 5). The app is a realistic mix:
// per stack 150 governed service accounts, 2 static-credential users, 2 API keys on a REST API,
// 40 S3 buckets, 20 hand-written roles with policies and 10 Lambda functions, in 2 stacks
// (~700 resources in all; a stack holds at most 500).
//
// Two measurements, each case in fresh processes, interleaved pairs:
// - app.synth() without plugins vs with each plugin vs with both (what a user waits for);
// - the plugin's validate() alone on the already-synthesised app, ours vs cdk-nag's.
// Both plugins report findings on the hand-written resources (cdk-nag: buckets without access
// logs, ...; ours: none, roles are not reported by default), so synthesis fails at the end; the
// cases catch that error, the cost is the same.
import { assertCompiled, BenchCase, childMain, compare, requireCompiled } from './harness';

const STACKS = Number(process.env.NHI_BENCH_CHECKS_STACKS ?? 2);
const GOVERNED = Number(process.env.NHI_BENCH_CHECKS_GOVERNED ?? 150);

type Plugins = 'none' | 'nhi' | 'nag' | 'both';

function load() {
  return {
    fs: require('fs'),
    os: require('os'),
    path: require('path'),
    core: require('aws-cdk-lib/core'),
    iam: require('aws-cdk-lib/aws-iam'),
    s3: require('aws-cdk-lib/aws-s3'),
    lambda: require('aws-cdk-lib/aws-lambda'),
    apigateway: require('aws-cdk-lib/aws-apigateway'),
    nhi: requireCompiled('lib/aws-cdk/index.js'),
    waivers: requireCompiled('lib/core/waivers.js'),
    nag: require('cdk-nag'),
  };
}

type Mods = ReturnType<typeof load>;

/** Builds the benchmark app (untimed parts are up to the caller). */
function buildApp(m: Mods, plugins: Plugins): any {
  const { core, iam, s3, lambda, apigateway, nhi } = m;
  const app = new core.App({
    outdir: m.fs.mkdtempSync(m.path.join(m.os.tmpdir(), 'nhi-bench-checks-')),
    builtinCloudFormationValidation: false,
    context: { 'nhi:today': '2026-11-23' },
  });
  if (plugins === 'nhi' || plugins === 'both') core.Validations.of(app).addPlugins(new nhi.NhiGovernanceChecks());
  if (plugins === 'nag' || plugins === 'both') core.Validations.of(app).addPlugins(new m.nag.AwsSolutionsChecks(app));
  const owner = { team: 'billing', contact: 'billing@example.com' };
  for (let s = 0; s < STACKS; s++) {
    const stack = new core.Stack(app, `Bench${s}`, { env: { account: '123456789012', region: 'eu-west-1' } });
    // The hand-written roles below (and those the API and functions create) are legacy, under an
    // expiring waiver, as in an app that is migrating: the plugin checks them and reports none.
    m.waivers.Waivers.of(stack).add({
      code: 'NHI_UNGOVERNED_IDENTITY',
      resourceType: 'AWS::IAM::Role',
      owner: { team: 'platform', contact: 'platform@example.com' },
      reason: 'Legacy task and function roles, migration to governed roles tracked in OPS-42',
      expires: '2027-03-31',
    });
    for (let i = 0; i < GOVERNED; i++) {
      new nhi.GovernedServiceAccount(stack, `Sa${i}`, {
        owner,
        purpose: 'Reads nightly billing exports for the reporting job',
        expires: '2027-06-30',
        name: `svc-${s}-${i}`,
        system: `reporter-${s}-${i}`,
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        scope: [{ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-${s}-${i}/*`] }],
      });
    }
    for (let i = 0; i < 2; i++) {
      new nhi.GovernedServiceAccount(stack, `Legacy${i}`, {
        owner,
        purpose: 'On-premises batch host uploads billing files',
        expires: '2027-06-30',
        name: `legacy-${s}-${i}`,
        staticCredentials: { justification: 'On-premises batch host cannot assume roles' },
        scope: [{ actions: ['s3:PutObject'], resources: [`arn:aws:s3:::uploads-${s}-${i}/*`] }],
      });
    }
    const api = new apigateway.RestApi(stack, 'Api', { deployOptions: { stageName: 'prod' } });
    api.root.addMethod('GET', new apigateway.MockIntegration(), { apiKeyRequired: true });
    for (let i = 0; i < 2; i++) {
      new nhi.GovernedApiKey(stack, `Key${i}`, {
        owner: { team: 'partners', contact: 'partners@example.com' },
        purpose: 'Partner pulls order status from the orders API',
        expires: '2027-06-30',
        name: `partner-${s}-${i}`,
        scope: [{ api, stage: api.deploymentStage }],
        throttle: { rateLimit: 10, burstLimit: 20 },
      });
    }
    for (let i = 0; i < 40; i++) new s3.Bucket(stack, `Bucket${i}`, { enforceSSL: true });
    for (let i = 0; i < 20; i++) {
      const role = new iam.Role(stack, `Role${i}`, { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [`arn:aws:sqs:eu-west-1:123456789012:q-${i}`] }));
    }
    for (let i = 0; i < 10; i++) {
      new lambda.Function(stack, `Fn${i}`, {
        runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;'),
      });
    }
  }
  return app;
}

function synthCase(plugins: Plugins): BenchCase {
  return () => {
    const m = load();
    return () => {
      const app = buildApp(m, plugins);
      try {
        app.synth();
      } catch (e) {
        if (!/Validation failed/.test((e as Error).message)) throw e;
      }
    };
  };
}

/** Times one plugin's validate() on an app synthesised (untimed) without plugins. */
function validateCase(which: 'nhi' | 'nag'): BenchCase {
  return () => {
    const m = load();
    const app = buildApp(m, 'none');
    const asm = app.synth();
    const stackTemplates = asm.stacks.map((s: any) => ({ stackConstructPath: s.hierarchicalId, templatePath: s.templateFullPath }));
    const context = { templatePaths: stackTemplates.map((s: any) => s.templatePath), stackTemplates, appConstruct: app };
    const plugin = which === 'nhi' ? new m.nhi.NhiGovernanceChecks() : new m.nag.AwsSolutionsChecks(app);
    return () => {
      const r = plugin.validate(context);
      if (which === 'nhi' && !r.success) throw new Error(`unexpected NhiGovernance findings: ${JSON.stringify(r.violations.slice(0, 2))}`);
    };
  };
}

const cases: Record<string, BenchCase> = {
  'synth': synthCase('none'),
  'synth-nhi': synthCase('nhi'),
  'synth-nag': synthCase('nag'),
  'synth-both': synthCase('both'),
  'validate-nhi': validateCase('nhi'),
  'validate-nag': validateCase('nag'),
};

export function main(): void {
  assertCompiled('lib/aws-cdk/index');
  const file = __filename;
  console.log(`app: ${STACKS} stacks x (${GOVERNED} governed roles, 2 static-credential users, 2 API keys, 40 buckets, 20 roles, 10 functions)`);
  compare('AWS CDK synth: A with NhiGovernanceChecks vs B without plugins', { file, name: 'synth-nhi' }, { file, name: 'synth' }, { target: 1.3 });
  compare('AWS CDK synth: A with cdk-nag AwsSolutionsChecks vs B without plugins (for comparison)', { file, name: 'synth-nag' }, { file, name: 'synth' });
  compare('AWS CDK validate() alone: A NhiGovernanceChecks vs B cdk-nag AwsSolutionsChecks', { file, name: 'validate-nhi' }, { file, name: 'validate-nag' }, { target: 1.0 });
}

if (!childMain(cases) && require.main === module) main();
