// Small pure helpers shared by the `nhi` commands: stable JSON, deep equality, tables, words.

/** JSON with object keys sorted, so structurally equal values give the same string. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`).join(',')}}`;
}

// Structural equality of JSON values: the core's, shared with the artifact rule.
export { deepEqual } from '../core/private/json-equal';

/** `1 identity`, `2 identities`. */
export function plural(n: number, one: string, many?: string): string {
  return `${n} ${n === 1 ? one : (many ?? `${one}s`)}`;
}

/** Compares strings by code unit (stable across locales). */
export function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A plain-text table: header, dashed rule, left-aligned columns two spaces apart. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : (c ?? '').padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/**
 * Escapes a markdown-light value for a table cell: pipes (also inside code spans, as GFM
 * tables require). The value has no line breaks (see `printable`).
 */
export function mdCell(value: string): string {
  return value.replace(/\|/g, '\\|');
}

/** A markdown table. */
export function mdTable(header: string[], rows: string[][]): string {
  return [
    `| ${header.map(mdCell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
  ].join('\n') + '\n';
}

// Control characters (C0 with line breaks and tabs, DEL, C1) and the invisible bidirectional
// controls that reorder what a terminal or browser shows.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const HAS_UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Anything `code` or `prose` must act on (a fast path skips the rest). */
const NEEDS_CODE_WORK = /[`\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const NEEDS_PROSE_WORK = /[\\`*_[\]<>&~\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * A user-supplied string made safe to print: every control character (escape sequences, line
 * breaks, bidirectional overrides) shown as a visible `\xNN` / `\uNNNN` escape instead.
 */
export function printable(value: string): string {
  if (!HAS_UNPRINTABLE.test(value)) return value;
  return value.replace(UNPRINTABLE, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Inline code for markdown-light text: the value made printable, fenced by more backticks than
 * it contains in a row (CommonMark), so no value can close the span early.
 */
export function code(value: string): string {
  if (!NEEDS_CODE_WORK.test(value)) return `\`${value}\``;
  const v = printable(value);
  let longest = 0;
  for (const run of v.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  if (longest === 0) return `\`${v}\``;
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${v} ${fence}`;
}

/**
 * Free text a user wrote (a purpose, a justification, a reason, a team name) for markdown-light
 * text: made printable, and the characters markdown or HTML would act on backslash-escaped,
 * so it reads as the same words and cannot open a heading, a link, emphasis, an HTML tag or
 * comment, or a code span.
 */
export function prose(value: string): string {
  if (!NEEDS_PROSE_WORK.test(value)) return value;
  return printable(value).replace(/[\\`*_[\]<>&~]/g, (c) => `\\${c}`);
}

/**
 * Markdown-light (code spans from `code`, free text from `prose`) as plain text for a terminal:
 * escapes removed, code spans kept with their backticks.
 */
export function plainText(md: string): string {
  let out = '';
  let i = 0;
  while (i < md.length) {
    const c = md[i];
    if (c === '\\' && i + 1 < md.length && /[!-/:-@[-`{-~]/.test(md[i + 1])) {
      out += md[i + 1];
      i += 2;
    } else if (c === '`') {
      const span = codeSpanAt(md, i);
      out += span ? md.slice(i, span.end) : c;
      i = span ? span.end : i + 1;
    } else {
      out += c;
      i++;
    }
  }
  return printable(out);
}

/** The code span opening at `i` (a run of backticks closed by a run of the same length), if any. */
function codeSpanAt(md: string, i: number): { content: string; end: number } | undefined {
  let n = 0;
  while (md[i + n] === '`') n++;
  const fence = '`'.repeat(n);
  let j = md.indexOf(fence, i + n);
  while (j >= 0) {
    let m = 0;
    while (md[j + m] === '`') m++;
    if (m === n) {
      let content = md.slice(i + n, j);
      if (content.length >= 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1);
      return { content, end: j + n };
    }
    j = md.indexOf(fence, j + m);
  }
  return undefined;
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Markdown-light as markdown for a pull-request comment: code spans holding `<`, `>` or `&`
 * become `<code>` with their content HTML-escaped (so no value can carry an HTML comment or tag
 * into the comment's text, even inside a code span), escaped `<`, `>`, `&` become entities, the
 * other escapes of free text stay, anything unprintable is shown escaped.
 */
export function safeMarkdown(md: string): string {
  let out = '';
  let i = 0;
  const text = printable(md);
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1];
      // An escaped <, > or & as an entity: the comment's raw text never holds a tag or marker.
      out += next === '<' || next === '>' || next === '&' ? escapeHtml(next) : text.slice(i, i + 2);
      i += 2;
    } else if (c === '`') {
      const span = codeSpanAt(text, i);
      if (span) {
        // Inert when rendered; but a raw `<` could still carry an HTML comment (a second marker)
        // into the comment's text: such spans become <code> with the content escaped.
        out += /[<>&]/.test(span.content) ? `<code>${escapeHtml(span.content)}</code>` : text.slice(i, span.end);
        i = span.end;
      } else {
        out += '\\`';
        i++;
      }
    } else if (c === '<' || c === '>' || c === '&') {
      out += escapeHtml(c);
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Up to `max` items, then `and N more`. */
export function listSome(items: string[], max: number): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** A one-line rendering of a JSON value for messages, shortened (printable, not escaped). */
export function brief(value: unknown, max = 80): string {
  const s = printable(value === undefined ? '(none)' : value === null ? '(none)' : typeof value === 'string' ? value : stableStringify(value));
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
