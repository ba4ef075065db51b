import { ArnFormat, ArnParts, arnMatchesFormat, bindVariables, classifyWildcard, fillFormat, formatsOf, ResourceWildcard, splitArn } from '../private/arn';
import { actionsOf, closest, IamActionInfo, lookupAction, servicePrefixes, serviceExists } from '../private/iam-catalog';
import { forbiddenBy, globMatch, ResolvedGovernancePolicy } from '../policy';
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

/**
 * Credential-exposing AWS actions: they hand out a secret, a key or a session (the register
 * marks privilege escalation and permissions management as `privileged` already).
 */
export const CREDENTIAL_EXPOSING_AWS_ACTIONS: readonly string[] = [
  'codeartifact:GetAuthorizationToken',
  'ec2:GetPasswordData',
  'ecr:GetAuthorizationToken',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreateServiceSpecificCredential',
  'iam:ResetServiceSpecificCredential',
  'iam:UpdateLoginProfile',
  'kms:Decrypt',
  'rds-db:connect',
  'redshift:GetClusterCredentials',
  'secretsmanager:GetSecretValue',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
  'sts:GetFederationToken',
  'sts:GetSessionToken',
];
const CREDENTIAL = new Set(CREDENTIAL_EXPOSING_AWS_ACTIONS.map((a) => a.toLowerCase()));

/** True if the action (`secretsmanager:GetSecretValue`, any case) hands out a secret, a key or a session. */
export function isCredentialExposing(action: string): boolean {
  return CREDENTIAL.has(action.toLowerCase());
}

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
 * `arn:aws:s3:::*`, `arn:aws:dynamodb:eu-west-1:123456789012:table/*`, `table/?*`, a wildcard
 * partition or service. A wildcard that only narrows inside a named resource
 * (`arn:aws:s3:::my-bucket/*`), a prefix wildcard (`table/orders-*`), a region or account
 * wildcard alone, and a collection's own ARN (`phone-number/*` for the actions that take it) are
 * not. The same reading of the ARN formats as {@link analyzeAwsScope}'s NHI_SCOPE_WILDCARD.
 */
export function isWildcardResource(resource: string, infos: IamActionInfo[]): boolean {
  if (resource === '*' || /^arn:[^:]*[*?]/.test(resource)) return true;
  if (!WILD.test(resource) || isToken(resource)) return false;
  const arn = splitArn(resource);
  if (!arn) return false;
  if (WILD.test(arn.service)) return true;
  if (!WILD.test(arn.resource)) return false; // only region/account wildcarded
  for (const info of infos) {
    for (const f of formatsFor(info)) {
      if (arnMatchesFormat(arn, f) && classifyWildcard(arn, f) === ResourceWildcard.TYPE) return true;
    }
  }
  return false;
}

/** How far a resource pattern reaches beyond one named resource, short of a whole type (see {@link resourcePatternReach}). */
export interface ResourcePatternReach {
  /** A wildcard in the resource's name after a literal prefix (`table/orders-*`, `arn:aws:s3:::acme-*`). */
  readonly prefix: boolean;
  /** The prefix is over names without an account (S3 buckets): names of any account match. */
  readonly globalNames: boolean;
  /** A wildcard in the region. */
  readonly region: boolean;
  /** A wildcard in the account. */
  readonly account: boolean;
}

/**
 * What a resource pattern that is not a whole-type wildcard ({@link isWildcardResource}) reaches
 * beyond one named resource, for the actions `infos`: a prefix wildcard in the name, a wildcard
 * in the region or the account. Undefined when it reaches one named resource (or cannot be read).
 */
