import { Testing } from 'cdktf';
import * as fs from 'fs';
import * as path from 'path';
import { GovernedApiKey, GovernedApiKeyProps } from '../../lib/cdktf-google';
import { googleStack, GOVERNANCE, PROJECT } from './helpers';
import { readRegister } from '../../lib/core/register';

const BASE: GovernedApiKeyProps = {
  ...GOVERNANCE,
  purpose: 'Partner Globex geocodes delivery addresses from its servers',
  project: PROJECT,
  name: 'partner-globex-geocoding',
  scope: [{ service: 'geocoding-backend.googleapis.com' }, { service: 'translate.googleapis.com', methods: ['google.cloud.translate.v3.TranslationService.TranslateText'] }],
  clientRestriction: { allowedIps: ['203.0.113.0/24'] },
};

function build(props: Partial<GovernedApiKeyProps> = {}) {
  const { app, stack } = googleStack();
  const key = new GovernedApiKey(stack, 'PartnerKey', { ...BASE, ...props } as GovernedApiKeyProps);
  return { app, stack, key, json: JSON.parse(Testing.synth(stack, true)) };
}
const of = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});

function governanceError(fn: () => unknown): { name: string; message: string; violations: { code: string; field: string; message: string; fix: string }[] } {
  try {
    fn();
  } catch (e: any) {
    if (e?.name !== 'GovernanceError') throw e;
    return e;
  }
  throw new Error('expected a GovernanceError');
}

describe('GovernedApiKey (cdktf Google): restricted, rotated by replacement, stored in Secret Manager, deleted at expiry', () => {
  test('the key is restricted to its APIs and to one kind of client', () => {
    const { json } = build();
    const key = of(json, 'google_apikeys_key')[0];
    expect(key.restrictions).toEqual({
      api_targets: [
        { service: 'geocoding-backend.googleapis.com' },
        { service: 'translate.googleapis.com', methods: ['google.cloud.translate.v3.TranslationService.TranslateText'] },
      ],
      server_key_restrictions: { allowed_ips: ['203.0.113.0/24'] },
    });
    expect(key.project).toBe(PROJECT);
    expect(key.display_name).toBe('partner-globex-geocoding (nhi billing until 2027-06-30)');
  });

  test.each([
    [{ allowedReferrers: ['https://app.example.com/*'] }, { browser_key_restrictions: { allowed_referrers: ['https://app.example.com/*'] } }],
    [{ iosBundleIds: ['com.example.app'] }, { ios_key_restrictions: { allowed_bundle_ids: ['com.example.app'] } }],
    [{ androidApps: [{ packageName: 'com.example.app', sha1Fingerprint: 'DA:39:A3:EE:5E:6B:4B:0D:32:55:BF:EF:95:60:18:90:AF:D8:07:09' }] },
      { android_key_restrictions: { allowed_applications: [{ package_name: 'com.example.app', sha1_fingerprint: 'DA:39:A3:EE:5E:6B:4B:0D:32:55:BF:EF:95:60:18:90:AF:D8:07:09' }] } }],
  ])('client restriction %j', (clientRestriction, expected) => {
    const { json } = build({ clientRestriction });
    expect(of(json, 'google_apikeys_key')[0].restrictions).toMatchObject(expected);
  });

  test('rotation: two overlapping keys whose names carry their slot\'s time_rotating period, so a new period replaces that key only (create before destroy)', () => {
    const { json, key: k } = build({ rotationDays: 60 });
    const keys = of(json, 'google_apikeys_key');
    expect(keys.map((key) => key.name)).toEqual([
      expect.stringMatching(/^partner-globex-geocoding-\$\{time_rotating\.PartnerKey_Rotation_SlotA_Period_[0-9A-F]+\.unix\}$/),
      expect.stringMatching(/^partner-globex-geocoding-\$\{time_rotating\.PartnerKey_Rotation_SlotB_Period_[0-9A-F]+\.unix\}$/),
    ]);
    for (const key of keys) expect(key.lifecycle).toEqual({ create_before_destroy: true });
    expect(of(json, 'time_rotating').map((r) => r.rotation_days)).toEqual([120, 120]);
    expect(of(json, 'time_rotating')[1].rfc3339).toMatch(/^\$\{timeadd\(time_rotating\..*\.rfc3339, "1440h"\)\}$/);
    expect(k.apiKeys).toHaveLength(2);
    // Both are deleted at expiry.
    expect(of(json, 'google_cloud_scheduler_job').filter((j) => j.http_target.http_method === 'DELETE')).toHaveLength(2);
  });

  test('the key string goes only to Secret Manager (expiring with the key), never to an output', () => {
    const { json } = build();
    const secret = of(json, 'google_secret_manager_secret')[0];
    expect(secret).toMatchObject({ secret_id: 'nhi-api-key-partner-globex-geocoding', expire_time: '2027-06-30T00:00:00Z', project: PROJECT });
    expect(secret.labels['nhi-owner-contact']).toBe('billing_at_example_com');
    // The newer of the two overlapping keys.
    expect(of(json, 'google_secret_manager_secret_version')[0].secret_data).toMatch(/^\$\{\(timecmp\(.*\) == 1\) \? google_apikeys_key\..*\.key_string : google_apikeys_key\..*\.key_string\}$/);
    expect(json.output).toBeUndefined();
  });

  test('expiry: Cloud Scheduler deletes the key at 00:00 UTC on the expiry date, with exactly that permission', () => {
    const { json } = build();
    const del = of(json, 'google_cloud_scheduler_job').find((j) => j.http_target.http_method === 'DELETE');
    expect(del).toMatchObject({ schedule: '0 0 30 6 *', time_zone: 'Etc/UTC' });
    expect(del.http_target.uri).toMatch(/^https:\/\/apikeys\.googleapis\.com\/v2\/\$\{google_apikeys_key\..*\.id\}$/);
    expect(of(json, 'google_project_iam_custom_role')[0].permissions).toEqual(['apikeys.keys.delete', 'logging.logEntries.create']);
  });

  test('register entry: cloud google, api-key, rotation, restriction, limitations', () => {
    const { stack } = build();
    const dir = Testing.fullSynth(stack);
    const reg = readRegister(fs.readFileSync(path.join(dir, 'stacks', 'stack', 'nhi-register.json'), 'utf8'));
    expect(reg.identities).toMatchObject([{
      path: 'stack/PartnerKey',
      kind: 'api-key',
      cloud: 'google',
      name: 'partner-globex-geocoding',
      credentials: 'api-key',
      rotation: { days: 30 },
      scope: [{ service: 'geocoding-backend.googleapis.com', methods: null }, { service: 'translate.googleapis.com', methods: ['google.cloud.translate.v3.TranslationService.TranslateText'] }],
      controls: ['NHI1', 'NHI2', 'NHI5', 'NHI7'],
      details: { project: PROJECT, clientRestriction: { allowedIps: ['203.0.113.0/24'] }, secret: 'nhi-api-key-partner-globex-geocoding' },
    }]);
    expect(reg.identities[0].alarms.map((a: any) => a.kind)).toEqual(['expiry-reminder', 'expired', 'credential-disabled']);
    expect(reg.identities[0].details.limitations[0]).toMatch(/API keys have no expiry/);
  });
});

