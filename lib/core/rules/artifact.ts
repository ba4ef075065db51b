import { deepEqual } from '../private/json-equal';
import { evaluateTemplate, hasUnknown, renderValue } from '../artifact/expression';
import { ArtifactCustomRole, ArtifactSource, ArtifactView, DeclaredAwsGrant, DeclaredGoogleGrant, IdentityDeclaration } from '../artifact/model';
import { NhiRisk, Violation, violation } from '../violation';
import { AnalysedAwsGrant, isWildcardResource } from './aws-scope';
import { lookupAction } from '../private/iam-catalog';
import { AwsGrantedStatement, checkScopeWidening, checkStatementExpiry } from './aws-widening';
import { isPrivilegedPermission, listSome } from './google-roles';
import type * as googleScope from './google-scope';
import { lazyModule } from '../private/lazy';

// The Google role rules (and their role data) load at the first Google grant checked: AWS artifacts never need them.
const googleRoles = lazyModule(() => require('./google-scope') as typeof googleScope);

/**
 * The one rule of artifact verification: everything in the synthesised artifact that grants to,
 * trusts, or hands out credentials of a governed identity is exactly what its declaration says.
 */

/** One finding of artifact verification, on the artifact element it comes from. */
export interface ArtifactFinding {
  readonly source: ArtifactSource;
  /** Path of the governed identity concerned (when one is). */
  readonly identity?: string;
  readonly violation: Violation;
  /**
   * Other paths a waiver may name for this finding besides its source's (the governed identity,
   * for what a custom role of the artifact holds).
   * @default - only the source's path or resource type
   */
  readonly waiverPaths?: string[];
}

