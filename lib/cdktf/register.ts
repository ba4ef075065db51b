import * as fs from 'fs';
import * as path from 'path';
import { DefaultTokenResolver, IStackSynthesizer, ISynthesisSession, StringConcat, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { REGISTER_FILE, RegisterEntry, renderRegister } from '../core/register';
import { isPrivilegedPermission } from '../core/rules/google-roles';
import { findReuse } from '../core/rules/reuse';
import { onWaiversAdded, registerWaivers, Waivers } from '../core/waivers';
import { acceptedFindings, customRolePermissions } from './verification';

const KEY = Symbol.for('nhi-constructs.cdktf.NhiRegister');

/** Anything that has an entry in the NHI register (every governed construct). */
export interface IGovernedIdentity extends IConstruct {
  /** The identity's register entry, read at synth. */
  readonly registerEntry: RegisterEntry;
}

/**
 * The NHI register of a cdktf stack. Governed constructs add themselves; a normal
 * `app.synth()` (and `Testing.fullSynth`) writes it as `nhi-register.json` beside the stack's
 * `cdk.tf.json`, after aspects and validations ran.
 */
export class NhiRegister {
  /** The register of the stack that contains `scope` (created on first use). */
  public static of(scope: IConstruct): NhiRegister {
    const stack = TerraformStack.of(scope);
    const existing = (stack as any)[KEY] as NhiRegister | undefined;
    if (existing) return existing;
    const created = new NhiRegister(stack);
    Object.defineProperty(stack, KEY, { value: created, enumerable: false });
    return created;
  }

  private readonly identities: IGovernedIdentity[] = [];

  private constructor(private readonly stack: TerraformStack) {
    // One identity per workload, within the stack and across the app (NHI9).
    stack.node.addValidation({
      validate: () => {
        const registers = stack.node.root.node.findAll()
          .filter((c) => TerraformStack.isStack(c) && (c as any)[KEY]).map((c) => (c as any)[KEY] as NhiRegister);
        // Only identities that declare a system take part; most apps have none to compare.
        const all = registers.flatMap((r) => r.identities.filter(hasSystem).map((i) => i.registerEntry));
        if (all.length < 2) return [];
        const mine = all.filter((e) => this.identities.some((i) => i.node.path === e.path));
        return findReuse(mine, all).flatMap((f) => Waivers.of(stack).filter(f.path, [f.violation]).map((v) =>
          `[${v.code}] ${f.path}: ${v.message}. Fix: ${v.fix}`));
      },
    });
    const inner = stack.synthesizer;
    const self = this;
    stack.synthesizer = {
      synthesize(session: ISynthesisSession) {
        inner.synthesize(session);
        const dir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
        fs.writeFileSync(path.join(dir, REGISTER_FILE), self.render());
      },
    } as IStackSynthesizer;
  }

  /** Adds an identity; its entry is read at synth, so later changes to it are reflected. */
  public add(identity: IGovernedIdentity): void {
    this.identities.push(identity);
  }

  /** The entries, tokens resolved to Terraform references (`${aws_iam_role.x.arn}`). */
  public entries(): RegisterEntry[] {
    const resolver = new DefaultTokenResolver(new StringConcat());
    // What the final JSON holds beyond each declaration, accepted by a waiver (the artifact view).
    const accepted = acceptedFindings(this.stack);
    const customRoles = customRolePermissions(this.stack);
    return this.identities.map((i) => {
      let entry = i.registerEntry;
      // Most entries hold no token (names and ARNs are literal): skip the resolver's tree walk.
      if (Tokenization.isResolvable(entry) || holdsToken(entry)) {
        entry = Tokenization.resolve(entry, { scope: this.stack, resolver, preparing: false }) as RegisterEntry;
      }
      const roles = customRoles.size > 0 ? customRoles.get(i.node.path) : undefined;
      if (roles) entry = withCustomRoles(entry, roles);
      const extra = accepted.size > 0 ? accepted.get(i.node.path) : undefined;
      return extra && extra.length > 0 ? { ...entry, accepted: extra } : entry;
    });
  }

  /** The register file's content: sorted, deterministic JSON. */
  public render(): string {
    return renderRegister(this.entries(), registerWaivers(Waivers.of(this.stack).withinScope()));
  }
}

/**
 * The entry with each grant of a custom role of the stack listing the permissions the final JSON
 * gives the role (`custom: true`, `permissions` sorted; `privileged` if one of them is): a change
 * of the role's permissions is a change of the register, so `nhi diff` shows it.
 */
function withCustomRoles(entry: RegisterEntry, roles: Map<string, readonly string[]>): RegisterEntry {
  if (!Array.isArray(entry.scope)) return entry;
  let changed = false;
  const scope = entry.scope.map((g: any) => {
    const held = g !== null && typeof g === 'object' && typeof g.role === 'string' ? roles.get(g.role) : undefined;
    if (held === undefined) return g;
    changed = true;
    const permissions = [...new Set(held)].sort();
    const { custom, permissions: _listed, privileged, justification, ...where } = g;
    return {
      ...where,
      privileged: privileged === true || permissions.some(isPrivilegedPermission),
      custom: true,
      permissions,
      ...(justification !== undefined ? { justification } : {}),
    };
  });
  return changed ? { ...entry, scope } : entry;
}

/**
 * Objects found to hold no token that cannot change: frozen, plain, data properties only, and
 * everything in them the same (the shared alarm objects every identity lists). Not walked again.
 */
const tokenFree = new WeakSet<object>();

/** True if a string anywhere in `v` holds `${` (an encoded token or a reference), or a value is resolvable. */
function holdsToken(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('${');
  if (v === null || typeof v !== 'object') return false;
  // Only a frozen object can be in tokenFree (looking up any other would give it an identity hash).
  let unchanging = Object.isFrozen(v);
  if (unchanging && tokenFree.has(v)) return false;
  if (Tokenization.isResolvable(v)) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === 'string') {
        if (x.includes('${')) return true;
      } else if (x !== null && typeof x === 'object') {
        if (holdsToken(x)) return true;
        if (unchanging && !(Object.isFrozen(x) && tokenFree.has(x))) unchanging = false;
      }
    }
  } else {
    for (const k in v as Record<string, unknown>) {
      if (k.includes('${')) return true;
      const x = (v as Record<string, unknown>)[k];
      if (typeof x === 'string') {
        if (x.includes('${')) return true;
      } else if (x !== null && typeof x === 'object') {
        if (holdsToken(x)) return true;
        if (unchanging && !(Object.isFrozen(x) && tokenFree.has(x))) unchanging = false;
      }
    }
  }
  if (unchanging && dataOnly(v)) tokenFree.add(v);
  return false;
}

/** True if `o` is a plain object or array whose own properties are all data properties (no getters). */
function dataOnly(o: object): boolean {
  const proto = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== Array.prototype) return false;
  for (const k of Reflect.ownKeys(o)) {
    const d = Object.getOwnPropertyDescriptor(o, k);
    if (d && !('value' in d)) return false;
  }
  return true;
}

/** True if the identity declares a system (read without building its whole register entry). */
function hasSystem(i: IGovernedIdentity): boolean {
  const gov = (i as any).governance;
  return gov && typeof gov === 'object' && 'system' in gov ? !!gov.system : !!i.registerEntry.system;
}

// A waiver declared in a stack (on it or any construct in it) is listed in that stack's register,
// which exists even if the stack holds no governed identity.
onWaiversAdded((scope) => {
  if (scope.node.scopes.some((s) => TerraformStack.isStack(s))) NhiRegister.of(scope);
});