export function resourcePatternReach(resource: string, infos: IamActionInfo[]): ResourcePatternReach | undefined {
  if (!WILD.test(resource) || isToken(resource)) return undefined;
  const arn = splitArn(resource);
  if (!arn) return undefined;
  const region = WILD.test(arn.region);
  const account = WILD.test(arn.account);
  let prefix = false;
  let globalNames = false;
  if (WILD.test(arn.resource)) {
    for (const info of infos) {
      for (const f of formatsFor(info)) {
        if (arnMatchesFormat(arn, f) && classifyWildcard(arn, f) === ResourceWildcard.PREFIX) {
          prefix = true;
          if (f.parts.account === '') globalNames = true;
        }
      }
    }
  }
  return prefix || region || account ? { prefix, globalNames, region, account } : undefined;
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
        const forbiddenHit = expanded.find((x) => forbiddenBy(policy, x) !== undefined) ?? (forbiddenBy(policy, action) !== undefined ? action : undefined);
        if (forbiddenHit !== undefined) {
          violations.push(violation('NHI_SCOPE_FORBIDDEN', af, `includes ${forbiddenHit}, which the governance policy forbids (${forbiddenBy(policy, forbiddenHit) ?? forbiddenHit})`,
            'remove it; ask the platform team if the workload truly needs it', action, [NhiRisk.NHI5]));
        }
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
      const rule = forbiddenBy(policy, info.name);
      if (rule !== undefined) {
        violations.push(violation('NHI_SCOPE_FORBIDDEN', af, `is forbidden by the governance policy${rule.toLowerCase() === info.name.toLowerCase() ? '' : ` (${rule})`}`, 'remove it; ask the platform team if the workload truly needs it', action, [NhiRisk.NHI5]));
      } else if (privileged && !justified) {
        violations.push(violation('NHI_SCOPE_PRIVILEGED', af,
          `can escalate privilege or expose credentials (${info.accessLevel.includes('Permissions management') ? 'permissions management' : 'privileged action'})`,
          'remove it, or move it to its own grant with a justification of at least three words naming why the workload needs it',
          action, [NhiRisk.NHI5, NhiRisk.NHI10]));
      }
    });
    violations.push(...checkResources(resourceList, infos, analysed.length === infos.length, justified, policy, f, actionList));
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
  return globMatch(pattern, value);
}

const PARTITION = /^aws(-cn|-us-gov|-iso(-[a-z])?|-eusc)?$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT = /^(\d{12}|aws)$/;
const WILD = /[*?]/;
/** A token standing for a whole partition (`arn:${Token[AWS.Partition.8]}:...`, `arn:${data.aws_partition.x.partition}:...`). */
const PARTITION_TOKEN = /^arn:(\$\{[^:}]*\}|\$\{Token\[[^\]]*\]\}):/;

interface ParsedResource {
  readonly index: number;
  readonly arn: ArnParts;
  readonly matched: ArnFormat[];
}

const candidateCache = new Map<string, ArnFormat[]>();

/**
 * The formats an ARN may match: its own service's, and those of the grant's actions with the same
 * ARN service or with a service variable.
 */
function candidateFormats(arn: ArnParts, infos: IamActionInfo[]): ArnFormat[] {
  const first = infos.length > 0 ? serviceOf(infos[0]) : '';
  const services = infos.every((i) => serviceOf(i) === first) ? (infos.length > 0 ? [first] : []) : [...new Set(infos.map(serviceOf))].sort();
  const key = services.length === 1 ? `${arn.service}|${first}` : `${arn.service}|${services.join(',')}`;
  let hit = candidateCache.get(key);
  if (hit) return hit;
  const out = new Set<ArnFormat>(serviceExists(arn.service) ? formatsOf(arn.service) : []);
  for (const svc of services) {
    // A format whose service is a variable (AWS Backup's recovery point) may name this ARN's service.
    for (const f of formatsOf(svc)) if (f.parts.service === arn.service || f.anyService) out.add(f);
  }
  hit = [...out];
  if (candidateCache.size > 5_000) candidateCache.clear();
  candidateCache.set(key, hit);
  return hit;
}

function serviceOf(info: IamActionInfo): string {
  return info.name.slice(0, info.name.indexOf(':'));
}

function typeKey(f: ArnFormat): string {
  return f.key;
}

const typeKeyCache = new Map<string, string[]>();

function actionTypeKeys(info: IamActionInfo): string[] {
  let keys = typeKeyCache.get(info.name);
  if (!keys) {
    const svc = info.name.split(':')[0];
    keys = info.resourceTypes.map((t) => `${svc}:${t.toLowerCase()}`);
    typeKeyCache.set(info.name, keys);
  }
  return keys;
}

