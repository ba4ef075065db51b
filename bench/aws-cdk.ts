// AWS CDK: synth of N governed service accounts vs N hand-written iam.Role + iam.Policy pairs in
// the same run (N = 200: a CloudFormation stack holds at most 500 resources; a governed role is
// one resource, the notices plumbing is shared per stack), with and without the NhiGovernance
// validation plugin; and the import cost of lib/aws-cdk vs the aws-cdk-lib modules it needs, in
// plain node processes (no TypeScript loader on either side).
// The entry point loads at import only its classes: the rules, private constructs, template check
// and register renderer load at the first construction or synthesis, so the governed synth's timed
// part includes loading them (about 20 ms, 40 ms with the aws-cdk-lib classes they create that the
// bare app does not), as the bare synth's includes the aws-cdk-lib classes it creates.
import * as fs from 'fs';
import * as path from 'path';
import { cloudTrailRulePatterns, governedCdkApp } from './apps';
import { assertCompiled, BenchCase, childMain, compare, importScript, requireCompiled, tmpDir } from './harness';

const N = Number(process.env.NHI_BENCH_AWS_CDK_N ?? 200);

function newApp(core: any): any {
  return new core.App({
    outdir: require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'nhi-bench-cdk-')),
    builtinCloudFormationValidation: false,
  });
}

