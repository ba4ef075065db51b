// Deploy test, AWS CDK target: the Secrets Manager rotation function (lib/aws-cdk/rotation-handler)
// run end to end against the emulator's real IAM, STS, API Gateway and Secrets Manager: the IAM
// two-key limit, secret versions and staging labels, keys that authenticate (or not). The mocked
// unit tests (test/aws-cdk/rotation-handler.test.ts) keep the failures the emulator cannot produce.
//
// Moto gaps, adapted in the assertions only: moto answers sts:GetCallerIdentity for an unknown
// (deleted) key as its default user and still authenticates inactive keys, and DeleteApiKey leaves
// the key's id in its usage plan.
//
// HARNESS ADAPTATION (moto gap): moto runs Lambda functions only in Docker, which this machine
// lacks, so the harness plays Secrets Manager's part: RotateSecret (with the function's ARN)
// creates the AWSPENDING version and turns rotation on exactly as Secrets Manager does, and then
// fails to invoke the (absent) function; the harness calls the handler's four steps itself, in
// process, with that version's token, and, as Secrets Manager does after finishSecret, takes the
// AWSPENDING label off the finished version.
import { randomUUID } from 'crypto';
import {
  APIGatewayClient, CreateApiKeyCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, GetApiKeyCommand, GetApiKeysCommand,
  GetUsagePlanKeysCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateAccessKeyCommand, CreateUserCommand, DeleteAccessKeyCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import {
  CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, RotateSecretCommand, SecretsManagerClient, UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { rotate, RotationDeps } from '../../lib/aws-cdk/rotation-handler';
import { clientConfig, Credentials, credentialsFor, freshAccount, Moto, startMoto } from './moto';

const SKIP = process.env.NHI_DEPLOY_TESTS === 'skip';

let moto: Moto;

beforeAll(async () => {
  if (!SKIP) moto = await startMoto();
}, 120_000);

afterAll(async () => {
  await moto?.stop();
});

/** One emulated account with the clients the handler uses. */
class Account {
  public readonly iam: IAMClient;
  public readonly sm: SecretsManagerClient;
  public readonly apigw: APIGatewayClient;
  public readonly logs: string[] = [];
  constructor(public readonly creds: Credentials) {
    this.iam = new IAMClient(clientConfig(moto, creds));
    this.sm = new SecretsManagerClient(clientConfig(moto, creds));
    this.apigw = new APIGatewayClient(clientConfig(moto, creds));
  }

  public static async create(): Promise<Account> {
    return new Account(await credentialsFor(moto, freshAccount()));
  }

  /** The handler's dependencies: the real (emulated) services; no waiting between retries. */
  public deps(env: Record<string, string>, now = new Date('2026-12-01T00:00:00Z')): RotationDeps {
    return {
      iam: this.iam,
      secrets: this.sm,
      whoAmI: async (accessKeyId, secretAccessKey) => {
        const sts = new STSClient({ endpoint: moto.endpoint, region: 'eu-west-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
        try {
          return (await sts.send(new GetCallerIdentityCommand({}))).Arn!;
        } finally {
          sts.destroy();
        }
      },
      apiGateway: async (command, input) => {
        const m = require('@aws-sdk/client-api-gateway');
        return this.apigw.send(new m[`${command}Command`](input));
      },
      env,
      now: () => now,
      sleep: async () => undefined,
      log: (m) => this.logs.push(m),
    };
  }

  /** Secrets Manager's part of a rotation: a new AWSPENDING version, rotation on (see the header). */
  public async startRotation(secretId: string): Promise<string> {
    const token = randomUUID();
    await this.sm.send(new RotateSecretCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      RotationLambdaARN: 'arn:aws:lambda:eu-west-1:123456789012:function:nhi-rotation',
      RotationRules: { AutomaticallyAfterDays: 30 },
    })).then(() => { throw new Error('the emulator invoked a Lambda function: the harness adaptation is obsolete'); },
      (e) => { if (e.name !== 'ResourceNotFoundException') throw e; });
    const versions = (await this.sm.send(new DescribeSecretCommand({ SecretId: secretId }))).VersionIdsToStages ?? {};
    expect(versions[token]).toEqual(['AWSPENDING']);
    return token;
  }

  /** A whole rotation, step by step as Secrets Manager invokes them; the step that failed, if one did. */
  public async rotation(secretId: string, deps: RotationDeps): Promise<{ token: string; failedAt?: string; error?: Error }> {
    const token = await this.startRotation(secretId);
    for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) {
      try {
        await rotate({ SecretId: secretId, ClientRequestToken: token, Step: step }, deps);
      } catch (e) {
        // Secrets Manager leaves AWSPENDING on the failed version; the next rotation replaces it.
        return { token, failedAt: step, error: e as Error };
      }
    }
    await this.sm.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: 'AWSPENDING', RemoveFromVersionId: token }));
    return { token };
  }

  public async stages(secretId: string): Promise<Record<string, string[]>> {
    return (await this.sm.send(new DescribeSecretCommand({ SecretId: secretId }))).VersionIdsToStages ?? {};
  }

  public async value(secretId: string, stage: string): Promise<any> {
    return JSON.parse((await this.sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }))).SecretString!);
  }

  public async keys(user: string): Promise<{ id: string; status: string }[]> {
    return ((await this.iam.send(new ListAccessKeysCommand({ UserName: user }))).AccessKeyMetadata ?? [])
      .map((k) => ({ id: k.AccessKeyId!, status: k.Status! })).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  public destroy(): void {
    for (const c of [this.iam, this.sm, this.apigw]) c.destroy();
  }
}

