import { IConstruct } from 'constructs';
import { RegisterAcceptedFinding } from '../../core/register';

const ACCEPTED = Symbol.for('nhi-constructs.aws-cdk.accepted');

/**
 * Records what a stack's template holds beyond each governed identity's declaration and a waiver
 * accepts (by identity path), for its register (set by the template check after synthesis).
 */
export function setAccepted(stack: IConstruct, accepted: Map<string, RegisterAcceptedFinding[]>): void {
  Object.defineProperty(stack, ACCEPTED, { value: accepted, configurable: true, enumerable: false });
}

/** What the last template check of the stack recorded (empty before one ran). */
export function acceptedOf(stack: IConstruct): Map<string, RegisterAcceptedFinding[]> {
  return (stack as any)[ACCEPTED] ?? new Map();
}
