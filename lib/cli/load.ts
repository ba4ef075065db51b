// Finds and reads the NHI registers of a synth output directory (cdktf `cdktf.out`, aws-cdk
// `cdk.out`), validating them against the published JSON Schema (nhi-register.schema.json, with
// ajv). Every problem is an NhiInputError naming the file, the JSON path and what is wrong; the
// binary prints it on one line without a stack trace and exits with code 2.
import * as fs from 'fs';
import * as path from 'path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parseIsoDate } from '../core/dates';
import { RegisterReadError } from '../core/private/register-read-error';
import { checkRegisterShared, entryHeadline, expandEntryShared, expandRegisterShared, expandScopeShared, REGISTER_VERSIONS } from '../core/register';

/** The register versions this CLI reads (version 2 is expanded to version 1's entries on reading). */
export const SUPPORTED_VERSIONS: readonly number[] = REGISTER_VERSIONS;
const REGISTER_FILE = 'nhi-register.json';
const SKIP_DIRS = new Set(['node_modules', '.terraform', '.git']);
const MAX_DEPTH = 6;
/** Largest register file read (a register of 10,000 identities is about 18 MB in version 1, 5 MB in version 2). */
export const MAX_REGISTER_BYTES = 256 * 1024 * 1024;
/** The JSON Schema of the register, shipped beside this file (published for other readers of registers). */
export const REGISTER_SCHEMA_FILE = path.join(__dirname, 'nhi-register.schema.json');

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
  /** What the artifact holds beyond the declaration, accepted by a waiver (see lib/core/register.ts). */
  readonly accepted?: { readonly code: string; readonly source: string; readonly resourceType: string; readonly attribute: string; readonly message: string; readonly waiver: { readonly reason: string; readonly expires: string; readonly owner: string } }[];
  /**
   * The stack whose register listed it (not part of the file format): its name, or where two
   * registers of one synth have the same name, its location (`assembly-Prod/Billing`).
   */
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
  let s: string;
  try {
    s = JSON.stringify(v);
  } catch {
    s = Array.isArray(v) ? '[...]' : '{...}';
  }
  s = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

let validator: ValidateFunction | undefined;

/**
 * The schema's validator: ajv code generated ahead of time from nhi-register.schema.json (a test
 * keeps it in step), so `nhi` does not compile the schema on every run.
 */
function registerValidator(): ValidateFunction {
  validator ??= require('./private/register-validator') as ValidateFunction;
  return validator;
}

const ARTICLE: Record<string, string> = {
  object: 'an object', array: 'a list', string: 'a string', integer: 'a whole number', number: 'a number', null: 'null', boolean: 'true or false',
};

/** `/identities/3/scope/0/actions/1` -> `identities[3].scope[0].actions[1]`. */
function jsonPath(pointer: string): string {
  let out = '';
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(key) ? `[${key}]` : out === '' ? key : `.${key}`;
  }
  return out;
}

