import { DEFAULT_POLICY, ResolvedGovernancePolicy } from '../policy';
import { coveredAddresses, IpRange, parseIpRange } from '../private/ip-ranges';
import { NhiRisk, Violation, violation } from '../violation';
import { isToken } from './aws-scope';

const SERVICE = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.googleapis\.com$/;
const BUNDLE = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const PACKAGE = /^[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)+$/;
const SHA1 = /^([0-9A-Fa-f]{2}:){19}[0-9A-Fa-f]{2}$/;

/** The client-restriction kinds of a Google API key; Google accepts exactly one. */
export const GOOGLE_API_KEY_RESTRICTIONS = ['allowedIps', 'allowedReferrers', 'androidApps', 'iosBundleIds'] as const;

/** Google API key scope: the APIs (and optionally methods) the key may call, never empty. */
export function checkGoogleApiTargets(scope: unknown, field = 'scope'): Violation[] {
  if (!Array.isArray(scope) || scope.length === 0) {
    return [violation('NHI_SCOPE_EMPTY', field, 'an API key needs the APIs it may call; a key without API targets can call every enabled API',
      "set scope: [{ service: 'maps-backend.googleapis.com' }]", scope ?? undefined, [NhiRisk.NHI5])];
  }
  const out: Violation[] = [];
  const seen = new Set<string>();
  scope.forEach((t: unknown, i: number) => {
    const o = (t && typeof t === 'object' ? t : {}) as { service?: unknown; methods?: unknown };
    const f = `${field}[${i}].service`;
    if (typeof o.service !== 'string' || o.service.trim() === '') {
      out.push(violation('NHI_SCOPE_EMPTY', f, 'is required', "name the API, e.g. 'translate.googleapis.com'", o.service, [NhiRisk.NHI5]));
    } else if (o.service.includes('*')) {
      out.push(violation('NHI_SCOPE_WILDCARD', f, 'a wildcard is not an API', "name each API, e.g. 'translate.googleapis.com'", o.service, [NhiRisk.NHI5]));
    } else if (!isToken(o.service) && !SERVICE.test(o.service)) {
      out.push(violation('NHI_SCOPE_UNKNOWN_ACTION', f, 'is not a Google API service name (<name>.googleapis.com)',
        /^[a-z0-9-]+$/.test(o.service) ? `did you mean '${o.service}.googleapis.com'?` : "use the service name, e.g. 'translate.googleapis.com'", o.service, [NhiRisk.NHI5]));
    } else if (seen.has(o.service)) {
      out.push(violation('NHI_SCOPE_DUPLICATE', f, 'is listed twice', 'merge the two entries into one', o.service, [NhiRisk.NHI5]));
    } else {
      seen.add(o.service);
    }
    if (o.methods !== undefined && (!Array.isArray(o.methods) || o.methods.length === 0 || o.methods.some((m) => typeof m !== 'string' || m.trim() === ''))) {
      out.push(violation('NHI_SCOPE_EMPTY', `${field}[${i}].methods`, 'must be a non-empty list of method names (omit it to allow every method of the API)',
        "list methods, e.g. ['google.cloud.translate.v3.TranslationService.TranslateText'], or remove methods", o.methods, [NhiRisk.NHI5]));
    }
  });
  return out;
}

function listOf(value: unknown, f: string, test: (s: string) => boolean, what: string, example: string): Violation[] {
  if (!Array.isArray(value) || value.length === 0) {
    return [violation('NHI_RESTRICTION_INVALID', f, `must list at least one ${what}`, `set e.g. ${example}`, value, [NhiRisk.NHI2])];
  }
  const out: Violation[] = [];
  value.forEach((v: unknown, i: number) => {
    if (typeof v !== 'string' || (!isToken(v) && !test(v))) {
      out.push(violation('NHI_RESTRICTION_INVALID', `${f}[${i}]`, `is not a ${what}`, `use e.g. ${example}`, v, [NhiRisk.NHI2]));
    }
  });
  return out;
}

/** The default of the policy's `maxApiKeyAddressRange`: a /8, 1/256 of the address space. */
export const DEFAULT_MAX_API_KEY_ADDRESS_RANGE = 8;

function share(count: bigint, bits: number): string {
  // "1/128 of the IPv4 address space (33554432 addresses)": the share as a power of two when exact.
  const space = 1n << BigInt(bits);
  const inverse = space / count;
  const exact = inverse * count === space && (inverse & (inverse - 1n)) === 0n;
  return `${exact ? '' : 'about '}1/${inverse} of the IPv${bits === 32 ? 4 : 6} address space (${count} addresses)`;
}

