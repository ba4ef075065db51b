import { RemovalPolicy, SecretValue, Stack, Tags, Token } from 'aws-cdk-lib/core';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AlarmOptions } from './alarm-options';
import { flattenDeep } from './private/cfn';
import { setFacts } from './private/facts';
import { acknowledgeWildcardResources } from './private/nag';
import { accessDeniedAlarm, ownerNotices } from './private/owner-alarms';
import { RotationFunction } from './private/rotation';
import { GuardedRole, GuardedUser, ScopeGuard } from './private/scope-guard';
import { IGovernedIdentity, NhiRegister } from './register';
import { alarm } from '../core/alarms';
import { awsScopePolicy, expiryCondition, renderPolicyJson } from '../core/aws-policy';
import { awsServiceAccountEntry } from '../core/aws-register';
import { AwsScopeGrant, GovernanceProps, StaticCredentialsOptions } from '../core/contract';
import { GovernanceError } from '../core/governance-error';
import { governIdentity, ResolvedGovernance } from '../core/governance';
import { RegisterAlarm, RegisterEntry } from '../core/register';
import { checkAwsIamName } from '../core/rules/aws-names';
import { AwsPrincipalContext, AwsPrincipalTrust, awsPrincipalReaches, awsScopeReaches, conditionExternalId, trustFromPrincipalJson } from '../core/rules/aws-principal';
import { AnalysedAwsGrant, analyzeAwsScope } from '../core/rules/aws-scope';
import { AwsAssumedBy, awsTrustDetails, checkAwsTrust, checkNoTrustWithStaticCredentials, vendorExternalId } from '../core/rules/aws-trust';
import { checkEnvironmentCrossing } from '../core/rules/lifecycle';
import { NhiRisk, violation } from '../core/violation';

/** Props of a governed AWS service account (AWS CDK). */
export interface GovernedServiceAccountProps extends GovernanceProps {
  /** The least-privilege grants: actions on named resources. Never empty, no wildcards. */
  readonly scope: AwsScopeGrant[];
  /** The IAM role (or, with static credentials, user) name. */
  readonly name: string;
  /**
   * The workload that assumes the role: a service principal (`new iam.ServicePrincipal('lambda.amazonaws.com')`),
   * a workload role (`new iam.ArnPrincipal(role.roleArn)`) or OIDC federation with a pinned subject
   * (`new iam.WebIdentityPrincipal(provider.openIdConnectProviderArn, { StringEquals: { '<issuer>:aud': ..., '<issuer>:sub': ... } })`).
   * Accounts (`AccountRootPrincipal`), `AnyPrincipal` and several principals are rejected; a
   * third party (`vendor` set) may be trusted as its account (`new iam.AccountPrincipal('999988887777')`)
   * or role (`new iam.ArnPrincipal('arn:aws:iam::999988887777:role/x')`), always with an `sts:ExternalId`.
   * People (IAM users, IAM Identity Center `AWSReservedSSO_` roles) only with `trustJustification`.
   * Required unless `staticCredentials` is set.
   * @default - none (an error unless staticCredentials is set)
   */
  readonly assumedBy?: iam.IPrincipal;
  /**
   * The `sts:ExternalId` a third party (`vendor` set) must present to assume the role across
   * accounts, as agreed with the vendor. Only for vendor identities.
   * @default - for a vendor trusted across accounts: the `sts:ExternalId` the principal's conditions
   *   require, else a stable id derived from the construct path and name (see `externalId`)
   */
  readonly externalId?: string;
  /**
   * Why the trust admits what the rules reject by default: a person (an IAM user or an IAM Identity
   * Center role, NHI_HUMAN_USE), several workload roles (NHI_TRUST_SHARED) or a role in another
   * environment's account (NHI_ENVIRONMENT_CROSSING). At least three words; recorded in the register.
   * @default - none: those trusts are errors
   */
  readonly trustJustification?: string;
  /**
   * Opt-in to an IAM user with an access key instead of a role, for workloads that cannot assume
   * roles. Requires a justification; the key is created and rotated by a rotation function,
   * stored only in Secrets Manager and disabled at expiry.
   * @default - no static credentials: a role (workload identity)
   */
  readonly staticCredentials?: StaticCredentialsOptions;
  /**
   * Where notifications go and which alarms to add.
   * @default - the owner's topic; expiry reminder and expiry notice only
   */
  readonly alarms?: AlarmOptions;
  /**
   * Permissions boundary of the role or user.
   * @default - none
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;
  /**
   * IAM path of the role or user.
   * @default '/nhi/'
   */
  readonly iamPath?: string;
}

