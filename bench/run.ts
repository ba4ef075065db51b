// Runs the benchmarks: `npm run bench` (all), `npm run bench -- cli-diff` (by name).
// Options: `--reps N` pairs per comparison (default 9), `--quick` (3 pairs, smaller series),
// `--sizes 100,1000` (the sizes of the scaling series),
// `--write-doc` (rewrites the results tables of docs/performance.md from this run, and the README's
// summary table from those).
// Measure the compiled library: run `npx projen compile` first.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Comparison, comparisons, loadNote } from './harness';
import { readmeSummary, withSummary } from './summary';

// `--quick` means 3 repetitions unless --reps is given (children read --reps from the parent's argv
// only through compare(), so set it here).
if (process.argv.includes('--quick') && !process.argv.includes('--reps')) process.argv.push('--reps', '3');

const benchmarks: Record<string, () => void> = {
  'cli-diff': () => require('./cli-diff').main(),
  'register-size': () => require('./register-size').main(),
  'cdktf-aws': () => require('./cdktf-aws').main(),
  'cdktf-google': () => require('./cdktf-google').main(),
  'aws-cdk': () => require('./aws-cdk').main(),
  'aws-cdk-checks': () => require('./aws-cdk-checks').main(),
  'enforcement': () => require('./enforcement').main(),
  'verification': () => require('./verification').main(),
};

// Every temporary folder a benchmark (or one of its child processes, which inherit TMPDIR)
// creates lives under one folder that is removed when the run ends, however it ends.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-bench-run-'));
process.env.TMPDIR = tmp;
const cleanUp = () => fs.rmSync(tmp, { recursive: true, force: true });
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { cleanUp(); process.exit(130); });

const flagsWithValue = new Set(['--reps', '--sizes']);
const wanted = process.argv.slice(2).filter((a, i, all) => !a.startsWith('-') && !flagsWithValue.has(all[i - 1]));
const runs: { name: string; started: Date; before: ReturnType<typeof loadNote>; after: ReturnType<typeof loadNote>; rows: Comparison[] }[] = [];
console.log(`nhi-constructs benchmarks, ${new Date().toISOString()}, node ${process.version}; ${loadNote().text}`);
for (const [name, main] of Object.entries(benchmarks)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n## ${name}`);
  const first = comparisons.length;
  const started = new Date();
  const before = loadNote();
  main();
  const after = loadNote();
  console.log(`(${after.text})`);
  runs.push({ name, started, before, after, rows: comparisons.slice(first) });
}

function fmt(x: { median: number; min: number; max: number }, digits: number): string {
  return `${x.median.toFixed(digits)} (${x.min.toFixed(digits)}–${x.max.toFixed(digits)})`;
}

/** The results as a markdown table (docs/performance.md). */
export function table(rows: Comparison[]): string {
  const lines = [
    '| comparison (A vs B) | A ms | B ms | A/B time | A/B cpu | A/B peak RSS | per identity A / B ms | target (time) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const c of rows) {
    lines.push(`| ${c.title.replace(/\|/g, '\\|')} | ${fmt(c.a.ms, 0)} | ${fmt(c.b.ms, 0)} | ${fmt(c.ratio, 2)} | ${fmt(c.cpuRatio, 2)} | ${fmt(c.rssRatio, 2)} | ` +
      `${c.units ? `${(c.a.ms.median / c.units).toFixed(3)} / ${(c.b.ms.median / c.units).toFixed(3)}` : ''} | ${c.target !== undefined ? `≤ ${c.target}: ${c.ok ? 'met' : '**not met**'}` : ''} |`);
  }
  return lines.join('\n') + '\n';
}

// `--write-doc`: each benchmark run replaces its own section of docs/performance.md
// (<!-- bench:NAME --> ... <!-- /bench:NAME -->), stamped with its date, load and repetitions.
if (process.argv.includes('--write-doc')) {
  const doc = path.join(__dirname, '..', 'docs', 'performance.md');
  let text = fs.readFileSync(doc, 'utf8');
  // A benchmark without comparisons (register-size prints its sizes) has no section.
  for (const r of runs.filter((x) => x.rows.length > 0)) {
    const begin = `<!-- bench:${r.name} -->`;
    const end = `<!-- /bench:${r.name} -->`;
    const i = text.indexOf(begin);
    const j = text.indexOf(end);
    if (i < 0 || j < i) throw new Error(`${doc} has no ${begin} ... ${end} section`);
    const loaded = r.before.loaded || r.after.loaded;
    const block = [
      begin,
      `Run of ${r.started.toISOString().slice(0, 16).replace('T', ' ')} UTC, node ${process.version}, ${os.cpus().length} processors, ` +
      `${r.rows[0]?.reps ?? 0} interleaved pairs per comparison (medians, min–max in brackets). Load average before ${r.before.loadavg.join(' / ')}, ` +
      `after ${r.after.loadavg.join(' / ')} (1 / 5 / 15 min)${loaded ? ': **the machine was loaded** by other work, so absolute times are inflated and noisy; read the ratios of the interleaved pairs, and the processor-time ratios' : ''}.`,
      '',
      table(r.rows),
      end,
    ].join('\n');
    text = text.slice(0, i) + block + text.slice(j + end.length);
  }
  fs.writeFileSync(doc, text);
  console.log(`wrote ${path.relative(process.cwd(), doc)}`);
  // The README's table: generated from the tables just written (see bench/summary.ts).
  const readme = path.join(__dirname, '..', 'README.md');
  fs.writeFileSync(readme, withSummary(fs.readFileSync(readme, 'utf8'), readmeSummary(text)));
  console.log(`wrote ${path.relative(process.cwd(), readme)}`);
}
