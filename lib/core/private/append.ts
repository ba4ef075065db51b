/**
 * The lists concatenated, in order: what `[...a, ...b, ...]` gives, without the iterator protocol
 * per spread (rule results are mostly empty arrays, and the spreads cost more than the checks).
 */
export function appendAll<T>(lists: readonly (readonly T[])[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < lists.length; i++) {
    const l = lists[i];
    for (let j = 0; j < l.length; j++) out.push(l[j]);
  }
  return out;
}
