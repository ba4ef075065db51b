// Examples that do not rot, and reminders never in the past: every example synthesises on any
// day (today, and two years ahead), and every schedule it emits fires after "today" and no later
// than the expiry it is about.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App as CdkApp, Stack } from 'aws-cdk-lib/core';
import * as iam from 'aws-cdk-lib/aws-iam';
import { App, TerraformStack } from 'cdktf';
import { GovernedServiceAccount as CdkServiceAccount } from '../../lib/aws-cdk';
import { GovernedServiceAccount as AwsServiceAccount } from '../../lib/cdktf-aws';
import { GovernedServiceAccount as GoogleServiceAccount } from '../../lib/cdktf-google';
import { addDays } from '../../lib/core/dates';
import { filesUnder } from '../helpers/files';
import { buildApp as buildAwsCdk } from '../../examples/aws-cdk/main';
import { buildLifecycleApp } from '../../examples/aws-cdk/lifecycle';
import { buildApp as buildCdktfAws } from '../../examples/cdktf-aws/main';
import { buildApp as buildCdktfGoogle } from '../../examples/cdktf-google/main';

const ROOT = path.join(__dirname, '..', '..');
const PINNED = '2026-11-23';
const TWO_YEARS_AHEAD = addDays(new Date().toISOString().slice(0, 10), 731);

/** One schedule an artifact emits: when it first fires after `today` (YYYY-MM-DD, UTC) and what it is about. */
interface Fire { readonly where: string; readonly day: string; readonly expires?: string }

