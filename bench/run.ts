// Runs the benchmarks: `npm run bench` (all) or `npm run bench -- cdktf-aws` (by name).
// Each benchmark prints ratios against a bare baseline measured in the same run.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdktfAws from './cdktf-aws';
import * as enforcement from './enforcement';

const benchmarks: Record<string, () => void> = {
  'cdktf-aws': cdktfAws.main,
  'enforcement': enforcement.main,
  'cdktf-google': () => require('./cdktf-google').main(),
  'aws-cdk': () => require('./aws-cdk').main(),
  'aws-cdk-checks': () => require('./aws-cdk-checks').main(),
  'cli-diff': () => require('./cli-diff').main(),
};

// Every temporary folder a benchmark (or one of its child processes, which inherit TMPDIR)
// creates lives under one folder that is removed when the run ends, however it ends.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-bench-run-'));
process.env.TMPDIR = tmp;
const cleanUp = () => fs.rmSync(tmp, { recursive: true, force: true });
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { cleanUp(); process.exit(130); });

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const [name, main] of Object.entries(benchmarks)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n## ${name}`);
  main();
}
