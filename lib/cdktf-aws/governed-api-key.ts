import { ApiGatewayUsagePlan } from '@cdktf/provider-aws/lib/api-gateway-usage-plan';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { Construct } from 'constructs';
import { AwsAlarmOptions } from './alarm-options';
import { AwsNotices } from './private/notices';
import { CdktfRotationFunction, kmsStatements } from './private/rotation';
import { credentialSecret } from './private/secret';
import { IGovernedIdentity, NhiRegister } from '../cdktf/register';
import { declareIdentity } from '../cdktf/verification';
import { alarm } from '../core/alarms';
import { GovernanceProps } from '../core/contract';
import { awsApiKeyEntry } from '../core/aws-register';
import { governIdentity, ResolvedGovernance } from '../core/governance';
import { RegisterAlarm, RegisterEntry } from '../core/register';
import { ApiKeyQuota, ApiKeyThrottle, checkApiStages, checkQuota, checkThrottle } from '../core/rules/api-key';
import { checkApiKeyName } from '../core/rules/aws-names';
import { checkAwsAlarmOptions, checkAwsReference } from '../core/rules/aws-references';
import { suspendCreationStacks } from '../cdktf/private/creation-stack';

/** One API Gateway REST API stage an API key may call. */
export interface ApiStageScope {
  /** REST API id, e.g. `api.id`. */
  readonly restApiId: string;
  /** Stage name, e.g. `prod`. */
  readonly stage: string;
}

/** Props of a governed API Gateway API key (cdktf). */
export interface GovernedApiKeyProps extends GovernanceProps {
  /** The API stages the key may call. Never empty. */
  readonly scope: ApiStageScope[];
  /** Name of the API key (and its usage plan). */
  readonly name: string;
  /** Request limits (required: a leaked key must not be able to drain the API). */
  readonly throttle: ApiKeyThrottle;
  /**
   * Requests per day, week or month.
   * @default - no quota
   */
  readonly quota?: ApiKeyQuota;
  /**
   * How often the key is replaced, in days.
   * @default - the policy's defaultRotationDays (30)
   */
  readonly rotationDays?: number;
  /**
   * Where notifications go.
   * @default - the owner's topic
   */
  readonly alarms?: AwsAlarmOptions;
  /**
   * KMS key (its ARN) for the Secrets Manager secret holding the key value.
   * @default - the AWS managed key aws/secretsmanager
   */
  readonly secretKmsKeyId?: string;
}

/**
 * A governed API Gateway API key for cdktf: a usage plan limited to the given stages with
 * throttling (and optionally a quota), a key created and rotated in the cloud by a Secrets Manager
 * rotation function (two keys valid during the overlap) and handed out only through Secrets Manager,
 * disabled at expiry, tagged and in the NHI register.
 */
export class GovernedApiKey extends Construct implements IGovernedIdentity {
  /**
   * The function that creates and rotates the key: a Secrets Manager rotation function, so the
   * key rotates in the cloud with a two-key overlap. The keys themselves are not Terraform
   * resources (Terraform would re-create or revert what the function rotated).
   */
  public readonly rotationFunction: LambdaFunction;
  /** The usage plan (stages, throttle, quota). */
  public readonly usagePlan: ApiGatewayUsagePlan;
  /** The Secrets Manager secret consumers read the key from. */
  public readonly secret: SecretsmanagerSecret;
  /** The governance this key resolved to. */
  public readonly governance: ResolvedGovernance;
  /** Name of the key. */
  public readonly keyName: string;

  private readonly stages: ApiStageScope[];
  private readonly throttle: ApiKeyThrottle;
  private readonly quota?: ApiKeyQuota;
  private readonly alarmList: RegisterAlarm[];

