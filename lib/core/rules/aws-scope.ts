import { actionsOf, closest, IamActionInfo, lookupAction, resourceArnFormat, servicePrefixes, serviceExists } from '../private/iam-catalog';
import { ResolvedGovernancePolicy } from '../policy';
import { NhiRisk, Violation, violation } from '../violation';
import { isVague } from './purpose';

/**
 * Actions that escalate privilege or expose credentials although their access level is not
 * "Permissions management" (e.g. `iam:PassRole` is "Write"). They need a justification.
 */
export const PRIVILEGED_AWS_ACTIONS: readonly string[] = [
  'ec2-instance-connect:SendSSHPublicKey',
  'glue:UpdateDevEndpoint',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreateServiceSpecificCredential',
  'iam:PassRole',
  'iam:ResetServiceSpecificCredential',
  'iam:UpdateAccessKey',
  'iam:UpdateLoginProfile',
  'iam:UploadSSHPublicKey',
  'lambda:UpdateFunctionCode',
  'lambda:UpdateFunctionConfiguration',
  'ssm:SendCommand',
  'ssm:StartSession',
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
  'sts:GetFederationToken',
];
const PRIVILEGED = new Set(PRIVILEGED_AWS_ACTIONS.map((a) => a.toLowerCase()));

/** One analysed action of a grant, for the register and the CLI. */
export interface AnalysedAwsAction {
  readonly action: string;
  readonly accessLevel: string;
  readonly privileged: boolean;
}

/** A grant after analysis: canonical action names, with their access levels. */
export interface AnalysedAwsGrant {
  readonly actions: AnalysedAwsAction[];
  readonly resources: string[];
  readonly justification?: string;
}

/** The outcome of {@link analyzeAwsScope}. */
export interface AwsScopeAnalysis {
  readonly violations: Violation[];
  /** The grants with canonical action names; only meaningful when there are no violations. */
  readonly grants: AnalysedAwsGrant[];
}

/** True if `value` is an unresolved token of cdktf (`${...}`) or the AWS CDK (`${Token[...]}`). */
export function isToken(value: string): boolean {
  return value.includes('${') || value.includes('#{') || /\[?TOKEN\.\d+\]?/.test(value);
}

/** True if the action is privileged (permissions management, or on the explicit list). */
export function isPrivileged(info: IamActionInfo): boolean {
  return info.accessLevel.includes('Permissions management') || PRIVILEGED.has(info.name.toLowerCase());
}

/**
 * True if a resource ARN covers every resource of one of the action's resource types: `*`,
 * `arn:aws:s3:::*`, `arn:aws:dynamodb:eu-west-1:123456789012:table/*`. A wildcard that only
 * narrows inside a named resource (`arn:aws:s3:::my-bucket/*`) is not.
 */
export function isWildcardResource(resource: string, infos: IamActionInfo[]): boolean {
  if (resource === '*' || /^arn:[^:]*\*/.test(resource)) return true;
  const star = resource.indexOf('*');
  if (star < 0 || isToken(resource)) return false;
  const parts = resource.split(':');
  if (parts.length < 6) return false;
  const service = parts[2];
  if (service.includes('*')) return true;
  const resourcePart = parts.slice(5).join(':');
  const beforeStar = resourcePart.slice(0, Math.max(0, resourcePart.indexOf('*')));
  if (resourcePart.indexOf('*') < 0) return false; // only region/account wildcarded
  for (const info of infos) {
    const svc = info.name.split(':')[0];
    for (const rt of info.resourceTypes) {
      const fmt = resourceArnFormat(svc, rt);
      if (!fmt) continue;
      const fmtParts = fmt.split(':');
      if (fmtParts[2] !== service) continue;
      const fmtResource = fmtParts.slice(5).join(':');
      const literal = fmtResource.slice(0, fmtResource.indexOf('${') < 0 ? fmtResource.length : fmtResource.indexOf('${'));
      if (literal.startsWith(beforeStar)) return true;
    }
  }
  return false;
}

function suggestAction(action: string): string {
  const i = action.indexOf(':');
  const service = i > 0 ? action.slice(0, i) : action;
  if (i <= 0 || !serviceExists(service)) {
    const svc = closest(service, servicePrefixes(), 3);
    return `'${service}' is not an AWS service prefix; did you mean ${svc.map((s) => `'${s}'`).join(', ')}?`;
  }
  const cands = closest(action, actionsOf(service), 3);
  return `did you mean ${cands.map((c) => `'${c}'`).join(', ')}?`;
}

/**
 * AWS scope: least-privilege grants of real actions on named resources.
 *
 * - unknown service or action: NHI_SCOPE_UNKNOWN_ACTION (with the closest real names);
 * - `*` in an action, or a resource wildcard over a whole resource type: NHI_SCOPE_WILDCARD,
 *   except `*` as the resource of actions that support no resource types;
 * - permissions management and the {@link PRIVILEGED_AWS_ACTIONS}: NHI_SCOPE_PRIVILEGED unless
 *   the grant carries a justification;
 * - actions the policy forbids: NHI_SCOPE_FORBIDDEN.
 */
