// Finds and reads the NHI registers of a synth output directory (cdktf `cdktf.out`, aws-cdk
// `cdk.out`), validating their version and shape. Every problem is an NhiInputError naming the
// file and what is wrong; the binary prints it without a stack trace and exits with code 2.
import * as fs from 'fs';
import * as path from 'path';
import { parseIsoDate } from '../core/dates';

/** The register versions this CLI reads. */
export const SUPPORTED_VERSIONS: readonly number[] = [1];
const REGISTER_FILE = 'nhi-register.json';
const SKIP_DIRS = new Set(['node_modules', '.terraform', '.git']);
const MAX_DEPTH = 6;

/** A bad input (missing directory, no register, unknown version, corrupt file): exit code 2. */
export class NhiInputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'NhiInputError';
  }
}

/** One identity as the CLI reads it from a register (see lib/core/register.ts). */
export interface NhiIdentity {
  readonly path: string;
  readonly kind: string;
  readonly cloud: string;
  readonly name: string;
  readonly owner: { readonly team: string; readonly contact: string };
  readonly purpose: string;
  readonly expires: string;
  readonly credentials: string;
  readonly rotation: { readonly days: number } | null;
  readonly scope: any[];
  readonly alarms: { readonly kind: string; readonly description: string; readonly notifies: string }[];
  readonly controls: string[];
  readonly details?: Record<string, any>;
  readonly system?: string | null;
  readonly environment?: string | null;
  readonly approval?: Record<string, any> | null;
  readonly vendor?: Record<string, any> | null;
  readonly reuseJustification?: string;
  /** The stack whose register listed it (not part of the file format). */
  readonly stack: string;
}

/** One waiver listed in a register (see lib/core/waivers.ts). */
export interface NhiWaiver {
  readonly code: string;
  readonly path?: string;
  readonly resourceType?: string;
  readonly owner?: { readonly team: string; readonly contact: string };
  readonly reason?: string;
  readonly expires: string;
  readonly stack: string;
}

/** One register file, validated. */
export interface LoadedRegister {
  /** The file, as a path relative to the current directory where possible. */
  readonly file: string;
  /** The stack (cdktf: its directory name; aws-cdk: the artifact id). */
  readonly stack: string;
  readonly version: number;
  readonly identities: NhiIdentity[];
  readonly waivers: NhiWaiver[];
}

/** Every register of one synth directory. */
export interface LoadedSynth {
  readonly dir: string;
  readonly registers: LoadedRegister[];
  readonly identities: NhiIdentity[];
  readonly waivers: NhiWaiver[];
}

