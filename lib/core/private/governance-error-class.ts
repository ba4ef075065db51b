import { Violation } from '../violation';

/**
 * The class behind the exported `GovernanceError` value and type (../governance-error.ts). It is
 * declared here, under its public name, so that Node prints an uncaught one as
 * `GovernanceError: <n> governance violations in <path>:` followed by the readable list and the
 * stack: the constructor's name is the public one, and `path` and `violations` are not
 * enumerable, so Node dumps no object after the stack. (jsii cannot model subclasses of `Error`,
 * hence the indirection; this module is not exported from the package.)
 */
export class GovernanceError extends Error {
  /** Throws a GovernanceError for `path` if `violations` is not empty. */
  public static throwIfAny(path: string, violations: Violation[]): void {
    if (violations.length > 0) {
      throw new GovernanceError(path, violations);
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
  public declare readonly path: string;
  /** Every violation found. */
  public declare readonly violations: Violation[];

  public constructor(path: string, violations: Violation[]) {
    super(GovernanceError.format(path, violations));
    Object.setPrototypeOf(this, new.target.prototype);
    const hidden = (value: unknown) => ({ value, enumerable: false, writable: false, configurable: true });
    Object.defineProperties(this, { path: hidden(path), violations: hidden(violations) });
  }
}

// On the prototype, so the stack is captured as `GovernanceError: ...` and `err.name` is right.
Object.defineProperty(GovernanceError.prototype, 'name', { value: 'GovernanceError', enumerable: false, writable: true, configurable: true });
