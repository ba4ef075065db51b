import { resourceTypesOf, serviceExists } from './iam-catalog';

/**
 * ARNs against the resource type formats of the AWS service authorization reference
 * (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
 *
 * A format's variable matches one or more characters. A variable followed by a `/` in its
 * format, or the last variable of a format that another format of the service extends with
 * `/` (`${BucketName}` is extended by `${BucketName}/${ObjectName}`, `table/${TableName}` by
 * `table/${TableName}/index/${IndexName}`), cannot contain `/`: so `arn:aws:s3:::b/*` is an
 * object ARN and never a bucket ARN, which is how IAM matches them. IAM wildcards in the ARN
 * (`*` any run, `?` one character) match anything, including `/` and `:`.
 */

/** An ARN split into its six parts (the resource part keeps its colons). */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits `arn:partition:service:region:account:resource`; undefined if it is not that shape. */
export function splitArn(arn: string): ArnParts | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const parts = arn.split(':');
  if (parts.length < 6 || parts[5] === '' && parts.length === 6) return undefined;
  return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(':') };
}

type Tok = { lit: string } | { v: string; noSlash: boolean; end: string; collection?: boolean };

/** A compiled resource type format. */
export interface ArnFormat {
  /** Resource type key (`object`, `table`). */
  readonly type: string;
  /** The service prefix whose catalogue defines it. */
  readonly catalogService: string;
  readonly format: string;
  readonly parts: ArnParts;
  /** The resource part as tokens. */
  readonly tokens: Tok[];
  /** The resource part as a regular expression, for ARNs without wildcards. */
  readonly re: RegExp;
  /** `<catalogService>:<type>`, the key actions name their resource types by. */
  readonly key: string;
  /** The service is a variable (`${Vendor}`): the format names resources of other services. */
  readonly anyService: boolean;
}

const compiled = new Map<string, ArnFormat[]>();

/**
 * Resources a format whose service is a variable also names in the shape of another service's own
 * resource type, which the catalogue's format does not show: AWS Backup keeps these recovery points
 * as the service's snapshot, image or backup, with '/' where the format has ':' (and EBS and EC2
 * without an account).
 */
const ANY_SERVICE_SHAPES: Record<string, readonly (readonly [string, string])[]> = {
  'backup:recoverypoint': [['ec2', 'snapshot'], ['ec2', 'image'], ['dynamodb', 'backup'], ['fsx', 'backup']],
};

/**
 * Every resource type format of a service prefix (compiled once per service); for a format whose
 * service is a variable, also the other services' shapes it names ({@link ANY_SERVICE_SHAPES}), as
 * formats of its own type after the catalogue's.
 */
export function formatsOf(service: string): ArnFormat[] {
  const key = service.toLowerCase();
  let out = compiled.get(key);
  if (out) return out;
  const raw = resourceTypesOf(key);
  const entries = Object.entries(raw).filter(([, fmt]) => splitArn(fmt) !== undefined);
  out = entries.map(([type, fmt]) => {
    // A format another one extends with '/' names a resource whose name has no '/'.
    const extended = entries.some(([, other]) => other.length > fmt.length && other.startsWith(fmt) && other[fmt.length] === '/');
    const parts = splitArn(fmt)!;
    const tokens = tokenize(parts.resource, extended, entries.map(([, o]) => splitArn(o)!.resource));
    return {
      type: type.toLowerCase(), catalogService: key, format: fmt, parts, tokens, re: toRegExp(tokens), key: `${key}:${type.toLowerCase()}`,
      anyService: parts.service.startsWith('${'),
    };
  });
  compiled.set(key, out);
  for (const f of [...out]) {
    for (const [svc, type] of f.anyService ? ANY_SERVICE_SHAPES[f.key] ?? [] : []) {
      const shape = formatsOf(svc).find((x) => x.type === type && !x.anyService);
      if (shape) out.push({ ...shape, type: f.type, catalogService: f.catalogService, key: f.key });
    }
  }
  return out;
}

function tokenize(resource: string, lastNoSlash: boolean, siblings: string[]): Tok[] {
  const toks: Tok[] = [];
  // A variable, or a '*' the reference writes for a free-form part (`cert:*`, `${ClusterResourceId}/*`).
  const re = /\$\{([^}]+)\}|\*/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(resource))) {
    for (const c of resource.slice(last, m.index)) toks.push({ lit: c });
    const after = resource[m.index + m[0].length];
    const upto = resource.slice(0, m.index + m[0].length);
    // Where the name ends, for wildcard classification: the separator after it here or in a format extending it.
    const ext = siblings.find((s) => s.length > upto.length && s.startsWith(upto));
    const end = after ?? ext?.[upto.length] ?? '';
    const tok: Tok = { v: m[1] ?? '*', noSlash: after === '/' || (after === undefined && lastNoSlash), end };
    // A literal '*' where a sibling format has a variable: the ARN of the whole collection.
    if (m[1] === undefined && siblings.some((s) => s.startsWith(`${resource.slice(0, m!.index)}\${`))) tok.collection = true;
    toks.push(tok);
    last = m.index + m[0].length;
  }
  for (const c of resource.slice(last)) toks.push({ lit: c });
  return toks;
}

