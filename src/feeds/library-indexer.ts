import { ReindexBusyError, type Library } from '../core/library.ts';
import type { ArticleIndexer } from './feed-poller.ts';

/**
 * Indexes feed articles through the library. Today that is a full reindex; when the library gains
 * an incremental update, this is the one place to switch to it.
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
