import { GoogleRoleInfo } from '../private/google-roles';

/**
 * Permissions that let the holder act as, or mint credentials for, other identities, or change
 * who has access (IAM). A role including any of them is privileged whatever its name
 * (`roles/storage.legacyBucketOwner` includes `storage.buckets.setIamPolicy`).
 */
export const GOOGLE_PRIVILEGED_PERMISSIONS: { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /^iam\.serviceAccounts\.actAs$/, what: 'acts as service accounts' },
  { pattern: /^iam\.serviceAccounts\.(getAccessToken|getOpenIdToken|signBlob|signJwt|implicitDelegation)$/, what: 'mints tokens or signatures of service accounts' },
  { pattern: /^iam\.serviceAccountKeys\.create$/, what: 'creates service account keys' },
  { pattern: /^storage\.hmacKeys\.create$/, what: 'creates HMAC keys of service accounts' },
  { pattern: /\.setIamPolicy$/, what: 'changes IAM policies' },
  { pattern: /^iam\.roles\.(create|update|undelete)$/, what: 'creates or changes IAM roles' },
  { pattern: /^iam\.denypolicies\.(create|update|delete)$/, what: 'changes IAM deny policies' },
  { pattern: /^iam\.principalaccessboundarypolicies\.(create|update|delete|bind|unbind)$/, what: 'changes principal access boundaries' },
  { pattern: /^iam\.workloadIdentityPools\.(create|update|delete)PolicyBinding$/, what: 'changes IAM policy bindings' },
  { pattern: /^iam\.googleapis\.com\/(workloadIdentityPoolProviders|workforcePoolProviders)\.(create|update|undelete)$/, what: 'lets outside identities federate in' },
];

/**
 * Permissions that read, write or decrypt data held in resources a grant can also target one by
 * one (buckets, secrets, crypto keys). Granted on a whole project, a role with one of them reaches
 * that data in every such resource of the project, where one resource would do. (Data of
 * services whose resources a grant cannot target, e.g. BigQuery tables, is not flagged: the
 * project is the narrowest place this library can grant it.)
 */
export const GOOGLE_DATA_PERMISSIONS: Record<string, string> = {
  'secretmanager.versions.access': 'the value of every secret',
  'secretmanager.versions.add': 'new values of every secret',
  'storage.objects.get': 'every object of every bucket',
  'storage.objects.create': 'writes to every bucket',
  'storage.objects.delete': 'deletes in every bucket',
  'cloudkms.cryptoKeyVersions.useToDecrypt': 'decryption with every key',
  'cloudkms.cryptoKeyVersions.useToEncrypt': 'encryption with every key',
  'cloudkms.cryptoKeyVersions.useToSign': 'signing with every key',
};

/** The kinds of resource a grant may target, with what a role needs to apply to them. */
export const GOOGLE_RESOURCE_PERMISSIONS: Record<string, { readonly prefixes: string[]; readonly what: string; readonly example: string }> = {
  bucket: {
    prefixes: ['storage.buckets.', 'storage.objects.', 'storage.managedFolders.', 'storage.multipartUploads.', 'storage.anywhereCaches.', 'storage.bucketOperations.'],
    what: 'a Cloud Storage bucket',
    example: 'roles/storage.objectViewer',
  },
  secret: { prefixes: ['secretmanager.secrets.', 'secretmanager.versions.'], what: 'a Secret Manager secret', example: 'roles/secretmanager.secretAccessor' },
  cryptoKey: { prefixes: ['cloudkms.cryptoKeys.', 'cloudkms.cryptoKeyVersions.'], what: 'a Cloud KMS crypto key', example: 'roles/cloudkms.cryptoKeyEncrypterDecrypter' },
};

const ANY_PRIVILEGED = new RegExp(GOOGLE_PRIVILEGED_PERMISSIONS.map((x) => x.pattern.source).join('|'));
const privilegedCache = new WeakMap<GoogleRoleInfo, { what: string; permissions: string[] }[]>();

/** The privileged permissions of a role, grouped by what they let the holder do. */
export function privilegedPermissions(role: GoogleRoleInfo): { what: string; permissions: string[] }[] {
  let out = privilegedCache.get(role);
  if (!out) {
    const candidates = role.permissions.filter((p) => ANY_PRIVILEGED.test(p));
    out = [];
    for (const { pattern, what } of GOOGLE_PRIVILEGED_PERMISSIONS) {
      const permissions = candidates.filter((p) => pattern.test(p));
      if (permissions.length > 0) out.push({ what, permissions });
    }
    privilegedCache.set(role, out);
  }
  return out;
}

/** True if the permission is one of {@link GOOGLE_PRIVILEGED_PERMISSIONS}. */
export function isPrivilegedPermission(permission: string): boolean {
  return ANY_PRIVILEGED.test(permission);
}

/** True if the permission only reads (`storage.objects.get`, `*.list`, `*.getIamPolicy`, ...; not a privileged one). */
export function isReadPermission(permission: string): boolean {
  const verb = permission.slice(permission.lastIndexOf('.') + 1);
  return /^(get|list|search|query|read|view|lookup|watch)/.test(verb) && !ANY_PRIVILEGED.test(permission);
}

/** The data a role reaches when granted on a whole project (empty: none of {@link GOOGLE_DATA_PERMISSIONS}). */
export function dataReach(role: GoogleRoleInfo): { permission: string; reaches: string }[] {
  return role.permissions.filter((p) => Object.prototype.hasOwnProperty.call(GOOGLE_DATA_PERMISSIONS, p))
    .map((permission) => ({ permission, reaches: GOOGLE_DATA_PERMISSIONS[permission] }));
}

/** True if the role has a permission on the resource kind (`bucket`, `secret`, `cryptoKey`); projects fit every role. */
export function fitsResource(role: GoogleRoleInfo, kind: string): boolean {
  const fit = GOOGLE_RESOURCE_PERMISSIONS[kind];
  if (!fit) return true;
  return role.permissions.some((p) => fit.prefixes.some((x) => p.startsWith(x)));
}

/** The resource kinds a role has permissions on. */
export function resourceKindsOf(role: GoogleRoleInfo): string[] {
  return Object.keys(GOOGLE_RESOURCE_PERMISSIONS).filter((k) => fitsResource(role, k));
}

/** Lists items for a message: `a, b, c (+4 more)`. */
export function listSome(items: string[], max = 3): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} (+${items.length - max} more)`;
}
