import { createHash } from 'crypto';
import { Aws, Lazy, Stack, Tags, Token } from 'aws-cdk-lib/core';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { noticeMessage } from '../../core/alarms';
import { CloudTrailAlarmKind, cloudTrailAlarmPattern, WatchChunks } from '../../core/aws-events';
import { markGoverned } from '../../core/governed-marker';
import { MANAGED_BY, sanitizeAwsTagValue } from '../../core/tags';
import { acknowledgeNag } from './nag';

const KEY = Symbol.for('nhi-constructs.aws-cdk.Notices');

function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

/**
 * Per-stack notification plumbing shared by every governed identity in the stack: one SNS topic
 * per owner contact, one EventBridge Scheduler role, and one reminder/expiry schedule per topic
 * and day (identities expiring the same day share an e-mail). A stack of 200 identities owned by
 * one team expiring on one day adds 2 topic resources, 1 role and 2 schedules in total.
 */
export class AwsNotices extends Construct {
  public static of(scope: IConstruct): AwsNotices {
    const stack = Stack.of(scope);
    return ((stack as any)[KEY] as AwsNotices | undefined) ?? new AwsNotices(stack);
  }

  private readonly topics = new Map<string, sns.ITopic>();
  private readonly notices = new Map<string, Set<string>>();
  private readonly topicIds = new Map<sns.ITopic, string>();
  private readonly statements = new Map<string, iam.PolicyStatement>();
  private readonly resources = new Map<string, Set<string>>();
  private readonly watches = new Map<string, WatchChunks>();
  private readonly topicPolicies = new Set<sns.ITopic>();
  private role?: iam.Role;
  private readonly document = new iam.PolicyDocument();

  private constructor(stack: Stack) {
    super(stack, 'NhiNotices');
    markGoverned(this, false); // governance plumbing, not an ungoverned identity
    Object.defineProperty(stack, KEY, { value: this, enumerable: false });
  }

  /** The SNS topic for an owner contact (created once per contact and stack). */
  public topicFor(team: string, contact: string, explicit?: sns.ITopic): sns.ITopic {
    if (explicit) return explicit;
    const key = contact.toLowerCase();
    let topic = this.topics.get(key);
    if (!topic) {
      const id = `Owner-${key.replace(/[^a-z0-9]+/g, '-')}-${shortHash(key)}`;
      const t = new sns.Topic(this, id, {
        displayName: `NHI notices for ${team}`.slice(0, 100),
        enforceSSL: true,
      });
      new sns.Subscription(this, `${id}-Email`, { topic: t, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: contact });
      Tags.of(t).add('nhi:owner-team', sanitizeAwsTagValue(team));
      Tags.of(t).add('nhi:owner-contact', sanitizeAwsTagValue(contact));
      Tags.of(t).add('nhi:managed-by', MANAGED_BY);
      acknowledgeNag(t, 'AwsSolutions-SNS2',
        'NHI notices carry identity paths and dates, never secrets; pass alarms.topic to use a KMS-encrypted topic of your own');
      topic = t;
      this.topics.set(key, t);
    }
    return topic;
  }

