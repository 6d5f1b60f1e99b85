import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import { Archive, type BuildOptions } from './archive.ts';
import { PreparerError, startPreparer, type Preparer, type WorkerBuild } from './preparer.ts';
import { decodeSnapshotSliced, SnapshotRejected, type FileFingerprint, type Snapshot } from './archive-codec.ts';
import { answerWithDates } from './date-preference.ts';
import {
  CorpusError,
  DEFAULT_MAX_ARCHIVE_MB,
  FILE_BUDGET_MS,
  loadFile,
  READ_CONCURRENCY,
  type CorpusLoad,
  type Listed,
  type LoadOptions,
} from './corpus.ts';
import type { ProgressListener } from './progress.ts';
import { buildCold } from './cold-build.ts';
import { loadWithFingerprint } from './full-build.ts';
import {
  atPath,
  diffCorpus,
  packBasis,
  readSnapshot,
  removeStaleTemporaries,
  scanChanges,
  statListing,
  statOf,
  unpackListing,
  statTold,
  withChanges,
  withTold,
  writeSnapshot,
  type FileStat,
  type NamedStats,
  type PackedBasis,
  type PackedListing,
  type ScanBasis,
  type SnapshotFs,
  type ToldFile,
} from './snapshot.ts';
import type { Article, Problem } from './types.ts';

/** The articles the archive holds: the loaded ones, less any it had to leave out. */
function indexed(articles: readonly Article[], archive: Archive): readonly Article[] {
  return archive.problems.length === 0 ? articles : archive.articles.map((a) => a.article);
}

/**
 * How long this thread decodes a full reindex's archive before it pauses, and for how long: the
 * pause, not just a turn of the event loop, lets a question's several steps (the gateway message,
 * answering, the reply) all run before decoding goes on.
 */
const DECODE_SLICE_MS = 8;
const DECODE_PAUSE_MS = 4;

/**
 * How long an incremental reindex's commit works before it lets the event loop turn; the merge
 * after the swap pauses for {@link COMMIT_PAUSE_MS} as decoding does.
 */
const COMMIT_SLICE_MS = 8;
const COMMIT_PAUSE_MS = 4;

/** Pause between batches of terms or titles while their lookups are made after a start or a reindex. */
const TITLES_PAUSE_MS = 4;
/** Times a reindex's stages one after another, for {@link ReindexSummary.stages}. */
class StageClock {
  readonly stages: Record<string, number> = {};
  #at = performance.now();

  /** Ends stage `name` now (adding to it, if it ran before) and starts the next. */
  lap(name: string): void {
    const now = performance.now();
    this.stages[name] = (this.stages[name] ?? 0) + now - this.#at;
    this.#at = now;
  }
}

/** The snapshot's name inside the data folder. */
export const SNAPSHOT_FILE = 'archive.snapshot';

/** What a reindex changed, for the admin who ran it. */
export interface ReindexSummary {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly articles: number;
  readonly passages: number;
  readonly figures: number;
  readonly problems: readonly Problem[];
  readonly ms: number;
  readonly finishedAt: Date;
  /**
   * Milliseconds each stage took, in order, for the benchmarks and the log: `stat` (the folder's
   * sizes and times), `load` (reading changed files), `prepare` (their passages and figures), `commit`
   * (the update worked out beside the live archive, pauses for questions included), `apply` (the
   * synchronous step that swaps it in). A stage a reindex did not reach is absent.
   */
  readonly stages?: Readonly<Record<string, number>>;
}

export interface ReindexOptions {
  /** Re-read and rebuild everything, even when no file changed by size, time or content. */
  readonly full?: boolean;
  /** Told how reading and indexing are going, for a progress line. */
  readonly onProgress?: ProgressListener;
  /**
   * The only files that may have changed since the last reindex that succeeded (paths relative to
   * the articles folder), when the caller knows them (the folder watcher): only they are stat'ed,
   * every other file is taken as it was. A
   * name only a full check can tell about (a folder, say) makes this one, as does a folder with links.
   */
  readonly files?: readonly string[];
}

/** A reindex was asked for while another was still running. */
export class ReindexBusyError extends Error {
  override readonly name = 'ReindexBusyError';
  constructor() {
    super('A reindex is already running.');
  }
}

/** A reindex could not produce a usable archive; the old one keeps serving. */
export class ReindexFailedError extends Error {
  override readonly name = 'ReindexFailedError';
  readonly problems: readonly Problem[];
  constructor(message: string, problems: readonly Problem[] = []) {
    super(message);
    this.problems = problems;
  }
}

export interface LibraryOptions {
  readonly seedsDir: string;
  /** Most megabytes of article files loaded in all (`MAX_ARCHIVE_MB`). */
  readonly maxArchiveMb?: number;
  readonly now?: () => Date;
  /** Where to keep the built archive, so a restart with unchanged articles skips the build. */
  readonly snapshotFile?: string;
  /** Told how reading and indexing the first archive are going, for a progress line. */
  readonly onProgress?: ProgressListener;
  /**
   * Read, parse and work out the passages and figures of a reindex's files in a worker thread, so
   * a slow or hostile file never holds up answering; only indexing what it sends back is done here.
   */
  readonly reindexInWorker?: boolean;
  /** Where to say what an operator should know: the worker could not start, say. */
  readonly log?: (message: string) => void;
  /** Starts the reindex worker ({@link startPreparer}; tests pass one that hangs). */
  readonly startWorker?: () => ReturnType<typeof startPreparer>;
  /** The file system the snapshot is written with (node:fs/promises; tests pass a slow or faulty one). */
  readonly snapshotFs?: SnapshotFs;
}

