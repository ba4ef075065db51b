import {
  evaluateTemplate, ExprValue, hasUnknown, isRef, isUnknown, refAddress, refAttribute, renderValue, unknownParts,
} from './expression';
import {
  Artifact, ArtifactCredential, ArtifactCustomRole, ArtifactExposure, ArtifactGrant, ArtifactResource, ArtifactSource, ArtifactTrust,
  ArtifactUnverifiable, ArtifactView, IdentityDeclaration,
} from './model';
import { canonicalJson } from './cloudformation';
import { AwsGrantedStatement } from '../rules/aws-widening';

/**
 * Extraction of the artifact model from Terraform JSON: a stack's `cdk.tf.json` (values may hold
 * `${...}` expressions) or a plan (`terraform show -json`, see `artifactFromPlan`).
 */

/** The resources and outputs of a Terraform JSON configuration (`cdk.tf.json`). */
export function artifactFromTerraformJson(json: any): Artifact {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error('not a Terraform JSON configuration (expected an object)');
  const resources: ArtifactResource[] = [];
  for (const [mode, key] of [['managed', 'resource'], ['data', 'data']] as const) {
    const byType = json[key];
    if (!byType || typeof byType !== 'object') continue;
    for (const [type, byName] of Object.entries<any>(byType)) {
      if (!byName || typeof byName !== 'object') continue;
      for (const [name, body] of Object.entries<any>(byName)) {
        const values = body && typeof body === 'object' ? body : {};
        resources.push({
          address: mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`,
          type, mode, values,
          path: values['//']?.metadata?.path,
        });
      }
    }
  }
  const outputs = Object.entries<any>(json.output && typeof json.output === 'object' ? json.output : {})
    .map(([name, body]) => ({ name, value: body?.value, path: body?.['//']?.metadata?.path }));
  const googleProviderProjects = new Map<string, string>();
  for (const kind of ['google', 'google-beta']) {
    const given = json.provider && typeof json.provider === 'object' ? json.provider[kind] : undefined;
    for (const config of Array.isArray(given) ? given : given ? [given] : []) {
      const project = config?.project;
      if (typeof project !== 'string' || project === '' || project.includes('${')) continue;
      googleProviderProjects.set(typeof config.alias === 'string' ? `${kind}.${config.alias}` : kind, project);
    }
  }
  return { resources, outputs, ...(googleProviderProjects.size > 0 ? { googleProviderProjects } : {}) };
}

/**
 * The resources and outputs of a Terraform plan (`terraform show -json plan.out`): planned values,
 * with every value unknown at plan time replaced by the references of its configuration
 * expression (`${aws_iam_role.r.arn}`), so it is matched like the synthesised JSON. Given the
 * synthesised JSON the plan was made from (`cdk.tf.json`), an unknown value is taken from it
 * instead (its template, e.g. a policy document around a reference), and the construct paths too.
 */
export function artifactFromPlan(plan: any, synthesised?: any): Artifact {
  if (!plan || typeof plan !== 'object' || Array.isArray(plan)) throw new Error('not a Terraform plan (expected a JSON object)');
  if (!plan.planned_values && !plan.resource_changes) throw new Error('not a Terraform plan: no planned_values (use `terraform show -json plan.out`)');
  const configs = new Map<string, any>();
  const collectConfig = (mod: any, prefix: string) => {
    for (const r of mod?.resources ?? []) configs.set(prefix + r.address, r);
    for (const [name, call] of Object.entries<any>(mod?.module_calls ?? {})) collectConfig(call?.module, `${prefix}module.${name}.`);
  };
  collectConfig(plan.configuration?.root_module, '');
  const unknowns = new Map<string, any>();
  for (const rc of plan.resource_changes ?? []) unknowns.set(rc.address, rc.change?.after_unknown);
  const synth = synthesised ? new Map(artifactFromTerraformJson(synthesised).resources.map((r) => [r.address, r])) : undefined;
  const resources: ArtifactResource[] = [];
  const walk = (mod: any) => {
    for (const r of mod?.resources ?? []) {
      const address: string = String(r.address ?? '');
      const plainAddress = address.replace(/\[[^\]]*\]/g, '');
      const config = configs.get(plainAddress);
      const raw = synth?.get(plainAddress);
      const values = withUnknowns(r.values ?? {}, unknowns.get(address), config?.expressions ?? {}, raw?.values);
      resources.push({ address: plainAddress, type: r.type, mode: r.mode === 'data' ? 'data' : 'managed', values, ...(raw?.path ? { path: raw.path } : {}) });
    }
    for (const child of mod?.child_modules ?? []) walk(child);
  };
  walk(plan.planned_values?.root_module);
  const outputs = Object.entries<any>(plan.configuration?.root_module?.outputs ?? {}).map(([name, o]) => {
    const all: string[] = o?.expression?.references ?? [];
    // The most specific references (`data.x.y.secret_string`, not also `data.x.y`).
    const refs = all.filter((r) => !all.some((x) => x !== r && x.startsWith(`${r}.`)));
    const planned = plan.planned_values?.outputs?.[name];
    return { name, value: refs.length > 0 ? refs.map((x) => `\${${x}}`).join(' ') : planned?.value };
  });
  return { resources, outputs };
}

/** Replaces values unknown at plan time by `${reference}` strings from the configuration expression. */
function withUnknowns(values: any, unknown: any, expressions: any, raw?: any): any {
  if (!unknown || typeof unknown !== 'object') return values;
  const out: any = Array.isArray(values) ? [...values] : { ...values };
  for (const [k, u] of Object.entries<any>(unknown)) {
    const expr = expressions?.[k];
    if (u === true && raw && raw[k] !== undefined) {
      out[k] = raw[k];
    } else if (u === true && expr === undefined) {
      // Computed by the provider, not set in the configuration (e.g. managed_policy_arns of a role).
      delete out[k];
    } else if (u === true) {
      const refs: string[] = (Array.isArray(expr) ? expr[0] : expr)?.references ?? [];
      // The most specific reference (`aws_iam_role.r.arn`, not `aws_iam_role.r`).
      const best = refs.filter((r) => !refs.some((o) => o !== r && o.startsWith(`${r}.`)));
      out[k] = best.length === 1 ? `\${${best[0]}}` : best.length > 1 ? `\${unknown(${best.join(', ')})}` : '${unknown()}';
    } else if (typeof u === 'object' && out[k] && typeof out[k] === 'object') {
      out[k] = withUnknowns(out[k], u, Array.isArray(expr) ? expr[0] : expr, raw?.[k]);
    }
  }
  return out;
}

/** Resource types whose policy document grants to the principals it names (resource-based policies). */
const RESOURCE_POLICIES: Record<string, { attribute: string; via: string; arn: string }> = {
  aws_s3_bucket_policy: { attribute: 'policy', via: 'S3 bucket policy', arn: 'bucket' },
  aws_s3_bucket: { attribute: 'policy', via: 'S3 bucket policy', arn: 'arn' },
  aws_kms_key: { attribute: 'policy', via: 'KMS key policy', arn: 'arn' },
  aws_kms_key_policy: { attribute: 'policy', via: 'KMS key policy', arn: 'key_id' },
  aws_sqs_queue: { attribute: 'policy', via: 'SQS queue policy', arn: 'arn' },
  aws_sqs_queue_policy: { attribute: 'policy', via: 'SQS queue policy', arn: 'queue_url' },
  aws_sns_topic: { attribute: 'policy', via: 'SNS topic policy', arn: 'arn' },
  aws_sns_topic_policy: { attribute: 'policy', via: 'SNS topic policy', arn: 'arn' },
  aws_secretsmanager_secret: { attribute: 'policy', via: 'Secrets Manager secret policy', arn: 'arn' },
  aws_secretsmanager_secret_policy: { attribute: 'policy', via: 'Secrets Manager secret policy', arn: 'secret_arn' },
  aws_ecr_repository_policy: { attribute: 'policy', via: 'ECR repository policy', arn: 'repository' },
  aws_ecr_registry_policy: { attribute: 'policy', via: 'ECR registry policy', arn: 'registry_id' },
  aws_iam_role: { attribute: 'assume_role_policy', via: 'trust policy of another role (it may assume that role)', arn: 'arn' },
};

/** AWS identity-based grants: [identity attribute(s), policy attribute or managed policy attribute, via]. */
const AWS_IDENTITY_GRANTS: Record<string, { identity: string[]; policy?: string; managed?: string; group?: string; via: string }> = {
  aws_iam_role_policy: { identity: ['role'], policy: 'policy', via: 'inline policy' },
  aws_iam_user_policy: { identity: ['user'], policy: 'policy', via: 'inline policy' },
  aws_iam_role_policy_attachment: { identity: ['role'], managed: 'policy_arn', via: 'policy attachment' },
  aws_iam_user_policy_attachment: { identity: ['user'], managed: 'policy_arn', via: 'policy attachment' },
  aws_iam_policy_attachment: { identity: ['roles', 'users'], managed: 'policy_arn', via: 'policy attachment' },
  aws_iam_role_policy_attachments_exclusive: { identity: ['role_name'], managed: 'policy_arns', via: 'exclusive policy attachments' },
  aws_iam_user_policy_attachments_exclusive: { identity: ['user_name'], managed: 'policy_arns', via: 'exclusive policy attachments' },
  aws_iam_user_group_membership: { identity: ['user'], group: 'groups', via: 'group membership' },
  aws_iam_group_membership: { identity: ['users'], group: 'group', via: 'group membership' },
};

/** Credentials of an AWS user or a Google service account: [identity attribute, kind]. */
const CREDENTIALS: Record<string, { identity: string; kind: string }> = {
  aws_iam_access_key: { identity: 'user', kind: 'access key' },
  aws_iam_user_ssh_key: { identity: 'username', kind: 'SSH public key' },
  aws_iam_signing_certificate: { identity: 'user_name', kind: 'signing certificate' },
  aws_iam_user_login_profile: { identity: 'user', kind: 'console password' },
  aws_iam_service_specific_credential: { identity: 'user_name', kind: 'service-specific credential' },
  google_service_account_key: { identity: 'service_account_id', kind: 'service account key' },
  // A key a governed API key's usage plan admits (the identity of an API key is its usage plan).
  aws_api_gateway_usage_plan_key: { identity: 'usage_plan_id', kind: 'usage plan key (another API key)' },
};

/** Attributes that are secret material, by resource type. */
export const SECRET_ATTRIBUTES: Record<string, string[]> = {
  aws_iam_access_key: ['secret', 'ses_smtp_password_v4', 'encrypted_secret', 'encrypted_ses_smtp_password_v4'],
  aws_iam_user_login_profile: ['password', 'encrypted_password'],
  aws_iam_service_specific_credential: ['service_password'],
  aws_api_gateway_api_key: ['value'],
  aws_secretsmanager_secret_version: ['secret_string', 'secret_binary'],
  google_service_account_key: ['private_key'],
  google_apikeys_key: ['key_string'],
  google_secret_manager_secret_version: ['secret_data'],
  google_secret_manager_secret_version_access: ['secret_data'],
};

/** Which declared target a Google IAM resource type binds on. */
const GOOGLE_TARGETS: Record<string, { target: string; attribute: string }> = {
  google_project_iam: { target: 'project', attribute: 'project' },
  google_storage_bucket_iam: { target: 'bucket', attribute: 'bucket' },
  google_secret_manager_secret_iam: { target: 'secret', attribute: 'secret_id' },
  google_kms_crypto_key_iam: { target: 'cryptoKey', attribute: 'crypto_key_id' },
  google_service_account_iam: { target: 'serviceAccount', attribute: 'service_account_id' },
};
const GOOGLE_RESOURCE_ATTRIBUTES = ['project', 'bucket', 'secret_id', 'crypto_key_id', 'service_account_id', 'topic', 'subscription',
  'dataset_id', 'folder', 'org_id', 'key_ring_id', 'repository', 'instance_name', 'name'];

/** Prefix of a usage plan's name among declared names (an API key found by its plan's name in a plan). */
export const USAGE_PLAN_NAME = 'aws_api_gateway_usage_plan:';

const IDENTITY_TYPES = new Set(['aws_iam_role', 'aws_iam_user', 'aws_iam_group', 'google_service_account', 'aws_api_gateway_usage_plan', 'aws_api_gateway_api_key']);
const GSA_EMAIL = /([a-z][-a-z0-9]{4,28}[a-z0-9])@([a-z][-a-z0-9]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com/g;
const REF_IN_TEXT = /\$\{([^}]*)\}/g;

/** Google custom role resource types: the attribute holding their parent (project or organisation), and its name prefix. */
const GOOGLE_CUSTOM_ROLES: Record<string, { parent: string; prefix: string }> = {
  google_project_iam_custom_role: { parent: 'project', prefix: 'projects' },
  google_organization_iam_custom_role: { parent: 'org_id', prefix: 'organizations' },
};
/** A binding's role naming a custom role of the artifact by reference (`${google_project_iam_custom_role.r.name}` or `.id`). */
const CUSTOM_ROLE_REF = /^\$\{(google_(?:project|organization)_iam_custom_role\.[A-Za-z0-9_-]+)\.(?:name|id)\}$/;

/** Extracts the model of what the artifact grants to, trusts for and hands out for the declared identities. */
export function extractTerraformView(artifact: Artifact, declarations: IdentityDeclaration[]): ArtifactView {
  const byAddress = new Map<string, ArtifactResource>();
  for (const r of artifact.resources) byAddress.set(r.address, r);
  const identityByAddress = new Map<string, string>();
  const identityByName = new Map<string, string>();
  const declaredTrust = new Map<string, string | undefined>();
  const declaredPolicy = new Map<string, string>();
  for (const d of declarations) {
    declaredTrust.set(d.path, d.awsTrustPolicy);
    if (d.awsPolicyText !== undefined) declaredPolicy.set(d.path, d.awsPolicyText);
    for (const a of d.addresses) identityByAddress.set(a, d.path);
    for (const n of d.names) identityByName.set(n, d.path);
  }
  // Principals found by name (a plan has no declaration of addresses), and data sources that read
  // a governed identity by name. Custom roles are collected on the way (read when a binding grants one).
  const customRoleResources: ArtifactResource[] = [];
  for (const r of artifact.resources) {
    if (r.mode === 'managed' && GOOGLE_CUSTOM_ROLES[r.type] !== undefined) customRoleResources.push(r);
    if (r.mode === 'managed' && (r.type === 'aws_iam_role' || r.type === 'aws_iam_user' || r.type === 'google_service_account')) {
      const v = r.values as any;
      // A governed principal named by an expression (a parameter): the same expression names it.
      if (identityByAddress.has(r.address) && typeof v.name === 'string' && v.name.includes('${')) {
        identityByName.set(renderValue(evaluateTemplate(v.name, () => undefined)), identityByAddress.get(r.address)!);
      }
      const name = r.type === 'google_service_account'
        ? (typeof v.email === 'string' ? v.email : `${v.account_id}@${v.project}.iam.gserviceaccount.com`) : v.name;
      if (typeof name === 'string' && identityByName.has(name) && !identityByAddress.has(r.address)) identityByAddress.set(r.address, identityByName.get(name)!);
      continue;
    }
    if (r.mode === 'managed' && r.type === 'aws_api_gateway_usage_plan' && typeof (r.values as any).name === 'string') {
      const who = identityByName.get(`${USAGE_PLAN_NAME}${(r.values as any).name}`);
      if (who && !identityByAddress.has(r.address)) identityByAddress.set(r.address, who);
      continue;
    }
    if (r.mode !== 'data') continue;
    const v = r.values as any;
    const name = r.type === 'aws_iam_role' ? v.name : r.type === 'aws_iam_user' ? v.user_name
      : r.type === 'google_service_account' ? v.account_id ?? v.email : undefined;
    if (typeof name === 'string' && identityByName.has(name)) identityByAddress.set(r.address, identityByName.get(name)!);
  }

  const cache = new Map<string, ExprValue | undefined>();
  const resolving = new Set<string>();
  const lookup = (ref: string): ExprValue | undefined => {
    if (cache.has(ref)) return cache.get(ref);
    const address = refAddress(ref);
    const attribute = refAttribute(ref);
    const r = address ? byAddress.get(address) : undefined;
    let out: ExprValue | undefined;
    if (r && attribute && !resolving.has(ref)) {
      resolving.add(ref);
      if (r.type === 'aws_iam_policy_document' && r.mode === 'data' && (attribute === 'json' || attribute === 'minified_json')) {
        out = policyDocumentJson(r.values, lookup);
      } else if (r.type === 'google_iam_policy' && r.mode === 'data' && attribute === 'policy_data') {
        out = googlePolicyJson(r.values, lookup);
      } else {
        const raw = (r.values as any)[attribute];
        if (typeof raw === 'string') out = evaluateTemplate(raw, lookup);
        else if (raw !== undefined && raw !== null && typeof raw !== 'object') out = raw as ExprValue;
        else if (attribute === 'id' && r.type === 'aws_iam_role' && typeof (r.values as any).name === 'string') out = evaluateTemplate((r.values as any).name, lookup);
      }
      // An attribute of a governed principal that is not a literal (a name from a variable) keeps
      // its reference: matching by address is exact.
      if (out !== undefined && identityByAddress.has(address!) && !(typeof out === 'string' && !out.includes('${') && !hasUnknown(out))) out = { ref };
      resolving.delete(ref);
    }
    cache.set(ref, out);
    return out;
  };
  const evaluate = (v: unknown): ExprValue => (typeof v === 'string' ? evaluateTemplate(v, lookup) : Array.isArray(v) ? v.map(evaluate) : v as ExprValue);

  // Custom roles of the artifact, by address and by full name: read once, at the first binding that may grant one.
  let customRoles: { byAddress: Map<string, ArtifactCustomRole>; byName: Map<string, ArtifactCustomRole> } | undefined;
  const customRoleOf = (role: string): ArtifactCustomRole | undefined => {
    if (customRoleResources.length === 0) return undefined;
    const ref = CUSTOM_ROLE_REF.exec(role);
    if (!ref && !role.startsWith('projects/') && !role.startsWith('organizations/')) return undefined;
    if (!customRoles) {
      customRoles = { byAddress: new Map(), byName: new Map() };
      for (const r of customRoleResources) {
        const c = readCustomRole(r, evaluate, src, artifact.googleProviderProjects);
        customRoles.byAddress.set(r.address, c);
        if (c.name.includes('${')) continue;
        // Two definitions of one name (Terraform fails to create the second): judged by both.
        const same = customRoles.byName.get(c.name);
        customRoles.byName.set(c.name, same ? mergedCustomRole(same, c) : c);
      }
    }
    return ref ? customRoles.byAddress.get(ref[1]) : customRoles.byName.get(role);
  };

  const grants: ArtifactGrant[] = [];
  const trusts: ArtifactTrust[] = [];
  const credentials: ArtifactCredential[] = [];
  const exposures: ArtifactExposure[] = [];
  const unverifiable: ArtifactUnverifiable[] = [];
  const src = (r: ArtifactResource, attribute: string): ArtifactSource => ({ address: r.address, type: r.displayType ?? r.type, attribute, ...(r.path ? { path: r.path } : {}) });

  /**
   * The governed identities a value names. An expression that cannot be resolved (a function of
   * unknown values, a variable, a computed attribute of something that is not an identity) is
   * reported as unverifiable.
   */
  const identitiesIn = (r: ArtifactResource, attribute: string, raw: unknown): string[] => {
    const found = new Set<string>();
    const values = flatten(evaluate(raw));
    for (const v of values) {
      const s = renderValue(v);
      if (hasUnknown(s)) {
        // A function of a governed principal's own attribute (the name parsed out of its ARN) names it.
        const own = [...s.matchAll(/\b((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)\.[a-z_]+/g)].map((m) => identityByAddress.get(m[1])).filter((x): x is string => !!x);
        if (own.length > 0) own.forEach((x) => found.add(x));
        else unverifiable.push({ source: src(r, attribute), expression: unknownParts(s).join(' ') || s });
        continue;
      }
      const named = identityByName.get(s);
      if (named) {
        found.add(named);
        continue;
      }
      let unresolved = false;
      for (const m of s.matchAll(REF_IN_TEXT)) {
        // CloudFormation pseudo parameters (partition, account, region) inside an ARN: the rest names it.
        if (m[1].startsWith('var.AWS__')) continue;
        const address = refAddress(m[1]);
        const target = address ? byAddress.get(address) : undefined;
        const who = address ? identityByAddress.get(address) : undefined;
        if (who) found.add(who);
        else if (!target || !(IDENTITY_TYPES.has(target.type) && target.mode === 'managed')) unresolved = true;
      }
      const literal = s.replace(REF_IN_TEXT, '');
      for (const name of namesIn(literal)) {
        const who = identityByName.get(name);
        if (who) found.add(who);
      }
      if (unresolved && found.size === 0) unverifiable.push({ source: src(r, attribute), expression: s });
    }
    return [...found];
  };

  for (const r of artifact.resources) {
    if (r.mode !== 'managed') continue;
    const v = r.values as any;
    const t = r.type;

    const ig = AWS_IDENTITY_GRANTS[t];
    if (ig) {
      const who = ig.identity.flatMap((a) => (v[a] === undefined ? [] : identitiesIn(r, a, v[a])));
      for (const identity of new Set(who)) {
        if (ig.policy) {
          const raw = v[ig.policy];
          if (typeof raw === 'string' && raw === declaredPolicy.get(identity)) {
            // The declared policy verbatim (the usual case): nothing to parse or compare.
            grants.push({ identity, source: src(r, ig.policy), via: ig.via, declaredPolicy: true });
          } else {
            const doc = readPolicy(r, ig.policy, raw, evaluate, unverifiable, src, identity);
            if (doc) grants.push({ identity, source: src(r, ig.policy), via: ig.via, statements: statementsOf(doc) });
          }
        }
        if (ig.managed) {
          for (const arn of flatten(evaluate(v[ig.managed]))) {
            grants.push(managedGrant(identity, r, ig.managed, ig.via, arn, byAddress, evaluate, unverifiable, src));
          }
        }
        if (ig.group) {
          for (const g of flatten(evaluate(v[ig.group]))) grants.push({ identity, source: src(r, ig.group), via: ig.via, group: renderValue(g) });
        }
      }
    }

    if (t === 'aws_iam_role') {
      const self = identityByAddress.get(r.address);
      if (self) {
        // The declared document verbatim (the usual case) needs no parsing.
        const declared = declaredTrust.get(self);
        if (typeof v.assume_role_policy === 'string' && v.assume_role_policy === declared) {
          trusts.push({ identity: self, source: src(r, 'assume_role_policy'), text: v.assume_role_policy });
        } else if (declared !== undefined && v.assume_role_policy && typeof v.assume_role_policy === 'object' && sameDocument(v.assume_role_policy, declared)) {
          // A template's document (an object): the declared one (its JSON text).
          trusts.push({ identity: self, source: src(r, 'assume_role_policy'), text: declared });
        } else {
          const doc = readPolicy(r, 'assume_role_policy', v.assume_role_policy, evaluate, unverifiable, src, self);
          trusts.push({ identity: self, source: src(r, 'assume_role_policy'), document: doc });
        }
        for (const p of Array.isArray(v.inline_policy) ? v.inline_policy : v.inline_policy ? [v.inline_policy] : []) {
          if (!p || p.policy === undefined) continue;
          const d = readPolicy(r, 'inline_policy', p.policy, evaluate, unverifiable, src, self);
          if (d) grants.push({ identity: self, source: src(r, 'inline_policy'), via: 'inline_policy of the role', statements: statementsOf(d) });
        }
        for (const arn of flatten(evaluate(v.managed_policy_arns ?? []))) {
          grants.push(managedGrant(self, r, 'managed_policy_arns', 'managed_policy_arns of the role', arn, byAddress, evaluate, unverifiable, src));
        }
      }
    }

    const rp = RESOURCE_POLICIES[t];
    if (rp && v[rp.attribute] !== undefined && !(t === 'aws_iam_role' && identityByAddress.has(r.address))) {
      const doc = readPolicy(r, rp.attribute, v[rp.attribute], evaluate, [], src);
      for (const s of statementsOf(doc)) {
        const principal = (s as any).Principal;
        if (principal === undefined) continue;
        const aws = typeof principal === 'string' ? [principal] : principal?.AWS;
        if (aws === undefined) continue;
        for (const identity of identitiesIn(r, rp.attribute, aws)) {
          const resource = s.Resource ?? (t === 'aws_iam_role' ? `\${${r.address}.arn}` : `\${${r.address}.${rp.arn}}`);
          grants.push({ identity, source: src(r, rp.attribute), via: rp.via, statements: [{ ...stripPrincipal(s), Resource: resource }] });
        }
      }
    }
    if (t === 'aws_lambda_permission' && v.principal !== undefined) {
      for (const identity of identitiesIn(r, 'principal', v.principal)) {
        grants.push({ identity, source: src(r, 'principal'), via: 'Lambda permission',
          statements: [{ Effect: 'Allow', Action: renderValue(evaluate(v.action)), Resource: renderValue(evaluate(v.function_name)) }] });
      }
    }

    if (t === 'aws_api_gateway_usage_plan' && identityByAddress.has(r.address)) {
      // An API key's scope: the stages its usage plan admits.
      const identity = identityByAddress.get(r.address)!;
      for (const st of Array.isArray(v.api_stages) ? v.api_stages : v.api_stages ? [v.api_stages] : []) {
        // Evaluated as the declaration is (references stay references): compared as text.
        const own = (x: unknown) => (typeof x === 'string' ? renderValue(evaluateTemplate(x, () => undefined)) : String(x ?? ''));
        const apiStage = `${own(st?.api_id)}/${own(st?.stage)}`;
        grants.push({ identity, source: src(r, 'api_stages'), via: 'usage plan', apiStage });
      }
    }

    if (t === 'aws_api_gateway_usage_plan_key' && v.key_id !== undefined) {
      // A governed API key on another usage plan: it works on that plan's stages too.
      const own = new Set(v.usage_plan_id !== undefined ? identitiesIn(r, 'usage_plan_id', v.usage_plan_id) : []);
      for (const identity of identitiesIn(r, 'key_id', v.key_id).filter((x) => !own.has(x))) {
        const planRef = typeof v.usage_plan_id === 'string' ? [...v.usage_plan_id.matchAll(REF_IN_TEXT)].map((m) => refAddress(m[1])).find(Boolean) : undefined;
        const plan = planRef ? byAddress.get(planRef) : undefined;
        const stages = plan ? (Array.isArray((plan.values as any).api_stages) ? (plan.values as any).api_stages : []) : [{ api_id: '?', stage: renderValue(evaluate(v.usage_plan_id)) }];
        const text = (x: unknown) => (typeof x === 'string' ? renderValue(evaluateTemplate(x, () => undefined)) : String(x ?? ''));
        for (const st of stages) {
          grants.push({ identity, source: src(r, 'key_id'), via: `another usage plan (${plan?.address ?? 'unknown'})`, apiStage: `${text(st?.api_id)}/${text(st?.stage)}` });
        }
      }
    }

    const cred = CREDENTIALS[t];
    if (cred && v[cred.identity] !== undefined) {
      for (const identity of identitiesIn(r, cred.identity, v[cred.identity])) credentials.push({ identity, source: src(r, cred.identity), kind: cred.kind });
    }

    if (t.startsWith('google_') && /_iam_(member|binding|policy)$/.test(t)) {
      const family = t.replace(/_(member|binding|policy)$/, '');
      const target = GOOGLE_TARGETS[family];
      const attr = target?.attribute ?? GOOGLE_RESOURCE_ATTRIBUTES.find((a) => v[a] !== undefined) ?? 'id';
      const resource = renderValue(evaluate(v[attr] ?? ''));
      const bindings: { role: unknown; members: unknown; condition: any; attribute: string }[] = [];
      if (t.endsWith('_member')) bindings.push({ role: v.role, members: v.member, condition: v.condition, attribute: 'member' });
      else if (t.endsWith('_binding')) bindings.push({ role: v.role, members: v.members, condition: v.condition, attribute: 'members' });
      else {
        const policy = evaluate(v.policy_data);
        const text = renderValue(policy);
        let parsed: any;
        try { parsed = JSON.parse(text); } catch { parsed = undefined; }
        if (!parsed) unverifiable.push({ source: src(r, 'policy_data'), expression: text });
        for (const b of parsed?.bindings ?? []) bindings.push({ role: b.role, members: b.members, condition: b.condition, attribute: 'policy_data' });
      }
      const onAccount = family === 'google_service_account_iam' ? identitiesIn(r, attr, v[attr]) : [];
      for (const b of bindings) {
        const role = renderValue(evaluate(b.role));
        const cond = Array.isArray(b.condition) ? b.condition[0] : b.condition;
        const condition = cond?.expression !== undefined ? renderValue(evaluate(cond.expression)) : undefined;
        for (const identity of identitiesIn(r, b.attribute, b.members)) {
          const custom = customRoleOf(role);
          grants.push({
            identity, source: src(r, b.attribute), via: `${t} binding`, googleRole: role, googleTarget: target?.target ?? family.replace(/^google_/, ''),
            googleResource: resource, googleCondition: condition, ...(custom ? { googleCustomRole: custom } : {}),
          });
        }
        for (const identity of onAccount) {
          for (const m of flatten(evaluate(b.members))) {
            trusts.push({ identity, source: src(r, b.attribute), googleMember: renderValue(m), googleRole: role, googleCondition: condition });
          }
        }
      }
    }
  }

  for (const o of artifact.outputs) {
    const text = JSON.stringify(o.value ?? null);
    // CloudFormation dynamic references put the secret's value into the output.
    const dynamic = /\{\{resolve:(secretsmanager|ssm-secure):[^}]*\}\}/.exec(text);
    if (dynamic) exposures.push({ source: { address: `output.${o.name}`, type: 'output', attribute: 'value', ...(o.path ? { path: o.path } : {}) }, reference: dynamic[0] });
    for (const m of text.matchAll(/\b(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(?:\.([a-z_0-9]+))?/g)) {
      const secretAttrs = SECRET_ATTRIBUTES[m[2]];
      if (!secretAttrs) continue;
      const address = `${m[1] ?? ''}${m[2]}.${m[3]}`;
      if (!byAddress.has(address)) continue;
      if (m[4] === undefined || secretAttrs.includes(m[4])) {
        exposures.push({ source: { address: `output.${o.name}`, type: 'output', attribute: 'value', ...(o.path ? { path: o.path } : {}) }, reference: m[0] });
      }
    }
  }
  return { grants, trusts, credentials, exposures, unverifiable };
}

/**
 * A Google custom role of the artifact: its full name (`projects/<p>/roles/<id>`; its reference
 * when the parent or id is not literal) and its permissions as the artifact holds them (after
 * every override), or the expression of those that cannot be resolved at synth time.
 */
function readCustomRole(r: ArtifactResource, evaluate: (v: unknown) => ExprValue, src: (r: ArtifactResource, a: string) => ArtifactSource,
  providerProjects: ReadonlyMap<string, string> | undefined): ArtifactCustomRole {
  const v = r.values as any;
  const kind = GOOGLE_CUSTOM_ROLES[r.type];
  // A project role without `project` is in its provider's project (`provider: "google.<alias>"`, else the default one).
  const inherited = v[kind.parent] === undefined && kind.parent === 'project' && providerProjects
    ? providerProjects.get(typeof v.provider === 'string' ? v.provider : 'google') : undefined;
  const parent = v[kind.parent] === undefined ? inherited : renderValue(evaluate(v[kind.parent]));
  const id = v.role_id === undefined ? undefined : renderValue(evaluate(v.role_id));
  const literal = (x: string | undefined) => x !== undefined && x !== '' && !x.includes('${') && !hasUnknown(x);
  const name = literal(parent) && literal(id) ? `${kind.prefix}/${parent}/roles/${id}` : `\${${r.address}.name}`;
  const raw = evaluate(v.permissions ?? []);
  const values = isUnknown(raw) || !Array.isArray(raw) ? [raw] : flatten(raw);
  const rendered = values.map(renderValue);
  const unresolved = rendered.filter((p) => hasUnknown(p) || p.includes('${') || p === '');
  return {
    source: src(r, 'permissions'),
    name,
    ...(unresolved.length === 0 && (Array.isArray(raw)) ? { permissions: rendered } : { unresolved: unresolved.map((p) => unknownParts(p).join(' ') || p).join(', ') || JSON.stringify(v.permissions) }),
  };
}

/** One custom role for two definitions of the same name: every permission of both. */
function mergedCustomRole(a: ArtifactCustomRole, b: ArtifactCustomRole): ArtifactCustomRole {
  if (a.permissions === undefined) return a;
  if (b.permissions === undefined) return b;
  return { ...a, permissions: [...new Set([...a.permissions, ...b.permissions])] };
}

/** True if a document (an object) is the declared one (JSON text): verbatim, else with keys sorted. */
function sameDocument(doc: object, declared: string): boolean {
  if (JSON.stringify(doc) === declared) return true;
  try {
    return canonicalJson(doc) === canonicalJson(JSON.parse(declared));
  } catch {
    return false;
  }
}

/** Names that may identify a principal inside a literal: the string, an ARN's last segment, e-mails and their account ids. */
function namesIn(s: string): string[] {
  const out = [s];
  const bare = s.replace(/^(serviceAccount|user|group|principal):/, '');
  out.push(bare);
  const arn = /^arn:aws[a-z-]*:iam::[^:]*:(role|user|group)\/(?:.*\/)?([^/]+)$/.exec(bare);
  if (arn) out.push(arn[2]);
  for (const m of s.matchAll(GSA_EMAIL)) out.push(m[0], m[1]);
  return out;
}

function flatten(v: ExprValue): ExprValue[] {
  if (Array.isArray(v)) return v.flatMap(flatten);
  if (v === null || v === undefined || v === '') return [];
  return [v];
}

function stripPrincipal(s: AwsGrantedStatement): AwsGrantedStatement {
  const { Principal, NotPrincipal, ...rest } = s as any;
  void Principal; void NotPrincipal;
  return rest;
}

/** The statements of a policy document (rendered: references as `${...}`). */
export function statementsOf(doc: unknown): AwsGrantedStatement[] {
  if (!doc || typeof doc !== 'object') return [];
  const st = (doc as any).Statement;
  return (Array.isArray(st) ? st : st ? [st] : []).filter((s: unknown) => s && typeof s === 'object');
}

/** Evaluates and parses a policy document; an unreadable one is unverifiable (when it concerns an identity). */
function readPolicy(r: ArtifactResource, attribute: string, raw: unknown, evaluate: (v: unknown) => ExprValue,
  unverifiable: ArtifactUnverifiable[], src: (r: ArtifactResource, a: string) => ArtifactSource, identity?: string): unknown {
  if (raw && typeof raw === 'object') return raw;
  const v = evaluate(raw);
  const text = isUnknown(v) ? undefined : renderValue(v);
  if (text !== undefined && !hasUnknown(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // falls through
    }
  }
  if (identity !== undefined) unverifiable.push({ source: src(r, attribute), expression: typeof raw === 'string' ? raw : JSON.stringify(raw), identity });
  return undefined;
}

function managedGrant(identity: string, r: ArtifactResource, attribute: string, via: string, arn: ExprValue, byAddress: Map<string, ArtifactResource>,
  evaluate: (v: unknown) => ExprValue, unverifiable: ArtifactUnverifiable[], src: (r: ArtifactResource, a: string) => ArtifactSource): ArtifactGrant {
  // A policy created in the same artifact: its document is known.
  if (isRef(arn)) {
    const address = refAddress(arn.ref);
    const p = address ? byAddress.get(address) : undefined;
    if (p && p.type === 'aws_iam_policy' && (p.values as any).policy !== undefined) {
      const doc = readPolicy(p, 'policy', (p.values as any).policy, evaluate, unverifiable, src, identity);
      if (doc) return { identity, source: src(r, attribute), via: `${via} of ${p.address}`, statements: statementsOf(doc) };
    }
  }
  return { identity, source: src(r, attribute), via, managedPolicy: renderValue(arn) };
}

/** The JSON of a `data.aws_iam_policy_document` from its statement blocks. */
function policyDocumentJson(values: any, lookup: (ref: string) => ExprValue | undefined): ExprValue {
  const ev = (x: unknown): any => (typeof x === 'string' ? renderValue(evaluateTemplate(x, lookup)) : Array.isArray(x) ? x.map(ev) : x);
  if (values.source_policy_documents || values.override_policy_documents) return { unknown: 'aws_iam_policy_document with source/override documents' };
  const statements = (Array.isArray(values.statement) ? values.statement : values.statement ? [values.statement] : []).map((s: any) => {
    const out: any = { Effect: s.effect ?? 'Allow' };
    if (s.sid) out.Sid = s.sid;
    if (s.actions) out.Action = ev(s.actions);
    if (s.not_actions) out.NotAction = ev(s.not_actions);
    if (s.resources) out.Resource = ev(s.resources);
    if (s.not_resources) out.NotResource = ev(s.not_resources);
    for (const [key, json] of [['principals', 'Principal'], ['not_principals', 'NotPrincipal']] as const) {
      const list = Array.isArray(s[key]) ? s[key] : s[key] ? [s[key]] : [];
      if (list.length === 0) continue;
      out[json] = {};
      for (const p of list) out[json][p.type] = [...(out[json][p.type] ?? []), ...ev(p.identifiers ?? [])];
    }
    const conds = Array.isArray(s.condition) ? s.condition : s.condition ? [s.condition] : [];
    if (conds.length > 0) {
      out.Condition = {};
      for (const c of conds) out.Condition[c.test] = { ...(out.Condition[c.test] ?? {}), [c.variable]: ev(c.values) };
      for (const test of Object.keys(out.Condition)) {
        for (const k of Object.keys(out.Condition[test])) {
          const vals = out.Condition[test][k];
          if (Array.isArray(vals) && vals.length === 1) out.Condition[test][k] = vals[0];
        }
      }
    }
    return out;
  });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The JSON of a `data.google_iam_policy` from its binding blocks. */
function googlePolicyJson(values: any, lookup: (ref: string) => ExprValue | undefined): ExprValue {
  const ev = (x: unknown): any => (typeof x === 'string' ? renderValue(evaluateTemplate(x, lookup)) : Array.isArray(x) ? x.map(ev) : x);
  const bindings = (Array.isArray(values.binding) ? values.binding : values.binding ? [values.binding] : []).map((b: any) => {
    const c = Array.isArray(b.condition) ? b.condition[0] : b.condition;
    return { role: ev(b.role), members: ev(b.members ?? []), ...(c ? { condition: { expression: ev(c.expression), title: ev(c.title) } } : {}) };
  });
  return JSON.stringify({ bindings });
}