function list(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function where(s: ArtifactSource): string {
  return `${s.type} ${s.path ?? s.address}`;
}

/** A resource by its address and construct path (`google_project_iam_custom_role.r at stack/Role`). */
function addressAndPath(s: ArtifactSource): string {
  return s.path ? `${s.address} at ${s.path}` : s.address;
}

const LITERAL_REF = /^\$\{[a-z][a-z0-9_.]*\.[A-Za-z0-9_-]+\.[a-z_]+\}$/;

/**
 * The declared AWS grants as the comparison uses them: a resource that was a token when declared
 * counts only if its synthesised value still names one resource (a reference, or a literal
 * without wildcards); a wildcard or an expression hidden in a token covers nothing.
 */
export function effectiveAwsGrants(grants: DeclaredAwsGrant[]): AnalysedAwsGrant[] {
  return grants.map((g) => {
    const infos = g.actions.map((a) => lookupAction(a)).filter((x): x is NonNullable<typeof x> => x !== undefined);
    return {
    actions: g.actions.map((a) => ({ action: a, accessLevel: '', privileged: false })),
    resources: g.resources.flatMap((r, i) => {
      if (!g.fromToken?.[i]) return [r];
      if (LITERAL_REF.test(r)) return [r];
      const v = renderValue(evaluateTemplate(r, () => undefined));
      if (hasUnknown(v)) return [];
      // A value built around a reference (`${bucket.arn}/*`) still names one resource.
      if (v.includes('${')) return [v];
      return isWildcardResource(v, infos) || v.includes('?') ? [] : [v];
    }),
    };
  });
}

/** Renders statements after evaluating their expressions; unresolvable values are listed. */
function resolvedStatements(statements: AwsGrantedStatement[]): { statements: AwsGrantedStatement[]; unknown: string[] } {
  const unknown: string[] = [];
  const fix = (v: string | string[] | undefined): string[] | undefined => {
    if (v === undefined) return undefined;
    return list(v).map((x) => {
      if (typeof x !== 'string') return String(x);
      const r = renderValue(evaluateTemplate(x, () => undefined));
      if (hasUnknown(r)) unknown.push(x);
      return r;
    });
  };
  return {
    statements: statements.map((s) => ({
      ...s,
      ...(s.Action !== undefined ? { Action: fix(s.Action) } : {}),
      ...(s.NotAction !== undefined ? { NotAction: fix(s.NotAction) } : {}),
      ...(s.Resource !== undefined ? { Resource: fix(s.Resource) } : {}),
      ...(s.NotResource !== undefined ? { NotResource: fix(s.NotResource) } : {}),
    })),
    unknown,
  };
}

/** NHI_SCOPE_UNVERIFIABLE for a value that cannot be resolved at synth time. */
export function unverifiableViolation(source: ArtifactSource, expression: string, identity?: string): Violation {
  return violation('NHI_SCOPE_UNVERIFIABLE', source.attribute,
    `${source.attribute} of ${where(source)} is an expression that cannot be resolved at synth time (${expression.replace(/\uE000/g, '')})` +
    `${identity ? `, so what it grants ${identity} cannot be checked` : ', so whether it grants to a governed identity cannot be checked'}`,
    'name the identity, role or resource by a literal or a direct reference to it (e.g. sa.role.name, bucket.arn), or verify the plan (`nhi verify plan.json`) and waive NHI_SCOPE_UNVERIFIABLE on this path with an expiry',
    expression.replace(/\uE000/g, ''), [NhiRisk.NHI5]);
}

/** Compares what the artifact grants, trusts and hands out with the declarations. */
export function checkArtifact(declarations: IdentityDeclaration[], view: ArtifactView): ArtifactFinding[] {
  const byPath = new Map(declarations.map((d) => [d.path, d]));
  const out: ArtifactFinding[] = [];
  const push = (source: ArtifactSource, identity: string | undefined, vs: Violation[], waiverPaths?: string[]) => {
    for (const v of vs) out.push({ source, ...(identity ? { identity } : {}), violation: v, ...(waiverPaths ? { waiverPaths } : {}) });
  };
  const effective = new Map<string, AnalysedAwsGrant[]>();
  const awsDeclared = (d: IdentityDeclaration) => {
    let e = effective.get(d.path);
    if (!e) effective.set(d.path, e = effectiveAwsGrants(d.awsGrants ?? []));
    return e;
  };

  for (const u of view.unverifiable) push(u.source, u.identity, [unverifiableViolation(u.source, u.expression, u.identity)]);

  // Trusts first: a trust another governed identity declares is not a widening of the one it admits.
  const declaredTrust = new Set<string>();
  for (const t of view.trusts) {
    const d = byPath.get(t.identity);
    if (!d) continue;
    if (t.googleMember !== undefined) {
      const declared = (d.googleUsers ?? []).some((u) => u.member === t.googleMember && u.role === t.googleRole);
      if (!declared) {
        push(t.source, d.path, [violation('NHI_TRUST_CHANGED', t.source.attribute,
          `${where(t.source)} lets ${t.googleMember} use ${d.path} with ${t.googleRole}, which its declaration (usedBy) does not say`,
          `declare the member in usedBy of ${d.path} (where it is reviewed and expires), or remove this binding`, `${t.googleMember} ${t.googleRole}`, [NhiRisk.NHI5, NhiRisk.NHI10])]);
      } else if (t.googleCondition !== d.googleCondition) {
        push(t.source, d.path, [googleExpiryMissing(t.source, `the binding of ${t.googleMember} (${t.googleRole}) on ${d.path}`, d.googleCondition, t.googleCondition)]);
      } else if (d.owned.includes(t.source.address)) {
        declaredTrust.add(`${t.source.address}#${t.source.attribute}`);
      }
      continue;
    }
    if (d.awsTrustPolicy === undefined) continue;
    if (t.text !== undefined && t.text === d.awsTrustPolicy) {
      if (d.owned.includes(t.source.address)) declaredTrust.add(`${t.source.address}#${t.source.attribute}`);
      continue;
    }
    let expected: unknown;
    try {
      expected = JSON.parse(renderValue(evaluateTemplate(d.awsTrustPolicy, () => undefined)));
    } catch {
      expected = undefined;
    }
    if (t.document === undefined) continue; // reported as unverifiable
    if (deepEqual(t.document, expected)) {
      if (d.owned.includes(t.source.address)) declaredTrust.add(`${t.source.address}#${t.source.attribute}`);
    } else {
      push(t.source, d.path, [violation('NHI_TRUST_CHANGED', t.source.attribute,
        `the trust policy of ${d.path} in the artifact is not the one it declares (assumedBy): ${whoMayAssume(t.document)}${JSON.stringify(t.document).slice(0, 300)}`,
        `declare who may assume the role in assumedBy of ${d.path} (where it is reviewed and expires), and remove the override of assume_role_policy`,
        JSON.stringify(t.document).slice(0, 200), [NhiRisk.NHI5, NhiRisk.NHI10])]);
      const statements = (Array.isArray((t.document as any)?.Statement) ? (t.document as any).Statement : [(t.document as any)?.Statement]).filter(Boolean);
      push(t.source, d.path, checkStatementExpiry(statements, d.expiresAt, `the trust policy of ${d.path}`, t.source.attribute));
    }
  }

  for (const g of view.grants) {
    const d = byPath.get(g.identity);
    if (!d) continue;
    // Use of another governed identity, declared by that identity (its usedBy / assumedBy).
    if (declaredTrust.has(`${g.source.address}#${g.source.attribute}`)) continue;
    // Exactly the policy text the identity declares (its scope, each statement with the expiry condition).
    if (g.declaredPolicy) continue;
    const source = `${g.via} (${where(g.source)}) of ${d.path}`;
    if (g.statements) {
      const { statements, unknown } = resolvedStatements(g.statements);
      for (const x of unknown) push(g.source, d.path, [unverifiableViolation(g.source, x, d.path)]);
      const known = statements.map((s) => ({
        ...s,
        ...(s.Resource !== undefined ? { Resource: list(s.Resource).filter((r) => !hasUnknown(r)) } : {}),
      }));
      push(g.source, d.path, checkScopeWidening(known, awsDeclared(d), source, g.source.attribute));
      push(g.source, d.path, checkStatementExpiry(known, d.expiresAt, source, g.source.attribute));
    } else if (g.managedPolicy !== undefined) {
      push(g.source, d.path, [violation('NHI_SCOPE_WIDENED', g.source.attribute,
        `${source} attaches the managed policy ${g.managedPolicy}: its permissions are not in the declared scope (or the register) and do not stop at expiry`,
        `declare the actions the workload needs in the scope of ${d.path}, and remove the attachment`, g.managedPolicy, [NhiRisk.NHI5])]);
    } else if (g.group !== undefined) {
      push(g.source, d.path, [violation('NHI_SCOPE_WIDENED', g.source.attribute,
        `${source} adds the identity to the group ${g.group}: the group's permissions are not in the declared scope (or the register) and do not stop at expiry`,
        `declare the actions the workload needs in the scope of ${d.path}, and remove the group membership`, g.group, [NhiRisk.NHI5])]);
    } else if (g.apiStage !== undefined) {
      if (d.apiStages !== undefined && !d.apiStages.includes(g.apiStage)) {
        push(g.source, d.path, [violation('NHI_SCOPE_WIDENED', g.source.attribute,
          `${source} admits the API stage ${g.apiStage}, which the declared scope (and the register) does not say: the key works there too`,
          `declare the stage in the scope of ${d.path}, or remove it from the usage plan`, g.apiStage, [NhiRisk.NHI5])]);
      }
    } else if (g.googleRole !== undefined) {
      const declared = declaredGoogleGrants(d, g.googleRole, g.googleTarget ?? '', g.googleResource ?? '');
      push(g.source, d.path, checkGoogleGrant(d, declared, g.source, source, g.googleRole, g.googleTarget ?? '', g.googleResource ?? '', g.googleCondition, g.googleCustomRole));
      // A custom role defined in the artifact, granted as declared: judged by what it holds there.
      const custom = g.googleCustomRole;
      if (custom && declared.length > 0) {
        if (custom.permissions === undefined) {
          push(custom.source, d.path, [unverifiableViolation(custom.source, custom.unresolved ?? '', d.path)]);
        } else {
          const justification = declared.map((x) => x.justification).find((j) => typeof j === 'string');
          push(g.source, d.path, unlistedPermissions(declared, custom, source, g.source.attribute), [d.path]);
          push(g.source, d.path, googleRoles().checkCustomRolePermissions({
            name: custom.name, where: addressAndPath(custom.source), permissions: custom.permissions, target: g.googleTarget ?? '',
            grant: source, identity: d.path, ...(justification !== undefined ? { justification } : {}),
          }, { forbiddenActions: d.forbiddenActions ?? [], forbidProjectWideDataAccess: d.forbidProjectWideDataAccess }, g.source.attribute), [d.path]);
        }
      }
    }
  }

  const counted = new Map<string, number>();
  for (const c of view.credentials) {
    const d = byPath.get(c.identity);
    if (!d || d.owned.includes(c.source.address)) continue;
    if (d.credentialCount !== undefined) {
      const n = (counted.get(d.path) ?? 0) + 1;
      counted.set(d.path, n);
      if (n <= d.credentialCount) continue;
    }
    push(c.source, d.path, [violation('NHI_CREDENTIAL_UNDECLARED', c.source.attribute,
      `${where(c.source)} hands out a ${c.kind} of ${d.path}, which its declaration does not include: an unrotated credential outside the register`,
      c.kind.includes('API key') ? `remove it: ${d.path} is the one key of its usage plan (its rotation function creates the next one); give another client its own GovernedApiKey`
        : d.cloud === 'aws' ? `remove it; if the workload needs static credentials, declare staticCredentials on ${d.path} (rotated, stored in Secrets Manager, disabled at expiry)`
        : `remove it; if the workload needs a key, declare keys on ${d.path} (rotated, stored in Secret Manager, disabled at expiry)`,
      c.source.address, [NhiRisk.NHI2, NhiRisk.NHI7])]);
  }

  for (const e of view.exposures) {
    push(e.source, undefined, [violation('NHI_SECRET_EXPOSED', e.source.attribute,
      `${e.source.path ?? e.source.address} references the secret ${e.reference}: outputs are stored in plain text in the state and shown to everyone who can read it (sensitive only hides them from the console)`,
      'read the secret from the secret manager where the governed construct stores it (its secret), and remove the output', e.reference, [NhiRisk.NHI2])]);
  }
  return out;
}

/**
 * The permissions a custom role holds in the artifact that the register does not list for the
 * grant (`nhi verify` on a plan; at synth the declaration lists none): the plan is not what the
 * register, and its review, say.
 */
function unlistedPermissions(declared: DeclaredGoogleGrant[], custom: ArtifactCustomRole, source: string, attribute: string): Violation[] {
  const lists = declared.map((x) => x.permissions).filter((p): p is readonly string[] => p !== undefined);
  if (lists.length === 0 || custom.permissions === undefined) return [];
  const listed = new Set(lists.flat());
  const extra = [...new Set(custom.permissions.filter((p) => !listed.has(p)))].sort();
  if (extra.length === 0) return [];
  return [violation('NHI_SCOPE_WIDENED', attribute,
    `${source} grants the custom role ${custom.name} (${addressAndPath(custom.source)}), whose permissions here include ${listSome(extra, 5)}, which the register does not list for it: what is deployed is not what was reviewed`,
    `synthesise again and review the register's change (nhi diff), or remove ${listSome(extra, 3)} from the role`,
    `${custom.name}: ${extra.join(', ')}`, [NhiRisk.NHI5])];
}

/**
 * Who a trust policy lets assume the role, for a message (before the document, which a message
 * cuts short): every principal of its Allow statements, `*` called out.
 */
function whoMayAssume(document: unknown): string {
  const statements: any[] = Array.isArray((document as any)?.Statement) ? (document as any).Statement : [(document as any)?.Statement];
  const who = new Set<string>();
  for (const s of statements) {
    if (s === null || typeof s !== 'object' || (s.Effect ?? 'Allow') !== 'Allow') continue;
    const p = s.Principal;
    if (p === '*') who.add('* (every AWS principal)');
    else if (p !== null && typeof p === 'object') {
      for (const v of Object.values(p)) for (const x of Array.isArray(v) ? v : [v]) who.add(x === '*' ? '* (every AWS principal)' : String(x));
    }
    if (s.NotPrincipal !== undefined) who.add('everyone but NotPrincipal (every AWS principal)');
  }
  return who.size > 0 ? `who may assume it: ${listSome([...who].sort(), 10)}; ` : '';
}

/**
 * What a custom role of the artifact holds, for a message: its permissions, and every privileged
 * one by name (a reviewer, and nhi diff reading an accepted finding, judge the finding by them).
 */
function customRoleHolds(custom: ArtifactCustomRole | undefined): string {
  if (custom?.permissions === undefined) return '';
  const permissions = [...new Set(custom.permissions)].sort();
  const privileged = permissions.filter(isPrivilegedPermission);
  return `; the custom role ${custom.name} (${addressAndPath(custom.source)}) holds ${listSome(permissions, 10)}` +
    (privileged.length > 0 ? `, privileged among them: ${privileged.join(', ')}` : '');
}

function googleExpiryMissing(source: ArtifactSource, what: string, expected: string | undefined, given: string | undefined): Violation {
  return violation('NHI_EXPIRY_CONDITION_MISSING', source.attribute,
    `${what} ${given === undefined ? 'has no IAM condition' : `has the condition ${JSON.stringify(given)}`}, so it does not stop at the identity's expiry`,
    `keep the governed condition (${expected}) on every binding, and remove the override or the extra binding`, given ?? null, [NhiRisk.NHI1, NhiRisk.NHI7]);
}

/** The declared grants a binding of `role` on `target` `resource` is (none: a widening). */
function declaredGoogleGrants(d: IdentityDeclaration, role: string, target: string, resource: string): DeclaredGoogleGrant[] {
  return (d.googleGrants ?? []).filter((g) => {
    if (g.target !== target) return false;
    if (!(g.resource === resource || g.resource.endsWith(`/${resource}`) || resource.endsWith(`/${g.resource}`))) return false;
    if (g.roleFromToken) {
      const r = renderValue(evaluateTemplate(g.role, () => undefined));
      const { isBasicRole, isPrivilegedRole } = googleRoles();
      return r === role && !isBasicRole(r) && (g.justified || !isPrivilegedRole(r)) && !hasUnknown(r) && !r.includes('*');
    }
    return g.role === role;
  });
}

function checkGoogleGrant(d: IdentityDeclaration, declared: DeclaredGoogleGrant[], src: ArtifactSource, source: string, role: string, target: string, resource: string,
  condition: string | undefined, custom: ArtifactCustomRole | undefined): Violation[] {
  if (declared.length === 0) {
    return [violation('NHI_SCOPE_WIDENED', src.attribute,
      `${source} grants ${role} on ${target} ${resource}, which the declared scope (and the register) does not say${customRoleHolds(custom)}`,
      `declare the role in the scope of ${d.path} (where it is analysed, recorded and expires), or remove it`, `${role} on ${resource}`, [NhiRisk.NHI5])];
  }
  if (condition !== d.googleCondition) return [googleExpiryMissing(src, source, d.googleCondition, condition)];
  return [];
}