  public constructor(scope: Construct, id: string, props: GovernedApiKeyProps) {
    super(scope, id);
    // Tokens this construct makes for itself carry no creation stack (see suspendCreationStacks).
    const resume = suspendCreationStacks();
    try {
      const p = (props ?? {}) as Partial<GovernedApiKeyProps>;
      const gov = governIdentity(this, { ...p, uniqueNames: [{ kind: 'API key', name: p.name }] }, () => [
        ...checkApiKeyName(p.name),
        ...checkAwsAlarmOptions(p.alarms),
        ...checkAwsReference(p.secretKmsKeyId, 'kms-key', 'secretKmsKeyId'),
        ...checkApiStages(p.scope),
        ...checkThrottle(p.throttle),
        ...checkQuota(p.quota),
      ], true);
      this.governance = gov;
      this.keyName = p.name!;
      this.stages = p.scope!.map((s) => ({ restApiId: s.restApiId, stage: s.stage }));
      this.throttle = { rateLimit: p.throttle!.rateLimit, burstLimit: p.throttle!.burstLimit };
      this.quota = p.quota;
      const tags = gov.awsTags;

      this.usagePlan = new ApiGatewayUsagePlan(this, 'UsagePlan', {
        name: p.name!,
        description: `Usage plan of governed API key ${p.name}`,
        apiStages: this.stages.map((s) => ({ apiId: s.restApiId, stage: s.stage })),
        throttleSettings: { rateLimit: this.throttle.rateLimit, burstLimit: this.throttle.burstLimit },
        quotaSettings: this.quota ? { limit: this.quota.limit, period: this.quota.period, offset: this.quota.offset } : undefined,
        tags,
      });
      const stored = credentialSecret(this, {
        name: `nhi/${p.name}/api-key`,
        description: `API key ${p.name} (created and rotated every ${gov.rotationDays} days by nhi-constructs). ${gov.purpose}`,
        kmsKeyId: p.secretKmsKeyId,
        tags,
        // Only the key name: the rotation function creates the first key when rotation is set up.
        initialValue: JSON.stringify({ name: p.name }),
      });
      this.secret = stored.secret;
      const notices = AwsNotices.of(this);
      const topic = notices.topicFor(gov.owner.team, gov.owner.contact, p.alarms?.topicArn);
      const notifies = p.alarms?.topicArn ?? gov.owner.contact;
      const region = new DataAwsRegion(this, 'Region');
      const api = (path: string) => `arn:${notices.partition}:apigateway:${region.region}::${path}`;
      const planKeys = `/usageplans/${this.usagePlan.id}/keys`;
      this.rotationFunction = new CdktfRotationFunction(this, 'Rotation', {
        kind: 'api-key',
        secret: stored.secret,
        initialVersion: stored.initialVersion,
        name: p.name!,
        rotationDays: gov.rotationDays!,
        expires: gov.expires,
        expiresAt: gov.expiresAt,
        environment: { NHI_KEY_NAME: p.name!, NHI_USAGE_PLAN_ID: this.usagePlan.id, NHI_TAGS: JSON.stringify(tags) },
        // Key ids exist only at rotation time: the function reads, disables and deletes keys of
        // API Gateway (apikeys/*) and adds them to this usage plan only.
        statements: [
          { actions: ['apigateway:POST'], resources: [api('/apikeys'), api(planKeys)] },
          { actions: ['apigateway:GET'], resources: [api('/apikeys/*'), api(`${planKeys}/*`)] },
          { actions: ['apigateway:DELETE', 'apigateway:PATCH'], resources: [api('/apikeys/*')] },
          { actions: ['apigateway:PUT'], resources: [api('/tags/*')] },
          ...kmsStatements(p.secretKmsKeyId),
        ],
        description: `API key ${p.name}`,
        tags,
      }).function;
      notices.notice('expiry-reminder', gov.reminderDate, gov.expires, topic, this.node.path);
      notices.notice('expired', gov.expires, gov.expires, topic, this.node.path, '00:00:00');
      this.alarmList = [
        alarm('expiry-reminder', gov.reminderDate, gov.expires, notifies),
        alarm('expired', gov.reminderDate, gov.expires, notifies),
        alarm('credential-disabled', gov.reminderDate, gov.expires, notifies),
      ];
      NhiRegister.of(this).add(this);
      // Its usage plan is the identity: any key on it in Terraform is undeclared (the rotation
      // function creates the keys), any other stage a widening.
      declareIdentity(this, { cloud: 'aws', principals: [this.usagePlan], names: [], expiresAt: gov.expiresAt, apiStages: this.stages });
    } catch (e) {
      throw resume(e);
    } finally {
      resume();
    }
  }

  /** This key's entry in the NHI register (tokens unresolved). */
  public get registerEntry(): RegisterEntry {
    return awsApiKeyEntry({
      path: this.node.path, name: this.keyName, governance: this.governance, stages: this.stages,
      throttle: this.throttle, quota: this.quota, alarms: this.alarmList,
    });
  }
}
