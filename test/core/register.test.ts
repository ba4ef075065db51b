import * as fc from 'fast-check';
import { alarm, ALARM_KINDS } from '../../lib/core/alarms';
import { identityControls } from '../../lib/core/controls';
import { addDays } from '../../lib/core/dates';
import { googleExpiryExpression } from '../../lib/core/google-condition';
import { googleAlarm, GOOGLE_ALARM_KINDS } from '../../lib/core/google-alarms';
import { lookupAction } from '../../lib/core/private/iam-catalog';
import { RegisterReadError } from '../../lib/core/private/register-read-error';
import { checkRegisterShared, entryHeadline, expandEntryShared, expandRegisterShared, expandScopeShared, KNOWN_LIMITATIONS, readRegister, REGISTER_FILE, REGISTER_VERSION, RegisterEntry, renderRegister, renderRegisterSelfChecked, renderRegisterV1 } from '../../lib/core/register';
import { isPrivileged } from '../../lib/core/rules/aws-scope';
import { expandActionPattern } from '../../lib/core/rules/aws-widening';
import { googleAccountControls } from '../../lib/core/rules/google-lifecycle';

function entry(path: string, extra: Partial<RegisterEntry> = {}): RegisterEntry {
  return {
    path,
    kind: 'service-account',
    cloud: 'aws',
    name: path.split('/').pop()!.toLowerCase(),
    owner: { team: 'payments-platform', contact: 'payments@example.com' },
    purpose: 'Reads nightly billing exports for the reporting job',
    expires: '2026-06-30',
    scope: [{ actions: [{ action: 's3:GetObject', accessLevel: 'Read' }], resources: ['arn:aws:s3:::b/*'] }],
    credentials: 'none',
    alarms: [{ kind: 'expiry-reminder', description: '30 days before expiry', notifies: 'payments@example.com' }],
    controls: ['NHI1', 'NHI4', 'NHI5', 'NHI7'],
    ...extra,
  };
}

describe('renderRegister: a sorted, deterministic nhi-register.json', () => {
  test('Compliance: version 2, file name nhi-register.json, empty register', () => {
    expect(REGISTER_FILE).toBe('nhi-register.json');
    expect(REGISTER_VERSION).toBe(2);
    expect(renderRegister([])).toBe('{\n  "version": 2,\n  "owners": {},\n  "identities": [],\n  "waivers": []\n}\n');
    expect(renderRegisterV1([])).toBe('{\n  "version": 1,\n  "identities": [],\n  "waivers": []\n}\n');
  });

  test('Compliance: entries sorted by path, fixed key order, rotation null when absent, trailing newline', () => {
    const entries = [entry('Stack/b'), entry('Stack/B'), entry('Stack/a', { rotation: { days: 30 }, credentials: 'access-key' })];
    const out = renderRegisterV1(entries);
    expect(readRegister(renderRegister(entries)).identities).toEqual(JSON.parse(out).identities);
    expect(out.endsWith('}\n')).toBe(true);
    expect(out.endsWith('\n\n')).toBe(false);
    const parsed = JSON.parse(out);
    expect(parsed.version).toBe(1);
    expect(parsed.identities.map((i: any) => i.path)).toEqual(['Stack/B', 'Stack/a', 'Stack/b']);
    expect(Object.keys(parsed.identities[0])).toEqual([
      'path', 'kind', 'cloud', 'name', 'owner', 'system', 'environment', 'purpose', 'expires', 'approval', 'vendor', 'credentials', 'rotation', 'scope', 'alarms', 'controls',
    ]);
    expect(parsed.identities[0].rotation).toBeNull();
    expect(parsed.identities[1].rotation).toEqual({ days: 30 });
    expect(out).toContain('\n  "identities": [\n    {\n      "path": "Stack/B",');
  });

  test('Compliance: key order does not depend on the input object\'s key order; extra keys are dropped', () => {
    const e = entry('S/x', { details: { principals: ['lambda.amazonaws.com'] } });
    const reversed = Object.fromEntries(Object.entries({ ...e, owner: { contact: e.owner.contact, team: e.owner.team, extra: 1 } as any }).reverse()) as RegisterEntry;
    (reversed as any).secret = 'AKIA...';
    for (const render of [renderRegister, renderRegisterV1]) {
      expect(render([reversed])).toBe(render([e]));
      expect(render([reversed])).not.toContain('AKIA');
      expect(Object.keys(JSON.parse(render([e])).identities[0]).pop()).toBe('details');
    }
  });

  test('Compliance: the input array is not reordered', () => {
    const input = [entry('b'), entry('a')];
    renderRegister(input);
    expect(input.map((e) => e.path)).toEqual(['b', 'a']);
  });

  test('property: byte-identical for any shuffle of the same entries', () => {
    const paths = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 0, maxLength: 12 });
    fc.assert(fc.property(paths.chain((ps) => fc.tuple(fc.constant(ps), fc.shuffledSubarray(ps, { minLength: ps.length, maxLength: ps.length }))),
      ([ps, shuffled]) => {
        const byPath = (p: string, i: number) => entry(p, i % 2 ? { rotation: { days: 1 + i } } : {});
        const a = renderRegister(ps.map((p, i) => byPath(p, i)));
        const b = renderRegister(shuffled.map((p) => byPath(p, ps.indexOf(p))));
        expect(b).toBe(a);
        const out = JSON.parse(a).identities.map((i: any) => i.path);
        expect(out).toEqual([...ps].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
      }), { numRuns: 200 });
  });
});

