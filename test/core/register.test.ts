import * as fc from 'fast-check';
import { alarm } from '../../lib/core/alarms';
import { googleAlarm } from '../../lib/core/google-alarms';
import { RegisterReadError } from '../../lib/core/private/register-read-error';
import { checkRegisterShared, entryHeadline, expandEntryShared, expandRegisterShared, expandScopeShared, readRegister, REGISTER_FILE, REGISTER_VERSION, RegisterEntry, renderRegister, renderRegisterV1 } from '../../lib/core/register';

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
