/**
 * The target-free model of what a synthesised artifact grants to, trusts for, or hands out for a
 * governed identity, and the declaration it is compared with. Each target only extracts this
 * model from its format (cdk.tf.json, a Terraform plan, a CloudFormation template); the
 * comparison lives once, in `../rules/artifact.ts`.
 */
import { AwsGrantedStatement } from '../rules/aws-widening';

/** A resource in an artifact, its values as the artifact holds them (strings may hold `${...}`). */
export interface ArtifactResource {
  /** `aws_iam_role.x`, `data.aws_iam_role.y` (Terraform) or a logical id (CloudFormation). */
  readonly address: string;
  readonly type: string;
  readonly mode: 'managed' | 'data';
  readonly values: Record<string, unknown>;
  /** Construct path, when the artifact records it. */
  readonly path?: string;
  /**
   * The type shown in findings and matched by waivers, when it is not `type` (a CloudFormation
   * type, e.g. `AWS::IAM::Policy`, of a resource extracted as its Terraform equivalent).
   * @default - type
   */
  readonly displayType?: string;
}

/** An output of an artifact. */
export interface ArtifactOutput {
  readonly name: string;
  /** Its value as the artifact holds it (`${aws_iam_access_key.k.secret}`). */
  readonly value: unknown;
  readonly path?: string;
}

/** The resources and outputs of one artifact (one stack). */
export interface Artifact {
  readonly resources: ArtifactResource[];
  readonly outputs: ArtifactOutput[];
  /**
   * The literal `project` of each Google provider configuration, by the name a resource's
   * `provider` gives it (`google`, `google.<alias>`, `google-beta`): a resource without `project`
   * is in its provider's.
   * @default - none known
   */
  readonly googleProviderProjects?: ReadonlyMap<string, string>;
}

/** One grant of the declaration of an AWS identity, in the artifact's terms. */
export interface DeclaredAwsGrant {
  readonly actions: string[];
  /** Resources as the artifact holds them (references as `${...}`). */
  readonly resources: string[];
  /** Per resource: true if it was a token when declared (its synthesised value is checked again). */
  readonly fromToken?: boolean[];
}

/** One grant of the declaration of a Google identity. */
export interface DeclaredGoogleGrant {
  readonly role: string;
  /** `project`, `bucket`, `secret`, `cryptoKey`. */
  readonly target: string;
  readonly resource: string;
  /** True if the role was a token when declared. */
  readonly roleFromToken?: boolean;
  readonly justified?: boolean;
  /**
   * The grant's justification, as written (a custom role of the artifact whose permissions are
   * privileged needs one that is not vague).
   * @default - none
   */
  readonly justification?: string;
  /**
   * The permissions the register lists for the custom role granted (what the synthesised JSON gave
   * it): an artifact giving the role more is not what was reviewed (`nhi verify`).
   * @default - not listed (not compared)
   */
  readonly permissions?: readonly string[];
}

/** One member allowed to use a Google service account. */
export interface DeclaredGoogleUser {
  readonly member: string;
  readonly role: string;
}

/** What a governed identity declares, in the artifact's terms. */
export interface IdentityDeclaration {
  /** Construct path of the governed construct. */
  readonly path: string;
  /** `aws` or `google`. */
  readonly cloud: string;
  /** Addresses of the identity's principal (its role, user or service account). */
  readonly addresses: string[];
  /** Literal names, ARNs and e-mails of the principal. */
  readonly names: string[];
  /** Addresses of every resource the governed construct itself created (its declaration). */
  readonly owned: string[];
  /**
   * How many credentials it declares, when `owned` cannot tell (a plan has no construct paths).
   * @default - credentials are declared by `owned`
   */
  readonly credentialCount?: number;
  /** Expiry instant, `YYYY-MM-DDT00:00:00Z`. */
  readonly expiresAt: string;
  /** AWS: the declared scope. */
  readonly awsGrants?: DeclaredAwsGrant[];
  /**
   * AWS: the policy text the construct renders from its declared scope (every statement with the
   * expiry condition), when it holds no reference: a grant of exactly this text is the declaration
   * and needs no comparison.
   * @default - every grant is compared statement by statement
   */
  readonly awsPolicyText?: string;
  /** AWS role: the trust policy document it declares (as the artifact holds it). */
  readonly awsTrustPolicy?: string;
  /** Google: the declared scope. */
  readonly googleGrants?: DeclaredGoogleGrant[];
  /** Google: the expiry condition expression every binding carries. */
  readonly googleCondition?: string;
  /** Google: who may use the account. */
  readonly googleUsers?: DeclaredGoogleUser[];
  /** API key: the API stages its usage plan admits, `<api id>/<stage>` as the artifact holds them. */
  readonly apiStages?: string[];
  /**
   * Google: the policy's `forbiddenActions` in force for the identity (matched against the
   * permissions of custom roles defined in the artifact).
   * @default - none
   */
  readonly forbiddenActions?: string[];
  /**
   * Google: the policy's `forbidProjectWideDataAccess` in force for the identity.
   * @default false
   */
  readonly forbidProjectWideDataAccess?: boolean;
}

