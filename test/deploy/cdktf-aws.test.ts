// Deploy test, cdktf AWS target: every cdktf AWS example and a test app with every construct
// variant are synthesised, then, with the real Terraform CLI and the AWS provider plugin from the
// local mirror, `terraform init`, `apply` to the moto AWS API emulator, read back through the AWS
// SDK (what is deployed is what the register says), `plan -detailed-exitcode` (0: no perpetual
// diff), `destroy`, and read back again (nothing is left: offboarding).
//
// Needs terraform, the AWS provider plugin in a filesystem mirror and moto_server (see
// test/deploy/components.ts; .ci/run starts moto_server and sets NHI_MOTO_ENDPOINT). What differs
// between the synthesised configuration and what runs here is adapted in the harness only:
// ADAPTATIONS in test/deploy/terraform.ts, plus CLOUDTRAIL_LOG_GROUP below; docs/deploy-tests.md.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { GovernedApiKey, GovernedServiceAccount } from '../../lib/cdktf-aws';
import { GovernancePolicy } from '../../lib/core';
import { addDays } from '../../lib/core/dates';
import { buildApp as buildExample } from '../../examples/cdktf-aws/main';
import { PaymentsServiceAccount } from '../../examples/platform/payments-service-account';
import { clientConfig, credentialsFor, freshAccount, Moto, startMoto } from './moto';
import { compareWithRegister, leftovers, readDeployed } from './readback';
import { ADAPTATIONS, TerraformDeployment } from './terraform';

const ROOT = path.join(__dirname, '..', '..');
const TODAY = '2026-11-30';

/**
 * HARNESS ADAPTATION (besides test/deploy/terraform.ts): the CloudTrail log group an identity's
 * AccessDenied alarm reads (`alarms.cloudTrailLogGroupName`, the organisation's trail) exists in a
 * real account before the stack is deployed; the harness creates it in the emulator's account.
 */
const CLOUDTRAIL_LOG_GROUP = 'the CloudTrail log group named by alarms.cloudTrailLogGroupName is created in the account before apply';

