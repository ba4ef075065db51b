// The `nhi` command line (commander): register, diff, check, verify. `run` returns the exit code and
// never throws, so the binary prints clear errors and never a stack trace.
//   0  success (diff: no gate tripped; check: no finding, or --warn-only)
//   1  findings: a --fail-on gate tripped (diff), or check found something
//   2  usage or input error: bad option, missing directory, no register, unknown version, corrupt file
//   3  internal error (a bug; NHI_DEBUG=1 prints the stack trace)
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
import { parseIsoDate } from '../core/dates';
import { checkSynth, parseWithin, renderCheckJson, renderCheckMarkdown, renderCheckText } from './check';
import { diffRegisters, FAIL_ON, trippedGates } from './diff';
import { loadSynth, NhiInputError } from './load';
import { renderDiffJson, renderDiffMarkdown, renderDiffText } from './render-diff';
import { renderRegisterJson, renderRegisterMarkdown, renderRegisterTable } from './register-view';
import { printable } from './util';
import { renderVerifyJson, renderVerifyText, verifyPlan } from './verify';

/** Where the CLI writes and what it reads from its environment (injectable for tests). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Record<string, string | undefined>;
  /** Today's date, `YYYY-MM-DD` (UTC), when neither --today nor NHI_TODAY is given. */
  readonly clock?: () => string;
}

/** Exit codes of `nhi`. */
export const EXIT = { OK: 0, FINDINGS: 1, USAGE: 2, INTERNAL: 3 } as const;

function processIo(): CliIo {
  return {
    stdout: (t) => { process.stdout.write(t); },
    stderr: (t) => { process.stderr.write(t); },
    env: process.env,
  };
}

function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function todayOf(option: string | undefined, io: CliIo): string {
  const value = option ?? io.env.NHI_TODAY;
  if (value !== undefined) {
    if (parseIsoDate(value) === undefined) {
      throw new NhiInputError(`${option !== undefined ? '--today' : 'NHI_TODAY'} must be a YYYY-MM-DD date, got ${JSON.stringify(value)}.`);
    }
    return value;
  }
  return io.clock ? io.clock() : new Date().toISOString().slice(0, 10);
}

function positiveInt(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isInteger(n) || n <= 0) throw new NhiInputError(`${name} must be a whole number of days greater than 0, got ${JSON.stringify(value)}.`);
    return n;
  };
}

function failOn(value: string, previous: string[] | undefined): string[] {
  const gates = value.split(',').map((g) => g.trim()).filter((g) => g !== '');
  for (const g of gates) {
    if (!(FAIL_ON as readonly string[]).includes(g)) {
      throw new NhiInputError(`--fail-on: unknown gate ${JSON.stringify(g)}; use one or more of ${FAIL_ON.join(', ')} (comma-separated).`);
    }
  }
  return [...(previous ?? []), ...gates];
}

