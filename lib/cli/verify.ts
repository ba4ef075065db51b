// `nhi verify <plan.json>`: the artifact check of the synth, on a Terraform plan
// (`terraform show -json plan.out`), against the stack's NHI register. Every input problem is an
// NhiInputError (one line, exit code 2).
import * as fs from 'fs';
import * as path from 'path';
import { Artifact, IdentityDeclaration } from '../core/artifact/model';
import { declarationFromRegister } from '../core/artifact/register';
import { artifactFromPlan, extractTerraformView } from '../core/artifact/terraform';
import { parseIsoDate } from '../core/dates';
import { ArtifactFinding, checkArtifact } from '../core/rules/artifact';
import { loadRegisterFile, NhiInputError, NhiWaiver } from './load';

/** The outcome of verifying one plan. */
export interface PlanVerification {
  readonly plan: string;
  readonly register: string;
  readonly identities: number;
  /** Findings no current waiver covers. */
  readonly findings: ArtifactFinding[];
  /** Findings a current waiver covers. */
  readonly waived: ArtifactFinding[];
}

function readJson(file: string, what: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new NhiInputError(`${file}: cannot read the ${what} (${e?.code === 'ENOENT' ? 'no such file' : e?.code ?? 'unreadable'}).`);
  }
  try {
    return JSON.parse(text);
  } catch (e: any) {
    throw new NhiInputError(`${file}: the ${what} is not valid JSON (${String(e?.message ?? e).split('\n')[0]}).`);
  }
}

/** The register to verify against: the option, or nhi-register.json beside the plan. */
function registerFile(planFile: string, option?: string): string {
  const candidates = option !== undefined
    ? [option, path.join(option, 'nhi-register.json')]
    : [path.join(path.dirname(planFile), 'nhi-register.json')];
  for (const c of candidates) {
    try {
      if (fs.statSync(c).isFile()) return c;
    } catch {
      // next
    }
  }
  throw new NhiInputError(option !== undefined
    ? `${option}: no nhi-register.json there; give the register of the stack the plan was made from (--register cdktf.out/stacks/<stack>).`
    : `${path.dirname(planFile) || '.'}: no nhi-register.json beside the plan; run terraform in the synthesised stack directory (cdktf.out/stacks/<stack>) or give --register.`);
}

/** Verifies a Terraform plan against the register of its stack. */
export function verifyPlan(planFile: string, options: { register?: string; today: string }): PlanVerification {
  const plan = readJson(planFile, 'plan');
  const regFile = registerFile(planFile, options.register);
  const register = loadRegisterFile(regFile);
  // The synthesised stack beside the register (cdk.tf.json) gives construct paths and the
  // templates of values the plan only knows after apply.
  const tfFile = path.join(path.dirname(regFile), 'cdk.tf.json');
  const synthesised = fs.existsSync(tfFile) ? readJson(tfFile, 'synthesised stack') : undefined;
  let declarations: IdentityDeclaration[];
  try {
    declarations = register.identities.map((i) => declarationFromRegister(i as any));
  } catch (e: any) {
    throw new NhiInputError(`${regFile}: ${e?.message ?? e}.`);
  }
  let artifact;
  try {
    artifact = artifactFromPlan(plan, synthesised);
  } catch (e: any) {
    throw new NhiInputError(`${planFile}: ${e?.message ?? e}.`);
  }
  declarations = resolvedInPlan(declarations, plan, artifact);
  const view = extractTerraformView(artifact, declarations);
  const all = checkArtifact(declarations, view);
  const findings: ArtifactFinding[] = [];
  const waived: ArtifactFinding[] = [];
  for (const f of all) (waiverFor(f, register.waivers, options.today) ? waived : findings).push(f);
  return { plan: planFile, register: regFile, identities: declarations.length, findings, waived };
}

/**
 * The register holds a token as its reference (`${var.oidc_provider}`, `${data.x.y.arn}`,
 * `${aws_iam_openid_connect_provider.p.arn}`); a plan holds its value where Terraform knows it at
 * plan time (variables, data sources, literal attributes) and the reference where it does not.
 * The declared trust policy (and an API key's stages) take the plan's value where there is one, so
 * they are compared exactly.
 */