/** A test app with every cdktf AWS construct variant. */
function variantsApp(outdir: string): App {
  const app = new App({ outdir, context: { 'nhi:today': TODAY } });
  GovernancePolicy.of(app).apply({ allowedOwnerDomains: ['example.com', 'payments.example.com'] });
  const stack = new TerraformStack(app, 'variants');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const owner = { team: 'billing', contact: 'billing-oncall@example.com' };
  const expires = addDays(TODAY, 200);
  const s3 = (bucket: string) => [{ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::${bucket}/*`] }];
  // A role for an AWS service, with AccessDenied alarms on the organisation's CloudTrail log group.
  new GovernedServiceAccount(stack, 'ServiceRole', {
    owner, purpose: 'Lambda reads the nightly billing exports', expires, name: 'variants-service-role',
    assumedBy: { service: 'lambda.amazonaws.com' }, scope: s3('acme-billing-exports'),
    alarms: { cloudTrailLogGroupName: 'org-cloudtrail', runbookUrl: 'https://wiki.example.com/nhi' },
  });
  // OIDC federation (a CI pipeline).
  new GovernedServiceAccount(stack, 'OidcRole', {
    owner, purpose: 'CI deploys the billing site from the main branch', expires, name: 'variants-oidc-role',
    assumedBy: { oidc: {
      providerArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      issuer: 'token.actions.githubusercontent.com', audience: 'sts.amazonaws.com', subject: 'repo:acme/billing-site:ref:refs/heads/main',
    } },
    scope: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::acme-billing-site/*'] }],
  });
  // A third-party vendor's account, with the vendor's external id, living at most 90 days.
  new GovernedServiceAccount(stack, 'VendorRole', {
    owner, purpose: 'Globex reconciles our monthly usage export', expires: addDays(TODAY, 60), name: 'variants-vendor-role',
    vendor: { name: 'Globex Corp', contact: 'security@globex.example' },
    assumedBy: { accountIds: ['999988887777'], externalId: 'globex-7f3a91c2d4' },
    scope: s3('acme-billing-exports/usage'),
  });
  // Static credentials (an access key in Secrets Manager, rotated, disabled at expiry).
  new GovernedServiceAccount(stack, 'StaticUser', {
    owner, purpose: 'On-premises scanner uploads invoices', expires, name: 'variants-static-user',
    staticCredentials: { justification: 'The scanner appliance only supports access keys', rotationDays: 30 },
    scope: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::acme-billing-inbox/*'] }],
  });
  // An API key with throttle and quota, declared inside the reminder window (reminder tomorrow).
  new GovernedApiKey(stack, 'ApiKey', {
    owner, purpose: 'Partner Globex submits usage records', expires: addDays(TODAY, 10), name: 'variants-api-key',
    scope: [{ restApiId: 'a1b2c3d4e5', stage: 'prod' }, { restApiId: 'a1b2c3d4e5', stage: 'staging' }],
    throttle: { rateLimit: 5, burstLimit: 10 }, quota: { limit: 1000, period: 'DAY' }, rotationDays: 14,
  });
  // The platform team's blessed construct (examples/platform).
  new PaymentsServiceAccount(stack, 'Refunds', {
    purpose: 'Issues refunds for disputed card payments', expires: addDays(TODAY, 60), name: 'refunds', dataClass: 'pci',
    lambdaFunctionScope: [{ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/payments'] }],
  });
  return app;
}

/** Runs an examples/readme file (it synthesises to ./cdktf.out) in `dir`. */
function synthReadmeExample(file: string, dir: string): void {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    jest.isolateModules(() => {
      process.env.NHI_TODAY = TODAY;
      require(`../../examples/readme/${file}`);
    });
  } finally {
    delete process.env.NHI_TODAY;
    process.chdir(cwd);
  }
}

/** Every cdktf AWS example under examples/readme (they import the cdktf-aws module). */
const README_AWS = fs.readdirSync(path.join(ROOT, 'examples', 'readme'))
  .filter((f) => f.endsWith('.ts') && /from 'nhi-constructs\/lib\/cdktf(-aws)?'/.test(fs.readFileSync(path.join(ROOT, 'examples', 'readme', f), 'utf8'))
    && /@cdktf\/provider-aws/.test(fs.readFileSync(path.join(ROOT, 'examples', 'readme', f), 'utf8')));

/**
 * The stacks to deploy, in groups deployed together (one Terraform root, one account): the main
 * example with the variants app, and the README examples (their resource names differ within a
 * group; the README's cdktf-aws example reuses a role name of the main example).
 */
function synthAll(base: string): Record<string, Record<string, string>> {
  const stacks = (outdir: string, prefix: string) => Object.fromEntries(fs.readdirSync(path.join(outdir, 'stacks'))
    .map((s) => [`${prefix}_${s}`.replace(/[^A-Za-z0-9_-]/g, '_'), path.join(outdir, 'stacks', s)]));
  const ex = path.join(base, 'example');
  buildExample(ex, { 'nhi:today': TODAY }).synth();
  const va = path.join(base, 'variants');
  variantsApp(va).synth();
  const readme: Record<string, string> = {};
  for (const f of README_AWS) {
    const dir = path.join(base, `readme-${f}`);
    fs.mkdirSync(dir);
    synthReadmeExample(f, dir);
    Object.assign(readme, stacks(path.join(dir, 'cdktf.out'), `readme_${f.replace(/\.ts$/, '')}`));
  }
  return {
    [MAIN_GROUP]: { ...stacks(ex, 'example'), ...stacks(va, 'variants') },
    [README_GROUP]: readme,
  };
}

const MAIN_GROUP = 'examples/cdktf-aws/main.ts and the test app with every construct variant';
const README_GROUP = 'every cdktf AWS example under examples/readme';

interface Outcome {
  readonly modules: string[];
  readonly adaptations: string[];
  readonly registerProblems: string[];
  readonly planCode: number;
  readonly planText: string;
  readonly stateAfterDestroy: string[];
  readonly leftovers: string[];
  readonly identities: Record<string, number>;
}

async function deployCycle(moto: Moto, stackDirs: Record<string, string>, workDir: string): Promise<Outcome> {
  const creds = await credentialsFor(moto, freshAccount());
  const tf = new TerraformDeployment(stackDirs, workDir, moto, creds);
  const logGroups = [...new Set(Object.values(tf.configs).flatMap((c) => Object.values<any>(c.resource?.aws_cloudwatch_log_metric_filter ?? {})
    .map((f) => f.log_group_name as string)))];
  const adaptations: string[] = [...tf.applied];
  if (logGroups.length > 0) {
    const logs = new CloudWatchLogsClient(clientConfig(moto, creds));
    for (const lg of logGroups) await logs.send(new CreateLogGroupCommand({ logGroupName: lg }));
    logs.destroy();
    adaptations.push('cloudtrail-log-group');
  }
  await tf.init();
  await tf.apply();
  const registers: Record<string, any> = {};
  for (const [name, dir] of Object.entries(stackDirs)) {
    const file = path.join(dir, 'nhi-register.json');
    registers[name] = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { identities: [] };
  }
  const deployed = await readDeployed(moto, creds, logGroups);
  const registerProblems = Object.values(registers).flatMap((r) => compareWithRegister(r, deployed));
  const plan = await tf.plan();
  await tf.destroy();
  const stateAfterDestroy = await tf.stateList().catch(() => []);
  const after = await readDeployed(moto, creds, logGroups);
  return {
    modules: Object.keys(stackDirs).sort(), adaptations, registerProblems, planCode: plan.code,
    planText: plan.code === 0 ? '' : plan.output.slice(-4000), stateAfterDestroy, leftovers: leftovers(after),
    identities: Object.fromEntries(Object.entries(registers).map(([n, r]) => [n, r.identities.length])),
  };
}

/** Runs `jobs` with at most `n` at a time. */
function limit<T>(n: number, jobs: (() => Promise<T>)[]): Promise<T>[] {
  let running = 0;
  const queue: (() => void)[] = [];
  return jobs.map((job) => new Promise<T>((resolve, reject) => {
    const start = () => {
      running++;
      job().then(resolve, reject).finally(() => {
        running--;
        queue.shift()?.();
      });
    };
    if (running < n) start(); else queue.push(start);
  }));
}

const SKIP = process.env.NHI_DEPLOY_TESTS === 'skip';
const d = SKIP ? describe.skip : describe;

d('deploy: cdktf AWS examples and every construct variant, with Terraform, against the AWS API emulator', () => {
  let moto: Moto;
  let groups: Record<string, Record<string, string>> = {};
  const outcomes = new Map<string, Promise<Outcome>>();

  beforeAll(async () => {
    moto = await startMoto();
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-deploy-cdktf-aws-'));
    groups = synthAll(base);
    // The groups deploy side by side, each in its own account and folder.
    const names = Object.keys(groups);
    const promises = limit(Number(process.env.NHI_DEPLOY_PARALLEL ?? 2), names.map((name, i) => () => {
      const work = path.join(base, `tf-${i}`);
      fs.mkdirSync(work);
      return deployCycle(moto, groups[name], work);
    }));
    names.forEach((n, i) => {
      promises[i].catch(() => undefined); // awaited (and reported) by its test
      outcomes.set(n, promises[i]);
    });
  }, 300_000);

  afterAll(async () => {
    await Promise.allSettled([...outcomes.values()]);
    await moto?.stop();
  });

  test('every cdktf AWS example is deployed: the main example, the README ones, and the variants app', () => {
    expect(Object.keys(groups[MAIN_GROUP]).sort()).toEqual(['example_billing', 'variants_variants']);
    expect(README_AWS.length).toBeGreaterThanOrEqual(3);
    for (const f of README_AWS) {
      expect(Object.keys(groups[README_GROUP]).some((m) => m.startsWith(`readme_${f.replace(/\.ts$/, '')}_`))).toBe(true);
    }
  });

  test.each([MAIN_GROUP, README_GROUP])('%s: apply, read back = register, plan clean, destroy leaves nothing', async (group) => {
    const o = await outcomes.get(group)!;
    expect(o.adaptations.filter((a) => !(a in ADAPTATIONS) && a !== 'cloudtrail-log-group')).toEqual([]);
    expect(o.registerProblems).toEqual([]);
    expect({ planExitCode: o.planCode, plan: o.planText }).toEqual({ planExitCode: 0, plan: '' });
    expect({ state: o.stateAfterDestroy, leftovers: o.leftovers }).toEqual({ state: [], leftovers: [] });
  }, 40 * 60_000);

  test('the variants app has every variant (role, OIDC, vendor, static credentials, API key, alarms with a log group)', async () => {
    const o = await outcomes.get(MAIN_GROUP)!;
    expect(o.identities).toEqual({ example_billing: 4, variants_variants: 6 });
    expect(o.adaptations).toContain('cloudtrail-log-group');
    expect(CLOUDTRAIL_LOG_GROUP).toBeTruthy();
  }, 40 * 60_000);
});
