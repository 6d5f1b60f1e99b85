import { watch, type FSWatcher } from 'node:fs';
import { ReindexBusyError, type Library, type ReindexSummary } from './core/library.ts';

/** How long the folder must stay quiet before a reindex: an editor's save or a copy is many events. */
export const WATCH_DEBOUNCE_MS = 1_000;

export interface SeedsWatchOptions {
  readonly library: Library;
  readonly debounceMs?: number;
  /** Told about every reindex the watcher ran, or why it failed. */
  readonly onReindex: (outcome: { summary: ReindexSummary } | { error: unknown }) => void;
}

/**
 * Watches the articles folder (`WATCH_SEEDS=true`) and reindexes once it has been quiet for
 * {@link WATCH_DEBOUNCE_MS}. A reindex that finds no file changed by size or time costs a listing.
 * If a reindex is already running, the watcher tries again once the folder is quiet again.
 * Returns a function that stops watching.
 */
export function watchSeeds(options: SeedsWatchOptions): () => void {
  const { library } = options;
  const debounceMs = options.debounceMs ?? WATCH_DEBOUNCE_MS;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const run = (): void => {
    timer = null;
    if (closed) return;
    library.reindex().then(
      (summary) => {
        options.onReindex({ summary });
      },
      (error: unknown) => {
        if (error instanceof ReindexBusyError) schedule();
        else options.onReindex({ error });
      },
    );
  };
  const schedule = (): void => {
    if (closed) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
  };
  const watcher: FSWatcher = watch(library.seedsDir, { recursive: true }, schedule);
  watcher.on('error', () => {
    // The folder went away or became unreadable: the next reindex says so; stop watching it.
    watcher.close();
  });
  return () => {
    closed = true;
    if (timer !== null) clearTimeout(timer);
    watcher.close();
  };
}