/** The access-key identity as the AWS CDK target deploys it: an IAM user and its secret `{ UserName }`. */
async function accessKeyIdentity(a: Account, user = 'legacy-batch'): Promise<{ secretId: string; env: Record<string, string> }> {
  await a.iam.send(new CreateUserCommand({ UserName: user, Path: '/nhi/' }));
  const secret = await a.sm.send(new CreateSecretCommand({ Name: `nhi/${user}/access-key`, SecretString: JSON.stringify({ UserName: user }) }));
  return { secretId: secret.ARN!, env: { NHI_KIND: 'access-key', NHI_USER_NAME: user, NHI_SECRET_ARN: secret.ARN!, NHI_EXPIRES_AT: '2027-06-30T00:00:00Z' } };
}

const d = SKIP ? describe.skip : describe;

d('rotation function against the emulator: IAM access keys', () => {
  test('first rotation creates the key; each later one keeps the previous key valid (overlap) within the two-key limit', async () => {
    const a = await Account.create();
    const { secretId, env } = await accessKeyIdentity(a);
    const deps = a.deps(env);

    // Deploy: the schedule rotates immediately, creating the first key.
    expect(await a.rotation(secretId, deps)).toEqual({ token: expect.any(String) });
    const first = await a.value(secretId, 'AWSCURRENT');
    expect(await a.keys('legacy-batch')).toEqual([{ id: first.AccessKeyId, status: 'Active' }]);
    expect(await deps.whoAmI(first.AccessKeyId, first.SecretAccessKey)).toMatch(/:user\/nhi\/legacy-batch$/);

    // Second rotation: a new current key; the first stays valid as AWSPREVIOUS (two keys, the IAM limit).
    await a.rotation(secretId, deps);
    const second = await a.value(secretId, 'AWSCURRENT');
    expect((await a.value(secretId, 'AWSPREVIOUS')).AccessKeyId).toBe(first.AccessKeyId);
    expect((await a.keys('legacy-batch')).map((k) => k.id).sort()).toEqual([first.AccessKeyId, second.AccessKeyId].sort());
    expect(await deps.whoAmI(first.AccessKeyId, first.SecretAccessKey)).toMatch(/legacy-batch$/);
    expect(await deps.whoAmI(second.AccessKeyId, second.SecretAccessKey)).toMatch(/legacy-batch$/);

    // The emulator enforces the IAM limit: a third key is refused while two exist...
    await expect(a.iam.send(new CreateAccessKeyCommand({ UserName: 'legacy-batch' }))).rejects.toMatchObject({ name: 'LimitExceededException' });
    // ...so the third rotation must delete the key consumers no longer use (the first), never the current one.
    await a.rotation(secretId, deps);
    const third = await a.value(secretId, 'AWSCURRENT');
    expect((await a.value(secretId, 'AWSPREVIOUS')).AccessKeyId).toBe(second.AccessKeyId);
    expect((await a.keys('legacy-batch')).map((k) => k.id).sort()).toEqual([second.AccessKeyId, third.AccessKeyId].sort());
    expect(a.logs.some((l) => l.includes(`deleting old access key ${first.AccessKeyId}`))).toBe(true);
    // The deleted key no longer authenticates as the user (moto answers unknown keys as its default user).
    expect(await deps.whoAmI(first.AccessKeyId, first.SecretAccessKey).catch(() => 'refused')).not.toMatch(/legacy-batch$/);
    a.destroy();
  }, 180_000);

  test('after expiry: no new key is created, AWSCURRENT stays on the working key', async () => {
    const a = await Account.create();
    const { secretId, env } = await accessKeyIdentity(a);
    await a.rotation(secretId, a.deps(env));
    const before = await a.value(secretId, 'AWSCURRENT');
    const r = await a.rotation(secretId, a.deps(env, new Date('2027-06-30T00:00:00Z')));
    expect(r.failedAt).toBe('createSecret');
    expect(r.error!.message).toMatch(/expired at 2027-06-30T00:00:00Z: refusing to create a new key/);
    expect((await a.value(secretId, 'AWSCURRENT')).AccessKeyId).toBe(before.AccessKeyId);
    expect((await a.keys('legacy-batch')).map((k) => k.id)).toEqual([before.AccessKeyId]);
    a.destroy();
  }, 180_000);

  test('a new key that does not authenticate fails testSecret; AWSCURRENT stays; the next rotation recovers', async () => {
    const a = await Account.create();
    const { secretId, env } = await accessKeyIdentity(a);
    await a.rotation(secretId, a.deps(env));
    const before = await a.value(secretId, 'AWSCURRENT');
    // The pending key is deleted behind the function's back (as if IAM lost it) before testSecret.
    const token = await a.startRotation(secretId);
    const deps = a.deps(env);
    await rotate({ SecretId: secretId, ClientRequestToken: token, Step: 'createSecret' }, deps);
    const pending = JSON.parse((await a.sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }))).SecretString!);
    await a.iam.send(new DeleteAccessKeyCommand({ UserName: 'legacy-batch', AccessKeyId: pending.AccessKeyId }));
    await expect(rotate({ SecretId: secretId, ClientRequestToken: token, Step: 'testSecret' }, deps)).rejects.toThrow(/does not work/);
    expect((await a.value(secretId, 'AWSCURRENT')).AccessKeyId).toBe(before.AccessKeyId);
    expect(await deps.whoAmI(before.AccessKeyId, before.SecretAccessKey)).toMatch(/legacy-batch$/);
    // Secrets Manager retries with a new version: it rotates cleanly.
    expect((await a.rotation(secretId, deps)).failedAt).toBeUndefined();
    const after = await a.value(secretId, 'AWSCURRENT');
    expect(after.AccessKeyId).not.toBe(before.AccessKeyId);
    expect((await a.value(secretId, 'AWSPREVIOUS')).AccessKeyId).toBe(before.AccessKeyId);
    a.destroy();
  }, 180_000);

  test('a token that is not the AWSPENDING version, or a secret without rotation, is refused', async () => {
    const a = await Account.create();
    const { secretId, env } = await accessKeyIdentity(a);
    await expect(rotate({ SecretId: secretId, ClientRequestToken: randomUUID(), Step: 'createSecret' }, a.deps(env)))
      .rejects.toThrow(/does not have rotation enabled/);
    await a.rotation(secretId, a.deps(env));
    const current = Object.entries(await a.stages(secretId)).find(([, s]) => s.includes('AWSCURRENT'))![0];
    await rotate({ SecretId: secretId, ClientRequestToken: current, Step: 'createSecret' }, a.deps(env)); // already current: nothing to do
    await expect(rotate({ SecretId: secretId, ClientRequestToken: randomUUID(), Step: 'createSecret' }, a.deps(env)))
      .rejects.toThrow(/is not a version of/);
    a.destroy();
  }, 180_000);

  test('at expiry the scheduled { nhiAction: "disable" } makes every key of the user inactive', async () => {
    const a = await Account.create();
    const { secretId, env } = await accessKeyIdentity(a);
    await a.rotation(secretId, a.deps(env));
    await a.rotation(secretId, a.deps(env));
    expect((await a.keys('legacy-batch')).map((k) => k.status)).toEqual(['Active', 'Active']);
    await rotate({ nhiAction: 'disable' }, a.deps(env));
    expect((await a.keys('legacy-batch')).map((k) => k.status)).toEqual(['Inactive', 'Inactive']);
    // (moto gap: it still authenticates inactive keys, so only their status is checked here.)
    a.destroy();
  }, 180_000);
});

