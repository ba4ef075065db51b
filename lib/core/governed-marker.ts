import { IConstruct } from 'constructs';

const MARK = Symbol.for('nhi-constructs.governed');

/**
 * Marks a construct as governed (a governed identity, or governance plumbing such as the shared
 * notification resources): resources below it are not ungoverned identities.
 */
export function markGoverned(construct: IConstruct, identity = true): void {
  Object.defineProperty(construct, MARK, { value: identity ? 'identity' : 'plumbing', enumerable: false });
}

/** `identity`, `plumbing`, or undefined for a construct not marked itself. */
export function governedMark(construct: IConstruct): string | undefined {
  return (construct as any)[MARK];
}

/** The closest marked construct at or above `construct`, if any. */
export function governedAncestor(construct: IConstruct): IConstruct | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    if ((scopes[i] as any)[MARK]) return scopes[i];
  }
  return undefined;
}
