import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, realpathSync, type Dirent } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DEFAULT_MAX_ARCHIVE_MB } from './archive-limits.ts';
import { ArticleError, parseArticle } from './articles.ts';
import type { ProgressListener } from './progress.ts';
import type { Article, LoadResult, Problem } from './types.ts';
import { formatDuration } from './durations.ts';

export { DEFAULT_MAX_ARCHIVE_MB };

/** The corpus folder itself cannot be read: nothing at all can be loaded from it. */
export class CorpusError extends Error {
  override readonly name = 'CorpusError';
}

export const MAX_ARTICLE_BYTES = 1024 * 1024;
const ARTICLE_EXTENSIONS = new Set(['.txt', '.md', '.markdown']);
const SKIPPED_NAMES = /^(?:readme|licen[cs]e|copying)(?:[.-].*)?$/iu;
/** Files read at once. */
export const READ_CONCURRENCY = 32;
/** Longest one file may take to decode and parse before it is refused as a problem. */
export const FILE_BUDGET_MS = 2_000;
/** Parsing yields to the event loop once it has run this long, so questions keep being answered. */
const SLICE_MS = 10;

/** True for files the loader never treats as articles: dotfiles, READMEs, licences, other extensions. */
export function isSkippedFile(name: string): boolean {
  if (name.startsWith('.') || SKIPPED_NAMES.test(name)) return true;
  return !ARTICLE_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/** A file the listing found: its path relative to the folder, or why it cannot be an article. */
export interface Listed {
  readonly file: string;
  readonly refused?: string;
  /** A symbolic link: its target may change with no event for its own name. */
  readonly link?: true;
}

/** Names that hold secrets by convention (`.env`, `.env.local`, `.env.production`…): never read, wherever they sit. */
const SECRET_NAME = /^\.env(?:\..*)?$/iu;

/** What kind of non-regular file a directory entry is, for the problem line. */
function entryKind(entry: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (entry.isFIFO()) return 'a FIFO (named pipe)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Reads a folder's entries; replaceable so tests can simulate folders that are unreadable or vanish. */
export type ReadFolder = (folder: string) => Promise<Dirent[]>;

const readFolder: ReadFolder = (folder) => readdir(folder, { withFileTypes: true });

/** Every file under `root` the loader would look at, recursively (for the snapshot's fingerprint). */
export function listCorpusFiles(root: string): Promise<Listed[]> {
  return listArticleFiles(root, readFolder);
}

function folderProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  return code === 'ENOENT'
    ? 'the folder was removed while loading; its files were not loaded'
    : `the folder cannot be read (${code}); its files were not loaded`;
}

/**
 * Lists the article files under `relative`. Only the root folder failing to list fails the load; a
 * subfolder that cannot be read, or that vanishes meanwhile, becomes a problem and the rest loads.
 */
async function listArticleFiles(root: string, read: ReadFolder, relative = ''): Promise<Listed[]> {
  let entries: Dirent[];
  try {
    entries = await read(path.join(root, relative));
  } catch (error) {
    if (relative === '') throw error;
    return [{ file: relative, refused: folderProblem(error) }];
  }
  // Subfolders are listed all at once, each in its place among the entries: one after another, a
  // folder's listing waited for the one before it (at BBC ×10, 61 folders).
  const parts: (Listed | Promise<Listed[]>)[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
    // Symlinked folders are not followed, so a link loop cannot hang a reindex.
    if (entry.isDirectory()) parts.push(listArticleFiles(root, read, rel));
    else if (isSkippedFile(entry.name)) continue;
    else if (entry.isFile()) parts.push({ file: rel });
    else if (entry.isSymbolicLink()) parts.push({ file: rel, link: true });
    else parts.push({ file: rel, refused: `${entryKind(entry)}, not an article file` });
  }
  const files: Listed[] = [];
  for (const part of parts) {
    if ('file' in part) files.push(part);
    else for (const listed of await part) files.push(listed);
  }
  return files;
}

/**
 * Where a listed file really is, or why it may not be read. A link is followed only to a regular
 * file inside the folder, and never to a dotfile or a dot-folder (`.env`, `.git/…`): otherwise a
 * link named `notes.txt` could serve `/etc/passwd`, `/proc/…` or the bot's own `.env` to every user.
 */
async function containedPath(realRoot: string, root: string, file: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(path.join(root, file));
  } catch (error) {
    throw unresolved(error);
  }
  return contained(realRoot, real);
}