function valueAt(root: unknown, pointer: string): unknown {
  let v: any = root;
  for (const part of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

/** One line for the most specific schema error: where (JSON path, identity path), what, what was given. */
function schemaMessage(json: unknown, errors: ErrorObject[]): { where: string; what: string } {
  const concrete = errors.filter((e) => !['oneOf', 'anyOf', 'allOf', 'if', '$ref'].includes(e.keyword));
  const pointerOf = (e: ErrorObject) => (e.keyword === 'required' ? `${e.instancePath}/${(e.params as any).missingProperty}` : e.instancePath);
  const depth = (e: ErrorObject) => pointerOf(e).split('/').length;
  const pool = concrete.length > 0 ? concrete : errors;
  const deepest = Math.max(...pool.map(depth));
  const at = pool.filter((e) => depth(e) === deepest);
  const e = at.find((x) => x.keyword !== 'type') ?? at[0];
  const pointer = pointerOf(e);
  const m = /^\/identities\/(\d+)/.exec(pointer);
  const identityPath = m ? valueAt(json, `/identities/${m[1]}/path`) : undefined;
  const where = `${jsonPath(pointer)}${typeof identityPath === 'string' ? ` (identity ${describe(identityPath).slice(1, -1)})` : ''}`;
  const given = valueAt(json, pointer);
  const p = e.params as any;
  let what: string;
  switch (e.keyword) {
    case 'type': {
      const types = [...new Set(at.filter((x) => x.keyword === 'type').flatMap((x) => String((x.params as any).type).split(',')))];
      what = `must be ${types.map((t) => ARTICLE[t] ?? t).join(' or ')}`;
      break;
    }
    case 'required': what = 'is missing'; break;
    case 'minLength': what = 'must not be empty'; break;
    case 'pattern': what = /\[0-9\]\{4\}/.test(String(p.pattern)) ? 'must be a YYYY-MM-DD date' : `must match ${p.pattern}`; break;
    case 'minimum': what = `must be at least ${p.limit}`; break;
    case 'minItems': what = `must list at least ${p.limit} ${p.limit === 1 ? 'entry' : 'entries'}`; break;
    case 'const': what = `must be ${JSON.stringify(p.allowedValue)}`; break;
    default: what = e.message ?? 'is not valid';
  }
  return { where, what: `${what}, got ${describe(given)}.` };
}

/** The identity with the loader's defaults, in place (the object is this parse's own). */
function identityOf(raw: Record<string, any>, stack: string): NhiIdentity {
  if (typeof raw.name !== 'string') raw.name = '';
  raw.credentials ??= 'none';
  raw.rotation ??= null;
  raw.scope ??= [];
  raw.alarms ??= [];
  raw.controls ??= [];
  raw.stack = stack;
  return raw as NhiIdentity;
}

/** Parses and validates one register file's text. */
export function parseRegister(text: string, file: string, stack = stackOf(file)): LoadedRegister {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new NhiInputError(`${file}: is not valid JSON (${(e as Error).message}). Re-run the synth; if it persists, the file was edited or truncated.`);
  }
  if (!isObject(json)) fail(file, '', `is not an NHI register: expected { "version": 2, "owners": {...}, "identities": [...] }, got ${describe(json)}.`);
  const version = json.version;
  if (version === undefined) fail(file, '', 'is not an NHI register: it has no "version".');
  if (typeof version !== 'number' || !SUPPORTED_VERSIONS.includes(version)) {
    fail(file, '', `has register version ${describe(version)}, which this nhi does not read (it reads version${SUPPORTED_VERSIONS.length > 1 ? 's' : ''} ${SUPPORTED_VERSIONS.join(', ')}). Use the nhi of the nhi-constructs release that wrote it.`);
  }
  if (!Array.isArray(json.identities)) fail(file, '', `is not an NHI register: "identities" must be a list, got ${describe(json.identities)}.`);
  let valid: boolean;
  const validate = registerValidator();
  try {
    valid = validate(json) as boolean;
  } catch (e) {
    if (e instanceof RangeError) fail(file, '', 'is nested too deeply to be an NHI register.');
    throw e;
  }
  if (!valid) {
    const { where, what } = schemaMessage(json, validate.errors ?? []);
    fail(file, where, what);
  }
  // What a schema cannot say: dates that exist, owners that the table lists.
  (json.identities as Record<string, any>[]).forEach((raw, i) => {
    if (parseIsoDate(raw.expires) === undefined) fail(file, `identities[${i}].expires (identity ${describe(raw.path).slice(1, -1)})`, `must be a YYYY-MM-DD date, got ${describe(raw.expires)}.`);
  });
  const compact = version === 2;
  let expanded: ReturnType<typeof expandRegisterShared> | undefined;
  try {
    // The CLI owns this parse and never changes an identity's parts: a shared expansion. A
    // version-2 register is only checked here (what its expansion would reject, rejected now) and
    // expanded identity by identity when first needed (see `identitySource`).
    if (compact) checkRegisterShared(json);
    else expanded = expandRegisterShared(json);
  } catch (e) {
    if (e instanceof RegisterReadError) {
      const m = /^identities\[(\d+)\]/.exec(e.where);
      const p = m ? (json.identities as any[])[Number(m[1])]?.path : undefined;
      fail(file, '', `${e.where}${typeof p === 'string' ? ` (identity ${describe(p).slice(1, -1)})` : ''} ${e.message.slice(e.where.length).trim()}`);
    }
    throw e;
  }
  const waivers = ((json.waivers ?? []) as Record<string, any>[]).map((raw, i) => {
    if (parseIsoDate(raw.expires) === undefined) fail(file, `waivers[${i}].expires`, `must be a YYYY-MM-DD date, got ${describe(raw.expires)}.`);
    return { ...(raw as any), stack } as NhiWaiver;
  });
  if (expanded) return { file, stack, version, identities: expanded.identities.map((raw) => identityOf(raw, stack)), waivers };
  return compactRegister(file, stack, version, json, waivers);
}

/** A version-2 register read but not expanded yet: its parse, and the identities expanded so far. */
interface CompactRegister {
  readonly json: Record<string, any>;
  readonly entries: Record<string, any>[];
  readonly owners: Record<string, any>;
  readonly stack: string;
  readonly expanded: (NhiIdentity | undefined)[];
}

/** Registers whose `identities` are expanded on first use. */
const compactRegisters = new WeakMap<LoadedRegister, CompactRegister>();

function expandOne(c: CompactRegister, i: number): NhiIdentity {
  return (c.expanded[i] ??= identityOf(expandEntryShared(c.json, i), c.stack));
}

/**
 * Defines `name` on `target` as a property computed on first read (then an ordinary property
 * with that value): enumerable and in its place among the keys, as if it had been set.
 */
function lazyProperty<T>(target: object, name: string, compute: () => T): void {
  Object.defineProperty(target, name, {
    enumerable: true,
    configurable: true,
    get() {
      const value = compute();
      Object.defineProperty(target, name, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
  });
}

function compactRegister(file: string, stack: string, version: number, json: Record<string, any>, waivers: NhiWaiver[]): LoadedRegister {
  const entries = json.identities as Record<string, any>[];
  const c: CompactRegister = { json, entries, owners: json.owners, stack, expanded: new Array(entries.length) };
  const register = { file, stack, version } as LoadedRegister;
  lazyProperty(register, 'identities', () => entries.map((_, i) => expandOne(c, i)));
  (register as { waivers: NhiWaiver[] }).waivers = waivers;
  compactRegisters.set(register, c);
  return register;
}

/** Reads one register file. */
export function loadRegisterFile(file: string): LoadedRegister {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_REGISTER_BYTES) {
      throw new NhiInputError(`${display(file)}: is ${(size / 1024 / 1024).toFixed(0)} MB, larger than any NHI register nhi reads (${MAX_REGISTER_BYTES / 1024 / 1024} MB).`);
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof NhiInputError) throw e;
    throw new NhiInputError(`${display(file)}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  return parseRegister(text, display(file));
}

/**
 * Registers of one synth with the same stack name (two assemblies with a `Billing` stack) are
 * named by their location instead, so that nothing keyed by stack merges them.
 */
function keepStacksApart(dir: string, registers: LoadedRegister[]): LoadedRegister[] {
  const count = new Map<string, number>();
  for (const r of registers) count.set(r.stack, (count.get(r.stack) ?? 0) + 1);
  if (registers.every((r) => count.get(r.stack) === 1)) return registers;
  return registers.map((r) => {
    if (count.get(r.stack) === 1) return r;
    const rel = path.relative(dir, path.resolve(r.file));
    const where = rel === '' || rel.startsWith('..') ? r.file : rel;
    const located = path.basename(where) === REGISTER_FILE ? path.dirname(where) : path.join(path.dirname(where), stackOf(where));
    const stack = located.split(path.sep).join('/');
    return { ...r, stack, identities: r.identities.map((i) => ({ ...i, stack })), waivers: r.waivers.map((w) => ({ ...w, stack })) };
  });
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
  return synthOf(dir, keepStacksApart(dir, files.map(loadRegisterFile)));
}

/**
 * The synth of these registers (read from `dir`): its identities (an identity listed by two
 * registers is an input error) and waivers.
 */
export function synthOf(dir: string, registers: LoadedRegister[]): LoadedSynth {
  // Every identity's position in the synth, by path (kept for `nhi diff`, see identitySource).
  const positions = new Map<string, number>();
  const starts: number[] = [];
  for (const r of registers) {
    starts.push(positions.size);
    const c = compactRegisters.get(r);
    const list: { readonly path: string }[] = c ? c.entries as { path: string }[] : r.identities;
    for (let n = 0; n < list.length; n++) {
      const p = list[n].path;
      const other = positions.get(p);
      if (other !== undefined) {
        let k = starts.length - 1;
        while (starts[k] > other) k--;
        throw new NhiInputError(`${r.file}: identity ${p} is also listed in ${registers[k].file}; give one synth output directory, not a parent of several.`);
      }
      positions.set(p, positions.size);
    }
  }
  const synth = { dir, registers } as LoadedSynth;
  lazyProperty(synth, 'identities', () => registers.flatMap((r) => r.identities));
  (synth as { waivers: NhiWaiver[] }).waivers = registers.flatMap((r) => r.waivers);
  synthPositions.set(synth, positions);
  return synth;
}

/** The positions of the identities of a synth from `synthOf`, by path. */
const synthPositions = new WeakMap<LoadedSynth, ReadonlyMap<string, number>>();

/**
 * The identities of a synth (or any list of identities) as `nhi diff` reads them: by position,
 * each expanded only when first needed; an identity of a version-2 register not expanded yet can
 * be compared in its compact form (see `compactEntry`).
 */
export interface IdentitySource {
  readonly length: number;
  /** The path of identity `i` (without expanding it). */
  path(i: number): string;
  /** Identity `i`, expanded. */
  get(i: number): NhiIdentity;
  /** The compact version-2 entry of identity `i` if it has one (undefined: see `get`). */
  compactEntry(i: number): Record<string, any> | undefined;
  /** The owner table of that entry's register. */
  owners(i: number): Record<string, any>;
  /** Identity `i`'s scope as its expansion has it (expanding only the scope). */
  scope(i: number): any[];
  /** The fields of identity `i` that name it in a diff, as its expansion has them. */
  headline(i: number): Pick<NhiIdentity, 'path' | 'cloud' | 'kind' | 'purpose' | 'owner'>;
  /** Positions by path (the last of a path wins, as in `new Map(pairs)`). Not to be changed. */
  byPath(): ReadonlyMap<string, number>;
}

function positionsByPath(source: IdentitySource): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < source.length; i++) out.set(source.path(i), i);
  return out;
}

class ExpandedSource implements IdentitySource {
  public readonly length: number;
  public constructor(private readonly identities: readonly NhiIdentity[]) {
    this.length = identities.length;
  }
  public path(i: number): string {
    return this.identities[i].path;
  }
  public get(i: number): NhiIdentity {
    return this.identities[i];
  }
  public compactEntry(_i: number): undefined {
    return undefined;
  }
  public owners(_i: number): Record<string, any> {
    return {};
  }
  public scope(i: number): any[] {
    return this.identities[i].scope;
  }
  public headline(i: number): NhiIdentity {
    return this.identities[i];
  }
  public byPath(): ReadonlyMap<string, number> {
    return positionsByPath(this);
  }
}

/** One register's identities in a {@link SynthSource}: compact (version 2, not read yet) or expanded. */
interface SourcePart {
  /** Position of its first identity in the synth. */
  readonly start: number;
  /** Its identities as read, or its compact entries. */
  readonly list: readonly any[];
  readonly compact?: CompactRegister;
}

/** The identities of a loaded synth, register by register (compact or expanded). */
class SynthSource implements IdentitySource {
  public readonly length: number;
  private readonly parts: SourcePart[] = [];
  private readonly positions?: ReadonlyMap<string, number>;
  /** @param positions the synth's positions by path from loading (no path twice), if known */
  public constructor(registers: readonly LoadedRegister[], positions?: ReadonlyMap<string, number>) {
    let start = 0;
    for (const r of registers) {
      const c = compactRegisters.get(r);
      // A register whose identities were read is read as they are now (a caller may have changed them).
      const lazy = c !== undefined && Object.getOwnPropertyDescriptor(r, 'identities')?.get !== undefined;
      const list: readonly any[] = lazy ? c.entries : r.identities;
      this.parts.push(lazy ? { start, list, compact: c } : { start, list });
      start += list.length;
    }
    this.length = start;
    // Valid while every register is as loaded (compact): a register's identities read may have been changed.
    if (this.parts.every((p) => p.compact !== undefined)) this.positions = positions;
  }
  private part(i: number): SourcePart {
    const ps = this.parts;
    if (ps.length === 1) return ps[0];
    let lo = 0;
    let hi = ps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ps[mid].start <= i) lo = mid;
      else hi = mid - 1;
    }
    return ps[lo];
  }
  public path(i: number): string {
    const p = this.part(i);
    return p.list[i - p.start].path;
  }
  public get(i: number): NhiIdentity {
    const p = this.part(i);
    return p.compact === undefined ? p.list[i - p.start] : expandOne(p.compact, i - p.start);
  }
  public compactEntry(i: number): Record<string, any> | undefined {
    const p = this.part(i);
    return p.compact === undefined ? undefined : p.list[i - p.start];
  }
  public owners(i: number): Record<string, any> {
    return this.part(i).compact?.owners ?? {};
  }
  public scope(i: number): any[] {
    const p = this.part(i);
    const item = p.list[i - p.start];
    // What identityOf makes of an expanded entry's scope.
    return p.compact === undefined ? item.scope : (expandScopeShared(item.scope) ?? []) as any[];
  }
  public headline(i: number): Pick<NhiIdentity, 'path' | 'cloud' | 'kind' | 'purpose' | 'owner'> {
    const p = this.part(i);
    const item = p.list[i - p.start];
    return p.compact === undefined ? item : entryHeadline(item, p.compact.owners);
  }
  public byPath(): ReadonlyMap<string, number> {
    return this.positions ?? positionsByPath(this);
  }
}

/**
 * The identities of `synth` for `nhi diff`: a synth from `loadSynth` whose identities have not
 * been read yet keeps its version-2 entries compact; anything else is read from `identities`.
 */
export function identitySource(synth: { readonly identities: NhiIdentity[]; readonly registers?: readonly LoadedRegister[] }): IdentitySource {
  const d = Object.getOwnPropertyDescriptor(synth, 'identities');
  // Still lazy (never read): the registers are the identities.
  return d && d.get && synth.registers ? new SynthSource(synth.registers, synthPositions.get(synth as LoadedSynth)) : new ExpandedSource(synth.identities);
}
