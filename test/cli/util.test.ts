import * as fc from 'fast-check';
import { code, plainText, printable, prose, safeMarkdown } from '../../lib/cli/util';

describe('escaping user strings (markdown-light)', () => {
  test('prose reads back as the same words in a terminal; in markdown it carries no HTML, marker or line break', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
      expect(plainText(prose(s))).toBe(printable(s));
      const md = safeMarkdown(prose(s));
      expect(md).not.toMatch(/[<>\n\r\u001b]/);
      expect(md).not.toContain('<!--');
    }), { numRuns: 60 });
  });

  test('code spans hold any value: never closed early, never an HTML comment in the raw text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
      expect(plainText(`x ${code(s)} y`)).toBe(`x ${code(s)} y`);
      const md = safeMarkdown(`x ${code(s)} y`);
      expect(md).not.toMatch(/[\n\r\u001b]/);
      expect(md).not.toContain('<!--');
      expect(md.startsWith('x ') && md.endsWith(' y')).toBe(true);
    }), { numRuns: 60 });
    expect(code('a`b')).toBe('`` a`b ``');
    expect(code('a``b`')).toBe('``` a``b` ```');
    expect(safeMarkdown(code('<!-- nhi-diff -->'))).toBe('<code>&lt;!-- nhi-diff --&gt;</code>');
  });

  test('printable shows control characters and bidirectional overrides as escapes', () => {
    expect(printable('a\u001b[31mb\nc\u202ed\u0085')).toBe('a\\x1b[31mb\\x0ac\\u202ed\\x85');
    expect(printable('plain ünïcødé — ok')).toBe('plain ünïcødé — ok');
  });
});
