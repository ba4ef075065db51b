import { createHash } from 'crypto';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { GoogleIamCondition } from '../../core/google-condition';
import { AnalysedGoogleGrant } from '../../core/rules/google-scope';
import { AnalysedGoogleUser } from '../../core/rules/google-users';

/** Construct id of a grant's binding: stable when grants are reordered. */
export function bindingId(g: AnalysedGoogleGrant): string {
  const key = `${g.role}|${g.target}|${g.resource}|${g.project ?? ''}`;
  let id = bindingIds.get(key);
  if (id === undefined) {
    // Remembered: accounts granted the same role on the same resource share the id's hash.
    id = `Grant-${g.target}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
    if (bindingIds.size > 10_000) bindingIds.clear();
    bindingIds.set(key, id);
  }
  return id;
}

const bindingIds = new Map<string, string>();

/** One `*_iam_member` for an analysed grant, carrying the expiry condition. */
export function bindGrant(scope: Construct, g: AnalysedGoogleGrant, member: string, condition: GoogleIamCondition): TerraformResource {
  const id = bindingId(g);
  const common = { role: g.role, member, condition: { ...condition } };
  switch (g.target) {
    case 'bucket':
      return new StorageBucketIamMember(scope, id, { bucket: g.resource, ...common });
    case 'secret':
      return new SecretManagerSecretIamMember(scope, id, { secretId: g.resource, ...(g.project ? { project: g.project } : {}), ...common });
    case 'cryptoKey':
      return new KmsCryptoKeyIamMember(scope, id, { cryptoKeyId: g.resource, ...common });
    default:
      return new ProjectIamMember(scope, id, { project: g.resource, ...common });
  }
}

/**
 * The binding *on* the account that lets a `usedBy` member use it, carrying the expiry condition.
 * Its id hashes member and role, so reordering `usedBy` keeps it.
 */
export function bindUser(scope: Construct, u: AnalysedGoogleUser, serviceAccountId: string, condition: GoogleIamCondition): ServiceAccountIamMember {
  const id = `User-${createHash('sha256').update(`${u.role}|${u.member}`).digest('hex').slice(0, 8)}`;
  return new ServiceAccountIamMember(scope, id, { serviceAccountId, role: u.role, member: u.member, condition: { ...condition } });
}
