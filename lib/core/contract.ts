/** The human team accountable for an identity. */
export interface Owner {
  /** Team slug: lowercase letters, digits and single hyphens, e.g. `payments-platform`. */
  readonly team: string;
  /** E-mail address that receives the identity's alarms and reminders, e.g. `payments@example.com`. */
  readonly contact: string;
}

/**
 * The governance every governed construct requires, in every target module.
 * Target-specific `scope` types are declared by each construct's props.
 */
export interface GovernanceProps {
  /** Who is accountable for the identity. */
  readonly owner: Owner;
  /** Why the identity exists, in words a reviewer understands (at least three words, no placeholders). */
  readonly purpose: string;
  /**
   * The last day the identity may be used, `YYYY-MM-DD` (UTC). It stops working at 00:00 UTC on
   * that day. Must be after today and within the policy's maximum lifetime (default 365 days).
   */
  readonly expires: string;
  /**
   * Extra tags (AWS) or labels (Google) for every resource the construct creates; the
   * organisation policy may require some (`requiredTags`). Governance tags (`nhi:*`) win on a clash.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
  /**
   * The workload or service that uses the identity (beside `owner`, the human team), e.g.
   * `billing-reporter`. One identity per workload: two identities of one system with overlapping
   * scope are flagged at synth (OWASP NHI9).
   * @default - none (required if the policy sets requireSystem)
   */
  readonly system?: string;
  /**
   * The environment the identity belongs to (`prod`, `staging`, `dev`): selects the policy's
   * environment override and is checked against the policy's environmentAccounts (OWASP NHI8).
   * @default - the closest GovernancePolicy `environment` setting, if any
   */
  readonly environment?: string;
  /**
   * Marks an identity used by a third party (OWASP NHI3): shorter maximum lifetime, external-id
   * trust on AWS, flagged in the register.
   * @default - not a third-party identity
   */
  readonly vendor?: Vendor;
  /**
   * Who approved the identity. Extending `expires` is a re-attestation: the CLI's diff flags an
   * extension whose ticket did not change.
   * @default - none (required where the policy says so)
   */
  readonly approval?: Approval;
  /**
   * Why this identity shares its `system` and part of its scope with another one (otherwise
   * flagged as identity reuse, NHI_IDENTITY_REUSE).
   * @default - none
   */
  readonly reuseJustification?: string;
}

/** A third party that uses the identity (OWASP NHI3). */
export interface Vendor {
  /** The vendor's name, e.g. `Globex Corp`. */
  readonly name: string;
  /** The vendor's security or integration contact (e-mail). */
  readonly contact: string;
  /**
   * The contract or data-processing agreement that covers the access.
   * @default - none recorded
   */
  readonly contractRef?: string;
}

/** Who approved the identity, and where. */
export interface Approval {
  /** The change or access-request ticket, e.g. `SEC-1234`. */
  readonly ticket: string;
  /**
   * Who approved it (e-mail).
   * @default - not recorded
   */
  readonly approvedBy?: string;
}

/** Opt-in to long-lived static credentials (an access key or a service account key). */
export interface StaticCredentialsOptions {
  /** Why workload identity (a role assumed by the workload) cannot be used instead. */
  readonly justification: string;
  /**
   * How often the credential is replaced, in days.
   * @default - the policy's defaultRotationDays (30)
   */
  readonly rotationDays?: number;
}

/** One least-privilege AWS grant: these actions on these resources. */
export interface AwsScopeGrant {
  /** IAM actions, `service:Action`, without wildcards, e.g. `s3:GetObject`. */
  readonly actions: string[];
  /**
   * Resource ARNs. `*` only for actions that support no resource types (e.g. `sts:GetCallerIdentity`).
   */
  readonly resources: string[];
  /**
   * Why a privileged action (permissions management, role passing, credential creation) is needed.
   * @default - none; privileged actions are then rejected
   */
  readonly justification?: string;
}
