import { checkGoogleApiKeyRestriction, checkGoogleApiTargets } from '../../../lib/core/rules/google-api-key';

const pairs = (v: { code: string; field: string }[]) => v.map((x) => [x.code, x.field]);

describe('checkGoogleApiTargets: the APIs a key may call', () => {
  test('Compliance: services, optionally with methods', () => {
    expect(checkGoogleApiTargets([{ service: 'translate.googleapis.com' }, { service: 'maps-backend.googleapis.com', methods: ['Get*'] }])).toEqual([]);
  });

  test('Noncompliance NHI_SCOPE_EMPTY: no targets (a key without targets calls every enabled API), empty methods', () => {
    expect(pairs(checkGoogleApiTargets([]))).toEqual([['NHI_SCOPE_EMPTY', 'scope']]);
    expect(checkGoogleApiTargets(undefined)[0].message).toMatch(/every enabled API/);
    expect(pairs(checkGoogleApiTargets([{ service: 'translate.googleapis.com', methods: [] }]))).toEqual([['NHI_SCOPE_EMPTY', 'scope[0].methods']]);
  });

  test('Noncompliance NHI_SCOPE_WILDCARD, NHI_SCOPE_UNKNOWN_ACTION, NHI_SCOPE_DUPLICATE', () => {
    const v = checkGoogleApiTargets([{ service: '*.googleapis.com' }, { service: 'translate' }, { service: 'vision.googleapis.com' }, { service: 'vision.googleapis.com' }]);
    expect(pairs(v)).toEqual([
      ['NHI_SCOPE_WILDCARD', 'scope[0].service'],
      ['NHI_SCOPE_UNKNOWN_ACTION', 'scope[1].service'],
      ['NHI_SCOPE_DUPLICATE', 'scope[3].service'],
    ]);
    expect(v[1].fix).toBe("did you mean 'translate.googleapis.com'?");
  });
});

describe('checkGoogleApiKeyRestriction: exactly one kind of client restriction', () => {
  test('Compliance: each kind alone', () => {
    expect(checkGoogleApiKeyRestriction({ allowedIps: ['203.0.113.7', '198.51.100.0/24', '2001:db8::/32'] })).toEqual([]);
    expect(checkGoogleApiKeyRestriction({ allowedReferrers: ['https://app.example.com/*'] })).toEqual([]);
    expect(checkGoogleApiKeyRestriction({ iosBundleIds: ['com.example.app'] })).toEqual([]);
    expect(checkGoogleApiKeyRestriction({ androidApps: [{ packageName: 'com.example.app', sha1Fingerprint: 'DA:39:A3:EE:5E:6B:4B:0D:32:55:BF:EF:95:60:18:90:AF:D8:07:09' }] })).toEqual([]);
  });

  test('Noncompliance NHI_SCOPE_WILDCARD: no restriction, or one that admits everyone', () => {
    const none = checkGoogleApiKeyRestriction(undefined);
    expect(pairs(none)).toEqual([['NHI_SCOPE_WILDCARD', 'clientRestriction']]);
    expect(none[0].message).toMatch(/works from anywhere once leaked/);
    expect(pairs(checkGoogleApiKeyRestriction({ allowedIps: ['0.0.0.0/0'] }))).toEqual([['NHI_SCOPE_WILDCARD', 'clientRestriction.allowedIps[0]']]);
    expect(pairs(checkGoogleApiKeyRestriction({ allowedReferrers: ['*'] }))).toEqual([['NHI_SCOPE_WILDCARD', 'clientRestriction.allowedReferrers[0]']]);
  });

  test('Noncompliance NHI_RESTRICTION_INVALID: several kinds, empty lists, malformed entries', () => {
    const both = checkGoogleApiKeyRestriction({ allowedIps: ['203.0.113.7'], iosBundleIds: ['com.example.app'] });
    expect(pairs(both)).toEqual([['NHI_RESTRICTION_INVALID', 'clientRestriction']]);
    expect(both[0].message).toMatch(/exactly one kind/);
    expect(pairs(checkGoogleApiKeyRestriction({ allowedIps: [] }))).toEqual([['NHI_RESTRICTION_INVALID', 'clientRestriction.allowedIps']]);
    expect(pairs(checkGoogleApiKeyRestriction({ allowedIps: ['example.com'] }))).toEqual([['NHI_RESTRICTION_INVALID', 'clientRestriction.allowedIps[0]']]);
    expect(pairs(checkGoogleApiKeyRestriction({ androidApps: [{ packageName: 'app', sha1Fingerprint: 'abc' }] }))).toEqual([
      ['NHI_RESTRICTION_INVALID', 'clientRestriction.androidApps[0].packageName'],
      ['NHI_RESTRICTION_INVALID', 'clientRestriction.androidApps[0].sha1Fingerprint'],
    ]);
  });
});
