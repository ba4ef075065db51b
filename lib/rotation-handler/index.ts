/* eslint-disable */
// The rotation function of governed static credentials (IAM access keys and API Gateway keys).
// It runs in AWS Lambda (Node.js 22, AWS SDK v3 from the runtime) and is shipped inline in the
// template, so it must stay self-contained: only node built-ins and @aws-sdk/* imports.
// It is not part of the jsii API (nothing in lib/**/index.ts exports it).
//
// Secrets Manager rotation protocol, with a two-key overlap:
//   createSecret  refuse after expiry; if the identity already has two keys, delete the one that
//                 is not AWSCURRENT (the key consumers were given one rotation ago: it had a full
//                 rotation period to be replaced); create a new key; store it as AWSPENDING.
//   setSecret     nothing: the new key already exists in IAM / API Gateway.
//   testSecret    verify the new key really works (sts:GetCallerIdentity with it, retried while
//                 IAM propagates it; for API keys: enabled, same value, in the usage plan).
//   finishSecret  move AWSCURRENT to the new version (the old one becomes AWSPREVIOUS and stays
//                 valid until the next rotation), then delete keys that are neither (leftovers of
//                 failed rotations).
// A failure at any step leaves AWSCURRENT on the old, working key.
// `{ "nhiAction": "disable" }` (sent by EventBridge Scheduler at expiry) disables every key.
import { randomBytes } from 'crypto';
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';

/** What Secrets Manager (or the expiry schedule) sends the function. */
export interface RotationEvent {
  readonly SecretId?: string;
  readonly ClientRequestToken?: string;
  readonly Step?: string;
  readonly nhiAction?: string;
}

/** Everything the rotation logic talks to, injectable for tests. */
export interface RotationDeps {
  readonly iam: IAMClient;
  readonly secrets: SecretsManagerClient;
  /** The ARN a pair of credentials authenticates as (sts:GetCallerIdentity). */
  readonly whoAmI: (accessKeyId: string, secretAccessKey: string) => Promise<string>;
  /** Calls API Gateway (`CreateApiKey`, `GetApiKey`, ...) with the given input. */
  readonly apiGateway: (command: string, input: Record<string, unknown>) => Promise<any>;
  /** NHI_KIND, NHI_SECRET_ARN, NHI_USER_NAME, NHI_EXPIRES_AT, NHI_KEY_NAME, NHI_USAGE_PLAN_ID, NHI_INITIAL_KEY_ID, NHI_TAGS. */
  readonly env: Record<string, string | undefined>;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: (message: string) => void;
}

const PENDING = 'AWSPENDING';
const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';

function isNotFound(e: unknown): boolean {
  const n = (e as { name?: string })?.name ?? '';
  return n === 'ResourceNotFoundException' || n === 'NoSuchEntityException' || n === 'NotFoundException';
}

async function getSecretJson(deps: RotationDeps, secretId: string, stage: string, versionId?: string): Promise<Record<string, any> | undefined> {
  try {
    const r = await deps.secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage, ...(versionId ? { VersionId: versionId } : {}) }));
    return JSON.parse(r.SecretString ?? '{}');
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

function expired(deps: RotationDeps): boolean {
  const at = deps.env.NHI_EXPIRES_AT;
  return !!at && deps.now().getTime() >= Date.parse(at);
}

/** Entry point: a Secrets Manager rotation step, or the disable-at-expiry call. */
export async function rotate(event: RotationEvent, deps: RotationDeps): Promise<void> {
  const kind = deps.env.NHI_KIND;
  if (kind !== 'access-key' && kind !== 'api-key') throw new Error(`NHI_KIND must be access-key or api-key, got ${kind}`);
  if (event.nhiAction === 'disable') {
    await (kind === 'access-key' ? disableAccessKeys(deps) : disableApiKeys(deps, deps.env.NHI_SECRET_ARN!));
    return;
  }
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  if (!secretId || !token || !step) throw new Error('not a Secrets Manager rotation event');
  const meta = await deps.secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
  if (!meta.RotationEnabled) throw new Error(`secret ${secretId} does not have rotation enabled`);
  const versions = meta.VersionIdsToStages ?? {};
  if (!versions[token]) throw new Error(`version ${token} is not a version of ${secretId}`);
  if (versions[token].includes(CURRENT)) {
    deps.log(`version ${token} is already AWSCURRENT`);
    return;
  }
  if (!versions[token].includes(PENDING)) throw new Error(`version ${token} is not AWSPENDING`);
  const currentVersion = Object.keys(versions).find((v) => versions[v].includes(CURRENT));

  switch (step) {
    case 'createSecret':
      if (expired(deps)) throw new Error(`the identity expired at ${deps.env.NHI_EXPIRES_AT}: refusing to create a new key`);
      if (await getSecretJson(deps, secretId, PENDING, token)) return; // idempotent retry
      await (kind === 'access-key' ? createAccessKey(deps, secretId, token) : createApiKey(deps, secretId, token));
      return;
    case 'setSecret':
      return;
    case 'testSecret':
      await (kind === 'access-key' ? testAccessKey(deps, secretId, token) : testApiKey(deps, secretId, token));
      return;
    case 'finishSecret':
      await deps.secrets.send(new UpdateSecretVersionStageCommand({
        SecretId: secretId, VersionStage: CURRENT, MoveToVersionId: token, RemoveFromVersionId: currentVersion,
      }));
      deps.log(`AWSCURRENT moved to ${token}; the previous key stays valid until the next rotation`);
      if (kind === 'access-key') await deleteStaleAccessKeys(deps, secretId);
      return;
    default:
      throw new Error(`unknown rotation step ${step}`);
  }
}

