/**
 * Property-based test: arbitrary JSON values (and a few hostile non-JSON ones, such as objects
 * without a prototype) fed to every prop of every governed construct on all three targets give a
 * GovernanceError or a construct, never another exception. Props are read from the sources, so a
 * new prop is fuzzed without editing this file.
 *
 * Each run starts from valid props and replaces some props, or one nested field, by arbitrary
 * values (or builds props from arbitrary values only), so rules deep in the checks are reached
 * and about 1% of the runs are accepted. Cost: the constructor is the unit under test. Constructs
 * are built in one stack, replaced after BATCH runs or ACCEPTED accepted constructs; the first
 * SYNTH_SAMPLES filled stacks are synthesised with validations as a sample of the synth-time
 * checks. FUZZ_RUNS, FUZZ_SEED change the runs and the seed; FUZZ_COLLECT=1 lists every distinct
 * failure instead of stopping at the first; FUZZ_VERBOSE=1 prints counts and times.
 *
 * The arbitrary values include the framework's tokens (string, list, number, map, any, lazy).
 * Because most failures with tokens appear only at synth, a second test puts every token kind
 * (and a value of each JSON type) in every prop and every nested field, alone, and synthesises
 * each stack with validations.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { App as CdkApp, Lazy as CdkLazy, Stack as CdkStack, Token as CdkToken } from 'aws-cdk-lib/core';
import { App, Lazy, TerraformStack, Testing, Token } from 'cdktf';
import * as fc from 'fast-check';
import * as cdkNhi from '../../lib/aws-cdk';
import * as awsNhi from '../../lib/cdktf-aws';
import * as googleNhi from '../../lib/cdktf-google';
import { GovernanceErrors } from '../../lib/core/governance-error';

const ROOT = path.join(__dirname, '..', '..');
const TODAY = '2026-11-23';
/** Runs per construct (issue 12: at least 10,000). FUZZ_RUNS overrides it for a deeper local run. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/** A stack takes at most BATCH runs or ACCEPTED accepted constructs (AWS CDK: at most 500 resources per stack). */
const BATCH = 500;
const ACCEPTED = 15;
/** How many of the filled stacks are synthesised (with validations) as a sample of the synth-time checks. */
const SYNTH_SAMPLES = 2;
const GOVERNANCE = {
  owner: { team: 'billing', contact: 'billing@example.com' },
  purpose: 'Reads nightly billing exports for the reporting job',
  expires: '2027-06-30',
};

