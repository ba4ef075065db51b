/** Where a governed Google identity's notifications go, and where its scheduled jobs run. */
export interface GoogleAlarmOptions {
  /**
   * An existing Cloud Monitoring notification channel (`projects/<p>/notificationChannels/<id>`)
   * to notify instead of the owner's e-mail channel.
   * @default - one e-mail notification channel per owner contact, project and stack
   */
  readonly notificationChannel?: string;
  /**
   * The owner's runbook, linked from the alert policies' documentation.
   * @default - none
   */
  readonly runbookUrl?: string;
  /**
   * Cloud Scheduler region of the reminder, expiry and credential-disabling jobs.
   * @default - the Google provider's region
   */
  readonly schedulerRegion?: string;
}
