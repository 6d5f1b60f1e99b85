import { randomUUID } from 'node:crypto';
import { closeSync, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import {
  BodyChecksum,
  decodeSnapshotFile,
  frameBytesRead,
  HEADER_BYTES,
  snapshotFrames,
  snapshotHeader,
  SnapshotRejected,
  type FileFingerprint,
  type FrameAlloc,
  type FrameBytes,
  type FrameSource,
  type Snapshot,
} from './archive-codec.ts';
import { isSkippedFile, listCorpusFiles, type Listed } from './corpus.ts';
import type { LoadResult } from './types.ts';

/** Size and modification time of a corpus file: what tells, cheaply, that it may have changed. */
export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
}

/** How long {@link statCorpus} stats files before it lets waiting questions in. */
const STAT_SLICE_MS = 8;

/**
 * Size and modification time of every file the loader would look at under `root`, in path order.
 * Take it before loading: a file that changes while it is read then looks changed next time, never
 * the reverse. Every reindex starts with this, so it is the floor of a one-file reindex: files are
 * stat'ed synchronously, a few milliseconds at a time with the event loop's turn between (at BBC
 * ×10, 22,250 promise-based stats took 0.9–1.7 s, their promises and results feeding the garbage
 * collector; synchronous ones 0.2–0.7 s under the same load).
 */
export async function statCorpus(root: string): Promise<Map<string, FileStat>> {
  return (await statListing(root)).stats;
}

/** {@link statCorpus}, with the listing it stat'ed (in path order), for the loader to take instead of listing the folder again. */
export async function statListing(root: string): Promise<NamedStats> {
  const listed = (await listCorpusFiles(root)).sort((a, b) => byPath(a.file, b.file));
  const stats = new Map<string, FileStat>();
  let sliceStarted = performance.now();
  for (const { file } of listed) {
    if (performance.now() - sliceStarted > STAT_SLICE_MS) {
      await yieldToEventLoop();
      sliceStarted = performance.now();
    }
    // Gone or unreadable: the loader will say why; a missing entry always reads as "changed".
    stats.set(file, statOf(path.join(root, file)));
  }
  return { listed, stats };
}

const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A file's size and time as {@link statCorpus} takes them: through a link; a missing file reads as changed. */
export function statOf(file: string): FileStat {
  let info: Stats | undefined;
  try {
    info = statSync(file, { throwIfNoEntry: false });
  } catch {
    info = undefined;
  }
  return info === undefined ? { size: -1, mtimeMs: -1 } : { size: info.size, mtimeMs: info.mtimeMs };
}

/** What {@link statNamed} gives: the listing and stats {@link statCorpus} and the loader would find now. */
export interface NamedStats {
  readonly listed: Listed[];
  readonly stats: Map<string, FileStat>;
}

/** A named file as it is now: its listing entry and stats, or null when the listing no longer holds it. */
export type ToldFile = { readonly listed: Listed; readonly stat: FileStat } | null;

/** The first index of `sorted` (in path order by `file`) whose file is not before `file`. */
export function pathIndex(sorted: readonly { readonly file: string }[], file: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid]?.file ?? '') < file) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The entry of `sorted` (in path order) for `file`, if it has one. */
export function atPath<T extends { readonly file: string }>(sorted: readonly T[], file: string): T | undefined {
  const found = sorted[pathIndex(sorted, file)];
  return found?.file === file ? found : undefined;
}

/**
 * `sorted` (in path order by `file`) with the entries of `changes`' files put in (a value) or taken
 * out (null), still in path order: a copy, whatever the changes.
 */
