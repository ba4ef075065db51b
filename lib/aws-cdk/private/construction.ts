// What the governed constructs need to build themselves (core rules, the register entry builders,
// the private constructs): loaded at the first construction, not when nhi-constructs/lib/aws-cdk is
// imported: `lazyModule(() => require('./private/construction') as typeof build)` with
// `import type * as build from './private/construction'`.
export { flattenDeep, knownName } from './cfn';
export { setFacts } from './facts';
export { acknowledgeNag, acknowledgeWildcardResources } from './nag';
export { AwsNotices } from './notices';
export { accessDeniedAlarm, ownerNotices } from './owner-alarms';
export { checkAlarmOptions, checkBoundary, importAlarmOptions, importBoundary } from './references';
export { RotationFunction } from './rotation';
export { GuardedRole, GuardedUser, ScopeGuard } from './scope-guard';
export { declareForVerification } from './verification';
export { alarm } from '../../core/alarms';
export { CLOUDTRAIL_ALARM_KINDS } from '../../core/aws-events';
export { awsScopePolicy, expiryCondition, renderPolicyJson } from '../../core/aws-policy';
export { awsApiKeyEntry, awsServiceAccountEntry } from '../../core/aws-register';
export { governIdentity } from '../../core/governance';
export { GovernanceError } from '../../core/governance-error';
export { checkApiStages, checkQuota, checkThrottle } from '../../core/rules/api-key';
export { checkApiKeyName, checkAwsIamName, checkIamPath } from '../../core/rules/aws-names';
export { awsPrincipalReaches, awsScopeReaches, conditionExternalId, trustFromPrincipalJson } from '../../core/rules/aws-principal';
export { analyzeAwsScope } from '../../core/rules/aws-scope';
export { awsTrustDetails, checkAwsTrust, checkNoTrustWithStaticCredentials, GENERATED_EXTERNAL_ID, vendorExternalId } from '../../core/rules/aws-trust';
export { checkEnvironmentCrossing } from '../../core/rules/lifecycle';
export { findReuse } from '../../core/rules/reuse';
export { NhiRisk, violation } from '../../core/violation';
