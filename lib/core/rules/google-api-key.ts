import { NhiRisk, Violation, violation } from '../violation';
import { isToken } from './aws-scope';

const SERVICE = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.googleapis\.com$/;
const IP = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$|^[0-9a-fA-F:]+(\/\d{1,3})?$/;
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

function openIp(ip: string): boolean {
  const m = /\/(\d+)$/.exec(ip);
  return m !== null && Number(m[1]) < 8;
}

/**
 * Client restriction of a Google API key: exactly one of allowed IPs, HTTP referrers, Android
 * apps or iOS bundle ids. None (or one that admits everyone) is NHI_SCOPE_WILDCARD: a leaked
 * key would work from anywhere.
 */
export function checkGoogleApiKeyRestriction(restriction: unknown, field = 'clientRestriction'): Violation[] {
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
    case 'allowedIps': {
      const out = listOf(v, f, (s) => IP.test(s), 'IP address or CIDR range', "allowedIps: ['203.0.113.7', '198.51.100.0/24']");
      (Array.isArray(v) ? v : []).forEach((ip: unknown, i: number) => {
        if (typeof ip === 'string' && IP.test(ip) && openIp(ip)) {
          out.push(violation('NHI_SCOPE_WILDCARD', `${f}[${i}]`, 'admits a large part of the internet', 'list the clients\' addresses or a narrow range', ip, [NhiRisk.NHI2]));
        }
      });
      return out;
    }
    case 'allowedReferrers': {
      const out = listOf(v, f, (s) => s.trim() !== '' && !/\s/.test(s), 'HTTP referrer', "allowedReferrers: ['https://app.example.com/*']");
      (Array.isArray(v) ? v : []).forEach((ref: unknown, i: number) => {
        if (typeof ref === 'string' && /^(\*|\*\.\*|https?:\/\/\*(\/\*)?|\*\/\*)$/.test(ref.trim())) {
          out.push(violation('NHI_SCOPE_WILDCARD', `${f}[${i}]`, 'admits every web site', "name the site, e.g. 'https://app.example.com/*'", ref, [NhiRisk.NHI2]));
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
