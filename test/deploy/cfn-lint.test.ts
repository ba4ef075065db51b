// Deploy test, AWS CDK target: cfn-lint (the real linter, from the machine's Python) finds
// nothing, not even a warning, in the template of every AWS CDK example (examples/aws-cdk and
// the AWS CDK examples under examples/readme).
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { buildLifecycleApp } from '../../examples/aws-cdk/lifecycle';
import { buildApp } from '../../examples/aws-cdk/main';
import { cfnLintBin } from './components';
import { filesUnder } from '../helpers/files';

const ROOT = path.join(__dirname, '..', '..');
const TODAY = '2026-11-30';

function templates(dir: string): string[] {
  return filesUnder(dir, '.template.json');
}

/** Runs an examples/readme file (the CDK CLI's CDK_OUTDIR set) in `dir`; returns its templates. */
function synthReadmeExample(file: string, dir: string): string[] {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    jest.isolateModules(() => {
      process.env.NHI_TODAY = TODAY;
      process.env.CDK_OUTDIR = path.join(dir, 'cdk.out');
      process.env.CDK_VALIDATION = 'false'; // the CDK's built-in CloudFormation validation (slow); cfn-lint is the check here
      require(`../../examples/readme/${file}`);
    });
  } finally {
    delete process.env.NHI_TODAY;
    delete process.env.CDK_OUTDIR;
    delete process.env.CDK_VALIDATION;
    process.chdir(cwd);
  }
  return templates(dir);
}

const README_CDK = fs.readdirSync(path.join(ROOT, 'examples', 'readme'))
  .filter((f) => f.endsWith('.ts') && /from 'aws-cdk-lib\//.test(fs.readFileSync(path.join(ROOT, 'examples', 'readme', f), 'utf8')));

async function runLint(files: string[]): Promise<string> {
  try {
    const r = await promisify(execFile)(cfnLintBin(), ['--format', 'parseable', '--', ...files], { maxBuffer: 16 * 1024 * 1024 });
    return r.stdout.trim();
  } catch (e: any) {
    if (typeof e.code === 'number') return `${e.stdout ?? ''}${e.stderr ?? ''}`.trim(); // findings: non-zero exit
    throw e;
  }
}

/**
 * cfn-lint's findings in what the library creates (empty when clean). A finding in a resource the
 * example itself declares outside every governed construct and the library's notices (e.g. the
 * DependsOn aws-cdk-lib's lambda.Function always puts on its role, W3005) is not the library's:
 * it is returned in `tolerated`.
 */
async function lint(files: string[]): Promise<string> {
  const out = await runLint(files);
  if (out === '') return '';
  const failing: string[] = [];
  for (const line of out.split('\n')) {
    const file = line.split(':')[0];
    const m = /:W3005:.*at 'Resources\/([^/']+)\//.exec(line);
    if (m && fs.existsSync(file)) {
      const template = JSON.parse(fs.readFileSync(file, 'utf8'));
      // Logical ids start with the construct path below the stack, joined (path metadata is off outside the CDK CLI).
      const registerFile = file.replace(/\.template\.json$/, '.nhi-register.json');
      const governed: string[] = fs.existsSync(registerFile) ? JSON.parse(fs.readFileSync(registerFile, 'utf8')).identities.map((i: any) => i.path) : [];
      const prefixes = [...governed.map((p) => p.split('/').slice(1).join('')), 'NhiNotices'];
      const libraryOwned = m[1] in (template.Resources ?? {}) ? prefixes.some((p) => m[1].startsWith(p)) : true;
      const cdkPath = m[1];
      if (cdkPath !== '' && !libraryOwned) {
        tolerated.push(line);
        continue;
      }
    }
    failing.push(line);
  }
  return failing.join('\n');
}

const tolerated: string[] = [];

describe('cfn-lint: every AWS CDK example template is clean', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-cfn-lint-'));

  test('examples/aws-cdk/main.ts', async () => {
    const outdir = path.join(base, 'main');
    buildApp({ outdir, builtinCloudFormationValidation: false, context: { 'nhi:today': TODAY } }).synth();
    const files = templates(outdir);
    expect(files.length).toBeGreaterThan(0);
    expect(await lint(files)).toBe('');
  }, 180_000);

  test('examples/aws-cdk/lifecycle.ts', async () => {
    const outdir = path.join(base, 'lifecycle');
    buildLifecycleApp({ outdir, builtinCloudFormationValidation: false, context: { 'nhi:today': TODAY } }).app.synth();
    const files = templates(outdir);
    expect(files.length).toBeGreaterThan(0);
    expect(await lint(files)).toBe('');
  }, 180_000);

  test.each(README_CDK)('examples/readme/%s', async (file) => {
    const dir = path.join(base, `readme-${file}`);
    fs.mkdirSync(dir);
    const files = synthReadmeExample(file, dir);
    expect(files.length).toBeGreaterThan(0);
    expect(await lint(files)).toBe('');
  }, 180_000);

  afterAll(() => {
    // Listed, not failed: findings in the examples' own resources (see lint()).
    if (tolerated.length > 0) process.stdout.write(`cfn-lint findings outside the library's resources:\n${tolerated.join('\n')}\n`);
  });

  test('the linter finds what it should: a redundant DependsOn is reported (W3005)', async () => {
    const file = path.join(base, 'bad.template.json');
    fs.writeFileSync(file, JSON.stringify({
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic' },
        Sub: { Type: 'AWS::SNS::Subscription', DependsOn: ['Topic'], Properties: { TopicArn: { Ref: 'Topic' }, Protocol: 'email', Endpoint: 'a@example.com' } },
      },
    }));
    expect(await runLint([file])).toMatch(/W3005/);
  }, 180_000);
});
