import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';

/** Where a governed identity's notifications go, and which alarms it gets. */
export interface AlarmOptions {
  /**
   * An existing SNS topic to notify instead of the owner's topic (e.g. a KMS-encrypted one, or
   * one wired to chat or paging).
   * @default - one SNS topic per owner contact and stack, with the contact's e-mail subscribed
   */
  readonly topic?: sns.ITopic;
  /**
   * The CloudWatch Logs group that receives the account's CloudTrail events. Enables an alarm on
   * AccessDenied / UnauthorizedOperation errors of this identity.
   * @default - no AccessDenied alarm
   */
  readonly cloudTrailLogGroup?: logs.ILogGroup;
  /**
   * The owner's runbook, linked from alarm descriptions.
   * @default - none
   */
  readonly runbookUrl?: string;
}
