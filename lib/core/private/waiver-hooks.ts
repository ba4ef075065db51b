import type { IConstruct } from 'constructs';

/** Where the hooks live: one list per process, shared by every copy of the library. */
export const WAIVER_HOOKS = Symbol.for('nhi-constructs.Waivers.hooks');

/**
 * Calls `hook` with the scope of every `Waivers.add` (the target modules make sure the stack the
 * waiver is declared in has a register, which lists it). Internal: target modules only. Its own
 * module, so a target registers its hook at import without loading the waiver rules.
 */
export function onWaiversAdded(hook: (scope: IConstruct) => void): void {
  const g = globalThis as any;
  const hooks: ((scope: IConstruct) => void)[] = g[WAIVER_HOOKS] ?? (g[WAIVER_HOOKS] = []);
  hooks.push(hook);
}