/** How the library got its first archive, for the start-up log line. */
export interface StartupReport {
  readonly source: 'snapshot' | 'build';
  /** Why the snapshot was not used, when it was not. */
  readonly snapshotRejected: string | null;
  /** Why the new snapshot could not be written, when it could not. */
  readonly snapshotError: string | null;
  /** Temporary snapshot files that killed writers had left, removed (see `removeStaleTemporaries`). */
  readonly staleTemporariesRemoved: number;
  readonly ms: number;
}

/**
 * Holds the archive being served and rebuilds it on demand. A rebuild happens beside the live
 * archive and replaces it in one assignment, so every question is answered from a complete archive:
 * the old one until the new one is ready, and the old one for good if the rebuild fails.
 */
export class Library {
  readonly seedsDir: string;
  readonly snapshotFile: string | null;
  readonly #loadOptions: LoadOptions;
  readonly #now: () => Date;
  #archive: Archive;
  #problems: readonly Problem[];
  #files: readonly FileFingerprint[];
  /** The folder's listing at the last load, when known: after a start from the snapshot, the one taken to check it; after a full reindex in the worker, its load's. */
  #listed: readonly Listed[] | null = null;
  /** What each file loaded as last time, for the next load to reuse while the file is unchanged. */
  #outcomes: Map<string, Article | Problem>;
  /**
   * The last load, when this library made it or a snapshot (read at the start, or a full reindex's
   * from the worker) tells it whole ({@link snapshotLoad}): what a reindex told its files starts from.
   */
  #lastLoad: LastLoad | null = null;
  /**
   * Files the next reindex that reads anything reads again though their size and time are as they
   * were: after a start from the snapshot or a full reindex in the worker, the files that were
   * problems (the snapshot keeps only why), as a whole load would read them.
   */
  #reread: ReadonlySet<string> = new Set();
  #running: Promise<ReindexSummary> | null = null;
  readonly #inWorker: boolean;
  readonly #startWorker: () => ReturnType<typeof startPreparer>;
  readonly #log: (message: string) => void;
  readonly #snapshotFs: SnapshotFs | undefined;
  /** The last listing and fingerprint packed for the worker's scan, kept while they are the library's. */
  #packed: (ScanBasis & { readonly packed: PackedBasis | null }) | null = null;
  /** The reindex worker, started at the first reindex (or by {@link startWorker}) and kept for the next ones. */
  #preparer: Preparer | null = null;
  /** The reindex worker being started. */
  #starting: Promise<Preparer | null> | null = null;
  /** The timer that starts the reindex worker ahead ({@link startWorkerAfter}), until it fires or is cleared. */
  #startAhead: NodeJS.Timeout | undefined;
  #lastReindex: ReindexSummary | null = null;
  #startup: StartupReport | null = null;
  /** Whether {@link warmUp} was called: each archive swapped in after has its title index made ahead too. */
  #warm = false;
  /**
   * The snapshot being written (resolving to why it failed, or null): written after a reindex has
   * swapped its archive in, while questions are answered, and awaited before the archive next changes.
   */
  #snapshotWriting: Promise<string | null> = Promise.resolve(null);

  private constructor(
    options: LibraryOptions,
    now: () => Date,
    archive: Archive,
    problems: readonly Problem[],
    files: readonly FileFingerprint[],
    outcomes: Map<string, Article | Problem>,
  ) {
    this.seedsDir = options.seedsDir;
    this.snapshotFile = options.snapshotFile ?? null;
    this.#loadOptions = options.maxArchiveMb === undefined ? {} : { maxArchiveMb: options.maxArchiveMb };
    this.#now = now;
    this.#archive = archive;
    this.#problems = problems;
    this.#files = files;
    this.#outcomes = outcomes;
    this.#inWorker = options.reindexInWorker === true;
    this.#startWorker = options.startWorker ?? (() => startPreparer());
    this.#log = options.log ?? ((): void => undefined);
    this.#snapshotFs = options.snapshotFs;
  }

