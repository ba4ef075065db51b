import { identityControls } from './controls';
import { registerGovernanceFields, ResolvedGovernance } from './governance';
import { RegisterAlarm, RegisterEntry } from './register';
import { ApiKeyQuota, ApiKeyThrottle } from './rules/api-key';
import { AnalysedAwsGrant } from './rules/aws-scope';

/** The register view of analysed AWS grants: actions sorted, with access levels. */
export function awsScopeForRegister(grants: AnalysedAwsGrant[]): unknown[] {
  return grants.map((g) => ({
    actions: g.actions.map((a) => ({ action: a.action, accessLevel: a.accessLevel, privileged: a.privileged }))
      .sort((a, b) => (a.action < b.action ? -1 : a.action > b.action ? 1 : 0)),
    resources: g.resources,
    ...(g.justification ? { justification: g.justification } : {}),
  }));
}

/** The register entry of an AWS service account (role or user), for every AWS target. */
export function awsServiceAccountEntry(e: {
  path: string; name: string; governance: ResolvedGovernance; grants: AnalysedAwsGrant[];
  credentials: string; alarms: RegisterAlarm[]; details?: { [key: string]: any };
}): RegisterEntry {
  return {
    path: e.path,
    kind: 'service-account',
    cloud: 'aws',
    name: e.name,
    ...registerGovernanceFields(e.governance),
    scope: awsScopeForRegister(e.grants),
    credentials: e.credentials,
    rotation: e.governance.rotationDays ? { days: e.governance.rotationDays } : undefined,
    alarms: e.alarms,
    controls: identityControls(e.credentials !== 'none', e.governance),
    details: e.details,
  };
}

/** The register entry of an AWS API Gateway key, for every AWS target. */
export function awsApiKeyEntry(e: {
  path: string; name: string; governance: ResolvedGovernance; stages: { restApiId: string; stage: string }[];
  throttle: Partial<ApiKeyThrottle>; quota?: Partial<ApiKeyQuota>; alarms: RegisterAlarm[];
}): RegisterEntry {
  return {
    path: e.path,
    kind: 'api-key',
    cloud: 'aws',
    name: e.name,
    ...registerGovernanceFields(e.governance),
    scope: e.stages.map((s) => ({ restApiId: s.restApiId, stage: s.stage })),
    credentials: 'api-key',
    rotation: { days: e.governance.rotationDays! },
    alarms: e.alarms,
    controls: identityControls(true, e.governance),
    details: {
      throttle: { rateLimit: e.throttle.rateLimit, burstLimit: e.throttle.burstLimit },
      quota: e.quota ? { limit: e.quota.limit, period: e.quota.period, offset: e.quota.offset ?? 0 } : null,
    },
  };
}