describe('GovernedApiKey (cdktf Google): violations', () => {
  test('Noncompliance NHI_SCOPE_WILDCARD: a key without a client restriction', () => {
    const e = governanceError(() => build({ clientRestriction: undefined }));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_SCOPE_WILDCARD', 'clientRestriction']]);
    expect(e.message).toContain('stack/PartnerKey');
  });

  test('Noncompliance NHI_RESTRICTION_INVALID: two kinds of client restriction', () => {
    const e = governanceError(() => build({ clientRestriction: { allowedIps: ['203.0.113.7'], allowedReferrers: ['https://a.example.com/*'] } }));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([['NHI_RESTRICTION_INVALID', 'clientRestriction']]);
  });

  test('Noncompliance NHI_SCOPE_EMPTY, NHI_NAME_INVALID, NHI_PROJECT_INVALID, NHI_ROTATION_TOO_LONG: all at once', () => {
    const e = governanceError(() => build({ scope: [], name: 'Partner Key', project: 'Acme', rotationDays: 365 }));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([
      ['NHI_NAME_INVALID', 'name'],
      ['NHI_PROJECT_INVALID', 'project'],
      ['NHI_SCOPE_EMPTY', 'scope'],
      ['NHI_ROTATION_TOO_LONG', 'rotationDays'],
    ]);
  });

  test('plain JavaScript callers that omit everything get the error, never a TypeError', () => {
    const { stack } = googleStack();
    const e = governanceError(() => new GovernedApiKey(stack, 'Empty', {} as any));
    expect(e.violations.map((v) => v.code)).toEqual([
      'NHI_OWNER_MISSING', 'NHI_PURPOSE_MISSING', 'NHI_EXPIRY_MISSING', 'NHI_NAME_INVALID', 'NHI_PROJECT_INVALID', 'NHI_SCOPE_EMPTY', 'NHI_SCOPE_WILDCARD',
    ]);
  });
});

describe('GovernedApiKey (cdktf Google): a project given as a TerraformVariable', () => {
  test('synthesises with no cdktf warning and no unresolved token', () => {
    const { stack } = googleStack();
    const { TerraformVariable } = require('cdktf');
    const project = new TerraformVariable(stack, 'project', { type: 'string' }).stringValue;
    const printed: string[] = [];
    const spies = (['log', 'warn', 'error', 'info'] as const).map((m) => jest.spyOn(console, m).mockImplementation((...a: unknown[]) => { printed.push(a.join(' ')); }));
    let text: string;
    try {
      new GovernedApiKey(stack, 'PartnerKey', { ...BASE, project });
      text = Testing.synth(stack, true);
    } finally {
      for (const s of spies) s.mockRestore();
    }
    expect(printed.join('\n')).not.toMatch(/may be incorrect|TfToken|TOKEN\./);
    expect(text).not.toMatch(/TfToken|TOKEN\.\d/);
    expect(of(JSON.parse(text), 'google_apikeys_key')[0].project).toBe('${var.project}');
  });
});
