// Renders a RegisterDiff: markdown for a pull-request comment (verdict first, one table,
// details collapsed), plain text for a terminal or CI log, or JSON.
import { severityEmoji } from './diff';
import { Change, IdentityDiff, RegisterDiff, Severity, SEVERITIES, severityRank } from './model';
import { code, mdTable, plainText, plural, printable, prose, safeMarkdown } from './util';

/** The first line of every PR comment, so a CI job can find and update its own comment. */
export const COMMENT_MARKER = '<!-- nhi-diff -->';

/** Rendering options. */
export interface RenderDiffOptions {
  /** Most table rows (and identities in the details) before "and N more". @default 50 */
  readonly maxRows?: number;
}

interface Row { readonly target: string; readonly team?: string; readonly change: Change }

function rows(diff: RegisterDiff): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < diff.identities.length; i++) {
    const d = diff.identities[i];
    for (let j = 0; j < d.changes.length; j++) out.push({ target: d.path, team: d.owner.team, change: d.changes[j] });
  }
  for (const w of diff.waivers) for (const c of w.changes) out.push({ target: w.target, change: c });
  // Most severe first; within a severity, by identity, then in the order found (the sort is stable).
  return out.sort((a, b) => severityRank(a.change.severity) - severityRank(b.change.severity) || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}

function sortedBy<T>(xs: readonly T[], key: (x: T) => string): boolean {
  for (let i = 1; i < xs.length; i++) if (key(xs[i]) < key(xs[i - 1])) return false;
  return true;
}

/** Walks the changes of one severity, target by target, in order. */
class SeverityCursor {
  private i = 0;
  private j = -1;

  public constructor(private readonly targets: readonly { readonly changes: Change[] }[], private readonly severity: Severity) {}

  /** Moves to the next change of the severity; false at the end. */
  public next(): boolean {
    for (;;) {
      this.j++;
      while (this.i < this.targets.length && this.j >= this.targets[this.i].changes.length) {
        this.i++;
        this.j = 0;
      }
      if (this.i >= this.targets.length) return false;
      if (this.targets[this.i].changes[this.j].severity === this.severity) return true;
    }
  }

  public get index(): number {
    return this.i;
  }

  public get change(): Change {
    return this.targets[this.i].changes[this.j];
  }
}

/**
 * The first `max` rows of `rows(diff)` and how many there are. A diff as diffRegisters makes it
 * (identities sorted by path, waivers by target) is walked severity by severity, merging the two
 * sorted lists, so a large diff is not sorted whole; any other order is sorted.
 */
function topRows(diff: RegisterDiff, max: number): { rows: Row[]; total: number } {
  let total = 0;
  for (const d of diff.identities) total += d.changes.length;
  for (const w of diff.waivers) total += w.changes.length;
  if (max <= 0 || total <= max || !sortedBy(diff.identities, (d) => d.path) || !sortedBy(diff.waivers, (w) => w.target)) {
    const all = rows(diff);
    return { rows: all.slice(0, max), total: all.length };
  }
  const out: Row[] = [];
  for (let k = 0; k < SEVERITIES.length && out.length < max; k++) {
    const a = new SeverityCursor(diff.identities, SEVERITIES[k]);
    const b = new SeverityCursor(diff.waivers, SEVERITIES[k]);
    let hasA = a.next();
    let hasB = b.next();
    while (out.length < max && (hasA || hasB)) {
      // On the same target an identity's rows come first (they come first in rows()).
      if (hasA && (!hasB || !(diff.waivers[b.index].target < diff.identities[a.index].path))) {
        const d = diff.identities[a.index];
        out.push({ target: d.path, team: d.owner.team, change: a.change });
        hasA = a.next();
      } else {
        out.push({ target: diff.waivers[b.index].target, change: b.change });
        hasB = b.next();
      }
    }
  }
  return { rows: out, total };
}

function statusText(d: IdentityDiff): string {
  switch (d.status) {
    case 'added': return 'new';
    case 'removed': return 'offboarded';
    case 'moved': return `moved from ${code(d.from ?? '?')}`;
    default: return 'changed';
  }
}

/**
 * Markdown for a pull-request comment. Empty string when no identity (or waiver) changed, so
 * a CI job posts nothing.
 */