function build(io: CliIo, setCode: (code: number) => void): Command {
  const program = new Command('nhi')
    .description('Reads the NHI registers (nhi-register.json) of cdktf and aws-cdk synth outputs: list, diff and check governed non-human identities. Offline.')
    .version(version(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run nhi --help for usage)');
  const todayOption = () => new Option('--today <YYYY-MM-DD>', 'the date "expires in" is measured from (default: NHI_TODAY, else the clock, UTC)');

  program.command('register')
    .description('list every identity of every stack: path, kind, cloud, owner, expiry, rotation, scope by access level')
    .argument('<synth-dir>', 'synth output directory (cdktf.out, cdk.out) or one nhi-register.json')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .addOption(todayOption())
    .action((dir: string, opts: { format: string; today?: string }) => {
      const today = todayOf(opts.today, io);
      const synth = loadSynth(dir);
      io.stdout(opts.format === 'json' ? renderRegisterJson(synth, today) : opts.format === 'markdown' ? renderRegisterMarkdown(synth, today) : renderRegisterTable(synth, today));
      setCode(EXIT.OK);
    });

  program.command('diff')
    .description('what changed in governance between two synths, identity by identity (markdown is made for a pull-request comment and is empty when nothing changed)')
    .argument('<base-synth-dir>', 'synth output of the base branch')
    .argument('<head-synth-dir>', 'synth output of the pull request')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .addOption(new Option('--fail-on <gates>', `exit 1 when the diff ${FAIL_ON.slice(0, 3).join(' / ')} (comma-separated; none never fails)`).argParser(failOn))
    .addOption(todayOption())
    .addOption(new Option('--max-lifetime-days <days>', 'policy limit an extended expiry is judged against').argParser(positiveInt('--max-lifetime-days')).default(365))
    .addOption(new Option('--max-rotation-days <days>', 'policy limit a weakened rotation is judged against').argParser(positiveInt('--max-rotation-days')).default(90))
    .addOption(new Option('--max-rows <n>', 'most changes in the markdown table').argParser(positiveInt('--max-rows')).default(50))
    .option('--allow-empty', 'a synth directory without any register counts as having no identities (e.g. the base of the first governed identity)')
    .action((baseDir: string, headDir: string, opts: { format: string; failOn?: string[]; today?: string; maxLifetimeDays: number; maxRotationDays: number; maxRows: number; allowEmpty?: boolean }) => {
      const today = todayOf(opts.today, io);
      const base = loadSynth(baseDir, { allowEmpty: opts.allowEmpty });
      const head = loadSynth(headDir, { allowEmpty: opts.allowEmpty });
      const diff = diffRegisters(base, head, { today, maxLifetimeDays: opts.maxLifetimeDays, maxRotationDays: opts.maxRotationDays });
      io.stdout(opts.format === 'json' ? renderDiffJson(diff) : opts.format === 'markdown' ? renderDiffMarkdown(diff, { maxRows: opts.maxRows }) : renderDiffText(diff));
      const tripped = trippedGates(diff, opts.failOn ?? []);
      if (tripped.length > 0) io.stderr(`nhi diff: failing (--fail-on ${(opts.failOn ?? []).join(',')}): ${tripped.join('; ')}\n`);
      setCode(tripped.length > 0 ? EXIT.FINDINGS : EXIT.OK);
    });

  program.command('check')
    .description('identities expired or expiring soon, waivers expiring, rotation above policy; exits 1 on findings')
    .argument('<synth-dir>', 'synth output directory (cdktf.out, cdk.out) or one nhi-register.json')
    .addOption(new Option('--within <days>', 'report what expires within this period: 30d, 2w or 30').default('30d'))
    .addOption(new Option('--max-rotation-days <days>', 'longest acceptable rotation period').argParser(positiveInt('--max-rotation-days')).default(90))
    .option('--warn-only', 'report findings but exit 0')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .addOption(todayOption())
    .action((dir: string, opts: { within: string; maxRotationDays: number; warnOnly?: boolean; format: string; today?: string }) => {
      const withinDays = parseWithin(opts.within);
      if (withinDays === undefined) throw new NhiInputError(`--within must be a number of days such as 30d, 2w or 30, got ${JSON.stringify(opts.within)}.`);
      const today = todayOf(opts.today, io);
      const synth = loadSynth(dir);
      const options = { today, withinDays, maxRotationDays: opts.maxRotationDays };
      const findings = checkSynth(synth, options);
      io.stdout(opts.format === 'json' ? renderCheckJson(findings, options) : opts.format === 'markdown' ? renderCheckMarkdown(findings, synth, options) : renderCheckText(findings, synth, options));
      setCode(findings.length > 0 && !opts.warnOnly ? EXIT.FINDINGS : EXIT.OK);
    });

  program.command('verify')
    .description('verify a Terraform plan (terraform show -json plan.out) against its stack\'s register: everything it grants to, trusts for or hands out for a governed identity is what the register declares; exits 1 on findings')
    .argument('<plan.json>', 'the plan as JSON, from terraform show -json plan.out')
    .option('--register <path>', 'the stack\'s nhi-register.json, or its directory (default: beside the plan)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(todayOption())
    .action((plan: string, opts: { register?: string; format: string; today?: string }) => {
      const result = verifyPlan(plan, { register: opts.register, today: todayOf(opts.today, io) });
      io.stdout(opts.format === 'json' ? renderVerifyJson(result) : renderVerifyText(result));
      setCode(result.findings.length > 0 ? EXIT.FINDINGS : EXIT.OK);
    });
  return program;
}

/** Runs `nhi` with the arguments after the program name; returns the exit code. */
export function run(args: string[], io: CliIo = processIo()): number {
  let code: number = EXIT.OK;
  try {
    const program = build(io, (c) => { code = c; });
    if (args.length === 0) {
      program.outputHelp({ error: true });
      return EXIT.USAGE;
    }
    program.parse(args, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed its message (or the help/version) already.
      return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (e instanceof NhiInputError || (e as Error)?.name === 'NhiInputError') {
      io.stderr(`nhi: error: ${printable((e as Error).message)}\n`);
      return EXIT.USAGE;
    }
    // A register nested deeper than any the library writes (JSON.parse reads 200,000 levels; the
    // comparison cannot follow them): an input problem, said in one line.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      io.stderr('nhi: error: a register is nested too deeply to compare (thousands of levels where the library writes a handful); check the files given.\n');
      return EXIT.USAGE;
    }
    io.stderr(`nhi: internal error: ${(e as Error)?.message ?? String(e)}. This is a bug; please report it${io.env.NHI_DEBUG ? '' : ' (NHI_DEBUG=1 prints the stack trace)'}.\n`);
    if (io.env.NHI_DEBUG) io.stderr(`${(e as Error)?.stack ?? ''}\n`);
    return EXIT.INTERNAL;
  }
}
