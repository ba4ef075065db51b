import { createHash } from 'crypto';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import { AssetType, ITerraformDependable, TerraformAsset, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { AwsNotices } from './notices';
import { ROTATION_ROLE_PREFIX } from '../../core/aws-events';
import { renderPolicyJson } from '../../core/aws-policy';
import { markGoverned } from '../../core/governed-marker';
import { MANAGED_BY } from '../../core/tags';
import { rotationHandlerPackage } from '../../rotation-handler/source';

const KEY = Symbol.for('nhi-constructs.cdktf-aws.RotationCode');

/**
 * The rotation function's deployment package, once per stack: a `TerraformAsset` of the
 * deterministic zip of lib/rotation-handler (the same handler the AWS CDK target ships inline).
 */
class RotationCode extends Construct {
  public static of(scope: IConstruct): RotationCode {
    const stack = TerraformStack.of(scope);
    return ((stack as any)[KEY] as RotationCode | undefined) ?? new RotationCode(stack);
  }

  public readonly path: string;
  public readonly sourceCodeHash: string;

  private constructor(stack: TerraformStack) {
    super(stack, 'NhiRotationCode');
    markGoverned(this, false);
    Object.defineProperty(stack, KEY, { value: this, enumerable: false });
    const pkg = rotationHandlerPackage();
    const asset = new TerraformAsset(this, 'Asset', { path: pkg.file, type: AssetType.FILE, assetHash: pkg.hash.slice(0, 32) });
    this.path = asset.path;
    this.sourceCodeHash = pkg.base64Sha256;
  }
}

/** One IAM statement of the rotation function's policy. */
export interface RotationStatement {
  readonly actions: string[];
  readonly resources: string[];
}

export interface CdktfRotationFunctionProps {
  readonly kind: 'access-key' | 'api-key';
  readonly secret: SecretsmanagerSecret;
  /** The secret's first version (the placeholder the first rotation replaces). */
  readonly initialVersion: ITerraformDependable;
  /** The IAM user or API key name, for resource names and descriptions. */
  readonly name: string;
  readonly rotationDays: number;
  readonly expires: string;
  readonly expiresAt: string;
  readonly environment: Record<string, string>;
  /** What the function needs besides its logs and its secret. */
  readonly statements: RotationStatement[];
  readonly description: string;
  readonly tags: Record<string, string>;
}

/**
 * The cdktf twin of the AWS CDK target's rotation function: one Lambda per governed secret
 * (its role with an exact inline policy, its log group), the secret's rotation
 * (`aws_secretsmanager_secret_rotation`, rotating immediately: the function creates the first key)
 * and a one-time schedule invoking the function at expiry to disable every key.
 *
 * Terraform never manages the keys themselves, so it has nothing to re-create or revert after
 * the function rotated them: the keys live in IAM / API Gateway and in the secret's versions.
 */
export class CdktfRotationFunction extends Construct {
  public readonly function: LambdaFunction;
  public readonly rotation: SecretsmanagerSecretRotation;

  public constructor(scope: Construct, id: string, props: CdktfRotationFunctionProps) {
    super(scope, id);
    const code = RotationCode.of(this);
    const notices = AwsNotices.of(this);
    const functionName = rotationFunctionName(props.name, this.node.path);
    const logGroup = new CloudwatchLogGroup(this, 'Logs', {
      name: `/aws/lambda/${functionName}`,
      retentionInDays: 365,
      tags: props.tags,
    });
    const role = new IamRole(this, 'Role', {
      namePrefix: ROTATION_ROLE_PREFIX, // exempts its key creations from the key-created alarm
      description: `nhi-constructs: rotates ${props.description}`.slice(0, 1000),
      assumeRolePolicy: renderPolicyJson({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': notices.accountId } },
        }],
      }),
      tags: { 'nhi:managed-by': MANAGED_BY, 'nhi:purpose': `rotation function of ${props.description}`.slice(0, 256) },
    });
    const statements: RotationStatement[] = [
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroup.arn}:*`] },
      {
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        resources: [props.secret.arn],
      },
      ...props.statements,
    ];
    const policy = new IamRolePolicy(this, 'Policy', {
      role: role.name,
      name: 'nhi-rotation',
      policy: renderPolicyJson({
        Version: '2012-10-17',
        Statement: statements.map((s) => ({ Effect: 'Allow', Action: s.actions, Resource: s.resources })),
      }),
    });
    this.function = new LambdaFunction(this, 'Function', {
      functionName,
      description: `nhi-constructs: rotates ${props.description}`.slice(0, 256),
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      filename: code.path,
      sourceCodeHash: code.sourceCodeHash,
      timeout: 120,
      memorySize: 256,
      role: role.arn,
      loggingConfig: { logFormat: 'Text', logGroup: logGroup.name },
      environment: {
        variables: {
          NHI_KIND: props.kind,
          NHI_SECRET_ARN: props.secret.arn,
          NHI_EXPIRES_AT: props.expiresAt,
          ...props.environment,
        },
      },
      tags: props.tags,
      dependsOn: [policy, logGroup],
    });
    const permission = new LambdaPermission(this, 'InvokeBySecretsManager', {
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      principal: 'secretsmanager.amazonaws.com',
      sourceArn: props.secret.arn,
    });
    this.rotation = new SecretsmanagerSecretRotation(this, 'Schedule', {
      secretId: props.secret.id,
      rotationLambdaArn: this.function.arn,
      rotationRules: { automaticallyAfterDays: props.rotationDays },
      rotateImmediately: true,
      dependsOn: [permission, props.initialVersion],
    });
    notices.invokeAt(this, 'DisableAtExpiry', `${props.expires}T00:00:00`, this.function.arn,
      JSON.stringify({ nhiAction: 'disable' }), `nhi-constructs: disable ${props.description} at its expiry (${props.expires})`.slice(0, 512));
  }
}

/** A Lambda function name (64 characters of `[A-Za-z0-9_-]`), unique per construct path. */
export function rotationFunctionName(name: string, path: string): string {
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 8);
  // A name from a reference (a TerraformVariable) is not known at synth: the path's hash only.
  if (Token.isUnresolved(name)) return `nhi-rotate-${hash}`;
  return `nhi-rotate-${name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 42)}-${hash}`;
}

/** What the function needs to read and write a secret encrypted with a customer key. */
export function kmsStatements(kmsKeyId?: string): RotationStatement[] {
  return kmsKeyId ? [{ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [kmsKeyId] }] : [];
}
