import { Duration } from 'aws-cdk-lib/core';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AwsNotices } from './notices';
import { AlarmOptions } from '../alarm-options';
import { alarm } from '../../core/alarms';
import { ResolvedGovernance } from '../../core/governance';
import { RegisterAlarm } from '../../core/register';

/** The owner's notices (expiry reminder and expiry notice) for one identity; returns the topic and register alarms. */
export function ownerNotices(scope: Construct, gov: ResolvedGovernance, opts: AlarmOptions | undefined): { topic: sns.ITopic; notifies: string; alarms: RegisterAlarm[] } {
  const notices = AwsNotices.of(scope);
  const topic = notices.topicFor(gov.owner.team, gov.owner.contact, opts?.topic);
  const notifies = opts?.topic ? opts.topic.topicArn : gov.owner.contact;
  notices.notice('expiry-reminder', gov.reminderDate, gov.expires, topic, scope.node.path);
  notices.notice('expired', gov.expires, gov.expires, topic, scope.node.path, '00:00:00');
  return {
    topic,
    notifies,
    alarms: [alarm('expiry-reminder', gov.reminderDate, gov.expires, notifies), alarm('expired', gov.reminderDate, gov.expires, notifies)],
  };
}

/**
 * A CloudWatch alarm on AccessDenied / UnauthorizedOperation errors CloudTrail records for the
 * identity `arn` (`who` is the CloudTrail field naming it), routed to the owner's topic.
 */
export function accessDeniedAlarm(scope: Construct, name: string, who: string, arn: string, logGroup: logs.ILogGroup,
  topic: sns.ITopic, gov: ResolvedGovernance, runbookUrl?: string): void {
  const metricName = `nhi-access-denied-${name}`;
  new logs.MetricFilter(scope, 'AccessDeniedFilter', {
    logGroup,
    filterName: metricName,
    filterPattern: logs.FilterPattern.literal(
      `{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && (${who} = "${arn}") }`),
    metricNamespace: 'NHI',
    metricName,
    metricValue: '1',
    defaultValue: 0,
  });
  const runbook = runbookUrl ? ` Runbook: ${runbookUrl}` : '';
  const a = new cloudwatch.Alarm(scope, 'AccessDeniedAlarm', {
    alarmName: metricName,
    alarmDescription: (`Non-human identity ${name} (owner ${gov.owner.team}, ${gov.owner.contact}) was denied access. ` +
      `It may need more scope (change it in code) or be misused.${runbook}`).slice(0, 1024),
    metric: new cloudwatch.Metric({ namespace: 'NHI', metricName, statistic: 'Sum', period: Duration.minutes(5) }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  a.addAlarmAction({ bind: () => ({ alarmActionArn: topic.topicArn }) });
}