/** The props of a construct, read from its source (`readonly x` of the props interface and GovernanceProps). */
function propNames(file: string, iface: string): string[] {
  const fields = (src: string, name: string) => {
    const m = new RegExp(`export interface ${name}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(src);
    if (!m) throw new Error(`${name} not found`);
    return [...m[1].matchAll(/^\s{2}readonly (\w+)\??:/gm)].map((x) => x[1]);
  };
  const contract = fs.readFileSync(path.join(ROOT, 'lib', 'core', 'contract.ts'), 'utf8');
  return [...fields(contract, 'GovernanceProps'), ...fields(fs.readFileSync(path.join(ROOT, 'lib', file), 'utf8'), iface)];
}

/** Unusual values beyond JSON that props have crashed on before. */
const hostile = fc.constantFrom<unknown>(Object.create(null), [Object.create(null)], { toString: 1 }, { __proto__: null, team: 'x' }, -0, Number.NaN, Infinity, '', ' ', '*', '${var.x}');
/**
 * The framework's tokens (values known only at deploy), of every kind a prop could be given:
 * strings, lists, numbers, maps, any. Each target gets its own framework's.
 */
const CDKTF_TOKENS: unknown[] = [
  Token.asString('${var.s}'), Token.asList('${var.l}'), Token.asNumber('${var.n}'), Token.asNumberList('${var.nl}'),
  Token.asStringMap('${var.m}'), Token.asNumberMap('${var.nm}'), Token.asAny('${var.a}'),
  Lazy.stringValue({ produce: () => 'lazy' }), Lazy.listValue({ produce: () => ['lazy'] }), Lazy.numberValue({ produce: () => 1 }), Lazy.anyValue({ produce: () => ({ a: 1 }) }),
  [Token.asString('${var.s}')], ['arn:aws:s3:::x/*', Token.asString('${var.s}')],
];
const CDK_TOKENS: unknown[] = [
  CdkLazy.string({ produce: () => 'lazy' }), CdkLazy.list({ produce: () => ['lazy'] }), CdkLazy.number({ produce: () => 1 }), CdkLazy.any({ produce: () => ({ a: 1 }) }),
  CdkToken.asList(CdkLazy.any({ produce: () => ['a'] })), CdkToken.asNumber(CdkLazy.any({ produce: () => 1 })), CdkToken.asString(CdkLazy.any({ produce: () => 'x' })),
  [CdkLazy.string({ produce: () => 'lazy' })],
];
/** What kind of token a value is, for a failure's message. */
function tokenKind(v: unknown): string {
  if (Array.isArray(v)) return `list [${v.map((x) => String(x)).join(', ')}]`;
  if (typeof v === 'number') return `number ${v}`;
  if (typeof v === 'string') return `string ${v}`;
  if (v && typeof v === 'object') return `${Object.getPrototypeOf(v)?.constructor?.name ?? 'object'} ${JSON.stringify(Object.keys(v))}`;
  return String(v);
}
const valueWith = (tokens: unknown[]) => fc.oneof({ weight: 8, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 1, arbitrary: hostile }, { weight: 1, arbitrary: fc.constantFrom(...tokens) });

/** All paths into a value (objects and arrays), the root excluded. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object' || !(Object.getPrototypeOf(v) === Object.prototype || Array.isArray(v))) return [];
  return Object.keys(v).flatMap((k) => {
    const key = Array.isArray(v) ? Number(k) : k;
    return [[...prefix, key], ...paths((v as any)[k], [...prefix, key])];
  });
}

function setAt(base: any, p: (string | number)[], v: unknown): any {
  if (p.length === 0) return v;
  const copy = Array.isArray(base) ? [...base] : { ...base };
  copy[p[0]] = setAt(base?.[p[0]], p.slice(1), v);
  return copy;
}

/** Props: the valid base with some props (or nested fields) replaced by arbitrary values, or dropped. */
function propsArbitrary(base: Record<string, unknown>, names: string[], tokens: unknown[]): fc.Arbitrary<Record<string, unknown>> {
  const value = valueWith(tokens);
  const nested = paths(base).filter((p) => p.length > 1);
  const topLevel = fc.uniqueArray(fc.constantFrom(...names), { minLength: 2, maxLength: 4 }).chain((keys) =>
    fc.tuple(...keys.map(() => value)).map((vals) => {
      const out: Record<string, unknown> = { ...base };
      keys.forEach((k, i) => { out[k] = vals[i]; });
      return out;
    }));
  const deep = nested.length === 0 ? topLevel : fc.tuple(fc.constantFrom(...nested), value).map(([p, v]) => setAt(base, p, v));
  return fc.oneof(topLevel, deep, fc.dictionary(fc.constantFrom(...names), value).map((d) => ({ ...d })));
}

interface Target {
  readonly name: string;
  readonly names: string[];
  /** A fresh stack; `build` adds one construct to it, `synth` synthesises it with validations. */
  fresh(): { build: (id: string, props: Record<string, unknown>) => void; synth: () => void };
  /** Valid props the runs mutate. */
  readonly base: Record<string, unknown>;
  /** The prop made unique per run when a run keeps the base value (names must not repeat in an app). */
  readonly unique: string;
}

function cdktf(provider: 'aws' | 'google', ctor: any): Pick<Target, 'fresh'> {
  return {
    fresh: () => {
      const app: App = Testing.app({ context: { 'nhi:today': TODAY } } as any);
      const stack = new TerraformStack(app, 'fuzz');
      if (provider === 'aws') new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      else new GoogleProvider(stack, 'google', { project: 'acme-billing-prod', region: 'europe-west1' });
      return { build: (id, props) => new ctor(stack, id, props), synth: () => Testing.synth(stack, true) };
    },
  };
}

/** Stand-ins for the AWS CDK API and stage of the current stack (the base props are built once). */
const API = new (class ApiPlaceholder {})();
const STAGE = new (class StagePlaceholder {})();

function cdk(ctor: any, withApi: boolean): Pick<Target, 'fresh'> {
  return {
    fresh: () => {
      const app = new CdkApp({ builtinCloudFormationValidation: false, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-fuzz-')), context: { 'nhi:today': TODAY } });
      const stack = new CdkStack(app, 'Fuzz', { env: { account: '123456789012', region: 'eu-west-1' } });
      let api: apigateway.RestApi | undefined;
      if (withApi) {
        api = new apigateway.RestApi(stack, 'Api', { deployOptions: { stageName: 'prod' } });
        api.root.addMethod('GET', new apigateway.MockIntegration(), { apiKeyRequired: true });
      }
      const real = (v: unknown): unknown => (v === API ? api : v === STAGE ? api?.deploymentStage : v);
      const materialise = (props: Record<string, unknown>) => (Array.isArray(props.scope)
        ? { ...props, scope: props.scope.map((s) => (s && typeof s === 'object' && !Array.isArray(s) ? Object.fromEntries(Object.entries(s).map(([k, v]) => [k, real(v)])) : real(s))) }
        : props);
      return { build: (id, props) => new ctor(stack, id, withApi ? materialise(props) : props), synth: () => app.synth({ validateOnSynthesis: true, force: true }) };
    },
  };
}

const TARGETS: Target[] = [
  {
    name: 'cdktf-aws GovernedServiceAccount',
    names: propNames('cdktf-aws/governed-service-account.ts', 'GovernedServiceAccountProps'),
    ...cdktf('aws', awsNhi.GovernedServiceAccount),
    unique: 'name',
    base: { ...GOVERNANCE, name: 'fuzz-reader', assumedBy: { service: 'lambda.amazonaws.com' }, scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/*'] }] },
  },
  {
    name: 'cdktf-aws GovernedApiKey',
    names: propNames('cdktf-aws/governed-api-key.ts', 'GovernedApiKeyProps'),
    ...cdktf('aws', awsNhi.GovernedApiKey),
    unique: 'name',
    base: { ...GOVERNANCE, purpose: 'Partner ACME submits orders to the orders API', name: 'fuzz-key', scope: [{ restApiId: 'a1b2c3d4e5', stage: 'prod' }], throttle: { rateLimit: 10, burstLimit: 20 } },
  },
  {
    name: 'cdktf-google GovernedServiceAccount',
    names: propNames('cdktf-google/governed-service-account.ts', 'GovernedServiceAccountProps'),
    ...cdktf('google', googleNhi.GovernedServiceAccount),
    unique: 'accountId',
    base: { ...GOVERNANCE, project: 'acme-billing-prod', accountId: 'fuzz-reader', scope: [{ role: 'roles/storage.objectViewer', bucket: 'acme-billing-exports' }] },
  },
  {
    name: 'cdktf-google GovernedApiKey',
    names: propNames('cdktf-google/governed-api-key.ts', 'GovernedApiKeyProps'),
    ...cdktf('google', googleNhi.GovernedApiKey),
    unique: 'name',
    base: { ...GOVERNANCE, purpose: 'Partner Globex geocodes delivery addresses from its servers', project: 'acme-billing-prod', name: 'fuzz-key', scope: [{ service: 'geocoding-backend.googleapis.com' }], clientRestriction: { allowedIps: ['203.0.113.0/24'] } },
  },
  {
    name: 'aws-cdk GovernedServiceAccount',
    names: propNames('aws-cdk/governed-service-account.ts', 'GovernedServiceAccountProps'),
    ...cdk(cdkNhi.GovernedServiceAccount, false),
    unique: 'name',
    base: { ...GOVERNANCE, name: 'fuzz-reader', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-exports/reports/*'] }] },
  },
  {
    name: 'aws-cdk GovernedApiKey',
    names: propNames('aws-cdk/governed-api-key.ts', 'GovernedApiKeyProps'),
    ...cdk(cdkNhi.GovernedApiKey, true),
    unique: 'name',
    base: { ...GOVERNANCE, purpose: 'Partner Acme pulls order status from the orders API', name: 'fuzz-key', scope: [{ api: API, stage: STAGE }], throttle: { rateLimit: 10, burstLimit: 20 } },
  },
];

/** Rethrows anything that is neither a GovernanceError nor a failed validation naming NHI codes. */
function expectGoverned(e: unknown, what: string, props: unknown): void {
  if (GovernanceErrors.isGovernanceError(e)) return;
  const message = e instanceof Error ? e.message : String(e);
  // Synth-time checks report through the frameworks' validation errors, with our codes in them.
  if (/Validation failed/i.test(message) && /NHI_[A-Z_]+/.test(message)) return;
  let shown: string;
  try { shown = JSON.stringify(props, (_k, v) => (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === null ? { '<no prototype>': { ...v } } : v)); } catch { shown = String(props); }
  throw new Error(`${what}: not a GovernanceError: ${(e as Error)?.stack ?? message}\nprops: ${shown}`);
}

/** Per construct; measured: 20-70 s per construct for 10,000 runs on the shared 2-core machine under load, a few seconds when idle. */
const TIMEOUT_MS = 600_000;

describe.each(TARGETS)('fuzz: $name gives a GovernanceError or a construct for any props', (t) => {
  test(`${RUNS} runs of arbitrary JSON in every prop (props read from the source)`, () => {
    expect(t.names).toEqual(expect.arrayContaining(['owner', 'purpose', 'expires', 'scope']));
    let stack = t.fresh();
    let n = 0;
    let accepted = 0;
    let inStack = 0;
    let acceptedInStack = 0;
    let synthesised = 0;
    const started = Date.now();
    let buildMs = 0;
    let flushMs = 0;
    const seen = new Map<string, string>();
    const flush = () => {
      if (acceptedInStack > 0 && synthesised < SYNTH_SAMPLES) {
        synthesised++;
        try { stack.synth(); } catch (e) { expectGoverned(e, 'synth', '(the batch)'); }
      }
      stack = t.fresh();
      inStack = 0;
      acceptedInStack = 0;
    };
    fc.assert(fc.property(propsArbitrary(t.base, t.names, t.name.startsWith('aws-cdk') ? CDK_TOKENS : CDKTF_TOKENS), (generated) => {
      n++;
      const props = generated[t.unique] === t.base[t.unique] ? { ...generated, [t.unique]: `${t.base[t.unique]}-${n}` } : generated;
      inStack++;
      const b0 = Date.now();
      try {
        stack.build(`F${n}`, props);
        accepted++;
        acceptedInStack++;
      } catch (e) {
        if (process.env.FUZZ_COLLECT) {
          try { expectGoverned(e, 'constructor', props); } catch (x) { const m = (x as Error).message; const k = m.split('\n')[0].slice(0, 200); if (!seen.has(k)) { seen.set(k, m.slice(0, 1500)); } }
        } else expectGoverned(e, 'constructor', props);
      }
      buildMs += Date.now() - b0;
      if (inStack >= BATCH || acceptedInStack >= ACCEPTED) { const f0 = Date.now(); flush(); flushMs += Date.now() - f0; }
    }), { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261201), endOnFailure: true });
    flush();
    if (process.env.FUZZ_VERBOSE) process.stdout.write(`${t.name}: ${n} runs, ${accepted} accepted, ${synthesised} stacks synthesised, ${Date.now() - started} ms (constructors ${buildMs} ms, new stacks and synths ${flushMs} ms)\n`);
    expect([...seen.values()]).toEqual([]);
    // The arbitrary reaches both outcomes: not every input is rejected.
    if (RUNS >= 2000) expect(accepted).toBeGreaterThan(0);
  }, TIMEOUT_MS);

  // The attacker's token: every kind of the framework's tokens (string, list, number, map, any,
  // lazy) in every prop and every nested field of valid props, each built alone and synthesised
  // with validations: a GovernanceError (or a failed validation naming NHI codes) or a stack that
  // synthesises, never another exception.
  test('every token kind (and a value of each JSON type) in every prop and nested field: a GovernanceError or a synthesised stack', () => {
    // Tokens, and a few values of each JSON type (the arbitrary runs synthesise only a sample).
    const tokens = [...(t.name.startsWith('aws-cdk') ? CDK_TOKENS : CDKTF_TOKENS), 42, -1, true, {}, [], [1], [{}], { a: 'b' }, 'x', ''];
    const at: (string | number)[][] = [...t.names.map((n) => [n]), ...paths(t.base).filter((p) => p.length > 1)];
    const failures = new Map<string, string>();
    let n = 0;
    for (const p of at) {
      for (const token of tokens) {
        n++;
        const props = setAt({ ...t.base, [t.unique]: `${t.base[t.unique]}-t${n}` }, p, token);
        const stack = t.fresh();
        for (const [phase, run] of [['constructor', () => stack.build('T', props)], ['synth', () => stack.synth()]] as const) {
          try {
            run();
          } catch (e) {
            try { expectGoverned(e, phase, props); } catch (x) {
              const key = `${p.join('.')} <- ${tokenKind(token)}: ${phase}: ${((x as Error).message.split('\n')[0] ?? '').replace(/^.*?not a GovernanceError: /, '').slice(0, 160)}`;
              if (!failures.has(key)) failures.set(key, key);
            }
            break;
          }
        }
      }
    }
    expect([...failures.keys()]).toEqual([]);
  }, TIMEOUT_MS);

  test.each([
    ['owner.team without a prototype', { owner: { team: Object.create(null), contact: 'billing@example.com' } }],
    ['owner without a prototype', { owner: Object.assign(Object.create(null), { team: 'billing', contact: 'billing@example.com' }) }],
    ['system null', { system: null }],
    ['iamPath an object', { iamPath: {} }],
    ['tags with an object value', { tags: { a: {} } }],
    ['scope of plain objects', { scope: [{}, { api: 'x', stage: 'prod' }] }],
  ])('regression: %s', (_, over) => {
    const stack = t.fresh();
    const props = { ...t.base, [t.unique]: `${t.base[t.unique]}-r`, ...over };
    try { stack.build('R', props); } catch (e) { expectGoverned(e, 'constructor', props); }
  });
});