// ---------------------------------------------------------------------------------------------
// Version 2: lean, the same information. Every entry reads back to exactly its version-1 form.
// ---------------------------------------------------------------------------------------------

const OWNER = { team: 'billing', contact: 'billing@example.com' };

/** An AWS service account as the adapters write it (catalogue access levels, standard alarms). */
function awsAccount(path: string, extra: Partial<RegisterEntry> = {}): RegisterEntry {
  const expires = extra.expires ?? '2027-06-30';
  return {
    path, kind: 'service-account', cloud: 'aws', name: path.split('/').pop()!.toLowerCase(), owner: OWNER,
    purpose: 'Reads nightly billing exports for the reporting job', expires,
    scope: [{ actions: [{ action: 's3:GetObject', accessLevel: 'Read', privileged: false }], resources: ['arn:aws:s3:::b/*'] }],
    credentials: 'none',
    alarms: [alarm('expiry-reminder', '2027-05-31', expires, OWNER.contact), alarm('expired', '2027-05-31', expires, OWNER.contact)],
    controls: ['NHI1', 'NHI4', 'NHI5', 'NHI7'],
    details: { trust: { service: 'lambda.amazonaws.com' } },
    ...extra,
  };
}

/** A Google service account as the cdktf Google adapter writes it. */
function googleAccount(path: string, extra: Partial<RegisterEntry> = {}): RegisterEntry {
  return {
    path, kind: 'service-account', cloud: 'google', name: 'reader@acme-billing-prod.iam.gserviceaccount.com', owner: OWNER,
    purpose: 'Reads nightly billing exports for the reporting job', expires: '2027-06-30',
    scope: [{ role: 'roles/bigquery.dataViewer', on: 'project', resource: 'acme-billing-prod', privileged: false }],
    credentials: 'none',
    alarms: (['expiry-reminder', 'expired', 'access-denied', 'key-created', 'key-used'] as const).map((k) => googleAlarm(k, '2027-05-31', '2027-06-30', OWNER.contact)),
    controls: ['NHI1', 'NHI4', 'NHI5', 'NHI7'],
    details: {
      project: 'acme-billing-prod', accountId: 'reader', condition: 'request.time < timestamp("2027-06-30T00:00:00Z")',
      limitations: [
        'google_service_account takes no labels: owner, purpose and expiry are in its description and display name',
        'IAM conditions end the bindings this construct creates; roles granted to the account elsewhere are not limited',
      ],
    },
    ...extra,
  };
}

function roundTrips(entries: RegisterEntry[], waivers: Record<string, unknown>[] = []): void {
  const v1 = JSON.parse(renderRegisterV1(entries, waivers));
  const v2 = readRegister(renderRegister(entries, waivers));
  expect(v2.version).toBe(2);
  // Same keys in the same order: compared as text, entry by entry (a failure names the entry).
  expect(v2.identities.map((e) => e.path)).toEqual(v1.identities.map((e: any) => e.path));
  v2.identities.forEach((e, i) => expect(`${e.path}: ${JSON.stringify(e)}`).toBe(`${e.path}: ${JSON.stringify(v1.identities[i])}`));
  expect(v2.waivers).toEqual(v1.waivers);
  expect(readRegister(JSON.stringify(v1)).identities).toEqual(v1.identities);
  // The nhi CLI's shared reading gives the same entries, text for text.
  const shared = expandRegisterShared(JSON.parse(renderRegister(entries, waivers)));
  shared.identities.forEach((e, i) => expect(`${e.path}: ${JSON.stringify(e)}`).toBe(`${e.path}: ${JSON.stringify(v1.identities[i])}`));
  expect(shared.waivers).toEqual(v1.waivers);
}

