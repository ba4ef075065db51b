import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, ISynthesisSession, Stack } from 'aws-cdk-lib/core';
import { Construct, IConstruct } from 'constructs';
import { flattenDeep } from './private/cfn';
import { REGISTER_FILE, RegisterEntry, renderRegister } from '../core/register';

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
 * (`renderRegister`, `cloud: "aws"`), references flattened to `${LogicalId.Attribute}`.
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
    return `${stack.artifactId}.${REGISTER_FILE}`;
  }

  private readonly identities: IGovernedIdentity[] = [];

  private constructor(private readonly stack: Stack) {
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
    return this.identities.map((i) => flattenDeep(this.stack.resolve(i.registerEntry)) as RegisterEntry);
  }

  /** The register file's content: sorted, deterministic JSON. */
  public render(): string {
    return renderRegister(this.entries());
  }
}
