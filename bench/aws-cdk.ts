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
import { governedCdkApp } from './apps';
import { assertCompiled, BenchCase, childMain, compare, requireCompiled, tmpDir } from './harness';

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

/**
 * A plain JavaScript child that times `require` of some modules (import cost is what a TypeScript
 * loader would distort) and prints the harness's result line.
 */
function importScript(dir: string, name: string, modules: string[], reads: Map<string, string[]> = new Map()): string {
  const root = path.join(__dirname, '..');
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(file, [
    `if (process.argv.includes('--case')) {`,
    '  const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint();',
    // Absolute paths as given (resolving them here, under tsx, would name the .ts source).
    ...modules.map((m) => `  { const x = require(${JSON.stringify(path.isAbsolute(m) ? m : require.resolve(m, { paths: [root] }))}); ` +
      `${(reads.get(m) ?? []).map((n) => `x.${n};`).join(' ')} }`),
    '  const ms = Number(process.hrtime.bigint() - t0) / 1e6; const c = process.cpuUsage(c0);',
    "  process.stdout.write('BENCH_RESULT ' + JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\\n');",
    '}',
  ].join('\n'));
  return file;
}

export function main(): void {
  assertCompiled('lib/aws-cdk/index', 'lib/aws-cdk/governed-service-account');
  const file = __filename;
  // `--import-only`: the import comparison alone (while working on import cost).
  if (!process.argv.includes('--import-only')) {
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