describe('register version 2', () => {
  test('a standard AWS account: owner from the table, nothing derivable written, one line per field', () => {
    const text = renderRegister([awsAccount('billing/Reader')]);
    expect(text).toBe([
      '{',
      '  "version": 2,',
      '  "owners": {',
      '    "billing": {"team":"billing","contact":"billing@example.com"}',
      '  },',
      '  "identities": [',
      '    {',
      '      "path": "billing/Reader",',
      '      "cloud": "aws",',
      '      "name": "reader",',
      '      "owner": "billing",',
      '      "purpose": "Reads nightly billing exports for the reporting job",',
      '      "expires": "2027-06-30",',
      '      "scope": [{"actions":["s3:GetObject"],"resources":["arn:aws:s3:::b/*"]}],',
      '      "alarms": ["expiry-reminder","expired"],',
      '      "details": {"trust":{"service":"lambda.amazonaws.com"}}',
      '    }',
      '  ],',
      '  "waivers": []',
      '}',
      '',
    ].join('\n'));
    roundTrips([awsAccount('billing/Reader')]);
  });

  test('a standard Google account: e-mail, condition, limitations and privileged: false derived', () => {
    const text = renderRegister([googleAccount('g/Reader')]);
    expect(text).not.toMatch(/gserviceaccount|request\.time|takes no labels|privileged|NHI1|"kind"|"credentials"|null/);
    roundTrips([googleAccount('g/Reader')]);
  });

  test('what differs from the derivation is written: descriptions, reminder, notifies, access levels, controls, conditions, limitations', () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:nhi';
    const odd = [
      awsAccount('a/CustomDescription', { alarms: [{ kind: 'expired', description: 'when the sky falls', notifies: OWNER.contact }] }),
      awsAccount('a/LateReminder', { alarms: [alarm('expiry-reminder', '2027-06-20', '2027-06-30', OWNER.contact)] }),
      awsAccount('a/NoReminder', { alarms: [alarm('expiry-reminder', undefined, '2027-06-30', OWNER.contact)] }),
      awsAccount('a/Topic', { alarms: [alarm('expired', undefined, '2027-06-30', topic), alarm('access-denied', undefined, '2027-06-30', topic)] }),
      awsAccount('a/Mixed', { alarms: [alarm('expired', undefined, '2027-06-30', topic), alarm('access-denied', undefined, '2027-06-30', OWNER.contact)] }),
      awsAccount('a/UnknownKind', { alarms: [{ kind: 'pager', description: 'pages the on-call', notifies: OWNER.contact }] }),
      awsAccount('a/NoAlarms', { alarms: [] }),
      awsAccount('a/Levels', {
        scope: [
          { actions: [{ action: 's3:GetObject', accessLevel: 'Write', privileged: false }, { action: 'iam:PassRole', accessLevel: 'Write', privileged: true },
            { action: 's3:Get*', accessLevel: 'Wildcard', privileged: false }, { action: 's3:*', accessLevel: 'Wildcard', privileged: true },
            { action: 's3:NotAnAction', accessLevel: 'Unknown', privileged: false }, { action: 's3:getobject', accessLevel: 'Read', privileged: false }],
          resources: ['arn:aws:s3:::b/*'], justification: 'Passes the export role to the job' },
          { restApiId: 'a1', stage: 'prod' },
        ],
      }),
      awsAccount('a/Controls', { controls: ['NHI1', 'NHI10'] }),
      awsAccount('a/Declared', { system: 'billing', environment: 'prod', vendor: { name: 'Globex', contact: 'ops@globex.example' }, approval: { ticket: 'SEC-1' }, controls: ['NHI1', 'NHI3', 'NHI4', 'NHI5', 'NHI7', 'NHI8', 'NHI9'], reuseJustification: 'Shares the exports bucket with the archive job' }),
      awsAccount('a/Key', { credentials: 'access-key', rotation: { days: 30 }, controls: ['NHI1', 'NHI2', 'NHI5', 'NHI7'] }),
      awsAccount('a/NoDetails', { details: undefined }),
      awsAccount('a/Token', { name: '${aws_iam_role.x.name}', scope: [{ actions: [{ action: 's3:GetObject', accessLevel: 'Read', privileged: false }], resources: ['${aws_s3_bucket.b.arn}/*'] }] }),
      googleAccount('g/OtherCondition', { details: { project: 'acme-billing-prod', accountId: 'reader', condition: 'request.time < timestamp("2027-01-01T00:00:00Z")' } }),
      googleAccount('g/NoCondition', { details: { project: 'acme-billing-prod', accountId: 'reader' } }),
      googleAccount('g/OtherName', { name: 'someone@else.iam.gserviceaccount.com' }),
      googleAccount('g/Privileged', { scope: [{ role: 'roles/iam.serviceAccountTokenCreator', on: 'project', resource: 'p', privileged: true, justification: 'Signs URLs' }, { role: 'roles/run.invoker', on: 'project', resource: 'p', privileged: false, custom: true }] }),
      googleAccount('g/Key', { credentials: 'service-account-key', rotation: { days: 30 }, controls: ['NHI1', 'NHI2', 'NHI5', 'NHI7'] }),
      googleAccount('g/UsedBy', { controls: ['NHI1', 'NHI4', 'NHI5', 'NHI7', 'NHI9', 'NHI10'], details: { project: 'p', accountId: 'reader', condition: 'request.time < timestamp("2027-06-30T00:00:00Z")', usedBy: [{ member: 'serviceAccount:ci@p.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountUser', kind: 'workload' }], limitations: ['a limitation nobody listed'] } }),
      {
        path: 'g/ApiKey', kind: 'api-key', cloud: 'google', name: 'partner-key', owner: { team: 'partners', contact: 'partners@example.com' }, purpose: 'Partner geocoding', expires: '2027-06-30',
        scope: [{ service: 'geocoding-backend.googleapis.com', methods: null }], credentials: 'api-key', rotation: { days: 30 },
        alarms: [googleAlarm('credential-disabled', '2027-05-31', '2027-06-30', 'partners@example.com')], controls: ['NHI1', 'NHI2', 'NHI5', 'NHI7'],
        details: { project: 'p', clientRestriction: { allowedIps: ['203.0.113.0/24'] }, secret: 'nhi-api-key-partner-key', limitations: [
          'API keys have no expiry and no IAM conditions: Cloud Scheduler deletes the key at 00:00 UTC on the expiry date (Google keeps it restorable for 30 days), and the Secret Manager secret holding it expires at the same instant',
          'API keys take no labels: owner and expiry are in the display name and the register',
        ] },
      },
      // Another team's contact for the same team name: two owner keys.
      awsAccount('b/OtherContact', { owner: { team: 'billing', contact: 'billing-2@example.com' }, alarms: [] }),
    ];
    roundTrips(odd, [{ code: 'NHI_SCOPE_WILDCARD', path: 'a/Levels', owner: OWNER, reason: 'migration', expires: '2027-01-31' }]);
    const json = JSON.parse(renderRegister(odd));
    const byPath = (p: string) => json.identities.find((i: any) => i.path === p);
    expect(Object.keys(json.owners)).toEqual(['billing <billing-2@example.com>', 'billing <billing@example.com>', 'partners']);
    expect(byPath('a/CustomDescription').alarms).toEqual([{ kind: 'expired', description: 'when the sky falls' }]);
    expect(byPath('a/LateReminder')).toMatchObject({ reminder: '2027-06-20', alarms: ['expiry-reminder'] });
    expect(byPath('a/NoReminder')).toMatchObject({ reminder: 'none', alarms: ['expiry-reminder'] });
    expect(byPath('a/Topic')).toMatchObject({ notifies: topic, alarms: ['expired', 'access-denied'] });
    expect(byPath('a/Mixed').alarms).toEqual([{ kind: 'expired', notifies: topic }, 'access-denied']);
    expect(byPath('a/Levels').scope[0].actions).toEqual([
      { action: 's3:GetObject', accessLevel: 'Write', privileged: false }, 'iam:PassRole', 's3:Get*', 's3:*', 's3:NotAnAction', 's3:getobject',
    ]);
    expect(byPath('a/Controls').controls).toEqual(['NHI1', 'NHI10']);
    expect(byPath('a/Declared').controls).toBeUndefined();
    expect(byPath('g/OtherCondition').details.condition).toBe('request.time < timestamp("2027-01-01T00:00:00Z")');
    expect(byPath('g/NoCondition').details).toEqual({ project: 'acme-billing-prod', accountId: 'reader', condition: null, limitations: null });
    expect(byPath('g/OtherName').name).toBe('someone@else.iam.gserviceaccount.com');
    expect(byPath('g/UsedBy').details.limitations).toEqual(['a limitation nobody listed']);
    expect(byPath('g/ApiKey').details.limitations).toBeUndefined();
  });

  test('the shared reading (nhi CLI) shares frozen parts; readRegister hands out fresh objects', () => {
    const text = renderRegister([awsAccount('a/A'), awsAccount('a/B')]);
    const parsed = JSON.parse(text);
    const [a, b] = expandRegisterShared(parsed).identities;
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(JSON.parse(text))); // the input is not changed
    expect(a.alarms).toBe(b.alarms);
    expect(Object.isFrozen(a.alarms) && Object.isFrozen(a.alarms[0])).toBe(true);
    expect(a.owner).toBe(b.owner);
    expect(a.controls).toBe(b.controls);
    expect(Object.isFrozen(a.controls)).toBe(true);
    expect(a.scope[0].actions[0]).toBe(b.scope[0].actions[0]);
    const [x, y] = readRegister(text).identities;
    expect(x.alarms).not.toBe(y.alarms);
    expect(Object.isFrozen(x.alarms[0])).toBe(false);
    x.controls.push('NHI99');
    x.owner.team = 'changed';
    x.scope[0].actions[0].accessLevel = 'changed';
    expect([y.controls, y.owner.team, y.scope[0].actions[0].accessLevel]).toEqual([a.controls, 'billing', a.scope[0].actions[0].accessLevel]);
    expect(readRegister(text).identities[0]).toEqual(a);
  });

  test('unknown details keys and accepted findings pass through both ways', () => {
    const accepted = [{ code: 'NHI_SCOPE_WIDENED', source: 'a/Trust/Extra', resourceType: 'aws_iam_role_policy', attribute: 'policy', message: 'grants s3:PutObject', waiver: { reason: 'migration', expires: '2027-01-31', owner: 'platform' } }];
    const e = awsAccount('a/Trust', { details: { trust: { service: 'lambda.amazonaws.com', providerArn: 'arn:aws:iam::1:oidc-provider/x' }, future: [1, 2] }, accepted });
    roundTrips([e]);
    const read = readRegister(renderRegister([e])).identities[0];
    expect(read.details.trust.providerArn).toBe('arn:aws:iam::1:oidc-provider/x');
    expect(read.accepted).toEqual(accepted);
    // A newer writer's top-level entry field is kept by the reader.
    const text = renderRegister([awsAccount('a/X')]).replace('"cloud": "aws",', '"cloud": "aws",\n      "newField": 1,');
    expect(readRegister(text).identities[0].newField).toBe(1);
  });

  test('property: any mix of entries reads back to its version-1 form', () => {
    const actions = fc.constantFrom('s3:GetObject', 's3:PutObject', 'iam:PassRole', 's3:Get*', 'sqs:*', 'nope:Nothing', 'kms:Decrypt');
    const anEntry = fc.record({
      google: fc.boolean(), key: fc.boolean(), owner: fc.constantFrom(0, 1, 2), reminder: fc.constantFrom('2027-05-31', '2027-06-01', undefined),
      notifies: fc.constantFrom('owner', 'topic', 'mixed'), actions: fc.uniqueArray(actions, { minLength: 1, maxLength: 4 }), wrongLevel: fc.boolean(),
      system: fc.option(fc.constantFrom('billing', 'reports'), { nil: undefined }), controls: fc.boolean(), expires: fc.constantFrom('2027-06-30', '2028-02-29'),
    });
    fc.assert(fc.property(fc.uniqueArray(anEntry, { maxLength: 6, selector: (x) => JSON.stringify(x) }), (specs) => {
      const entries = specs.map((s, i): RegisterEntry => {
        const owner = [OWNER, { team: 'billing', contact: 'other@example.com' }, { team: 'ops', contact: 'ops@example.com' }][s.owner];
        const to = (k: number) => (s.notifies === 'owner' || (s.notifies === 'mixed' && k === 0) ? owner.contact : 'arn:aws:sns:eu-west-1:1:t');
        const base = s.google ? googleAccount(`s/E${i}`) : awsAccount(`s/E${i}`);
        const make = s.google ? googleAlarm : alarm;
        return {
          ...base, owner, expires: s.expires, system: s.system,
          credentials: s.key ? (s.google ? 'service-account-key' : 'access-key') : 'none', rotation: s.key ? { days: 30 } : undefined,
          alarms: (['expiry-reminder', 'expired', 'access-denied'] as const).map((k, n) => make(k, s.reminder, s.expires, to(n))),
          controls: s.controls ? ['NHI1', 'NHI5'] : base.controls,
          scope: s.google ? base.scope : [{ actions: s.actions.map((action) => ({ action, accessLevel: s.wrongLevel ? 'Read' : 'Write', privileged: false })), resources: ['arn:aws:s3:::b/*'] }],
        };
      });
      roundTrips(entries);
    }), { numRuns: Number(process.env.FUZZ_RUNS ?? 300) });
  });

  test('reading: an owner missing from the table, an alarm kind without a standard description, an unknown version', () => {
    const text = renderRegister([awsAccount('a/X')]);
    expect(() => readRegister(text.replace('"owner": "billing"', '"owner": "nobody"'))).toThrow(RegisterReadError);
    expect(() => readRegister(text.replace('"owner": "billing"', '"owner": "nobody"'))).toThrow(/identities\[0\]\.owner names owner "nobody"/);
    expect(() => readRegister(text.replace('"alarms": ["expiry-reminder","expired"]', '"alarms": ["pager"]'))).toThrow(/alarms\[0\] is alarm kind "pager"/);
    expect(() => readRegister('{"version": 9, "identities": []}')).toThrow(/register version 9/);
    expect(() => readRegister('{')).toThrow(/not valid JSON/);
  });
});

