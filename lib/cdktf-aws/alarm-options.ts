/** Where a governed AWS identity's notifications go, and which alarms it gets. */
export interface AwsAlarmOptions {
  /**
   * An existing SNS topic to notify instead of the owner's topic.
   * @default - one SNS topic per owner contact and stack, with the contact's e-mail subscribed
   */
  readonly topicArn?: string;
  /**
   * The CloudWatch Logs group that receives the account's CloudTrail events. Enables an alarm on
   * AccessDenied / UnauthorizedOperation errors of this identity.
   * @default - no AccessDenied alarm
   */
  readonly cloudTrailLogGroupName?: string;
  /**
   * The owner's runbook, linked from alarm descriptions.
   * @default - none
   */
  readonly runbookUrl?: string;
}
