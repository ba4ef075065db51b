/**
 * Test-only wrapper around `@cloud-copilot/iam-simulate` (AGPL, devDependency only: never import
 * this from lib/). It evaluates synthesised policies the way AWS IAM does, so that tests can prove
 * what a policy allows instead of only snapshotting its JSON.
 *
 * Module loading: the package ships both builds via `exports` ({ import: dist/esm, require: dist/cjs }),
 * and so do its dependencies (iam-data, iam-policy, iam-utils). Jest runs our tests as CommonJS
 * (@swc/jest), so a plain static import resolves to the CJS build. No dynamic `import()`, no
 * `--experimental-vm-modules` and no transformIgnorePatterns changes are needed.
 *
 * Quirks of iam-simulate that this helper hides:
 *  - `aws:CurrentTime` is NOT populated automatically: without it every `DateLessThan` expiry
 *    condition fails (missing key => no match => ImplicitlyDenied). We always set `aws:CurrentTime`
 *    and `aws:EpochTime`, from `time` or else from "now", as AWS does on every request.
 *  - `request.resource.accountId` is mandatory and separate from the ARN (S3 ARNs carry no account).
 *    The principal's account is read from the principal ARN; if the two differ the request is
 *    cross-account and an identity policy alone can't allow it. We default both to the same account.
 *  - Context keys the service authorization reference doesn't list for the action/resource are
 *    silently dropped (reported in `ignoredContextKeys`), e.g. `token.actions.githubusercontent.com:sub`
 *    and `:aud` for AssumeRoleWithWebIdentity (`:repository`, `:ref`, ... are known). A dropped key
 *    would turn into a false "denied", so we throw instead.
 *  - Invalid policies, unknown actions or ARNs that fit no resource type give `resultType: 'error'`;
 *    we throw with the library's error details.
 *  - Resource ARNs containing `*` give `resultType: 'wildcard'`; we use its `overallResult`.
 *  - Federated (OIDC/SAML) principals must be the provider ARN, e.g.
 *    `arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com`.
 */
import { runSimulation, type EvaluationResult, type Simulation } from '@cloud-copilot/iam-simulate';

/** Account used when neither the principal nor the resource ARN names one. */
export const DEFAULT_ACCOUNT = '123456789012';

export interface SimulationRequest {
  action: string;
  resource: string;
  /** ISO-8601 timestamp; sets `aws:CurrentTime`/`aws:EpochTime`. Defaults to now. */
  time?: string;
  /** Extra request context. Keys here override the time-derived keys. */
  context?: Record<string, string | string[]>;
  /** Calling principal ARN. Defaults to a role in the resource's account (or DEFAULT_ACCOUNT). */
  principal?: string;
}

export interface AssumeRoleRequest {
  /** Service principal (`lambda.amazonaws.com`), IAM ARN, or OIDC/SAML provider ARN. */
  principal: string;
  /** Defaults to `sts:AssumeRole`. */
  action?: string;
  context?: Record<string, string | string[]>;
  /** ARN of the role carrying the trust policy. Defaults to a role in DEFAULT_ACCOUNT. */
  roleArn?: string;
  time?: string;
}

/** Principal-side policy that allows all of STS, so that canAssume tests only the trust policy. */
const ALLOW_ALL_STS = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sts:*', Resource: '*' }],
};

/** Accepts a policy document (string or object) or a bare statement, which gets wrapped. */
function parsePolicy(policy: string | object): unknown {
  const parsed: unknown = typeof policy === 'string' ? JSON.parse(policy) : policy;
  const isStatement = typeof parsed === 'object' && parsed !== null && 'Effect' in parsed && !('Statement' in parsed);
  return isStatement ? { Version: '2012-10-17', Statement: [parsed] } : parsed;
}

/** 12-digit account id from an ARN (`arn:partition:service:region:account:...`), if any. */
function accountOf(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

function timeContext(time: string | undefined): Record<string, string> {
  const date = time === undefined ? new Date() : new Date(time);
  if (Number.isNaN(date.getTime())) throw new Error(`iam-simulate helper: invalid time '${time}'`);
  return {
    'aws:CurrentTime': time ?? date.toISOString(),
    'aws:EpochTime': String(Math.floor(date.getTime() / 1000)),
  };
}

async function evaluate(simulation: Simulation): Promise<EvaluationResult> {
  const response = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (response.resultType === 'error') {
    throw new Error(`iam-simulate rejected the simulation: ${JSON.stringify(response.errors)}`);
  }
  const results = response.resultType === 'single' ? [response.result] : response.results;
  const ignored = [...new Set(results.flatMap((r) => r.ignoredContextKeys ?? []))];
  if (ignored.length > 0) {
    throw new Error(
      `iam-simulate ignored context keys not defined for ${simulation.request.action}: ${ignored.join(', ')}`,
    );
  }
  return response.overallResult;
}

/** Evaluates one identity policy (attached to `principal`, no resource policy, no SCPs/RCPs). */
export async function simulateIdentityPolicy(
  policyJson: string | object,
  req: SimulationRequest,
): Promise<EvaluationResult> {
  const account = accountOf(req.resource) ?? accountOf(req.principal) ?? DEFAULT_ACCOUNT;
  return evaluate({
    request: {
      principal: req.principal ?? `arn:aws:iam::${account}:role/simulated-principal`,
      action: req.action,
      resource: { resource: req.resource, accountId: account },
      contextVariables: { ...timeContext(req.time), ...req.context },
    },
    identityPolicies: [{ name: 'policy-under-test', policy: parsePolicy(policyJson) }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  });
}

export async function isAllowed(policyJson: string | object, req: SimulationRequest): Promise<boolean> {
  return (await simulateIdentityPolicy(policyJson, req)) === 'Allowed';
}

/**
 * Evaluates a role trust policy (the role's resource policy): may `principal` call `action`
 * (default sts:AssumeRole) on the role? The caller gets an allow-`sts:*` identity policy, so the
 * answer depends only on the trust policy (STS never trusts identity policies alone for roles).
 */
export async function canAssume(trustPolicyJson: string | object, req: AssumeRoleRequest): Promise<boolean> {
  const roleArn = req.roleArn ?? `arn:aws:iam::${DEFAULT_ACCOUNT}:role/simulated-role`;
  const result = await evaluate({
    request: {
      principal: req.principal,
      action: req.action ?? 'sts:AssumeRole',
      resource: { resource: roleArn, accountId: accountOf(roleArn) ?? DEFAULT_ACCOUNT },
      contextVariables: { ...timeContext(req.time), ...req.context },
    },
    identityPolicies: [{ name: 'caller-allows-sts', policy: ALLOW_ALL_STS }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: parsePolicy(trustPolicyJson),
  });
  return result === 'Allowed';
}