export function withChanges<T extends { readonly file: string }>(sorted: readonly T[], changes: ReadonlyMap<string, T | null>): T[] {
  const files = [...changes.keys()].sort(byPath);
  const pieces: T[][] = [];
  let from = 0;
  for (const file of files) {
    const at = pathIndex(sorted, file);
    pieces.push(sorted.slice(from, at));
    from = sorted[at]?.file === file ? at + 1 : at;
    const entry = changes.get(file);
    if (entry !== null && entry !== undefined) pieces.push([entry]);
  }
  pieces.push(sorted.slice(from));
  // Joined by hand: flat() took 2.5 ms a call over 22,250 entries, this 0.4 ms; and concat's
  // spread of pieces would be a call with thousands of arguments when thousands of files changed.
  const joined: T[] = [];
  for (const piece of pieces) for (const entry of piece) joined.push(entry);
  return joined;
}

/**
 * The most names {@link statTold} stats in one go: two stats a name, a few milliseconds in all
 * on a quiet disk. More go to the full stat, which yields between slices.
 */
export const MAX_TOLD_NAMES = 500;

/**
 * What changed in the folder, going by `names` alone (paths relative to `root`, as a folder
 * watcher reports them), against the last load's listing and fingerprint (both in path order): only
 * the named files are stat'ed, so a one-file change costs a few system calls and lookups, not one
 * per file of the archive. Gives each named file the listing holds now or held, as it is now; or
 * null when only a full listing and {@link statCorpus} can tell: a name that is a folder, or was the
 * folder of known files, or lies under a link; a folder holding a link; anything odd.
 */
export function statTold(
  root: string,
  previous: { readonly listed: readonly Listed[]; readonly files: readonly FileFingerprint[] },
  names: Iterable<string>,
): Map<string, ToldFile> | null {
  // A link's target can change under another name, and a listing and fingerprint that disagree
  // are of two different loads: only a full check tells.
  if (previous.files.length !== previous.listed.length || previous.listed.some((listed) => listed.link === true)) return null;
  // These stats run in one go on the answering thread: a burst of names (a checkout, a folder
  // copied in) goes to the full stat, which pauses between slices.
  const told = [...names];
  if (told.length > MAX_TOLD_NAMES) return null;
  const folders = new Map<string, boolean>();
  /** Whether a folder is one the listing walks into: a real folder, not a link to one. */
  const isFolder = (folder: string): boolean => {
    let real = folders.get(folder);
    if (real === undefined) {
      real = lstatSync(path.join(root, folder), { throwIfNoEntry: false })?.isDirectory() === true;
      folders.set(folder, real);
    }
    return real;
  };
  const changes = new Map<string, ToldFile>();
  for (const name of told) {
    const file = path.posix.normalize(name.split(path.sep).join('/'));
    if (file === '.' || file === '' || file.startsWith('../') || file === '..' || path.posix.isAbsolute(file)) return null;
    const parts = file.split('/');
    // The listing never looks at hidden files or into hidden folders.
    if (parts.some((part) => part.startsWith('.'))) continue;
    for (let depth = 1; depth < parts.length; depth++) if (!isFolder(parts.slice(0, depth).join('/'))) return null;
    let info: Stats | undefined;
    try {
      info = lstatSync(path.join(root, file), { throwIfNoEntry: false });
    } catch {
      return null;
    }
    const known = atPath(previous.listed, file) !== undefined;
    if (info === undefined) {
      // Gone: a file leaves the listing; a folder's files are not known one by one.
      if (!known && previous.listed[pathIndex(previous.listed, `${file}/`)]?.file.startsWith(`${file}/`) === true) return null;
      if (known) changes.set(file, null);
      continue;
    }
    if (info.isDirectory()) return null;
    if (isSkippedFile(parts.at(-1) ?? '')) continue;
    if (!info.isFile() && !info.isSymbolicLink()) return null;
    changes.set(file, { listed: info.isSymbolicLink() ? { file, link: true } : { file }, stat: statOf(path.join(root, file)) });
  }
  return changes;
}

/**
 * The folder's listing and stats after changes to `names` alone, as {@link statTold} finds them:
 * what a full listing and {@link statCorpus} would give, or null when only they can tell.
 */
