// The README's performance table, generated from the tables the benchmarks wrote into
// docs/performance.md (`npm run bench -- --write-doc` rewrites both): every comparison with a
// target, and the peak-memory comparisons, with the date and load average of its run. Nothing in it
// is typed by hand; test/examples/readme.test.ts keeps the README equal to what this renders.

/** One benchmark section of docs/performance.md, as written by bench/run.ts. */
interface Section {
  readonly name: string;
  /** `YYYY-MM-DD`, or undefined if the section was not measured. */
  readonly date?: string;
  /** Load averages (1 min) before and after the run. */
  readonly load: number[];
  readonly rows: { title: string; time: string; rss: string; target: string }[];
}

/** The benchmark sections of docs/performance.md. */
export function benchSections(performanceMd: string): Section[] {
  const out: Section[] = [];
  const re = /<!-- bench:([a-z0-9-]+) -->([\s\S]*?)<!-- \/bench:\1 -->/g;
  for (const m of performanceMd.matchAll(re)) {
    const body = m[2];
    const date = /Run of (\d{4}-\d{2}-\d{2})/.exec(body)?.[1];
    const load = [...body.matchAll(/(?:before|after) (\d+(?:\.\d+)?) \//g)].map((x) => Number(x[1]));
    const rows = body.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| comparison') && !l.startsWith('|---')).map((l) => {
      const cells = l.slice(2, -2).split(' | ');
      return { title: cells[0], time: cells[3], rss: cells[5], target: cells[7] ?? '' };
    });
    out.push({ name: m[1], date, load, rows });
  }
  return out;
}

/** The README's table (between `<!-- bench:summary -->` and `<!-- /bench:summary -->`). */
export function readmeSummary(performanceMd: string): string {
  const sections = benchSections(performanceMd).filter((s) => s.date !== undefined);
  const dates = [...new Set(sections.map((s) => s.date!))].sort();
  const loads = sections.flatMap((s) => s.load);
  const lines = [
    `Measured ${dates.join(', ')} (2 processors, load ${Math.min(...loads)}–${Math.max(...loads)}): medians of interleaved pairs, min–max in brackets;`,
    'method, absolute times and every other comparison in [performance](docs/performance.md).',
    '',
    '| comparison (A vs B) | A/B (median, range) | target |',
    '|---|---|---|',
  ];
  for (const s of sections) {
    for (const r of s.rows) {
      const memory = /peak RSS target/.test(r.title);
      if (r.target === '' && !memory) continue;
      const title = r.title.replace(/ \(peak RSS target <= 1\.2\)/, '');
      if (memory) lines.push(`| ${title} | peak RSS ${r.rss} | ≤ 1.2: ${Number(r.rss.split(' ')[0]) <= 1.2 ? 'met' : '**not met**'} |`);
      // At the largest size, the memory of the same Terraform written by hand too.
      else lines.push(`| ${title} | time ${r.time}${/ 5,000 /.test(title) ? `; peak RSS ${r.rss}` : ''} | ${r.target} |`);
    }
  }
  return lines.join('\n') + '\n';
}

/** `text` with its `<!-- bench:summary -->` section replaced by `summary`. */
export function withSummary(text: string, summary: string): string {
  const begin = '<!-- bench:summary -->';
  const end = '<!-- /bench:summary -->';
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`no ${begin} ... ${end} section`);
  return `${text.slice(0, i)}${begin}\n${summary}${text.slice(j)}`;
}

// `npx tsx bench/summary.ts --write`: rewrite the README's table from docs/performance.md as it is.
if (require.main === module && process.argv.includes('--write')) {
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  const root = path.join(__dirname, '..');
  const readme = path.join(root, 'README.md');
  const summary = readmeSummary(fs.readFileSync(path.join(root, 'docs', 'performance.md'), 'utf8'));
  fs.writeFileSync(readme, withSummary(fs.readFileSync(readme, 'utf8'), summary));
}