function display(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

function isRegisterName(name: string): boolean {
  return name === REGISTER_FILE || name.endsWith(`.${REGISTER_FILE}`);
}

function stackOf(file: string): string {
  const base = path.basename(file);
  return base === REGISTER_FILE ? path.basename(path.dirname(file)) : base.slice(0, -(REGISTER_FILE.length + 1));
}

/**
 * The register files of a synth directory, sorted: cdktf `stacks/<stack>/nhi-register.json`,
 * aws-cdk `<artifact>.nhi-register.json` (also in nested assemblies). A register file may be
 * given directly.
 */
export function findRegisterFiles(dir: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new NhiInputError(`${dir}: no such directory. Give the synth output directory (cdktf.out or cdk.out) after running cdktf synth or cdk synth.`);
  }
  if (stat.isFile()) {
    if (isRegisterName(path.basename(dir))) return [dir];
    throw new NhiInputError(`${dir}: is a file, not a synth output directory or an ${REGISTER_FILE}.`);
  }
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (e) {
      throw new NhiInputError(`${d}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIP_DIRS.has(e.name)) walk(p, depth + 1);
      } else if (isRegisterName(e.name)) {
        out.push(p);
      }
    }
  };
  walk(dir, 0);
  return out.sort();
}

function fail(file: string, where: string, what: string): never {
  throw new NhiInputError(`${file}: ${where}${where ? ' ' : ''}${what}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

function validateIdentity(file: string, raw: unknown, i: number, stack: string): NhiIdentity {
  const at = `identities[${i}]`;
  if (!isObject(raw)) fail(file, at, `must be an object, got ${describe(raw)}.`);
  const where = typeof raw.path === 'string' ? `${at} (${raw.path})` : at;
  for (const f of ['path', 'kind', 'cloud', 'purpose', 'expires'] as const) {
    if (typeof raw[f] !== 'string' || raw[f] === '') fail(file, where, `"${f}" must be a non-empty string, got ${describe(raw[f])}.`);
  }
  if (parseIsoDate(raw.expires) === undefined) fail(file, where, `"expires" must be a YYYY-MM-DD date, got ${describe(raw.expires)}.`);
  const owner = raw.owner;
  if (!isObject(owner) || typeof owner.team !== 'string' || typeof owner.contact !== 'string') {
    fail(file, where, `"owner" must be { "team": string, "contact": string }, got ${describe(owner)}.`);
  }
  if (raw.scope !== undefined && !Array.isArray(raw.scope)) fail(file, where, `"scope" must be a list, got ${describe(raw.scope)}.`);
  if (raw.alarms !== undefined && !Array.isArray(raw.alarms)) fail(file, where, `"alarms" must be a list, got ${describe(raw.alarms)}.`);
  const rot = raw.rotation;
  if (rot !== undefined && rot !== null && !(isObject(rot) && typeof rot.days === 'number')) {
    fail(file, where, `"rotation" must be null or { "days": number }, got ${describe(rot)}.`);
  }
  if (raw.credentials !== undefined && typeof raw.credentials !== 'string') fail(file, where, `"credentials" must be a string, got ${describe(raw.credentials)}.`);
  if (raw.details !== undefined && raw.details !== null && !isObject(raw.details)) fail(file, where, `"details" must be an object, got ${describe(raw.details)}.`);
  const alarms = (raw.alarms ?? []) as unknown[];
  alarms.forEach((a, j) => {
    if (!isObject(a) || typeof a.kind !== 'string') fail(file, where, `"alarms[${j}]" must be { "kind": string, ... }, got ${describe(a)}.`);
  });
  return {
    ...(raw as any),
    name: typeof raw.name === 'string' ? raw.name : '',
    credentials: (raw.credentials as string | undefined) ?? 'none',
    rotation: (rot as { days: number } | null | undefined) ?? null,
    scope: (raw.scope as unknown[] | undefined) ?? [],
    alarms: alarms as NhiIdentity['alarms'],
    controls: Array.isArray(raw.controls) ? raw.controls : [],
    stack,
  };
}

function validateWaiver(file: string, raw: unknown, i: number, stack: string): NhiWaiver {
  const at = `waivers[${i}]`;
  if (!isObject(raw)) fail(file, at, `must be an object, got ${describe(raw)}.`);
  if (typeof raw.code !== 'string') fail(file, at, `"code" must be a string, got ${describe(raw.code)}.`);
  if (parseIsoDate(raw.expires) === undefined) fail(file, at, `"expires" must be a YYYY-MM-DD date, got ${describe(raw.expires)}.`);
  return { ...(raw as any), stack };
}

/** Parses and validates one register file's text. */
export function parseRegister(text: string, file: string, stack = stackOf(file)): LoadedRegister {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new NhiInputError(`${file}: is not valid JSON (${(e as Error).message}). Re-run the synth; if it persists, the file was edited or truncated.`);
  }
  if (!isObject(json)) fail(file, '', `is not an NHI register: expected { "version": 1, "identities": [...] }, got ${describe(json)}.`);
  const version = json.version;
  if (version === undefined) fail(file, '', 'is not an NHI register: it has no "version".');
  if (typeof version !== 'number' || !SUPPORTED_VERSIONS.includes(version)) {
    fail(file, '', `has register version ${describe(version)}, which this nhi does not read (it reads version ${SUPPORTED_VERSIONS.join(', ')}). Use the nhi of the nhi-constructs release that wrote it.`);
  }
  if (!Array.isArray(json.identities)) fail(file, '', `is not an NHI register: "identities" must be a list, got ${describe(json.identities)}.`);
  if (json.waivers !== undefined && !Array.isArray(json.waivers)) fail(file, '', `"waivers" must be a list, got ${describe(json.waivers)}.`);
  const identities = json.identities.map((x, i) => validateIdentity(file, x, i, stack));
  const waivers = ((json.waivers ?? []) as unknown[]).map((x, i) => validateWaiver(file, x, i, stack));
  return { file, stack, version, identities, waivers };
}

/** Reads one register file. */
export function loadRegisterFile(file: string): LoadedRegister {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new NhiInputError(`${display(file)}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  return parseRegister(text, display(file));
}

/**
 * Every register of a synth directory. A directory without any register is an error unless
 * `allowEmpty` (e.g. the base of a pull request that adds the first governed identity).
 */
export function loadSynth(dir: string, options: { allowEmpty?: boolean } = {}): LoadedSynth {
  const files = findRegisterFiles(dir);
  if (files.length === 0 && !options.allowEmpty) {
    throw new NhiInputError(`${dir}: no ${REGISTER_FILE} found. Looked for stacks/<stack>/${REGISTER_FILE} (cdktf) and <stack>.${REGISTER_FILE} (aws-cdk). ` +
      'Run cdktf synth or cdk synth first, and give its output directory; stacks without governed identities write no register.');
  }
  const registers = files.map(loadRegisterFile);
  const seen = new Map<string, string>();
  for (const r of registers) {
    for (const i of r.identities) {
      const other = seen.get(i.path);
      if (other !== undefined) throw new NhiInputError(`${r.file}: identity ${i.path} is also listed in ${other}; give one synth output directory, not a parent of several.`);
      seen.set(i.path, r.file);
    }
  }
  return {
    dir,
    registers,
    identities: registers.flatMap((r) => r.identities),
    waivers: registers.flatMap((r) => r.waivers),
  };
}
