import { rm } from 'node:fs/promises';
import type { PreparedArticle } from './archive.ts';
import type { FileJob } from './corpus.ts';
import type { FullBuild, FullBuildJob } from './full-build.ts';
import type { IndexProgress, ProgressListener } from './progress.ts';
import type { PackedBasis, ToldFile } from './snapshot.ts';
import type { Article, Problem } from './types.ts';
import { startWorkerThread, workerEntry, type WorkerEntry } from './worker-start.ts';
import { formatDuration } from './durations.ts';

/** What the worker sends back for one file: what it loaded as, and its passages and figures. */
export interface PreparedFile {
  readonly outcome: Article | Problem;
  readonly prepared: PreparedArticle | Problem | null;
}

/** What the worker sends back about a request, besides its id: one of these. */
export type WorkerReply =
  | { readonly reply: PreparedFile }
  /** What a scan of the folder found changed ({@link scanChanges}), or null when only a whole load can tell. */
  | { readonly scanned: Map<string, ToldFile> | null }
  | { readonly progress: IndexProgress }
  /** A build is still encoding or writing: the watchdog waits on. */
  | { readonly working: true }
  /** A build is about to write the snapshot to this temporary file, to be removed if the worker is stopped before it is done. */
  | { readonly writing: string }
  | { readonly built: FullBuild }
  /** The snapshot file is written (null), or why not; the last message of a build. */
  | { readonly written: string | null };

/** A full build's outcome; when built, `written` resolves once the worker has written the snapshot file (null) or failed to (why). */
export type WorkerBuild = Exclude<FullBuild, { kind: 'built' }> | (FullBuild & { kind: 'built'; readonly written: Promise<string | null> });

/** A worker thread that loads and prepares files for one reindex; {@link close} it after. */
export interface Preparer {
  readonly loadFile: (job: FileJob) => Promise<Article | Problem>;
  /**
   * Loads and builds the whole archive in the worker, handed back as snapshot bytes, and writes
   * them to `snapshotFile` (unless null) once handed over.
   */
  readonly build: (job: FullBuildJob, snapshotFile: string | null, onProgress: ProgressListener | undefined) => Promise<WorkerBuild>;
  /**
   * Lists and stats every file of `root` in the worker and compares them with the last load's
   * listing and fingerprint (`basis`): what changed, as {@link scanChanges} gives it, while this
   * thread goes on answering.
   */
  readonly scan: (root: string, basis: PackedBasis) => Promise<Map<string, ToldFile> | null>;
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
  /** How long the worker may take to start before the reindex runs without it (START_TIMEOUT_MS of worker-start.ts by default). */
  readonly startTimeoutMs?: number;
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
  const worker = await startWorkerThread(entry, options.startTimeoutMs);
  if ('unavailable' in worker) return worker;
  // An idle worker kept for the next reindex must not keep the process alive.
  worker.unref();

  /** Each request under way: told every message about it, and failed when the worker fails. */
  const pending = new Map<number, { onReply: (reply: WorkerReply) => void; reject: (error: Error) => void }>();
  const prepared = new Map<Article, PreparedArticle | Problem>();
  let nextId = 0;
  let failure: PreparerError | null = null;
  /** Resolves once the worker has stopped, after it was stopped (or died): nothing it started runs on. */
  let stopped = new Promise<unknown>((resolve) => worker.once('exit', resolve));
  const fail = (error: PreparerError): void => {
    failure ??= error;
    for (const waiting of pending.values()) waiting.reject(failure);
    pending.clear();
  };
  worker.on('message', (message: { id: number } & WorkerReply) => {
    pending.get(message.id)?.onReply(message);
  });
  worker.on('error', (error) => {
    fail(new PreparerError(`the reindex worker failed (${error.message})`));
  });
  worker.on('exit', (code) => {
    fail(new PreparerError(`the reindex worker exited with code ${code}`));
  });
  /**
   * Sends a request and listens for its replies until `onReply` says it is done (true). A worker
   * silent on it for `replyTimeoutMs` is stopped as hung, with `hung` as the reason.
   */
  const request = (message: object, hung: string, onReply: (reply: WorkerReply) => boolean, reject: (error: Error) => void): void => {
    if (failure !== null) {
      reject(failure);
      return;
    }
    const id = nextId++;
    // Referenced while it has work, so the process waits for the answer; idle, it may exit.
    if (pending.size === 0) worker.ref();
    let timer: NodeJS.Timeout | undefined;
    const watch = (): void => {
      clearTimeout(timer);
      // A worker that never answers is stopped, so the reindex fails instead of waiting for good.
      timer = setTimeout(() => {
        stopped = worker.terminate();
        fail(new PreparerError(hung));
      }, replyTimeoutMs);
    };
    const settle = (): void => {
      clearTimeout(timer);
      pending.delete(id);
      if (pending.size === 0) worker.unref();
    };
    pending.set(id, {
      onReply: (reply) => {
        if (onReply(reply)) settle();
        else watch();
      },
      reject: (error) => {
        settle();
        reject(error);
      },
    });
    watch();
    worker.postMessage({ id, ...message });
  };
  return {
    loadFile: async (job) => {
      const reply = await new Promise<PreparedFile>((resolve, reject) => {
        const hung = `the reindex worker did not finish ${job.file} within ${formatDuration(replyTimeoutMs)} and was stopped`;
        request(
          { job },
          hung,
          (message) => {
            if ('reply' in message) resolve(message.reply);
            return true;
          },
          reject,
        );
      });
      if ('id' in reply.outcome && reply.prepared !== null) prepared.set(reply.outcome, reply.prepared);
      return reply.outcome;
    },
    scan: (root, basis) =>
      new Promise<Map<string, ToldFile> | null>((resolve, reject) => {
        const hung = `the reindex worker did not finish checking the folder's files within ${formatDuration(replyTimeoutMs)} and was stopped`;
        request(
          { scan: { root, basis } },
          hung,
          (message) => {
            if ('scanned' in message) resolve(message.scanned);
            return true;
          },
          reject,
        );
      }),
    build: (job, snapshotFile, onProgress) =>
      new Promise<WorkerBuild>((resolve, reject) => {
        let resolveWritten: (why: string | null) => void = () => undefined;
        const written = new Promise<string | null>((done) => {
          resolveWritten = done;
        });
        const hung = `the reindex worker went ${formatDuration(replyTimeoutMs)} without a sign of progress and was stopped`;
        let temporary: string | null = null;
        request(
          { build: job, snapshotFile },
          hung,
          (message) => {
            if ('progress' in message) onProgress?.(message.progress);
            else if ('writing' in message) temporary = message.writing;
            else if ('built' in message) {
              if (message.built.kind !== 'built') {
                resolve(message.built);
                return true;
              }
              resolve({ ...message.built, written });
            } else if ('written' in message) {
              resolveWritten(message.written);
              return true;
            }
            return false;
          },
          (error) => {
            // Failed before the bytes came: the build fails; after: only the snapshot file is not
            // written, and a temporary file it was being written to is removed once the worker is gone.
            reject(error);
            const left = temporary;
            if (left === null) resolveWritten(error.message);
            else {
              void stopped
                .then(() => rm(left, { force: true }))
                .catch(() => undefined)
                .finally(() => {
                  resolveWritten(error.message);
                });
            }
          },
        );
      }),
    prepared: (article) => prepared.get(article),
    forget: () => {
      prepared.clear();
    },
    get alive() {
      return failure === null;
    },
    async close() {
      stopped = worker.terminate();
      fail(new PreparerError('the reindex worker was closed'));
      await stopped;
    },
  };
}