export function statNamed(
  root: string,
  previous: { readonly listed: readonly Listed[]; readonly files: readonly FileFingerprint[] },
  names: Iterable<string>,
): NamedStats | null {
  const changes = statTold(root, previous, names);
  return changes === null ? null : withTold(previous, changes);
}

/** The whole listing and stats, from the last load's and what {@link statTold} found changed. */
export function withTold(
  previous: { readonly listed: readonly Listed[]; readonly files: readonly FileFingerprint[] },
  changes: ReadonlyMap<string, ToldFile>,
): NamedStats {
  const listed = withChanges(previous.listed, new Map([...changes].map(([file, told]) => [file, told?.listed ?? null])));
  const stats = new Map<string, FileStat>(previous.files.map((f) => [f.file, { size: f.size, mtimeMs: f.mtimeMs }]));
  for (const [file, told] of changes) {
    if (told === null) stats.delete(file);
    else stats.set(file, told.stat);
  }
  return { listed, stats };
}

/** The last load's listing and fingerprint (both in path order, one entry a file), as {@link scanChanges} compares the folder with them. */
export interface ScanBasis {
  readonly listed: readonly Listed[];
  readonly files: readonly FileFingerprint[];
}

/**
 * A {@link ScanBasis} packed for a worker thread: the names in one string, the sizes, times and
 * link flags in typed arrays. Cloning 22,250 fingerprint objects into a message takes the answering
 * thread milliseconds on each side; one string and three arrays are copied as bytes.
 */
export interface PackedBasis {
  /** The files' paths, joined by NUL (which no path holds). */
  readonly names: string;
  readonly sizes: Float64Array;
  readonly mtimes: Float64Array;
  /** 1 for a symbolic link. */
  readonly links: Uint8Array;
}

/** Whether {@link scanChanges} can compare the folder with `basis`: the listing and fingerprint are of one load, and no file was refused by the listing (a folder that cannot be read, a FIFO), whose reason a whole load works out. */
function scannable(basis: ScanBasis): boolean {
  const { listed, files } = basis;
  if (listed.length !== files.length) return false;
  for (let i = 0; i < listed.length; i++) if (listed[i]?.refused !== undefined || listed[i]?.file !== files[i]?.file) return false;
  return true;
}

/** `basis` packed for the worker ({@link PackedBasis}), or null when {@link scanChanges} could not use it anyway. */
export function packBasis(basis: ScanBasis): PackedBasis | null {
  if (!scannable(basis)) return null;
  const count = basis.files.length;
  const sizes = new Float64Array(count);
  const mtimes = new Float64Array(count);
  const links = new Uint8Array(count);
  const names: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const file = basis.files[i];
    names[i] = file?.file ?? '';
    sizes[i] = file?.size ?? -1;
    mtimes[i] = file?.mtimeMs ?? -1;
    links[i] = basis.listed[i]?.link === true ? 1 : 0;
  }
  return { names: names.join('\0'), sizes, mtimes, links };
}

/**
 * A load's listing packed for another thread: the names in one string, the links in an array, the
 * few refused files apart. A full reindex's worker hands it back with the archive, so the next
 * reindex can scan for changes instead of listing and loading the whole folder on the answering thread.
 */
export interface PackedListing {
  /** The files' paths, joined by NUL (which no path holds). */
  readonly names: string;
  /** 1 for a symbolic link. */
  readonly links: Uint8Array;
  /** The files the listing refused, by their place, and why. */
  readonly refused: readonly { readonly at: number; readonly reason: string }[];
}

/** `listed` packed as {@link PackedListing}. */
export function packListing(listed: readonly Listed[]): PackedListing {
  const links = new Uint8Array(listed.length);
  const refused: { at: number; reason: string }[] = [];
  listed.forEach((entry, at) => {
    if (entry.link === true) links[at] = 1;
    if (entry.refused !== undefined) refused.push({ at, reason: entry.refused });
  });
  return { names: listed.map((entry) => entry.file).join('\0'), links, refused };
}

