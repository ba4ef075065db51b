// The local AWS API emulator (moto_server) the deploy tests deploy to: the one .ci/run started
// (NHI_MOTO_ENDPOINT), else one this test file starts on a free loopback port and stops after.
//
// Each deployment uses its own AWS account (credentials of a role assumed in it), so deployments
// running side by side never see each other's resources, and "destroy leaves nothing" is checked
// on a whole account.
import { ChildProcess, spawn } from 'child_process';
import { randomInt } from 'crypto';
import * as net from 'net';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { motoServerBin } from './components';

export const REGION = 'eu-west-1';

export interface Moto {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * A fresh 12-digit account id for one deployment. Random, not counted: jest runs several test files
 * in one worker process (same pid, module state reset per file), and under CI they share one
 * emulator, so a per-file counter would hand two files the same account.
 */
export function freshAccount(): string {
  return `4${String(randomInt(0, 1e11)).padStart(11, '0')}`;
}

/** Credentials of one deployment (temporary, of a role in its own account). */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/**
 * Credentials that act in `account` on the emulator: moto keeps accounts apart by the access key,
 * and a key it issued for sts:AssumeRole into a role of `account` acts in that account.
 */
export async function credentialsFor(moto: Moto, account: string): Promise<Credentials> {
  const sts = new STSClient({ endpoint: moto.endpoint, region: REGION, credentials: { accessKeyId: 'moto-admin', secretAccessKey: 'moto-admin' } });
  try {
    const r = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/nhi-deploy-test`, RoleSessionName: 'nhi-deploy-test', DurationSeconds: 43200 }));
    const c = r.Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  } finally {
    sts.destroy();
  }
}

/** SDK client settings for a deployment's credentials on the emulator. */
export function clientConfig(moto: Moto, credentials: Credentials): any {
  return { endpoint: moto.endpoint, region: REGION, credentials, maxAttempts: 2 };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitUp(endpoint: string, child: ChildProcess | undefined, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}: ${log()}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) return;
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${endpoint} within 60 s: ${log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The emulator: NHI_MOTO_ENDPOINT when set (checked to answer), else a moto_server of our own. */
export async function startMoto(): Promise<Moto> {
  const given = process.env.NHI_MOTO_ENDPOINT;
  if (given) {
    await waitUp(given, undefined, () => `is the moto_server .ci/run started still running? (NHI_MOTO_ENDPOINT=${given})`);
    return { endpoint: given, stop: async () => undefined };
  }
  const bin = motoServerBin();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  // AWS managed policies (arn:aws:iam::aws:policy/...) exist in every account, as in AWS: examples attach them.
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' } });
  child.stdout!.on('data', (d) => { output = (output + d).slice(-4000); });
  child.stderr!.on('data', (d) => { output = (output + d).slice(-4000); });
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  await waitUp(endpoint, child, () => output);
  return {
    endpoint,
    stop: () => new Promise<void>((resolve) => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
