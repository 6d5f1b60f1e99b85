import { ReindexBusyError, type Library } from '../core/library.ts';
import type { ArticleIndexer } from './feed-poller.ts';

/**
 * Indexes feed articles through the library, whose reindex is incremental: only the new and
 * changed files are read and worked out, and the archive is updated in place of a rebuild.
 */
export function libraryIndexer(library: Pick<Library, 'reindex'>, waitMs = 500, attempts = 20): ArticleIndexer {
  return {
    async articlesChanged() {
      for (let attempt = 1; ; attempt++) {
        try {
          await library.reindex();
          return;
        } catch (error) {
          // An admin's /reindex is running: it may have started before our files were written, so run after it.
          if (!(error instanceof ReindexBusyError) || attempt >= attempts) throw error;
          await new Promise((resolve) => setTimeout(resolve, waitMs));
        }
      }
    },
  };
}