/** The listing {@link packListing} packed. */
export function unpackListing(packed: PackedListing): Listed[] {
  const names = packed.names === '' ? [] : packed.names.split('\0');
  const listed: Listed[] = names.map((file, i) => (packed.links[i] === 1 ? { file, link: true } : { file }));
  for (const { at, reason } of packed.refused) {
    const entry = listed[at];
    if (entry !== undefined) listed[at] = { ...entry, refused: reason };
  }
  return listed;
}

/** The {@link ScanBasis} {@link packBasis} packed (content hashes are not needed to compare, and come back null). */
export function unpackBasis(packed: PackedBasis): ScanBasis {
  const names = packed.names === '' ? [] : packed.names.split('\0');
  const listed: Listed[] = names.map((file, i) => (packed.links[i] === 1 ? { file, link: true } : { file }));
  const files: FileFingerprint[] = names.map((file, i) => ({
    file,
    size: packed.sizes[i] ?? -1,
    mtimeMs: packed.mtimes[i] ?? -1,
    hash: null,
  }));
  return { listed, files };
}

/**
 * What changed in the folder against the last load's listing and fingerprint, found by listing the
 * folder and statting every file (through links, so an edited link target shows): each file that
 * came, changed size or time, became or stopped being a link, or cannot be stat'ed, as it is now;
 * each file that went, as null. The same as {@link statTold} gives told every changed name, so a
 * reindex takes it the same way, reading and comparing only the changed files; but it misses
 * nothing the watcher missed. Null when only a whole load can tell: the folder cannot be listed,
 * or the listing refuses a file. Stats a few milliseconds at a time with the event loop's turn in
 * between; the reindex worker runs it, so the answering thread does none of it.
 */
export async function scanChanges(root: string, basis: ScanBasis): Promise<Map<string, ToldFile> | null> {
  if (!scannable(basis)) return null;
  let listed: Listed[];
  try {
    listed = (await listCorpusFiles(root)).sort((a, b) => byPath(a.file, b.file));
  } catch {
    return null;
  }
  const before = basis.listed;
  const changes = new Map<string, ToldFile>();
  // The listing's names are plain relative paths: joined by hand, as path.join would join them
  // (which, normalising each, took a fifth of the stat at BBC ×10).
  const prefix = path.join(root, path.sep);
  let j = 0;
  let sliceStarted = performance.now();
  for (const entry of listed) {
    if (entry.refused !== undefined) return null;
    if (performance.now() - sliceStarted > STAT_SLICE_MS) {
      await yieldToEventLoop();
      sliceStarted = performance.now();
    }
    // Both in path order: files before this one that the listing no longer holds are gone.
    while (j < before.length && (before[j]?.file ?? '') < entry.file) changes.set(before[j++]?.file ?? '', null);
    const known = before[j]?.file === entry.file ? basis.files[j] : undefined;
    const wasLink = known !== undefined && before[j]?.link === true;
    if (known !== undefined) j++;
    const stat = statOf(prefix + entry.file);
    if (known?.size !== stat.size || known.mtimeMs !== stat.mtimeMs || stat.size < 0 || wasLink !== (entry.link === true)) {
      changes.set(entry.file, { listed: entry, stat });
    }
  }
  while (j < before.length) changes.set(before[j++]?.file ?? '', null);
  return changes;
}

/** The fingerprint of a load: each file's stat, taken before loading, with its article's hash (null for a problem). */
export function fingerprintOf(stats: ReadonlyMap<string, FileStat>, loaded: LoadResult): FileFingerprint[] {
  const hashes = new Map<string, string | null>(loaded.articles.map((a) => [a.file, a.hash]));
  for (const problem of loaded.problems) hashes.set(problem.file, null);
  // In path order already when the stats came from statCorpus: the sort then only checks it.
  return [...stats]
    .map(([file, s]) => ({ file, size: s.size, mtimeMs: s.mtimeMs, hash: hashes.get(file) ?? null }))
    .sort((a, b) => byPath(a.file, b.file));
}