describe('reading version 2 entry by entry (nhi diff expands only the entries it needs)', () => {
  const entries = [
    awsAccount('a/A'),
    awsAccount('a/B', { owner: { team: 'ops', contact: 'ops@example.com' }, kind: 'api-key', credentials: 'api-key', rotation: { days: 30 } }),
    googleAccount('a/C'),
  ];
  const text = renderRegister(entries);

  test('each entry, its scope and its headline are what the whole expansion has', () => {
    const json = JSON.parse(text);
    const whole = expandRegisterShared(JSON.parse(text)).identities;
    json.identities.forEach((raw: any, i: number) => {
      expect(expandEntryShared(json, i)).toEqual(whole[i]);
      expect(expandScopeShared(raw.scope)).toEqual(whole[i].scope);
      const { path, cloud, kind, purpose, owner } = whole[i] as any;
      expect(entryHeadline(raw, json.owners)).toEqual({ path, cloud, kind, purpose, owner });
    });
    expect(() => checkRegisterShared(json)).not.toThrow();
  });

  test.each([
    ['an owner the table does not list', (t: string) => t.replace('"owner": "ops"', '"owner": "nobody"')],
    ['an alarm kind without a standard description', (t: string) => t.replace('"expiry-reminder"', '"pager"')],
    ['both, in two entries (the first one wins)', (t: string) => t.replace('"owner": "ops"', '"owner": "nobody"').replace('"expiry-reminder"', '"pager"')],
    ['both, in one entry (the owner first)', (t: string) => t.replace('"owner": "billing"', '"owner": "nobody"').replace('"expiry-reminder"', '"pager"')],
  ])('checking throws what expanding throws: %s', (_, broken) => {
    const bad = broken(text);
    expect(bad).not.toBe(text);
    let expected: unknown;
    try {
      expandRegisterShared(JSON.parse(bad));
    } catch (e) {
      expected = e;
    }
    expect(expected).toBeInstanceOf(RegisterReadError);
    expect(() => checkRegisterShared(JSON.parse(bad))).toThrow((expected as Error).message);
  });
});

