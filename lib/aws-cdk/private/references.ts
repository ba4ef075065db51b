import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmOptions } from '../alarm-options';
import { checkAwsReference, checkRunbookUrl, isLogGroupArn, isManagedPolicyArn } from '../../core/rules/aws-references';
import { NhiRisk, Violation, violation } from '../../core/violation';

const hasString = (v: unknown, key: string): boolean => !!v && typeof v === 'object' && typeof (v as any)[key] === 'string';

/**
 * Checks `alarms` as given (JavaScript callers and JSON configs may hand strings where objects
 * are typed): a topic or log group object, or its ARN (log groups: or name); a runbook URL.
 */
export function checkAlarmOptions(alarms: unknown): Violation[] {
  if (alarms === undefined || alarms === null) return [];
  if (typeof alarms !== 'object' || Array.isArray(alarms)) {
    return [violation('NHI_ALARMS_INVALID', 'alarms', 'is not an alarm options object', 'set alarms: { topic, cloudTrailLogGroup, runbookUrl }', alarms, [NhiRisk.NHI1])];
  }
  const a = alarms as Record<string, unknown>;
  return [
    ...(hasString(a.topic, 'topicArn') ? [] : checkAwsReference(a.topic, 'sns-topic', 'alarms.topic', 'an sns.ITopic or its ARN')),
    ...(hasString(a.cloudTrailLogGroup, 'logGroupName') ? [] : checkAwsReference(a.cloudTrailLogGroup, 'log-group', 'alarms.cloudTrailLogGroup', 'a logs.ILogGroup or its name or ARN')),
    ...checkRunbookUrl(a.runbookUrl),
  ];
}

/** The alarm options with references given as text imported (call after {@link checkAlarmOptions} passed). */
export function importAlarmOptions(scope: Construct, alarms: AlarmOptions | undefined): AlarmOptions | undefined {
  if (!alarms) return alarms;
  const topic = alarms.topic as unknown;
  const group = alarms.cloudTrailLogGroup as unknown;
  return {
    ...alarms,
    topic: typeof topic === 'string' ? sns.Topic.fromTopicArn(scope, 'AlarmTopic', topic) : alarms.topic,
    cloudTrailLogGroup: typeof group === 'string'
      ? isLogGroupArn(group) ? logs.LogGroup.fromLogGroupArn(scope, 'TrailLogGroup', group) : logs.LogGroup.fromLogGroupName(scope, 'TrailLogGroup', group)
      : alarms.cloudTrailLogGroup,
  };
}

/** Checks `permissionsBoundary` as given: an iam.IManagedPolicy, or a managed policy ARN or name. */
export function checkBoundary(boundary: unknown): Violation[] {
  return hasString(boundary, 'managedPolicyArn') ? [] : checkAwsReference(boundary, 'managed-policy', 'permissionsBoundary', 'an iam.IManagedPolicy, or a managed policy ARN or name');
}

/** The permissions boundary with one given as text imported (call after {@link checkBoundary} passed). */
export function importBoundary(scope: Construct, boundary: unknown): iam.IManagedPolicy | undefined {
  if (typeof boundary !== 'string') return boundary as iam.IManagedPolicy | undefined;
  return isManagedPolicyArn(boundary)
    ? iam.ManagedPolicy.fromManagedPolicyArn(scope, 'Boundary', boundary)
    : iam.ManagedPolicy.fromManagedPolicyName(scope, 'Boundary', boundary);
}