d('rotation function against the emulator: API Gateway keys', () => {
  /** The API key identity as the AWS CDK target deploys it: key, usage plan, secret `{ name, value }`. */
  async function apiKeyIdentity(a: Account) {
    const initial = await a.apigw.send(new CreateApiKeyCommand({ name: 'partner-globex', enabled: true, value: 'initialvalue0123456789abcdefghij' }));
    const plan = await a.apigw.send(new CreateUsagePlanCommand({ name: 'partner-globex', throttle: { rateLimit: 5, burstLimit: 10 } }));
    await a.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: initial.id!, keyType: 'API_KEY' }));
    const secret = await a.sm.send(new CreateSecretCommand({
      Name: 'nhi/partner-globex/api-key', SecretString: JSON.stringify({ name: 'partner-globex', value: 'initialvalue0123456789abcdefghij' }),
    }));
    const env = {
      NHI_KIND: 'api-key', NHI_SECRET_ARN: secret.ARN!, NHI_EXPIRES_AT: '2027-06-30T00:00:00Z', NHI_KEY_NAME: 'partner-globex',
      NHI_USAGE_PLAN_ID: plan.id!, NHI_INITIAL_KEY_ID: initial.id!, NHI_TAGS: JSON.stringify({ 'nhi:owner-team': 'billing' }),
    };
    return { secretId: secret.ARN!, env, initialId: initial.id!, planId: plan.id! };
  }

  test('each rotation adds a key to the usage plan and keeps the previous one enabled; the one before is deleted', async () => {
    const a = await Account.create();
    const { secretId, env, initialId, planId } = await apiKeyIdentity(a);
    const deps = a.deps(env);
    const planKeys = async () => ((await a.apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: planId }))).items ?? []).map((k) => k.id!).sort();

    expect((await a.rotation(secretId, deps)).failedAt).toBeUndefined();
    const first = await a.value(secretId, 'AWSCURRENT');
    const k1 = await a.apigw.send(new GetApiKeyCommand({ apiKey: first.apiKeyId, includeValue: true }));
    expect([k1.enabled, k1.value, k1.tags]).toEqual([true, first.value, { 'nhi:owner-team': 'billing' }]);
    expect(await planKeys()).toEqual([initialId, first.apiKeyId].sort());

    await a.rotation(secretId, deps);
    const second = await a.value(secretId, 'AWSCURRENT');
    expect((await a.value(secretId, 'AWSPREVIOUS')).apiKeyId).toBe(first.apiKeyId);
    const ids = ((await a.apigw.send(new GetApiKeysCommand({}))).items ?? []).map((k) => k.id!).sort();
    expect(ids).toEqual([first.apiKeyId, second.apiKeyId].sort()); // the initial key (older than the previous) is gone
    // (moto gap: DeleteApiKey leaves the deleted key's id in the usage plan; AWS removes it.)
    expect((await planKeys()).filter((id) => ids.includes(id))).toEqual([first.apiKeyId, second.apiKeyId].sort());

    await rotate({ nhiAction: 'disable' }, deps);
    const after = ((await a.apigw.send(new GetApiKeysCommand({}))).items ?? []).map((k) => k.enabled);
    expect(after).toEqual([false, false]);
    a.destroy();
  }, 180_000);

  test('after expiry no API key is created', async () => {
    const a = await Account.create();
    const { secretId, env } = await apiKeyIdentity(a);
    const r = await a.rotation(secretId, a.deps(env, new Date('2027-07-01T00:00:00Z')));
    expect(r.failedAt).toBe('createSecret');
    expect(((await a.apigw.send(new GetApiKeysCommand({}))).items ?? []).length).toBe(1);
    a.destroy();
  }, 180_000);
});

if (SKIP) {
  test.skip('deploy tests skipped: NHI_DEPLOY_TESTS=skip', () => undefined);
}
