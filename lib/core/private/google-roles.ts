import * as fs from 'fs';
import * as path from 'path';

/** One predefined Google role of the shipped catalogue (lib/core/data/gcp-roles.json). */
export interface GoogleRoleInfo {
  /** `roles/<service>.<role>`. */
  readonly name: string;
  readonly title: string;
  /** `GA`, `BETA`, `ALPHA` or `DEPRECATED`. */
  readonly stage: string;
  /** The permissions the role includes, sorted. */
  readonly permissions: readonly string[];
}

interface Shipped {
  readonly source: string;
  readonly permissions: string[];
  readonly roles: Record<string, [string, string, string]>;
}

// Loaded on first use only (0.5 MB, a few milliseconds): stacks without Google grants never read it.
let shipped: Shipped | undefined;
let lowerNames: Map<string, string> | undefined;
const decoded = new Map<string, GoogleRoleInfo>();
/** Permission names decoded so far, by index, a block at a time: a role needs a few of the 216 blocks. */
const permissionNames: string[] = [];

/**
 * Entries per block of the front-coded permission list (each entry keeps a prefix of the one
 * before it; the first of a block is written in full): scripts/gcp-roles.ts FRONT_CODE_BLOCK.
 */
const BLOCK = 64;

function catalogue(): Shipped {
  shipped ??= JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'data', 'gcp-roles.json'), 'utf8')) as Shipped;
  return shipped;
}

/** Permission name `i`: its block is decoded on first use (decoding the whole list takes several milliseconds). */
function permissionName(i: number): string {
  const known = permissionNames[i];
  if (known !== undefined) return known;
  const list = catalogue().permissions;
  const start = i - (i % BLOCK);
  let prev = '';
  for (let k = start; k < Math.min(start + BLOCK, list.length); k++) {
    const e = list[k];
    const bar = e.indexOf('|');
    prev = prev.slice(0, parseInt(e.slice(0, bar), 36)) + e.slice(bar + 1);
    permissionNames[k] = prev;
  }
  return permissionNames[i];
}

function decodeRuns(runs: string): string[] {
  const out: string[] = [];
  let next = 0;
  for (const run of runs === '' ? [] : runs.split(',')) {
    const plus = run.indexOf('+');
    const start = next + parseInt(plus < 0 ? run : run.slice(0, plus), 36);
    const end = start + (plus < 0 ? 0 : parseInt(run.slice(plus + 1), 36));
    for (let i = start; i <= end; i++) out.push(permissionName(i));
    next = end + 1;
  }
  return out;
}

/** Where the catalogue comes from (data set, commit, date). */
export function googleRoleCatalogueSource(): string {
  return catalogue().source;
}

/** Every predefined role name (`roles/...`), sorted. */
export function googleRoleNames(): string[] {
  return Object.keys(catalogue().roles).map((id) => `roles/${id}`);
}

/** The predefined role of this exact name, or undefined (custom roles and unknown names). */
export function lookupGoogleRole(name: string): GoogleRoleInfo | undefined {
  if (typeof name !== 'string' || !name.startsWith('roles/')) return undefined;
  const id = name.slice('roles/'.length);
  const roles = catalogue().roles;
  if (!Object.prototype.hasOwnProperty.call(roles, id)) return undefined;
  let info = decoded.get(id);
  if (!info) {
    const [stage, title, runs] = roles[id];
    info = { name, title, stage, permissions: decodeRuns(runs) };
    decoded.set(id, info);
  }
  return info;
}

/** The catalogue's spelling of a role name that differs only in case, if any. */
export function googleRoleByCase(name: string): string | undefined {
  if (!lowerNames) lowerNames = new Map(googleRoleNames().map((n) => [n.toLowerCase(), n]));
  return lowerNames.get(name.toLowerCase());
}

function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The predefined roles closest to a name (edit distance, ignoring case), best first: a typo
 * (`roles/storage.objectViwer`) finds its role; an unknown role of a known service
 * (`roles/storage.reader`) lists that service's roles.
 */
export function closestGoogleRoles(name: string, count = 3): string[] {
  const wanted = name.toLowerCase().replace(/^roles\//, '');
  const service = wanted.split('.')[0];
  const max = Math.max(3, Math.floor(wanted.length / 3));
  const scored = googleRoleNames().map((n) => {
    const id = n.slice('roles/'.length).toLowerCase();
    const d = distance(wanted, id, max);
    // Roles of the same service rank before any other role of equal distance.
    return { n, d: d + (id.split('.')[0] === service ? 0 : 0.5) };
  }).filter((x) => x.d <= max || x.n.slice(6).toLowerCase().split('.')[0] === service);
  scored.sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : 1));
  return scored.slice(0, count).map((x) => x.n);
}