// ---------------------------------------------------------------------------------------------
// The writer's proof: an entry is written compact without expanding it again only where every
// omission is proved to read back exactly; the rest goes through the expand-and-compare guard.
// Random entries of every shape, including untyped values (the guard's cases), against the writer
// that checks every entry, and read back.
// ---------------------------------------------------------------------------------------------

const OWNERS3 = [{ team: 'billing', contact: 'billing@example.com' }, { team: 'billing', contact: 'other@example.com' }, { team: 'ops', contact: 'ops@example.com' }];
const RANDOM_TOPIC = 'arn:aws:sns:eu-west-1:1:t';
const TEXT = KNOWN_LIMITATIONS;

/** `o` with its keys in another order (seed 0: as is). */
function permute<T extends object>(o: T, seed: number): T {
  if (!seed) return o;
  const e = Object.entries(o);
  let s = seed;
  for (let i = e.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [e[i], e[j]] = [e[j], e[i]];
  }
  return Object.fromEntries(e) as T;
}

/** Untyped values a JavaScript caller or a bad escape hatch could give (the fallback covers them). */
const ODDITIES = ['kindNull', 'kindUndefined', 'credentialsNull', 'nameNull', 'nameUndefined', 'purposeNull', 'expiresNull', 'teamNumber',
  'alarmKindNumber', 'alarmKindObject', 'alarmDescriptionUndefined', 'alarmNotifiesUndefined', 'alarmNotifiesNull', 'stringAction', 'classItem', 'detailsArray',
  'detailsString', 'limitationsNull', 'limitationId', 'conditionNull', 'privilegedAbsent', 'scopeToJson', 'detailsClass'] as const;

