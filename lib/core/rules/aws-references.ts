import { NhiRisk, Violation, violation } from '../violation';
import { isToken } from './aws-scope';

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:[\w-]{1,256}$/;
const MANAGED_POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/;
const MANAGED_POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:log-group:[\w#/.-]{1,512}(:\*)?$/;
const LOG_GROUP_NAME = /^[\w#/.-]{1,512}$/;
/**
 * A KMS key ARN. Secrets Manager also takes a key id or an alias, but the rotation function's
 * permission to use the key (kms:Decrypt, kms:GenerateDataKey) is granted on the key's ARN:
 * an alias or id there is no resource IAM can match, and rotation would fail at run time.
 */
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:key\/[\w-]{1,128}$/;

const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * A reference an identity's props make to an existing AWS resource (an SNS topic for alarms, a
 * permissions boundary, a CloudTrail log group), given as text. Adapters translate an object of
 * their framework (`sns.ITopic`, ...) themselves and hand only text (or what is neither) here.
 */
export type AwsReferenceKind = 'sns-topic' | 'managed-policy' | 'log-group' | 'kms-key';

/**
 * NHI_ALARMS_INVALID (topic, log group) / NHI_BOUNDARY_INVALID (permissions boundary) /
 * NHI_KMS_KEY_INVALID (the key of a credential's secret): a reference that is not an ARN (or, where
 * AWS accepts one, a name) of that kind of resource. Unresolved references (a string token) are
 * accepted; a list, number or map token is not a reference. `accept` says what the adapter also
 * takes (e.g. `an sns.ITopic`).
 */
export function checkAwsReference(value: unknown, kind: AwsReferenceKind, field: string, accept = 'an ARN'): Violation[] {
  if (value === undefined || value === null) return [];
  if (isString(value) && isToken(value)) return [];
  switch (kind) {
    case 'sns-topic':
      return isString(value) && SNS_TOPIC_ARN.test(value) ? [] : [violation('NHI_ALARMS_INVALID', field,
        'is not an SNS topic ARN: notices and alarms would go nowhere (or synthesis would fail)',
        `give ${accept}, e.g. arn:aws:sns:eu-west-1:123456789012:billing-alerts`, value, [NhiRisk.NHI1])];
    case 'log-group':
      return isString(value) && (LOG_GROUP_ARN.test(value) || LOG_GROUP_NAME.test(value)) ? [] : [violation('NHI_ALARMS_INVALID', field,
        'is not a CloudWatch Logs group name or ARN', `give ${accept}, e.g. 'aws-cloudtrail-logs-123456789012'`, value, [NhiRisk.NHI1])];
    case 'managed-policy':
      return isString(value) && (MANAGED_POLICY_ARN.test(value) || (accept.includes('name') && MANAGED_POLICY_NAME.test(value))) ? [] : [violation('NHI_BOUNDARY_INVALID', field,
        'is not a managed policy ARN: the permissions boundary would not apply', `give ${accept}, e.g. arn:aws:iam::123456789012:policy/workload-boundary`, value, [NhiRisk.NHI5])];
    case 'kms-key':
      return isString(value) && KMS_KEY_ARN.test(value) ? [] : [violation('NHI_KMS_KEY_INVALID', field,
        'is not a KMS key ARN: the secret would not be encrypted with the key meant for it, or its rotation could not use the key (permissions are granted on the key ARN, not on an alias or id)',
        `give ${accept === 'an ARN' ? "the key's ARN" : accept}, e.g. arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`, value, [NhiRisk.NHI2])];
  }
}

/** True if a string is a managed policy ARN (not a name). */
export function isManagedPolicyArn(value: string): boolean {
  return MANAGED_POLICY_ARN.test(value);
}

/** True if a string is a log group ARN (not a name). */
export function isLogGroupArn(value: string): boolean {
  return LOG_GROUP_ARN.test(value);
}

/** NHI_ALARMS_INVALID: a runbook link must be an http(s) URL (it is put in alarm descriptions). */
export function checkRunbookUrl(value: unknown, field = 'alarms.runbookUrl'): Violation[] {
  if (value === undefined || value === null) return [];
  return isString(value) && /^https?:\/\/[^\s]+$/.test(value) && value.length <= 512 ? [] : [violation('NHI_ALARMS_INVALID', field,
    'is not an http(s) URL', "give the runbook's URL, e.g. https://wiki.example.com/runbooks/billing-reader", value, [NhiRisk.NHI1])];
}

/**
 * NHI_ALARMS_INVALID: alarm options given as text (cdktf: `topicArn`, `cloudTrailLogGroupName`,
 * `runbookUrl`).
 */
export function checkAwsAlarmOptions(alarms: unknown, field = 'alarms'): Violation[] {
  if (alarms === undefined || alarms === null) return [];
  if (typeof alarms !== 'object' || Array.isArray(alarms)) {
    return [violation('NHI_ALARMS_INVALID', field, 'is not an alarm options object', `set ${field}: { topicArn, cloudTrailLogGroupName, runbookUrl }`, alarms, [NhiRisk.NHI1])];
  }
  const a = alarms as Record<string, unknown>;
  const name = a.cloudTrailLogGroupName;
  return [
    ...checkAwsReference(a.topicArn, 'sns-topic', `${field}.topicArn`),
    ...(name === undefined || name === null || (isString(name) && (isToken(name) || LOG_GROUP_NAME.test(name))) ? [] : [violation('NHI_ALARMS_INVALID', `${field}.cloudTrailLogGroupName`,
      'is not a CloudWatch Logs group name', "give the log group's name, e.g. 'aws-cloudtrail-logs-123456789012'", name, [NhiRisk.NHI1])]),
    ...checkRunbookUrl(a.runbookUrl, `${field}.runbookUrl`),
  ];
}