/**
 * Resources of one grant, against the actions' resource types (AWS service authorization
 * reference): each ARN must parse against its service's ARN formats (NHI_SCOPE_RESOURCE_INVALID);
 * wildcards over a whole type, a region or an account are NHI_SCOPE_WILDCARD, a prefix wildcard
 * needs a justification (the policy may forbid it: NHI_SCOPE_FORBIDDEN); each action must apply
 * to a resource type one of the ARNs names, resource-less actions only to `*`
 * (NHI_SCOPE_RESOURCE_MISMATCH, with the ARN that would work).
 */
function checkResources(resourceList: unknown[], infos: IamActionInfo[], allKnown: boolean, justified: boolean,
  policy: ResolvedGovernancePolicy, f: string, actionList: unknown[]): Violation[] {
  const out: Violation[] = [];
  const typed = infos.filter((i) => i.resourceTypes.length > 0);
  // Loops, not flatMap: this runs once per grant of every identity (flatMap is several times slower).
  const actionTypes = new Set<string>();
  for (let i = 0; i < typed.length; i++) {
    const keys = actionTypeKeys(typed[i]);
    for (let k = 0; k < keys.length; k++) actionTypes.add(keys[k]);
  }
  let star = false;
  let opaque = false;
  const parsed: ParsedResource[] = [];
  resourceList.forEach((resource: unknown, r: number) => {
    const rf = `${f}.resources[${r}]`;
    if (typeof resource !== 'string' || resource.trim() === '') {
      out.push(violation('NHI_SCOPE_EMPTY', rf, 'is not a resource ARN', 'give the ARN of the resource', resource, [NhiRisk.NHI5]));
      return;
    }
    if (resource === '*') {
      star = true;
      const needing = typed;
      if (needing.length > 0 || infos.length === 0) {
        const names = needing.map((i) => i.name);
        out.push(violation('NHI_SCOPE_WILDCARD', rf, `'*' grants ${names.length > 0 ? names.join(', ') : 'the actions'} on every resource in the account`,
          `name the resources' ARNs${needing.length < infos.length ? `; keep '*' only in a separate grant for actions without resource types (${infos.filter((i) => i.resourceTypes.length === 0).map((i) => i.name).join(', ')})` : ''}`,
          resource, [NhiRisk.NHI5]));
      }
      return;
    }
    // A list known only at deploy (a list token, `#{...}`) has no ARNs to judge, and no place in a
    // policy written as text: its length and elements exist only at apply.
    if (resource.includes('#{')) {
      out.push(violation('NHI_SCOPE_RESOURCE_INVALID', rf, 'is a list known only at deploy (a list token): the ARNs it holds can be neither checked nor written into the policy',
        'list the ARNs in the code, each a literal or one reference (e.g. bucket.arn, or Fn.element(list, 0) for one element of a list)', resource, [NhiRisk.NHI5]));
      return;
    }
    // A reference for the partition alone is still judged; any other reference is judged at deploy.
    const text = resource.replace(PARTITION_TOKEN, 'arn:aws:');
    if (isToken(text)) {
      opaque = true;
      return;
    }
    const arn = splitArn(text);
    if (!arn) {
      out.push(violation('NHI_SCOPE_RESOURCE_INVALID', rf, 'is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)',
        `give the resource's ARN${typed.length > 0 ? `, e.g. ${example(typed[0], [])}` : ''}`, resource, [NhiRisk.NHI5]));
      return;
    }
    if (WILD.test(arn.partition) || WILD.test(arn.service)) {
      out.push(violation('NHI_SCOPE_WILDCARD', rf, 'the wildcard covers every resource of its type',
        'name the resource (a wildcard may only narrow inside a named resource, e.g. arn:aws:s3:::my-bucket/reports/*)', resource, [NhiRisk.NHI5]));
      return;
    }
    const bad = !PARTITION.test(arn.partition) ? `'${arn.partition}' is not an AWS partition (aws, aws-cn, aws-us-gov, ...)`
      : !WILD.test(arn.region) && arn.region !== '' && !REGION.test(arn.region) ? `'${arn.region}' is not an AWS region (e.g. eu-west-1)`
        : !WILD.test(arn.account) && arn.account !== '' && !ACCOUNT.test(arn.account) ? `'${arn.account}' is not an AWS account id (12 digits)`
          : undefined;
    if (bad) {
      out.push(violation('NHI_SCOPE_RESOURCE_INVALID', rf, `is not a valid ARN: ${bad}`, 'give the resource\'s ARN as the AWS console shows it', resource, [NhiRisk.NHI5]));
      return;
    }
    const candidates = candidateFormats(arn, infos);
    const matched = candidates.filter((c) => arnMatchesFormat(arn, c));
    if (matched.length === 0) {
      const shown = (typed.length > 0 ? typed.flatMap((i) => formatsFor(i)).filter((x) => x.parts.service === arn.service) : [])
        .concat(candidates).slice(0, 3).map((x) => x.format);
      out.push(violation('NHI_SCOPE_RESOURCE_INVALID', rf,
        candidates.length === 0 ? `'${arn.service}' is not the service of any AWS resource ARN` : `matches none of the ${arn.service} ARN formats`,
        shown.length > 0 ? `write it as ${shown.join(' or ')}` : 'give the resource\'s ARN as the AWS console shows it', resource, [NhiRisk.NHI5]));
      return;
    }
    parsed.push({ index: r, arn, matched });
    if (WILD.test(arn.region) || WILD.test(arn.account)) {
      const what = [WILD.test(arn.region) ? 'region' : '', WILD.test(arn.account) ? 'account' : ''].filter(Boolean).join(' and ');
      out.push(violation('NHI_SCOPE_WILDCARD', rf, `a wildcard ${what} reaches the resource in every ${what}, including other environments' accounts`,
        `name the ${what} (e.g. ${fillFormat(matched[0], { partition: arn.partition, region: WILD.test(arn.region) ? 'eu-west-1' : arn.region, account: WILD.test(arn.account) ? '123456789012' : arn.account }, bindVariables(arn, matched[0]) ?? {})})`,
        resource, [NhiRisk.NHI5, NhiRisk.NHI8]));
      return;
    }
    const relevant = matched.filter((m) => actionTypes.has(typeKey(m)));
    const reach = Math.max(...(relevant.length > 0 ? relevant : matched).map((m) => classifyWildcard(arn, m)));
    if (reach === ResourceWildcard.TYPE) {
      // The ARN of a whole collection (`phone-number/*`) given with actions on single resources of the type.
      const whole = new Set(relevant.filter((m) => m.tokens.some((t) => 'v' in t && t.collection) && classifyWildcard(arn, m) === ResourceWildcard.NONE).map(typeKey));
      const wide = new Set(relevant.filter((m) => classifyWildcard(arn, m) === ResourceWildcard.TYPE).map(typeKey));
      const takers = whole.size === 0 ? [] : infos
        .filter((i) => actionTypeKeys(i).some((k) => whole.has(k)) && !actionTypeKeys(i).some((k) => wide.has(k))).map((i) => i.name);
      out.push(violation('NHI_SCOPE_WILDCARD', rf, 'the wildcard covers every resource of its type',
        takers.length > 0
          ? `give ${takers.join(', ')} a grant of its own on this collection ARN, and name the resources for the other actions`
          : 'name the resource (a wildcard may only narrow inside a named resource, e.g. arn:aws:s3:::my-bucket/reports/*)', resource, [NhiRisk.NHI5]));
    } else if (reach === ResourceWildcard.PREFIX && policy.forbidPrefixWildcards) {
      out.push(violation('NHI_SCOPE_FORBIDDEN', rf, 'a prefix wildcard in a resource name is forbidden by the governance policy (forbidPrefixWildcards)',
        'name each resource', resource, [NhiRisk.NHI5]));
    } else if (reach === ResourceWildcard.PREFIX && !justified) {
      out.push(violation('NHI_SCOPE_WILDCARD', rf, 'a wildcard inside the resource name covers every current and future resource whose name matches it',
        'name each resource, or give the grant a justification of at least three words saying why every matching resource is needed', resource, [NhiRisk.NHI5]));
    }
  });

  // Each action must apply to a resource the grant names (only judged when some ARN was understood).
  const mismatches: Violation[] = [];
  if (!star && !opaque && parsed.length > 0) {
    const named = new Set<string>();
    for (let i = 0; i < parsed.length; i++) {
      const matched = parsed[i].matched;
      for (let k = 0; k < matched.length; k++) named.add(typeKey(matched[k]));
    }
    const done = new Set<string>();
    for (const info of infos) {
      if (done.has(info.name)) continue;
      done.add(info.name);
      const a = actionList.findIndex((x) => typeof x === 'string' && x.toLowerCase() === info.name.toLowerCase());
      const af = `${f}.actions[${a}]`;
      if (info.resourceTypes.length === 0) {
        mismatches.push(violation('NHI_SCOPE_RESOURCE_MISMATCH', af, "supports no resource types: IAM grants it only on '*', so on these ARNs it grants nothing",
          `move it to a grant of its own with resources: ['*']`, info.name, [NhiRisk.NHI5]));
      } else if (!actionTypeKeys(info).some((k) => named.has(k))) {
        const types = formatsFor(info);
        mismatches.push(violation('NHI_SCOPE_RESOURCE_MISMATCH', af,
          `applies to ${types.map((t) => `${t.type} (${t.format})`).join(', ')}; none of the grant's resources is one, so it grants nothing`,
          `give the ARN it applies to, e.g. ${example(info, parsed)}`, info.name, [NhiRisk.NHI5]));
      }
    }
    out.push(...mismatches);
    if (mismatches.length === 0 && allKnown && infos.length > 0) {
      for (const p of parsed) {
        if (p.matched.some((m) => actionTypes.has(typeKey(m)))) continue;
        out.push(violation('NHI_SCOPE_RESOURCE_MISMATCH', `${f}.resources[${p.index}]`,
          `is a ${[...new Set(p.matched.map((m) => m.type))].join(' / ')} ARN, to which none of the grant's actions applies: it grants nothing`,
          'remove it, or give it in a grant with actions that apply to it', resourceList[p.index], [NhiRisk.NHI5]));
      }
    }
  }
  return out;
}

