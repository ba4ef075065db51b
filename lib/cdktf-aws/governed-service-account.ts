import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { Construct } from 'constructs';
import { AwsAlarmOptions } from './alarm-options';
import { AwsNotices } from './private/notices';
import { CdktfRotationFunction, kmsStatements } from './private/rotation';
import { credentialSecret } from './private/secret';
import { attributeReference } from '../cdktf/private/reference';
import { GeneratedId } from '../cdktf/private/terraform-data';
import { IGovernedIdentity, NhiRegister } from '../cdktf/register';
import { declareIdentity } from '../cdktf/verification';
import { alarm } from '../core/alarms';
import { CLOUDTRAIL_ALARM_KINDS } from '../core/aws-events';
import { awsScopePolicy, renderPolicyJson } from '../core/aws-policy';
import { AwsScopeGrant, GovernanceProps, StaticCredentialsOptions } from '../core/contract';
import { awsServiceAccountEntry } from '../core/aws-register';
import { governIdentity, ResolvedGovernance } from '../core/governance';
import { RegisterAlarm, RegisterEntry } from '../core/register';
import { checkAwsIamName, checkIamPath } from '../core/rules/aws-names';
import { checkAwsAlarmOptions, checkAwsReference } from '../core/rules/aws-references';
import { AnalysedAwsGrant, analyzeAwsScope } from '../core/rules/aws-scope';
import { awsScopeReaches } from '../core/rules/aws-principal';
import { AwsAssumedBy, awsTrustDetails, awsTrustPolicy, checkAwsTrust, checkNoTrustWithStaticCredentials, vendorExternalId } from '../core/rules/aws-trust';
import { arnAccountReach, checkEnvironmentCrossing, Reach } from '../core/rules/lifecycle';
import { suspendCreationStacks } from '../cdktf/private/creation-stack';
import { appendAll } from '../core/private/append';

/** Props of a governed AWS service account (cdktf). */
export interface GovernedServiceAccountProps extends GovernanceProps {
  /** The least-privilege grants: actions on named resources. Never empty, no wildcards. */
  readonly scope: AwsScopeGrant[];
  /**
   * The IAM role (or, with static credentials, user) name. A reference is accepted (a
   * `TerraformVariable`, `Fn.join`): the text around it is checked here, the rest at plan/apply.
   */
  readonly name: string;
  /**
   * The workload that assumes the role: a service principal, OIDC federation with a pinned
   * subject, or workload roles. Required unless `staticCredentials` is set.
   * @default - none (an error unless staticCredentials is set)
   */
  readonly assumedBy?: AwsAssumedBy;
  /**
   * Opt-in to an IAM user with an access key instead of a role, for workloads that cannot assume
   * roles. Requires a justification; the key is rotated, stored in Secrets Manager and disabled at
   * expiry.
   * @default - no static credentials: a role (workload identity)
   */
  readonly staticCredentials?: StaticCredentialsOptions;
  /**
   * Where notifications go and which alarms to add.
   * @default - the owner's topic; expiry reminder and expiry notice only
   */
  readonly alarms?: AwsAlarmOptions;
  /**
   * Permissions boundary ARN for the role or user.
   * @default - none
   */
  readonly permissionsBoundary?: string;
  /**
   * IAM path of the role or user.
   * @default '/nhi/'
   */
  readonly iamPath?: string;
  /**
   * KMS key (its ARN) for the Secrets Manager secret holding a static access key.
   * @default - the AWS managed key aws/secretsmanager
   */
  readonly secretKmsKeyId?: string;
}

/**
 * A governed AWS non-human identity for cdktf: by default an IAM role assumed by one workload,
 * with a least-privilege policy whose every statement stops working at expiry, owner tags,
 * expiry reminders to the owner and an entry in the stack's NHI register.
 */
export class GovernedServiceAccount extends Construct implements IGovernedIdentity {
  /** The role (undefined with static credentials). */
  public readonly role?: IamRole;
  /** The role's scoped policy (undefined with static credentials). */
  public readonly rolePolicy?: IamRolePolicy;
  /** The IAM user (only with static credentials). */
  public readonly user?: IamUser;
  /** The user's scoped policy (only with static credentials). */
  public readonly userPolicy?: IamUserPolicy;
  /**
   * The function that creates and rotates the access key (only with static credentials): a
   * Secrets Manager rotation function, so keys rotate in the cloud with a two-key overlap.
   */
  public readonly rotationFunction?: LambdaFunction;
  /** The Secrets Manager secret holding the access key (only with static credentials). */
  public readonly secret?: SecretsmanagerSecret;
  /** The scoped identity policy, as the literal JSON string that is synthesised. */
  public readonly policyDocument: string;
  /** The governance this identity resolved to. */
  public readonly governance: ResolvedGovernance;