export function renderDiffMarkdown(diff: RegisterDiff, options: RenderDiffOptions = {}): string {
  if (diff.identities.length === 0 && diff.waivers.length === 0) return '';
  const max = options.maxRows ?? 50;
  const sev = diff.severity ?? 'info';
  const lines: string[] = [COMMENT_MARKER, `### ${severityEmoji(sev)} NHI review (${sev}): ${diff.verdict}`, ''];
  const c = diff.counts;
  lines.push(`${plural(c.added, 'identity', 'identities')} added, ${c.changed} changed, ${c.removed} offboarded, ${c.unchanged} unchanged` +
    `${diff.waivers.length > 0 ? `; ${plural(diff.waivers.length, 'waiver target')} changed` : ''}. Expiries judged against ${diff.today}.`, '');
  const top = topRows(diff, max);
  // Every user-supplied string reaches the comment through code() or prose() (in the summaries)
  // and safeMarkdown(): it cannot add headings, HTML, comment markers or break the table.
  lines.push(mdTable(['Severity', 'Identity', 'Owner', 'Change'], top.rows.map((r) => [
    `${severityEmoji(r.change.severity)} ${r.change.severity}`,
    safeMarkdown(code(r.target)),
    r.team !== undefined ? safeMarkdown(prose(r.team)) : '',
    safeMarkdown(r.change.summary),
  ])).trimEnd());
  if (top.total > max) lines.push('', `…and ${plural(top.total - max, 'more change')} (run \`nhi diff --format text\` for all).`);
  lines.push('', `<details><summary>Details of ${plural(diff.identities.length + diff.waivers.length, 'identity', 'identities')}</summary>`, '');
  for (const d of diff.identities.slice(0, max)) {
    lines.push(`#### ${severityEmoji(d.severity)} ${safeMarkdown(code(d.path))} — ${safeMarkdown(statusText(d))}`, '');
    lines.push(safeMarkdown(`${prose(d.cloud)} ${prose(d.kind)}, owner ${prose(d.owner.team)} (${prose(d.owner.contact)}) — “${prose(d.purpose)}”`), '');
    for (const ch of d.changes) {
      lines.push(`- ${severityEmoji(ch.severity)} ${safeMarkdown(ch.summary)}`);
      for (const x of ch.details ?? []) lines.push(`  - ${safeMarkdown(x)}`);
    }
    lines.push('');
  }
  for (const w of diff.waivers.slice(0, Math.max(0, max - diff.identities.length))) {
    lines.push(`#### ${severityEmoji(w.severity)} waiver on ${safeMarkdown(code(w.target))}`, '');
    for (const ch of w.changes) lines.push(`- ${severityEmoji(ch.severity)} ${safeMarkdown(ch.summary)}`);
    lines.push('');
  }
  const hidden = diff.identities.length + diff.waivers.length - max;
  if (hidden > 0) lines.push(`…and ${plural(hidden, 'more identity', 'more identities')}.`, '');
  lines.push('</details>', '', '<sub>Severity: 🔴 critical · 🟠 high · 🟡 medium · 🔵 low · 🟢 info (good news). Generated by <code>nhi diff</code> from the NHI registers of both synths.</sub>');
  return lines.join('\n') + '\n';
}

function targetLines(label: string, head: string, changes: Change[]): string[] {
  const out = [printable(`${label}${head}`)];
  for (const c of changes) {
    out.push(`  ${c.severity.toUpperCase().padEnd(8)} ${plainText(c.summary)}`);
    for (const x of c.details ?? []) out.push(`           - ${plainText(x)}`);
  }
  return out;
}

/** Plain text for a terminal or CI log. */
export function renderDiffText(diff: RegisterDiff): string {
  if (diff.identities.length === 0 && diff.waivers.length === 0) return 'nhi diff: no change to non-human identities.\n';
  const c = diff.counts;
  const lines = [
    `nhi diff (${diff.severity ?? 'info'}): ${diff.verdict}`,
    `${plural(c.added, 'identity', 'identities')} added, ${c.changed} changed, ${c.removed} offboarded, ${c.unchanged} unchanged (expiries judged against ${diff.today})`,
    '',
  ];
  for (const d of diff.identities) {
    lines.push(...targetLines(`${d.path} `, `[${d.status === 'moved' ? `moved from ${d.from ?? '?'}` : statusText(d)}; ${d.cloud} ${d.kind}; owner ${d.owner.team}]`, d.changes), '');
  }
  for (const w of diff.waivers) lines.push(...targetLines('waiver on ', w.target, w.changes), '');
  return lines.join('\n');
}

/** JSON (the RegisterDiff as is). */
export function renderDiffJson(diff: RegisterDiff): string {
  return JSON.stringify(diff, null, 2) + '\n';
}
