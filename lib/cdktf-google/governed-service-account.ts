import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { ServiceAccountKey } from '@cdktf/provider-google/lib/service-account-key';
import { Fn, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { GoogleAlarmOptions } from './alarm-options';
import { bindGrant, bindUser } from './private/bindings';
import { GoogleNotices } from './private/notices';
import { credentialSecret } from './private/secret';
import { attributeReference } from '../cdktf/private/reference';
import { IGovernedIdentity, NhiRegister } from '../cdktf/register';
import { OverlappingRotation } from '../cdktf/rotation';
import { declareIdentity, terraformAddress } from '../cdktf/verification';
import { GovernanceProps, StaticCredentialsOptions } from '../core/contract';
import { googleAlarm } from '../core/google-alarms';
import { googleExpiryCondition } from '../core/google-condition';
import { googleServiceAccountDescription, googleServiceAccountDisplayName } from '../core/google-description';
import { governIdentity, registerGovernanceFields, ResolvedGovernance } from '../core/governance';
import { RegisterAlarm, RegisterEntry } from '../core/register';
import { isToken } from '../core/rules/aws-scope';
import { checkGoogleAccountId, checkGoogleProject } from '../core/rules/google-names';
import { checkGoogleVendorKeys, googleAccountControls, googleReaches } from '../core/rules/google-lifecycle';
import { AnalysedGoogleGrant, analyzeGoogleScope } from '../core/rules/google-scope';
import { AnalysedGoogleUser, analyzeGoogleAccountUsers } from '../core/rules/google-users';
import { checkEnvironmentCrossing } from '../core/rules/lifecycle';
import { suspendCreationStacks } from '../cdktf/private/creation-stack';
import { appendAll } from '../core/private/append';

/**
 * One least-privilege Google grant: a role granted *to* the service account, on its project,
 * another project, or one resource (give at most one of `bucket`, `secret`, `cryptoKey`).
 */
export interface GoogleRoleGrant {
  /**
   * A predefined role (`roles/storage.objectViewer`) or a custom role
   * (`projects/<p>/roles/<id>`). Never a basic role (`roles/owner|editor|viewer`).
   * A custom role defined in the same stack (`ProjectIamCustomRole`, `OrganizationIamCustomRole`;
   * given as its `name`, its `id` or its full name) is judged at synth by the permissions the
   * synthesised JSON gives it; one managed elsewhere only by its name.
   */
  readonly role: string;
  /**
   * The project of a project-level grant, or of a secret given by its short id.
   * @default - the service account's project
   */
  readonly project?: string;
  /**
   * A Cloud Storage bucket name (the bucket needs uniform bucket-level access, which IAM
   * conditions require).
   * @default - not a bucket grant
   */
  readonly bucket?: string;
  /**
   * A Secret Manager secret: its id (in `project`) or name `projects/<p>/secrets/<id>`.
   * @default - not a secret grant
   */
  readonly secret?: string;
  /**
   * A Cloud KMS crypto key id, `projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`.
   * @default - not a crypto key grant
   */
  readonly cryptoKey?: string;
  /**
   * Why an administrator or impersonation role is needed (at least three words). It also
   * accepts a data-access role on a whole project, and a custom role of the stack with such permissions.
   * @default - none; such roles are then rejected
   */
  readonly justification?: string;
}

/** The IAM condition on every binding of a governed Google identity. */
export interface GoogleBindingCondition {
  /** `nhi: <team> until <YYYY-MM-DD>`. */
  readonly title: string;
  /** Expiry instant, owner and purpose (at most 256 bytes). */
  readonly description: string;
  /** `request.time < timestamp("<expires>T00:00:00Z")`. */
  readonly expression: string;
}

/**
 * A member that may *use* the service account (cloud-foundation-fabric's `iam` on the account,
 * separate from the roles granted *to* it in `scope`): one `google_service_account_iam_member` on
 * the account, with the same expiry condition as every other binding.
 */
export interface GoogleAccountUser {
  /**
   * The IAM member: a workload, `serviceAccount:<e-mail>` (also GKE
   * `serviceAccount:<project>.svc.id.goog[<namespace>/<ksa>]`),
   * `principal://iam.googleapis.com/projects/<n>/locations/global/workloadIdentityPools/<pool>/subject/<s>`
   * or `principalSet://...` narrowed by an attribute or group. People (`user:`, `group:`,
   * `domain:`, workforce pool identities) only with a justification (NHI_HUMAN_USE);
   * `allUsers`, `allAuthenticatedUsers` and a whole pool (`.../*`) never (NHI_TRUST_WILDCARD).
   */
  readonly member: string;
  /**
   * How it uses the account: `roles/iam.serviceAccountUser` (attach it to a resource: a deployer),
   * `roles/iam.serviceAccountTokenCreator`, `roles/iam.serviceAccountOpenIdTokenCreator` (mint its
   * tokens) or `roles/iam.workloadIdentityUser` (federate into it).
   */
  readonly role: string;
  /**
   * Why this member may use the account although the rules reject it by default: a person
   * (break-glass), an additional workload, a project of another environment. At least three words.
   * @default - none
   */
  readonly justification?: string;
}

/** A key opt-in of a Google service account (`StaticCredentialsOptions` plus the third-party case). */
export interface GoogleKeyOptions extends StaticCredentialsOptions {
  /**
   * For a service account used by a third party (`vendor`): why the vendor cannot use workload
   * identity federation instead of a key (its own justification, not a copy of `justification`).
   * Required together with `vendor.contractRef` when `vendor` is set
   * (NHI_STATIC_CREDENTIALS_UNJUSTIFIED, NHI_VENDOR_INVALID).
   * @default - none (an error for a vendor account with keys)
   */
  readonly vendorJustification?: string;
}

/** Props of a governed Google service account (cdktf). */
export interface GovernedServiceAccountProps extends GovernanceProps {
  /** The roles granted to the account, each on a project or one resource. Never empty. */
  readonly scope: GoogleRoleGrant[];
  /** The project the service account lives in (its id, e.g. `acme-billing-prod`). */
  readonly project: string;
  /** The account id: 6-30 characters, `^[a-z]([-a-z0-9]*[a-z0-9])$`. */
  readonly accountId: string;
  /**
   * Opt-in to a service account key, for workloads outside Google Cloud that cannot use workload
   * identity federation. Requires a justification; the key is rotated, stored in Secret Manager
   * and disabled at expiry.
   * @default - no key (workload identity)
   */
  readonly keys?: GoogleKeyOptions;
  /**
   * Who may use the account: members granted a usage role *on* it (deployers acting as it,
   * workloads minting its tokens or federating into it), each binding ending at expiry. One
   * workload runs as it and one deploys it; people, more workloads and other environments' projects
   * need a justification.
   * @default - nobody is granted use of the account by this construct
   */
  readonly usedBy?: GoogleAccountUser[];
  /**
   * Where notifications go.
   * @default - the owner's e-mail notification channel; expiry notices, key-creation and access-denied alerts
   */
  readonly alarms?: GoogleAlarmOptions;
}

/** What Google cannot do for a governed service account, recorded in the register. */
export const SERVICE_ACCOUNT_LIMITATIONS: readonly string[] = [
  'google_service_account takes no labels: owner, purpose and expiry are in its description and display name',
  'IAM conditions end the bindings this construct creates; roles granted to the account elsewhere are not limited',
];
/** Limitation that applies when the account has a key. */
export const KEY_LIMITATION =
  'service account keys have no per-key expiry: both overlapping keys are disabled at expiry by Cloud Scheduler; the org policy constraints/iam.serviceAccountKeyExpiryHours is the matching organisation-wide guard';

/**
 * A governed Google service account for cdktf: an account without keys by default, whose every
 * role binding carries an IAM condition that ends it at the expiry date, with owner, purpose and
 * expiry in its description, alerts to the owner and an entry in the stack's NHI register.
 */
export class GovernedServiceAccount extends Construct implements IGovernedIdentity {
  /** The service account. */
  public readonly serviceAccount: ServiceAccount;
  /** The role bindings (`google_*_iam_member`), one per grant, each with the expiry condition. */
  public readonly bindings: TerraformResource[];
  /** The bindings on the account that let `usedBy` members use it, each with the expiry condition. */
  public readonly userBindings: ServiceAccountIamMember[];
  /** The account's e-mail (literal when the project is). */
  public readonly email: string;
  /** The IAM member, `serviceAccount:<email>` (a reference to the account, so bindings wait for it). */
  public readonly member: string;
  /** The IAM condition every binding carries. */
  public readonly condition: GoogleBindingCondition;
  /**
   * The first of the two overlapping key slots (only with `keys`): see `keys`.
   * @deprecated use `keys`: two keys overlap, and the secret holds the newer one
   */
  public readonly key?: ServiceAccountKey;
  /**
   * The two overlapping keys (only with `keys`): each replaced every `2 x rotationDays`,
   * alternately, so one of them is new every `rotationDays` and the other stays valid one more
   * period. The secret holds the newer one.
   */
  public readonly keys?: ServiceAccountKey[];
  /** The Secret Manager secret holding the key's JSON credentials (only with `keys`). */
  public readonly secret?: SecretManagerSecret;
  /** The governance this account resolved to. */
  public readonly governance: ResolvedGovernance;

  private readonly grants: AnalysedGoogleGrant[];
  private readonly users: AnalysedGoogleUser[];
  private readonly alarmList: RegisterAlarm[];
  private readonly accountId: string;
  private readonly project: string;

  public constructor(scope: Construct, id: string, props: GovernedServiceAccountProps) {
    super(scope, id);
    // Tokens this construct makes for itself carry no creation stack (see suspendCreationStacks).
    const resume = suspendCreationStacks();
    try {
      const p = (props ?? {}) as Partial<GovernedServiceAccountProps>;
      let grants: AnalysedGoogleGrant[] = [];
      let users: AnalysedGoogleUser[] = [];
      const project = typeof p.project === 'string' && !p.project.includes('${') ? p.project : undefined;
      const uniqueNames = [{ kind: 'Google service account id', name: p.accountId, field: 'accountId', namespace: project }];
      const gov = governIdentity(this, { ...p, staticCredentials: p.keys, staticCredentialsField: 'keys', uniqueNames }, (policy, environment) => {
        const projectViolations = checkGoogleProject(p.project);
        const analysis = analyzeGoogleScope(p.scope, policy, typeof p.project === 'string' ? p.project : '');
        const usage = analyzeGoogleAccountUsers(p.usedBy);
        grants = analysis.grants;
        users = usage.users;
        return appendAll([
          checkGoogleAccountId(p.accountId), projectViolations, analysis.violations, usage.violations,
          checkGoogleVendorKeys(p.vendor, p.keys),
          checkEnvironmentCrossing(environment, googleReaches(p), policy),
        ]);
      });
      this.governance = gov;
      this.grants = grants;
      this.users = users;
      this.accountId = p.accountId!;
      this.project = p.project!;
      const text = { team: gov.owner.team, contact: gov.owner.contact, purpose: gov.purpose, expires: gov.expires, system: gov.system };

      this.serviceAccount = new ServiceAccount(this, 'Account', {
        project: this.project,
        accountId: this.accountId,
        displayName: googleServiceAccountDisplayName(text),
        description: googleServiceAccountDescription(text),
      });
      this.member = attributeReference(this.serviceAccount, 'member');
      this.email = isToken(this.project) || isToken(this.accountId)
        ? this.serviceAccount.email : `${this.accountId}@${this.project}.iam.gserviceaccount.com`;
      this.condition = googleExpiryCondition(text);
      this.bindings = [];
      for (const g of this.grants) this.bindings.push(bindGrant(this, g, this.member, this.condition));
      this.userBindings = this.users.map((u) => bindUser(this, u, this.serviceAccount.name, this.condition));

      const notices = GoogleNotices.of(this);
      const region = p.alarms?.schedulerRegion;
      const channel = notices.channelFor(this.project, gov.owner.team, gov.owner.contact, p.alarms?.notificationChannel, p.alarms?.runbookUrl);
      const notifies = p.alarms?.notificationChannel ?? gov.owner.contact;
      notices.notice(this.project, region, 'expiry-reminder', gov.reminderDate, gov.expires, channel, this.node.path);
      notices.notice(this.project, region, 'expired', gov.expires, gov.expires, channel, this.node.path);
      const watched = notices.watch(this.project, channel, this.email);
      this.alarmList = [
        googleAlarm('expiry-reminder', gov.reminderDate, gov.expires, notifies),
        googleAlarm('expired', gov.reminderDate, gov.expires, notifies),
        googleAlarm('access-denied', gov.reminderDate, gov.expires, notifies),
        googleAlarm('key-created', gov.reminderDate, gov.expires, notifies),
        googleAlarm('key-used', gov.reminderDate, gov.expires, notifies),
      ];

      if (p.keys) {
        // Two key slots, one replaced every rotationDays (alternately): the key handed out one
        // period ago stays valid for one more period, so consumers never hold a deleted key.
        const rotation = new OverlappingRotation(this, 'KeyRotation', gov.rotationDays!);
        this.keys = rotation.slots.map((slot, i) => new ServiceAccountKey(this, i === 0 ? 'Key' : 'KeyB', {
          serviceAccountId: this.serviceAccount.name,
          // A new time_rotating id (unknown at plan) changes the keepers and forces a new key; the
          // shared terraform_data trigger does the same through replace_triggered_by.
          keepers: { rotation: slot.rotating.id },
          lifecycle: { createBeforeDestroy: true, replaceTriggeredBy: [slot.triggerAddress] },
        }));
        this.key = this.keys[0];
        // Using these keys is expected; any other key of the account alerts (key-used).
        watched.governedKeys.push(...this.keys.map((k) => k.name));
        // The secret holds the newer key. Secret Manager deletes the secret at the identity's expiry.
        this.secret = credentialSecret(this, 'KeySecret', {
          project: this.project, secretId: `nhi-sa-key-${this.accountId}`, governance: gov,
          value: Fn.base64decode(rotation.newest(this.keys[0].privateKey, this.keys[1].privateKey)),
        });
        this.keys.forEach((key, i) => notices.expiryCall(this, i === 0 ? 'DisableKeyAtExpiry' : 'DisableKeyBAtExpiry', this.project, region, gov.expires, 'POST',
          `https://iam.googleapis.com/v1/${key.name}:disable`, 'iam.serviceAccountKeys.disable',
          `nhi-constructs: disable the keys of ${this.accountId} at its expiry (${gov.expires})`));
        this.alarmList.push(googleAlarm('credential-disabled', gov.reminderDate, gov.expires, notifies));
      }
      NhiRegister.of(this).add(this);
      // The synthesised artifact must say exactly this (checked at synth, on by default).
      declareIdentity(this, {
        cloud: 'google',
        principals: [this.serviceAccount],
        names: [this.email, `serviceAccount:${this.email}`],
        expiresAt: gov.expiresAt,
        googleGrants: this.grants.map((g) => ({ role: g.role, target: g.target, resource: g.resource, justification: g.justification })),
        googleCondition: this.condition.expression,
        googleUsers: this.users.map((u) => ({ member: u.member, role: u.role })),
        // Custom roles of the stack are judged by their permissions in the final JSON, under this policy.
        forbiddenActions: gov.policy.forbiddenActions,
        forbidProjectWideDataAccess: gov.policy.forbidProjectWideDataAccess,
      });
    } catch (e) {
      throw resume(e);
    } finally {
      resume();
    }
  }

  /** This account's entry in the NHI register (tokens unresolved). */
  public get registerEntry(): RegisterEntry {
    const hasKey = this.key !== undefined;
    return {
      path: this.node.path,
      kind: 'service-account',
      cloud: 'google',
      name: this.email,
      ...registerGovernanceFields(this.governance),
      scope: this.grants.map((g) => ({
        role: g.role,
        on: g.target,
        resource: g.resource,
        ...(g.project && g.target !== 'project' ? { project: g.project } : {}),
        privileged: g.privileged,
        ...(g.custom ? { custom: true } : {}),
        ...(g.justification ? { justification: g.justification } : {}),
      })),
      credentials: hasKey ? 'service-account-key' : 'none',
      rotation: this.governance.rotationDays ? { days: this.governance.rotationDays } : undefined,
      alarms: this.alarmList,
      controls: googleAccountControls(hasKey, this.governance, this.users.length > 0),
      details: {
        project: this.project,
        accountId: this.accountId,
        condition: this.condition.expression,
        ...(this.users.length > 0 ? {
          usedBy: this.users.map((u) => ({ member: u.member, role: u.role, kind: u.kind, ...(u.justification ? { justification: u.justification } : {}) })),
        } : {}),
        ...(hasKey ? { keySecret: `nhi-sa-key-${this.accountId}` } : {}),
        // The key slots by Terraform address: any other key of the account in a plan is undeclared (`nhi verify`).
        ...(hasKey ? { credentialResources: this.keys!.map(terraformAddress) } : {}),
        limitations: hasKey ? [...SERVICE_ACCOUNT_LIMITATIONS, KEY_LIMITATION] : [...SERVICE_ACCOUNT_LIMITATIONS],
      },
    };
  }
}
