/**
 * Regenerates the shipped Google role catalogue (lib/core/data/gcp-roles.json) from the
 * shared data set (gcp-iam-roles.json: Google's predefined roles and their permissions, as
 * collected in iann0036/iam-dataset, MIT) and copies its licence next to it.
 *
 *   npx projen gcp-roles [path/to/gcp-iam-roles.json]   (default: ../shared/data/gcp-iam-roles.json)
 *
 * The shipped form is compact (about half the size of the source) and decoded lazily by
 * lib/core/private/google-roles.ts:
 * - `permissions`: the sorted permission names, front-coded: `<n>|<suffix>` where n (base 36) is
 *   the length of the prefix shared with the previous name;
 * - `roles`: role id without `roles/` → [stage, title, ranges], where ranges lists the role's
 *   permission indexes as comma-separated runs `<gap>` or `<gap>+<extra>` (base 36): a run starts
 *   `gap` indexes after the end of the previous run and covers `extra` more indexes.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The shared data set's format. */
export interface RawGoogleRoles {
  readonly source: string;
  readonly permissions: string[];
  readonly roles: Record<string, { title: string; stage: string; p: number[] }>;
}

/** The shipped format (see the file comment). */
export interface ShippedGoogleRoles {
  readonly source: string;
  readonly licence: string;
  readonly permissions: string[];
  readonly roles: Record<string, [string, string, string]>;
}

/**
 * Names per block of the front-coded list: each block's first name is written in full, so a reader
 * decodes one name from at most a block of entries instead of the whole list.
 */
export const FRONT_CODE_BLOCK = 64;

/** Front-codes sorted names, starting afresh at every {@link FRONT_CODE_BLOCK}th name. */
export function frontCode(names: string[]): string[] {
  let prev = '';
  return names.map((n, k) => {
    let i = 0;
    if (k % FRONT_CODE_BLOCK !== 0) while (i < prev.length && i < n.length && prev[i] === n[i]) i++;
    prev = n;
    return `${i.toString(36)}|${n.slice(i)}`;
  });
}

/** Encodes sorted, distinct indexes as runs. */
export function encodeRuns(indexes: number[]): string {
  const p = [...new Set(indexes)].sort((a, b) => a - b);
  const out: string[] = [];
  let prevEnd = -1;
  for (let i = 0; i < p.length;) {
    let j = i;
    while (j + 1 < p.length && p[j + 1] === p[j] + 1) j++;
    const gap = (p[i] - prevEnd - 1).toString(36);
    out.push(j > i ? `${gap}+${(j - i).toString(36)}` : gap);
    prevEnd = p[j];
    i = j + 1;
  }
  return out.join(',');
}

/** Builds the shipped catalogue from the shared data set (deterministic: sorted roles). */
export function encodeGoogleRoles(raw: RawGoogleRoles): ShippedGoogleRoles {
  const sorted = [...raw.permissions].sort();
  if (sorted.some((p, i) => p !== raw.permissions[i])) throw new Error('permissions must be sorted');
  const roles: Record<string, [string, string, string]> = {};
  for (const name of Object.keys(raw.roles).sort()) {
    if (!name.startsWith('roles/')) throw new Error(`not a predefined role: ${name}`);
    const r = raw.roles[name];
    roles[name.slice('roles/'.length)] = [r.stage, r.title, encodeRuns(r.p)];
  }
  return { source: raw.source, licence: 'gcp-roles.LICENSE (MIT)', permissions: frontCode(raw.permissions), roles };
}

function main(): void {
  const root = path.join(__dirname, '..');
  const input = process.argv[2] ?? path.join(root, '..', 'shared', 'data', 'gcp-iam-roles.json');
  const raw = JSON.parse(fs.readFileSync(input, 'utf8')) as RawGoogleRoles;
  const out = path.join(root, 'lib', 'core', 'data');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'gcp-roles.json'), `${JSON.stringify(encodeGoogleRoles(raw))}\n`);
  fs.writeFileSync(path.join(out, 'gcp-roles.LICENSE'), fs.readFileSync(path.join(path.dirname(input), 'gcp-iam-roles.LICENSE')));
  process.stdout.write(`wrote ${path.relative(root, path.join(out, 'gcp-roles.json'))}: ${Object.keys(raw.roles).length} roles, ${raw.permissions.length} permissions\n`);
}

if (require.main === module) main();
