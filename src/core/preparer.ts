import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PreparedArticle } from './archive.ts';
import type { FileJob } from './corpus.ts';
import type { Article, Problem } from './types.ts';

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

/** How long a worker may take to start before the reindex runs in this thread instead. */
const START_TIMEOUT_MS = 15_000;

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
 * The worker's entry file beside this one: `prepare-worker.js` from `dist/` (`npm start`), and from
 * sources (tests, `npm run dev`) a small JavaScript file that registers tsx's loader in the worker
 * (a worker thread does not inherit it) and then loads `prepare-worker.ts`.
 */
function workerEntry(): { url: URL; execArgv: string[] } {
  const fromSources = path.extname(fileURLToPath(import.meta.url)) === '.ts';
  return { url: new URL(fromSources ? './prepare-worker-tsx.mjs' : './prepare-worker.js', import.meta.url), execArgv: workerFlags() };
}

/**
 * This process's Node flags that a worker thread accepts: the heap limits an operator gives a large
 * archive (`--max-old-space-size`) are per process, and a Worker refuses to start with them.
 */
export function workerFlags(flags: readonly string[] = process.execArgv): string[] {
  return flags.filter((flag) => !/^--max-(old|semi)-space-size(=|$)/u.test(flag));
}

/**
 * Starts a worker thread for a reindex. Resolves to why not, as a sentence, when it cannot start
 * (the caller then works in this thread, and says so).
 */
export async function startPreparer(
  entry = workerEntry(),
  options: PreparerOptions = {},
): Promise<Preparer | { readonly unavailable: string }> {
  const replyTimeoutMs = options.replyTimeoutMs ?? REPLY_TIMEOUT_MS;
  let worker: Worker;
  try {
    worker = new Worker(entry.url, { execArgv: entry.execArgv });
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message : String(error) };
  }
  // Only our own listeners are removed: a Worker keeps internal ones (removeAllListeners would cut
  // it off from its messages).
  const started = await new Promise<true | string>((resolve) => {
    const done = (outcome: true | string): void => {
      clearTimeout(timer);
      worker.off('message', onReady).off('error', onError).off('exit', onExit);
      resolve(outcome);
    };
    const onReady = (): void => {
      done(true);
    };
    const onError = (error: Error): void => {
      done(error.message);
    };
    const onExit = (code: number): void => {
      done(`it exited with code ${code}`);
    };
    const timer = setTimeout(() => {
      done(`it did not start within ${START_TIMEOUT_MS / 1000} s`);
    }, START_TIMEOUT_MS);
    worker.once('message', onReady).once('error', onError).once('exit', onExit);
  });
  if (started !== true) {
    await worker.terminate();
    return { unavailable: started };
  }
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
