import { Artifact, ArtifactResource } from './model';

/**
 * Extraction of the artifact model from a CloudFormation template: each resource becomes the
 * Terraform-shaped resource of the same meaning (an `AWS::IAM::Policy` is an inline policy on each
 * role and user it names, ...), intrinsic functions become the expressions the Terraform
 * extraction evaluates (`Fn::Join` → `join`, `Fn::GetAtt` → a reference), so the one comparison
 * in core serves both formats. The CloudFormation type is kept for messages and waivers.
 */

/** Terraform-shaped type and the attribute `Ref` returns, by CloudFormation type. */
const TYPES: Record<string, { type: string; ref: string }> = {
  'AWS::IAM::Role': { type: 'aws_iam_role', ref: 'name' },
  'AWS::IAM::User': { type: 'aws_iam_user', ref: 'name' },
  'AWS::IAM::Group': { type: 'aws_iam_group', ref: 'name' },
  'AWS::IAM::AccessKey': { type: 'aws_iam_access_key', ref: 'id' },
  'AWS::IAM::ManagedPolicy': { type: 'aws_iam_policy', ref: 'arn' },
  'AWS::S3::Bucket': { type: 'aws_s3_bucket', ref: 'id' },
  'AWS::KMS::Key': { type: 'aws_kms_key', ref: 'id' },
  'AWS::SQS::Queue': { type: 'aws_sqs_queue', ref: 'id' },
  'AWS::SNS::Topic': { type: 'aws_sns_topic', ref: 'arn' },
  'AWS::SecretsManager::Secret': { type: 'aws_secretsmanager_secret', ref: 'arn' },
  'AWS::Lambda::Function': { type: 'aws_lambda_function', ref: 'id' },
  'AWS::ECR::Repository': { type: 'aws_ecr_repository', ref: 'id' },
  'AWS::ApiGateway::ApiKey': { type: 'aws_api_gateway_api_key', ref: 'id' },
  'AWS::ApiGateway::UsagePlan': { type: 'aws_api_gateway_usage_plan', ref: 'id' },
  'AWS::ApiGateway::UsagePlanKey': { type: 'aws_api_gateway_usage_plan_key', ref: 'id' },
};
/** Attributes whose Terraform name differs. */
const ATTRIBUTES: Record<string, Record<string, string>> = {
  'AWS::IAM::AccessKey': { SecretAccessKey: 'secret' },
};

function tfType(cfnType: string): string {
  return TYPES[cfnType]?.type ?? `cfn_${cfnType.replace(/::/g, '_').toLowerCase()}`;
}

function snake(attr: string): string {
  return attr.replace(/\./g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The reference expression of `Ref` / `Fn::GetAtt` on a logical id. */
export function cloudFormationReference(types: Record<string, string>, logicalId: string, attribute?: string): string {
  const cfnType = types[logicalId];
  if (cfnType === undefined) return `var.${logicalId.replace(/[^A-Za-z0-9_]/g, '_')}`; // a parameter or pseudo parameter: unknown
  const attr = attribute === undefined ? TYPES[cfnType]?.ref ?? 'ref' : ATTRIBUTES[cfnType]?.[attribute] ?? snake(attribute);
  return `${tfType(cfnType)}.${logicalId}.${attr}`;
}

function quote(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, '$${');
}

/** An intrinsic as an expression (no `${}`), or undefined for a plain value. */
function expr(v: unknown, types: Record<string, string>): string {
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => expr(x, types)).join(', ')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const k = keys[0];
      const a = (v as any)[k];
      if (k === 'Ref') return cloudFormationReference(types, String(a));
      if (k === 'Fn::GetAtt') {
        const [id, attr] = Array.isArray(a) ? a : String(a).split(/\.(.*)/);
        return cloudFormationReference(types, String(id), String(attr));
      }
      if (k === 'Fn::Join' && Array.isArray(a)) return `join(${expr(a[0], types)}, ${expr(a[1], types)})`;
      if (k === 'Fn::Select' && Array.isArray(a)) return `element(${expr(a[1], types)}, ${expr(Number(a[0]), types)})`;
      if (k === 'Fn::Split' && Array.isArray(a)) return `split(${expr(a[0], types)}, ${expr(a[1], types)})`;
      if (k === 'Fn::Sub') {
        const [text, vars] = Array.isArray(a) ? a : [a, {}];
        if (typeof text !== 'string') return 'unknown_fn()';
        const body = JSON.stringify(text).slice(1, -1).replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
          if (vars && (vars as any)[name] !== undefined) return `\${${expr((vars as any)[name], types)}}`;
          const [id, attr] = name.split(/\.(.*)/);
          return `\${${cloudFormationReference(types, id, attr || undefined)}}`;
        });
        return `"${body}"`;
      }
      if (k.startsWith('Fn::') || k === 'Condition') return 'unknown_fn()';
    }
    return `{${keys.map((k) => `${quote(k)} = ${expr((v as any)[k], types)}`).join(', ')}}`;
  }
  return 'null';
}