class Item { constructor(public readonly restApiId: string) {} public toJSON() { return { restApiId: this.restApiId, via: 'toJSON' }; } }
class Details { public readonly trust = { service: 'lambda.amazonaws.com' }; }

const spec = fc.record({
  cloud: fc.constantFrom('aws', 'google', 'google', 'azure'),
  kind: fc.constantFrom('service-account', 'service-account', 'api-key', 'other'),
  credentials: fc.constantFrom('none', 'none', 'access-key', 'api-key', 'service-account-key'),
  owner: fc.constantFrom(0, 1, 2),
  name: fc.constantFrom('derived', 'other', 'token'),
  expires: fc.constantFrom('2027-06-30', '2028-02-29', '2027-01-01', 'someday'),
  reminder: fc.constantFrom('default', 'default', 'late', 'none'),
  notifies: fc.constantFrom('owner', 'owner', 'topic', 'mixed'),
  kinds: fc.subarray(['expiry-reminder', 'expired', 'access-denied', 'key-created', 'key-used', 'policy-changed', 'credential-disabled', 'pager'], { minLength: 0 }),
  customDescription: fc.option(fc.nat(7), { nil: undefined }),
  controls: fc.constantFrom('derived', 'derived', 'custom'),
  system: fc.constantFrom(undefined, 'billing', ''),
  environment: fc.constantFrom(undefined, 'prod'),
  vendor: fc.constantFrom(undefined, { name: 'Globex', contact: 'ops@globex.example' }, { name: 'Globex', contact: 'ops@globex.example', contractRef: 'C-1' }),
  approval: fc.constantFrom(undefined, { ticket: 'SEC-1' }, { ticket: 'SEC-2', approvedBy: 'ciso@example.com' }),
  reuse: fc.constantFrom(undefined, '', 'Shares the bucket with the archive job'),
  rotation: fc.boolean(),
  actions: fc.array(fc.record({
    action: fc.constantFrom('s3:GetObject', 's3:PutObject', 'iam:PassRole', 's3:Get*', 'sqs:*', 'nope:Nothing', 's3:getobject', 'kms:Decrypt'),
    level: fc.constantFrom('derived', 'derived', 'derived', 'Read', 'Write', 'Wildcard'),
    privileged: fc.constantFrom('derived', 'derived', 'flipped'),
    order: fc.oneof(fc.constant(0), fc.constant(0), fc.nat()), extra: fc.boolean(),
  }), { maxLength: 4 }),
  justification: fc.boolean(),
  otherItem: fc.boolean(),
  roles: fc.array(fc.record({
    role: fc.constantFrom('roles/bigquery.dataViewer', 'roles/iam.serviceAccountTokenCreator'), privileged: fc.boolean(), custom: fc.boolean(), permissions: fc.boolean(), justification: fc.boolean(),
    order: fc.oneof(fc.constant(0), fc.constant(0), fc.nat()),
  }), { maxLength: 3 }),
  details: fc.constantFrom('standard', 'standard', 'none', 'extra'),
  condition: fc.constantFrom('derived', 'derived', 'other', 'absent'),
  limitations: fc.constantFrom('standard', 'standard', 'withKey', 'custom', 'absent', 'reversed', 'empty'),
  detailsOrder: fc.oneof(fc.constant(0), fc.constant(0), fc.nat()),
  usedBy: fc.boolean(),
  accepted: fc.constantFrom(0, 0, 1, 2),
  odd: fc.oneof({ weight: 5, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.subarray([...ODDITIES], { minLength: 1, maxLength: 2 }) }),
});

type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

