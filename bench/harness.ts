// Benchmark harness. Every measured run is a fresh Node process (clean heap, its own peak RSS
// from the operating system's accounting, read the same way for both sides). Two cases are
// compared in interleaved pairs (A B, B A, A B, ...: drift of a shared machine hits both sides
// alike), after one uncounted warm-up of each; the table gives medians with min–max and the
// median of the per-pair ratios. The repetition count is an option (`--reps 3` for a quick
// look; 9 by default). The load average is recorded before and after, and a loaded machine is
// said so in the output.
import { execFileSync, spawnSync } from 'child_process';
import { createRequire } from 'module';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** What one run of a case measured. */
export interface CaseResult {
  /** Time of the timed part (the case's inner function), in milliseconds. */
  readonly ms: number;
  /**
   * Processor time (user + system, every thread of the process: includes parallel garbage
   * collection) of the timed part, in milliseconds: steadier than wall time on a loaded machine.
   */
  readonly cpuMs: number;
  /** Peak resident set size of the whole process (getrusage maxrss), in MB. */
  readonly peakRssMb: number;
}

/** Median, minimum and maximum of a series. */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** One case to run: a benchmark file and one of its cases, with extra arguments. */
export interface CaseSpec {
  readonly file: string;
  readonly name: string;
  readonly args?: string[];
  /** Run with plain `node` (the file is JavaScript) instead of `node --import tsx`. */
  readonly plain?: boolean;
  /**
   * Keep source maps on in the child, as `ts-node` (cdktf's and the AWS CDK's TypeScript app
   * template) and tsx have them. Off by default: a case runs as compiled JavaScript under plain
   * `node` does (tsx's loader turns them on; the child turns them off before the case).
   */
  readonly sourceMaps?: boolean;
}

/** The result of an A/B comparison. */
export interface Comparison {
  readonly title: string;
  readonly reps: number;
  readonly a: { readonly ms: Stats; readonly cpuMs: Stats; readonly rss: Stats };
  readonly b: { readonly ms: Stats; readonly cpuMs: Stats; readonly rss: Stats };
  /** Per-pair ratio A/B of the (wall) times. */
  readonly ratio: Stats;
  /** Per-pair ratio A/B of the processor times. */
  readonly cpuRatio: Stats;
  /** Per-pair ratio A/B of the peak RSS. */
  readonly rssRatio: Stats;
  readonly target?: number;
  readonly ok?: boolean;
  /** Identities (or other units) per run, for a per-unit cost. */
  readonly units?: number;
}

const MARK = 'BENCH_RESULT ';
const ROOT = path.join(__dirname, '..');

/**
 * Requires a compiled module of the library (`lib/cli/load.js`). A plain `require` from a
 * benchmark file would go through the tsx loader, which hands a TypeScript file the `.ts` source
 * in place of the `.js` it names; requiring from the package root loads the compiled files.
 */
const fromRoot = createRequire(path.join(ROOT, 'package.json'));
export function requireCompiled(file: string): any {
  return fromRoot(`./${file}`);
}

/** Every comparison of this process, in order (bench/run.ts renders them as a table). */
export const comparisons: Comparison[] = [];

/** The number after `name` in this process's arguments (`--n 1000`), else `fallback`. */
export function argNumber(name: string, fallback: number): number {
  const v = argValue(name);
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isFinite(n)) throw new Error(`${name} needs a number, got ${JSON.stringify(v)}`);
  return n;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Repetitions per side: `--reps N`, else NHI_BENCH_REPS, else 9. */
export function repetitions(): number {
  const v = Number(argValue('--reps') ?? process.env.NHI_BENCH_REPS ?? 9);
  return Number.isInteger(v) && v > 0 ? v : 9;
}

/**
 * Sizes of a scaling series: `--sizes 100,1000`, else `quick` under `--quick`, else `full`.
 */
export function seriesSizes(full: number[], quick: number[]): number[] {
  const v = argValue('--sizes');
  if (v !== undefined) {
    const sizes = v.split(',').map((x) => Number(x.trim()));
    if (sizes.every((n) => Number.isInteger(n) && n > 0)) return sizes;
    throw new Error(`--sizes must be a comma-separated list of whole numbers, got ${JSON.stringify(v)}`);
  }
  return process.argv.includes('--quick') ? quick : full;
}

