import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/core/articles.ts';
import { defuseMarkdown, markdownWeight, MAX_MARKDOWN_NESTING, MAX_TABLE_COLUMNS } from '../../src/core/markdown-limits.ts';

describe('defuseMarkdown', () => {
  it('leaves ordinary Markdown as it is', () => {
    const text =
      '# Title\n\nLeaders **agreed** on [a plan](https://example.com/plan).\n\n> - quoted item\n> - another\n\n1. First\n2. Second\n';
    expect(defuseMarkdown(text)).toBe(text);
  });

  it('escapes container markers past the nesting cap', () => {
    const deep = '>'.repeat(12) + ' text';
    const out = defuseMarkdown(deep);
    expect(out).toBe(`${'>'.repeat(MAX_MARKDOWN_NESTING)}\\${'>'.repeat(12 - MAX_MARKDOWN_NESTING)} text`);
    expect(defuseMarkdown('- '.repeat(10) + 'a')).toBe(`${'- '.repeat(MAX_MARKDOWN_NESTING)}\\- - a`);
  });

  it('escapes the inline marks of a block that holds too many, so they show as written', () => {
    expect(defuseMarkdown('*a'.repeat(50))).toBe('\\*a'.repeat(50));
    expect(defuseMarkdown('*a*'.repeat(4))).toBe('*a*'.repeat(4));
    expect(defuseMarkdown('~~a'.repeat(30))).toBe('\\~\\~a'.repeat(30));
  });

  it('keeps a table wider than the column cap from being one, by escaping each line’s first pipe', () => {
    const row = (cell: string, n: number): string => `${`| ${cell} `.repeat(n)}|`;
    expect(defuseMarkdown([row('a', MAX_TABLE_COLUMNS), row('-', MAX_TABLE_COLUMNS)].join('\n'))).toBe(
      [row('a', MAX_TABLE_COLUMNS), row('-', MAX_TABLE_COLUMNS)].join('\n'),
    );
    expect(defuseMarkdown([row('a', MAX_TABLE_COLUMNS + 1), row('-', MAX_TABLE_COLUMNS + 1)].join('\n'))).toBe(
      [`\\${row('a', MAX_TABLE_COLUMNS + 1)}`, `\\${row('-', MAX_TABLE_COLUMNS + 1)}`].join('\n'),
    );
  });

  it('keeps every character of the text, only adding backslashes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('*', '_', '~', '|', '[', ']', '`', '<', '>', '-', ' ', '\n', 'a', '1', '.') }),
        (text) => {
          expect(defuseMarkdown(text).replaceAll('\\', '')).toBe(text.replaceAll('\\', ''));
        },
      ),
    );
  });

  it('weighs marks and lines', () => {
    expect(markdownWeight('plain words')).toBe(0);
    expect(markdownWeight('*a*\n[b]')).toBe(5);
  });
});

describe('pathological Markdown articles', () => {
  const body = (file: string, text: string): readonly string[] => parseArticle(file, `# Title\n\nIntro.\n\n${text}\n`).paragraphs;

  it('4,500 ">" load without a stack overflow', () => {
    expect(body('a.md', '>'.repeat(4500)).join('\n')).toContain('>'.repeat(4500 - MAX_MARKDOWN_NESTING));
  });

  it('4,500 nested list markers load without a stack overflow', () => {
    expect(body('a.md', '- '.repeat(4500) + 'end').at(-1)).toMatch(/end$/u);
  });

  it('runs of unmatched emphasis and brackets come out as literal text', () => {
    expect(body('a.md', '*a'.repeat(2000)).at(-1)).toBe('*a'.repeat(2000));
    expect(body('a.md', '['.repeat(3000) + ']'.repeat(3000)).at(-1)).toBe('['.repeat(3000) + ']'.repeat(3000));
    expect(body('a.md', '~~a'.repeat(2000)).at(-1)).toBe('~~a'.repeat(2000));
  });

  it('a table thousands of columns wide comes out as its literal text', () => {
    const wide = ['| a '.repeat(3000), '| - '.repeat(3000), '| b '.repeat(3000)].map((l) => `${l}|`);
    expect(body('a.md', wide.join('\n')).at(-1)).toBe(wide.join('\n'));
  });

  it('a file denser than the parse can take quickly is a problem that says so', () => {
    expect(() => body('a.md', '*a'.repeat(32 * 1024))).toThrow(
      'the Markdown is too dense to parse: 32,774 marks and lines, over the limit of 20,000',
    );
  });
});