export function analyzeAwsScope(scope: unknown, policy: ResolvedGovernancePolicy, field = 'scope'): AwsScopeAnalysis {
  if (!Array.isArray(scope) || scope.length === 0) {
    return {
      violations: [violation('NHI_SCOPE_EMPTY', field, 'an identity needs at least one least-privilege grant',
        "set scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::my-bucket/*'] }]", scope ?? undefined, [NhiRisk.NHI5])],
      grants: [],
    };
  }
  const forbidden = new Set(policy.forbiddenActions.map((a) => a.toLowerCase()));
  const violations: Violation[] = [];
  const grants: AnalysedAwsGrant[] = [];
  scope.forEach((grant: unknown, g: number) => {
    const f = `${field}[${g}]`;
    const { actions, resources, justification } = (grant && typeof grant === 'object' ? grant : {}) as {
      actions?: unknown; resources?: unknown; justification?: unknown;
    };
    const actionList = Array.isArray(actions) ? actions : [];
    const resourceList = Array.isArray(resources) ? resources : [];
    if (actionList.length === 0) {
      violations.push(violation('NHI_SCOPE_EMPTY', `${f}.actions`, 'a grant needs at least one action',
        "list the actions, e.g. actions: ['s3:GetObject']", actions, [NhiRisk.NHI5]));
    }
    if (resourceList.length === 0) {
      violations.push(violation('NHI_SCOPE_EMPTY', `${f}.resources`, 'a grant needs at least one resource',
        "list the resource ARNs, e.g. resources: ['arn:aws:s3:::my-bucket/*']", resources, [NhiRisk.NHI5]));
    }
    const justified = typeof justification === 'string' && !isVague(justification);
    const infos: IamActionInfo[] = [];
    const analysed: AnalysedAwsAction[] = [];
    actionList.forEach((action: unknown, a: number) => {
      const af = `${f}.actions[${a}]`;
      if (typeof action !== 'string' || action.trim() === '') {
        violations.push(violation('NHI_SCOPE_UNKNOWN_ACTION', af, 'is not an action name', "write 'service:Action', e.g. 's3:GetObject'", action, [NhiRisk.NHI5]));
        return;
      }
      if (action.includes('*') || action.includes('?')) {
        const svc = action.split(':')[0];
        const expanded = serviceExists(svc) && action.includes(':')
          ? actionsOf(svc).filter((x) => wildcardMatch(action, x)) : [];
        const hint = expanded.length > 0 && expanded.length <= 6
          ? `list the actions it needs from: ${expanded.join(', ')}`
          : expanded.length > 6 ? `it matches ${expanded.length} actions (e.g. ${expanded.slice(0, 3).join(', ')}); list only those it needs` : 'list each action by name';
        violations.push(violation('NHI_SCOPE_WILDCARD', af, 'wildcards in actions grant every current and future matching action', hint, action, [NhiRisk.NHI5]));
        // Kept in the grant: if a waiver acknowledges it, the policy and the register still say it.
        analysed.push({ action, accessLevel: 'Wildcard', privileged: expanded.some((x) => isPrivileged(lookupAction(x)!)) });
        return;
      }
      const info = lookupAction(action);
      if (!info) {
        violations.push(violation('NHI_SCOPE_UNKNOWN_ACTION', af, 'is not an AWS IAM action', suggestAction(action), action, [NhiRisk.NHI5]));
        // Kept (a waiver may acknowledge an action newer than the catalogue).
        analysed.push({ action, accessLevel: 'Unknown', privileged: false });
        return;
      }
      infos.push(info);
      const privileged = isPrivileged(info);
      analysed.push({ action: info.name, accessLevel: info.accessLevel, privileged });
      if (forbidden.has(info.name.toLowerCase())) {
        violations.push(violation('NHI_SCOPE_FORBIDDEN', af, 'is forbidden by the governance policy', 'remove it; ask the platform team if the workload truly needs it', action, [NhiRisk.NHI5]));
      } else if (privileged && !justified) {
        violations.push(violation('NHI_SCOPE_PRIVILEGED', af,
          `can escalate privilege or expose credentials (${info.accessLevel.includes('Permissions management') ? 'permissions management' : 'privileged action'})`,
          'remove it, or move it to its own grant with a justification of at least three words naming why the workload needs it',
          action, [NhiRisk.NHI5, NhiRisk.NHI10]));
      }
    });
    resourceList.forEach((resource: unknown, r: number) => {
      const rf = `${f}.resources[${r}]`;
      if (typeof resource !== 'string' || resource.trim() === '') {
        violations.push(violation('NHI_SCOPE_EMPTY', rf, 'is not a resource ARN', 'give the ARN of the resource', resource, [NhiRisk.NHI5]));
        return;
      }
      if (resource === '*') {
        const needing = infos.filter((i) => i.resourceTypes.length > 0);
        if (needing.length > 0 || infos.length === 0) {
          const names = needing.map((i) => i.name);
          violations.push(violation('NHI_SCOPE_WILDCARD', rf, `'*' grants ${names.length > 0 ? names.join(', ') : 'the actions'} on every resource in the account`,
            `name the resources' ARNs${needing.length < infos.length ? `; keep '*' only in a separate grant for actions without resource types (${infos.filter((i) => i.resourceTypes.length === 0).map((i) => i.name).join(', ')})` : ''}`,
            resource, [NhiRisk.NHI5]));
        }
        return;
      }
      if (isWildcardResource(resource, infos.filter((i) => i.resourceTypes.length > 0))) {
        violations.push(violation('NHI_SCOPE_WILDCARD', rf, 'the wildcard covers every resource of its type',
          'name the resource (a wildcard may only narrow inside a named resource, e.g. arn:aws:s3:::my-bucket/reports/*)', resource, [NhiRisk.NHI5]));
      }
    });
    grants.push({
      actions: analysed,
      resources: resourceList.filter((x): x is string => typeof x === 'string'),
      ...(typeof justification === 'string' ? { justification } : {}),
    });
  });
  return { violations, grants };
}

/** IAM-style wildcard match (`*` any run, `?` one character), case-insensitive. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp('^' + pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('') + '$', 'i');
  return re.test(value);
}