  /** Name of the role or user. */
  public readonly identityName: string;
  /**
   * The `sts:ExternalId` a vendor must present (vendor identities trusted across accounts): the
   * vendor's `assumedBy.externalId`, or, when none was given, a random id generated per deployment
   * and kept in the Terraform state (a token: output it or read it from the state to hand it to the
   * vendor); also in the register.
   */
  public readonly externalId?: string;

  private readonly grants: AnalysedAwsGrant[];
  private readonly alarmList: RegisterAlarm[] = [];
  private readonly credentials: string;
  private readonly trust?: Record<string, unknown>;

  public constructor(scope: Construct, id: string, props: GovernedServiceAccountProps) {
    super(scope, id);
    // Tokens this construct makes for itself carry no creation stack (see suspendCreationStacks).
    const resume = suspendCreationStacks();
    try {
      const p = (props ?? {}) as Partial<GovernedServiceAccountProps>;
      let analysis: ReturnType<typeof analyzeAwsScope> | undefined;
      const uniqueNames = [{ kind: p.staticCredentials ? 'IAM user' : 'IAM role', name: p.name, ignoreCase: true }];
      const gov = governIdentity(this, { ...p, staticCredentialsField: 'staticCredentials', uniqueNames }, (policy, environment) => {
        analysis = analyzeAwsScope(p.scope, policy);
        const trust = p.staticCredentials
          ? checkNoTrustWithStaticCredentials(p.assumedBy)
          : checkAwsTrust(p.assumedBy, 'assumedBy', { vendor: !!p.vendor });
        const crossing = checkEnvironmentCrossing(environment, awsReaches(p), policy);
        return appendAll([checkAwsIamName(p.name), checkIamPath(p.iamPath), trust, analysis.violations, crossing, checkAwsAlarmOptions(p.alarms),
          checkAwsReference(p.permissionsBoundary, 'managed-policy', 'permissionsBoundary'), checkAwsReference(p.secretKmsKeyId, 'kms-key', 'secretKmsKeyId')]);
      });
      this.governance = gov;
      this.grants = analysis!.grants;
      this.policyDocument = renderPolicyJson(awsScopePolicy(this.grants, gov.expiresAt));
      const tags = gov.awsTags;
      const iamPath = p.iamPath ?? '/nhi/';
      const notices = AwsNotices.of(this);
      const topic = notices.topicFor(gov.owner.team, gov.owner.contact, p.alarms?.topicArn);
      const notifies = p.alarms?.topicArn ?? gov.owner.contact;

      let trustPolicy: string | undefined;
      if (p.staticCredentials) {
        this.user = new IamUser(this, 'User', {
          name: p.name!,
          path: iamPath,
          permissionsBoundary: p.permissionsBoundary,
          forceDestroy: true, // offboarding: removing the identity removes its keys too
          tags,
        });
        this.userPolicy = new IamUserPolicy(this, 'Policy', { user: attributeReference(this.user, 'name'), name: 'nhi-scope', policy: this.policyDocument });
        const stored = credentialSecret(this, {
          name: `nhi/${p.name}/access-key`,
          description: `Access key of IAM user ${p.name} (created and rotated every ${gov.rotationDays} days by nhi-constructs). ${gov.purpose}`,
          kmsKeyId: p.secretKmsKeyId,
          tags,
          // Only the user name: the rotation function creates the first key when rotation is set up.
          initialValue: JSON.stringify({ UserName: p.name }),
        });
        this.secret = stored.secret;
        this.rotationFunction = new CdktfRotationFunction(this, 'Rotation', {
          kind: 'access-key',
          secret: stored.secret,
          initialVersion: stored.initialVersion,
          name: p.name!,
          rotationDays: gov.rotationDays!,
          expires: gov.expires,
          expiresAt: gov.expiresAt,
          environment: { NHI_USER_NAME: p.name! },
          statements: [{
            actions: ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys', 'iam:UpdateAccessKey'],
            resources: [this.user.arn],
          }, ...kmsStatements(p.secretKmsKeyId)],
          description: `the access key of IAM user ${p.name}`,
          tags,
        }).function;
        this.alarmList.push(alarm('credential-disabled', gov.reminderDate, gov.expires, notifies));
      } else {
        const crossAccount = !!p.vendor && !!(p.assumedBy!.accountIds || p.assumedBy!.roleArns);
        const ext = crossAccount ? vendorExternalId(p.assumedBy!.externalId) : undefined;
        // No id from the vendor: one generated per deployment, kept in the Terraform state.
        this.externalId = ext?.generate ? new GeneratedId(this, 'ExternalId').value : ext?.value;
        this.role = new IamRole(this, 'Role', {
          name: p.name!,
          path: iamPath,
          description: `${gov.purpose} (owner ${gov.owner.team}, expires ${gov.expires})`.slice(0, 1000),
          assumeRolePolicy: trustPolicy = renderPolicyJson(awsTrustPolicy(p.assumedBy!, gov.expiresAt, this.externalId)),
          permissionsBoundary: p.permissionsBoundary,
          maxSessionDuration: 3600,
          tags,
        });
        this.rolePolicy = new IamRolePolicy(this, 'Policy', { role: attributeReference(this.role, 'name'), name: 'nhi-scope', policy: this.policyDocument });
      }

      // CloudTrail management events through EventBridge: need no input, only a trail.
      const who = p.staticCredentials ? { user: p.name! } : { role: p.name! };
      for (const kind of CLOUDTRAIL_ALARM_KINDS) {
        if (kind === 'key-created' && !p.staticCredentials) continue; // roles have no keys
        notices.watch(kind, topic, who);
        this.alarmList.push(alarm(kind, gov.reminderDate, gov.expires, notifies));
      }

      notices.notice('expiry-reminder', gov.reminderDate, gov.expires, topic, this.node.path);
      notices.notice('expired', gov.expires, gov.expires, topic, this.node.path, '00:00:00');
      this.alarmList.unshift(
        alarm('expiry-reminder', gov.reminderDate, gov.expires, notifies),
        alarm('expired', gov.reminderDate, gov.expires, notifies),
      );

      if (p.alarms?.cloudTrailLogGroupName) {
        const who = this.role ? '$.userIdentity.sessionContext.sessionIssuer.arn' : '$.userIdentity.arn';
        const metricName = `nhi-access-denied-${p.name}`;
        new CloudwatchLogMetricFilter(this, 'AccessDeniedFilter', {
          name: metricName,
          logGroupName: p.alarms.cloudTrailLogGroupName,
          pattern: `{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && (${who} = "${this.arn}") }`,
          metricTransformation: { name: metricName, namespace: 'NHI', value: '1', defaultValue: '0' },
        });
        const runbook = p.alarms.runbookUrl ? ` Runbook: ${p.alarms.runbookUrl}` : '';
        new CloudwatchMetricAlarm(this, 'AccessDeniedAlarm', {
          alarmName: metricName,
          alarmDescription: `Non-human identity ${p.name} (owner ${gov.owner.team}, ${gov.owner.contact}) was denied access. ` +
            `It may need more scope (change it in code) or be misused.${runbook}`.slice(0, 1024),
          namespace: 'NHI',
          metricName,
          statistic: 'Sum',
          period: 300,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: 'GreaterThanOrEqualToThreshold',
          treatMissingData: 'notBreaching',
          alarmActions: [topic.arn],
          tags,
        });
        this.alarmList.push(alarm('access-denied', gov.reminderDate, gov.expires, notifies));
      }

      this.identityName = p.name!;
      this.credentials = p.staticCredentials ? 'access-key' : 'none';
      this.trust = p.staticCredentials ? undefined : awsTrustDetails(p.assumedBy!, this.externalId);
      NhiRegister.of(this).add(this);
      // The synthesised artifact must say exactly this (checked at synth, on by default).
      declareIdentity(this, {
        cloud: 'aws',
        principals: [this.role ?? this.user!],
        names: [p.name!],
        expiresAt: gov.expiresAt,
        awsGrants: this.grants.map((g) => ({ actions: [...new Set(g.actions.map((a) => a.action))], resources: [...g.resources] })),
        awsTrustPolicy: trustPolicy,
        awsPolicy: this.policyDocument,
      });
    } catch (e) {
      throw resume(e);
    } finally {
      resume();
    }
  }