function toRegExp(tokens: Tok[]): RegExp {
  let src = '^';
  for (const t of tokens) src += 'lit' in t ? t.lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : t.noSlash ? '[^/]+' : '[\\s\\S]+';
  return new RegExp(src + '$');
}

let seenBuffer = new Uint32Array(1024);
let seenStamp = 0;

/** A visited set of `size` states for one search: one buffer, a new stamp per search (no allocation). */
function visited(size: number): { buffer: Uint32Array; stamp: number } {
  if (size > seenBuffer.length) seenBuffer = new Uint32Array(Math.max(size, seenBuffer.length * 2));
  if (++seenStamp === 0xffffffff) {
    seenBuffer.fill(0);
    seenStamp = 1;
  }
  return { buffer: seenBuffer, stamp: seenStamp };
}

/**
 * True if some concrete resource part matches both the ARN's resource part (with IAM wildcards)
 * and the format's (with its variables): the ARN can name a resource of that type.
 */
function resourceMatches(pattern: string, toks: Tok[]): boolean {
  // Quick reject: the format's leading literal against the pattern's, up to the first wildcard or variable.
  for (let q = 0; q < toks.length && q < pattern.length; q++) {
    const t = toks[q];
    const c = pattern[q];
    if (!('lit' in t) || c === '*' || c === '?') break;
    if (t.lit !== c) return false;
  }
  const W = toks.length + 1;
  const seen = visited((pattern.length + 1) * W * 2);
  // State: position in pattern (i), in tokens (j), inside a variable that consumed >= 1 char (k).
  const stack: number[] = [0, 0, 0];
  while (stack.length > 0) {
    const k = stack.pop()!;
    const j = stack.pop()!;
    const i = stack.pop()!;
    const id = (i * W + j) * 2 + k;
    if (seen.buffer[id] === seen.stamp) continue;
    seen.buffer[id] = seen.stamp;
    if (i === pattern.length && j === toks.length) return true;
    const t = toks[j];
    const isVar = t !== undefined && 'v' in t;
    if (isVar && k === 1) stack.push(i, j + 1, 0);
    if (i >= pattern.length) continue;
    const c = pattern[i];
    // Past the format's last token only a '*' matching nothing is left to match (`acc*` against `account`).
    if (t === undefined) {
      if (c === '*') stack.push(i + 1, j, k);
      continue;
    }
    if (c === '*') {
      stack.push(i + 1, j, k);
      if (isVar) stack.push(i, j, 1);
      else stack.push(i, j + 1, 0);
    } else if (c === '?') {
      if (isVar) stack.push(i + 1, j, 1);
      else stack.push(i + 1, j + 1, 0);
    } else if (isVar) {
      if (!(c === '/' && t.noSlash)) stack.push(i + 1, j, 1);
    } else if (t.lit === c) {
      stack.push(i + 1, j + 1, 0);
    }
  }
  return false;
}

const WILD = /[*?]/;

function componentMatches(given: string, fmt: string): boolean {
  if (fmt === '') return given === '' || /^\*+$/.test(given);
  if (fmt.startsWith('${')) return given !== '';
  // The reference's '*' for a region or account: any, or none (a wildcard given is judged by the caller).
  if (fmt === '*') return true;
  return given === fmt || (WILD.test(given) && resourceMatches(given, [...fmt].map((c) => ({ lit: c }))));
}

/** True if the ARN can name a resource of the format's type. */
export function arnMatchesFormat(arn: ArnParts, f: ArnFormat): boolean {
  if (f.anyService ? !isServicePrefix(arn.service) : arn.service !== f.parts.service) return false;
  if (!componentMatches(arn.region, f.parts.region) || !componentMatches(arn.account, f.parts.account)) return false;
  return WILD.test(arn.resource) ? resourceMatches(arn.resource, f.tokens) : f.re.test(arn.resource);
}

/** A real service prefix, given literally (lower case, no wildcard): what a format's service variable stands for. */
function isServicePrefix(service: string): boolean {
  return /^[a-z0-9-]+$/.test(service) && serviceExists(service);
}

