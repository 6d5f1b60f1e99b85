/**
 * A cold build of a large folder with the machine's other cores: worker threads read, parse and
 * prepare articles (passages, sentences, figures, terms) while this thread indexes them in file
 * order as they come in, and prepares articles itself whenever the next one to index is not in
 * yet. The archive is the one a build in this thread alone gives: what a file gives does not
 * depend on which thread read it, and articles are indexed in the same order.
 */
import os from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import type { FileFingerprint } from './archive-codec.ts';
import { Archive, prepareArticle, unpackPrepared, type PackedPrepared, type PreparedItem, type WireTerms } from './archive.ts';
import { FILE_BUDGET_MS, listCorpus, loadFileSync, settleLoad, type CorpusListing, type CorpusLoad, type FileJob } from './corpus.ts';
import { loadWithFingerprint } from './full-build.ts';
import type { ProgressListener } from './progress.ts';
import { fingerprintOf, statListing, type FileStat, type NamedStats } from './snapshot.ts';
import type { Article, Problem } from './types.ts';
import { startWorkerThread, workerEntry, type WorkerEntry } from './worker-start.ts';

/**
 * Folders with fewer files are built in this thread alone: a worker's start and the compiling of
 * its code cost more than it saves. At BBC ×1 (2,225 files) a worker took this thread's CPU from
 * 2.1 to 1.5 s but the process's from 2.8 to 4.8 s (4 Dec 2026, under tsx): on two cores, V8's own
 * collector threads use much of the second core already.
 */
export const MIN_FILES_FOR_WORKERS = 5_000;
/** Files a worker is sent at once, and batches it may hold at once (so it never waits for the next). */
const WORKER_BATCH = 16;
const WORKER_BATCHES = 3;
/** Files this thread reads and prepares at once when the next article to index is not in yet. */
const OWN_BATCH = 4;
/** Files prepared ahead of the next to index, at most: what waits to be indexed is held in memory. */
const WINDOW = 1_024;

/** What a build worker sends back for one file. */
export type BuiltFile =
  /** The file did not load: why. */
  | { readonly problem: Problem }
  /** It loaded, but its passages and figures could not be worked out: why. */
  | { readonly article: Article; readonly failed: Problem }
  | { readonly packed: PackedPrepared };

/** A request to a build worker: the files to read and prepare, each with its place in the listing. */
export interface BuildRequest {
  readonly batch: number;
  readonly jobs: readonly FileJob[];
}

/** A build worker's answer to one {@link BuildRequest}, in the order of its jobs. */
export interface BuildReply {
  readonly batch: number;
  readonly files: readonly BuiltFile[];
  /** How long the worker had waited for this batch, with nothing to do. */
  readonly idleMs: number;
}

export interface ColdBuildOptions {
  readonly maxArchiveMb?: number;
  readonly now?: () => Date;
  readonly onProgress?: ProgressListener;
  /** Worker threads beside this one (default: one fewer than the cores, at most 3; 0 builds here alone). */
  readonly workers?: number;
  /** Folders with fewer files are built here alone ({@link MIN_FILES_FOR_WORKERS}; tests lower it). */
  readonly minFilesForWorkers?: number;
  /** The workers' entry (tests pass one that fails). */
  readonly workerEntry?: WorkerEntry;
  /**
   * Whether this thread reads and prepares files too while the next to index is not in (default
   * true); otherwise only once no worker is left (tests, to know which thread did what).
   */
  readonly helpWorkers?: boolean;
  /** The folder's listing and stats, when the caller took them already (a start that found its snapshot stale). */
  readonly taken?: NamedStats;
}

/** How many files each side read and prepared, how long this thread waited for the workers, and they for work. */
export interface ColdShare {
  readonly here: number;
  readonly workers: number;
  readonly waitedMs: number;
  readonly workersIdleMs: number;
}

/** A cold build: the load (as {@link loadWithFingerprint} gives it), the files' fingerprint and the archive. */
export interface ColdBuild {
  readonly loaded: CorpusLoad;
  readonly files: FileFingerprint[];
  readonly archive: Archive;
  readonly share: ColdShare;
}

/** The worker threads a build uses by default: the cores but this thread's, at most 3. */
export function defaultBuildWorkers(): number {
  return Math.max(0, Math.min(3, os.availableParallelism() - 1));
}

/**
 * Loads `seedsDir` and builds its archive, with worker threads when the folder is large enough
 * and the machine has cores to spare; the same load, fingerprint and archive as
 * {@link loadWithFingerprint} then {@link Archive.build}. Throws a CorpusError when the folder
 * cannot be read.
 *
 * @example const { archive } = await buildCold('seeds');
 */