/**
 * A governed AWS non-human identity for the AWS CDK: by default an IAM role assumed by one
 * workload, with a least-privilege inline policy whose every statement stops working at expiry,
 * owner tags, expiry reminders to the owner and an entry in the stack's NHI register.
 *
 * It is an `iam.IGrantable`: `bucket.grantRead(sa)` works, but a grant never widens the identity
 * past its declared scope. A grant the declared scope already covers adds nothing (the scope
 * policy grants it); a grant reaching beyond it fails synthesis with NHI_SCOPE_WIDENED, naming the
 * actions and resources to declare.
 */
export class GovernedServiceAccount extends Construct implements iam.IGrantable, IGovernedIdentity {
  /** The principal grants go to (the role, or the user with static credentials). */
  public readonly grantPrincipal: iam.IPrincipal;
  /** The role (undefined with static credentials). */
  public readonly role?: iam.Role;
  /** The IAM user (only with static credentials). */
  public readonly user?: iam.User;
  /** The Secrets Manager secret holding the access key (only with static credentials). */
  public readonly secret?: secretsmanager.ISecret;
  /** The secret's rotation schedule (only with static credentials). */
  public readonly rotationSchedule?: secretsmanager.RotationSchedule;
  /** The function that creates, verifies, rotates and disables the access key (only with static credentials). */
  public readonly rotationFunction?: lambda.IFunction;
  /** ARN of the role or user. */
  public readonly arn: string;
  /** Name of the role or user. */
  public readonly identityName: string;
  /** The scoped identity policy, as JSON (references unresolved). */
  public readonly policyDocument: string;
  /** The governance this identity resolved to. */
  public readonly governance: ResolvedGovernance;
  /**
   * The `sts:ExternalId` the vendor must present (vendor identities trusted across accounts), to
   * hand to the vendor; also in the register entry's `details.trust.externalId`. External ids
   * prevent the confused-deputy problem; they are not secrets.
   */
  public readonly externalId?: string;

  private readonly grants: AnalysedAwsGrant[];
  private readonly alarmList: RegisterAlarm[];
  private readonly credentials: string;
  private readonly trust?: AwsAssumedBy;

