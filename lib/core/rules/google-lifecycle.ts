import { sortRisks, identityControls } from '../controls';
import { NhiRisk, Violation, violation } from '../violation';
import { isToken } from './aws-scope';
import { classifyGoogleMember } from './google-users';
import { Reach } from './lifecycle';
import { isVague } from './purpose';

const PROJECT_OF_NAME = /^projects\/([^/]+)\//;

function justifiedBy(j: unknown): boolean {
  return typeof j === 'string' && !isVague(j);
}

function literal(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '' && !isToken(v);
}

/** What a Google identity declares that reaches projects (raw props, read defensively). */
export interface GoogleReachInput {
  /** The identity's own project. */
  readonly project?: unknown;
  /** Service account scope (`GoogleRoleGrant[]`). */
  readonly scope?: unknown;
  /** Who may use the service account (`GoogleAccountUser[]`). */
  readonly usedBy?: unknown;
}

/**
 * The Google projects an identity reaches, for the environment isolation check
 * (`checkEnvironmentCrossing`, NHI8):
 *
 * - its own project (`project`; never justified: declare the identity in its environment);
 * - project-level grants on another `project` (`scope[i].project`);
 * - resources named `projects/<p>/...`: secrets (`scope[i].secret`) and KMS keys
 *   (`scope[i].cryptoKey`), and secrets by id in another `project` (`scope[i].project`);
 * - members of `usedBy` whose string names a project (`serviceAccount:x@<p>.iam.gserviceaccount.com`,
 *   `serviceAccount:<p>.svc.id.goog[ns/ksa]`): `usedBy[i].member`.
 *
 * A grant or user with a justification (at least three words) is `justified`. Bucket names and
 * federated principals (project numbers) do not name a project id, and tokens are unknown at
 * synth: they are not reaches.
 */
export function googleReaches(input: GoogleReachInput): Reach[] {
  const out: Reach[] = [];
  const own = literal(input.project) ? input.project : undefined;
  if (own) out.push({ field: 'project', target: own, justified: false });
  (Array.isArray(input.scope) ? input.scope : []).forEach((raw: unknown, i: number) => {
    const g = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const justified = justifiedBy(g.justification);
    const named = (['secret', 'cryptoKey'] as const).find((k) => literal(g[k]) && PROJECT_OF_NAME.test(g[k] as string));
    if (named) {
      out.push({ field: `scope[${i}].${named}`, target: PROJECT_OF_NAME.exec(g[named] as string)![1], justified });
    } else if (literal(g.project) && g.project !== own && g.bucket === undefined && g.cryptoKey === undefined) {
      // Project-level grants and secrets by id live in `project` (buckets and keys do not).
      out.push({ field: `scope[${i}].project`, target: g.project, justified });
    }
  });
  (Array.isArray(input.usedBy) ? input.usedBy : []).forEach((raw: unknown, i: number) => {
    const u = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    if (!literal(u.member)) return;
    const project = classifyGoogleMember(u.member).project;
    if (project) out.push({ field: `usedBy[${i}].member`, target: project, justified: justifiedBy(u.justification) });
  });
  return out;
}

/**
 * Keys of a third-party service account (OWASP NHI3): a key handed to a vendor leaves the
 * organisation's control, so beyond `keys.justification` (why workload identity cannot be used)
 * it needs its own:
 *
 * - `keys.vendorJustification`: why the vendor cannot federate (workload identity federation from
 *   its own cloud or OIDC issuer, `usedBy` a `principal://` member), at least three words and not a
 *   copy of `keys.justification`;
 * - `vendor.contractRef`: the contract that covers handing the key over.
 *
 * A missing, vague or copied vendor justification is NHI_STATIC_CREDENTIALS_UNJUSTIFIED (field
 * `keys.vendorJustification`); a missing contract is NHI_VENDOR_INVALID (field `vendor.contractRef`).
 * `keys.vendorJustification` without a `vendor` is NHI_VENDOR_INVALID (it would record a third party
 * that is not declared).
 */
export function checkGoogleVendorKeys(vendor: unknown, keys: unknown, field = 'keys', vendorField = 'vendor'): Violation[] {
  if (keys === undefined || keys === null || typeof keys !== 'object') return [];
  const k = keys as { justification?: unknown; vendorJustification?: unknown };
  if (vendor === undefined || vendor === null) {
    return k.vendorJustification === undefined ? [] : [violation('NHI_VENDOR_INVALID', `${field}.vendorJustification`,
      'justifies a key for a third party, but the identity declares no vendor',
      `set ${vendorField}: { name, contact, contractRef } if a third party uses the key, or remove ${field}.vendorJustification`, k.vendorJustification, [NhiRisk.NHI3])];
  }
  const out: Violation[] = [];
  const vj = k.vendorJustification;
  const fix = `let the vendor federate instead (workload identity federation: usedBy a principal:// member) and remove ${field}; ` +
    `otherwise set ${field}.vendorJustification saying why the vendor cannot federate, and ${vendorField}.contractRef`;
  if (typeof vj !== 'string' || isVague(vj)) {
    out.push(violation('NHI_STATIC_CREDENTIALS_UNJUSTIFIED', `${field}.vendorJustification`,
      'a key for a third party leaves your control: it needs its own justification (at least three words) of why the vendor cannot federate',
      fix, vj, [NhiRisk.NHI3, NhiRisk.NHI7]));
  } else if (typeof k.justification === 'string' && vj.trim().toLowerCase() === k.justification.trim().toLowerCase()) {
    out.push(violation('NHI_STATIC_CREDENTIALS_UNJUSTIFIED', `${field}.vendorJustification`,
      `repeats ${field}.justification: say why this vendor cannot federate, not why a key is needed`, fix, vj, [NhiRisk.NHI3, NhiRisk.NHI7]));
  }
  const contract = (typeof vendor === 'object' ? vendor : {}) as { contractRef?: unknown };
  if (typeof contract.contractRef !== 'string' || contract.contractRef.trim() === '') {
    out.push(violation('NHI_VENDOR_INVALID', `${vendorField}.contractRef`,
      'a key for a third party needs the contract or data-processing agreement that covers handing it over',
      `set ${vendorField}.contractRef, e.g. 'DPA-2026-17'`, contract.contractRef, [NhiRisk.NHI3]));
  }
  return out;
}

/**
 * The controls of a governed Google service account: those of {@link identityControls}, plus
 * NHI10 (and NHI9) when `usedBy` declares who may use it (human use and shared use are then checked).
 */
export function googleAccountControls(hasSecret: boolean, declared: { system?: string; environment?: string; vendor?: unknown }, usersDeclared: boolean): string[] {
  const base = identityControls(hasSecret, declared);
  return usersDeclared ? sortRisks([...base, NhiRisk.NHI9, NhiRisk.NHI10]) : base;
}
