import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { rowsOnScreen, terminalColumns, wrapForTerminal } from '../../src/render/terminal-wrap.ts';

describe('wrapForTerminal', () => {
  it('continues a line under the text after its marker', () => {
    expect(wrapForTerminal('[1] The bridge opened in 2004 after years of delay', 30)).toBe(
      '[1] The bridge opened in 2004\n    after years of delay',
    );
    expect(wrapForTerminal('  • 1,200 daily crossings (count) [1] in the first year', 30)).toBe(
      '  • 1,200 daily crossings\n    (count) [1] in the first\n    year',
    );
    expect(wrapForTerminal('12. Passage text that runs past the edge [3]', 24)).toBe(
      '12. Passage text that\n    runs past the edge\n    [3]',
    );
    expect(wrapForTerminal('¶4 A paragraph of the article that wraps', 24)).toBe('¶4 A paragraph of the\n   article that wraps');
    expect(wrapForTerminal('      Ask the news archive a question', 26)).toBe('      Ask the news archive\n      a question');
  });

  it('leaves short lines, blank lines and indentation alone', () => {
    expect(wrapForTerminal('Sources\n\n  [1] Title — 6 Nov 2023', 80)).toBe('Sources\n\n  [1] Title — 6 Nov 2023');
  });

  it('cuts a word longer than the line, and drops the hanging indent on a very narrow terminal', () => {
    expect(wrapForTerminal('id: 000_ebfcda1f30342ff9', 10)).toBe('id:\n000_ebfcda\n1f30342ff9');
    expect(wrapForTerminal('[1] Syrian President', 22)).toBe('[1] Syrian President');
    expect(wrapForTerminal('[1] Syrian President Assad', 22)).toBe('[1] Syrian President\nAssad');
  });

  it('measures the indent without bold codes, and keeps them', () => {
    const bold = (s: string): string => `\u001b[1m${s}\u001b[22m`;
    const wrapped = wrapForTerminal(`${bold('Q:')} How many people crossed the bridge every day?`, 30);
    expect(stripVTControlCharacters(wrapped)).toBe('Q: How many people crossed the\n   bridge every day?');
    expect(wrapped.startsWith(bold('Q:'))).toBe(true);
  });

  it('never prints a line wider than the terminal, and keeps every word in order', () => {
    // Single-width characters, one UTF-16 unit each, so a line's length is its width.
    const word = fc.stringMatching(/^[a-z0-9,.’]{1,12}$/u);
    const marker = fc.constantFrom('', '  ', '[1] ', '12. ', '  • ', '¶3 ', '   — ');
    const line = fc.tuple(marker, fc.array(word, { minLength: 1, maxLength: 40 })).map(([m, words]) => m + words.join(' '));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), fc.integer({ min: 13, max: 200 }), (lines, columns) => {
        const text = lines.join('\n');
        const wrapped = wrapForTerminal(text, columns);
        for (const l of wrapped.split('\n')) expect(l.length).toBeLessThanOrEqual(columns);
        // Words no longer than a line are never cut, so the words read the same.
        expect(wrapped.split(/\s+/u).filter(Boolean)).toEqual(text.split(/\s+/u).filter(Boolean));
      }),
    );
  });
});

describe('terminalColumns', () => {
  it('is the width of a terminal, and null for a pipe', () => {
    expect(terminalColumns(Object.assign(new PassThrough(), { isTTY: true, columns: 97 }))).toBe(97);
    expect(terminalColumns(Object.assign(new PassThrough(), { isTTY: false, columns: 97 }))).toBeNull();
    expect(terminalColumns(new PassThrough())).toBeNull();
  });
});

describe('rowsOnScreen', () => {
  it('counts a row for each line, more for one wider than the terminal; escape codes take none, wide characters two', () => {
    expect(rowsOnScreen(['factdesk> hello', '', 'x'.repeat(80)], 80)).toBe(3);
    expect(rowsOnScreen(['x'.repeat(81)], 80)).toBe(2);
    expect(rowsOnScreen([`\u001b[1m${'x'.repeat(80)}\u001b[22m`], 80)).toBe(1);
    expect(rowsOnScreen(['日本語'], 5)).toBe(2);
  });
});
