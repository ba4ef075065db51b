/**
 * A module loaded at its first use instead of at import: `lazyModule(() => require('./m') as
 * typeof m)` with `import type * as m from './m'`. The library's entry points import only what
 * declaring constructs needs; rules, checks and renderers that run at synthesis load on first call.
 */
export function lazyModule<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}