/** Statistics of a series. */
export function stats(xs: number[]): Stats {
  const s = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

/**
 * The compiled library must be there and current: the benchmarks measure the JavaScript a user
 * runs (`npx projen compile` writes it beside the sources).
 */
export function assertCompiled(...modules: string[]): void {
  for (const m of modules) {
    const js = path.join(ROOT, `${m}.js`);
    const ts = path.join(ROOT, `${m}.ts`);
    if (!fs.existsSync(js)) throw new Error(`${m}.js is missing: run \`npx projen compile\` before the benchmarks (they measure the compiled library).`);
    if (fs.existsSync(ts) && fs.statSync(ts).mtimeMs > fs.statSync(js).mtimeMs) {
      throw new Error(`${m}.js is older than ${m}.ts: run \`npx projen compile\` before the benchmarks.`);
    }
  }
}

/** Runs one case once in a fresh process. */
export function runOnce(spec: CaseSpec): CaseResult {
  const argv = [...(spec.plain ? [] : ['--import', 'tsx']), '--expose-gc', spec.file, '--case', spec.name, ...(spec.args ?? [])];
  const r = spawnSync(process.execPath, argv, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NHI_TODAY: process.env.NHI_TODAY ?? '2026-11-23', NHI_BENCH_SOURCE_MAPS: spec.sourceMaps ? 'on' : 'off' },
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(MARK));
  if (r.status !== 0 || !line) {
    throw new Error(`bench case ${spec.name} of ${spec.file} failed (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
  }
  return JSON.parse(line.slice(MARK.length)) as CaseResult;
}

/**
 * A benchmark case: its outer function prepares (loads modules, builds inputs) untimed and
 * returns the function that is timed.
 */
export type BenchCase = () => () => void;

/**
 * In a child process: if `--case` names one of `cases`, prepares it, times it, prints its
 * result and returns true.
 */
export function childMain(cases: Record<string, BenchCase>): boolean {
  const name = argValue('--case');
  if (name === undefined) return false;
  const prepare = cases[name];
  if (!prepare) throw new Error(`unknown case ${name}; known: ${Object.keys(cases).join(', ')}`);
  // Stack traces are mapped through source maps only when the spec asks (see CaseSpec.sourceMaps).
  process.setSourceMapsEnabled(process.env.NHI_BENCH_SOURCE_MAPS === 'on');
  const fn = prepare();
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  printResult(ms, (cpu.user + cpu.system) / 1000);
  return true;
}

/** Prints a child's result line (for cases written as plain scripts). */
export function printResult(ms: number, cpuMs: number): void {
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${MARK}${JSON.stringify({ ms: Math.round(ms * 10) / 10, cpuMs: Math.round(cpuMs * 10) / 10, peakRssMb: Math.round(peakRssMb * 10) / 10 })}\n`);
}

function fmt(s: Stats, digits = 0): string {
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/**
 * Compares A with B in interleaved pairs (the order alternates each pair), after one warm-up run
 * of each; prints one line and records the comparison.
 */
export function compare(title: string, a: CaseSpec, b: CaseSpec, options: { target?: number; units?: number; reps?: number } = {}): Comparison {
  const reps = options.reps ?? repetitions();
  runOnce(a);
  runOnce(b);
  const as: CaseResult[] = [];
  const bs: CaseResult[] = [];
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) {
      as.push(runOnce(a));
      bs.push(runOnce(b));
    } else {
      bs.push(runOnce(b));
      as.push(runOnce(a));
    }
  }
  const ratio = stats(as.map((x, i) => x.ms / bs[i].ms));
  const c: Comparison = {
    title,
    reps,
    a: { ms: stats(as.map((x) => x.ms)), cpuMs: stats(as.map((x) => x.cpuMs)), rss: stats(as.map((x) => x.peakRssMb)) },
    b: { ms: stats(bs.map((x) => x.ms)), cpuMs: stats(bs.map((x) => x.cpuMs)), rss: stats(bs.map((x) => x.peakRssMb)) },
    ratio,
    cpuRatio: stats(as.map((x, i) => x.cpuMs / bs[i].cpuMs)),
    rssRatio: stats(as.map((x, i) => x.peakRssMb / bs[i].peakRssMb)),
    ...(options.target !== undefined ? { target: options.target, ok: ratio.median <= options.target } : {}),
    ...(options.units !== undefined ? { units: options.units } : {}),
  };
  comparisons.push(c);
  console.log(
    `${title}\n    A ${fmt(c.a.ms)} ms, peak RSS ${fmt(c.a.rss)} MB | B ${fmt(c.b.ms)} ms, peak RSS ${fmt(c.b.rss)} MB` +
    ` | A/B time ${fmt(c.ratio, 2)}, cpu ${fmt(c.cpuRatio, 2)}, RSS ${fmt(c.rssRatio, 2)}` +
    `${options.units ? ` | per unit ${(c.a.ms.median / options.units).toFixed(3)} vs ${(c.b.ms.median / options.units).toFixed(3)} ms` : ''}` +
    `${c.target !== undefined ? ` | target <= ${c.target}: ${c.ok ? 'OK' : 'OVER'}` : ''}`,
  );
  return c;
}

