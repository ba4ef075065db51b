// Terraform against the emulator: a synthesised cdktf stack is copied to a work folder, adapted
// to what this machine has (HARNESS ADAPTATIONS below, each one explained), initialised from the
// local provider mirror, and applied, planned and destroyed with the real Terraform CLI.
//
// The product is never changed for the emulator: every difference between the synthesised
// configuration (written for the AWS provider 6.25 bindings) and what runs here is adapted in
// `adaptForEmulator`, and listed in docs/deploy-tests.md.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { awsProviderMirror, terraformBin } from './components';
import { Credentials, Moto, REGION } from './moto';

/** Every endpoint the synthesised stacks (and their future alarms/rotation) may call, all on the emulator. */
const SERVICES = ['apigateway', 'cloudtrail', 'cloudwatch', 'events', 'iam', 'kms', 'lambda', 'logs', 's3', 'scheduler',
  'secretsmanager', 'sns', 'sqs', 'sts'];

/**
 * HARNESS ADAPTATIONS (test harness only; the product is unchanged). Each entry: what, and why.
 * The test asserts that each adaptation it applies is one of these.
 */
export const ADAPTATIONS = {
  'provider-version': 'required_providers.aws.version 6.25.0 -> the mirror\'s plugin (5.100.0): the machine has only that plugin and no registry access',
  'provider-endpoints': 'the aws provider(s) get the emulator\'s endpoint for every service, the credentials of a role in the deployment\'s own emulated account, and skip the metadata-API and credential checks',
  'backend-path': 'the local backend\'s state path (absolute, from the synth folder) -> the work folder, so parallel deployments keep separate state',
  'region-name': '${data.aws_region.X.region} -> ${data.aws_region.X.name}: attribute renamed in AWS provider 6.x; 5.100 only has name',
  'scheduler-action-after-completion': 'aws_scheduler_schedule.action_after_completion = "NONE" removed: argument added in AWS provider 6.x; 5.100 (and the API default) behave as NONE',
  'iam-user-force-destroy': 'aws_iam_user.force_destroy true -> false: with it the provider\'s delete calls iam:ListServiceSpecificCredentials, which moto does not implement, and retries it for many minutes; the keys the stack creates are destroyed by Terraform before the user anyway, and the empty account is checked after destroy',
  'asset-paths': 'a "filename" relative to the stack folder ("assets/...") -> "${path.module}/assets/...": cdktf runs Terraform in each stack folder, where the relative path resolves; the harness deploys the stacks as modules of one root, where Terraform resolves it from the root',
  'lambda-logging-config': 'aws_lambda_function.logging_config removed: moto 5.2 does not return LoggingConfig from GetFunction, so the provider plans to add it again on every plan (a perpetual diff that real AWS does not have); the function\'s log group is still created by its own resource with the same name, where Lambda writes by default',
  'time-rotating': 'time_rotating -> terraform_data with a constant input, references to it -> its output: the hashicorp/time plugin is not in the machine\'s mirror; the rotation period itself is covered by the synth tests',
} as const;

export type Adaptation = keyof typeof ADAPTATIONS;