function isIntrinsic(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** A property value with every intrinsic replaced by a `${...}` template string. */
export function flattenIntrinsics(v: unknown, types: Record<string, string>): unknown {
  if (isIntrinsic(v)) return `\${${expr(v, types)}}`;
  if (typeof v === 'string') return v.replace(/\$\{/g, '$${');
  if (Array.isArray(v)) return v.map((x) => flattenIntrinsics(x, types));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, flattenIntrinsics(x, types)]));
  return v;
}

/**
 * A policy document (flattened: intrinsics as `${...}` strings) as canonical JSON text, keys
 * sorted: a declared document and the template's are compared as this text.
 */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as any)[k])]));
  return v;
}

/** The resources and outputs of a CloudFormation template, Terraform-shaped. */
export function artifactFromCloudFormation(template: any, paths: Record<string, string> = {}): Artifact {
  if (!template || typeof template !== 'object' || Array.isArray(template)) throw new Error('not a CloudFormation template (expected a JSON object)');
  const resources = template.Resources && typeof template.Resources === 'object' ? template.Resources : {};
  const types: Record<string, string> = {};
  for (const [id, r] of Object.entries<any>(resources)) types[id] = String(r?.Type ?? '');
  const out: ArtifactResource[] = [];
  const add = (id: string, cfnType: string, type: string, values: Record<string, unknown>, suffix = '') => {
    const path = paths[id] ?? (resources[id]?.Metadata?.['aws:cdk:path'] as string | undefined);
    out.push({ address: `${type}.${id}${suffix}`, type, mode: 'managed', values, displayType: cfnType, ...(path ? { path: path.replace(/\/Resource$/, '') } : {}) });
  };
  // Policy documents stay objects: their strings are evaluated where they are read.
  const json = (doc: unknown) => (doc === undefined ? undefined : flattenIntrinsics(doc, types));
  const flat = (v: unknown) => flattenIntrinsics(v, types);
  for (const [id, r] of Object.entries<any>(resources)) {
    const t = String(r?.Type ?? '');
    const p = r?.Properties ?? {};
    switch (t) {
      case 'AWS::IAM::Role':
        add(id, t, 'aws_iam_role', {
          ...(p.RoleName !== undefined ? { name: flat(p.RoleName) } : {}),
          assume_role_policy: json(p.AssumeRolePolicyDocument),
          ...(p.Policies ? { inline_policy: (p.Policies as any[]).map((x) => ({ name: flat(x.PolicyName), policy: json(x.PolicyDocument) })) } : {}),
          ...(p.ManagedPolicyArns ? { managed_policy_arns: flat(p.ManagedPolicyArns) } : {}),
        });
        break;
      case 'AWS::IAM::User':
        add(id, t, 'aws_iam_user', { ...(p.UserName !== undefined ? { name: flat(p.UserName) } : {}) });
        (p.Policies ?? []).forEach((x: any, i: number) => add(id, t, 'aws_iam_user_policy', { user: `\${aws_iam_user.${id}.name}`, policy: json(x.PolicyDocument) }, `_policy${i}`));
        if (p.ManagedPolicyArns) add(id, t, 'aws_iam_user_policy_attachments_exclusive', { user_name: `\${aws_iam_user.${id}.name}`, policy_arns: flat(p.ManagedPolicyArns) }, '_managed');
        if (p.Groups) add(id, t, 'aws_iam_user_group_membership', { user: `\${aws_iam_user.${id}.name}`, groups: flat(p.Groups) }, '_groups');
        if (p.LoginProfile) add(id, t, 'aws_iam_user_login_profile', { user: `\${aws_iam_user.${id}.name}` }, '_login');
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        add(id, t, 'aws_iam_policy', { policy: json(p.PolicyDocument) });
        add(id, t, 'aws_iam_policy_attachment', { roles: flat(p.Roles ?? []), users: flat(p.Users ?? []), groups: flat(p.Groups ?? []), policy_arn: `\${aws_iam_policy.${id}.arn}` }, '_attachment');
        break;
      case 'AWS::IAM::RolePolicy':
        add(id, t, 'aws_iam_role_policy', { role: flat(p.RoleName), policy: json(p.PolicyDocument) });
        break;
      case 'AWS::IAM::UserPolicy':
        add(id, t, 'aws_iam_user_policy', { user: flat(p.UserName), policy: json(p.PolicyDocument) });
        break;
      case 'AWS::IAM::UserToGroupAddition':
        add(id, t, 'aws_iam_group_membership', { users: flat(p.Users), group: flat(p.GroupName) });
        break;
      case 'AWS::IAM::AccessKey':
        add(id, t, 'aws_iam_access_key', { user: flat(p.UserName) });
        break;
      case 'AWS::S3::BucketPolicy':
        add(id, t, 'aws_s3_bucket_policy', { bucket: flat(p.Bucket), policy: json(p.PolicyDocument) });
        break;
      case 'AWS::KMS::Key':
        add(id, t, 'aws_kms_key', { policy: json(p.KeyPolicy) });
        break;
      case 'AWS::SQS::QueuePolicy':
        add(id, t, 'aws_sqs_queue_policy', { queue_url: flat(p.Queues), policy: json(p.PolicyDocument) });
        break;
      case 'AWS::SNS::TopicPolicy':
        add(id, t, 'aws_sns_topic_policy', { arn: flat(p.Topics), policy: json(p.PolicyDocument) });
        break;
      case 'AWS::SecretsManager::ResourcePolicy':
        add(id, t, 'aws_secretsmanager_secret_policy', { secret_arn: flat(p.SecretId), policy: json(p.ResourcePolicy) });
        break;
      case 'AWS::ECR::Repository':
        add(id, t, 'aws_ecr_repository', {});
        if (p.RepositoryPolicyText) add(id, t, 'aws_ecr_repository_policy', { repository: `\${aws_ecr_repository.${id}.id}`, policy: json(p.RepositoryPolicyText) }, '_policy');
        break;
      case 'AWS::ApiGateway::UsagePlan':
        add(id, t, 'aws_api_gateway_usage_plan', {
          ...(p.UsagePlanName !== undefined ? { name: flat(p.UsagePlanName) } : {}),
          api_stages: (Array.isArray(p.ApiStages) ? p.ApiStages : []).map((x: any) => ({ api_id: flat(x?.ApiId), stage: flat(x?.Stage) })),
        });
        break;
      case 'AWS::ApiGateway::UsagePlanKey':
        // A key the usage plan admits: a credential of the governed API key whose plan it names.
        add(id, t, 'aws_api_gateway_usage_plan_key', { usage_plan_id: flat(p.UsagePlanId), key_id: flat(p.KeyId), key_type: flat(p.KeyType) });
        break;
      case 'AWS::Lambda::Permission':
        add(id, t, 'aws_lambda_permission', { action: flat(p.Action), function_name: flat(p.FunctionName), principal: flat(p.Principal) });
        break;
      default:
        add(id, t, tfType(t), {});
    }
  }
  const outputs = Object.entries<any>(template.Outputs && typeof template.Outputs === 'object' ? template.Outputs : {})
    .map(([name, o]) => ({ name, value: flat(o?.Value) }));
  return { resources: out, outputs };
}
