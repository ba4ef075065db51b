import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib/core';
import type * as checks from './private/checks';
import { lazyModule } from '../core/private/lazy';

// The rules load at the first validation (most apps that import the library never add the plugin).
const rules = lazyModule(() => require('./private/checks') as typeof checks);

/** Options of the NHI governance validation plugin. */
export interface NhiGovernanceChecksProps {
  /**
   * Report IAM users, IAM access keys and API Gateway API keys that no governed construct
   * created (NHI_UNGOVERNED_IDENTITY): long-lived credentials without an owner, expiry or rotation.
   * @default true
   */
  readonly reportUngovernedCredentials?: boolean;
  /**
   * Also report IAM roles that no governed construct created (NHI_UNGOVERNED_IDENTITY), including
   * the roles AWS CDK L2 constructs create for themselves: give such a construct a governed role
   * (`new lambda.Function(this, 'Fn', { ..., role: sa })`, `sa` a GovernedServiceAccount), or
   * waive the finding with an expiring waiver (`Waivers.of(scope).add(...)`).
   * @default true
   */
  readonly reportUngovernedRoles?: boolean;
}

/** Rule ids this plugin reports (acknowledge them as `NhiGovernance::<id>`). */
const RULE_IDS = [
  'NHI_SCOPE_WIDENED',
  'NHI_EXPIRY_CONDITION_MISSING',
  'NHI_TRUST_ACCOUNT_ROOT',
  'NHI_TRUST_WILDCARD',
  'NHI_TRUST_SHARED',
  'NHI_TRUST_UNSUPPORTED',
  'NHI_TRUST_INVALID',
  'NHI_TRUST_MISSING',
  'NHI_HUMAN_USE',
  'NHI_ENVIRONMENT_CROSSING',
  'NHI_USER_CONSOLE_ACCESS',
  'NHI_UNGOVERNED_IDENTITY',
  'NHI_WAIVER_EXPIRED',
  'NHI_ACKNOWLEDGEMENT_UNGOVERNED',
];

/**
 * A CDK policy-validation plugin (`Validations.of(app).addPlugins(new NhiGovernanceChecks())`)
 * that runs the governance rules over the synthesised templates, after every escape hatch,
 * aspect and grant has been applied:
 *
 * - every policy attached to a governed role or user (inline, `AWS::IAM::Policy`,
 *   `AWS::IAM::ManagedPolicy`, managed policy ARNs) stays within the declared scope
 *   (NHI_SCOPE_WIDENED) and stops at expiry (NHI_EXPIRY_CONDITION_MISSING);
 * - a governed role's trust policy trusts one workload, no account root (except a vendor's, with
 *   an external id) or wildcard (NHI_TRUST_*), no person unless justified (NHI_HUMAN_USE), no
 *   account of another environment unless justified (NHI_ENVIRONMENT_CROSSING), and stops at expiry;
 * - a governed user has no console password (NHI_USER_CONSOLE_ACCESS);
 * - IAM users, access keys, API keys and roles created outside governed constructs are reported
 *   (NHI_UNGOVERNED_IDENTITY, the core enforcement rule), with the fix for L2 constructs that
 *   create their own role (`role: sa`);
 * - an acknowledgement of these rules with the AWS CDK's own mechanism
 *   (`Validations.of(c).acknowledge({ id: 'NhiGovernance::<code>', reason })`) that no current
 *   waiver backs is itself reported (NHI_ACKNOWLEDGEMENT_UNGOVERNED, severity fatal, which the
 *   AWS CDK does not let anyone acknowledge): it has a reason only, no owner, no expiry, and is not
 *   in the NHI register.
 *
 * Accept a finding with an expiring waiver instead, on the resource or any scope above it
 * (`Waivers.of(scope).add({ code, path | resourceType, owner, reason, expires })`): it names who
 * accepted the risk until when, is listed in the stack's NHI register, and stops waiving at expiry.
 * Its path is the construct path of the finding, or of the L2 construct around it (`Bridge/User`
 * for `Bridge/User/Resource`).
 */
export class NhiGovernanceChecks implements IPolicyValidationPlugin {
  /** Plugin name (and acknowledgement namespace). */
  public readonly name: string = 'NhiGovernance';
  /** Rule ids reported. */
  public readonly ruleIds?: string[] = [...RULE_IDS];
  private readonly reportUngoverned: boolean;
  private readonly reportRoles: boolean;

  public constructor(props: NhiGovernanceChecksProps = {}) {
    this.reportUngoverned = props.reportUngovernedCredentials ?? true;
    this.reportRoles = props.reportUngovernedRoles ?? true;
  }

  /** Validates the synthesised templates (called by the AWS CDK during synthesis). */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return rules().validateTemplates(context, { reportUngoverned: this.reportUngoverned, reportRoles: this.reportRoles });
  }
}
