import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, ISynthesisSession, Stack } from 'aws-cdk-lib/core';
import { Construct, IConstruct } from 'constructs';
import type * as accepted from './private/accepted';
import type * as cfn from './private/cfn';
import type * as errors from '../core/governance-error';
import type * as coreRegister from '../core/register';
import type { RegisterEntry } from '../core/register';
import type * as reuse from '../core/rules/reuse';
import { lazyModule } from '../core/private/lazy';
import { onWaiversAdded } from '../core/private/waiver-hooks';
import type * as waivers from '../core/waivers';

// The register's renderer (and the rules its self-check uses) loads when a register is first written,
// the reuse rule (and the scope rules it compares with) at the first validation that needs it.
const registerFormat = lazyModule(() => require('../core/register') as typeof coreRegister);
const reuseRule = lazyModule(() => require('../core/rules/reuse') as typeof reuse);
// The waiver rules load with the first register rendered or reuse check (or earlier, with the first waiver).
const waiverRules = lazyModule(() => require('../core/waivers') as typeof waivers);
const governanceError = lazyModule(() => require('../core/governance-error') as typeof errors);
const acceptedFindings = lazyModule(() => require('./private/accepted') as typeof accepted);
const cfnValues = lazyModule(() => require('./private/cfn') as typeof cfn);

const KEY = Symbol.for('nhi-constructs.aws-cdk.NhiRegister');

/** Anything that has an entry in the NHI register (every governed construct). */
export interface IGovernedIdentity extends IConstruct {
  /** The identity's register entry, read at synth (tokens unresolved). */
  readonly registerEntry: RegisterEntry;
}

/**
 * The NHI register of an AWS CDK stack. Governed constructs add themselves; synthesis writes it
 * into the cloud assembly as `<stack artifact id>.nhi-register.json` (beside
 * `<stack artifact id>.template.json`), in the same format as every other target
 * (`renderRegister`, `cloud: "aws"`), references flattened to `${LogicalId.Attribute}`, with the
 * core waivers in force on the stack.
 *
 * It also adds a validation to the stack: one identity per workload (OWASP NHI9). Two governed
 * identities of the same `system` whose scopes overlap, in this stack or any other stack of the
 * app, fail synthesis with NHI_IDENTITY_REUSE (core `findReuse`) unless one of them has a
 * `reuseJustification` or a core waiver covers the finding.
 */
export class NhiRegister {
  /** The register of the stack that contains `scope` (created on first use). */
  public static of(scope: IConstruct): NhiRegister {
    const stack = Stack.of(scope);
    const existing = (stack as any)[KEY] as NhiRegister | undefined;
    if (existing) return existing;
    const created = new NhiRegister(stack);
    Object.defineProperty(stack, KEY, { value: created, enumerable: false });
    return created;
  }

  /** File name of a stack's register in the cloud assembly: `<artifact id>.nhi-register.json`. */
  public static fileName(stack: Stack): string {
    return `${stack.artifactId}.${registerFormat().REGISTER_FILE}`;
  }

  private readonly identities: IGovernedIdentity[] = [];

  private constructor(private readonly stack: Stack) {
    stack.node.addValidation({ validate: () => this.checkReuse() });
    // A construct without resources whose only job is to write the file during synthesis
    // (after aspects and token resolution are prepared; validation plugins then read it).
    const writer = new Construct(stack, 'NhiRegister');
    attachCustomSynthesis(writer, {
      onSynthesize: (session: ISynthesisSession) => {
        fs.writeFileSync(path.join(session.outdir, NhiRegister.fileName(this.stack)), this.render());
      },
    });
  }

  /** Adds an identity; its entry is read at synth, so later changes to it are reflected. */
  public add(identity: IGovernedIdentity): void {
    this.identities.push(identity);
  }

  /** The entries, CloudFormation references flattened to `${LogicalId.Attribute}` strings. */
  public entries(): RegisterEntry[] {
    // What the template holds beyond each declaration and a waiver accepts (after the template check).
    const accepted = acceptedFindings().acceptedOf(this.stack);
    return this.identities.map((i) => {
      const entry = this.entryOf(i);
      const extra = accepted.size > 0 ? accepted.get(i.node.path) : undefined;
      return extra && extra.length > 0 ? { ...entry, accepted: extra } : entry;
    });
  }

  /** The register file's content: sorted, deterministic JSON. */
  public render(): string {
    const { registerWaivers, Waivers } = waiverRules();
    return registerFormat().renderRegister(this.entries(), registerWaivers(Waivers.of(this.stack).withinScope()));
  }

  /** NHI_IDENTITY_REUSE findings on this stack's identities, against every register of the app. */
  private checkReuse(): string[] {
    // Only identities that declare a system take part; most apps have none to compare.
    if (!this.identities.some(hasSystem)) return [];
    const registers = this.stack.node.root.node.findAll()
      .filter((c) => Stack.isStack(c) && (c as any)[KEY]).map((c) => (c as any)[KEY] as NhiRegister);
    const all = registers.flatMap((r) => r.identities.filter(hasSystem).map((i) => r.entryOf(i)));
    if (all.length < 2) return [];
    const mine = new Set(this.identities.map((i) => i.node.path));
    const { Waivers } = waiverRules();
    const { GovernanceError } = governanceError();
    return reuseRule().findReuse(all.filter((e) => mine.has(e.path)), all).flatMap((f) => {
      const identity = this.identities.find((i) => i.node.path === f.path)!;
      const vs = Waivers.of(identity).filter(f.path, [f.violation]);
      return vs.length > 0 ? [GovernanceError.format(f.path, vs)] : [];
    });
  }

  private entryOf(identity: IGovernedIdentity): RegisterEntry {
    return cfnValues().flattenDeep(this.stack.resolve(identity.registerEntry)) as RegisterEntry;
  }
}

// A waiver declared in a stack (on it or any construct in it) is listed in that stack's register,
// which exists even if the stack holds no governed identity.
onWaiversAdded((scope) => {
  if (scope.node.scopes.some((s) => Stack.isStack(s))) NhiRegister.of(scope);
});

/** True if the identity declares a system (read without building its whole register entry). */
function hasSystem(i: IGovernedIdentity): boolean {
  const gov = (i as any).governance;
  return gov && typeof gov === 'object' && 'system' in gov ? !!gov.system : !!i.registerEntry.system;
}