/** Rewrites a synthesised cdk.tf.json for the emulator; returns the adapted JSON and the adaptations applied. */
export function adaptForEmulator(tf: any, moto: Moto, creds: Credentials, pluginVersion: string): { tf: any; applied: Adaptation[] } {
  const applied = new Set<Adaptation>();
  let text = JSON.stringify(tf);
  // 6.x attribute spelling -> 5.100's.
  const renamed = text.replace(/(\$\{data\.aws_region\.[A-Za-z0-9_-]+)\.region\}/g, '$1.name}');
  if (renamed !== text) applied.add('region-name');
  text = renamed;
  // time_rotating -> terraform_data (references first, then the resources).
  if (/\$\{time_rotating\./.test(text)) {
    text = text.replace(/\$\{time_rotating\.([A-Za-z0-9_-]+)\.[a-z0-9_]+\}/g, '${terraform_data.$1.output}');
  }
  // Stacks become modules of one root here: their asset paths must name the module's folder.
  const assetsRebased = text.replace(/"filename":"assets\//g, '"filename":"${path.module}/assets/');
  if (assetsRebased !== text) applied.add('asset-paths');
  text = assetsRebased;
  const out = JSON.parse(text);
  const res = out.resource ?? {};
  if (res.time_rotating) {
    applied.add('time-rotating');
    res.terraform_data ??= {};
    for (const [name, r] of Object.entries<any>(res.time_rotating)) {
      if (res.terraform_data[name]) throw new Error(`harness: terraform_data.${name} already exists`);
      res.terraform_data[name] = { '//': r['//'], 'input': `fixed-rotation-period-${name}` };
    }
    delete res.time_rotating;
  }
  for (const r of Object.values<any>(res.aws_lambda_function ?? {})) {
    if (r.logging_config) {
      delete r.logging_config;
      applied.add('lambda-logging-config');
    }
  }
  for (const r of Object.values<any>(res.aws_iam_user ?? {})) {
    if (r.force_destroy === true) {
      r.force_destroy = false;
      applied.add('iam-user-force-destroy');
    }
  }
  for (const r of Object.values<any>(res.aws_scheduler_schedule ?? {})) {
    if ('action_after_completion' in r) {
      if (r.action_after_completion !== 'NONE') throw new Error(`harness: action_after_completion ${r.action_after_completion} has no 5.100 equivalent`);
      delete r.action_after_completion;
      applied.add('scheduler-action-after-completion');
    }
  }
  // Providers: only aws (time adapted away above).
  const required = out.terraform?.required_providers ?? {};
  for (const name of Object.keys(required)) {
    if (name === 'aws') {
      required.aws = { source: 'hashicorp/aws', version: pluginVersion };
      applied.add('provider-version');
    } else if (name === 'time' && applied.has('time-rotating')) {
      delete required.time;
    } else if (name === 'time' && !JSON.stringify(res).includes('"time_')) {
      delete required.time;
    } else {
      throw new Error(`harness: provider ${name} is not available on this machine`);
    }
  }
  if (out.provider) {
    delete out.provider.time;
    out.provider.aws = (out.provider.aws ?? [{}]).map((p: any) => ({
      ...p,
      region: p.region ?? REGION,
      access_key: creds.accessKeyId,
      secret_key: creds.secretAccessKey,
      token: creds.sessionToken,
      skip_credentials_validation: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      s3_use_path_style: true,
      endpoints: [Object.fromEntries(SERVICES.map((s) => [s, moto.endpoint]))],
    }));
    applied.add('provider-endpoints');
  }
  out.terraform.backend = { local: { path: 'terraform.tfstate' } };
  applied.add('backend-path');
  return { tf: out, applied: [...applied].sort() };
}

/** Result of one Terraform command. */
export interface TfResult { readonly code: number; readonly output: string }

/**
 * Stacks deployed together with the real Terraform CLI to the emulator, in one folder and account:
 * each stack is a module of one root configuration that holds the (adapted) provider and the
 * state, so one Terraform run (and one provider process per phase) serves them all.
 */
export class TerraformDeployment {
  public readonly applied: Adaptation[];
  /** The adapted configuration of each stack, by module name. */
  public readonly configs: Record<string, any> = {};
  private readonly bin = terraformBin();
  private readonly env: NodeJS.ProcessEnv;

  /**
   * @param stackDirs the synthesised stack folders (cdk.tf.json, assets) by module name
   *   ([a-z0-9_-]); their resource names must not clash in one account
   * @param workDir an empty folder of the test's
   */
  constructor(stackDirs: Record<string, string>, public readonly workDir: string, moto: Moto, public readonly credentials: Credentials) {
    const { mirror, version } = awsProviderMirror();
    const applied = new Set<Adaptation>();
    let provider: any;
    for (const [name, stackDir] of Object.entries(stackDirs)) {
      const dir = path.join(workDir, name);
      fs.cpSync(stackDir, dir, { recursive: true });
      fs.rmSync(path.join(dir, 'cdk.tf.json'));
      const { tf, applied: a } = adaptForEmulator(JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')), moto, credentials, version);
      a.forEach((x) => applied.add(x));
      // The module keeps its resources and required_providers; the root holds backend and provider.
      provider = tf.provider;
      delete tf.provider;
      delete tf.terraform.backend;
      this.configs[name] = tf;
      fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(tf, null, 2));
    }
    this.applied = [...applied].sort();
    fs.writeFileSync(path.join(workDir, 'main.tf.json'), JSON.stringify({
      terraform: { required_providers: { aws: { source: 'hashicorp/aws', version } }, backend: { local: { path: 'terraform.tfstate' } } },
      provider: { aws: provider.aws },
      module: Object.fromEntries(Object.keys(stackDirs).map((n) => [n, { source: `./${n}` }])),
    }, null, 2));
    const rc = path.join(workDir, '.terraformrc');
    fs.writeFileSync(rc, [
      'provider_installation {',
      `  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }`,
      '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }',
      '}',
      '',
    ].join('\n'));
    const creds = credentials;
    this.env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: rc,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_SESSION_TOKEN: creds.sessionToken,
      AWS_REGION: REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    delete this.env.TF_PLUGIN_CACHE_DIR;
    if (process.env.NHI_TF_PLUGIN_CACHE_DIR) this.env.TF_PLUGIN_CACHE_DIR = process.env.NHI_TF_PLUGIN_CACHE_DIR;
  }

  /** Runs `terraform <args>` in the work folder. */
  public run(...args: string[]): Promise<TfResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.bin, [...args, '-no-color'], { cwd: this.workDir, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d) => { output += d; });
      child.stderr.on('data', (d) => { output += d; });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, output }));
    });
  }

  /** Runs and fails (with Terraform's output) unless the exit code is one of `ok`. */
  public async must(args: string[], ok: number[] = [0]): Promise<TfResult> {
    const r = await this.run(...args);
    if (!ok.includes(r.code)) {
      throw new Error(`terraform ${args.join(' ')} exited ${r.code} in ${this.workDir}:\n${r.output.slice(-6000)}`);
    }
    return r;
  }

  public init(): Promise<TfResult> {
    return this.must(['init', '-input=false', '-backend=true']);
  }

  public apply(): Promise<TfResult> {
    return this.must(['apply', '-auto-approve', '-input=false', '-parallelism=20']);
  }

  /** `plan -detailed-exitcode`: 0 = no changes, 2 = changes (returned, with the plan text, for the assertion). */
  public plan(): Promise<TfResult> {
    return this.must(['plan', '-detailed-exitcode', '-input=false', '-parallelism=20'], [0, 2]);
  }

  public destroy(): Promise<TfResult> {
    return this.must(['destroy', '-auto-approve', '-input=false', '-parallelism=20', '-refresh=false']);
  }

  /** The addresses in state. */
  public async stateList(): Promise<string[]> {
    const r = await this.must(['state', 'list']);
    return r.output.split('\n').filter((l) => l.trim() !== '');
  }
}
