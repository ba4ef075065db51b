import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Construct } from 'constructs';

/**
 * The Secrets Manager secret a governed credential is handed out through (never an output):
 * tagged like the identity, deleted with a 7-day recovery window when the identity is removed.
 * Construct ids `Secret` and `SecretValue` under `scope`.
 */
export function credentialSecret(scope: Construct, props: {
  name: string; description: string; kmsKeyId?: string; tags: Record<string, string>; value: string;
}): SecretsmanagerSecret {
  const secret = new SecretsmanagerSecret(scope, 'Secret', {
    name: props.name,
    description: props.description.slice(0, 2048),
    kmsKeyId: props.kmsKeyId,
    recoveryWindowInDays: 7,
    tags: props.tags,
  });
  new SecretsmanagerSecretVersion(scope, 'SecretValue', { secretId: secret.id, secretString: props.value });
  return secret;
}