/** {@link containedPath} with blocking calls, for a thread that does nothing else meanwhile. */
function containedPathSync(realRoot: string, root: string, file: string): string {
  let real: string;
  try {
    // The native realpath(3), as fs/promises' realpath is: the same answer for the same links.
    real = realpathSync.native(path.join(root, file));
  } catch (error) {
    throw unresolved(error);
  }
  return contained(realRoot, real);
}

function unresolved(error: unknown): ArticleError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  return new ArticleError(
    code === 'ENOENT' ? 'the file is a broken link or was removed while loading' : `the file cannot be read (${code})`,
  );
}

/** `real` (a file's real path) when it may be read: inside the folder, not hidden, an article file; else why not. */
function contained(realRoot: string, real: string): string {
  const inside = path.relative(realRoot, real);
  if (inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
    throw new ArticleError('the file is a link to a place outside the articles folder, which is never read');
  }
  const parts = inside.split(path.sep);
  const name = parts.at(-1) ?? '';
  if (SECRET_NAME.test(name)) throw new ArticleError('the file is a link to an environment file (.env), which is never read');
  if (parts.some((part) => part.startsWith('.')))
    throw new ArticleError('the file is a link to a hidden file or folder, which is never read');
  if (isSkippedFile(name)) throw new ArticleError('the file is a link to a file that is not an article');
  return real;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const windows1252 = new TextDecoder('windows-1252');

/** UTF-16 is only taken with its byte-order mark: without one, text and binary cannot be told apart. */
function decodeUtf16(bytes: Uint8Array): string | null {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : null;
  if (encoding === null) return null;
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new ArticleError(`the file starts with a ${encoding.toUpperCase()} byte-order mark but is not valid ${encoding.toUpperCase()}`);
  }
  if (text.includes('\u0000')) throw new ArticleError('the file is binary, not text');
  return text;
}

/**
 * Decodes article bytes: UTF-16 with a byte-order mark, else UTF-8, falling back to Windows-1252
 * for legacy files (one BBC article is Latin-1). Throws when the bytes look binary.
 */
export function decodeArticleBytes(bytes: Uint8Array): string {
  const utf16 = decodeUtf16(bytes);
  if (utf16 !== null) return utf16;
  if (bytes.includes(0)) throw new ArticleError('the file is binary, not text');
  try {
    return utf8.decode(bytes);
  } catch {
    const text = windows1252.decode(bytes);
    let controls = 0;
    for (const ch of text) {
      const code = ch.charCodeAt(0);
      if ((code >= 0x01 && code <= 0x08) || (code >= 0x0e && code <= 0x1f) || code === 0x7f) controls++;
    }
    if (controls > text.length / 100) throw new ArticleError('the file is binary, not text');
    return text;
  }
}

