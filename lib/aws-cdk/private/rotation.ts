import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib/core';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AwsNotices } from './notices';
import { acknowledgeNag, acknowledgeWildcardResources } from './nag';
import { ROTATION_ROLE_PREFIX } from '../../core/aws-events';
import type * as handler from '../../rotation-handler/source';
import { lazyModule } from '../../core/private/lazy';

// The rotation function's JavaScript, shipped inline in the template (no asset, no bootstrap
// bucket, deterministic); the same handler rotates cdktf AWS credentials (lib/rotation-handler).
// Loaded (read from disk, or transpiled from its sources in tests) for the first rotation function.
const handlerCode = lazyModule(() => require('../../rotation-handler/source') as typeof handler);

export interface RotationFunctionProps {
  readonly kind: 'access-key' | 'api-key';
  readonly secret: secretsmanager.Secret;
  readonly rotationDays: number;
  readonly expires: string;
  readonly expiresAt: string;
  readonly environment: Record<string, string>;
  /** What the function needs besides its logs and its secret. */
  readonly statements: iam.PolicyStatement[];
  /** Resources in `statements` that hold a wildcard, acknowledged for cdk-nag with `wildcardReason`. */
  readonly wildcardResources?: string[];
  readonly wildcardReason?: string;
  /** Rotate when the schedule is created (creates the first access key). */
  readonly rotateImmediately: boolean;
  readonly description: string;
}

/**
 * One rotation function per governed secret (Lambda, its role with an exact inline policy, its log
 * group), the secret's RotationSchedule, and a one-time schedule invoking the function at expiry
 * to disable every key. One function per secret keeps its privileged permissions (creating keys)
 * scoped to exactly one user or usage plan.
 */
export class RotationFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly schedule: secretsmanager.RotationSchedule;

  public constructor(scope: Construct, id: string, props: RotationFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
    const statements = [
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
      new iam.PolicyStatement({
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        resources: [props.secret.secretArn],
      }),
      ...props.statements,
    ];
    const role = new iam.Role(this, 'Role', {
      // The name prefix exempts the function's own key creations from the key-created alarm.
      roleName: `${ROTATION_ROLE_PREFIX}${Aws.REGION}-${this.node.addr.slice(0, 16)}`,
      description: `nhi-constructs: rotates ${props.description}`.slice(0, 1000),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: { 'nhi-rotation': new iam.PolicyDocument({ statements }) },
    });
    if (props.wildcardResources && props.wildcardResources.length > 0) {
      acknowledgeWildcardResources(role, props.wildcardResources, props.wildcardReason ?? 'resource ids are created at rotation time');
    }
    this.function = new lambda.Function(this, 'Function', {
      description: `nhi-constructs: rotates ${props.description}`.slice(0, 256),
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(handlerCode().rotationHandlerSource()),
      timeout: Duration.minutes(2),
      memorySize: 256,
      // The role as an immutable reference: the function's Role property (GetAtt) already orders
      // it after the role, which holds its policy inline; handing lambda.Function the Role construct
      // would add a redundant DependsOn (cfn-lint W3005).
      role: iam.Role.fromRoleArn(this, 'RoleRef', role.roleArn, { mutable: false }),
      logGroup,
      environment: {
        NHI_KIND: props.kind,
        NHI_SECRET_ARN: props.secret.secretArn,
        NHI_EXPIRES_AT: props.expiresAt,
        ...props.environment,
      },
    });
    acknowledgeNag(this.function, 'AwsSolutions-L1',
      'Pinned to Node.js 22 (AWS SDK v3 in the runtime); the rotation function is inline and tested on that runtime');
    const permission = new lambda.CfnPermission(this, 'InvokeBySecretsManager', {
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionArn,
      principal: 'secretsmanager.amazonaws.com',
      sourceArn: props.secret.secretArn,
    });
    // An imported view of the function: RotationSchedule then adds no grants of its own (it would
    // add secretsmanager:GetRandomPassword on '*' and an unconditioned invoke permission); the
    // exact policy above and the source-ARN-bound permission replace them.
    const fnRef = lambda.Function.fromFunctionAttributes(this, 'FunctionRef', {
      functionArn: this.function.functionArn,
      sameEnvironment: true,
      skipPermissions: true,
    });
    this.schedule = new secretsmanager.RotationSchedule(this, 'Schedule', {
      secret: props.secret,
      rotationLambda: fnRef,
      automaticallyAfter: Duration.days(props.rotationDays),
      rotateImmediatelyOnUpdate: props.rotateImmediately,
    });
    // Secrets Manager invokes the function when the schedule is created: the invoke permission
    // must exist first (the function itself is already referenced by RotationLambdaARN).
    this.schedule.node.addDependency(permission);
    AwsNotices.of(this).invokeAt(this, 'DisableAtExpiry', `${props.expires}T00:00:00`, this.function.functionArn,
      JSON.stringify({ nhiAction: 'disable' }), `nhi-constructs: disable ${props.description} at its expiry (${props.expires})`.slice(0, 512));
  }
}
