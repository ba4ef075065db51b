import { createHash } from 'crypto';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Lazy, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { noticeMessage } from '../../core/alarms';
import { CloudTrailAlarmKind, cloudTrailAlarmPattern, WatchChunks, WatchedIdentities } from '../../core/aws-events';
import { renderPolicyJson } from '../../core/aws-policy';
import { markGoverned } from '../../core/governed-marker';
import { MANAGED_BY, sanitizeAwsTagValue } from '../../core/tags';

const KEY = Symbol.for('nhi-constructs.cdktf-aws.Notices');

/** An SNS topic notices go to: its ARN (maybe a token) and a stable literal key. */
export interface NoticeTopic {
  readonly arn: string;
  readonly key: string;
  /** Created by the library (its policy may be set), not given by the user. */
  readonly owned?: boolean;
}

function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

/**
 * Per-stack notification plumbing shared by every governed AWS identity in the stack: one SNS
 * topic per owner contact, one EventBridge Scheduler role, and one reminder/expiry schedule per
 * topic and day (identities expiring the same day share an e-mail).
 */
export class AwsNotices extends Construct {
  public static of(scope: IConstruct): AwsNotices {
    const stack = TerraformStack.of(scope);
    return ((stack as any)[KEY] as AwsNotices | undefined) ?? new AwsNotices(stack);
  }

  private readonly topics = new Map<string, NoticeTopic>();
  private readonly notices = new Map<string, Set<string>>();
  private readonly sdkGrants: { action: string; resource: string }[] = [];
  private readonly watches = new Map<string, WatchChunks>();
  private readonly topicPolicies = new Set<string>();
  private role?: IamRole;
  private account?: DataAwsCallerIdentity;
  private partitionData?: DataAwsPartition;

  private constructor(stack: TerraformStack) {
    super(stack, 'NhiNotices');
    markGoverned(this, false);
    Object.defineProperty(stack, KEY, { value: this, enumerable: false });
  }

  /** `${partition}` of the stack's account. */
  public get partition(): string {
    this.partitionData ??= new DataAwsPartition(this, 'Partition');
    return this.partitionData.partition;
  }

  /** The stack's account id. */
  public get accountId(): string {
    this.account ??= new DataAwsCallerIdentity(this, 'Account');
    return this.account.accountId;
  }

  /** The SNS topic for an owner contact (created once per contact), or the topic the user gave. */
  public topicFor(team: string, contact: string, explicitArn?: string): NoticeTopic {
    // Keys are literal (contact or the user's ARN text), never token strings: token numbers
    // differ between apps, and construct ids derived from them would make synth nondeterministic.
    if (explicitArn) return { arn: explicitArn, key: `arn:${explicitArn}` };
    const key = contact.toLowerCase();
    let topicRef = this.topics.get(key);
    if (!topicRef) {
      const id = `Owner-${key.replace(/[^a-z0-9]+/g, '-')}-${shortHash(key)}`;
      const topic = new SnsTopic(this, id, {
        // A prefix, not a name: Terraform makes the name unique per deployment. A name derived from
        // the stack would be the same for two apps with a stack of the same name in one account and
        // region, and CreateTopic returns the existing topic: both would manage one topic, and
        // destroying either would delete the other's.
        namePrefix: `nhi-${team}-`,
        displayName: `NHI notices for ${team}`,
        tags: { 'nhi:owner-team': sanitizeAwsTagValue(team), 'nhi:owner-contact': sanitizeAwsTagValue(contact), 'nhi:managed-by': MANAGED_BY },
      });
      new SnsTopicSubscription(this, `${id}-Email`, { topicArn: topic.arn, protocol: 'email', endpoint: contact });
      topicRef = { arn: topic.arn, key: `contact:${key}`, owned: true };
      this.topics.set(key, topicRef);
    }
    return topicRef;
  }

  /**
   * Schedules an e-mail on `date` to `topicArn` listing `identityPath` (one schedule per topic,
   * kind and day). Returns nothing: the schedule is shared.
   */
  public notice(kind: 'expiry-reminder' | 'expired', date: string | undefined, expires: string, topic: NoticeTopic, identityPath: string, at = '09:00:00'): void {
    // No day left before the expiry for a reminder (see reminderDay): the register says so.
    if (date === undefined) return;
    const key = `${kind}|${date}|${topic.key}`;
    const topicArn = topic.arn;
    let members = this.notices.get(key);
    if (!members) {
      members = new Set();
      this.notices.set(key, members);
      const set = members;
      new SchedulerSchedule(this, `Notice-${kind}-${date}-${shortHash(key)}`, {
        description: `nhi-constructs: ${kind} notice for identities expiring on ${expires}`,
        scheduleExpression: `at(${date}T${at})`,
        scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        actionAfterCompletion: 'NONE',
        target: {
          arn: topicArn,
          roleArn: this.schedulerRole().arn,
          input: Lazy.stringValue({
            produce: () => {
              const m = noticeMessage(kind, expires, [...set]);
              return `${m.subject}\n\n${m.body}`;
            },
          }),
        },
      });
      this.grant('sns:Publish', topicArn);
    }
    members.add(identityPath);
  }