// ---- IAM access keys -----------------------------------------------------------------------

async function listKeys(deps: RotationDeps, userName: string) {
  const r = await deps.iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return r.AccessKeyMetadata ?? [];
}

async function createAccessKey(deps: RotationDeps, secretId: string, token: string): Promise<void> {
  const userName = deps.env.NHI_USER_NAME!;
  const current = (await getSecretJson(deps, secretId, CURRENT)) ?? {};
  const keys = await listKeys(deps, userName);
  if (keys.length >= 2) {
    // IAM allows two keys: delete the old one (not the key consumers currently use).
    for (const k of keys) {
      if (k.AccessKeyId && k.AccessKeyId !== current.AccessKeyId) {
        deps.log(`deleting old access key ${k.AccessKeyId} of ${userName}`);
        await deps.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: k.AccessKeyId }));
        break;
      }
    }
  }
  const created = await deps.iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  const key = created.AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error(`IAM returned no access key for ${userName}`);
  try {
    await deps.secrets.send(new PutSecretValueCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      SecretString: JSON.stringify({ UserName: userName, AccessKeyId: key.AccessKeyId, SecretAccessKey: key.SecretAccessKey }),
      VersionStages: [PENDING],
    }));
  } catch (e) {
    // Never leave a key nobody can read.
    await deps.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: key.AccessKeyId }));
    throw e;
  }
  deps.log(`created access key ${key.AccessKeyId} for ${userName} as AWSPENDING`);
}

async function testAccessKey(deps: RotationDeps, secretId: string, token: string): Promise<void> {
  const pending = await getSecretJson(deps, secretId, PENDING, token);
  if (!pending?.AccessKeyId || !pending.SecretAccessKey) throw new Error(`AWSPENDING version ${token} holds no access key`);
  const userName = deps.env.NHI_USER_NAME!;
  let lastError: unknown;
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      const arn = await deps.whoAmI(pending.AccessKeyId, pending.SecretAccessKey);
      if (!arn.endsWith(`/${userName}`)) throw new Error(`the new key authenticates as ${arn}, not as user ${userName}`);
      deps.log(`new access key ${pending.AccessKeyId} verified as ${arn}`);
      return;
    } catch (e) {
      lastError = e;
      await deps.sleep(Math.min(2000 * 2 ** attempt, 10000)); // IAM takes seconds to propagate a new key
    }
  }
  throw new Error(`the new access key ${pending.AccessKeyId} does not work: ${(lastError as Error)?.message ?? lastError}`);
}

async function deleteStaleAccessKeys(deps: RotationDeps, secretId: string): Promise<void> {
  const userName = deps.env.NHI_USER_NAME!;
  const keep = new Set<string>();
  for (const stage of [CURRENT, PREVIOUS]) {
    const v = await getSecretJson(deps, secretId, stage);
    if (v?.AccessKeyId) keep.add(v.AccessKeyId);
  }
  for (const k of await listKeys(deps, userName)) {
    if (k.AccessKeyId && !keep.has(k.AccessKeyId)) {
      deps.log(`deleting stale access key ${k.AccessKeyId} of ${userName}`);
      await deps.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: k.AccessKeyId }));
    }
  }
}

