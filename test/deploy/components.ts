// The real components deploy tests use, found on the machine: the Terraform CLI, the AWS provider
// plugin in a local filesystem mirror, the moto AWS API emulator (moto_server) and cfn-lint.
// .ci/run finds them the same way and exports what it found; a developer's `npm test` finds them
// here. A missing component fails the test with a message that names it and says how to get it.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Where the machine's Python tools live when a bare environment lacks them on PATH. */
const PYTHON_BIN_DIRS = (): string[] => {
  const dirs: string[] = [];
  for (const root of ['/root/.pyenv/versions', path.join(process.env.HOME ?? '/root', '.pyenv', 'versions')]) {
    if (!fs.existsSync(root)) continue;
    for (const v of fs.readdirSync(root).sort().reverse()) dirs.push(path.join(root, v, 'bin'));
  }
  return [...new Set([...dirs, '/usr/local/bin', '/usr/bin', path.join(process.env.HOME ?? '/root', '.local', 'bin')])];
};

/** Mirrors searched for the AWS provider plugin, in order (NHI_TF_PLUGIN_MIRROR first). */
const MIRRORS = (): string[] => [
  process.env.NHI_TF_PLUGIN_MIRROR,
  '/opt/tf-plugins',
  path.join(process.env.HOME ?? '/root', '.terraform.d', 'plugins'),
  '/usr/share/terraform/plugins',
  '/usr/local/share/terraform/plugins',
].filter((d): d is string => !!d);

/** A component the deploy tests cannot run without. */
export class MissingComponentError extends Error {
  constructor(component: string, how: string) {
    super(`deploy tests need ${component}, which was not found on this machine: ${how}`);
    this.name = 'MissingComponentError';
  }
}

function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch { /* not here */ }
  }
  return undefined;
}

/** An executable: on PATH, else in the machine's Python (pyenv) folders. */
export function findExecutable(cmd: string, how: string): string {
  const found = onPath(cmd) ?? PYTHON_BIN_DIRS().map((d) => path.join(d, cmd)).find((p) => fs.existsSync(p));
  if (!found) throw new MissingComponentError(cmd, how);
  return found;
}

export function terraformBin(): string {
  const bin = findExecutable('terraform', 'install the Terraform CLI (1.11) on PATH');
  return bin;
}

export function motoServerBin(): string {
  return findExecutable('moto_server', "install Python moto with its server ('moto[server]' 5.2) so that moto_server is on PATH or in the pyenv Python");
}

export function cfnLintBin(): string {
  return findExecutable('cfn-lint', "install Python cfn-lint (1.51) so that cfn-lint is on PATH or in the pyenv Python");
}

/** The AWS provider plugin in a local filesystem mirror: the mirror folder and the plugin version. */
export function awsProviderMirror(): { mirror: string; version: string } {
  for (const mirror of MIRRORS()) {
    const dir = path.join(mirror, 'registry.terraform.io', 'hashicorp', 'aws');
    if (!fs.existsSync(dir)) continue;
    const versions = fs.readdirSync(dir).filter((v) => /^\d+\.\d+\.\d+$/.test(v)
      && fs.existsSync(path.join(dir, v, 'linux_amd64')))
      .sort((a, b) => cmpVersion(b, a));
    if (versions.length > 0) return { mirror, version: versions[0] };
  }
  throw new MissingComponentError('the Terraform AWS provider plugin (hashicorp/aws) in a local filesystem mirror',
    `put it in <mirror>/registry.terraform.io/hashicorp/aws/<version>/linux_amd64/ and set NHI_TF_PLUGIN_MIRROR=<mirror> (searched: ${MIRRORS().join(', ')})`);
}

function cmpVersion(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** `terraform version` (first line), for messages. */
export function terraformVersion(bin = terraformBin()): string {
  return execFileSync(bin, ['version'], { encoding: 'utf8' }).split('\n')[0];
}