  /** The reindex worker, started if need be (once, however many ask meanwhile); null (after saying why) when it cannot start. */
  #worker(): Promise<Preparer | null> {
    if (!this.#inWorker) return Promise.resolve(null);
    if (this.#preparer?.alive === true) return Promise.resolve(this.#preparer);
    // A start that throws is a worker that cannot start, and the next reindex tries again: a
    // rejected promise kept here would fail every reindex after it.
    this.#starting ??= this.#startWorker()
      .catch((error: unknown) => ({ unavailable: error instanceof Error ? error.message : String(error) }))
      .then((started) => {
        if ('unavailable' in started) {
          this.#log(`reindexing in the answering thread: the reindex worker could not start (${started.unavailable})`);
          return null;
        }
        this.#preparer = started;
        return started;
      })
      .finally(() => {
        this.#starting = null;
      });
    return this.#starting;
  }

  /**
   * Starts the reindex worker now, when reindexes run in one, so the first reindex does not wait for
   * it to start (about 0.3 s of CPU compiled, 1.7 s from the sources under tsx). Resolves once it has.
   */
  async startWorker(): Promise<void> {
    await this.#worker();
  }

  /**
   * Starts the reindex worker in `delayMs`, ahead of the first reindex, without holding the process
   * open meanwhile. Returns what cancels it; {@link close} cancels it too, so a library shut down
   * before then does not spend a worker's start (0.3 s of CPU or more) while it stops.
   */
  startWorkerAfter(delayMs: number): () => void {
    this.#cancelStartAhead();
    const timer = setTimeout(() => {
      this.#startAhead = undefined;
      void this.startWorker();
    }, delayMs).unref();
    this.#startAhead = timer;
    return () => {
      if (this.#startAhead === timer) this.#cancelStartAhead();
    };
  }

  #cancelStartAhead(): void {
    clearTimeout(this.#startAhead);
    this.#startAhead = undefined;
  }

  /** Stops the reindex worker, if one runs (a reindex later starts another), once the snapshot is written. */
  async close(): Promise<void> {
    this.#cancelStartAhead();
    await this.#snapshotWriting;
    await this.#starting;
    await this.#preparer?.close();
    this.#preparer = null;
  }

  /**
   * Loads and indexes `seedsDir`. Throws a {@link CorpusError} when the folder cannot be read;
   * bad files only become problems.
   *
   * @example const library = await Library.open({ seedsDir: 'seeds' });
   */
  static async open(options: LibraryOptions): Promise<Library> {
    const started = performance.now();
    const now = options.now ?? (() => new Date());
    let rejected: string | null = null;
    // The folder's listing and stats, once taken to check the snapshot: a build then takes them too.
    let taken: NamedStats | null = null;
    const staleTemporariesRemoved = options.snapshotFile === undefined ? 0 : await removeStaleTemporaries(options.snapshotFile);
    if (options.snapshotFile !== undefined) {
      const snapshot = await readSnapshot(options.snapshotFile);
      if ('rejected' in snapshot) rejected = snapshot.rejected;
      else if (snapshot.root !== path.resolve(options.seedsDir)) rejected = `it is of another folder, ${snapshot.root}`;
      else {
        taken = await statListing(options.seedsDir).catch(() => null);
        const diff = diffCorpus(snapshot.files, taken?.stats ?? new Map<string, FileStat>());
        if (diff.changed.length === 0 && diff.removed.length === 0) {
          // Files that were problems are read again at the next reindex: the snapshot keeps only why.
          const outcomes = new Map(snapshot.archive.articles.map((a) => [a.article.file, a.article]));
          const library = new Library(options, now, snapshot.archive, snapshot.problems, snapshot.files, outcomes);
          library.#listed = taken?.listed ?? null;
          library.#lastLoad = snapshotLoad(snapshot, library.#listed, (options.maxArchiveMb ?? DEFAULT_MAX_ARCHIVE_MB) * 1024 * 1024);
          if (library.#lastLoad !== null && library.#listed !== null) library.#reread = rereadAfter(snapshot, library.#listed);
          library.#startup = {
            source: 'snapshot',
            snapshotRejected: null,
            snapshotError: null,
            staleTemporariesRemoved,
            ms: performance.now() - started,
          };
          return library;
        }
        rejected = `${diff.changed.length + diff.removed.length} files changed since it was written`;
      }
    }
    const loadOptions: LoadOptions = options.maxArchiveMb === undefined ? {} : { maxArchiveMb: options.maxArchiveMb };
    const onProgress = options.onProgress === undefined ? {} : { onProgress: options.onProgress };
    const { loaded, files, archive } = await buildCold(options.seedsDir, {
      ...loadOptions,
      ...onProgress,
      now,
      ...(taken === null ? {} : { taken }),
    });
    const library = new Library(options, now, archive, [...loaded.problems, ...archive.problems], files, loaded.outcomes);
    library.#listed = loaded.listed;
    library.#lastLoad = lastLoadOf(loaded);
    const snapshotError = await library.#saveSnapshot();
    library.#startup = {
      source: 'build',
      snapshotRejected: rejected,
      snapshotError,
      staleTemporariesRemoved,
      ms: performance.now() - started,
    };
    return library;
  }

  /** How the first archive was obtained: from the snapshot, or built (and why). */
  get startup(): StartupReport | null {
    return this.#startup;
  }

  /**
   * Writes the snapshot of the archive served now, if there is one to keep, after any write still
   * under way; resolves to why it failed rather than failing.
   */
  #saveSnapshot(): Promise<string | null> {
    const snapshotFile = this.snapshotFile;
    if (snapshotFile === null) return Promise.resolve(null);
    const snapshot = { root: path.resolve(this.seedsDir), archive: this.#archive, files: this.#files, problems: this.#problems };
    const writing = this.#snapshotWriting.then(() =>
      writeSnapshot(snapshotFile, snapshot, this.#snapshotFs).then(
        () => null,
        (error: unknown) => (error instanceof Error ? error.message : 'unknown error'),
      ),
    );
    this.#snapshotWriting = writing;
    return writing;
  }

