import { RegisterEntry } from '../register';
import { NhiRisk, Violation, violation } from '../violation';
import { wildcardMatch } from './aws-scope';

/** The permission atoms of an entry's scope: `action|resource` for AWS grants, the item's JSON otherwise. */
function atoms(entry: RegisterEntry): { action?: string; resource?: string; key: string }[] {
  const out: { action?: string; resource?: string; key: string }[] = [];
  for (const item of Array.isArray(entry.scope) ? entry.scope : []) {
    if (item && Array.isArray(item.actions) && Array.isArray(item.resources)) {
      for (const a of item.actions) {
        const action = typeof a === 'string' ? a : a?.action;
        for (const r of item.resources) out.push({ action, resource: r, key: `${action}|${r}` });
      }
    } else {
      const { justification, ...rest } = (item ?? {}) as Record<string, unknown>;
      void justification;
      out.push({ key: JSON.stringify(rest, Object.keys(rest).sort()) });
    }
  }
  return out;
}

function overlap(a: RegisterEntry, b: RegisterEntry): string | undefined {
  const bs = atoms(b);
  for (const x of atoms(a)) {
    for (const y of bs) {
      if (x.action !== undefined && y.action !== undefined) {
        if (x.action.toLowerCase() === y.action.toLowerCase() && (wildcardMatch(x.resource!, y.resource!) || wildcardMatch(y.resource!, x.resource!))) {
          return `${x.action} on ${x.resource}`;
        }
      } else if (x.key === y.key) {
        return x.key;
      }
    }
  }
  return undefined;
}

/**
 * One identity per workload (OWASP NHI9): for each pair of governed identities of the same
 * `system` whose scopes overlap, and neither with a `reuseJustification`, a finding on the later
 * path (so each pair is reported once). `candidates` are checked against `all`.
 */
export function findReuse(candidates: RegisterEntry[], all: RegisterEntry[]): { path: string; violation: Violation }[] {
  const out: { path: string; violation: Violation }[] = [];
  for (const e of candidates) {
    if (!e.system || e.reuseJustification) continue;
    for (const other of all) {
      if (other.path >= e.path || other.system !== e.system || other.reuseJustification) continue;
      const shared = overlap(e, other);
      if (shared) {
        out.push({
          path: e.path,
          violation: violation('NHI_IDENTITY_REUSE', 'system',
            `shares system '${e.system}' and part of its scope (${shared}) with ${other.path}: one workload, two identities, or one identity reused by two workloads`,
            'use one identity per workload (merge them, or give each workload its own system), or set reuseJustification', e.system, [NhiRisk.NHI9]),
        });
      }
    }
  }
  return out;
}
