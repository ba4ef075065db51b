// Each example folder is a runnable project for its users: `npx cdktf synth` (cdktf-cli 0.21) in
// examples/cdktf-aws and examples/cdktf-google, `npx cdk synth` (aws-cdk 2.x) in examples/aws-cdk,
// with the CLI versions the README names (dev dependencies of this repository). Each CLI runs once,
// into a temporary output folder.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');

function run(cmd: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(BIN, cmd), args, { cwd, env: { ...process.env, CI: '1', FORCE_COLOR: '0', ...env } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code, out }));
  });
}

const version = (pkg: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version as string;

describe('the CLIs the README names', () => {
  test('are dev dependencies: cdktf-cli 0.21 and aws-cdk 2.x', () => {
    expect(version('cdktf-cli')).toMatch(/^0\.21\./);
    expect(version('aws-cdk')).toMatch(/^2\./);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm install -D cdktf-cli@^0.21');
    expect(readme).toContain('npm install -D aws-cdk@^2');
  });

  test('examples/cdktf-aws: `cdktf synth` writes the Terraform JSON and the register, offline and without Terraform', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-cdktf-cli-'));
    // No version check, no crash reports (cdktf.json), and no folder on the PATH with a terraform binary.
    const PATH = (process.env.PATH ?? '').split(path.delimiter).filter((d) => !fs.existsSync(path.join(d, 'terraform'))).join(path.delimiter);
    const r = await run('cdktf', ['synth', '--output', out], path.join(ROOT, 'examples', 'cdktf-aws'), { NHI_TODAY: '2026-11-23', CHECKPOINT_DISABLE: '1', PATH });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(out, 'stacks', 'billing', 'cdk.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'stacks', 'billing', 'nhi-register.json'))).toBe(true);
  }, 300_000);

  test('examples/aws-cdk: `cdk synth` writes the template and the register, the validation plugin on', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-cdk-cli-'));
    const r = await run('cdk', ['synth', '--quiet', '--no-notices', '--output', out], path.join(ROOT, 'examples', 'aws-cdk'), { NHI_TODAY: '2026-11-23', CDK_DISABLE_CLI_TELEMETRY: 'true' });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(out, 'Billing.template.json'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'Billing.nhi-register.json'))).toBe(true);
  }, 300_000);

  test('every example app folder has the CLI configuration that runs it with tsx', () => {
    for (const dir of ['cdktf-aws', 'cdktf-google']) {
      const cfg = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', dir, 'cdktf.json'), 'utf8'));
      expect([cfg.language, cfg.app, cfg.output]).toEqual(['typescript', 'npx tsx main.ts', 'cdktf.out']);
    }
    const cdk = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'aws-cdk', 'cdk.json'), 'utf8'));
    expect(cdk.app).toBe('npx tsx main.ts');
  });
});
