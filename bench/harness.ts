// Benchmark harness: every case runs in its own Node process (clean heap, honest peak RSS),
// and every benchmark compares against a bare baseline measured in the same run, so the
// printed ratios hold on a noisy shared machine where absolute times do not.
import { spawnSync } from 'child_process';
import * as path from 'path';

/** What one case measured. */
export interface CaseResult {
  readonly ms: number;
  readonly peakRssMb: number;
}

const MARK = 'BENCH_RESULT ';

/**
 * Runs `file` with `--case name` in a fresh process `runs` times and keeps the fastest run
 * (the least disturbed by other load) and the largest peak RSS.
 */
export function runCase(file: string, name: string, runs = 3, extraArgs: string[] = []): CaseResult {
  let best: CaseResult | undefined;
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file, '--case', name, ...extraArgs], {
      cwd: path.join(__dirname, '..'),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NHI_TODAY: process.env.NHI_TODAY ?? '2026-11-23' },
    });
    const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(MARK));
    if (r.status !== 0 || !line) {
      throw new Error(`bench case ${name} of ${file} failed (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
    }
    const res = JSON.parse(line.slice(MARK.length)) as CaseResult;
    best = !best ? res : { ms: Math.min(best.ms, res.ms), peakRssMb: Math.max(best.peakRssMb, res.peakRssMb) };
  }
  return best!;
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
  const i = process.argv.indexOf('--case');
  if (i < 0) return false;
  const name = process.argv[i + 1];
  const prepare = cases[name];
  if (!prepare) throw new Error(`unknown case ${name}; known: ${Object.keys(cases).join(', ')}`);
  const fn = prepare();
  const start = process.hrtime.bigint();
  fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${MARK}${JSON.stringify({ ms: Math.round(ms), peakRssMb: Math.round(peakRssMb) })}\n`);
  return true;
}

/** Prints one comparison line: `name  subject X ms / baseline Y ms = ratio (target <= T)`. */
export function report(title: string, subject: CaseResult, baseline: CaseResult, target: number): { ratio: number; ok: boolean } {
  const ratio = subject.ms / baseline.ms;
  const ok = ratio <= target;
  console.log(
    `${title.padEnd(52)} ${String(subject.ms).padStart(6)} ms vs ${String(baseline.ms).padStart(6)} ms  ratio ${ratio.toFixed(2)} ` +
    `(target <= ${target}) ${ok ? 'OK' : 'OVER'}   peak RSS ${subject.peakRssMb} MB vs ${baseline.peakRssMb} MB`,
  );
  return { ratio, ok };
}