  /**
   * Merges what the update left for later into the archive's passage index, in slices beside
   * answering, before the snapshot is written and before the next update commits (both wait for
   * {@link #snapshotWriting}); the archive answers the same throughout.
   */
  #settleLater(archive: Archive): void {
    this.#snapshotWriting = this.#snapshotWriting.then(async (why) => {
      try {
        const steps = archive.settling();
        let sliceStarted = performance.now();
        while (steps.next().done !== true) {
          if (performance.now() - sliceStarted > COMMIT_SLICE_MS) {
            await sleep(COMMIT_PAUSE_MS);
            sliceStarted = performance.now();
          }
        }
      } catch (error) {
        // Nothing waits on this but the next snapshot and update, which must not fail for it: the
        // archive answers the same unmerged, and the next update merges what is left in one go.
        this.#log(`could not merge the passage index's update: ${String(error)}`);
      }
      return why;
    });
  }

  /** Writes the snapshot after a reindex, without making the reindex wait for it; says so when it fails. */
  #saveSnapshotLater(): void {
    void this.#saveSnapshot().then((error) => {
      if (error !== null) this.#log(`could not write the index snapshot: ${error}`);
    });
  }

  /**
   * Resolves once the snapshot of the archive served now is written: null, or why it could not be.
   * A reindex returns as soon as its archive is swapped in and writes the snapshot after.
   */
  snapshotWritten(): Promise<string | null> {
    return this.#snapshotWriting;
  }

  /**
   * Answers a few questions made from the archive's own headlines, untimed and unseen, so the
   * first people to ask don't wait while the JavaScript engine compiles the answer path. They go
   * the way the front ends' questions go, through the reading of dates in questions, every other
   * one asking for the latest news: warmed through answerQuestion alone, the first questions over
   * BBC still took 70–500 ms each (chrono's parsers compiling), and a bot's first answers queued
   * behind them for up to 2.8 s under load.
   */
  warmUp(questions = 40): void {
    this.#warm = true;
    this.#warmLookups();
    const { articles } = this.#archive;
    const step = Math.max(1, Math.floor(articles.length / questions));
    const today = this.#now();
    for (let i = 0; i < articles.length; i += step) {
      const title = articles[i]?.article.title ?? '';
      answerWithDates(this.#archive, i % (2 * step) === 0 ? `What happened: ${title}?` : `What is the latest on ${title}?`, today);
    }
  }

  /**
   * Makes the archive's tree of live terms (fuzzy and prefix lookups) and title index
   * (autocomplete's) in the background, in batches, once {@link warmUp} has been called: an archive
   * makes each when first asked for, which at BBC ×30 is a second or more.
   */
  #warmLookups(): void {
    if (!this.#warm) return;
    const archive = this.#archive;
    const pause = (): Promise<void> => sleep(TITLES_PAUSE_MS);
    archive
      .warmTerms(pause)
      .then(() => archive.warmTitleIndex(pause))
      // Each is made when first asked for all the same: a failure here costs only that wait.
      .catch((error: unknown) => {
        this.#log(`could not make the lookups in the background: ${String(error)}`);
      });
  }

  /**
   * Makes a whole new archive's lookups (the live terms' tree, the title index) before it is swapped
   * in, in steps beside answering, once {@link warmUp} has been called: made after, the first
   * question that needed one made it in one go (at BBC ×10 a quarter of a second of CPU, 0.9 s
   * at load 12, after a full reindex). An updated archive keeps the lookups of the one it updates.
   */
  async #warmAhead(archive: Archive): Promise<void> {
    if (!this.#warm) return;
    const pause = (): Promise<void> => sleep(TITLES_PAUSE_MS);
    try {
      await archive.warmTerms(pause);
      await archive.warmTitleIndex(pause);
    } catch (error) {
      // Each is made when first asked for all the same: a failure here costs only that wait.
      this.#log(`could not make the lookups ahead: ${String(error)}`);
    }
  }

  /** The archive to answer from. Read it once per request: a reindex may replace it at any time. */
  get archive(): Archive {
    return this.#archive;
  }

  get problems(): readonly Problem[] {
    return this.#problems;
  }

  get lastReindex(): ReindexSummary | null {
    return this.#lastReindex;
  }

  get reindexing(): boolean {
    return this.#running !== null;
  }

  /**
   * Brings the archive up to date with `seedsDir` and swaps it in. Unless `full`, a folder whose
   * files all kept their size and time costs only a listing, one whose contents are unchanged (files
   * touched, not edited) no rebuild, and otherwise only new and changed files are read and worked
   * out, then the archive is updated in place to what a fresh build would give; `full` re-reads and
   * rebuilds everything. Throws {@link ReindexBusyError} if a
   * rebuild is already running, and {@link ReindexFailedError} if the folder is unreadable or holds
   * no loadable article; in both cases the current archive stays.
   */
  reindex(options: ReindexOptions = {}): Promise<ReindexSummary> {
    if (this.#running) return Promise.reject(new ReindexBusyError());
    const running = this.#rebuild(options.full === true, options.onProgress, options.files).finally(() => {
      this.#running = null;
    });
    this.#running = running;
    return running;
  }

  /** What a reindex that found nothing to change reports. */
  #unchanged(started: number, clock: StageClock): ReindexSummary {
    const { stats } = this.#archive;
    const summary: ReindexSummary = {
      added: [],
      changed: [],
      removed: [],
      articles: stats.articles,
      passages: stats.passages,
      figures: stats.figures,
      problems: this.#problems,
      ms: performance.now() - started,
      finishedAt: this.#now(),
      stages: clock.stages,
    };
    this.#lastReindex = summary;
    return summary;
  }

  async #rebuild(full: boolean, listener: ProgressListener | undefined, names: readonly string[] | undefined): Promise<ReindexSummary> {
    const started = performance.now();
    const clock = new StageClock();
    // Started (or found unable to start) once per reindex: a start that fails is tried again at the next one.
    const worker = await this.#worker();
    if (full && worker !== null) return this.#fullInWorker(worker, started, listener);
    let stats: Map<string, FileStat> | undefined;
    let listed: readonly Listed[] | undefined;
    try {
      if (!full) {
        const previous = this.#listed === null ? null : { listed: this.#listed, files: this.#files };
        let told = names === undefined || previous === null ? null : statTold(this.seedsDir, previous, names);
        // Not told (or told what only a whole check answers for): every file is stat'ed, in the
        // worker when there is one, and what changed is then taken as if the watcher had named it, so
        // only the changed files are read and compared. At BBC ×10 the stat and the loader's pass
        // over every file it replaces took the answering thread 0.3–1 s.
        if (told === null && previous !== null) told = await this.#scan(previous, worker);
        if (told !== null && told.size > 0 && this.#reread.size > 0) told = this.#withReread(told);
        if (told?.size === 0) {
          clock.lap('stat');
          return this.#unchanged(started, clock);
        }
        if (told !== null) {
          const summary = await this.#reindexTold(told, started, clock, worker, listener);
          if (summary !== null) return summary;
        }
        // Taken once, with the listing: the load below reads the same stats and listing, so a one-file
        // reindex lists the folder and stats every file once, not twice.
        const taken =
          told !== null && previous !== null ? withTold(previous, told) : await statListing(this.seedsDir).catch(() => undefined);
        stats = taken?.stats;
        listed = taken?.listed;
        const diff = stats === undefined ? null : diffCorpus(this.#files, stats);
        clock.lap('stat');
        if (diff?.changed.length === 0 && diff.removed.length === 0) {
          // Nothing changed: this listing is the last load's, for the next reindex told its files.
          this.#listed = listed ?? null;
          return this.#unchanged(started, clock);
        }
      }
      return await this.#reindexWith(full, started, clock, worker, listener, stats, listed);
    } finally {
      worker?.forget();
    }
  }

  /** `told`, with the files to read again ({@link #reread}) that it does not name, as they are now. */
  #withReread(told: ReadonlyMap<string, ToldFile>): Map<string, ToldFile> {
    const all = new Map(told);
    for (const file of this.#reread) {
      const listed = atPath(this.#listed ?? [], file);
      if (all.has(file) || listed === undefined || listed.refused !== undefined) continue;
      all.set(file, { listed, stat: statOf(path.join(this.seedsDir, file)) });
    }
    return all;
  }

  /**
   * What changed in the folder since the last load, by a stat of every file ({@link scanChanges}):
   * in the reindex worker when there is one (the answering thread only packs the last fingerprint
   * and reads the few changes back), here in slices otherwise; null when only a whole load can tell.
   */
  async #scan(previous: ScanBasis, worker: Preparer | null): Promise<Map<string, ToldFile> | null> {
    if (worker !== null) {
      if (this.#packed?.files !== previous.files || this.#packed.listed !== previous.listed) {
        this.#packed = { ...previous, packed: packBasis(previous) };
      }
      const { packed } = this.#packed;
      if (packed === null) return null;
      try {
        return await worker.scan(this.seedsDir, packed);
      } catch (error) {
        throw failedLoad(error);
      }
    }
    return scanChanges(this.seedsDir, previous);
  }

  /**
   * A full reindex built in the worker: this thread only decodes the snapshot bytes it hands back,
   * a slice at a time with pauses between slices (a build, or decoding the whole archive at once,
   * held up answering for up to half a second), and the worker writes the snapshot file.
   */
  async #fullInWorker(worker: Preparer, started: number, listener: ProgressListener | undefined): Promise<ReindexSummary> {
    const handed = await this.#builtInWorker(worker, listener);
    let snapshot: Snapshot;
    try {
      const decoding = decodeSnapshotSliced(handed.bytes ?? new Uint8Array(0), () => sleep(DECODE_PAUSE_MS), {
        sliceMs: DECODE_SLICE_MS,
        builtAt: this.#now(),
        previous: this.#archive,
      });
      // The bytes are the decoder's alone now, let go of once it is done (the warming below takes a while).
      handed.bytes = null;
      snapshot = await decoding;
    } catch (error) {
      if (error instanceof SnapshotRejected) throw new ReindexFailedError(`${error.message}; still serving the previous index.`);
      throw error;
    }
    const { archive } = snapshot;
    await this.#warmAhead(archive);
    // Each of these walks every article or file (at BBC ×10, 5–20 ms each): questions come in between.
    const articles = archive.articles.map((a) => a.article);
    const summary = this.#summary(articles, archive, snapshot.problems, started, new StageClock());
    await sleep(DECODE_PAUSE_MS);
    // As after a start from a snapshot: the listing the worker's load took stands for the last
    // load, so the next reindex scans for changes and reads only what changed, and files that were
    // problems are read again at the next reindex that reads anything.
    const listed = unpackListing(handed.listing);
    await sleep(DECODE_PAUSE_MS);
    this.#archive = archive;
    this.#problems = snapshot.problems;
    this.#files = snapshot.files;
    this.#listed = listed;
    this.#lastLoad = snapshotLoad(snapshot, listed, (this.#loadOptions.maxArchiveMb ?? DEFAULT_MAX_ARCHIVE_MB) * 1024 * 1024);
    this.#reread = this.#lastLoad === null ? new Set() : rereadAfter(snapshot, listed);
    this.#outcomes = new Map(articles.map((a) => [a.file, a]));
    this.#lastReindex = summary;
    return summary;
  }

  /** The worker's full build, once it has handed its bytes over (and goes on to write the snapshot file); throws what failed it. */
  async #builtInWorker(
    worker: Preparer,
    listener: ProgressListener | undefined,
  ): Promise<{ bytes: Uint8Array | null; readonly listing: PackedListing }> {
    // The worker writes the snapshot file: a write of ours still under way must be done first.
    await this.#snapshotWriting;
    const maxArchiveMb = this.#loadOptions.maxArchiveMb;
    const job = { seedsDir: this.seedsDir, nowMs: this.#now().getTime(), ...(maxArchiveMb === undefined ? {} : { maxArchiveMb }) };
    let built: WorkerBuild;
    try {
      built = await worker.build(job, this.snapshotFile, listener);
    } catch (error) {
      // A worker that hung or died fails this reindex, not the bot: the next one starts a new worker.
      if (error instanceof PreparerError) throw new ReindexFailedError(`${error.message}; still serving the previous index.`);
      throw error;
    }
    if (built.kind === 'unreadable') throw new ReindexFailedError(`${built.reason}; still serving the previous index.`);
    if (built.kind === 'empty') throw nothingToIndex(this.seedsDir, built.problems);
    this.#snapshotWriting = built.written;
    void built.written.then((error) => {
      if (error !== null) this.#log(`could not write the index snapshot: ${error}`);
    });
    return { bytes: built.bytes, listing: built.listing };
  }

  /** What a reindex that gives `archive` changed, against the archive served now. */
  #summary(
    articles: readonly Article[],
    archive: Archive,
    problems: readonly Problem[],
    started: number,
    clock: StageClock,
  ): ReindexSummary {
    const before = new Map(this.#archive.articles.map((a) => [a.article.id, a.article.hash]));
    const after = new Set(articles.map((a) => a.id));
    return {
      added: articles.filter((a) => !before.has(a.id)).map((a) => a.id),
      changed: articles.filter((a) => before.has(a.id) && before.get(a.id) !== a.hash).map((a) => a.id),
      removed: this.#archive.articles.filter((a) => !after.has(a.article.id)).map((a) => a.article.id),
      articles: archive.stats.articles,
      passages: archive.stats.passages,
      figures: archive.stats.figures,
      problems,
      ms: performance.now() - started,
      finishedAt: this.#now(),
      stages: clock.stages,
    };
  }

  async #reindexWith(
    full: boolean,
    started: number,
    clock: StageClock,
    worker: Preparer | null,
    listener: ProgressListener | undefined,
    stats: ReadonlyMap<string, FileStat> | undefined,
    listed: readonly Listed[] | undefined,
  ): Promise<ReindexSummary> {
    const onProgress = listener === undefined ? {} : { onProgress: listener };
    let loaded: CorpusLoad;
    let files: FileFingerprint[];
    const loadOptions: LoadOptions = {
      ...this.#loadOptions,
      ...(worker === null ? {} : { loadFile: worker.loadFile }),
      ...(listed === undefined ? {} : { listed }),
    };
    try {
      ({ loaded, files } = await loadWithFingerprint(
        this.seedsDir,
        { ...loadOptions, ...onProgress },
        full ? null : { files: this.#files, outcomes: this.#outcomes },
        stats,
      ));
    } catch (error) {
      throw failedLoad(error);
    }
    clock.lap('load');
    const { articles: loadedArticles, problems: loadProblems } = loaded;
    if (loadedArticles.length === 0) throw nothingToIndex(this.seedsDir, loadProblems);
    const keep = (): void => {
      this.#files = files;
      this.#listed = loaded.listed;
      this.#outcomes = loaded.outcomes;
      this.#lastLoad = lastLoadOf(loaded);
      this.#reread = new Set();
    };
    if (!full && sameContent(this.#files, files, this.#problems, loadProblems)) {
      // Touched, not edited: keep the archive, remember the new times so the next check is a listing,
      // and what each file loaded as (a duplicate's edit changes no article, but it is what a later reindex reuses).
      keep();
      this.#saveSnapshotLater();
      return this.#unchanged(started, clock);
    }
    return this.#swapIn({ articles: loadedArticles, problems: loadProblems, keep }, full, started, clock, worker, listener);
  }

  /**
   * A reindex told its files, when only they need reading: their new stats, and what they load as,
   * are put into the last load's listing, fingerprint, articles and problems, without a pass over
   * every file (at BBC ×10 the loader's pass over 22,250 files, reusing each, took 30–110 ms). Null
   * when a whole load must tell: no last load to start from (a snapshot that could not tell it,
   * {@link snapshotLoad}), or the archive cap or a duplicate id in play (before or after), which
   * depend on files that were not named.
   */
  async #reindexTold(
    told: ReadonlyMap<string, ToldFile>,
    started: number,
    clock: StageClock,
    worker: Preparer | null,
    listener: ProgressListener | undefined,
  ): Promise<ReindexSummary | null> {
    const last = this.#lastLoad;
    if (last === null || last.capped || last.duplicates) return null;
    const changed: string[] = [];
    let bytes = last.bytes;
    for (const [file, now] of told) {
      const before = atPath(this.#files, file);
      // A file that could not be stat'ed: the loader says why, and counts it as it sees fit.
      if ((now !== null && now.stat.size < 0) || (before !== undefined && before.size < 0)) return null;
      // A file that became a link or stopped being one is read again even with the same stats (a
      // rename keeps the time): whether it may be read at all turns on it.
      const sameKind = now !== null && (atPath(this.#listed ?? [], file)?.link === true) === (now.listed.link === true);
      const same = now === null ? before === undefined : sameKind && before?.size === now.stat.size && before.mtimeMs === now.stat.mtimeMs;
      if (same && (now === null || !this.#reread.has(file))) continue;
      bytes += (now?.stat.size ?? 0) - (before?.size ?? 0);
      changed.push(file);
    }
    clock.lap('stat');
    if (changed.length === 0) return this.#unchanged(started, clock);
    if (bytes > (this.#loadOptions.maxArchiveMb ?? DEFAULT_MAX_ARCHIVE_MB) * 1024 * 1024) return null;
    changed.sort();
    let realRoot: string;
    try {
      realRoot = await realpath(this.seedsDir);
    } catch {
      return null; // The whole load says what is wrong with the folder.
    }
    const load = worker?.loadFile ?? loadFile;
    const outcomes = new Map<string, Article | Problem | null>();
    let read = 0;
    const reading = changed.filter((file) => told.get(file) !== null);
    try {
      let next = 0;
      const reader = async (): Promise<void> => {
        while (next < reading.length) {
          const file = reading[next++] ?? '';
          outcomes.set(file, await load({ realRoot, root: this.seedsDir, file, budgetMs: FILE_BUDGET_MS }));
          listener?.({ phase: 'reading', read: ++read, files: reading.length });
        }
      };
      await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, reading.length) }, reader));
    } catch (error) {
      throw failedLoad(error);
    }
    for (const file of changed) if (told.get(file) === null) outcomes.set(file, null);
    // Ids: a file's article must not take an id another file's has (the loader's first-come rule,
    // which needs every file), nor two changed files one id.
    const ids = new Map<string, string>();
    for (const [file, outcome] of outcomes) {
      if (outcome === null || !('id' in outcome)) continue;
      const owner = this.#archive.fileOf(outcome.id) ?? ids.get(outcome.id);
      if (owner !== undefined && owner !== file) return null;
      ids.set(outcome.id, file);
    }
    const fingerprints = new Map<string, FileFingerprint | null>();
    const articles = new Map<string, Article | null>();
    const problems = new Map<string, Problem | null>();
    const listed = new Map<string, Listed | null>();
    let sameContent = true;
    for (const [file, outcome] of outcomes) {
      const now = told.get(file) ?? null;
      const hash = outcome !== null && 'id' in outcome ? outcome.hash : null;
      fingerprints.set(file, now === null ? null : { file, size: now.stat.size, mtimeMs: now.stat.mtimeMs, hash });
      articles.set(file, outcome !== null && 'id' in outcome ? outcome : null);
      problems.set(file, outcome !== null && !('id' in outcome) ? outcome : null);
      listed.set(file, now?.listed ?? null);
      const before = atPath(this.#files, file);
      const reason = atPath(last.problems, file)?.reason;
      if (now === null || before?.hash !== hash || (outcome !== null && 'reason' in outcome && outcome.reason !== reason)) {
        sameContent = false;
      }
    }
    const files = withChanges(this.#files, fingerprints);
    clock.lap('load');
    const keep = (kept: LastLoad): void => {
      this.#files = files;
      this.#listed = withChanges(this.#listed ?? [], listed);
      for (const [file, outcome] of outcomes) {
        if (outcome === null) this.#outcomes.delete(file);
        else this.#outcomes.set(file, outcome);
      }
      this.#lastLoad = kept;
      this.#reread = new Set();
    };
    if (sameContent) {
      // Touched, not edited: as in a whole load. A problem file may have changed size all the
      // same (a binary file rewritten), and the archive cap counts every file's bytes.
      keep({ ...last, bytes });
      this.#saveSnapshotLater();
      return this.#unchanged(started, clock);
    }
    const loaded: LastLoad = {
      articles: withChanges(last.articles, articles),
      problems: withChanges(last.problems, problems),
      bytes,
      capped: false,
      duplicates: false,
    };
    if (loaded.articles.length === 0) throw nothingToIndex(this.seedsDir, loaded.problems);
    // Only the changed files' articles can come, go or change: the summary looks at their ids alone.
    const candidates = changed.flatMap((file) => {
      const outcome = outcomes.get(file);
      const before = this.#outcomes.get(file);
      return [before, outcome].flatMap((o) => (o !== undefined && o !== null && 'id' in o ? [o.id] : []));
    });
    const before = new Map(candidates.map((id) => [id, this.#archive.article(id)?.article.hash]));
    const changes = (archive: Archive): Pick<ReindexSummary, 'added' | 'changed' | 'removed'> => {
      const added: string[] = [];
      const changedIds: string[] = [];
      const removed: string[] = [];
      for (const [id, hash] of before) {
        const now = archive.article(id)?.article.hash;
        if (hash === undefined && now !== undefined) added.push(id);
        else if (hash !== undefined && now === undefined) removed.push(id);
        else if (hash !== undefined && hash !== now) changedIds.push(id);
      }
      return { added, changed: changedIds, removed };
    };
    const keepLoaded = (): void => {
      keep(loaded);
    };
    return this.#swapIn({ ...loaded, keep: keepLoaded, changes }, false, started, clock, worker, listener);
  }

  /**
   * Builds (`full`) or updates the archive to the loaded articles and swaps it in, with what the load
   * read (`keep`); the summary's added, changed and removed come from `changes` when the caller knows
   * which articles could differ, else from comparing every article.
   */
  async #swapIn(
    load: {
      readonly articles: readonly Article[];
      readonly problems: readonly Problem[];
      readonly keep: () => void;
      readonly changes?: (archive: Archive) => Pick<ReindexSummary, 'added' | 'changed' | 'removed'>;
    },
    full: boolean,
    started: number,
    clock: StageClock,
    worker: Preparer | null,
    listener: ProgressListener | undefined,
  ): Promise<ReindexSummary> {
    const buildOptions: BuildOptions = worker === null ? { now: this.#now } : { now: this.#now, prepared: worker.prepared };
    let archive: Archive;
    if (full) {
      archive = await Archive.build(load.articles, { ...buildOptions, ...(listener === undefined ? {} : { onProgress: listener }) });
      await this.#warmAhead(archive);
    } else {
      const update = await this.#archive.prepareUpdate(load.articles, buildOptions);
      clock.lap('prepare');
      // The commit changes the indexes in place: a snapshot still being written of them must be done first.
      await this.#snapshotWriting;
      // The update's plan ends with a pass over every article, and the commit's first step does
      // another: a turn of the event loop between them, so they are not one long stall.
      await yieldToEventLoop();
      // The commit's work that grows with the archive runs in slices, the old archive answering in
      // between (at BBC ×10 it held answering up for 0.4–1.5 s in one piece); it ends with a short
      // synchronous step that changes the indexes in place. From that step to the swap below
      // nothing awaits: no question sees the old archive once its indexes moved on.
      const steps = update.committing();
      let step = steps.next();
      let sliceStarted = performance.now();
      while (step.done !== true) {
        if (performance.now() - sliceStarted > COMMIT_SLICE_MS) {
          // A turn of the event loop, not a timed pause: questions waiting (due timers, sockets
          // ready) are answered in it, and a commit alone is not held up (at BBC ×10 a one-file
          // commit's 6–7 pauses of 4 ms were 30 ms of its wall time, spent idle).
          await yieldToEventLoop();
          sliceStarted = performance.now();
        }
        step = steps.next();
      }
      clock.lap('commit');
      archive = step.value();
      clock.lap('apply');
      const { stats } = archive;
      listener?.({
        phase: 'indexing',
        indexed: stats.articles,
        articles: stats.articles,
        passages: stats.passages,
        figures: stats.figures,
      });
    }
    const problems = [...load.problems, ...archive.problems];
    let summary: ReindexSummary;
    if (load.changes === undefined) {
      summary = this.#summary(indexed(load.articles, archive), archive, problems, started, clock);
    } else {
      const { stats } = archive;
      summary = {
        ...load.changes(archive),
        articles: stats.articles,
        passages: stats.passages,
        figures: stats.figures,
        problems,
        ms: performance.now() - started,
        finishedAt: this.#now(),
        stages: clock.stages,
      };
    }
    clock.lap('summary');
    this.#archive = archive;
    this.#problems = problems;
    load.keep();
    this.#lastReindex = summary;
    this.#settleLater(archive);
    this.#saveSnapshotLater();
    this.#warmLookups();
    return summary;
  }
}

/** What a load gave that a reindex told its files starts from, and whether it may. */
interface LastLoad {
  /** Articles loaded, and load problems, in path order. */
  readonly articles: readonly Article[];
  readonly problems: readonly Problem[];
  readonly bytes: number;
  readonly capped: boolean;
  readonly duplicates: boolean;
}

const lastLoadOf = (loaded: CorpusLoad): LastLoad => ({
  articles: loaded.articles,
  problems: loaded.problems,
  bytes: loaded.bytes,
  capped: loaded.capped,
  duplicates: loaded.duplicates,
});

/**
 * The last load a start from `snapshot` stands for, so that the first reindex after it reads and
 * compares only what changed, as after a build (at BBC ×10 the loader's pass over every file took 84
 * ms of a 267 ms one-file reindex, the summary's comparison of every article 13 ms): the archive's
 * articles and the load's problems. Null when the snapshot cannot tell them: the archive left
 * articles out (the snapshot keeps why, not the articles), the archive cap is in play, or the
 * listing taken at the start is not the fingerprint's. A duplicate id is found when the files that
 * were problems are read again ({@link Library.#reread}): the told reindex then gives way to a whole load.
 */
function snapshotLoad(snapshot: Snapshot, listed: readonly Listed[] | null, maxBytes: number): LastLoad | null {
  const { files, archive, problems } = snapshot;
  if (listed?.length !== files.length || archive.problems.length > 0) return null;
  let bytes = 0;
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    const entry = listed[i];
    if (file === undefined || entry?.file !== file.file || file.size < 0) return null;
    if (entry.refused === undefined) bytes += file.size;
  }
  if (bytes > maxBytes) return null;
  const articles = archive.articles.map((a) => a.article);
  const inOrder = (sorted: readonly { readonly file: string }[]): boolean =>
    sorted.every((entry, i) => i === 0 || (sorted[i - 1]?.file ?? '') < entry.file);
  if (!inOrder(articles) || !inOrder(problems)) return null;
  // A load the cap cut short gave the files past it neither an article nor a problem; under the cap
  // now (MAX_ARCHIVE_MB raised since), a told reindex would never read them, where a whole load does.
  if (articles.length + problems.length !== files.length) return null;
  return { articles, problems, bytes, capped: false, duplicates: false };
}

/** The files a start from `snapshot` (with the listing `listed`) reads again at the next reindex that reads anything: those that were problems, but for those the listing refused (a whole load does not read them either). */
function rereadAfter(snapshot: Snapshot, listed: readonly Listed[]): Set<string> {
  const refused = new Set(listed.flatMap((l) => (l.refused === undefined ? [] : [l.file])));
  return new Set(snapshot.problems.flatMap((p) => (refused.has(p.file) ? [] : [p.file])));
}

/** A load that failed: the folder unreadable, or the worker hung or died, fails this reindex, not the bot (the next one starts a new worker). */
function failedLoad(error: unknown): unknown {
  if (error instanceof CorpusError || error instanceof PreparerError) {
    return new ReindexFailedError(`${error.message}; still serving the previous index.`);
  }
  return error;
}

/** The reindex found no loadable article: the previous archive stays. */
function nothingToIndex(seedsDir: string, problems: readonly Problem[]): ReindexFailedError {
  const why = problems.length > 0 ? `none of its ${problems.length} files could be loaded` : 'it holds no articles';
  return new ReindexFailedError(`Nothing to index in ${seedsDir}: ${why}; still serving the previous index.`, problems);
}

/** Whether two loads hold the same files with the same contents, and the same load problems. */
function sameContent(
  before: readonly FileFingerprint[],
  after: readonly FileFingerprint[],
  problemsBefore: readonly Problem[],
  loadProblems: readonly Problem[],
): boolean {
  if (before.length !== after.length) return false;
  for (let i = 0; i < before.length; i++) if (before[i]?.file !== after[i]?.file || before[i]?.hash !== after[i]?.hash) return false;
  const reasons = new Map(problemsBefore.map((p) => [p.file, p.reason]));
  return loadProblems.every((p) => reasons.get(p.file) === p.reason);
}