  /** Schedules an e-mail on `date` to `topic` listing `identityPath` (one schedule per topic, kind and day). */
  public notice(kind: 'expiry-reminder' | 'expired', date: string | undefined, expires: string, topic: sns.ITopic, identityPath: string, at = '09:00:00'): void {
    // No day left before the expiry for a reminder (see reminderDay): the register says so.
    if (date === undefined) return;
    let topicKey = this.topicIds.get(topic);
    if (topicKey === undefined) {
      topicKey = JSON.stringify(Stack.of(this).resolve(topic.topicArn));
      this.topicIds.set(topic, topicKey);
    }
    const key = `${kind}|${date}|${topicKey}`;
    let members = this.notices.get(key);
    if (!members) {
      members = new Set();
      this.notices.set(key, members);
      const set = members;
      new scheduler.CfnSchedule(this, `Notice-${kind}-${date}-${shortHash(key)}`, {
        description: `nhi-constructs: ${kind} notice for identities expiring on ${expires}`,
        scheduleExpression: `at(${date}T${at})`,
        scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: topic.topicArn,
          roleArn: this.schedulerRole().roleArn,
          input: Lazy.string({
            produce: () => {
              const m = noticeMessage(kind, expires, [...set]);
              return `${m.subject}\n\n${m.body}`;
            },
          }),
        },
      });
      this.grant('sns:Publish', topic.topicArn);
    }
    members.add(identityPath);
  }

  /**
   * Schedules a one-time invocation of `functionArn` at `instant` (`YYYY-MM-DDThh:mm:ss`, UTC)
   * with a fixed JSON input, e.g. disabling a credential at expiry.
   */
  public invokeAt(scope: Construct, id: string, instant: string, functionArn: string, input: string, description: string): scheduler.CfnSchedule {
    this.grant('lambda:InvokeFunction', functionArn);
    return new scheduler.CfnSchedule(scope, id, {
      description,
      scheduleExpression: `at(${instant})`,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: functionArn,
        roleArn: this.schedulerRole().roleArn,
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
  public watch(kind: CloudTrailAlarmKind, topic: sns.ITopic, identity: { role?: string; user?: string }): void {
    const key = `${kind}|${this.topicKey(topic)}`;
    let chunks = this.watches.get(key);
    if (!chunks) {
      chunks = new WatchChunks(kind);
      this.watches.set(key, chunks);
    }
    const { chunk, created } = chunks.add(identity);
    if (!created) return;
    new events.CfnRule(this, `Event-${kind}-${shortHash(`${key}|${chunks.chunks.length}`)}`, {
      description: `nhi-constructs: ${kind} alarm (CloudTrail management events) for governed identities, to their owner's topic`,
      eventPattern: Lazy.any({ produce: () => cloudTrailAlarmPattern(kind, chunk) }),
      state: 'ENABLED',
      targets: [{ id: 'owner-topic', arn: topic.topicArn }],
    });
    if (topic instanceof sns.Topic && !this.topicPolicies.has(topic)) {
      this.topicPolicies.add(topic);
      topic.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'NhiAlarms',
        principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }));
    }
  }

  private topicKey(topic: sns.ITopic): string {
    let topicKey = this.topicIds.get(topic);
    if (topicKey === undefined) {
      topicKey = JSON.stringify(Stack.of(this).resolve(topic.topicArn));
      this.topicIds.set(topic, topicKey);
    }
    return topicKey;
  }

  /** Adds `resource` to the scheduler role's statement for `action` (one statement per action). */
  private grant(action: string, resource: string): void {
    this.schedulerRole();
    const seen = this.resources.get(action) ?? new Set<string>();
    const key = Token.isUnresolved(resource) ? JSON.stringify(Stack.of(this).resolve(resource)) : resource;
    if (seen.has(key)) return;
    seen.add(key);
    this.resources.set(action, seen);
    let st = this.statements.get(action);
    if (!st) {
      st = new iam.PolicyStatement({ actions: [action], resources: [] });
      this.statements.set(action, st);
      this.document.addStatements(st);
    }
    st.addResources(resource);
  }

  /** The role EventBridge Scheduler uses; its policy lists exactly what the schedules do. */
  private schedulerRole(): iam.Role {
    if (this.role) return this.role;
    this.role = new iam.Role(this, 'SchedulerRole', {
      description: `nhi-constructs: lets EventBridge Scheduler send NHI notices and disable expired credentials (${Stack.of(this).node.path})`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      inlinePolicies: { 'nhi-scheduler': this.document },
    });
    Tags.of(this.role).add('nhi:managed-by', MANAGED_BY);
    Tags.of(this.role).add('nhi:purpose', 'EventBridge Scheduler sends NHI notices and disables expired credentials');
    return this.role;
  }
}
