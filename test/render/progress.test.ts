import { describe, expect, it } from 'vitest';
import { ProgressLine, progressText } from '../../src/render/progress.ts';
import { fakeTerminal } from '../support/fake-terminal.ts';

describe('progressText', () => {
  it('says what has been read or indexed, with plurals and the seconds elapsed', () => {
    expect(progressText({ phase: 'reading', read: 1200, files: 2225 }, 3140)).toBe('Reading articles: 1,200 of 2,225 files · 3.1 s');
    expect(progressText({ phase: 'reading', read: 1, files: 1 }, 40)).toBe('Reading articles: 1 of 1 file · 40 ms');
    expect(progressText({ phase: 'reading', read: 2225, files: 2225 }, 125_300)).toBe('Reading articles: 2,225 of 2,225 files · 2 min 5 s');
    expect(progressText({ phase: 'indexing', indexed: 1024, articles: 2225, passages: 9800, figures: 1 }, 5200)).toBe(
      'Indexing: 1,024 of 2,225 articles · 9,800 passages · 1 figure · 5.2 s',
    );
  });
});

describe('ProgressLine', () => {
  it('redraws one line in place at most every 100 ms (at once on a new phase), and erases it', async () => {
    const terminal = fakeTerminal(80);
    let now = 0;
    const line = new ProgressLine(terminal.output, () => now);
    line.update({ phase: 'reading', read: 1, files: 3 });
    now = 50;
    line.update({ phase: 'reading', read: 2, files: 3 });
    expect(await terminal.screen()).toBe('Reading articles: 1 of 3 files · 0 ms');
    now = 150;
    line.update({ phase: 'reading', read: 3, files: 3 });
    expect(await terminal.screen()).toBe('Reading articles: 3 of 3 files · 150 ms');
    now = 160;
    line.update({ phase: 'indexing', indexed: 3, articles: 3, passages: 12, figures: 4 });
    expect(await terminal.screen()).toBe('Indexing: 3 of 3 articles · 12 passages · 4 figures · 160 ms');
    line.clear();
    terminal.output.write('Ready.\n');
    expect(await terminal.screen()).toBe('Ready.');
  });

  it('never wraps on a narrow terminal, so it can be redrawn', async () => {
    const terminal = fakeTerminal(30);
    new ProgressLine(terminal.output, () => 0).update({ phase: 'indexing', indexed: 3, articles: 3, passages: 12, figures: 4 });
    expect(await terminal.screen()).toBe('Indexing: 3 of 3 articles · 1');
  });
});
