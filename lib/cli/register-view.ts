// `nhi register`: every identity of every stack of a synth, as a table, markdown or JSON.
import { daysBetween } from '../core/dates';
import { NhiIdentity, LoadedSynth } from './load';
import { actionSetOf, awsActionFacts, googleRoleFamily, levelCounts, scopeShape } from './scope-diff';
import { byString, code, mdTable, plural, printable, prose, safeMarkdown, textTable } from './util';

/** `in 342 days`, `today`, `expired 3 days ago`. */
export function expiresIn(expires: string, today: string): string {
  const d = daysBetween(today, expires);
  if (d > 1) return `in ${d} days`;
  if (d === 1) return 'in 1 day';
  if (d === 0) return 'expired today';
  return `expired ${plural(-d, 'day')} ago`;
}

/** One line on what an identity can do: AWS actions by access level, roles, API stages. */
export function scopeSummary(i: NhiIdentity): string {
  const scope = i.scope;
  switch (scopeShape(scope)) {
    case 'empty': return '(none)';
    case 'aws-iam': {
      const actions = new Map<string, ReturnType<typeof awsActionFacts>>();
      let open = false;
      const resources = new Set<string>();
      for (const g of scope) {
        for (const r of g.resources ?? []) resources.add(r);
        const written = new Map<string, any>();
        for (const a of g.actions) {
          const name = typeof a === 'string' ? a : a?.action;
          if (typeof name === 'string') written.set(name, a);
        }
        // One shared expansion per distinct list of patterns.
        const set = actionSetOf([...written.keys()]);
        if (set.open.length > 0) open = true;
        for (let k = 0; k < set.actions.length; k++) {
          const x = set.actions[k];
          if (actions.has(set.lowerList[k])) continue;
          const fromRegister = set.allKnown ? undefined : [...written.entries()].find(([n]) => n.toLowerCase() === set.lowerList[k])?.[1];
          actions.set(set.lowerList[k], awsActionFacts(x, typeof fromRegister === 'object' ? fromRegister : undefined));
        }
      }
      const facts = [...actions.values()];
      const privileged = facts.filter((f) => f.privileged || f.credentialExposing).length;
      return `${open ? 'every action; ' : ''}${levelCounts(facts)}${privileged > 0 ? ` (${privileged} privileged)` : ''} on ${plural(resources.size, 'resource')}`;
    }
    case 'google-role': {
      const privileged = scope.filter((g) => g.privileged === true || googleRoleFamily(g.role).privileged).length;
      const roles = [...new Set(scope.map((g) => String(g.role).replace(/^roles\//, '')))].sort(byString);
      return `${roles.length <= 2 ? roles.join(', ') : plural(roles.length, 'role')}${privileged > 0 ? ` (${privileged} privileged)` : ''} on ${plural(scope.length, 'binding')}`;
    }
    case 'api-stage': return `${plural(scope.length, 'API stage')}: ${scope.slice(0, 2).map((s) => `${s.restApiId}/${s.stage}`).join(', ')}${scope.length > 2 ? ', …' : ''}`;
    case 'api-target': return `${plural(scope.length, 'API')}: ${scope.slice(0, 2).map((s) => s.service).join(', ')}${scope.length > 2 ? ', …' : ''}`;
    default: return plural(scope.length, 'scope entry', 'scope entries');
  }
}

function rotationText(i: NhiIdentity): string {
  if (i.rotation) return `every ${i.rotation.days} days`;
  return i.credentials === 'none' ? 'none (no secret)' : 'NOT ROTATED';
}

/** `api-key, third party Globex` for an identity a vendor uses. */
function kindText(i: NhiIdentity): string {
  if (!i.vendor) return i.kind;
  const name = typeof i.vendor.name === 'string' && i.vendor.name !== '' ? i.vendor.name : 'unnamed';
  return `${i.kind}, third party ${name}`;
}

/** `; and 2 accepted by waivers (NHI_SCOPE_WIDENED)`: what the artifact holds beyond the declaration. */
function acceptedText(i: NhiIdentity): string {
  const accepted = Array.isArray(i.accepted) ? i.accepted : [];
  if (accepted.length === 0) return '';
  const codes = [...new Set(accepted.map((a) => String(a?.code)))].sort(byString);
  return `; and ${accepted.length} accepted by waiver${accepted.length === 1 ? '' : 's'} (${codes.join(', ')})`;
}

function rowsOf(synth: LoadedSynth, today: string): string[][] {
  return [...synth.identities].sort((a, b) => byString(a.path, b.path)).map((i) => [
    i.path,
    kindText(i),
    i.cloud,
    i.owner.team,
    `${i.expires} (${expiresIn(i.expires, today)})`,
    rotationText(i),
    scopeSummary(i) + acceptedText(i),
  ]);
}

/** One line per waiver in force: what it accepts, who owns it, why, until when. */
function waiverLines(synth: LoadedSynth, today: string): string[] {
  return [...synth.waivers]
    .sort((a, b) => byString(`${a.code}|${a.path ?? a.resourceType}`, `${b.code}|${b.path ?? b.resourceType}`))
    .map((w) => `${w.code} on ${w.path ?? `every ${w.resourceType}`}, owner ${w.owner?.team ?? 'unknown'}, until ${w.expires} (${expiresIn(w.expires, today)}): ${w.reason ?? ''}`);
}

const HEADER = ['Path', 'Kind', 'Cloud', 'Owner', 'Expires', 'Rotation', 'Scope'];

/** The register as a plain-text table. */
export function renderRegisterTable(synth: LoadedSynth, today: string): string {
  const n = synth.identities.length;
  const vendors = synth.identities.filter((i) => i.vendor).length;
  const waivers = waiverLines(synth, today);
  return textTable(HEADER, rowsOf(synth, today).map((r) => r.map(printable))) +
    `\n${plural(n, 'identity', 'identities')} in ${plural(synth.registers.length, 'stack')} (${printable(synth.dir)})` +
    `${vendors > 0 ? `, ${vendors} used by a third party` : ''}, expiries as of ${today}.\n` +
    (waivers.length > 0 ? `\nWaivers in force (${waivers.length}):\n${waivers.map((l) => `  ${printable(l)}\n`).join('')}` : '');
}

/** The register as a markdown table. */
export function renderRegisterMarkdown(synth: LoadedSynth, today: string): string {
  const rows = rowsOf(synth, today).map((r) => [safeMarkdown(code(r[0])), ...r.slice(1).map((c) => safeMarkdown(prose(c)))]);
  const waivers = waiverLines(synth, today);
  return `### NHI register\n\n${mdTable(HEADER, rows)}\n${plural(synth.identities.length, 'identity', 'identities')} in ${plural(synth.registers.length, 'stack')}, expiries as of ${today}.\n` +
    (waivers.length > 0 ? `\nWaivers in force (${waivers.length}):\n\n${waivers.map((l) => `- ${safeMarkdown(prose(l))}\n`).join('')}` : '');
}

/** The register as JSON: every identity with its stack and days left, and the waivers. */
export function renderRegisterJson(synth: LoadedSynth, today: string): string {
  return JSON.stringify({
    today,
    identities: [...synth.identities].sort((a, b) => byString(a.path, b.path)).map((i) => ({ ...i, expiresInDays: daysBetween(today, i.expires) })),
    waivers: synth.waivers,
  }, null, 2) + '\n';
}
