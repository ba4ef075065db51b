import { DEFAULT_POLICY, ResolvedGovernancePolicy } from '../../../lib/core/policy';
import { checkAllowedIps, checkGoogleApiKeyRestriction, checkGoogleApiTargets, openReferrer } from '../../../lib/core/rules/google-api-key';

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

describe('checkAllowedIps: IPv4 and IPv6 addresses and ranges, parsed, less than a /8 together (issue 12)', () => {
  const f = 'clientRestriction.allowedIps';
  const ips = (list: unknown, p: Partial<ResolvedGovernancePolicy> = {}) => checkAllowedIps(list, f, { ...DEFAULT_POLICY, ...p });

  test('Compliance: addresses and narrow ranges of both families, IPv4-mapped IPv6, tokens', () => {
    expect(ips(['203.0.113.7', '198.51.100.0/24', '10.0.0.0/9', '2001:db8::1', '2001:db8::/32', '::ffff:192.0.2.1', '::1', '${var.office_ip}'])).toEqual([]);
  });

  test.each([
    ['10.0.0.0/99', /prefix length must be a number from 0 to 32/],
    ['999.999.999.999', /999 is greater than 255/],
    ['10.0.0', /four numbers/],
    ['010.0.0.1', /no leading zeros/],
    ['2001:db8::1::2', /'::' may appear only once/],
    ['2001:db8:zz::/48', /hexadecimal/],
    ['2001:db8::/129', /from 0 to 128/],
    ['1:2:3:4:5:6:7', /eight groups/],
    ['example.com', /four numbers/],
  ])('Noncompliance NHI_RESTRICTION_INVALID: %j', (ip, message) => {
    const v = ips([ip]);
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_RESTRICTION_INVALID', `${f}[0]`]]);
    expect(v[0].message).toMatch(message);
  });

  test('Noncompliance NHI_RESTRICTION_INVALID: host bits set, with the intended range', () => {
    const v = ips(['10.1.2.3/8', '2001:db8::1/32']);
    expect(v.map((x) => x.fix)).toEqual(["did you mean '10.0.0.0/8'?", "did you mean '2001:db8::/32'?"]);
  });

  test.each(['0.0.0.0/0', '10.0.0.0/8', '128.0.0.0/1', '2000::/3', '2000::/8', '::/0', '::ffff:0:0/96'])('Noncompliance NHI_SCOPE_WILDCARD: %j alone is a /8 or wider', (ip) => {
    const v = ips([ip]);
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_SCOPE_WILDCARD', `${f}[0]`]]);
    expect(v[0].message).toMatch(/of the IPv[46] address space/);
  });

  test('Noncompliance NHI_SCOPE_WILDCARD: all 256 /8s together cover the internet; two /9s make a /8', () => {
    const all = Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/9`).concat(Array.from({ length: 256 }, (_, i) => `${i}.128.0.0/9`));
    const v = ips(all);
    expect(v.map((x) => [x.code, x.field])).toEqual([['NHI_SCOPE_WILDCARD', f]]);
    expect(v[0].message).toMatch(/together admit 1\/1 of the IPv4 address space \(4294967296 addresses\)/);
    expect(ips(['10.0.0.0/9', '10.128.0.0/9']).map((x) => x.code)).toEqual(['NHI_SCOPE_WILDCARD']);
    // Overlaps count once: the same /9 twice is half a /8.
    expect(ips(['10.0.0.0/9', '10.0.0.0/9', '10.1.0.0/16'])).toEqual([]);
  });

  test('the policy sets the limit: maxApiKeyAddressRange 16 rejects a /16, allows a /17', () => {
    expect(ips(['10.1.0.0/16'], { maxApiKeyAddressRange: 16 }).map((x) => x.code)).toEqual(['NHI_SCOPE_WILDCARD']);
    expect(ips(['10.1.0.0/17'], { maxApiKeyAddressRange: 16 })).toEqual([]);
    expect(ips(['2001::/16'], { maxApiKeyAddressRange: 16 }).map((x) => x.code)).toEqual(['NHI_SCOPE_WILDCARD']);
  });
});

describe('openReferrer: referrer patterns with a wildcard host or scheme are rejected (issue 12)', () => {
  test.each(['*', '*.*', '*.*/*', '*://*', '*://app.example.com/*', 'https://*', 'https://*/*', 'http://*.*', '*/*', '*.com', 'https://*.com/*', 'https://app*.example.com/*', 'https://*.*.example.com'])(
    'Noncompliance NHI_SCOPE_WILDCARD: %j', (ref) => {
      expect(openReferrer(ref)).toBeDefined();
      expect(checkGoogleApiKeyRestriction({ allowedReferrers: [ref] }).map((x) => x.code)).toEqual(['NHI_SCOPE_WILDCARD']);
    });

  test.each(['https://app.example.com/*', 'app.example.com', '*.example.com/*', 'https://*.example.com/*', 'http://localhost:8080/*', 'https://app.example.com:*/x'])('Compliance: %j', (ref) => {
    expect(openReferrer(ref)).toBeUndefined();
    expect(checkGoogleApiKeyRestriction({ allowedReferrers: [ref] })).toEqual([]);
  });
});