/** How far a wildcard in an ARN's resource part reaches, for one format it matches. */
export enum ResourceWildcard {
  /** No wildcard, or one that narrows inside a named resource (`arn:aws:s3:::b/*`). */
  NONE = 0,
  /** A wildcard inside the resource's name after a literal prefix (`table/orders-*`, `arn:aws:s3:::acme*`). */
  PREFIX = 1,
  /** Every resource of the type (`table/*`, `arn:aws:s3:::?*`, `arn:aws:s3:::*-logs/x`). */
  TYPE = 2,
}

/** Classifies the wildcard of an ARN's resource part against a format it matches. */
export function classifyWildcard(arn: ArnParts, f: ArnFormat): ResourceWildcard {
  const r = arn.resource;
  if (!WILD.test(r)) return ResourceWildcard.NONE;
  let i = 0;
  let j = 0;
  // The literal before the resource's name (`table/`) must be given literally.
  for (; j < f.tokens.length && 'lit' in f.tokens[j]; j++, i++) {
    if (i >= r.length) return ResourceWildcard.NONE;
    if (r[i] === '*' || r[i] === '?') return ResourceWildcard.TYPE;
  }
  // A service variable's format: what comes before the last variable says the kind of resource
  // (`${ResourceType}:` of `${ResourceType}:${RecoveryPointId}`). A wildcard that starts a kind
  // reaches every kind; one after a literal start is a prefix over kinds, as over names.
  if (f.anyService && j < f.tokens.length) {
    let last = f.tokens.length - 1;
    while (last > j && !('v' in f.tokens[last])) last--;
    for (; j < last; j++) {
      const t = f.tokens[j];
      if ('lit' in t) {
        if (i < r.length && (r[i] === '*' || r[i] === '?')) return ResourceWildcard.TYPE;
        i++;
        continue;
      }
      const stop = r.indexOf(t.end, i);
      const w = (stop < 0 ? r.slice(i) : r.slice(i, stop)).search(WILD);
      if (w === 0) return ResourceWildcard.TYPE;
      if (w > 0) return ResourceWildcard.PREFIX;
      if (stop < 0) return ResourceWildcard.NONE;
      i = stop;
    }
  }
  const name = f.tokens[j];
  if (name === undefined || !('v' in name)) return ResourceWildcard.TYPE;
  const rest = r.slice(i);
  // The format's own text for a collection (`phone-number/*`): that one resource.
  if (name.collection && rest === '*') return ResourceWildcard.NONE;
  const endAt = name.end === '' ? -1 : rest.indexOf(name.end);
  const segment = endAt < 0 ? rest : rest.slice(0, endAt);
  const w = segment.search(WILD);
  if (w < 0) return ResourceWildcard.NONE;
  if (w === 0) return ResourceWildcard.TYPE;
  // Secrets Manager appends '-' and six random characters to a secret's name: '-??????' names one secret.
  if (f.catalogService === 'secretsmanager' && /^[^*?]+-\?{6}$/.test(segment)) return ResourceWildcard.NONE;
  return ResourceWildcard.PREFIX;
}

/** Values of the format's variables as the ARN gives them (no wildcard matching: literal reading). */
export function bindVariables(arn: ArnParts, f: ArnFormat): Record<string, string> | undefined {
  const names: string[] = [];
  let src = '^';
  for (const t of f.tokens) {
    if ('lit' in t) src += t.lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else { names.push(t.v); src += t.noSlash ? '([^/]+)' : '(.+)'; }
  }
  const m = new RegExp(src + '$').exec(arn.resource);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  names.forEach((n, i) => { out[n] = m[i + 1]; });
  return out;
}

/**
 * The format filled with what is known: partition, region and account from `known`, variables
 * from `vars`; an unknown last variable after a known one is `*` (every object of a named
 * bucket), other unknowns are `<Name>`.
 */
export function fillFormat(f: ArnFormat, known: { partition?: string; region?: string; account?: string }, vars: Record<string, string>): string {
  let anyKnown = false;
  const varToks = f.tokens.filter((t) => 'v' in t);
  const res = f.tokens.map((t) => {
    if ('lit' in t) return t.lit;
    const v = vars[t.v];
    if (v !== undefined) { anyKnown = true; return v; }
    return anyKnown && t === varToks[varToks.length - 1] ? '*' : `<${t.v}>`;
  }).join('');
  const fill = (x: string, val: string | undefined, ph: string) => (x.startsWith('${') || x === '*' ? val || ph : x);
  const service = f.anyService ? `<${f.parts.service.slice(2, -1)}>` : f.parts.service;
  return ['arn', known.partition || 'aws', service, fill(f.parts.region, known.region, '<region>'), fill(f.parts.account, known.account, '<account>'), res].join(':');
}