/**
 * Allowed IPs of an API key: each an IPv4 or IPv6 address or CIDR range (NHI_RESTRICTION_INVALID
 * otherwise, e.g. `10.0.0.0/99`, `999.1.1.1`, host bits set), and together less than the policy's
 * `maxApiKeyAddressRange` (default a /8: 1/256 of the IPv4 or IPv6 address space) — a range that
 * wide, or many ranges adding up to it, is NHI_SCOPE_WILDCARD.
 */
export function checkAllowedIps(value: unknown, f: string, policy: ResolvedGovernancePolicy = DEFAULT_POLICY): Violation[] {
  if (!Array.isArray(value) || value.length === 0) {
    return [violation('NHI_RESTRICTION_INVALID', f, 'must list at least one IP address or CIDR range', "set e.g. allowedIps: ['203.0.113.7', '198.51.100.0/24']", value, [NhiRisk.NHI2])];
  }
  const limitPrefix = policy.maxApiKeyAddressRange ?? DEFAULT_MAX_API_KEY_ADDRESS_RANGE;
  const limit = (bits: number) => 1n << BigInt(bits - Math.min(limitPrefix, bits));
  const out: Violation[] = [];
  const ranges: IpRange[] = [];
  value.forEach((ip: unknown, i: number) => {
    if (typeof ip === 'string' && isToken(ip)) return;
    if (typeof ip !== 'string') {
      out.push(violation('NHI_RESTRICTION_INVALID', `${f}[${i}]`, 'is not an IP address or CIDR range', "use e.g. '203.0.113.7' or '198.51.100.0/24'", ip, [NhiRisk.NHI2]));
      return;
    }
    const parsed = parseIpRange(ip);
    if (parsed.range === undefined) {
      out.push(violation('NHI_RESTRICTION_INVALID', `${f}[${i}]`, `is not an IP address or CIDR range: ${parsed.error}`,
        parsed.suggestion ? `did you mean '${parsed.suggestion}'?` : "use e.g. '203.0.113.7', '198.51.100.0/24' or '2001:db8::/48'", ip, [NhiRisk.NHI2]));
      return;
    }
    const r = parsed.range;
    // An IPv4-mapped IPv6 range (::ffff:0:0/96) counts as the IPv4 addresses it maps.
    const one = coveredAddresses([r]);
    const bits = one.v4 > 0n ? 32 : 128;
    const size = one.v4 > 0n ? one.v4 : one.v6;
    if (size >= limit(bits)) {
      out.push(violation('NHI_SCOPE_WILDCARD', `${f}[${i}]`, `admits ${share(size, bits)}: a leaked key would work from a large part of the internet`,
        `list the clients' addresses or ranges narrower than a /${limitPrefix}`, ip, [NhiRisk.NHI2]));
      return;
    }
    ranges.push(r);
  });
  if (out.length > 0) return out;
  const covered = coveredAddresses(ranges);
  for (const [family, count, bits] of [[4, covered.v4, 32], [6, covered.v6, 128]] as const) {
    if (count >= limit(bits)) {
      out.push(violation('NHI_SCOPE_WILDCARD', f, `together admit ${share(count, bits)}, at least the policy's limit of a /${limitPrefix}: a leaked key would work from a large part of the internet`,
        `list only the clients' addresses (IPv${family}), or ask the platform team to raise maxApiKeyAddressRange`, value, [NhiRisk.NHI2]));
    }
  }
  return out;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*|\*):\/\//;

/**
 * Why an HTTP referrer pattern admits every site (or any scheme), or undefined when it names one:
 * a wildcard scheme (`*://app.example.com`), a host that is only a wildcard (`*`, `*.*`,
 * `https://*`), a wildcard over a top-level domain (`*.com`), or a `*` elsewhere in the host.
 */
