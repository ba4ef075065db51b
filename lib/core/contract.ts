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
