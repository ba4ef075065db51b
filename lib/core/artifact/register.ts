import { IdentityDeclaration } from './model';
import { expiryInstant, parseIsoDate } from '../dates';
import { awsTrustPolicy } from '../rules/aws-trust';
import { USAGE_PLAN_NAME } from './terraform';

/** The register fields a declaration is rebuilt from (see lib/core/register.ts). */
export interface RegisterDeclarationSource {
  readonly path: string;
  readonly kind: string;
  readonly cloud: string;
  readonly name: string;
  readonly expires: string;
  readonly credentials: string;
  readonly scope: any;
  readonly details?: { [key: string]: any } | null;
}

/**
 * The declaration of a registered identity, for verifying an artifact that carries no
 * declaration of its own (a Terraform plan): the register is what reviewers approved, so the
 * plan must grant, trust and hand out exactly that. Credentials are identified by the Terraform
 * addresses the register lists (`details.credentialResources`); a register without them only says
 * how many (one, or none).
 */
export function declarationFromRegister(e: RegisterDeclarationSource): IdentityDeclaration {
  if (!e || typeof e !== 'object' || typeof e.path !== 'string' || parseIsoDate(e.expires) === undefined) {
    throw new Error('not a register entry (path and expires are required)');
  }
  const expiresAt = expiryInstant(e.expires);
  const details = e.details ?? {};
  const scope: any[] = Array.isArray(e.scope) ? e.scope : [];
  // The credential resources Terraform manages for it, by address (registers since s16): any other
  // credential of the identity in the plan is undeclared. Older registers only say whether it has one.
  const listed = Array.isArray(details.credentialResources) ? details.credentialResources.map(String) : undefined;
  const credentialCount = e.credentials && e.credentials !== 'none' && e.kind === 'service-account' ? 1 : 0;
  const base = { path: e.path, cloud: e.cloud, addresses: [], owned: listed ?? [], expiresAt, ...(listed ? {} : { credentialCount }) };
  if (e.kind === 'api-key' && e.cloud === 'aws') {
    // The identity of an API key is its usage plan (named as the key); its scope the stages the plan admits.
    return {
      ...base,
      names: [`${USAGE_PLAN_NAME}${e.name}`],
      apiStages: scope.map((g) => `${String(g?.restApiId)}/${String(g?.stage)}`),
    };
  }
  if (e.kind !== 'service-account') return { ...base, names: [] };
  if (e.cloud === 'google') {
    const names = [e.name, `serviceAccount:${e.name}`];
    return {
      ...base,
      names,
      googleGrants: scope.map((g) => ({
        role: String(g.role), target: String(g.on), resource: String(g.resource),
        ...(typeof g.justification === 'string' ? { justification: g.justification } : {}),
        ...(Array.isArray(g.permissions) ? { permissions: g.permissions.map(String) } : {}),
      })),
      googleCondition: typeof details.condition === 'string' ? details.condition : undefined,
      googleUsers: (Array.isArray(details.usedBy) ? details.usedBy : []).map((u: any) => ({ member: String(u.member), role: String(u.role) })),
    };
  }
  const trust = details.trust;
  let awsTrust: string | undefined;
  if (trust && typeof trust === 'object' && trust.oidc && typeof trust.oidc === 'object') {
    // The provider ARN is in the register since s16 (older registers: the trust is checked for expiry only).
    const o = trust.oidc;
    if (typeof o.providerArn === 'string') {
      awsTrust = JSON.stringify(awsTrustPolicy({ oidc: { providerArn: o.providerArn, issuer: String(o.issuer), audience: String(o.audience), subject: String(o.subject) } }, expiresAt, trust.externalId));
    }
  } else if (trust && typeof trust === 'object') {
    awsTrust = JSON.stringify(awsTrustPolicy({ service: trust.service, roleArns: trust.roleArns, accountIds: trust.accountIds }, expiresAt, trust.externalId));
  }
  return {
    ...base,
    names: [e.name],
    awsGrants: scope.map((g) => ({
      actions: (Array.isArray(g.actions) ? g.actions : []).map((a: any) => String(a.action ?? a)),
      resources: (Array.isArray(g.resources) ? g.resources : []).map(String),
    })),
    ...(awsTrust ? { awsTrustPolicy: awsTrust } : {}),
  };
}
