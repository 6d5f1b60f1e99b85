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
 * The worker's entry file beside this one: `prepare-worker.js` from `dist/` (`npm start`), and from
 * sources (tests, `npm run dev`) a small JavaScript file that registers tsx's loader in the worker
 * (a worker thread does not inherit it) and then loads `prepare-worker.ts`.
 */
function workerEntry(): { url: URL; execArgv: string[] } {
  const fromSources = path.extname(fileURLToPath(import.meta.url)) === '.ts';
  return { url: new URL(fromSources ? './prepare-worker-tsx.mjs' : './prepare-worker.js', import.meta.url), execArgv: process.execArgv };
}

/**
 * Starts a worker thread for a reindex. Resolves to why not, as a sentence, when it cannot start
 * (the caller then works in this thread, and says so).
 */
export async function startPreparer(entry = workerEntry()): Promise<Preparer | { readonly unavailable: string }> {
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
  let failure: Error | null = null;
  const fail = (error: Error): void => {
    failure = error;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  worker.on('message', (message: { id: number; reply: PreparedFile }) => {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (pending.size === 0) worker.unref();
    waiting?.resolve(message.reply);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => {
    fail(new Error(`the reindex worker exited with code ${code}`));
  });
  return {
    loadFile: async (job) => {
      if (failure !== null) throw failure;
      const id = nextId++;
      const reply = await new Promise<PreparedFile>((resolve, reject) => {
        // Referenced while it has work, so the process waits for the answer; idle, it may exit.
        if (pending.size === 0) worker.ref();
        pending.set(id, { resolve, reject });
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
      failure ??= new Error('the reindex worker was closed');
      await worker.terminate();
    },
  };
}