/** Load average and processor count, and whether the machine was busy. */
export function loadNote(): { text: string; loaded: boolean; loadavg: number[]; cpus: number } {
  const loadavg = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const cpus = os.cpus().length;
  const loaded = loadavg[0] > cpus * 0.5;
  return {
    text: `load average ${loadavg.join(' / ')} (1/5/15 min) on ${cpus} processors${loaded ? ' — the machine was LOADED: trust ratios and medians more than absolute times' : ''}`,
    loaded,
    loadavg,
    cpus,
  };
}

/** An untimed child case that writes files: the temporary folder of a benchmark. */
export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A plain JavaScript child that times `require` of some modules (import cost is what a TypeScript
 * loader would distort) and prints the harness's result line. `reads` names, per module, the
 * exported names to read after requiring it (lazily loaded classes).
 */
export function importScript(dir: string, name: string, modules: string[], reads: Map<string, string[]> = new Map()): string {
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(file, [
    `if (process.argv.includes('--case')) {`,
    '  const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint();',
    // Absolute paths as given (resolving them here, under tsx, would name the .ts source).
    ...modules.map((m) => `  { const x = require(${JSON.stringify(path.isAbsolute(m) ? m : require.resolve(m, { paths: [ROOT] }))}); ` +
      `${(reads.get(m) ?? []).map((n) => `x.${n};`).join(' ')} }`),
    '  const ms = Number(process.hrtime.bigint() - t0) / 1e6; const c = process.cpuUsage(c0);',
    "  process.stdout.write('BENCH_RESULT ' + JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\\n');",
    '}',
  ].join('\n'));
  return file;
}

/**
 * The files of some packages that a compiled module of the library requires itself (the first
 * require of each), in load order, read from a plain `node` process that requires the module:
 * requiring these loads exactly the files of those packages that the import loads, so the
 * baseline of an import comparison follows the library's imports as they change (a hand-kept
 * list went stale). `packages` matches a file's path below node_modules
 * (`/^(cdktf|constructs|@cdktf)\//`).
 */
export function packageFilesRequiredBy(file: string, packages: RegExp): string[] {
  const script = `require(${JSON.stringify(path.join(ROOT, file))});` +
    'process.stdout.write(JSON.stringify(Object.values(require.cache).map((m) => [m.id, m.parent ? m.parent.id : null])));';
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as [string, string | null][];
  const inPackages = (f: string | null) => {
    const i = f === null ? -1 : f.lastIndexOf(`${path.sep}node_modules${path.sep}`);
    return i >= 0 && packages.test(f!.slice(i + '/node_modules/'.length).split(path.sep).join('/'));
  };
  return loaded.filter(([f, parent]) => inPackages(f) && !inPackages(parent)).map(([f]) => f);
}
