import { GovernanceError as GovernanceErrorImpl } from './private/governance-error-class';
import { Violation } from './violation';

/**
 * Thrown by a governed construct's constructor (or at synth) when its declaration breaks
 * governance rules. Lists every violation at once, so one run shows everything to fix; uncaught,
 * Node prints it as `GovernanceError: <n> governance violations in <path>:` and one line per
 * violation.
 *
 * (jsii cannot model subclasses of `Error`: the class is exported as a value and a type for
 * JavaScript/TypeScript, and other languages use {@link GovernanceErrors}; `err.name === 'GovernanceError'`.)
 */
export const GovernanceError = GovernanceErrorImpl;
/** The error every governance violation is reported with. */
export type GovernanceError = GovernanceErrorImpl;

/** Inspects errors from other jsii languages, where `GovernanceError` is not a class. */
export class GovernanceErrors {
  /** True if `x` is a GovernanceError. */
  public static isGovernanceError(x: any): boolean {
    return x instanceof GovernanceErrorImpl || (x !== null && typeof x === 'object' && x.name === 'GovernanceError' && Array.isArray(x.violations));
  }

  /** The violations of a GovernanceError (empty for any other error). */
  public static violationsOf(x: any): Violation[] {
    return GovernanceErrors.isGovernanceError(x) ? [...x.violations] : [];
  }

  private constructor() {}
}
