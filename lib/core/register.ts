import { Approval, Owner, Vendor } from './contract';

/** Version of the `nhi-register.json` format. */
export const REGISTER_VERSION = 1;
/** File name of a stack's register, written beside its synthesised template. */
export const REGISTER_FILE = 'nhi-register.json';

/** A notification a governed identity sends its owner. */
export interface RegisterAlarm {
  /** `expiry-reminder`, `expired`, `access-denied`, ... (see docs/cdktf-aws.md "Notifications and alarms"). */
  readonly kind: string;
  /** When it fires, in words. */
  readonly description: string;
  /** Where it goes (e-mail address or topic/channel reference). */
  readonly notifies: string;
}

/** Rotation of a governed identity's secret. */
export interface RegisterRotation {
  readonly days: number;
}

/** One identity in a stack's NHI register. */
export interface RegisterEntry {
  /** Construct path of the governed construct. */
  readonly path: string;
  /** `service-account` or `api-key`. */
  readonly kind: string;
  /** `aws` or `google`. */
  readonly cloud: string;
  /** Name of the identity in the cloud (may be a token reference where unknown at synth). */
  readonly name: string;
  readonly owner: Owner;
  /**
   * The workload that uses it.
   * @default - not declared (rendered as null)
   */
  readonly system?: string;
  /**
   * Why it shares its system and part of its scope with another identity.
   * @default - none (omitted)
   */
  readonly reuseJustification?: string;
  /**
   * Its environment.
   * @default - not declared (rendered as null)
   */
  readonly environment?: string;
  readonly purpose: string;
  /** `YYYY-MM-DD`. */
  readonly expires: string;
  /**
   * Who approved it.
   * @default - not recorded (rendered as null)
   */
  readonly approval?: Approval;
  /**
   * The third party that uses it.
   * @default - not a third-party identity (rendered as null)
   */
  readonly vendor?: Vendor;
  /** What it can do, target-specific (AWS: grants of actions with access levels on resources). */
  readonly scope: any;
  /** `none` (workload identity), `access-key`, `api-key`, `service-account-key`. */
  readonly credentials: string;
  /**
   * Rotation of its secret.
   * @default - no secret to rotate (rendered as null)
   */
  readonly rotation?: RegisterRotation;
  readonly alarms: RegisterAlarm[];
  /** OWASP NHI Top 10 risks mitigated, e.g. `NHI1`. */
  readonly controls: string[];
  /** Target-specific facts (principals trusted, API stages, ...). */
  readonly details?: { [key: string]: any };
}

/** Stable key order for one entry: a reviewer's diff shows only what changed. */
function normaliseEntry(e: RegisterEntry): Record<string, unknown> {
  return {
    path: e.path,
    kind: e.kind,
    cloud: e.cloud,
    name: e.name,
    owner: { team: e.owner.team, contact: e.owner.contact },
    system: e.system ?? null,
    ...(e.reuseJustification ? { reuseJustification: e.reuseJustification } : {}),
    environment: e.environment ?? null,
    purpose: e.purpose,
    expires: e.expires,
    approval: e.approval ? { ticket: e.approval.ticket, ...(e.approval.approvedBy ? { approvedBy: e.approval.approvedBy } : {}) } : null,
    vendor: e.vendor ? { name: e.vendor.name, contact: e.vendor.contact, ...(e.vendor.contractRef ? { contractRef: e.vendor.contractRef } : {}) } : null,
    credentials: e.credentials,
    rotation: e.rotation ? { days: e.rotation.days } : null,
    scope: e.scope,
    alarms: e.alarms.map((a) => ({ kind: a.kind, description: a.description, notifies: a.notifies })),
    controls: [...e.controls],
    ...(e.details ? { details: e.details } : {}),
  };
}

/**
 * Renders a register: entries sorted by path, fixed key order, the waivers in force (see
 * `registerWaivers`), two-space JSON, trailing newline.
 */
export function renderRegister(entries: RegisterEntry[], waivers: Record<string, unknown>[] = []): string {
  const identities = [...entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map(normaliseEntry);
  return JSON.stringify({ version: REGISTER_VERSION, identities, waivers }, null, 2) + '\n';
}