/** Where in the artifact a finding comes from. */
export interface ArtifactSource {
  readonly address: string;
  readonly type: string;
  /** The attribute (`policy`, `role`, `assume_role_policy`, `member`). */
  readonly attribute: string;
  readonly path?: string;
}

/** Permissions the artifact gives an identity. */
export interface ArtifactGrant {
  /** Path of the governed identity. */
  readonly identity: string;
  readonly source: ArtifactSource;
  /** How (`inline policy`, `S3 bucket policy`, ...), for messages. */
  readonly via: string;
  /** AWS statements (values rendered: references as `${...}`). */
  readonly statements?: AwsGrantedStatement[];
  /** AWS: the policy is, byte for byte, the identity's declared policy text (`awsPolicyText`). */
  readonly declaredPolicy?: boolean;
  /** AWS: a managed policy whose content is not in the artifact. */
  readonly managedPolicy?: string;
  /** AWS: a group whose permissions the identity gets. */
  readonly group?: string;
  /** Google: role, target kind, resource and condition expression of a binding. */
  readonly googleRole?: string;
  readonly googleTarget?: string;
  readonly googleResource?: string;
  readonly googleCondition?: string;
  /**
   * Google: the custom role the binding grants, when the artifact defines it
   * (`google_project_iam_custom_role`, `google_organization_iam_custom_role`).
   * @default - a predefined role, or a custom role managed elsewhere
   */
  readonly googleCustomRole?: ArtifactCustomRole;
  /** API key: an API stage (`<api id>/<stage>`) its usage plan admits. */
  readonly apiStage?: string;
}

/** A Google custom role defined in the artifact, with the permissions the artifact gives it. */
export interface ArtifactCustomRole {
  /** The role resource (attribute `permissions`). */
  readonly source: ArtifactSource;
  /** Its full name (`projects/<p>/roles/<id>`, `organizations/<n>/roles/<id>`), or its reference when not literal. */
  readonly name: string;
  /** Its permissions, when every one is known at synth time. */
  readonly permissions?: string[];
  /** The expression of the permissions, when some cannot be resolved at synth time. */
  readonly unresolved?: string;
}

/** Who the artifact lets act as an identity. */
export interface ArtifactTrust {
  readonly identity: string;
  readonly source: ArtifactSource;
  /** AWS: the trust policy document (parsed), or undefined if it cannot be read. */
  readonly document?: unknown;
  /** AWS: the trust policy text, when it is verbatim the declared one (not parsed). */
  readonly text?: string;
  /** Google: a member and usage role on the account, with its condition expression. */
  readonly googleMember?: string;
  readonly googleRole?: string;
  readonly googleCondition?: string;
}

/** A credential of an identity in the artifact (access key, SSH key, signing certificate, key). */
export interface ArtifactCredential {
  readonly identity: string;
  readonly source: ArtifactSource;
  /** What it is, for messages (`access key`). */
  readonly kind: string;
}

/** An output that hands out secret material. */
export interface ArtifactExposure {
  readonly source: ArtifactSource;
  /** The secret it references (`aws_iam_access_key.k.secret`). */
  readonly reference: string;
}

/** A value that cannot be resolved where an identity, role or resource is expected. */
export interface ArtifactUnverifiable {
  readonly source: ArtifactSource;
  readonly expression: string;
  /** The identity it may concern, when known. */
  readonly identity?: string;
}

/** Everything an artifact grants to, trusts for, or hands out for the governed identities. */
export interface ArtifactView {
  readonly grants: ArtifactGrant[];
  readonly trusts: ArtifactTrust[];
  readonly credentials: ArtifactCredential[];
  readonly exposures: ArtifactExposure[];
  readonly unverifiable: ArtifactUnverifiable[];
}