/** What differs between a snapshot's files and the folder now, by size and modification time. */
export interface CorpusDiff {
  /** New files, and files whose size or modification time changed. */
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

/** Compares a snapshot's fingerprint with the folder's stats now. */
export function diffCorpus(before: readonly FileFingerprint[], now: ReadonlyMap<string, FileStat>): CorpusDiff {
  const known = new Map(before.map((f) => [f.file, f]));
  const changed: string[] = [];
  for (const [file, s] of now) {
    const old = known.get(file);
    if (old?.size !== s.size || old.mtimeMs !== s.mtimeMs || s.size < 0) changed.push(file);
  }
  const removed = before.filter((f) => !now.has(f.file)).map((f) => f.file);
  return { changed: changed.sort(), removed };
}

/** Bytes read at a time while a checksum is worked out. */
const CHECKSUM_READ_BYTES = 1 << 20;

/** The checksum of bytes `start` to `end` of an open file, as {@link BodyChecksum} works it out, in this thread. */
function checksumHere(fd: number, start: number, end: number): Buffer {
  const checksum = new BodyChecksum();
  const piece = Buffer.allocUnsafe(CHECKSUM_READ_BYTES);
  for (let at = start; at < end;) {
    const read = readSync(fd, piece, 0, Math.min(piece.length, end - at), at);
    if (read <= 0) break;
    checksum.update(piece.subarray(0, read));
    at += read;
  }
  return checksum.digest();
}

/**
 * Files from this size on are read in a worker thread while this one decodes (at BBC ×10 reading
 * and checking the file took a second or more of a start); below it, starting a thread costs more
 * than it saves.
 */
export const READER_WORKER_BYTES = 32 << 20;

/**
 * The worker that reads a large snapshot's frames beside decoding, in plain JavaScript (no loader,
 * no module of ours), so it starts in milliseconds from the sources and the build alike. It reads
 * each frame through the same open file, works out the checksum over every byte as it goes, and
 * moves each frame's value and raw arrays over in buffers of their own (transferred, not copied),
 * counting each message posted in `signal` so the decoding thread can wait for the next one. Fresh
 * memory is dear: filling 200 MB of new buffers from the file took 0.8 s on the 2-core test
 * machine, and 25–50 ms into a buffer used again, so the new buffers are filled in this thread.
 */
const READER_WORKER = `
const { workerData } = require('node:worker_threads');
const { readSync } = require('node:fs');
const { crc32 } = require('node:zlib');
const { fd, start, end, port, signal } = workerData;
const posted = new Int32Array(signal);
const post = (message, transfer) => {
  port.postMessage(message, transfer);
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
};
let value = 0;
let scratch = Buffer.allocUnsafe(1 << 20);
const readInto = (length, position) => {
  if (scratch.length < length) scratch = Buffer.allocUnsafe(Math.max(length, 2 * scratch.length));
  let done = 0;
  while (done < length) {
    const read = readSync(fd, scratch, done, length - done, position + done);
    if (read <= 0) break;
    done += read;
  }
  value = crc32(scratch.subarray(0, done), value);
  return done;
};
const own = (from, to) => {
  const out = new Uint8Array(Math.max(0, to - from));
  out.set(scratch.subarray(from, to));
  return out;
};
let at = start;
let broken = false;
try {
  while (at < end) {
    if (at + 8 > end) { broken = true; break; }
    const got = readInto(8, at);
    at += got;
    if (got < 8) { broken = true; break; }
    const length = scratch.readUInt32BE(0);
    const valueLength = scratch.readUInt32BE(4);
    if (at - 4 + length > end || valueLength > length - 4) { broken = true; break; }
    const rest = length - 4;
    const read = readInto(rest, at);
    at += read;
    if (read < rest) { broken = true; break; }
    const bytes = own(0, valueLength);
    const raw = own(((8 + valueLength + 7) & ~7) - 8, rest);
    post({ value: bytes, raw }, [bytes.buffer, raw.buffer]);
  }
  if (broken) {
    post({ broken: true });
    while (at < end) {
      const read = readInto(Math.min(1 << 20, end - at), at);
      if (read <= 0) break;
      at += read;
    }
  }
} catch {
  post({ broken: true });
}
post({ checksum: value >>> 0 });
`;

/** How long the decoding thread waits for the reading worker's next message before it gives up on the snapshot. */
const READER_STALL_MS = 60_000;

/** What the reading worker posts: a frame, that the frames are damaged, or at the end the checksum. */
type ReaderMessage = { value: Uint8Array; raw: Uint8Array } | { broken: true } | { checksum: number };

/**
 * A large snapshot's frames read in a worker thread ({@link READER_WORKER}) and handed over as they
 * come, this thread waiting (synchronously: it decodes synchronously) when it is ahead; null when the
 * worker cannot start. `stop` ends the worker, which may still be reading when decoding failed.
 */
function framesFromWorker(fd: number, start: number, end: number): (FrameSource & { stop(): Promise<number> }) | null {
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const posted = new Int32Array(signal);
  let worker: Worker;
  try {
    // No flags of this process (tsx's loader, say): the worker needs none.
    worker = new Worker(READER_WORKER, {
      eval: true,
      execArgv: [],
      workerData: { fd, start, end, port: port2, signal },
      transferList: [port2],
    });
  } catch {
    return null;
  }
  let checksum: number | null = null;
  const next = (): ReaderMessage => {
    for (;;) {
      const before = Atomics.load(posted, 0);
      const got = receiveMessageOnPort(port1);
      if (got !== undefined) return got.message as ReaderMessage;
      if (Atomics.wait(posted, 0, before, READER_STALL_MS) === 'timed-out') {
        throw new SnapshotRejected(`the snapshot could not be read (its reader went ${READER_STALL_MS / 1000} s without a word)`);
      }
    }
  };
  function* frames(): Generator<FrameBytes> {
    for (;;) {
      const message = next();
      if ('checksum' in message) {
        checksum = message.checksum;
        return;
      }
      if ('broken' in message) throw new SnapshotRejected("the snapshot's frame is malformed");
      const { value, raw } = message;
      yield {
        value: Buffer.from(value.buffer, value.byteOffset, value.length),
        raw: Buffer.from(raw.buffer, raw.byteOffset, raw.length),
      };
    }
  }
  return {
    frames: frames(),
    checksum: () => {
      // Frames decoding did not take (it failed midway) are let go as they come.
      while (checksum === null) {
        const message = next();
        if ('checksum' in message) checksum = message.checksum;
      }
      const digest = Buffer.alloc(4);
      digest.writeUInt32BE(checksum, 0);
      return Promise.resolve(digest);
    },
    stop: () => {
      port1.close();
      return worker.terminate();
    },
  };
}

/**
 * Reads a snapshot file. Returns why not, as a sentence, when it is absent, unreadable, damaged or
 * of another format version: the caller rebuilds; a snapshot never stops Factdesk from starting.
 * The file is read a frame at a time, and, when it is large, in another thread, which works out the
 * checksum too, while this one decodes (`readerWorkerFrom` bytes on; tests lower it).
 */
export async function readSnapshot(
  file: string,
  readerWorkerFrom = READER_WORKER_BYTES,
): Promise<Snapshot | { readonly rejected: string }> {
  let fd: number;
  let size: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { rejected: code === 'ENOENT' ? 'there is no snapshot yet' : `the snapshot cannot be read (${code})` };
  }
  let reader: ReturnType<typeof framesFromWorker> = null;
  try {
    size = fstatSync(fd).size;
    const read = (into: Uint8Array, length: number, position: number): number => readSync(fd, into, 0, length, position);
    return await decodeSnapshotFile(read, size, (start) => {
      reader = size - start >= readerWorkerFrom ? framesFromWorker(fd, start, size) : null;
      if (reader !== null) return reader;
      // Read here, and the checksum worked out after.
      return { frames: frameBytesRead(read, start, size), checksum: () => Promise.resolve(checksumHere(fd, start, size)) };
    });
  } catch (error) {
    if (error instanceof SnapshotRejected) return { rejected: error.message };
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) return { rejected: `the snapshot cannot be read (${code})` };
    throw error;
  } finally {
    // The worker is done with the file once it has sent the checksum; one stopped midway is stopped first.
    await (reader as ReturnType<typeof framesFromWorker>)?.stop();
    closeSync(fd);
  }
}

