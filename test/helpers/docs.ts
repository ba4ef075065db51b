/**
 * The user documentation: README.md and every page under docs/. Tests that check what the
 * documentation says (examples, error codes, generated tables, quoted output) read it through here,
 * so content can move between the README and the pages without breaking them.
 */
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');

/** README.md and docs/*.md, as paths relative to the repository root. */
export function docFiles(): string[] {
  const dir = path.join(ROOT, 'docs');
  const pages = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`) : [];
  return ['README.md', ...pages];
}

/** The text of one documentation file (relative path). */
export function readDoc(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

/** README.md and every docs page, concatenated (each file starts on a new line). */
export function readAllDocs(): string {
  return docFiles().map(readDoc).join('\n');
}

/** GitHub's anchor for a heading text. */
export function headingAnchor(text: string): string {
  return text.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replace(/ /g, '-');
}

/** The headings of a markdown text outside code fences: level and text. */
export function headings(markdown: string): { level: number; text: string }[] {
  const out: { level: number; text: string }[] = [];
  let fence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    const m = !fence && /^(#{1,6}) (.*)$/.exec(line);
    if (m) out.push({ level: m[1].length, text: m[2] });
  }
  return out;
}

/** The anchors a markdown text defines (GitHub numbers repeated headings -1, -2, ...). */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const h of headings(markdown)) {
    const base = headingAnchor(h.text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}
