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
import { mockClient } from 'aws-sdk-client-mock';
import { rotate, RotationDeps } from '../../lib/rotation-handler';
import { rotationHandlerSource } from '../../lib/rotation-handler/source';

const iamMock = mockClient(IAMClient);
const smMock = mockClient(SecretsManagerClient);
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:nhi/legacy-batch/access-key-AbCdEf';
const TOKEN = 'token-2';
const USER = 'legacy-batch';

function notFound(): Error {
  return Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
}

function deps(over: Partial<RotationDeps> = {}, env: Record<string, string> = {}): RotationDeps & { logs: string[]; apiCalls: [string, any][] } {
  const logs: string[] = [];
  const apiCalls: [string, any][] = [];
  return {
    iam: new IAMClient({ region: 'eu-west-1' }),
    secrets: new SecretsManagerClient({ region: 'eu-west-1' }),
    whoAmI: async () => `arn:aws:iam::123456789012:user/nhi/${USER}`,
    apiGateway: async (command, input) => {
      apiCalls.push([command, input]);
      if (command === 'CreateApiKey') return { id: 'newkey1' };
      return {};
    },
    env: { NHI_KIND: 'access-key', NHI_USER_NAME: USER, NHI_SECRET_ARN: SECRET, NHI_EXPIRES_AT: '2027-06-30T00:00:00Z', ...env },
    now: () => new Date('2026-12-01T00:00:00Z'),
    sleep: async () => {},
    log: (m) => logs.push(m),
    logs,
    apiCalls,
    ...over,
  };
}

/** A secret whose AWSCURRENT version `v1` holds key AKIAOLD and whose version `token-2` is AWSPENDING. */
function secretState(pending?: Record<string, string>) {
  smMock.on(DescribeSecretCommand).resolves({
    RotationEnabled: true,
    VersionIdsToStages: { 'v1': ['AWSCURRENT'], 'v0': ['AWSPREVIOUS'], [TOKEN]: ['AWSPENDING'] },
  });
  smMock.on(GetSecretValueCommand, { SecretId: SECRET, VersionStage: 'AWSCURRENT' })
    .resolves({ SecretString: JSON.stringify({ UserName: USER, AccessKeyId: 'AKIAOLD', SecretAccessKey: 'old' }) });
  smMock.on(GetSecretValueCommand, { SecretId: SECRET, VersionStage: 'AWSPREVIOUS' })
    .resolves({ SecretString: JSON.stringify({ UserName: USER, AccessKeyId: 'AKIAOLDER', SecretAccessKey: 'older' }) });
  if (pending) {
    smMock.on(GetSecretValueCommand, { SecretId: SECRET, VersionStage: 'AWSPENDING', VersionId: TOKEN }).resolves({ SecretString: JSON.stringify(pending) });
  } else {
    smMock.on(GetSecretValueCommand, { SecretId: SECRET, VersionStage: 'AWSPENDING', VersionId: TOKEN }).rejects(notFound());
  }
}

const event = (Step: string) => ({ SecretId: SECRET, ClientRequestToken: TOKEN, Step });

beforeEach(() => {
  iamMock.reset();
  smMock.reset();
});

