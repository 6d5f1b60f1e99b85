import type { PreparedArticle } from './archive.ts';
import type { FileJob } from './corpus.ts';
import type { Article, Problem } from './types.ts';
import { startWorkerThread, workerEntry, type WorkerEntry } from './worker-start.ts';

/** What the worker sends back for one file: what it loaded as, and its passages and figures. */
export interface PreparedFile {
  readonly outcome: Article | Problem;
  readonly prepared: PreparedArticle | Problem | null;
}

/** A worker thread that loads and prepares files for one reindex; {@link close} it after. */
export interface Preparer {
  readonly loadFile: (job: FileJob) => Promise<Article | Problem>;
  /** The passages and figures the worker worked out for an article it loaded. */
  readonly prepared: (article: Article) => PreparedArticle | Problem | undefined;
  /** Drops what {@link prepared} holds, once a reindex has used it. */
  forget(): void;
  /** False once the worker has died: start another. */
  readonly alive: boolean;
  close(): Promise<void>;
}

/**
 * How long the worker may take over one file before it is taken for hung: far past the loader's
 * 2 s parse budget, which a working worker enforces itself, so only a worker stuck for good (a loop
 * that never ends, a thread that stopped answering) reaches it.
 */
export const REPLY_TIMEOUT_MS = 60_000;

/** The reindex worker stopped serving a reindex: it hung, died or was closed. The reindex fails; the next one starts a fresh worker. */
export class PreparerError extends Error {
  override readonly name = 'PreparerError';
}

export interface PreparerOptions {
  /** How long one file may take in the worker before the worker is stopped as hung ({@link REPLY_TIMEOUT_MS}). */
  readonly replyTimeoutMs?: number;
}

/**
 * Starts a worker thread for a reindex. Resolves to why not, as a sentence, when it cannot start
 * (the caller then works in this thread, and says so).
 */
export async function startPreparer(
  entry: WorkerEntry = workerEntry('prepare-worker', import.meta.url),
  options: PreparerOptions = {},
): Promise<Preparer | { readonly unavailable: string }> {
  const replyTimeoutMs = options.replyTimeoutMs ?? REPLY_TIMEOUT_MS;
  const worker = await startWorkerThread(entry);
  if ('unavailable' in worker) return worker;
  // An idle worker kept for the next reindex must not keep the process alive.
  worker.unref();

  const pending = new Map<number, { resolve: (reply: PreparedFile) => void; reject: (error: Error) => void }>();
  const prepared = new Map<Article, PreparedArticle | Problem>();
  let nextId = 0;
  let failure: PreparerError | null = null;
  const fail = (error: PreparerError): void => {
    failure ??= error;
    for (const waiting of pending.values()) waiting.reject(failure);
    pending.clear();
  };
  worker.on('message', (message: { id: number; reply: PreparedFile }) => {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (pending.size === 0) worker.unref();
    waiting?.resolve(message.reply);
  });
  worker.on('error', (error) => {
    fail(new PreparerError(`the reindex worker failed (${error.message})`));
  });
  worker.on('exit', (code) => {
    fail(new PreparerError(`the reindex worker exited with code ${code}`));
  });
  return {
    loadFile: async (job) => {
      if (failure !== null) throw failure;
      const id = nextId++;
      const reply = await new Promise<PreparedFile>((resolve, reject) => {
        // Referenced while it has work, so the process waits for the answer; idle, it may exit.
        if (pending.size === 0) worker.ref();
        // A worker that never answers is stopped, so the reindex fails instead of waiting for good.
        const timer = setTimeout(() => {
          fail(new PreparerError(`the reindex worker did not finish ${job.file} within ${replyTimeoutMs / 1000} s and was stopped`));
          void worker.terminate();
        }, replyTimeoutMs);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        worker.postMessage({ id, job });
      });
      if ('id' in reply.outcome && reply.prepared !== null) prepared.set(reply.outcome, reply.prepared);
      return reply.outcome;
    },
    prepared: (article) => prepared.get(article),
    forget: () => {
      prepared.clear();
    },
    get alive() {
      return failure === null;
    },
    async close() {
      fail(new PreparerError('the reindex worker was closed'));
      await worker.terminate();
    },
  };
}