/** The part of a file handle {@link readCapped} uses. */
export interface ReadHandle {
  stat(): Promise<{ isFile(): boolean; size: number }>;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

/** Opens a file; replaceable so tests can simulate a file that grows while it is read. */
export type OpenFile = (file: string, flags: number) => Promise<ReadHandle>;

/** The flags a file is opened with to read it: `O_NOFOLLOW` refuses a link swapped in, `O_NONBLOCK` keeps a FIFO from hanging. */
const READ_FLAGS = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK;

/** One read {@link cappedReading} asks for: into `buffer` from `offset`, `length` bytes, at that position of the file. */
interface ReadRequest {
  readonly buffer: Buffer;
  readonly offset: number;
  readonly length: number;
}

/**
 * The checks and reads of {@link readCapped} and {@link readCappedSync}, written once: it is told
 * the opened file's type and size, yields each read it wants and is told how many bytes came, and
 * returns the bytes. Two copies of these checks, one with promises and one blocking, could drift apart.
 */
function* cappedReading(info: { isFile(): boolean; size: number }): Generator<ReadRequest, Buffer, number> {
  if (!info.isFile()) throw new ArticleError('not a regular file');
  if (info.size > MAX_ARTICLE_BYTES) throw new ArticleError(`the file is ${formatBytes(info.size)}, over the 1 MiB limit`);
  // Room for the size just taken plus one byte, to see a file that grew, and the whole cap only if
  // it did: a buffer of the cap for every file made loading BBC allocate (and zero) 2.2 GB.
  const limit = MAX_ARTICLE_BYTES + 1;
  let buffer = Buffer.alloc(Math.min(info.size + 1, limit));
  let length = 0;
  for (;;) {
    const bytesRead = yield { buffer, offset: length, length: buffer.length - length };
    if (bytesRead === 0) break;
    length += bytesRead;
    if (length < buffer.length) continue;
    if (buffer.length >= limit) break;
    const grown = Buffer.alloc(limit);
    buffer.copy(grown, 0, 0, length);
    buffer = grown;
  }
  if (length > MAX_ARTICLE_BYTES) throw new ArticleError('the file grew past the 1 MiB limit while it was read');
  return buffer.subarray(0, length);
}

/**
 * Reads at most {@link MAX_ARTICLE_BYTES} bytes, plus one to tell an over-long file, through one
 * file descriptor: the type and size checks and the read are of the same file, so it cannot be
 * swapped for a link, a pipe or a bigger file in between. `O_NONBLOCK` keeps a FIFO from hanging.
 */
export async function readCapped(real: string, openFile: OpenFile = open): Promise<Buffer> {
  const handle = await openFile(real, READ_FLAGS);
  try {
    const reading = cappedReading(await handle.stat());
    for (let step = reading.next(); ;) {
      if (step.done === true) return step.value;
      const { buffer, offset, length } = step.value;
      step = reading.next((await handle.read(buffer, offset, length, offset)).bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** The blocking file calls {@link readCappedSync} makes; replaceable so tests can simulate a file that grows while it is read. */
export interface SyncReads {
  openSync(file: string, flags: number): number;
  fstatSync(fd: number): { isFile(): boolean; size: number };
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number): number;
  closeSync(fd: number): void;
}

const nodeSyncReads: SyncReads = { openSync, fstatSync, readSync, closeSync };

/**
 * {@link readCapped} with blocking calls, for a thread that does nothing else meanwhile (a cold
 * build's): the same checks of the same descriptor, at a fifth of the CPU of a promise per call
 * (22,250 files: 0.25 s against 1.1 s and more, measured 4 Dec 2026).
 */
export function readCappedSync(real: string, fs: SyncReads = nodeSyncReads): Buffer {
  const fd = fs.openSync(real, READ_FLAGS);
  try {
    const reading = cappedReading(fs.fstatSync(fd));
    for (let step = reading.next(); ;) {
      if (step.done === true) return step.value;
      const { buffer, offset, length } = step.value;
      step = reading.next(fs.readSync(fd, buffer, offset, length, offset));
    }
  } finally {
    fs.closeSync(fd);
  }
}

async function readOne(realRoot: string, root: string, file: string): Promise<Buffer> {
  const real = await containedPath(realRoot, root, file);
  try {
    return await readCapped(real);
  } catch (error) {
    throw unreadable(error);
  }
}

function readOneSync(realRoot: string, root: string, file: string): Buffer {
  const real = containedPathSync(realRoot, root, file);
  try {
    return readCappedSync(real);
  } catch (error) {
    throw unreadable(error);
  }
}

function unreadable(error: unknown): ArticleError {
  if (error instanceof ArticleError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  return new ArticleError(code === 'ELOOP' ? 'the file was replaced by a link while loading' : `the file cannot be read (${code})`);
}

/**
 * Turns one file's bytes into an article, or into a problem naming the file and the reason: every
 * step (decode, front matter, Markdown, paragraphs) runs under one guard, so no file, however
 * malformed, can throw out of the load; a file that takes longer than `budgetMs` is refused too.
 * A pure function of the path and the bytes, so it can run anywhere (a worker thread, say).
 *
 * @example articleFromBytes('a.txt', new TextEncoder().encode('date 2023-11-06 Assad spoke.'))
 */
export function articleFromBytes(file: string, bytes: Uint8Array, budgetMs: number = FILE_BUDGET_MS): Article | Problem {
  const started = performance.now();
  let article: Article;
  try {
    article = parseArticle(file, decodeArticleBytes(bytes));
  } catch (error) {
    if (error instanceof ArticleError) return { file, reason: error.message };
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { file, reason: `the file could not be read as an article (${detail})` };
  }
  const took = performance.now() - started;
  if (took > budgetMs) {
    return { file, reason: `the file took ${formatDuration(took)} to parse, over the ${formatDuration(budgetMs)} budget for one file` };
  }
  return article;
}

/** One file for {@link loadFile}: where the folder is, really and as given, and the parse budget. */
export interface FileJob {
  readonly realRoot: string;
  readonly root: string;
  readonly file: string;
  readonly budgetMs: number;
}

/**
 * Reads one file of the folder (inside it, capped, a regular file) and parses it: the loader's
 * per-file step, in one function so a worker thread can run it.
 */
export async function loadFile(job: FileJob): Promise<Article | Problem> {
  try {
    return articleFromBytes(job.file, await readOne(job.realRoot, job.root, job.file), job.budgetMs);
  } catch (error) {
    if (!(error instanceof ArticleError)) throw error;
    return { file: job.file, reason: error.message };
  }
}

/**
 * {@link loadFile} with blocking calls: the same checks and the same outcome, for a thread that
 * does nothing else meanwhile (a cold build's worker, or the answering thread before it answers).
 */
export function loadFileSync(job: FileJob): Article | Problem {
  try {
    return articleFromBytes(job.file, readOneSync(job.realRoot, job.root, job.file), job.budgetMs);
  } catch (error) {
    if (!(error instanceof ArticleError)) throw error;
    return { file: job.file, reason: error.message };
  }
}

function formatBytes(size: number): string {
  return `${(size / (1024 * 1024)).toFixed(1)} MiB`;
}

export interface LoadOptions {
  /** Most megabytes (MiB) of article files loaded in all (default {@link DEFAULT_MAX_ARCHIVE_MB}). */
  readonly maxArchiveMb?: number;
  /** Longest one file may take to parse (default {@link FILE_BUDGET_MS}). */
  readonly fileBudgetMs?: number;
  /** How folders are listed (tests replace it). */
  readonly readFolder?: ReadFolder;
  /**
   * What a file loaded as last time, when it is known not to have changed since: it is then not
   * read again. Listing, the archive cap and duplicate ids are still worked out over every file.
   */
  readonly reuse?: (file: string) => Article | Problem | undefined;
  /**
   * Reads and parses one file somewhere else (a worker thread), instead of here; it must do what
   * {@link loadFile} does.
   */
  readonly loadFile?: (job: FileJob) => Promise<Article | Problem>;
  /**
   * The folder's listing, in path order, when the caller knows it (from the last load, with the
   * files it was told changed put right): the folder is then not listed again.
   */
  readonly listed?: readonly Listed[];
  /** Each file's size, when the caller has just taken it: the archive cap then stats nothing again. */
  readonly sizeOf?: (file: string) => number | undefined;
  /** Told after each file is read, for a progress line. */
  readonly onProgress?: ProgressListener;
}

/** A load, with what each file it read (or reused) loaded as: what the next load may reuse. */
export interface CorpusLoad extends LoadResult {
  readonly outcomes: Map<string, Article | Problem>;
  /** The folder's listing, in path order, before the archive cap: what the next load may start from. */
  readonly listed: readonly Listed[];
  /** The bytes of the files loaded, as the archive cap counted them. */
  readonly bytes: number;
  /** Whether the archive cap left files out. */
  readonly capped: boolean;
  /** Whether a file was left out for an id another file already had. */
  readonly duplicates: boolean;
}

/**
 * Keeps files, in listing order, while their sizes add up to at most `maxBytes`; the first file past
 * the cap becomes one problem line that counts the files left out, and those are not read.
 */
async function capArchive(
  root: string,
  files: Listed[],
  maxBytes: number,
  sizeOf?: (file: string) => number | undefined,
): Promise<{ files: Listed[]; bytes: number }> {
  const knownSize = (listed: Listed): number | undefined => {
    if (listed.refused !== undefined) return 0;
    const known = sizeOf?.(listed.file);
    return known !== undefined && known >= 0 ? known : undefined;
  };
  // Sizes the caller knows cost nothing; only the others are stat'ed (a promise for each file, all
  // of them known, was 22,250 promises at BBC ×10).
  const sizes = files.map(knownSize);
  const unknown = sizes.flatMap((size, i) => (size === undefined ? [i] : []));
  await Promise.all(
    unknown.map(async (i) => {
      sizes[i] = await stat(path.join(root, files[i]?.file ?? '')).then(
        (info) => info.size,
        () => 0,
      );
    }),
  );
  let total = 0;
  for (let i = 0; i < files.length; i++) {
    total += sizes[i] ?? 0;
    if (total <= maxBytes) continue;
    const rest = files.length - i - 1;
    const first = files[i] ?? { file: '' };
    const megabytes = Math.round(maxBytes / (1024 * 1024));
    const others = rest === 0 ? 'this file was' : `this file and ${rest} more ${rest === 1 ? 'file' : 'files'} after it were`;
    const refused = `the articles add up to more than the MAX_ARCHIVE_MB limit of ${megabytes} MB: ${others} not loaded`;
    return { files: [...files.slice(0, i), { file: first.file, refused }], bytes: total - (sizes[i] ?? 0) };
  }
  return { files, bytes: total };
}

/**
 * Loads every article under `root`, recursively. Files that fail become problems; the rest load.
 * Throws a {@link CorpusError} only when the folder itself cannot be read.
 *
 * @example const { articles, problems } = await loadArticles('seeds');
 */
export async function loadArticles(root: string, options: LoadOptions = {}): Promise<CorpusLoad> {
  const listing = await listCorpus(root, options);
  const { realRoot, files } = listing;
  const budgetMs = options.fileBudgetMs ?? FILE_BUDGET_MS;
  const outcomes = new Array<Article | Problem>(files.length);
  let next = 0;
  let read = 0;
  const progress = (): void => options.onProgress?.({ phase: 'reading', read: ++read, files: files.length });
  let sliceStarted = performance.now();
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      const listed = files[index] ?? { file: '' };
      const { file } = listed;
      const reused = listed.refused === undefined ? options.reuse?.(file) : undefined;
      if (reused !== undefined) {
        outcomes[index] = reused;
        progress();
        continue;
      }
      if (listed.refused !== undefined) {
        outcomes[index] = { file, reason: listed.refused };
        progress();
        continue;
      }
      if (options.loadFile !== undefined) {
        outcomes[index] = await options.loadFile({ realRoot, root, file, budgetMs });
        progress();
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = await readOne(realRoot, root, file);
      } catch (error) {
        if (!(error instanceof ArticleError)) throw error;
        outcomes[index] = { file, reason: error.message };
        progress();
        continue;
      }
      // Parsing is synchronous: give waiting questions their turn once a slice of time is used up.
      if (performance.now() - sliceStarted > SLICE_MS) {
        await yieldToEventLoop();
        sliceStarted = performance.now();
      }
      outcomes[index] = articleFromBytes(file, bytes, budgetMs);
      progress();
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
  return settleLoad(listing, outcomes);
}

/** A folder's article files, listed in path order and capped: what a load reads, one outcome per file. */
export interface CorpusListing {
  readonly root: string;
  /** The folder with its links resolved: no file outside it is read. */
  readonly realRoot: string;
  /** The files to read, after the archive cap (one left out stands for the rest, refused). */
  readonly files: readonly Listed[];
  /** The folder's listing before the cap. */
  readonly listed: readonly Listed[];
  readonly bytes: number;
  readonly capped: boolean;
}

/**
 * Lists the article files under `root` as {@link loadArticles} reads them (or takes
 * `options.listed`), sorted by path, with the archive cap applied. Throws a {@link CorpusError}
 * when the folder itself cannot be read.
 */
export async function listCorpus(root: string, options: LoadOptions = {}): Promise<CorpusListing> {
  let files: Listed[];
  let realRoot: string;
  try {
    const info = await stat(root);
    if (!info.isDirectory()) throw new CorpusError(`${root} is not a folder`);
    realRoot = await realpath(root);
    files = options.listed === undefined ? await listArticleFiles(root, options.readFolder ?? readFolder) : [...options.listed];
  } catch (error) {
    if (error instanceof CorpusError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CorpusError(
      code === 'ENOENT' ? `the folder ${root} does not exist` : `the folder ${root} cannot be read (${code ?? 'unknown error'})`,
    );
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const cap = await capArchive(root, files, (options.maxArchiveMb ?? DEFAULT_MAX_ARCHIVE_MB) * 1024 * 1024, options.sizeOf);
  return { root, realRoot, files: cap.files, listed: files, bytes: cap.bytes, capped: cap.files !== files };
}

/**
 * The load that `outcomes` make, one per file of `listing` in its order: articles and problems in
 * file order, and a file whose id an earlier file has is a problem.
 */
export function settleLoad(listing: CorpusListing, outcomes: readonly (Article | Problem)[]): CorpusLoad {
  const { files } = listing;
  const articles: Article[] = [];
  const problems: Problem[] = [];
  const owners = new Map<string, string>();
  let duplicates = false;
  const byFile = new Map<string, Article | Problem>();
  outcomes.forEach((outcome, index) => {
    if (files[index]?.refused === undefined) byFile.set(outcome.file, outcome);
  });
  for (const outcome of outcomes) {
    if (!('id' in outcome)) {
      problems.push(outcome);
      continue;
    }
    const owner = owners.get(outcome.id);
    if (owner === undefined) {
      owners.set(outcome.id, outcome.file);
      articles.push(outcome);
    } else {
      duplicates = true;
      problems.push({ file: outcome.file, reason: `duplicate id "${outcome.id}": ${owner} already has it` });
    }
  }
  return { articles, problems, outcomes: byFile, listed: listing.listed, bytes: listing.bytes, capped: listing.capped, duplicates };
}