/** The expiry a schedule is about, from its description (every notice and expiry call names it). */
function aboutExpiry(description: unknown): string | undefined {
  return /(?:expiring on|expiry \(|at expiry \(|expiry[^0-9]*)(\d{4}-\d{2}-\d{2})/.exec(String(description ?? ''))?.[1];
}

/** First day on or after `from` that a yearly cron `m h D M *` fires. */
function firstYearly(cron: string, from: string): string {
  const [, , d, m] = cron.split(' ').map(Number);
  const year = Number(from.slice(0, 4));
  for (const y of [year, year + 1]) {
    const day = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    if (day >= from) return day;
  }
  throw new Error(`unreachable: ${cron}`);
}

/** Every schedule in every synthesised artifact under `outdir`. */
function schedules(outdir: string, today: string): Fire[] {
  const out: Fire[] = [];
  const at = (where: string, expr: string, description: unknown) => {
    const m = /^at\((\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}\)$/.exec(expr);
    if (!m) throw new Error(`${where}: not a one-time schedule: ${expr}`);
    out.push({ where, day: m[1], expires: aboutExpiry(description) });
  };
  for (const file of filesUnder(outdir)) {
    if (file.endsWith('cdk.tf.json')) {
      const tf = JSON.parse(fs.readFileSync(file, 'utf8'));
      for (const [id, r] of Object.entries<any>(tf.resource?.aws_scheduler_schedule ?? {})) at(id, r.schedule_expression, r.description);
      for (const [id, r] of Object.entries<any>(tf.resource?.google_cloud_scheduler_job ?? {})) {
        out.push({ where: id, day: firstYearly(r.schedule, addDays(today, 1)), expires: aboutExpiry(r.description) });
      }
    } else if (file.endsWith('.template.json')) {
      const t = JSON.parse(fs.readFileSync(file, 'utf8'));
      for (const [id, r] of Object.entries<any>(t.Resources ?? {})) {
        if (r.Type === 'AWS::Scheduler::Schedule') at(id, r.Properties.ScheduleExpression, r.Properties.Description);
      }
    }
  }
  return out;
}

function expectAllAhead(fires: Fire[], today: string): void {
  expect(fires.length).toBeGreaterThan(0);
  const late = fires.filter((f) => !(f.day > today) || (f.expires !== undefined && f.day > f.expires));
  expect(late).toEqual([]);
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-calendar-'));
}

/** Runs an examples/readme file with NHI_TODAY set, in a fresh folder; returns that folder. */
function runReadmeExample(file: string, today: string): string {
  const outdir = tmp();
  const cwd = process.cwd();
  process.chdir(outdir);
  try {
    jest.isolateModules(() => {
      process.env.NHI_TODAY = today;
      process.env.CDK_VALIDATION = 'false';
      process.env.CDK_OUTDIR = path.join(outdir, 'cdk.out');
      require(`../../examples/readme/${file}`);
    });
  } finally {
    delete process.env.NHI_TODAY;
    delete process.env.CDK_VALIDATION;
    delete process.env.CDK_OUTDIR;
    process.chdir(cwd);
  }
  return outdir;
}

const README_EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples', 'readme')).filter((f) => f.endsWith('.ts'));

const APPS: [string, (today: string, outdir: string) => void][] = [
  ['examples/cdktf-aws/main.ts', (today, outdir) => buildCdktfAws(outdir, { 'nhi:today': today }).synth()],
  ['examples/cdktf-google/main.ts', (today, outdir) => buildCdktfGoogle(outdir, { 'nhi:today': today }).synth()],
  ['examples/aws-cdk/main.ts', (today, outdir) => buildAwsCdk({ outdir, builtinCloudFormationValidation: false, context: { 'nhi:today': today } }).synth()],
  ['examples/aws-cdk/lifecycle.ts', (today, outdir) => buildLifecycleApp({ outdir, builtinCloudFormationValidation: false, context: { 'nhi:today': today } }).app.synth()],
];

describe.each([PINNED, TWO_YEARS_AHEAD])('examples on %s: they synthesise, every schedule fires after today and by its expiry', (today) => {
  test.each(APPS)('%s', (_name, build) => {
    const outdir = tmp();
    build(today, outdir);
    expectAllAhead(schedules(outdir, today), today);
  });

  test.each(README_EXAMPLES)('examples/readme/%s', (file) => {
    const outdir = runReadmeExample(file, today);
    const artifacts = filesUnder(outdir).filter((f) => f.endsWith('cdk.tf.json') || f.endsWith('.template.json'));
    expect(artifacts.length).toBeGreaterThan(0);
    const fires = schedules(outdir, today);
    if (/new Governed(ServiceAccount|ApiKey)\(/.test(fs.readFileSync(path.join(ROOT, 'examples', 'readme', file), 'utf8'))) expectAllAhead(fires, today);
    else expect(fires).toEqual([]);
  });
});

describe('reminders never in the past: an identity declared inside the reminder window', () => {
  const TODAY = '2026-11-30';
  const owner = { team: 'billing', contact: 'billing@example.com' };
  const purpose = 'Reads nightly billing exports for the reporting job';

  function cdktfAws(expires: string): { fires: Fire[]; alarms: any[] } {
    const outdir = tmp();
    const app = new App({ outdir, context: { 'nhi:today': TODAY } });
    const stack = new TerraformStack(app, 's');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const sa = new AwsServiceAccount(stack, 'Reader', {
      owner, purpose, expires, name: 'reader', assumedBy: { service: 'lambda.amazonaws.com' },
      scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }],
    });
    app.synth();
    return { fires: schedules(outdir, TODAY), alarms: sa.registerEntry.alarms as any[] };
  }

  function cdktfGoogle(expires: string): { fires: Fire[]; alarms: any[] } {
    const outdir = tmp();
    const app = new App({ outdir, context: { 'nhi:today': TODAY } });
    const stack = new TerraformStack(app, 's');
    new GoogleProvider(stack, 'google', { project: 'p-123456' });
    const sa = new GoogleServiceAccount(stack, 'Reader', {
      owner, purpose, expires, project: 'p-123456', accountId: 'reader-sa',
      scope: [{ role: 'roles/storage.objectViewer', bucket: 'acme-billing-exports' }],
    });
    app.synth();
    return { fires: schedules(outdir, TODAY), alarms: sa.registerEntry.alarms as any[] };
  }

  function awsCdk(expires: string): { fires: Fire[]; alarms: any[] } {
    const outdir = tmp();
    const app = new CdkApp({ outdir, context: { 'nhi:today': TODAY } });
    const stack = new Stack(app, 'S');
    const sa = new CdkServiceAccount(stack, 'Reader', {
      owner, purpose, expires, name: 'reader', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }],
    });
    app.synth({ validateOnSynthesis: false });
    return { fires: schedules(outdir, TODAY), alarms: sa.registerEntry.alarms as any[] };
  }

  test.each([['cdktf-aws', cdktfAws], ['cdktf-google', cdktfGoogle], ['aws-cdk', awsCdk]] as const)('%s: the reminder goes out the day after synth', (_t, build) => {
    // 30 reminder days before 2026-12-10 is 2026-11-10, already past on 2026-11-30.
    const { fires, alarms } = build('2026-12-10');
    expectAllAhead(fires, TODAY);
    expect(fires.map((f) => f.day).sort()).toContain('2026-12-01');
    expect(alarms.find((a) => a.kind === 'expiry-reminder').description).toBe('on 2026-12-01, before the identity expires on 2026-12-10');
  });

  test.each([['cdktf-aws', cdktfAws], ['cdktf-google', cdktfGoogle], ['aws-cdk', awsCdk]] as const)('%s: expiring tomorrow, no reminder fits: none is scheduled and the register says why', (_t, build) => {
    const { fires, alarms } = build('2026-12-01');
    expectAllAhead(fires, TODAY);
    expect(fires.every((f) => f.day === '2026-12-01')).toBe(true);
    expect(alarms.find((a) => a.kind === 'expiry-reminder').description).toMatch(/^not sent: .*no day is left for a reminder/);
  });

  test('outside the window nothing moves: the reminder is reminderDays before the expiry', () => {
    const { fires } = cdktfAws('2027-06-30');
    expect(fires.map((f) => f.day).sort()).toEqual(['2027-05-31', '2027-06-30']);
  });

  test('deterministic for a given today', () => {
    const a = cdktfAws('2026-12-10');
    const b = cdktfAws('2026-12-10');
    expect(a).toEqual(b);
  });
});
