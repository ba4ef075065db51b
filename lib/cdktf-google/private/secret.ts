import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret';
import { SecretManagerSecretVersion } from '@cdktf/provider-google/lib/secret-manager-secret-version';
import { Construct } from 'constructs';
import { ResolvedGovernance } from '../../core/governance';

/**
 * The Secret Manager secret a governed credential is handed out through (never an output):
 * labelled like the identity, annotated with its construct path, and deleted by Secret Manager at
 * the identity's expiry. Construct ids `<id>` and `<id>Value` under `scope`.
 */
export function credentialSecret(scope: Construct, id: string, props: {
  project: string; secretId: string; governance: ResolvedGovernance; value: string;
}): SecretManagerSecret {
  const secret = new SecretManagerSecret(scope, id, {
    project: props.project,
    secretId: props.secretId,
    labels: props.governance.googleLabels,
    annotations: { 'nhi-identity': scope.node.path },
    replication: { auto: {} },
    expireTime: props.governance.expiresAt,
    deletionProtection: false,
  });
  new SecretManagerSecretVersion(scope, `${id}Value`, { secret: secret.id, secretData: props.value });
  return secret;
}
