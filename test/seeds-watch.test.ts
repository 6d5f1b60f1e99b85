import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Library, type ReindexSummary } from '../src/core/library.ts';
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
});