async function disableAccessKeys(deps: RotationDeps): Promise<void> {
  const userName = deps.env.NHI_USER_NAME!;
  for (const k of await listKeys(deps, userName)) {
    if (k.AccessKeyId && k.Status !== 'Inactive') {
      await deps.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: k.AccessKeyId, Status: 'Inactive' }));
      deps.log(`disabled access key ${k.AccessKeyId} of ${userName} at expiry`);
    }
  }
}

// ---- API Gateway keys ----------------------------------------------------------------------

async function createApiKey(deps: RotationDeps, secretId: string, token: string): Promise<void> {
  const current = (await getSecretJson(deps, secretId, CURRENT)) ?? {};
  const previous = await getSecretJson(deps, secretId, PREVIOUS);
  const currentId = current.apiKeyId ?? deps.env.NHI_INITIAL_KEY_ID;
  const oldId = previous ? (previous.apiKeyId ?? deps.env.NHI_INITIAL_KEY_ID) : undefined;
  if (oldId && oldId !== currentId) {
    try {
      await deps.apiGateway('DeleteApiKey', { apiKey: oldId });
      deps.log(`deleted old API key ${oldId}`);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  const value = randomBytes(30).toString('base64').replace(/[^A-Za-z0-9]/g, 'x');
  const created = await deps.apiGateway('CreateApiKey', {
    name: `${deps.env.NHI_KEY_NAME}-${token.slice(0, 8)}`,
    description: `Rotated by nhi-constructs (${token})`,
    enabled: true,
    value,
    tags: JSON.parse(deps.env.NHI_TAGS ?? '{}'),
  });
  try {
    await deps.apiGateway('CreateUsagePlanKey', { usagePlanId: deps.env.NHI_USAGE_PLAN_ID, keyId: created.id, keyType: 'API_KEY' });
    await deps.secrets.send(new PutSecretValueCommand({
      SecretId: secretId, ClientRequestToken: token, SecretString: JSON.stringify({ value, apiKeyId: created.id }), VersionStages: [PENDING],
    }));
  } catch (e) {
    await deps.apiGateway('DeleteApiKey', { apiKey: created.id });
    throw e;
  }
  deps.log(`created API key ${created.id} as AWSPENDING`);
}

async function testApiKey(deps: RotationDeps, secretId: string, token: string): Promise<void> {
  const pending = await getSecretJson(deps, secretId, PENDING, token);
  if (!pending?.apiKeyId || !pending.value) throw new Error(`AWSPENDING version ${token} holds no API key`);
  const key = await deps.apiGateway('GetApiKey', { apiKey: pending.apiKeyId, includeValue: true });
  if (!key?.enabled || key.value !== pending.value) throw new Error(`the new API key ${pending.apiKeyId} is disabled or holds another value`);
  await deps.apiGateway('GetUsagePlanKey', { usagePlanId: deps.env.NHI_USAGE_PLAN_ID, keyId: pending.apiKeyId });
}

async function disableApiKeys(deps: RotationDeps, secretId: string): Promise<void> {
  const ids = new Set<string>();
  if (deps.env.NHI_INITIAL_KEY_ID) ids.add(deps.env.NHI_INITIAL_KEY_ID);
  for (const stage of [CURRENT, PREVIOUS, PENDING]) {
    const v = await getSecretJson(deps, secretId, stage);
    if (v?.apiKeyId) ids.add(v.apiKeyId);
  }
  for (const id of ids) {
    try {
      await deps.apiGateway('UpdateApiKey', { apiKey: id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] });
      deps.log(`disabled API key ${id} at expiry`);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

// ---- Lambda wiring -------------------------------------------------------------------------

function defaultDeps(): RotationDeps {
  // Clients the Node.js Lambda runtime ships (AWS SDK v3), loaded only when used.
  let apigw: any;
  return {
    iam: new IAMClient({}),
    secrets: new SecretsManagerClient({}),
    whoAmI: async (accessKeyId, secretAccessKey) => {
      const sts = require('@aws-sdk/client-sts');
      const client = new sts.STSClient({ credentials: { accessKeyId, secretAccessKey } });
      const r = await client.send(new sts.GetCallerIdentityCommand({}));
      return r.Arn as string;
    },
    apiGateway: async (command, input) => {
      const m = require('@aws-sdk/client-api-gateway');
      apigw ??= new m.APIGatewayClient({});
      return apigw.send(new m[`${command}Command`](input));
    },
    env: process.env,
    now: () => new Date(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    log: (m) => console.log(m),
  };
}

/** The Lambda handler. */
export async function handler(event: RotationEvent): Promise<void> {
  await rotate(event, defaultDeps());
}