/** How long the writer works out frames before it lets waiting questions in. */
const SLICE_MS = 8;
/** Bytes gathered before they go to the file. */
const WRITE_BYTES = 1 << 20;
/**
 * The buffer the writer packs frames into: past {@link WRITE_BYTES} it is written out, so a frame
 * of up to 3 MB (the passage index's postings, 500,000 to a frame) still fits in what is left.
 */
const CHUNK_BYTES = 4 << 20;

/** An open file as {@link writeSnapshot} uses it: a `FileHandle` of node:fs/promises. */
export interface SnapshotHandle {
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ readonly bytesWritten: number }>;
  close(): Promise<void>;
}

/** What {@link writeSnapshot} needs of the file system: node:fs/promises, or a stand-in in tests. */
export interface SnapshotFs {
  mkdir(folder: string, options: { recursive: true }): Promise<unknown>;
  open(file: string, flags: 'w'): Promise<SnapshotHandle>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string, options: { force: true }): Promise<void>;
}

const NODE_FS: SnapshotFs = { mkdir, open, rename, rm };

/**
 * Writes all of `bytes` at `position`: a write may take fewer bytes than it was given (a short
 * write, as `pwrite` may make), and the rest is written after them, never left as a hole.
 */
async function writeAll(handle: SnapshotHandle, bytes: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    if (!(bytesWritten > 0)) throw new Error(`writing the snapshot made no progress at byte ${position + done}`);
    done += bytesWritten;
  }
}