export async function buildCold(seedsDir: string, options: ColdBuildOptions = {}): Promise<ColdBuild> {
  const loadOptions = {
    ...(options.maxArchiveMb === undefined ? {} : { maxArchiveMb: options.maxArchiveMb }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  };
  const buildOptions = {
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  };
  const workers = options.workers ?? defaultBuildWorkers();
  // The folder is listed and stat'ed once: the load reads what was stat'ed. An unreadable folder is
  // the listing's to report; an empty fingerprint only means "rebuild next time".
  const taken = options.taken ?? (await statListing(seedsDir).catch(() => null));
  const stats = taken?.stats ?? new Map<string, FileStat>();
  const listing = await listCorpus(seedsDir, {
    ...loadOptions,
    ...(taken === null ? {} : { listed: taken.listed }),
    sizeOf: (file) => stats.get(file)?.size,
  });
  if (workers === 0 || listing.files.length < (options.minFilesForWorkers ?? MIN_FILES_FOR_WORKERS)) {
    const { loaded, files } = await loadWithFingerprint(seedsDir, { ...loadOptions, listed: listing.listed }, null, stats);
    return {
      loaded,
      files,
      archive: await Archive.build(loaded.articles, buildOptions),
      share: { here: loaded.outcomes.size, workers: 0, waitedMs: 0, workersIdleMs: 0 },
    };
  }
  const pipeline = new Pipeline(listing, options.onProgress, options.helpWorkers ?? true);
  const entry = options.workerEntry ?? workerEntry('build-worker', import.meta.url);
  for (let i = 0; i < workers; i++) pipeline.startWorker(entry);
  try {
    const archive = await Archive.buildPrepared(pipeline.inOrder(), listing.files.length, buildOptions);
    const loaded = settleLoad(listing, pipeline.outcomes);
    return { loaded, files: fingerprintOf(stats, loaded), archive, share: pipeline.share };
  } finally {
    await pipeline.close();
  }
}

/** One file's outcome, and its passages and figures (or why not) when it loaded. */
interface Done {
  readonly outcome: Article | Problem;
  readonly prepared: PreparedItem['prepared'] | null;
}

/** The files of a build, handed out in listing order to the workers and this thread, and taken back in that order. */
class Pipeline {
  readonly outcomes: (Article | Problem)[];
  readonly #listing: CorpusListing;
  readonly #onProgress: ProgressListener | undefined;
  readonly #help: boolean;
  readonly share = { here: 0, workers: 0, waitedMs: 0, workersIdleMs: 0 };
  /** Each worker's feeder: hands it batches while it holds fewer than {@link WORKER_BATCHES}. */
  readonly #feeders = new Map<Worker, () => void>();
  readonly #done: (Done | undefined)[];
  /** Files handed back by a worker that failed, for this thread to do. */
  readonly #again: number[] = [];
  #cursor = 0;
  #read = 0;
  #closed = false;
  readonly #workers = new Set<Worker>();
  readonly #starting = new Set<Promise<unknown>>();
  /** Wakes {@link inOrder} when a worker's batch comes in or a worker fails. */
  #wake: () => void = () => undefined;

  constructor(listing: CorpusListing, onProgress: ProgressListener | undefined, help: boolean) {
    this.#listing = listing;
    this.#onProgress = onProgress;
    this.#help = help;
    this.outcomes = new Array<Article | Problem>(listing.files.length);
    this.#done = new Array<Done | undefined>(listing.files.length);
  }

  /** Starts a worker, which takes batches once it has started; one that cannot start is done without. */
  startWorker(entry: WorkerEntry): void {
    const starting = startWorkerThread(entry).then((worker) => {
      if ('unavailable' in worker) return;
      if (this.#closed) return worker.terminate();
      this.#serve(worker);
    });
    this.#starting.add(starting);
    void starting.finally(() => {
      this.#starting.delete(starting);
      // One waiting on a worker that did not start does the files itself now.
      this.#wake();
    });
  }

  #serve(worker: Worker): void {
    this.#workers.add(worker);
    this.#feeders.set(worker, () => {
      feed();
    });
    const terms: WireTerms = [];
    const held = new Map<number, readonly number[]>();
    let batches = 0;
    const feed = (): void => {
      while (held.size < WORKER_BATCHES && !this.#closed) {
        const indexes = this.#take(WORKER_BATCH);
        if (indexes.length === 0) return;
        const batch = batches++;
        held.set(batch, indexes);
        const request: BuildRequest = { batch, jobs: indexes.map((i) => this.#job(i)) };
        worker.postMessage(request);
      }
    };
    const fail = (): void => {
      this.#feeders.delete(worker);
      if (!this.#workers.delete(worker)) return;
      for (const indexes of held.values()) this.#again.push(...indexes);
      held.clear();
      void worker.terminate();
      this.#wake();
    };
    worker.on('message', (reply: BuildReply) => {
      const indexes = held.get(reply.batch);
      if (indexes === undefined) return;
      held.delete(reply.batch);
      this.share.workersIdleMs += reply.idleMs;
      try {
        reply.files.forEach((file, i) => {
          if (this.#settle(indexes[i] ?? -1, this.#unpack(file, terms))) this.share.workers++;
        });
      } catch {
        // A reply this thread cannot read: the worker's files are done here instead.
        for (const index of indexes) if (this.#done[index] === undefined) this.#again.push(index);
        fail();
        return;
      }
      feed();
      this.#wake();
    });
    worker.on('error', fail);
    worker.on('exit', fail);
    feed();
  }

  #unpack(file: BuiltFile, terms: WireTerms): Done {
    if ('problem' in file) return { outcome: file.problem, prepared: null };
    if ('failed' in file) return { outcome: file.article, prepared: file.failed };
    const prepared = unpackPrepared(file.packed, terms);
    return { outcome: prepared.article, prepared };
  }

  /** The next `count` files to hand out, those of a failed worker first; never more than {@link WINDOW} ahead of indexing. */
  #take(count: number, next = this.#read): number[] {
    const taken = this.#again.splice(0, count).filter((index) => this.outcomes[index] === undefined);
    const { files } = this.#listing;
    while (taken.length < count && this.#cursor < files.length && this.#cursor < next + WINDOW) {
      const index = this.#cursor++;
      const listed = files[index];
      // A file the listing refused (the archive cap, a FIFO…) is never read: its outcome is the refusal.
      if (listed?.refused === undefined) taken.push(index);
      else this.#settle(index, { outcome: { file: listed.file, reason: listed.refused }, prepared: null });
    }
    return taken;
  }

  #job(index: number): FileJob {
    const { realRoot, root } = this.#listing;
    return { realRoot, root, file: this.#listing.files[index]?.file ?? '', budgetMs: FILE_BUDGET_MS };
  }

  /** Whether a file's outcome is in, to be taken by {@link inOrder}. */
  #has(index: number): boolean {
    return this.#done[index] !== undefined;
  }

  /** Keeps a file's outcome; false when it has one already. */
  #settle(index: number, done: Done): boolean {
    if (index < 0 || this.#done[index] !== undefined || this.outcomes[index] !== undefined) return false;
    this.#done[index] = done;
    this.outcomes[index] = done.outcome;
    return true;
  }

  /**
   * Reads and prepares `indexes` in this thread, with blocking reads: nothing is answered before a
   * cold build is done, and a few files' reads take well under a millisecond.
   */
  #doHere(indexes: readonly number[]): void {
    for (const index of indexes) {
      if (this.outcomes[index] !== undefined) continue;
      const job = this.#job(index);
      let outcome: Article | Problem;
      try {
        outcome = loadFileSync(job);
      } catch (error) {
        outcome = { file: job.file, reason: `the file could not be read (${String(error)})` };
      }
      if (this.#settle(index, { outcome, prepared: 'id' in outcome ? prepareArticle(outcome, FILE_BUDGET_MS) : null })) this.share.here++;
    }
  }

  /**
   * Every file's article with its passages and figures, in listing order, as each and those before
   * it are in; a file whose id an earlier file has is left out, as {@link settleLoad} leaves it.
   */
  async *inOrder(): AsyncGenerator<PreparedItem> {
    const { files } = this.#listing;
    const owners = new Set<string>();
    for (; this.#read < files.length; this.#read++) {
      const index = this.#read;
      let done: Done | undefined;
      while ((done = this.#done[index]) === undefined) {
        // The window moved on: workers short of work get more.
        for (const feed of this.#feeders.values()) feed();
        if (this.#has(index)) continue;
        const alone = this.#workers.size === 0 && this.#starting.size === 0;
        // Not in yet: this thread reads and prepares the next files meanwhile, and waits only when
        // every file up to the window is handed out.
        const mine = this.#help || alone ? this.#take(OWN_BATCH, index) : [];
        if (mine.length > 0) {
          this.#doHere(mine);
          // The workers' replies come in through the event loop: let them in before helping more.
          await yieldToEventLoop();
        } else if (this.#has(index)) continue;
        else if (alone) this.#doHere([index]);
        else {
          const waiting = performance.now();
          await new Promise<void>((resolve) => (this.#wake = resolve));
          this.share.waitedMs += performance.now() - waiting;
        }
      }
      this.#done[index] = undefined;
      // Reading goes on beside indexing, whose progress says how far both are: only the end of
      // reading is told (a line that shows the phase would otherwise switch at every file).
      if (index === files.length - 1) this.#onProgress?.({ phase: 'reading', read: files.length, files: files.length });
      // Workers that stopped at the window's edge get more as indexing moves it on.
      if (index % WORKER_BATCH === 0) for (const feed of this.#feeders.values()) feed();
      const { outcome, prepared } = done;
      if (!('id' in outcome) || prepared === null || owners.has(outcome.id)) continue;
      owners.add(outcome.id);
      yield { article: outcome, prepared };
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#starting]);
    await Promise.all([...this.#workers].map((worker) => worker.terminate()));
  }
}
