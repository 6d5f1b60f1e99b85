import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Library, ReindexFailedError, type ReindexOptions, type ReindexSummary } from '../src/core/library.ts';
import { watchSeeds } from '../src/seeds-watch.ts';

let dir: string;
let stop: (() => void) | null = null;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-watch-'));
  await writeFile(path.join(dir, 'a.txt'), 'Rovers sign striker\n\nRovers signed a striker for £3m.');
});

afterEach(async () => {
  stop?.();
  await rm(dir, { recursive: true, force: true });
});

describe('watchSeeds', () => {
  it('reindexes after writes, once the folder has been quiet', async () => {
    const library = await Library.open({ seedsDir: dir });
    const outcomes: ReindexSummary[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stop = watchSeeds({
        library,
        debounceMs: 200,
        onReindex: (outcome) => {
          if ('error' in outcome) reject(outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error)));
          else {
            outcomes.push(outcome.summary);
            if (outcome.summary.articles === 3) resolve();
          }
        },
      });
    });
    await writeFile(path.join(dir, 'b.txt'), 'United lose\n\nUnited lost 2-1 at home.');
    await writeFile(path.join(dir, 'c.txt'), 'City win\n\nCity won the cup.');
    await done;
    // One reindex for the burst, unless the machine was slow enough to split it.
    expect(outcomes.flatMap((o) => o.added).sort()).toEqual(['b', 'c']);
    expect(library.archive.stats.articles).toBe(3);
  });

  it('tells the reindex the files it saw change, and after a failed reindex has it check the whole folder', async () => {
    const library = await Library.open({ seedsDir: dir });
    const told: ReindexOptions[] = [];
    const reindex = library.reindex.bind(library);
    let fail = true;
    vi.spyOn(library, 'reindex').mockImplementation((options = {}) => {
      told.push(options);
      if (fail) {
        fail = false;
        return Promise.reject(new ReindexFailedError('the disk is away'));
      }
      return reindex(options);
    });
    const outcomes: ({ summary: ReindexSummary } | { error: unknown })[] = [];
    let settled = (): void => undefined;
    stop = watchSeeds({
      library,
      debounceMs: 100,
      onReindex: (outcome) => {
        outcomes.push(outcome);
        settled();
      },
    });
    const next = (): Promise<void> =>
      new Promise((resolve) => {
        settled = resolve;
      });
    let reindexed = next();
    await writeFile(path.join(dir, 'b.txt'), 'United lose\n\nUnited lost 2-1 at home.');
    await reindexed;
    // The first reindex since the watch began checks everything (see the test below).
    expect(told[0]?.files).toBeUndefined();
    expect(outcomes[0]).toHaveProperty('error');
    reindexed = next();
    await writeFile(path.join(dir, 'c.txt'), 'City win\n\nCity won the cup.');
    await reindexed;
    // The failed reindex's files were not taken in: this one checks everything, and finds both.
    expect(told[1]?.files).toBeUndefined();
    expect(outcomes[1]).toMatchObject({ summary: { added: ['b', 'c'] } });
    reindexed = next();
    await writeFile(path.join(dir, 'c.txt'), 'City win again\n\nCity won the cup again.');
    await reindexed;
    expect(told[2]?.files).toEqual(['c.txt']);
    expect(outcomes[2]).toMatchObject({ summary: { changed: ['c'] } });
  });

  it('has its first reindex check the whole folder, so an edit made before the watch began is taken in', async () => {
    const library = await Library.open({ seedsDir: dir });
    // Edited after the load but before the watch: no event will name it.
    await writeFile(path.join(dir, 'a.txt'), 'Rovers sell striker\n\nRovers sold their striker for £5m.');
    const summary = new Promise<ReindexSummary>((resolve, reject) => {
      stop = watchSeeds({
        library,
        debounceMs: 100,
        onReindex: (outcome) => {
          if ('error' in outcome) reject(outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error)));
          else resolve(outcome.summary);
        },
      });
    });
    await writeFile(path.join(dir, 'b.txt'), 'United lose\n\nUnited lost 2-1 at home.');
    expect(await summary).toMatchObject({ added: ['b'], changed: ['a'] });
    expect(library.archive.article('a')?.article.title).toBe('Rovers sell striker');
  });
});
