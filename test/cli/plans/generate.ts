/* eslint-disable import/no-extraneous-dependencies */
// Regenerates the real Terraform plan fixtures of `nhi verify`:
//   npx tsx test/cli/plans/generate.ts
// For each fixture it synthesises a cdktf stack (cdk.tf.json with construct paths, nhi-register.json),
// then runs the installed Terraform CLI with the AWS provider from a local filesystem mirror
// (fake credentials, no API calls: creates need none) and keeps `terraform show -json` as plan.json.
// The google-synthetic-* fixtures are SYNTHETIC: no Google provider plugin here, their plan.json is
// derived from cdk.tf.json in the plan format (see syntheticPlan).
// Only the test harness adapts the provider: cdktf's AWS provider bindings target 6.x, the mirror
// holds 5.100; the IAM, S3, KMS, SQS, SNS and Secrets Manager resources used here are the same.
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { execFileSync, spawn } from 'child_process';
import { CreateOpenIDConnectProviderCommand, IAMClient } from '@aws-sdk/client-iam';
import { DataAwsIamOpenidConnectProvider } from '@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key';
import { ApiGatewayUsagePlanKey } from '@cdktf/provider-aws/lib/api-gateway-usage-plan-key';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamUserSshKey } from '@cdktf/provider-aws/lib/iam-user-ssh-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { ServiceAccountKey } from '@cdktf/provider-google/lib/service-account-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { Fn, TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { NhiRegister } from '../../../lib/cdktf/register';
import { GovernedApiKey, GovernedServiceAccount } from '../../../lib/cdktf-aws';
import { motoServerBin } from '../../deploy/components';
import * as google from '../../../lib/cdktf-google';

const TODAY = '2026-11-23';
const GOVERNANCE = { owner: { team: 'billing', contact: 'billing@example.com' }, purpose: 'Reads nightly billing exports for the reporting job', expires: '2027-03-01' };
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const ISSUER = 'token.actions.githubusercontent.com';
const GITLAB = 'gitlab.com';
/** Fixtures whose data sources read the AWS API at plan time: planned against moto_server. */
const NEEDS_API = new Set(['oidc']);

function base(stack: TerraformStack) {
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const bucket = new S3Bucket(stack, 'Exports', { bucket: 'acme-billing-exports' });
  const reader = new GovernedServiceAccount(stack, 'Reader', {
    ...GOVERNANCE, name: 'billing-report-reader', assumedBy: { service: 'lambda.amazonaws.com' },
    scope: [{ actions: ['s3:GetObject'], resources: [`${bucket.arn}/*`, 'arn:aws:s3:::acme-billing-archive/*'] }],
  });
  const uploader = new GovernedServiceAccount(stack, 'Uploader', {
    ...GOVERNANCE, name: 'legacy-uploader', staticCredentials: { justification: 'Legacy host cannot assume roles' },
    scope: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::acme-billing-inbox/*'] }],
  });
  return { bucket, reader, uploader };
}

/** Each fixture: a stack builder. */
const FIXTURES: Record<string, (stack: TerraformStack) => void> = {
  compliant: (stack) => {
    base(stack);
  },
  bypasses: (stack) => {
    const { bucket, reader, uploader } = base(stack);
    reader.rolePolicy!.addOverride('policy', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }));
    new IamRolePolicyAttachment(stack, 'Joined', { role: Fn.join('', ['billing-report-', 'reader']), policyArn: ADMIN });
    new S3BucketPolicy(stack, 'BucketPolicy', {
      bucket: bucket.bucket,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: reader.role!.arn }, Action: 's3:DeleteObject', Resource: `${bucket.arn}/*` }] }),
    });
    new IamAccessKey(uploader, 'SecondKey', { user: uploader.user!.name });
    new IamUserSshKey(stack, 'Ssh', { username: uploader.user!.name, encoding: 'SSH', publicKey: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0 test' });
    new TerraformOutput(stack, 'Leak', { value: new DataAwsSecretsmanagerSecretVersion(stack, 'Read', { secretId: uploader.secret!.id }).secretString, sensitive: true });
  },
  // API keys: one as declared; one whose usage plan admits another key and another stage.
  apikey: (stack) => {
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const key = (id: string, name: string) => new GovernedApiKey(stack, id, {
      ...GOVERNANCE, purpose: 'Partner ACME submits orders to the orders API', name,
      scope: [{ restApiId: 'a1b2c3d4e5', stage: 'prod' }], throttle: { rateLimit: 10, burstLimit: 20 },
    });
    key('Acme', 'partner-acme-orders');
    const globex = key('Globex', 'partner-globex-orders');
    globex.usagePlan.addOverride('api_stages', [{ api_id: 'a1b2c3d4e5', stage: 'prod' }, { api_id: 'f6g7h8i9j0', stage: 'admin' }]);
    const raw = new ApiGatewayApiKey(stack, 'Raw', { name: 'globex-forever' });
    new ApiGatewayUsagePlanKey(stack, 'RawPlanKey', { keyId: raw.id, keyType: 'API_KEY', usagePlanId: globex.usagePlan.id });
  },
  // OIDC trusts whose provider ARN is a resource created in the plan (unknown until apply), a
  // variable (known at plan time) and a literal; the literal one's subject is widened by an override.
  oidc: (stack) => {
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const github = new IamOpenidConnectProvider(stack, 'GitHub', {
      url: 'https://token.actions.githubusercontent.com', clientIdList: ['sts.amazonaws.com'], thumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
    });
    const variable = new TerraformVariable(stack, 'oidc_provider_arn', { type: 'string', default: `arn:aws:iam::123456789012:oidc-provider/${ISSUER}` });
    const oidc = (providerArn: string, repo: string) => ({ oidc: { providerArn, issuer: ISSUER, audience: 'sts.amazonaws.com', subject: `repo:acme/${repo}:ref:refs/heads/main` } });
    const scope = [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::acme-site/*'] }];
    new GovernedServiceAccount(stack, 'Deployer', { ...GOVERNANCE, purpose: 'Deploys the site from GitHub Actions', name: 'site-deployer', assumedBy: oidc(github.arn, 'site'), scope });
    new GovernedServiceAccount(stack, 'Publisher', { ...GOVERNANCE, purpose: 'Publishes the docs from GitHub Actions', name: 'docs-publisher', assumedBy: oidc(variable.stringValue, 'docs'), scope });
    // A provider read by a data source (read at plan time from the moto emulator, where main() created it).
    const gitlab = new DataAwsIamOpenidConnectProvider(stack, 'GitLab', { url: `https://${GITLAB}` });
    new GovernedServiceAccount(stack, 'Builder', {
      ...GOVERNANCE, purpose: 'Builds the site from GitLab CI', name: 'site-builder', scope,
      assumedBy: { oidc: { providerArn: gitlab.arn, issuer: GITLAB, audience: 'sts.amazonaws.com', subject: 'project_path:acme/site:ref_type:branch:ref:main' } },
    });
    const auditor = new GovernedServiceAccount(stack, 'Auditor', {
      ...GOVERNANCE, purpose: 'Uploads audit reports from GitHub Actions', name: 'audit-uploader', assumedBy: oidc(`arn:aws:iam::123456789012:oidc-provider/${ISSUER}`, 'audit'), scope,
    });
    // The bypass: any repository's workflow (here a fork's) may assume the role; the expiry is kept.
    auditor.role!.addOverride('assume_role_policy', JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'Workload', Effect: 'Allow', Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${ISSUER}` }, Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { DateLessThan: { 'aws:CurrentTime': '2027-03-01T00:00:00Z' }, StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com', [`${ISSUER}:sub`]: 'repo:mallory/audit:ref:refs/heads/main' } },
      }],
    }));
  },
};

/**
 * Google fixtures: there is no Google provider plugin on this machine, so their plan.json is
 * SYNTHETIC (hence the names): derived from the synthesised cdk.tf.json by {@link syntheticPlan}
 * in the format of `terraform show -json`, not produced by Terraform.
 */
const GOOGLE_SYNTHETIC: Record<string, (stack: TerraformStack) => void> = {
  'google-synthetic-compliant': (stack) => {
    googleBase(stack);
  },
  'google-synthetic-widened': (stack) => {
    const { scanner } = googleBase(stack);
    new ProjectIamMember(stack, 'Owner', { project: GOOGLE_PROJECT, role: 'roles/owner', member: scanner.member });
    new ServiceAccountKey(stack, 'ThirdKey', { serviceAccountId: scanner.serviceAccount.name });
  },
};
const GOOGLE_PROJECT = 'acme-billing-prod';

function googleBase(stack: TerraformStack) {
  new GoogleProvider(stack, 'google', { project: GOOGLE_PROJECT, region: 'europe-west1' });
  const scanner = new google.GovernedServiceAccount(stack, 'Scanner', {
    ...GOVERNANCE, purpose: 'Reads invoices for the on-premises scanner', project: GOOGLE_PROJECT, accountId: 'invoice-scanner',
    scope: [{ role: 'roles/storage.objectViewer', bucket: 'acme-invoices' }], keys: { justification: 'On-premises invoice scanner cannot federate' },
  });
  return { scanner };
}

const META = new Set(['//', 'lifecycle', 'depends_on', 'provider', 'count', 'for_each', 'provisioner', 'connection']);
const REF = /(?:^|[^\w.])((?:data\.)?[a-z_][a-z0-9_]*\.[A-Za-z0-9_-]+(?:\.[a-z_0-9]+)?)/g;

/** The references of a configuration value, as Terraform lists them (`a.b.attr` and `a.b`). */
function references(v: unknown): string[] {
  const out = new Set<string>();
  for (const m of JSON.stringify(v).matchAll(/\$\{(.*?)\}(?=[^}]*(?:"|$))/g)) {
    for (const r of m[1].replace(/\\"[^"\\]*\\"/g, '""').matchAll(REF)) {
      const parts = r[1].split('.');
      out.add(r[1]);
      if (parts.length > (parts[0] === 'data' ? 3 : 2)) out.add(parts.slice(0, parts[0] === 'data' ? 3 : 2).join('.'));
    }
  }
  return [...out];
}

/**
 * A plan (`terraform show -json` format, every resource created) derived from a synthesised stack:
 * a value without an interpolation is known at plan time; one with an interpolation is unknown
 * (as Terraform leaves a computed attribute of a resource it has not created yet), absent from
 * the planned values and listed in after_unknown, its configuration expression listing the
 * references. Blocks are lists, as in a real plan.
 */
function syntheticPlan(tf: any): any {
  const planned: any[] = [];
  const changes: any[] = [];
  const config: any[] = [];
  for (const [type, byName] of Object.entries<any>(tf.resource ?? {})) {
    for (const [name, body] of Object.entries<any>(byName)) {
      const address = `${type}.${name}`;
      const values: Record<string, unknown> = {};
      const unknown: Record<string, unknown> = {};
      const expressions: Record<string, unknown> = {};
      for (const [k, v] of Object.entries<any>(body)) {
        if (META.has(k)) continue;
        const refs = references(v);
        const block = v && typeof v === 'object' && !Array.isArray(v) && k !== 'keepers' && k !== 'labels' && k !== 'annotations' && k !== 'user_labels';
        if (refs.length > 0) {
          unknown[k] = true;
          expressions[k] = { references: refs };
        } else {
          values[k] = block ? [v] : v;
          expressions[k] = block ? [Object.fromEntries(Object.entries(v).map(([x, y]) => [x, { constant_value: y }]))] : { constant_value: v };
        }
      }
      const provider = `registry.terraform.io/hashicorp/${type.split('_')[0] === 'google' ? 'google' : type.split('_')[0]}`;
      planned.push({ address, mode: 'managed', type, name, provider_name: provider, schema_version: 0, values, sensitive_values: {} });
      changes.push({ address, mode: 'managed', type, name, provider_name: provider, change: { actions: ['create'], before: null, after: values, after_unknown: unknown, before_sensitive: false, after_sensitive: {} } });
      config.push({ address, mode: 'managed', type, name, provider_config_key: type.split('_')[0], expressions, schema_version: 0 });
    }
  }
  const outputs = Object.fromEntries(Object.entries<any>(tf.output ?? {}).map(([n, o]) => [n, { sensitive: !!o.sensitive, expression: { references: references(o.value) } }]));
  return {
    format_version: '1.2',
    terraform_version: 'synthetic (derived from cdk.tf.json by test/cli/plans/generate.ts; no Google provider plugin on this machine)',
    planned_values: { root_module: { resources: planned } },
    resource_changes: changes,
    configuration: { root_module: { resources: config, outputs } },
  };
}

function mirror(): string {
  if (process.env.NHI_TF_MIRROR) return process.env.NHI_TF_MIRROR;
  let out: string;
  try {
    out = execFileSync('find', ['/', '-xdev', '-name', 'terraform-provider-aws*', '-path', '*registry.terraform.io*'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e: any) {
    out = String(e.stdout ?? ''); // find exits 1 on unreadable directories
  }
  out = out.split('\n')[0];
  if (!out) throw new Error('no terraform-provider-aws in a filesystem mirror');
  return out.slice(0, out.indexOf('/registry.terraform.io/'));
}

/**
 * The stack's JSON after its aspects, as `cdk.tf.json` would hold it. The bypass fixtures fail the
 * synth-time check by design (the plan check is what they test), so it is built with the stack
 * class's own toTerraform, not the guarded one the verification installs.
 */
function rawJson(stack: TerraformStack): any {
  try {
    Testing.synth(stack); // aspects
  } catch {
    // a bypass fixture: rejected at synth, as it should be
  }
  return Object.getPrototypeOf(stack).toTerraform.call(stack);
}

/** A moto_server on a free port with the GitLab OIDC provider the 'oidc' fixture reads. */
async function startMoto(): Promise<{ endpoint: string; stop: () => void }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(motoServerBin(), ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const iam = new IAMClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'fake' } });
  for (let i = 0; ; i++) {
    try {
      await iam.send(new CreateOpenIDConnectProviderCommand({ Url: `https://${GITLAB}`, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['b3dd7606d2b5a8b4a13771dbecc9ee1cecafa38a'] }));
      break;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { endpoint, stop: () => child.kill() };
}

async function main() {
  const dir = path.join(__dirname);
  /** Synthesises one fixture's stack and writes its cdk.tf.json and register. */
  const synthesise = (name: string, build: (stack: TerraformStack) => void): { tf: any; out: string } => {
    const app = Testing.app({ context: { 'nhi:today': TODAY } } as any);
    const stack = new TerraformStack(app, name);
    build(stack);
    const tf: any = rawJson(stack);
    const out = path.join(dir, name);
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'cdk.tf.json'), JSON.stringify(tf, null, 2) + '\n');
    fs.writeFileSync(path.join(out, 'nhi-register.json'), NhiRegister.of(stack).render());
    return { tf, out };
  };
  for (const [name, build] of Object.entries(GOOGLE_SYNTHETIC)) {
    if (process.argv.length > 2 && !process.argv.includes(name)) continue;
    const { tf, out } = synthesise(name, build);
    fs.writeFileSync(path.join(out, 'plan.json'), JSON.stringify(syntheticPlan(tf), null, 1) + '\n');
    console.log(`${name}: ${path.relative(process.cwd(), path.join(out, 'plan.json'))} (synthetic)`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-plans-'));
  const rc = path.join(work, 'terraformrc');
  fs.writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = "${mirror()}"\n  }\n}\n`);
  const env = { ...process.env, TF_CLI_CONFIG_FILE: rc, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
  for (const [name, build] of Object.entries(FIXTURES)) {
    if (process.argv.length > 2 && !process.argv.includes(name)) continue;
    const { tf, out } = synthesise(name, build);

    // The harness's provider: 5.100 from the mirror, fake keys, an endpoint that is never called.
    const planned = JSON.parse(JSON.stringify(tf));
    delete planned.terraform.backend;
    planned.terraform.required_providers = { ...planned.terraform.required_providers, aws: { source: 'hashicorp/aws', version: '5.100.0' } };
    const moto = NEEDS_API.has(name) ? await startMoto() : undefined;
    const never = 'http://127.0.0.1:9';
    planned.provider = {
      aws: [{
        region: 'eu-west-1', access_key: 'AKIAIOSFODNN7EXAMPLE', secret_key: 'fake', skip_credentials_validation: true,
        skip_requesting_account_id: true, skip_metadata_api_check: true, skip_region_validation: true,
        endpoints: [{ apigateway: never, lambda: never, iam: moto?.endpoint ?? never, sts: never, s3: never, sns: never, scheduler: never, secretsmanager: never, cloudwatch: never, logs: never }],
      }],
    };
    // Data sources would call the API at plan time: the fixtures read the account id from a literal.
    for (const [type, byName] of Object.entries<any>(planned.data ?? {})) {
      if (type !== 'aws_caller_identity') continue;
      for (const id of Object.keys(byName)) {
        const text = JSON.stringify(planned);
        Object.assign(planned, JSON.parse(text.split(`\${data.aws_caller_identity.${id}.account_id}`).join('123456789012')));
        delete planned.data[type][id];
      }
    }
    for (const [type, byName] of Object.entries<any>(planned.data ?? {})) if (Object.keys(byName).length === 0) delete planned.data[type];
    if (planned.data && Object.keys(planned.data).length === 0) delete planned.data;
    // Provider 6.x attributes 5.100 names differently: aws_region's `region` is `name` there.
    Object.assign(planned, JSON.parse(JSON.stringify(planned).replace(/(data\.aws_region\.[A-Za-z0-9_-]+)\.region\}/g, '$1.name}')));
    // Provider 6.x arguments 5.100 does not know.
    for (const body of Object.values<any>(planned.resource?.aws_scheduler_schedule ?? {})) delete body.action_after_completion;
    // The mirror has no hashicorp/time: a rotation period becomes a terraform_data of the same name.
    if (planned.resource?.time_rotating) {
      for (const [id, body] of Object.entries<any>(planned.resource.time_rotating)) {
        planned.resource.terraform_data = { ...(planned.resource.terraform_data ?? {}), [id]: { input: body.rotation_days } };
      }
      delete planned.resource.time_rotating;
      const text = JSON.stringify(planned).split('time_rotating.').join('terraform_data.');
      Object.assign(planned, JSON.parse(text));
      delete planned.terraform.required_providers.time;
      delete planned.provider.time;
    }
    const tfDir = path.join(work, name);
    fs.mkdirSync(tfDir);
    fs.writeFileSync(path.join(tfDir, 'main.tf.json'), JSON.stringify(planned, null, 2));
    const run = (args: string[]) => execFileSync('terraform', args, { cwd: tfDir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    run(['init', '-input=false', '-no-color']);
    try {
      run(['plan', '-input=false', '-no-color', '-refresh=false', '-out=plan.out']);
    } finally {
      moto?.stop();
    }
    const plan = JSON.parse(run(['show', '-json', 'plan.out']));
    delete plan.timestamp;
    fs.writeFileSync(path.join(out, 'plan.json'), JSON.stringify(plan, null, 1) + '\n');
    console.log(`${name}: ${path.relative(process.cwd(), path.join(out, 'plan.json'))}`);
  }
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
