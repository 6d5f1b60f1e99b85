import { describe, expect, it } from 'vitest';
import { ReindexBusyError, type ReindexSummary } from '../../src/core/library.ts';
import { libraryIndexer } from '../../src/feeds/library-indexer.ts';

describe('libraryIndexer', () => {
  it('reindexes, waiting for an admin reindex already running', async () => {
    let calls = 0;
    const library = {
      reindex(): Promise<ReindexSummary> {
        calls++;
        return calls < 3 ? Promise.reject(new ReindexBusyError()) : Promise.resolve({} as ReindexSummary);
      },
    };
    await libraryIndexer(library, 1).articlesChanged(['feeds/a/b.md']);
    expect(calls).toBe(3);
  });

  it('gives up after its attempts, and passes other errors on', async () => {
    const busy = { reindex: (): Promise<ReindexSummary> => Promise.reject(new ReindexBusyError()) };
    await expect(libraryIndexer(busy, 1, 2).articlesChanged([])).rejects.toThrow(ReindexBusyError);
    const broken = { reindex: (): Promise<ReindexSummary> => Promise.reject(new Error('disk')) };
    await expect(libraryIndexer(broken, 1).articlesChanged([])).rejects.toThrow('disk');
  });
});
