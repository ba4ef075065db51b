import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Construct } from 'constructs';

/**
 * The Secrets Manager secret a governed credential is handed out through (never an output):
 * tagged like the identity, deleted with a 7-day recovery window when the identity is removed.
 * Its first version holds `initialValue`, a placeholder without any credential: the rotation
 * function writes every key as a new version, so Terraform ignores the value and the stages
 * after creation (it must not move AWSCURRENT back to the placeholder).
 * Construct ids `Secret` and `SecretValue` under `scope`.
 */
export function credentialSecret(scope: Construct, props: {
  name: string; description: string; kmsKeyId?: string; tags: Record<string, string>; initialValue: string;
}): { secret: SecretsmanagerSecret; initialVersion: SecretsmanagerSecretVersion } {
  const secret = new SecretsmanagerSecret(scope, 'Secret', {
    name: props.name,
    description: props.description.slice(0, 2048),
    kmsKeyId: props.kmsKeyId,
    recoveryWindowInDays: 7,
    tags: props.tags,
  });
  const initialVersion = new SecretsmanagerSecretVersion(scope, 'SecretValue', {
    secretId: secret.id,
    secretString: props.initialValue,
    lifecycle: { ignoreChanges: ['secret_string', 'version_stages'] },
  });
  return { secret, initialVersion };
}
