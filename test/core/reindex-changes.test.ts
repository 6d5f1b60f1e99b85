import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/core/answer.ts';
import { Library } from '../../src/core/library.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-reindex-'));
  await writeFile(path.join(dir, 'a.txt'), 'Rovers sign striker\n\nRovers signed a striker for £3m.');
  await writeFile(path.join(dir, 'b.txt'), 'United lose\n\nUnited lost 2-1 at home.');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('reindex of an unchanged folder', () => {
  it('keeps the archive when no file changed size or time', async () => {
    const library = await Library.open({ seedsDir: dir });
    const before = library.archive;
    const summary = await library.reindex();
    expect(summary).toMatchObject({ added: [], changed: [], removed: [], articles: 2, problems: [] });
    expect(library.archive).toBe(before);
  });

  it('keeps the archive when files were touched but not edited, and notices an edit after that', async () => {
    const library = await Library.open({ seedsDir: dir });
    const before = library.archive;
    await utimes(path.join(dir, 'a.txt'), new Date('2030-01-01'), new Date('2030-01-01'));
    expect((await library.reindex()).changed).toEqual([]);
    expect(library.archive).toBe(before);

    await writeFile(path.join(dir, 'a.txt'), 'Rovers sign striker\n\nRovers signed a striker for £4m.');
    expect((await library.reindex()).changed).toEqual(['a']);
    expect(library.archive).not.toBe(before);
    expect(answerQuestion(library.archive, 'How much did Rovers pay for the striker?').answer).toBe('£4m');
  });

  it('rebuilds from scratch when asked for a full reindex', async () => {
    const library = await Library.open({ seedsDir: dir });
    const before = library.archive;
    const summary = await library.reindex({ full: true });
    expect(summary).toMatchObject({ added: [], changed: [], removed: [], articles: 2 });
    expect(library.archive).not.toBe(before);
    expect(library.archive.stats.passages).toBe(before.stats.passages);
  });
});