describe('rotation handler, access keys: createSecret', () => {
  test('creates a new key and stores it as AWSPENDING; with one key, deletes nothing', async () => {
    secretState();
    iamMock.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAOLD', Status: 'Active' }] });
    iamMock.on(CreateAccessKeyCommand).resolves({ AccessKey: { AccessKeyId: 'AKIANEW', SecretAccessKey: 'new', UserName: USER, Status: 'Active' } });
    await rotate(event('createSecret'), deps());
    expect(iamMock.commandCalls(DeleteAccessKeyCommand)).toHaveLength(0);
    const put = smMock.commandCalls(PutSecretValueCommand)[0].args[0].input;
    expect(put).toEqual({
      SecretId: SECRET, ClientRequestToken: TOKEN, VersionStages: ['AWSPENDING'],
      SecretString: JSON.stringify({ UserName: USER, AccessKeyId: 'AKIANEW', SecretAccessKey: 'new' }),
    });
  });

  test('with two keys (current + previous), deletes the old one, never the current one, before creating', async () => {
    secretState();
    iamMock.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAOLDER' }, { AccessKeyId: 'AKIAOLD' }] });
    iamMock.on(CreateAccessKeyCommand).resolves({ AccessKey: { AccessKeyId: 'AKIANEW', SecretAccessKey: 'new', UserName: USER, Status: 'Active' } });
    await rotate(event('createSecret'), deps());
    const deleted = iamMock.commandCalls(DeleteAccessKeyCommand).map((c) => c.args[0].input.AccessKeyId);
    expect(deleted).toEqual(['AKIAOLDER']);
    expect(iamMock.commandCalls(CreateAccessKeyCommand)).toHaveLength(1);
  });

  test('failure: deleting the old key fails -> no new key, AWSCURRENT untouched, the error surfaces', async () => {
    secretState();
    iamMock.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAOLDER' }, { AccessKeyId: 'AKIAOLD' }] });
    iamMock.on(DeleteAccessKeyCommand).rejects(Object.assign(new Error('User: ... is not authorized to perform: iam:DeleteAccessKey'), { name: 'AccessDenied' }));
    await expect(rotate(event('createSecret'), deps())).rejects.toThrow(/not authorized/);
    expect(iamMock.commandCalls(CreateAccessKeyCommand)).toHaveLength(0);
    expect(smMock.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(smMock.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
  });

  test('failure: storing the new key fails -> the new key is deleted again', async () => {
    secretState();
    iamMock.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAOLD' }] });
    iamMock.on(CreateAccessKeyCommand).resolves({ AccessKey: { AccessKeyId: 'AKIANEW', SecretAccessKey: 'new', UserName: USER, Status: 'Active' } });
    smMock.on(PutSecretValueCommand).rejects(new Error('throttled'));
    await expect(rotate(event('createSecret'), deps())).rejects.toThrow('throttled');
    expect(iamMock.commandCalls(DeleteAccessKeyCommand).map((c) => c.args[0].input.AccessKeyId)).toEqual(['AKIANEW']);
  });

  test('idempotent: an existing AWSPENDING version is kept', async () => {
    secretState({ UserName: USER, AccessKeyId: 'AKIANEW', SecretAccessKey: 'new' });
    await rotate(event('createSecret'), deps());
    expect(iamMock.commandCalls(CreateAccessKeyCommand)).toHaveLength(0);
  });

  test('refuses to create a key after the identity expired', async () => {
    secretState();
    await expect(rotate(event('createSecret'), deps({ now: () => new Date('2027-06-30T00:00:01Z') }))).rejects.toThrow(/expired at 2027-06-30T00:00:00Z/);
    expect(iamMock.commandCalls(CreateAccessKeyCommand)).toHaveLength(0);
  });
});

describe('rotation handler, access keys: testSecret', () => {
  test('verifies the new key authenticates as the user (retrying while IAM propagates it)', async () => {
    secretState({ UserName: USER, AccessKeyId: 'AKIANEW', SecretAccessKey: 'new' });
    let calls = 0;
    const d = deps({
      whoAmI: async (id, secret) => {
        calls++;
        expect([id, secret]).toEqual(['AKIANEW', 'new']);
        if (calls < 3) throw Object.assign(new Error('The security token included in the request is invalid'), { name: 'InvalidClientTokenId' });
        return `arn:aws:iam::123456789012:user/nhi/${USER}`;
      },
    });
    await rotate(event('testSecret'), d);
    expect(calls).toBe(3);
  });

  test('failure: the new key is invalid -> testSecret fails, AWSCURRENT stays on the old key', async () => {
    secretState({ UserName: USER, AccessKeyId: 'AKIANEW', SecretAccessKey: 'wrong' });
    const d = deps({ whoAmI: async () => { throw Object.assign(new Error('SignatureDoesNotMatch'), { name: 'SignatureDoesNotMatch' }); } });
    await expect(rotate(event('testSecret'), d)).rejects.toThrow(/new access key AKIANEW does not work: SignatureDoesNotMatch/);
    expect(smMock.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
  });

  test('failure: the new key belongs to someone else', async () => {
    secretState({ UserName: USER, AccessKeyId: 'AKIANEW', SecretAccessKey: 'new' });
    const d = deps({ whoAmI: async () => 'arn:aws:iam::123456789012:user/someone-else' });
    await expect(rotate(event('testSecret'), d)).rejects.toThrow(/not as user legacy-batch/);
  });
});

describe('rotation handler, access keys: finishSecret and the protocol checks', () => {
  test('moves AWSCURRENT to the new version, keeps the previous key (overlap), deletes leftovers', async () => {
    secretState({ UserName: USER, AccessKeyId: 'AKIANEW', SecretAccessKey: 'new' });
    // after the move, AWSCURRENT is the new key and AWSPREVIOUS the old one
    smMock.on(UpdateSecretVersionStageCommand).callsFake(() => {
      smMock.on(GetSecretValueCommand, { SecretId: SECRET, VersionStage: 'AWSCURRENT' }).resolves({ SecretString: JSON.stringify({ AccessKeyId: 'AKIANEW' }) });
      smMock.on(GetSecretValueCommand, { SecretId: SECRET, VersionStage: 'AWSPREVIOUS' }).resolves({ SecretString: JSON.stringify({ AccessKeyId: 'AKIAOLD' }) });
      return {};
    });
    iamMock.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAOLD' }, { AccessKeyId: 'AKIANEW' }, { AccessKeyId: 'AKIASTRAY' }] });
    await rotate(event('finishSecret'), deps());
    expect(smMock.commandCalls(UpdateSecretVersionStageCommand)[0].args[0].input).toEqual({
      SecretId: SECRET, VersionStage: 'AWSCURRENT', MoveToVersionId: TOKEN, RemoveFromVersionId: 'v1',
    });
    expect(iamMock.commandCalls(DeleteAccessKeyCommand).map((c) => c.args[0].input.AccessKeyId)).toEqual(['AKIASTRAY']);
  });

  test('setSecret does nothing (the key already exists in IAM)', async () => {
    secretState({ UserName: USER, AccessKeyId: 'AKIANEW', SecretAccessKey: 'new' });
    await rotate(event('setSecret'), deps());
    expect(iamMock.calls()).toHaveLength(0);
  });

  test('rejects a secret without rotation, an unknown version, a version not pending; skips one already current', async () => {
    smMock.on(DescribeSecretCommand).resolves({ RotationEnabled: false });
    await expect(rotate(event('createSecret'), deps())).rejects.toThrow(/does not have rotation enabled/);
    smMock.on(DescribeSecretCommand).resolves({ RotationEnabled: true, VersionIdsToStages: { v1: ['AWSCURRENT'] } });
    await expect(rotate(event('createSecret'), deps())).rejects.toThrow(/is not a version/);
    smMock.on(DescribeSecretCommand).resolves({ RotationEnabled: true, VersionIdsToStages: { v1: ['AWSCURRENT'], [TOKEN]: [] } });
    await expect(rotate(event('createSecret'), deps())).rejects.toThrow(/is not AWSPENDING/);
    smMock.on(DescribeSecretCommand).resolves({ RotationEnabled: true, VersionIdsToStages: { [TOKEN]: ['AWSCURRENT'] } });
    await rotate(event('finishSecret'), deps());
    expect(smMock.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
    await expect(rotate({ Step: 'createSecret' }, deps())).rejects.toThrow(/not a Secrets Manager rotation event/);
    await expect(rotate(event('x'), deps({}, { NHI_KIND: 'other' }))).rejects.toThrow(/NHI_KIND/);
  });

  test('unknown step', async () => {
    secretState({ UserName: USER, AccessKeyId: 'AKIANEW', SecretAccessKey: 'new' });
    await expect(rotate(event('dance'), deps())).rejects.toThrow(/unknown rotation step/);
  });
});

describe('rotation handler: disable at expiry', () => {
  test('access keys: every active key of the user becomes Inactive', async () => {
    iamMock.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAOLD', Status: 'Active' }, { AccessKeyId: 'AKIANEW', Status: 'Active' }, { AccessKeyId: 'AKIAX', Status: 'Inactive' }] });
    await rotate({ nhiAction: 'disable' }, deps());
    expect(iamMock.commandCalls(UpdateAccessKeyCommand).map((c) => c.args[0].input)).toEqual([
      { UserName: USER, AccessKeyId: 'AKIAOLD', Status: 'Inactive' },
      { UserName: USER, AccessKeyId: 'AKIANEW', Status: 'Inactive' },
    ]);
  });

  test('API keys: the initial key and every rotated key are disabled', async () => {
    smMock.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' }).resolves({ SecretString: JSON.stringify({ value: 'v', apiKeyId: 'k2' }) });
    smMock.on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' }).resolves({ SecretString: JSON.stringify({ value: 'v', apiKeyId: 'k1' }) });
    smMock.on(GetSecretValueCommand, { VersionStage: 'AWSPENDING' }).rejects(notFound());
    const d = deps({}, { NHI_KIND: 'api-key', NHI_INITIAL_KEY_ID: 'k0' });
    await rotate({ nhiAction: 'disable' }, d);
    expect(d.apiCalls.map(([c, i]) => [c, i.apiKey])).toEqual([['UpdateApiKey', 'k0'], ['UpdateApiKey', 'k2'], ['UpdateApiKey', 'k1']]);
    expect(d.apiCalls[0][1].patchOperations).toEqual([{ op: 'replace', path: '/enabled', value: 'false' }]);
  });
});

describe('rotation handler, API keys', () => {
  const apiEnv = { NHI_KIND: 'api-key', NHI_KEY_NAME: 'partner-acme-orders', NHI_USAGE_PLAN_ID: 'plan1', NHI_INITIAL_KEY_ID: 'k0', NHI_TAGS: '{"nhi:owner-team":"partners"}' };

  function apiSecret(current: object, previous?: object, pending?: object) {
    smMock.on(DescribeSecretCommand).resolves({ RotationEnabled: true, VersionIdsToStages: { v1: ['AWSCURRENT'], [TOKEN]: ['AWSPENDING'] } });
    smMock.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' }).resolves({ SecretString: JSON.stringify(current) });
    if (previous) smMock.on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' }).resolves({ SecretString: JSON.stringify(previous) });
    else smMock.on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' }).rejects(notFound());
    if (pending) smMock.on(GetSecretValueCommand, { VersionStage: 'AWSPENDING' }).resolves({ SecretString: JSON.stringify(pending) });
    else smMock.on(GetSecretValueCommand, { VersionStage: 'AWSPENDING' }).rejects(notFound());
  }

  test('first rotation: creates a new key in the usage plan, keeps the initial key (overlap)', async () => {
    apiSecret({ name: 'partner-acme-orders', value: 'initialvalue' });
    const d = deps({}, apiEnv);
    await rotate(event('createSecret'), d);
    expect(d.apiCalls.map(([c]) => c)).toEqual(['CreateApiKey', 'CreateUsagePlanKey']);
    expect(d.apiCalls[0][1]).toEqual(expect.objectContaining({ name: 'partner-acme-orders-token-2', enabled: true, tags: { 'nhi:owner-team': 'partners' } }));
    expect(d.apiCalls[0][1].value).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(d.apiCalls[1][1]).toEqual({ usagePlanId: 'plan1', keyId: 'newkey1', keyType: 'API_KEY' });
    expect(JSON.parse(smMock.commandCalls(PutSecretValueCommand)[0].args[0].input.SecretString!)).toEqual({ value: d.apiCalls[0][1].value, apiKeyId: 'newkey1' });
  });

  test('later rotation: deletes the previous key (not the current one) first', async () => {
    apiSecret({ value: 'b', apiKeyId: 'k1' }, { name: 'x', value: 'a' });
    const d = deps({}, apiEnv);
    await rotate(event('createSecret'), d);
    expect(d.apiCalls[0]).toEqual(['DeleteApiKey', { apiKey: 'k0' }]);
  });

  describe('cdktf AWS (no Terraform-managed key: the function creates every key; the first version is a placeholder)', () => {
    const cdktfEnv = { ...apiEnv, NHI_INITIAL_KEY_ID: undefined as unknown as string };

    test('first rotation: the placeholder holds no key, so nothing is deleted', async () => {
      apiSecret({ name: 'partner-acme-orders' });
      const d = deps({}, cdktfEnv);
      await rotate(event('createSecret'), d);
      expect(d.apiCalls.map(([c]) => c)).toEqual(['CreateApiKey', 'CreateUsagePlanKey']);
    });

    test('second rotation: the previous version is the placeholder: still nothing deleted (two keys overlap)', async () => {
      apiSecret({ value: 'a', apiKeyId: 'k1' }, { name: 'partner-acme-orders' });
      const d = deps({}, cdktfEnv);
      await rotate(event('createSecret'), d);
      expect(d.apiCalls.map(([c]) => c)).toEqual(['CreateApiKey', 'CreateUsagePlanKey']);
    });

    test('third rotation: the key handed out two rotations ago is deleted, the current one kept', async () => {
      apiSecret({ value: 'b', apiKeyId: 'k2' }, { value: 'a', apiKeyId: 'k1' });
      const d = deps({}, cdktfEnv);
      await rotate(event('createSecret'), d);
      expect(d.apiCalls[0]).toEqual(['DeleteApiKey', { apiKey: 'k1' }]);
      expect(d.apiCalls.map(([c]) => c)).toEqual(['DeleteApiKey', 'CreateApiKey', 'CreateUsagePlanKey']);
    });
  });

  test('failure: adding the key to the usage plan fails -> the new key is deleted, nothing stored', async () => {
    apiSecret({ value: 'a' });
    const d = deps({
      apiGateway: async (command, input) => {
        d.apiCalls.push([command, input]);
        if (command === 'CreateApiKey') return { id: 'newkey1' };
        if (command === 'CreateUsagePlanKey') throw new Error('usage plan not found');
        return {};
      },
    }, apiEnv);
    await expect(rotate(event('createSecret'), d)).rejects.toThrow('usage plan not found');
    expect(d.apiCalls.map(([c]) => c)).toEqual(['CreateApiKey', 'CreateUsagePlanKey', 'DeleteApiKey']);
    expect(smMock.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  test('testSecret: the new key must be enabled, hold the stored value and be in the usage plan', async () => {
    apiSecret({ value: 'a' }, undefined, { value: 'new', apiKeyId: 'newkey1' });
    const ok = deps({ apiGateway: async (c) => (c === 'GetApiKey' ? { enabled: true, value: 'new' } : {}) }, apiEnv);
    await rotate(event('testSecret'), ok);
    const bad = deps({ apiGateway: async (c) => (c === 'GetApiKey' ? { enabled: true, value: 'other' } : {}) }, apiEnv);
    await expect(rotate(event('testSecret'), bad)).rejects.toThrow(/disabled or holds another value/);
  });
});

describe('rotation handler: the inline source', () => {
  test('is self-contained CommonJS exporting handler, requiring only @aws-sdk/* and node built-ins', () => {
    const src = rotationHandlerSource();
    expect(src).toMatch(/exports\.handler = handler/);
    const requires = [...src.matchAll(/require\("([^"]+)"\)|require\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);
    expect(requires.every((r) => r.startsWith('@aws-sdk/') || r === 'crypto')).toBe(true);
    expect(src).not.toContain('sourceMappingURL');
  });
});