const bare: BenchCase = () => {
  const core = require('aws-cdk-lib/core');
  const iam = require('aws-cdk-lib/aws-iam');
  return () => {
    const app = newApp(core);
    const stack = new core.Stack(app, 'bench', { env: { account: '123456789012', region: 'eu-west-1' } });
    for (let i = 0; i < N; i++) {
      const role = new iam.Role(stack, `Role${i}`, { roleName: `svc-${i}`, assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      core.Tags.of(role).add('owner', 'billing');
      new iam.Policy(stack, `Policy${i}`, {
        roles: [role],
        statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-${i}/*`] })],
      });
    }
    app.synth();
  };
};

// The same CloudFormation a team would write by hand, with the aws-cdk-lib classes they would use,
// to get what the construct emits for these props: per identity the role in its own construct
// (path, description, owner tags, the trust's and the inline policy's expiry condition); per stack
// the owner's topic (SSL-only, events and CloudWatch may publish) with its e-mail subscription,
// the scheduler role, the two notice schedules (their message lists every identity), and the
// policy-changed and access-denied EventBridge rules over the role names (as many names per rule
// as fit in an event pattern). The resource counts of both sides are equal.
const equivalent: BenchCase = () => {
  const core = require('aws-cdk-lib/core');
  const iam = require('aws-cdk-lib/aws-iam');
  const sns = require('aws-cdk-lib/aws-sns');
  const subs = require('aws-cdk-lib/aws-sns-subscriptions');
  const scheduler = require('aws-cdk-lib/aws-scheduler');
  const events = require('aws-cdk-lib/aws-events');
  const { Construct } = require('constructs');
  return () => {
    const app = newApp(core);
    const stack = new core.Stack(app, 'bench', { env: { account: '123456789012', region: 'eu-west-1' } });
    const topic = new sns.Topic(stack, 'Topic', { displayName: 'NHI notices for billing', enforceSSL: true });
    for (const [k, v] of [['nhi:managed-by', 'hand'], ['nhi:owner-contact', 'billing@example.com'], ['nhi:owner-team', 'billing']]) core.Tags.of(topic).add(k, v);
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'NhiAlarms', actions: ['sns:Publish'], resources: [topic.topicArn],
      principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      conditions: { StringEquals: { 'aws:SourceAccount': core.Aws.ACCOUNT_ID } },
    }));
    topic.addSubscription(new subs.EmailSubscription('billing@example.com'));
    const schedRole = new iam.Role(stack, 'SchedulerRole', {
      description: 'lets EventBridge Scheduler send NHI notices (bench)',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': core.Aws.ACCOUNT_ID } }),
      inlinePolicies: { 'nhi-scheduler': new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] })] }) },
    });
    core.Tags.of(schedRole).add('nhi:managed-by', 'hand');
    core.Tags.of(schedRole).add('nhi:purpose', 'EventBridge Scheduler sends NHI notices and disables expired credentials');
    const paths: string[] = [];
    const names: string[] = [];
    for (let i = 0; i < N; i++) {
      paths.push(`bench/Sa${i}`);
      names.push(`svc-${i}`);
    }
    for (const [kind, at] of [['expiry-reminder', '2027-05-31T09:00:00'], ['expired', '2027-06-30T00:00:00']]) {
      new scheduler.CfnSchedule(stack, kind, {
        description: `${kind} notice for identities expiring on 2027-06-30`, scheduleExpression: `at(${at})`, scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        target: { arn: topic.topicArn, roleArn: schedRole.roleArn, input: `[nhi] identities: ${kind} on 2027-06-30\n\n${paths.map((x) => `  - ${x}`).join('\n')}\n\nRemove or extend them.` },
      });
    }
    for (const { kind, index: c, pattern } of cloudTrailRulePatterns(names)) {
      new events.CfnRule(stack, `${kind}-${c}`, {
        description: `${kind} alarm (CloudTrail management events) for the identities, to their owner's topic`,
        eventPattern: pattern, state: 'ENABLED', targets: [{ arn: topic.topicArn, id: 'owner-topic' }],
      });
    }
    const expiry = { DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } };
    for (let i = 0; i < N; i++) {
      const c = new Construct(stack, `Sa${i}`);
      const role = new iam.Role(c, 'Role', {
        roleName: `svc-${i}`,
        path: '/nhi/',
        description: 'Reads nightly billing exports for the reporting job (owner billing, expires 2027-06-30)',
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com').withConditions(expiry),
        inlinePolicies: { 'nhi-scope': new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ sid: 'Scope0', actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-${i}/*`], conditions: expiry })] }) },
      });
      for (const [k, v] of [['nhi:owner-team', 'billing'], ['nhi:owner-contact', 'billing@example.com'], ['nhi:purpose', 'Reads nightly billing exports for the reporting job'],
        ['nhi:expires', '2027-06-30'], ['nhi:managed-by', 'hand'], ['nhi:id', `bench/Sa${i}`]]) core.Tags.of(role).add(k, v);
    }
    app.synth();
  };
};

function governed(withPlugin: boolean): BenchCase {
  return () => {
    require('aws-cdk-lib/core');
    require('aws-cdk-lib/aws-iam');
    requireCompiled('lib/aws-cdk/index.js');
    return () => governedCdkApp(N, { plugin: withPlugin }).app.synth();
  };
}

const cases: Record<string, BenchCase> = {
  'synth-bare': bare,
  'synth-equivalent': equivalent,
  'synth-governed': governed(false),
  'synth-governed-checked': governed(true),
};

/**
 * What lib/aws-cdk uses of aws-cdk-lib and constructs, read from its compiled files: each module
 * it requires and the names it reads from it (`iam.Role`, `core_1.Stack`). The submodules of
 * aws-cdk-lib load their classes lazily, on first access, so requiring the modules alone costs
 * almost nothing: the baseline requires them and reads the same names, which is what any app that
 * uses those classes pays anyway.
 */
function awsCdkUses(): Map<string, string[]> {
  const used = new Map<string, Set<string>>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.js')) {
        const text = fs.readFileSync(p, 'utf8');
        for (const m of text.matchAll(/(?:const|var|let)\s+(\w+)\s*=\s*(?:__importStar\()?require\("(aws-cdk-lib\/[\w-]+|constructs)"\)/g)) {
          const names = used.get(m[2]) ?? new Set<string>();
          used.set(m[2], names);
          for (const u of text.matchAll(new RegExp(`\\b${m[1]}\\.([A-Z]\\w*)`, 'g'))) names.add(u[1]);
        }
      }
    }
  };
  walk(path.join(__dirname, '..', 'lib', 'aws-cdk'));
  return new Map([...used].sort(([a], [b]) => (a < b ? -1 : 1)).map(([m, names]) => [m, [...names].sort()]));
}

export function main(): void {
  assertCompiled('lib/aws-cdk/index', 'lib/aws-cdk/governed-service-account');
  const file = __filename;
  // `--import-only`: the import comparison alone (while working on import cost).
  if (!process.argv.includes('--import-only')) {
    compare(`AWS CDK synth, ${N} identities: A governed vs B the same CloudFormation written by hand`, { file, name: 'synth-governed' }, { file, name: 'synth-equivalent' }, { units: N });
    compare(`AWS CDK synth, ${N} identities: A governed vs B iam.Role + Policy`, { file, name: 'synth-governed' }, { file, name: 'synth-bare' }, { units: N });
    compare(`AWS CDK synth, ${N} identities: A governed with the NhiGovernanceChecks plugin vs B iam.Role + Policy`, { file, name: 'synth-governed-checked' }, { file, name: 'synth-bare' }, { units: N });
  }
  const dir = tmpDir('nhi-bench-import-');
  try {
    // Both sides end with the same aws-cdk-lib classes loaded: A is what an app pays to import the
    // library and use it, B what it pays for those classes alone.
    const uses = awsCdkUses();
    const ours = importScript(dir, 'governed', [path.join(__dirname, '..', 'lib', 'aws-cdk', 'index.js'), ...uses.keys()], uses);
    const theirs = importScript(dir, 'bare', [...uses.keys()], uses);
    compare('import: A nhi-constructs/lib/aws-cdk vs B the aws-cdk-lib modules and classes it uses (plain node)', { file: ours, name: 'import', plain: true }, { file: theirs, name: 'import', plain: true }, { target: 1.2 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (!childMain(cases) && require.main === module) main();