function formatsFor(info: IamActionInfo): ArnFormat[] {
  const svc = info.name.split(':')[0];
  const all = formatsOf(svc);
  return info.resourceTypes.map((t) => all.find((x) => x.type === t.toLowerCase())).filter((x): x is ArnFormat => x !== undefined);
}

/** The ARN an action applies to, filled from what the grant's ARNs say (bucket name, region, account). */
function example(info: IamActionInfo, parsed: ParsedResource[]): string {
  let best: { arn: string; score: number; vars: number } | undefined;
  const known = parsed.find((p) => p.arn.region !== '' || p.arn.account !== '')?.arn;
  for (const target of formatsFor(info)) {
    const vars = target.format.split('${').length;
    let bound: Record<string, string> = {};
    let source: ArnParts | undefined;
    for (const p of parsed) {
      if (p.arn.service !== target.parts.service) continue;
      for (const m of p.matched) {
        const b = bindVariables(p.arn, m) ?? {};
        if (Object.keys(b).length > Object.keys(bound).length) { bound = b; source = p.arn; }
      }
    }
    const ctx = source ?? known;
    const arn = fillFormat(target, { partition: ctx?.partition, region: ctx?.region || known?.region, account: ctx?.account || known?.account },
      Object.fromEntries(Object.entries(bound).filter(([k]) => target.tokens.some((t) => 'v' in t && t.v === k))));
    const score = target.tokens.filter((t) => 'v' in t && bound[t.v] !== undefined).length;
    if (!best || score > best.score || (score === best.score && vars < best.vars)) best = { arn, score, vars };
  }
  return best?.arn ?? '*';
}
