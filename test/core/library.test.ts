import { mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/core/answer.ts';
import { Library, ReindexBusyError, ReindexFailedError } from '../../src/core/library.ts';
import type { IndexProgress } from '../../src/core/progress.ts';

let dir: string;
const at = new Date('2026-01-01T12:00:00Z');

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-library-'));
  await writeFile(path.join(dir, 'a.txt'), 'Rovers sign striker\n\nRovers signed a striker for £3m.');
  await writeFile(path.join(dir, 'b.txt'), 'United lose\n\nUnited lost 2-1 at home.');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Library', () => {
  it('reindexes and reports what was added, changed and removed', async () => {
    const library = await Library.open({ seedsDir: dir, now: () => at });
    await writeFile(path.join(dir, 'a.txt'), 'Rovers sign striker\n\nRovers signed a striker for £4m.');
    await rm(path.join(dir, 'b.txt'));
    await writeFile(path.join(dir, 'c.txt'), 'City win\n\nCity won the cup.');
    await writeFile(path.join(dir, 'd.txt'), 'date 2026-02-31 Bad date.');
    const summary = await library.reindex();
    expect(summary).toMatchObject({
      added: ['c'],
      changed: ['a'],
      removed: ['b'],
      articles: 2,
      passages: 2,
      problems: [{ file: 'd.txt', reason: 'malformed date "2026-02-31": is not a calendar date' }],
      finishedAt: at,
    });
    expect(library.lastReindex).toBe(summary);
    expect(answerQuestion(library.archive, 'How much did Rovers pay for the striker?').answer).toBe('£4m');
  });

  it('reports progress: each file read, then the articles indexed with their passages and figures', async () => {
    const opened: IndexProgress[] = [];
    const library = await Library.open({ seedsDir: dir, now: () => at, onProgress: (p) => opened.push(p) });
    // Every file read is reported; indexing reports once per time slice, so a busy machine may
    // add a step before the last, which always gives the totals.
    const reading = opened.filter((p) => p.phase === 'reading');
    const indexing = opened.flatMap((p) => (p.phase === 'indexing' ? [p] : []));
    expect(reading).toEqual([
      { phase: 'reading', read: 1, files: 2 },
      { phase: 'reading', read: 2, files: 2 },
    ]);
    expect(opened.slice(0, 2)).toEqual(reading);
    expect(indexing.at(-1)).toEqual({ phase: 'indexing', indexed: 2, articles: 2, passages: 2, figures: library.archive.stats.figures });
    expect(indexing.map((p) => p.indexed)).toEqual([...indexing.map((p) => p.indexed)].sort((a, b) => a - b));
    expect(opened).toHaveLength(reading.length + indexing.length);
    await writeFile(path.join(dir, 'c.txt'), 'City win\n\nCity won the cup.');
    const reindexed: IndexProgress[] = [];
    await library.reindex({ onProgress: (p) => reindexed.push(p) });
    expect(reindexed.at(-1)).toEqual({ phase: 'indexing', indexed: 3, articles: 3, passages: 3, figures: library.archive.stats.figures });
    // Only the new file is read: the others kept their size and time.
    expect(reindexed.filter((p) => p.phase === 'reading')).toEqual([{ phase: 'reading', read: 1, files: 1 }]);
    // A full reindex reads every file.
    const full: IndexProgress[] = [];
    await library.reindex({ full: true, onProgress: (p) => full.push(p) });
    expect(full.filter((p) => p.phase === 'reading')).toHaveLength(3);
  });

  it('keeps answering from the old archive while a reindex runs, then swaps in the new one', async () => {
    const library = await Library.open({ seedsDir: dir });
    const before = library.archive;
    await writeFile(path.join(dir, 'c.txt'), 'City win\n\nCity won the cup final.');
    const running = library.reindex();
    expect(library.reindexing).toBe(true);
    expect(library.archive).toBe(before);
    await running;
    expect(library.reindexing).toBe(false);
    expect(library.archive).not.toBe(before);
    expect(library.archive.article('c')).toBeDefined();
  });

  it('warms up on its own headlines without touching the archive', async () => {
    const library = await Library.open({ seedsDir: dir });
    const before = library.archive;
    library.warmUp(5);
    expect(library.archive).toBe(before);
    expect(answerQuestion(library.archive, 'How much did Rovers pay for the striker?').answer).toBe('£3m');
  });

  it("makes a full reindex's lookups before it swaps the archive in, once warmed up (and only then)", async () => {
    // More terms than the tree of live terms takes in one step: made after the swap, in steps with
    // pauses between, it would not be made yet when the reindex returns.
    const letters = (n: number): string => (n < 26 ? '' : letters(Math.floor(n / 26) - 1)) + String.fromCharCode(97 + (n % 26));
    const words = Array.from({ length: 12_000 }, (_, i) => `zq${letters(i)}`);
    const paragraphs = Array.from({ length: 40 }, (_, p) => `${words.slice(p * 300, (p + 1) * 300).join(' ')}.`);
    await writeFile(path.join(dir, 'c.txt'), `Word list\n\n${paragraphs.join('\n\n')}`);
    const cold = await Library.open({ seedsDir: dir });
    await cold.reindex({ full: true });
    expect(cold.archive.lookupsMade).toBe(false);
    const library = await Library.open({ seedsDir: dir });
    library.warmUp(2);
    await library.reindex({ full: true });
    // No question that looks up a misspelt word or a title prefix makes them in one go.
    expect(library.archive.lookupsMade).toBe(true);
  });

  it('refuses a second reindex while one runs', async () => {
    const library = await Library.open({ seedsDir: dir });
    const first = library.reindex();
    await expect(library.reindex()).rejects.toBeInstanceOf(ReindexBusyError);
    await first;
  });

  it('keeps the old archive when the folder is gone or holds no loadable article', async () => {
    const library = await Library.open({ seedsDir: dir });
    const before = library.archive;
    await rm(path.join(dir, 'a.txt'));
    await writeFile(path.join(dir, 'b.txt'), '');
    const failure = library.reindex();
    await expect(failure).rejects.toBeInstanceOf(ReindexFailedError);
    await expect(failure).rejects.toMatchObject({
      message: `Nothing to index in ${dir}: none of its 1 files could be loaded; still serving the previous index.`,
      problems: [{ file: 'b.txt', reason: 'the file is empty' }],
    });
    await rm(dir, { recursive: true, force: true });
    await expect(library.reindex()).rejects.toThrow(`the folder ${dir} does not exist; still serving the previous index.`);
    expect(library.archive).toBe(before);
    expect(answerQuestion(library.archive, 'How much did Rovers pay for the striker?').answer).toBe('£3m');
  });
  it('reads again a file that became a link, or stopped being one, though its size and time stayed', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'factdesk-library-outside-'));
    try {
      const library = await Library.open({ seedsDir: dir, now: () => at });
      // Moved out (a rename keeps the time) and linked back: a link out of the folder is never read.
      await rename(path.join(dir, 'a.txt'), path.join(outside, 'a.txt'));
      await symlink(path.join(outside, 'a.txt'), path.join(dir, 'a.txt'));
      const linked = await library.reindex();
      expect(linked).toMatchObject({ removed: ['a'], articles: 1 });
      expect(linked.problems).toEqual([
        { file: 'a.txt', reason: 'the file is a link to a place outside the articles folder, which is never read' },
      ]);
      // The file moved back in place of its link: read again, an article once more.
      await rm(path.join(dir, 'a.txt'));
      await rename(path.join(outside, 'a.txt'), path.join(dir, 'a.txt'));
      expect(await library.reindex()).toMatchObject({ added: ['a'], articles: 2, problems: [] });
      expect(answerQuestion(library.archive, 'How much did Rovers pay for the striker?').answer).toBe('£3m');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
