import { Violation } from './violation';

/**
 * Thrown by a governed construct's constructor (or at synth) when its declaration breaks
 * governance rules. Lists every violation at once, so one run shows everything to fix.
 *
 * (jsii cannot model subclasses of `Error`: the class is exported as a value and a type for
 * JavaScript/TypeScript, and other languages use {@link GovernanceErrors}.)
 */
class GovernanceErrorImpl extends Error {
  /** Throws a GovernanceError for `path` if `violations` is not empty. */
  public static throwIfAny(path: string, violations: Violation[]): void {
    if (violations.length > 0) {
      throw new GovernanceErrorImpl(path, violations);
    }
  }

  /** Renders violations as the lines of a GovernanceError message. */
  public static format(path: string, violations: Violation[]): string {
    const n = violations.length;
    const lines = violations.map((v) => {
      const given = v.given === undefined ? 'nothing was given' : `given: ${v.given}`;
      return `  - [${v.code}] ${v.field}: ${v.message} (${given}). Fix: ${v.fix}`;
    });
    return [`${n} governance violation${n === 1 ? '' : 's'} in ${path}:`, ...lines].join('\n');
  }

  /** The construct path of the identity that broke the rules. */
  public readonly path: string;
  /** Every violation found. */
  public readonly violations: Violation[];

  public constructor(path: string, violations: Violation[]) {
    super(GovernanceErrorImpl.format(path, violations));
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'GovernanceError';
    this.path = path;
    this.violations = violations;
  }
}

/** The error every governance violation is reported with (`err.name === 'GovernanceError'`). */
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