  /**
   * Schedules a one-time AWS SDK call at `instant` (`YYYY-MM-DDThh:mm:ss`, UTC) through
   * EventBridge Scheduler's universal target, e.g. disabling a key at expiry.
   */
  public sdkCall(scope: Construct, id: string, instant: string, service: string, apiAction: string, input: string,
    iamAction: string, resourceArn: string, description: string): SchedulerSchedule {
    this.grant(iamAction, resourceArn);
    return this.scheduleAt(scope, id, instant, `arn:aws:scheduler:::aws-sdk:${service}:${apiAction}`, input, description);
  }

  /**
   * Schedules a one-time invocation of a Lambda function at `instant` (`YYYY-MM-DDThh:mm:ss`,
   * UTC) with `input`, e.g. the rotation function disabling every key at expiry.
   */
  public invokeAt(scope: Construct, id: string, instant: string, functionArn: string, input: string, description: string): SchedulerSchedule {
    this.grant('lambda:InvokeFunction', functionArn);
    return this.scheduleAt(scope, id, instant, functionArn, input, description);
  }

  /** A one-time EventBridge Scheduler schedule at `instant` (UTC) of `targetArn`, as the shared scheduler role. */
  private scheduleAt(scope: Construct, id: string, instant: string, targetArn: string, input: string, description: string): SchedulerSchedule {
    return new SchedulerSchedule(scope, id, {
      description,
      scheduleExpression: `at(${instant})`,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      actionAfterCompletion: 'NONE',
      target: {
        arn: targetArn,
        roleArn: this.schedulerRole().arn,
        input,
        retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 86400 },
      },
    });
  }

  /**
   * Alarms the owner's topic about CloudTrail management events of one governed identity (core
   * `cloudTrailAlarmPattern`): one EventBridge rule per topic and kind lists every identity that
   * fits in a pattern, so 1,000 identities of one owner need a few rules, not 1,000.
   */
  public watch(kind: CloudTrailAlarmKind, topic: NoticeTopic, identity: { role?: string; user?: string }): void {
    const key = `${kind}|${topic.key}`;
    let chunks = this.watches.get(key);
    if (!chunks) {
      chunks = new WatchChunks(kind);
      this.watches.set(key, chunks);
    }
    const { chunk, created } = chunks.add(identity);
    if (created) this.eventRule(kind, topic, key, chunks.chunks.length, chunk);
  }

  private eventRule(kind: CloudTrailAlarmKind, topic: NoticeTopic, key: string, index: number, chunk: WatchedIdentities): void {
    const id = `Event-${kind}-${shortHash(`${key}|${index}`)}`;
    const rule = new CloudwatchEventRule(this, id, {
      // A prefix (see topicFor): PutRule with an existing name replaces that rule, so a second app
      // with a stack of the same name would silently take over the first one's alarms.
      namePrefix: `nhi-${kind}-`,
      description: `nhi-constructs: ${kind} alarm (CloudTrail management events) for governed identities, to their owner's topic`,
      eventPattern: Lazy.stringValue({ produce: () => JSON.stringify(cloudTrailAlarmPattern(kind, chunk)) }),
      tags: { 'nhi:managed-by': MANAGED_BY },
    });
    new CloudwatchEventTarget(this, `${id}-Target`, { rule: rule.name, arn: topic.arn, targetId: 'owner-topic' });
    if (topic.owned && !this.topicPolicies.has(topic.key)) {
      this.topicPolicies.add(topic.key);
      new SnsTopicPolicy(this, `TopicPolicy-${shortHash(topic.key)}`, {
        arn: topic.arn,
        policy: renderPolicyJson({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'OwnerAccount',
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Action: ['SNS:GetTopicAttributes', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
              Resource: topic.arn,
              Condition: { StringEquals: { 'AWS:SourceOwner': this.accountId } },
            },
            {
              Sid: 'NhiAlarms',
              Effect: 'Allow',
              Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
              Action: 'sns:Publish',
              Resource: topic.arn,
              Condition: { StringEquals: { 'aws:SourceAccount': this.accountId } },
            },
          ],
        }),
      });
    }
  }

  private grant(action: string, resource: string): void {
    this.sdkGrants.push({ action, resource });
  }

  /** The role EventBridge Scheduler uses; its policy lists exactly what the schedules do. */
  private schedulerRole(): IamRole {
    if (this.role) return this.role;
    const stackPath = TerraformStack.of(this).node.path;
    this.role = new IamRole(this, 'SchedulerRole', {
      namePrefix: 'nhi-scheduler-',
      description: `nhi-constructs: lets EventBridge Scheduler send NHI notices and disable expired credentials (${stackPath})`,
      assumeRolePolicy: renderPolicyJson({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': this.accountId } },
        }],
      }),
      tags: { 'nhi:managed-by': MANAGED_BY, 'nhi:purpose': 'EventBridge Scheduler sends NHI notices and disables expired credentials' },
    });
    new IamRolePolicy(this, 'SchedulerPolicy', {
      role: this.role.name,
      name: 'nhi-scheduler',
      policy: Lazy.stringValue({
        produce: () => {
          const byAction = new Map<string, string[]>();
          for (const g of this.sdkGrants) byAction.set(g.action, [...(byAction.get(g.action) ?? []), g.resource]);
          return renderPolicyJson({
            Version: '2012-10-17',
            Statement: [...byAction.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([action, resources]) => ({
              Effect: 'Allow', Action: action, Resource: [...new Set(resources)],
            })),
          });
        },
      }),
    });
    return this.role;
  }
}