/**
 * Writes a snapshot atomically: to a temporary file beside it, then renamed over it, so a crash
 * mid-write leaves the previous snapshot, never half of one. The archive is encoded a frame at a
 * time and the event loop gets its turn every few milliseconds, so questions asked meanwhile are
 * answered; the checksum goes in front at the end. The archive must not change until this resolves.
 * Returns the snapshot's size in bytes. Frames are packed into a reused buffer of `chunkBytes`
 * (tests make it small, so frames also go in buffers of their own).
 */
export async function writeSnapshot(file: string, snapshot: Snapshot, fs: SnapshotFs = NODE_FS, chunkBytes = CHUNK_BYTES): Promise<number> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  let handle: SnapshotHandle | null = null;
  try {
    handle = await fs.open(temporary, 'w');
    const checksum = new BodyChecksum();
    let position = HEADER_BYTES;
    // Frames are packed one after another into one buffer, written out from there and the buffer
    // used again: a new buffer per frame, then one joining them, made the snapshot's size in
    // garbage twice over (400 MB at BBC ×10), and the collections it cost stalled answering.
    // A frame that does not fit in what is left gets a buffer of its own.
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let used = 0;
    const alloc: FrameAlloc = (size) => {
      if (used + size > chunk.length) return Buffer.alloc(size);
      const frame = chunk.subarray(used, used + size).fill(0);
      used += size;
      return frame;
    };
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (to: SnapshotHandle): Promise<void> => {
      // Frames packed one after another in the chunk go out in one write.
      const inChunk = pending.every((frame) => frame.buffer === chunk.buffer);
      for (const bytes of inChunk ? [chunk.subarray(0, used)] : pending) {
        await writeAll(to, bytes, position);
        position += bytes.length;
      }
      pending = [];
      pendingBytes = 0;
      used = 0;
    };
    let sliceStarted = performance.now();
    for (const frame of snapshotFrames(snapshot, 'msgpack', alloc)) {
      checksum.update(frame);
      pending.push(frame);
      pendingBytes += frame.length;
      if (pendingBytes >= WRITE_BYTES || performance.now() - sliceStarted > SLICE_MS) {
        // Writing hands the bytes to libuv's threads, and questions waiting get their turn meanwhile.
        await flush(handle);
        sliceStarted = performance.now();
      }
    }
    await flush(handle);
    const header = snapshotHeader(checksum.digest());
    await writeAll(handle, header, 0);
    await handle.close();
    handle = null;
    await fs.rename(temporary, file);
    return position;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

/**
 * How long a snapshot's temporary file must have gone unwritten before it is taken for one a killed
 * writer left: a writer at work adds to its file every few milliseconds. One hour.
 */
export const STALE_TEMPORARY_MS = 60 * 60 * 1000;

/** The name a writer gives its temporary file after the snapshot's own: `.<uuid>.tmp`. */
const TEMPORARY_SUFFIX = /^\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/u;

/**
 * Removes the temporary files beside a snapshot that writers killed mid-write left behind (a
 * `kill -9`, a crash, a power cut): each may be as large as the snapshot, and nothing else would
 * ever remove them. Only those unwritten for {@link STALE_TEMPORARY_MS}, since another process
 * sharing the folder may be writing one now, and only regular files. Returns how many it removed;
 * a folder it cannot read, or a file gone meanwhile, is not an error.
 */
export async function removeStaleTemporaries(file: string, now: number = Date.now()): Promise<number> {
  const folder = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(base) || !TEMPORARY_SUFFIX.test(name.slice(base.length))) continue;
    const full = path.join(folder, name);
    try {
      const stats = await lstat(full);
      if (!stats.isFile() || now - stats.mtimeMs < STALE_TEMPORARY_MS) continue;
      await rm(full, { force: true });
      removed++;
    } catch {
      // Gone meanwhile, or not ours to remove: either way nothing to do.
    }
  }
  return removed;
}