function resolvedInPlan(declarations: IdentityDeclaration[], plan: any, artifact: Artifact): IdentityDeclaration[] {
  const values = new Map<string, any>();
  for (const r of artifact.resources) values.set(r.address, r.values);
  // Data sources read while planning are in the prior state.
  const walk = (mod: any) => {
    for (const r of Array.isArray(mod?.resources) ? mod.resources : []) {
      const address = String(r?.address ?? '').replace(/\[[^\]]*\]/g, '');
      if (r?.mode === 'data' && !values.has(address)) values.set(address, r.values ?? {});
    }
    for (const c of Array.isArray(mod?.child_modules) ? mod.child_modules : []) walk(c);
  };
  walk(plan?.prior_state?.values?.root_module);
  const variables = plan?.variables && typeof plan.variables === 'object' ? plan.variables : {};
  const known = (ref: string): unknown => {
    if (ref.startsWith('var.')) return variables[ref.slice(4)]?.value;
    const i = ref.lastIndexOf('.');
    return i > 0 ? values.get(ref.slice(0, i))?.[ref.slice(i + 1)] : undefined;
  };
  const resolve = (text: string) => text.replace(/\$\{([A-Za-z_][\w.-]*)\}/g, (m, ref: string) => {
    const v = known(ref);
    // Inside a JSON string: the value JSON-escaped.
    return typeof v === 'string' && !v.includes('${') ? JSON.stringify(v).slice(1, -1) : m;
  });
  const plain = (text: string) => text.replace(/\$\{([A-Za-z_][\w.-]*)\}/g, (m, ref: string) => {
    const v = known(ref);
    return typeof v === 'string' && !v.includes('${') ? v : m;
  });
  return declarations.map((d) => ({
    ...d,
    names: d.names.map(plain),
    ...(d.awsTrustPolicy !== undefined ? { awsTrustPolicy: resolve(d.awsTrustPolicy) } : {}),
    ...(d.apiStages !== undefined ? { apiStages: d.apiStages.map(plain) } : {}),
  }));
}

function waiverFor(f: ArtifactFinding, waivers: NhiWaiver[], today: string): NhiWaiver | undefined {
  const path_ = f.source.path;
  return waivers.find((w) => w.code === f.violation.code
    && ((w.path !== undefined && path_ !== undefined && (w.path === path_ || path_.startsWith(`${w.path}/`))) || w.resourceType === f.source.type)
    && parseIsoDate(w.expires)! > parseIsoDate(today)!);
}

/** The text report: one line per finding. */
export function renderVerifyText(v: PlanVerification): string {
  const lines = v.findings.map((f) => {
    const x = f.violation;
    return `[${x.code}] ${f.source.type} at ${f.source.path ?? f.source.address}: ${x.message}. Fix: ${x.fix}`;
  });
  const summary = `nhi verify: ${v.plan} against ${v.register}: ${v.identities} governed identit${v.identities === 1 ? 'y' : 'ies'}, ` +
    `${v.findings.length} finding${v.findings.length === 1 ? '' : 's'}${v.waived.length > 0 ? `, ${v.waived.length} waived` : ''}`;
  return [...lines, summary].join('\n') + '\n';
}

/** The JSON report. */
export function renderVerifyJson(v: PlanVerification): string {
  const one = (f: ArtifactFinding) => ({
    code: f.violation.code, address: f.source.address, type: f.source.type, attribute: f.source.attribute,
    ...(f.source.path ? { path: f.source.path } : {}), ...(f.identity ? { identity: f.identity } : {}),
    message: f.violation.message, fix: f.violation.fix, risks: f.violation.risks,
  });
  return JSON.stringify({ plan: v.plan, register: v.register, identities: v.identities, findings: v.findings.map(one), waived: v.waived.map(one) }, null, 2) + '\n';
}