export function openReferrer(pattern: string): string | undefined {
  let rest = pattern.trim();
  const scheme = SCHEME.exec(rest);
  if (scheme) {
    if (scheme[1] === '*') return 'has a wildcard scheme';
    rest = rest.slice(scheme[0].length);
  }
  const host = rest.split(/[/?#]/)[0].replace(/:[0-9*]*$/, '').toLowerCase();
  if (host === '' || /^[*.]+$/.test(host)) return 'has a wildcard host: it admits every web site';
  const rel = host.startsWith('*.') ? host.slice(2) : host;
  if (rel.includes('*')) return 'has a wildcard inside the host name (Google only allows a leading *. for subdomains)';
  if (host.startsWith('*.') && !rel.includes('.')) return `admits every site under the top-level domain .${rel}`;
  return undefined;
}

/**
 * Client restriction of a Google API key: exactly one of allowed IPs, HTTP referrers, Android
 * apps or iOS bundle ids. None (or one that admits everyone) is NHI_SCOPE_WILDCARD: a leaked
 * key would work from anywhere.
 */
export function checkGoogleApiKeyRestriction(restriction: unknown, field = 'clientRestriction', policy: ResolvedGovernancePolicy = DEFAULT_POLICY): Violation[] {
  const r = (restriction && typeof restriction === 'object' ? restriction : {}) as Record<string, unknown>;
  const given = GOOGLE_API_KEY_RESTRICTIONS.filter((k) => r[k] !== undefined && r[k] !== null);
  if (given.length === 0) {
    return [violation('NHI_SCOPE_WILDCARD', field, 'a key without a client restriction works from anywhere once leaked',
      "restrict it to its clients: { allowedIps: ['203.0.113.0/24'] }, { allowedReferrers: ['https://app.example.com/*'] }, { androidApps: [...] } or { iosBundleIds: [...] }",
      restriction ?? undefined, [NhiRisk.NHI2, NhiRisk.NHI5])];
  }
  if (given.length > 1) {
    return [violation('NHI_RESTRICTION_INVALID', field, `sets ${given.join(' and ')}; Google accepts exactly one kind of client restriction per key`,
      'keep the one that matches the clients, or declare one key per kind of client', restriction, [NhiRisk.NHI2, NhiRisk.NHI9])];
  }
  const kind = given[0];
  const f = `${field}.${kind}`;
  const v = r[kind];
  switch (kind) {
    case 'allowedIps':
      return checkAllowedIps(v, f, policy);
    case 'allowedReferrers': {
      const valid = (ref: string) => ref.trim() !== '' && !/\s/.test(ref);
      const out = listOf(v, f, valid, 'HTTP referrer', "allowedReferrers: ['https://app.example.com/*']");
      (Array.isArray(v) ? v : []).forEach((ref: unknown, i: number) => {
        const open = typeof ref === 'string' && !isToken(ref) && valid(ref) ? openReferrer(ref) : undefined;
        if (open !== undefined) {
          out.push(violation('NHI_SCOPE_WILDCARD', `${f}[${i}]`, open, "name the site and scheme, e.g. 'https://app.example.com/*' or 'https://*.example.com/*'", ref, [NhiRisk.NHI2]));
        }
      });
      return out;
    }
    case 'iosBundleIds':
      return listOf(v, f, (s) => BUNDLE.test(s), 'iOS bundle id', "iosBundleIds: ['com.example.app']");
    default: {
      if (!Array.isArray(v) || v.length === 0) {
        return [violation('NHI_RESTRICTION_INVALID', f, 'must list at least one Android app', "set androidApps: [{ packageName: 'com.example.app', sha1Fingerprint: 'DA:39:...' }]", v, [NhiRisk.NHI2])];
      }
      const out: Violation[] = [];
      v.forEach((a: unknown, i: number) => {
        const o = (a && typeof a === 'object' ? a : {}) as { packageName?: unknown; sha1Fingerprint?: unknown };
        if (typeof o.packageName !== 'string' || !PACKAGE.test(o.packageName)) {
          out.push(violation('NHI_RESTRICTION_INVALID', `${f}[${i}].packageName`, 'is not an Android package name', "use e.g. 'com.example.app'", o.packageName, [NhiRisk.NHI2]));
        }
        if (typeof o.sha1Fingerprint !== 'string' || !SHA1.test(o.sha1Fingerprint)) {
          out.push(violation('NHI_RESTRICTION_INVALID', `${f}[${i}].sha1Fingerprint`, 'is not a SHA-1 certificate fingerprint (20 hex bytes separated by colons)',
            "copy it from `keytool -list -v` or the Play Console, e.g. 'DA:39:A3:EE:5E:6B:4B:0D:32:55:BF:EF:95:60:18:90:AF:D8:07:09'", o.sha1Fingerprint, [NhiRisk.NHI2]));
        }
      });
      return out;
    }
  }
}