/** What {@link writeSnapshotBytes} tells its caller as it goes. */
export interface SnapshotWriteHooks {
  /** The temporary file about to be written: whoever stops the writer midway removes it. */
  readonly temporary?: (file: string) => void;
  /** Called after each piece written, so a watchdog can tell a long write from a hung writer. */
  readonly working?: () => void;
}

/** How much of an encoded snapshot is written between two {@link SnapshotWriteHooks.working} calls. */
export const WRITE_PIECE_BYTES = 8 << 20;

/**
 * Writes snapshot bytes already encoded (a reindex worker's) atomically, as {@link writeSnapshot}
 * does: to a temporary file beside it, then renamed over it; a piece at a time, saying so after each.
 */
export async function writeSnapshotBytes(
  file: string,
  bytes: Uint8Array,
  hooks: SnapshotWriteHooks = {},
  fs: SnapshotFs = NODE_FS,
): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  hooks.temporary?.(temporary);
  let handle: SnapshotHandle | null = null;
  try {
    handle = await fs.open(temporary, 'w');
    for (let at = 0; at < bytes.length; at += WRITE_PIECE_BYTES) {
      const piece = Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(WRITE_PIECE_BYTES, bytes.length - at));
      await writeAll(handle, piece, at);
      hooks.working?.();
    }
    await handle.close();
    handle = null;
    await fs.rename(temporary, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
