/** An IPv4 or IPv6 address or CIDR range, parsed. */
export interface IpRange {
  readonly family: 4 | 6;
  /** First address, as an integer. */
  readonly start: bigint;
  /** Last address, as an integer. */
  readonly end: bigint;
  readonly prefix: number;
}

/** The outcome of {@link parseIpRange}: a range, or why the text is not one. */
export type ParsedIp = { readonly range: IpRange; readonly error?: undefined } | { readonly range?: undefined; readonly error: string; readonly suggestion?: string };

function parseV4(text: string): bigint | string {
  const parts = text.split('.');
  if (parts.length !== 4) return 'an IPv4 address has four numbers separated by dots';
  let n = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return `'${p}' is not a number from 0 to 255 (no leading zeros)`;
    const v = Number(p);
    if (v > 255) return `${p} is greater than 255`;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(text: string): bigint | string {
  let head = text;
  let v4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    // An embedded IPv4 address in the last 32 bits (::ffff:192.0.2.1).
    const r = parseV4(text.slice(lastColon + 1));
    if (typeof r === 'string') return r;
    v4 = r;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return "'::' may appear only once";
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const all = [...left, ...right];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return 'an IPv6 group is one to four hexadecimal digits';
  if (halves.length === 1 ? all.length !== 8 : all.length > 7) return 'an IPv6 address has eight groups (or fewer with ::)';
  const full = [...left, ...Array(8 - all.length).fill('0'), ...right];
  let n = 0n;
  for (const g of full) n = (n << 16n) | BigInt(parseInt(g, 16));
  if (v4 !== undefined) n = (n & ~0xffffffffn) | v4;
  return n;
}

/**
 * Parses `203.0.113.7`, `198.51.100.0/24`, `2001:db8::1`, `2001:db8::/32` (also `::ffff:a.b.c.d`).
 * Host bits set after the prefix (`10.0.0.1/8`) are an error with the intended range as suggestion.
 */
export function parseIpRange(text: string): ParsedIp {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addr = slash < 0 ? t : t.slice(0, slash);
  const family: 4 | 6 = addr.includes(':') ? 6 : 4;
  const bits = family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const p = t.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > bits) return { error: `the prefix length must be a number from 0 to ${bits}` };
    prefix = Number(p);
  }
  const n = family === 4 ? parseV4(addr) : parseV6(addr);
  if (typeof n === 'string') return { error: n };
  const size = 1n << BigInt(bits - prefix);
  const start = n & ~(size - 1n);
  if (start !== n) {
    return { error: `host bits are set after the /${prefix} prefix`, suggestion: `${formatIp(start, family)}/${prefix}` };
  }
  return { range: { family, start, end: start + size - 1n, prefix } };
}

/** Renders an address integer. */
export function formatIp(n: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}

const MAPPED_V4 = 0xffff00000000n; // ::ffff:0:0/96

/**
 * How many addresses of each family the ranges cover together (overlaps counted once). IPv6
 * ranges inside `::ffff:0:0/96` (IPv4-mapped addresses) count as the IPv4 addresses they map.
 */
export function coveredAddresses(ranges: IpRange[]): { v4: bigint; v6: bigint } {
  const byFamily: Record<4 | 6, [bigint, bigint][]> = { 4: [], 6: [] };
  for (const r of ranges) {
    if (r.family === 6 && r.prefix >= 96 && (r.start >> 32n) << 32n === MAPPED_V4) {
      byFamily[4].push([r.start - MAPPED_V4, r.end - MAPPED_V4]);
    } else {
      byFamily[r.family].push([r.start, r.end]);
    }
  }
  const union = (list: [bigint, bigint][]): bigint => {
    const sorted = [...list].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let total = 0n;
    let cur: [bigint, bigint] | undefined;
    for (const [s, e] of sorted) {
      if (cur && s <= cur[1] + 1n) {
        if (e > cur[1]) cur[1] = e;
      } else {
        if (cur) total += cur[1] - cur[0] + 1n;
        cur = [s, e];
      }
    }
    if (cur) total += cur[1] - cur[0] + 1n;
    return total;
  };
  return { v4: union(byFamily[4]), v6: union(byFamily[6]) };
}
