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

/** The waiver that accepted a finding (see `Waiver`). */
export interface RegisterAcceptedWaiver {
  readonly reason: string;
  /** `YYYY-MM-DD`. */
  readonly expires: string;
  /** The waiver's owner team. */
  readonly owner: string;
}

/**
 * Something the synthesised artifact grants to, trusts for or hands out for an identity beyond its
 * declaration, which a waiver accepts (without the waiver, the synth fails). Together with the
 * declaration, these are what the artifact holds for the identity.
 */
export interface RegisterAcceptedFinding {
  /** The finding's code, e.g. `NHI_SCOPE_WIDENED`. */
  readonly code: string;
  /** Construct path (or artifact address) of the element that grants, trusts or hands out. */
  readonly source: string;
  /** Its resource type (`aws_iam_role_policy_attachment`, `AWS::IAM::Policy`). */
  readonly resourceType: string;
  /** Its attribute (`policy_arn`, `policy`, `member`). */
  readonly attribute: string;
  /** What the artifact does, in words. */
  readonly message: string;
  readonly waiver: RegisterAcceptedWaiver;
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
  /**
   * What the synthesised artifact holds for the identity beyond its declaration, accepted by a
   * waiver (anything else beyond the declaration fails the synth).
   * @default - none (omitted): the artifact holds exactly the declaration
   */
  readonly accepted?: RegisterAcceptedFinding[];
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
    ...(e.accepted && e.accepted.length > 0 ? {
      accepted: e.accepted.map((a) => ({
        code: a.code, source: a.source, resourceType: a.resourceType, attribute: a.attribute, message: a.message,
        waiver: { reason: a.waiver.reason, expires: a.waiver.expires, owner: a.waiver.owner },
      })),
    } : {}),
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