  public constructor(scope: Construct, id: string, props: GovernedServiceAccountProps) {
    super(scope, id);
    const p = (props ?? {}) as Partial<GovernedServiceAccountProps>;
    let analysis: ReturnType<typeof analyzeAwsScope> | undefined;
    let trust: PrincipalTrust | undefined;
    const gov = governIdentity(this, { ...p, staticCredentialsField: 'staticCredentials' }, (policy, environment) => {
      analysis = analyzeAwsScope(p.scope, policy);
      let trustViolations;
      const reaches = awsScopeReaches(p.scope);
      if (p.staticCredentials) {
        trustViolations = [
          ...checkNoTrustWithStaticCredentials(p.assumedBy, '<principal>'),
          ...trustOnlyProps(p),
        ];
      } else {
        trust = principalTrust(this, p);
        trustViolations = trust.violations;
        reaches.push(...trust.reaches);
      }
      return [...checkAwsIamName(p.name), ...trustViolations, ...analysis.violations, ...checkEnvironmentCrossing(environment, reaches, policy)];
    });
    this.governance = gov;
    this.grants = analysis!.grants;
    this.trust = trust?.assumedBy;
    this.externalId = trust?.addExternalId ?? this.trust?.externalId;
    const scopeDoc = awsScopePolicy(this.grants, gov.expiresAt);
    this.policyDocument = renderPolicyJson(scopeDoc);
    const iamPath = p.iamPath ?? '/nhi/';
    const name = p.name!;
    const guard = new ScopeGuard(this.grants, gov.expiresAt);
    const wildcardReason = 'Declared scope accepted by the nhi-constructs scope analysis (the wildcard narrows inside a named resource, ' +
      'or the action supports no resource type) and recorded in the NHI register';
    const scopeResources = this.grants.flatMap((g) => g.resources);

    const notices = ownerNotices(this, gov, p.alarms);
    const alarms = [...notices.alarms];

    if (p.staticCredentials) {
      const user = new GuardedUser(this, 'User', { userName: name, path: iamPath, permissionsBoundary: p.permissionsBoundary });
      const policy = new iam.Policy(this, 'Policy', { policyName: 'nhi-scope', document: iam.PolicyDocument.fromJson(scopeDoc) });
      user.attachInlinePolicy(policy);
      user.guard = guard;
      acknowledgeWildcardResources(policy, scopeResources, wildcardReason);
      const secret = new secretsmanager.Secret(this, 'Secret', {
        secretName: `nhi/${name}/access-key`,
        description: `Access key of IAM user ${name} (created and rotated every ${gov.rotationDays} days by nhi-constructs). ${gov.purpose}`.slice(0, 2048),
        // Only the user name: the rotation function creates the first key when the schedule is created.
        secretStringValue: SecretValue.unsafePlainText(JSON.stringify({ UserName: name })),
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const rotation = new RotationFunction(this, 'Rotation', {
        kind: 'access-key',
        secret,
        rotationDays: gov.rotationDays!,
        expires: gov.expires,
        expiresAt: gov.expiresAt,
        environment: { NHI_USER_NAME: name },
        statements: [new iam.PolicyStatement({
          actions: ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys', 'iam:UpdateAccessKey'],
          resources: [user.userArn],
        })],
        rotateImmediately: true,
        description: `the access key of IAM user ${name}`,
      });
      this.user = user;
      this.secret = secret;
      this.rotationSchedule = rotation.schedule;
      this.rotationFunction = rotation.function;
      this.grantPrincipal = user;
      this.arn = user.userArn;
      alarms.push(alarm('credential-disabled', gov.reminderDate, gov.expires, notices.notifies));
    } else {
      const role = new GuardedRole(this, 'Role', {
        roleName: name,
        path: iamPath,
        description: `${gov.purpose} (owner ${gov.owner.team}, expires ${gov.expires})`.slice(0, 1000),
        // The trust policy stops at expiry too: nobody can assume the role afterwards. A vendor
        // trusted across accounts must also present its external id.
        assumedBy: new iam.PrincipalWithConditions(p.assumedBy!, {
          ...expiryCondition(gov.expiresAt),
          ...(trust?.addExternalId ? { StringEquals: { 'sts:ExternalId': trust.addExternalId } } : {}),
        }),
        inlinePolicies: { 'nhi-scope': iam.PolicyDocument.fromJson(scopeDoc) },
        permissionsBoundary: p.permissionsBoundary,
      });
      role.guard = guard;
      acknowledgeWildcardResources(role, scopeResources, wildcardReason);
      this.role = role;
      this.grantPrincipal = role;
      this.arn = role.roleArn;
    }

    if (p.alarms?.cloudTrailLogGroup) {
      const who = this.role ? '$.userIdentity.sessionContext.sessionIssuer.arn' : '$.userIdentity.arn';
      accessDeniedAlarm(this, name, who, this.arn, p.alarms.cloudTrailLogGroup, notices.topic, gov, p.alarms.runbookUrl);
      alarms.push(alarm('access-denied', gov.reminderDate, gov.expires, notices.notifies));
    }
    this.alarmList = alarms;
    for (const [k, v] of Object.entries(gov.awsTags)) Tags.of(this).add(k, v);

    this.identityName = name;
    this.credentials = p.staticCredentials ? 'access-key' : 'none';
    this.node.addValidation({
      validate: () => {
        const v = guard.check(this);
        return v.length > 0 ? [GovernanceError.format(this.node.path, v)] : [];
      },
    });
    const identity = (this.role ?? this.user)!.node.defaultChild as any;
    setFacts(this, {
      path: this.node.path,
      stack: Stack.of(this),
      identity,
      identityKind: this.role ? 'role' : 'user',
      grants: () => guard.declaredFlat(this),
      expiresAt: gov.expiresAt,
      trustContext: { vendor: !!gov.vendor, justification: p.trustJustification, ownAccount: Token.isUnresolved(Stack.of(this).account) ? undefined : Stack.of(this).account },
      environment: gov.environment,
      policy: gov.policy,
    });
    NhiRegister.of(this).add(this);
  }

  /**
   * Lets `grantee` pass this identity's role to a service (`iam:PassRole`).
   * Throws for static credentials (there is no role).
   */
  public grantPassRole(grantee: iam.IPrincipal): iam.Grant {
    if (!this.role) throw new Error(`${this.node.path} has static credentials: there is no role to pass`);
    return this.role.grantPassRole(grantee);
  }

  /**
   * Lets `grantee` assume this identity's role (`sts:AssumeRole` in the grantee's policy; the
   * role's trust policy must also trust it). Throws for static credentials (there is no role).
   */
  public grantAssumeRole(grantee: iam.IPrincipal): iam.Grant {
    if (!this.role) throw new Error(`${this.node.path} has static credentials: there is no role to assume`);
    return this.role.grantAssumeRole(grantee);
  }

  /** This identity's entry in the NHI register (tokens unresolved). */
  public get registerEntry(): RegisterEntry {
    return awsServiceAccountEntry({
      path: this.node.path, name: this.identityName, governance: this.governance, grants: this.grants,
      credentials: this.credentials, alarms: this.alarmList,
      details: this.trust ? { trust: awsTrustDetails(this.trust, this.externalId) } : undefined,
    });
  }
}

interface PrincipalTrust extends AwsPrincipalTrust {
  /** The accounts the trust reaches (environment isolation). */
  readonly reaches: ReturnType<typeof awsPrincipalReaches>;
  /** The external id to add to the trust (a vendor trusted across accounts). */
  readonly addExternalId?: string;
}

/**
 * Reads an `iam.IPrincipal` as the core trust model (principal JSON with references flattened) and
 * checks it with the core rules; for a vendor trusted through an AWS principal (account or role),
 * decides the external id (given, required by the principal's conditions, or generated by core).
 */
function principalTrust(scope: Construct, p: Partial<GovernedServiceAccountProps>): PrincipalTrust {
  const principal = p.assumedBy as unknown;
  if (principal === undefined || principal === null) return { violations: checkAwsTrust(undefined, 'assumedBy'), reaches: [] };
  const frag = (principal as iam.IPrincipal).policyFragment;
  if (typeof principal !== 'object' || !frag) {
    return {
      violations: [violation('NHI_TRUST_INVALID', 'assumedBy', 'is not an iam.IPrincipal',
        "pass a principal, e.g. new iam.ServicePrincipal('lambda.amazonaws.com')", principal, [NhiRisk.NHI5])],
      reaches: [],
    };
  }
  const stack = Stack.of(scope);
  const read = (v: unknown) => (JSON.stringify(v ?? null).includes('{Token[') ? flattenDeep(stack.resolve(v)) : v);
  const json = read(frag.principalJson) as Record<string, unknown>;
  const conditions = read(frag.conditions);
  const vendor = !!p.vendor;
  const crossAccount = vendor && json && typeof json === 'object' && json.AWS !== undefined;
  const required = conditionExternalId(conditions);
  const externalId = crossAccount
    ? p.externalId ?? required ?? vendorExternalId({}, scope.node.path, typeof p.name === 'string' ? p.name : '')
    : undefined;
  const ownAccount = Token.isUnresolved(stack.account) ? undefined : stack.account;
  const context: AwsPrincipalContext = { vendor, justification: p.trustJustification, externalId, ownAccount };
  const trust = trustFromPrincipalJson(json, conditions, 'assumedBy', context);
  const extra = [...(crossAccount ? [] : trustOnlyProps(p, ['externalId'])), ...conflictingExternalId(p.externalId, required)];
  return {
    violations: [...trust.violations, ...extra],
    assumedBy: trust.assumedBy,
    reaches: awsPrincipalReaches(json, 'assumedBy', typeof p.trustJustification === 'string' && p.trustJustification.trim() !== ''),
    // Added by the construct unless the principal's own conditions already require it.
    addExternalId: externalId !== undefined && externalId !== required ? externalId : undefined,
  };
}

/** `externalId` (and, without a role, `trustJustification`) only make sense for a role's trust. */
function trustOnlyProps(p: Partial<GovernedServiceAccountProps>, which: ('externalId' | 'trustJustification')[] = ['externalId', 'trustJustification']) {
  return which.filter((k) => p[k] !== undefined).map((k) => violation('NHI_TRUST_INVALID', k,
    k === 'externalId' ? 'an external id is only for a vendor (set vendor) trusted through an AWS account or role principal' : 'there is no trust to justify (static credentials: nothing assumes a role)',
    `remove ${k}`, p[k], [NhiRisk.NHI3]));
}

function conflictingExternalId(given: string | undefined, required: string | undefined) {
  return given !== undefined && required !== undefined && given !== required
    ? [violation('NHI_TRUST_INVALID', 'externalId', `differs from the sts:ExternalId the principal's conditions require (${required})`,
      'give the external id once: in externalId, or in the principal\'s conditions', given, [NhiRisk.NHI3])]
    : [];
}