/** The entry a spec describes. */
function entryOf(s: Spec, i: number): RegisterEntry {
  const odd = new Set<string>(s.odd);
  const owner = odd.has('teamNumber') ? { team: 7 as any, contact: OWNERS3[s.owner].contact } : OWNERS3[s.owner];
  const google = s.cloud === 'google';
  const catalogue: Record<string, { when: (r: string | undefined, e: string) => string }> = google ? GOOGLE_ALARM_KINDS : ALARM_KINDS;
  const reminderDate = s.reminder === 'none' ? undefined : s.reminder === 'late' ? '2026-12-20' : reminderOf(s.expires);
  const alarms = s.kinds.map((kind, k) => {
    const notifies = s.notifies === 'owner' || (s.notifies === 'mixed' && k > 0) ? owner.contact : RANDOM_TOPIC;
    let description: any = Object.prototype.hasOwnProperty.call(catalogue, kind) && s.customDescription !== k ? orUndefined(() => catalogue[kind].when(reminderDate, s.expires)) : `custom ${kind}`;
    if (odd.has('alarmDescriptionUndefined') && k === 0) description = undefined;
    let to: any = notifies;
    if (odd.has('alarmNotifiesUndefined') && k === 0) to = undefined;
    if (odd.has('alarmNotifiesNull') && k === 0) to = null;
    return { kind: odd.has('alarmKindNumber') && k === 0 ? 3 as any : odd.has('alarmKindObject') && k === 0 ? new String(kind) as any : kind, description, notifies: to };
  });
  const secret = s.credentials !== 'none';
  const declared = { system: s.system, environment: s.environment, vendor: s.vendor };
  const controls = s.controls === 'custom' ? ['NHI1', 'NHI10'] : google && s.kind === 'service-account' ? googleAccountControls(secret, declared, s.usedBy && s.details !== 'none') : identityControls(secret, declared);
  let scope: any;
  if (google) {
    scope = s.roles.map((r) => permute({ role: r.role, on: 'project', resource: 'p', privileged: r.privileged, ...(r.custom ? { custom: true } : {}), ...(r.permissions ? { permissions: ['storage.objects.get', 'storage.objects.list'] } : {}), ...(r.justification ? { justification: 'Signs URLs' } : {}) }, r.order));
    if (odd.has('privilegedAbsent') && scope.length > 0) delete scope[0].privileged;
  } else {
    const actions: any[] = s.actions.map((a) => {
      const d = catalogued(a.action);
      const x: any = { action: a.action, accessLevel: a.level === 'derived' ? d.accessLevel : a.level, privileged: a.privileged === 'derived' ? d.privileged : !d.privileged };
      if (a.extra) x.note = 'extra';
      return permute(x, a.order);
    });
    if (odd.has('stringAction')) actions.push('s3:GetObject');
    scope = [{ actions, resources: [`arn:aws:s3:::b${i}/*`], ...(s.justification ? { justification: 'Passes the export role' } : {}) }];
    if (s.otherItem) scope.push({ restApiId: 'a1', stage: 'prod' });
    if (odd.has('classItem')) scope.push(new Item('a2'));
  }
  if (odd.has('scopeToJson')) scope.toJSON = () => ['hidden'];
  const standardIds = !google ? [] : s.kind === 'api-key' ? ['google-api-key-no-expiry', 'google-api-key-no-labels']
    : ['google-sa-no-labels', 'google-conditions-own-bindings', ...(s.credentials === 'service-account-key' ? ['google-sa-key-no-expiry'] : [])];
  const texts = (ids: string[]) => ids.map((id) => TEXT[id]);
  const limitations = s.limitations === 'standard' ? texts(standardIds) : s.limitations === 'withKey' ? texts([...standardIds, 'google-sa-key-no-expiry'])
    : s.limitations === 'custom' ? ['a limitation nobody listed'] : s.limitations === 'reversed' ? texts(standardIds).reverse() : s.limitations === 'empty' ? [] : undefined;
  let details: any;
  if (s.details !== 'none') {
    details = google
      ? { project: 'acme-prod', accountId: `svc-${i}`, ...(s.condition === 'absent' ? {} : { condition: s.condition === 'derived' ? orUndefined(() => googleExpiryExpression(s.expires)) : 'request.time < timestamp("2027-01-01T00:00:00Z")' }) }
      : { trust: { service: 'lambda.amazonaws.com' } };
    if (google && s.usedBy) details.usedBy = [{ member: 'serviceAccount:ci@p.iam.gserviceaccount.com', role: 'roles/iam.serviceAccountUser', kind: 'workload' }];
    if (s.details === 'extra') details.future = [1, 2];
    if (limitations) details.limitations = odd.has('limitationId') ? ['google-sa-no-labels'] : limitations;
    if (odd.has('limitationsNull')) details.limitations = null;
    if (odd.has('conditionNull')) details.condition = null;
    details = permute(details, s.detailsOrder);
    if (odd.has('detailsArray')) details = [details];
    if (odd.has('detailsString')) details = 'details';
    if (odd.has('detailsClass')) details = new Details();
  }
  const email = `svc-${i}@acme-prod.iam.gserviceaccount.com`;
  let name: any = s.name === 'token' ? '${aws_iam_role.x.name}' : s.name === 'other' ? 'someone@else.iam.gserviceaccount.com' : google && s.kind === 'service-account' ? email : `svc-${i}`;
  if (odd.has('nameNull')) name = null;
  if (odd.has('nameUndefined')) name = undefined;
  const accepted = s.accepted === 0 ? undefined : s.accepted === 1 ? [] : [{ code: 'NHI_SCOPE_WIDENED', source: `s/E${i}/Extra`, resourceType: 'aws_iam_role_policy', attribute: 'policy', message: 'grants s3:PutObject', waiver: { reason: 'migration', expires: '2027-01-31', owner: 'platform' } }];
  const e: any = {
    path: `s/E${i}`, kind: odd.has('kindNull') ? null : odd.has('kindUndefined') ? undefined : s.kind, cloud: s.cloud, name, owner,
    system: s.system, reuseJustification: s.reuse, environment: s.environment, purpose: odd.has('purposeNull') ? null : 'Reads nightly billing exports',
    expires: odd.has('expiresNull') ? null : s.expires, approval: s.approval, vendor: s.vendor, scope,
    credentials: odd.has('credentialsNull') ? null : s.credentials, rotation: s.rotation ? { days: 30 } : undefined, alarms, controls, details, accepted,
  };
  return e as RegisterEntry;
}