  /**
   * ARN of the role or user. (A getter: every cdktf attribute reference captures a stack trace,
   * so references are only created when used.)
   */
  public get arn(): string {
    return this.role ? this.role.arn : this.user!.arn;
  }

  /** This identity's entry in the NHI register (tokens unresolved). */
  public get registerEntry(): RegisterEntry {
    return awsServiceAccountEntry({
      path: this.node.path, name: this.identityName, governance: this.governance, grants: this.grants,
      credentials: this.credentials, alarms: this.alarmList,
      // Terraform manages no access key (the rotation function creates them in the cloud): any
      // credential of the user in a plan is undeclared (`nhi verify`).
      details: this.trust ? { trust: this.trust } : this.user ? { credentialResources: [] } : undefined,
    });
  }
}

/** The AWS accounts an identity's scope and trust reach, for the environment isolation check. */
function awsReaches(p: Partial<GovernedServiceAccountProps>): Reach[] {
  const a = p.assumedBy;
  const justified = typeof a?.justification === 'string' && a.justification.trim() !== '';
  const trust: Reach[] = [];
  (Array.isArray(a?.roleArns) ? a!.roleArns : []).forEach((r, i) => {
    const account = typeof r === 'string' ? arnAccountReach(r) : undefined;
    if (account) trust.push({ field: `assumedBy.roleArns[${i}]`, target: account, justified });
  });
  (Array.isArray(a?.accountIds) ? a!.accountIds : []).forEach((id, i) => {
    if (typeof id === 'string') trust.push({ field: `assumedBy.accountIds[${i}]`, target: id, justified });
  });
  return [...awsScopeReaches(p.scope), ...trust];
}
