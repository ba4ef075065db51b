import { IdentityDeclaration } from './model';
import { expiryInstant, parseIsoDate } from '../dates';
import { awsTrustPolicy } from '../rules/aws-trust';

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
 * plan must grant, trust and hand out exactly that. Credentials are counted (a plan has no
 * construct paths to tell the declared key from a second one).
 */
export function declarationFromRegister(e: RegisterDeclarationSource): IdentityDeclaration {
  if (!e || typeof e !== 'object' || typeof e.path !== 'string' || parseIsoDate(e.expires) === undefined) {
    throw new Error('not a register entry (path and expires are required)');
  }
  const expiresAt = expiryInstant(e.expires);
  const details = e.details ?? {};
  const scope: any[] = Array.isArray(e.scope) ? e.scope : [];
  const credentialCount = e.credentials && e.credentials !== 'none' && e.kind === 'service-account' ? 1 : 0;
  const base = { path: e.path, cloud: e.cloud, addresses: [], owned: [], expiresAt, credentialCount };
  if (e.kind !== 'service-account') return { ...base, names: [] };
  if (e.cloud === 'google') {
    const names = [e.name, `serviceAccount:${e.name}`];
    return {
      ...base,
      names,
      googleGrants: scope.map((g) => ({ role: String(g.role), target: String(g.on), resource: String(g.resource) })),
      googleCondition: typeof details.condition === 'string' ? details.condition : undefined,
      googleUsers: (Array.isArray(details.usedBy) ? details.usedBy : []).map((u: any) => ({ member: String(u.member), role: String(u.role) })),
    };
  }
  const trust = details.trust;
  let awsTrust: string | undefined;
  if (trust && typeof trust === 'object' && !trust.oidc) {
    // OIDC trusts name their provider ARN only in the template: their trust is checked for expiry only.
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