function orUndefined<T>(f: () => T): T | undefined {
  try { return f(); } catch { return undefined; }
}

function reminderOf(expires: string): string | undefined {
  return orUndefined(() => addDays(expires, -30));
}

function catalogued(action: string): { accessLevel: string; privileged: boolean } {
  if (action.includes('*')) return { accessLevel: 'Wildcard', privileged: (expandActionPattern(action) ?? []).some((x: string) => { const info = lookupAction(x); return info !== undefined && isPrivileged(info); }) };
  const info = lookupAction(action);
  return info ? { accessLevel: info.accessLevel, privileged: isPrivileged(info) } : { accessLevel: 'Unknown', privileged: false };
}

const randomEntries = fc.array(spec, { maxLength: 6 }).map((specs) => specs.map((s, i) => ({ spec: s, entry: entryOf(s, i) })));

describe('register version 2: the per-field proof', () => {
  test('property: the writer gives the bytes of the writer that expands and compares every entry; typed entries read back exactly', () => {
    fc.assert(fc.property(randomEntries, (list) => {
      const entries = list.map((x) => x.entry);
      const outcome = (render: typeof renderRegister): string => {
        try {
          return render(entries);
        } catch (e) {
          return `throws ${String(e)}`;
        }
      };
      const text = outcome(renderRegister);
      expect(text).toBe(outcome(renderRegisterSelfChecked));
      if (list.some((x) => x.spec.odd.length > 0)) return; // untyped values: only the guard's bytes are promised
      const v1 = JSON.parse(renderRegisterV1(entries)).identities;
      const read = readRegister(text).identities;
      const shared = expandRegisterShared(JSON.parse(text)).identities;
      v1.forEach((e: any, i: number) => {
        expect(`${e.path}: ${JSON.stringify(read[i])}`).toBe(`${e.path}: ${JSON.stringify(e)}`);
        expect(`${e.path}: ${JSON.stringify(shared[i])}`).toBe(`${e.path}: ${JSON.stringify(e)}`);
      });
    }), { numRuns: Number(process.env.FUZZ_RUNS ?? 300) });
  });

  test('what the reader would put elsewhere or derive differently is written as it is (the guard), and reads back', () => {
    const email = 'reader@acme-billing-prod.iam.gserviceaccount.com';
    const condition = 'request.time < timestamp("2027-06-30T00:00:00Z")';
    const cases: RegisterEntry[] = [
      // The derived condition, but not right after accountId: the reader would put it there.
      googleAccount('g/ConditionFirst', { details: { condition, project: 'acme-billing-prod', accountId: 'reader' } }),
      // The standard limitations, but not the last key: the reader appends them.
      googleAccount('g/LimitationsFirst', { details: { limitations: [KNOWN_LIMITATIONS['google-sa-no-labels'], KNOWN_LIMITATIONS['google-conditions-own-bindings']], project: 'acme-billing-prod', accountId: 'reader', condition } }),
      // privileged: false after the justification: the reader puts it before.
      googleAccount('g/PrivilegedLast', { scope: [{ role: 'roles/run.invoker', on: 'project', resource: 'p', justification: 'Invokes the job', privileged: false }] }),
      // A catalogued action whose keys are in another order.
      awsAccount('a/ActionOrder', { scope: [{ actions: [{ accessLevel: 'Read', action: 's3:GetObject', privileged: false }], resources: ['arn:aws:s3:::b/*'] }] }),
      // An account e-mail the reader derives, but a name that is another one.
      googleAccount('g/Named', { name: email.replace('reader@', 'writer@') }),
    ];
    for (const e of cases) {
      const text = renderRegister([e]);
      expect(text).toBe(renderRegisterSelfChecked([e]));
      expect(JSON.stringify(readRegister(text).identities[0])).toBe(JSON.stringify(JSON.parse(renderRegisterV1([e])).identities[0]));
    }
    // Written in full where compacting would move a key.
    expect(renderRegister([cases[0]])).toMatch(/"condition": ?"request\.time/);
    expect(renderRegister([cases[1]])).toMatch(/"limitations": ?\["google_service_account takes no labels/);
    expect(renderRegister([cases[2]])).toMatch(/"privileged": ?false/);
    expect(renderRegister([cases[3]])).toMatch(/"accessLevel": ?"Read"/);
    expect(renderRegister([cases[4]])).toContain('writer@');
  });

  test('untyped values: an undeclared name of a Google account is not taken for its e-mail; undefined values never reach the file', () => {
    const noName = googleAccount('g/NoName', { name: undefined as any, details: undefined });
    expect(renderRegister([noName])).toBe(renderRegisterSelfChecked([noName]));
    expect(readRegister(renderRegister([noName])).identities[0].kind).toBe('service-account');
    // A long object or list with undefined values: left out (objects) or null (lists), as JSON does on one line.
    const long = 'x'.repeat(120);
    const text = renderRegister([awsAccount('a/Gaps', { details: { trust: { service: long }, gone: undefined, list: [undefined, long] } })]);
    expect(text).not.toContain('undefined');
    expect(() => JSON.parse(text)).not.toThrow();
    expect(readRegister(text).identities[0].details).toEqual({ trust: { service: long }, list: [null, long] });
  });
});
