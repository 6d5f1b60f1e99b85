/**
 * A full reindex as a reindex worker runs it: load the folder, build the archive, and encode it
 * as snapshot bytes, all off the answering thread. The answering thread then only decodes those
 * bytes, a slice at a time, and writes nothing: the worker writes the snapshot file too.
 */
import path from 'node:path';
import { BodyChecksum, snapshotFrames, snapshotHeader, type FileFingerprint, type Snapshot } from './archive-codec.ts';
import { Archive } from './archive.ts';
import { CorpusError, loadArticles, type CorpusLoad, type LoadOptions } from './corpus.ts';
import type { ProgressListener } from './progress.ts';
import { fingerprintOf, packListing, statCorpus, type FileStat, type PackedListing } from './snapshot.ts';
import type { Article, Problem } from './types.ts';

/** What a full build in the worker needs to know. */
export interface FullBuildJob {
  readonly seedsDir: string;
  readonly maxArchiveMb?: number;
  /** The answering thread's clock when the reindex started (tests fix it). */
  readonly nowMs: number;
}

/** What a full build gave: the snapshot's bytes, or why there is nothing to index. */
export type FullBuild =
  /** With the load's listing, for the next reindex to scan the folder against; the bytes are in a SharedArrayBuffer. */
  | { readonly kind: 'built'; readonly bytes: Uint8Array; readonly listing: PackedListing }
  /** The folder could not be read (a {@link CorpusError}'s message). */
  | { readonly kind: 'unreadable'; readonly reason: string }
  /** No file loaded as an article. */
  | { readonly kind: 'empty'; readonly problems: readonly Problem[] };

/**
 * Loads `job.seedsDir` and builds its archive, encoded as snapshot bytes (header and frames, as a
 * snapshot file holds them). Runs in the reindex worker; tells `onProgress` as it reads and
 * indexes, and calls `working` between frames while it encodes, so a watchdog knows it is alive.
 */
export async function buildSnapshotBytes(job: FullBuildJob, onProgress: ProgressListener, working: () => void): Promise<FullBuild> {
  const loadOptions: LoadOptions = job.maxArchiveMb === undefined ? { onProgress } : { maxArchiveMb: job.maxArchiveMb, onProgress };
  let loaded: CorpusLoad;
  let files: FileFingerprint[];
  try {
    ({ loaded, files } = await loadWithFingerprint(job.seedsDir, loadOptions, null));
  } catch (error) {
    if (error instanceof CorpusError) return { kind: 'unreadable', reason: error.message };
    throw error;
  }
  if (loaded.articles.length === 0) return { kind: 'empty', problems: loaded.problems };
  const archive = await Archive.build(loaded.articles, { now: () => new Date(job.nowMs), onProgress });
  const problems = [...loaded.problems, ...archive.problems];
  return {
    kind: 'built',
    bytes: sharedSnapshotBytes({ root: path.resolve(job.seedsDir), archive, files, problems }, working),
    listing: packListing(loaded.listed),
  };
}

/**
 * The snapshot's bytes (header and frames) in one SharedArrayBuffer, which the answering thread
 * reads and this one writes to the file without a copy of it being made for either. The frames
 * are copied in one by one and let go, the checksum summed as they come: joining them into a body,
 * then a header and the body into the bytes, then copying those to move them over, had up to four
 * copies of the snapshot alive at once (at BBC ×10, 179 MB each).
 */
function sharedSnapshotBytes(snapshot: Snapshot, working: () => void): Uint8Array {
  const frames: (Buffer | null)[] = [];
  const checksum = new BodyChecksum();
  let size = 0;
  for (const frame of snapshotFrames(snapshot)) {
    frames.push(frame);
    checksum.update(frame);
    size += frame.length;
    working();
  }
  const header = snapshotHeader(checksum.digest());
  const bytes = new Uint8Array(new SharedArrayBuffer(header.length + size));
  bytes.set(header, 0);
  let at = header.length;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i];
    if (frame === null || frame === undefined) continue;
    bytes.set(frame, at);
    at += frame.length;
    frames[i] = null;
  }
  return bytes;
}

/**
 * Loads the folder, with each file's size and time taken before it was read (`stats`, when the
 * caller has just taken them: a reindex stats every file once, to see whether anything changed).
 * With what a previous load gave, a file whose size and time are as they were then is not read again.
 */
export async function loadWithFingerprint(
  seedsDir: string,
  options: LoadOptions,
  previous: { readonly files: readonly FileFingerprint[]; readonly outcomes: ReadonlyMap<string, Article | Problem> } | null,
  taken?: ReadonlyMap<string, FileStat>,
): Promise<{ loaded: CorpusLoad; files: FileFingerprint[] }> {
  // An unreadable folder is the loader's to report; an empty fingerprint only means "rebuild next time".
  const stats = taken ?? (await statCorpus(seedsDir).catch(() => new Map<string, FileStat>()));
  let reuse: LoadOptions['reuse'];
  if (previous !== null) {
    const before = new Map(previous.files.map((f) => [f.file, f]));
    reuse = (file) => {
      const now = stats.get(file);
      const then = before.get(file);
      const same = now !== undefined && now.size >= 0 && then?.size === now.size && then.mtimeMs === now.mtimeMs;
      return same ? previous.outcomes.get(file) : undefined;
    };
  }
  const sizeOf = (file: string): number | undefined => stats.get(file)?.size;
  const loaded = await loadArticles(seedsDir, reuse === undefined ? { ...options, sizeOf } : { ...options, reuse, sizeOf });
  return { loaded, files: fingerprintOf(stats, loaded) };
}
