import { constants as fsConstants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ArticleError, parseArticle } from './articles.ts';
import type { Article, LoadResult, Problem } from './types.ts';

/** The corpus folder itself cannot be read: nothing at all can be loaded from it. */
export class CorpusError extends Error {
  override readonly name = 'CorpusError';
}

export const MAX_ARTICLE_BYTES = 1024 * 1024;
const ARTICLE_EXTENSIONS = new Set(['.txt', '.md', '.markdown']);
const SKIPPED_NAMES = /^(?:readme|licen[cs]e|copying)(?:[.-].*)?$/iu;
const READ_CONCURRENCY = 32;

/** True for files the loader never treats as articles: dotfiles, READMEs, licences, other extensions. */
export function isSkippedFile(name: string): boolean {
  if (name.startsWith('.') || SKIPPED_NAMES.test(name)) return true;
  return !ARTICLE_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/** A file the listing found: its path relative to the folder, or why it cannot be an article. */
interface Listed {
  readonly file: string;
  readonly refused?: string;
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

async function listArticleFiles(root: string, relative = ''): Promise<Listed[]> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  const files: Listed[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
    // Symlinked folders are not followed, so a link loop cannot hang a reindex.
    if (entry.isDirectory()) files.push(...(await listArticleFiles(root, rel)));
    else if (isSkippedFile(entry.name)) continue;
    else if (entry.isFile() || entry.isSymbolicLink()) files.push({ file: rel });
    else files.push({ file: rel, refused: `${entryKind(entry)}, not an article file` });
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
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ArticleError(
      code === 'ENOENT' ? 'the file is a broken link or was removed while loading' : `the file cannot be read (${code})`,
    );
  }
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

/**
 * Decodes article bytes as UTF-8, falling back to Windows-1252 for legacy files
 * (one BBC article is Latin-1). Throws when the bytes look binary.
 */
export function decodeArticleBytes(bytes: Uint8Array): string {
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

/**
 * Reads at most {@link MAX_ARTICLE_BYTES} bytes, plus one to tell an over-long file, through one
 * file descriptor: the type and size checks and the read are of the same file, so it cannot be
 * swapped for a link, a pipe or a bigger file in between. `O_NONBLOCK` keeps a FIFO from hanging.
 */
async function readCapped(real: string): Promise<Buffer> {
  const handle = await open(real, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ArticleError('not a regular file');
    if (info.size > MAX_ARTICLE_BYTES) throw new ArticleError(`the file is ${formatBytes(info.size)}, over the 1 MiB limit`);
    const buffer = Buffer.alloc(MAX_ARTICLE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_ARTICLE_BYTES) throw new ArticleError('the file grew past the 1 MiB limit while it was read');
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

async function loadOne(realRoot: string, root: string, file: string): Promise<Article> {
  const real = await containedPath(realRoot, root, file);
  let bytes: Buffer;
  try {
    bytes = await readCapped(real);
  } catch (error) {
    if (error instanceof ArticleError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ArticleError(code === 'ELOOP' ? 'the file was replaced by a link while loading' : `the file cannot be read (${code})`);
  }
  return parseArticle(file, decodeArticleBytes(bytes));
}

function formatBytes(size: number): string {
  return `${(size / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Loads every article under `root`, recursively. Files that fail become problems; the rest load.
 * Throws a {@link CorpusError} only when the folder itself cannot be read.
 *
 * @example const { articles, problems } = await loadArticles('seeds');
 */
export async function loadArticles(root: string): Promise<LoadResult> {
  let files: Listed[];
  let realRoot: string;
  try {
    const info = await stat(root);
    if (!info.isDirectory()) throw new CorpusError(`${root} is not a folder`);
    realRoot = await realpath(root);
    files = await listArticleFiles(root);
  } catch (error) {
    if (error instanceof CorpusError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CorpusError(
      code === 'ENOENT' ? `the folder ${root} does not exist` : `the folder ${root} cannot be read (${code ?? 'unknown error'})`,
    );
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

  const outcomes = new Array<Article | Problem>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      const listed = files[index] ?? { file: '' };
      const { file } = listed;
      try {
        if (listed.refused !== undefined) throw new ArticleError(listed.refused);
        outcomes[index] = await loadOne(realRoot, root, file);
      } catch (error) {
        if (!(error instanceof ArticleError)) throw error;
        outcomes[index] = { file, reason: error.message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));

  const articles: Article[] = [];
  const problems: Problem[] = [];
  const owners = new Map<string, string>();
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
      problems.push({ file: outcome.file, reason: `duplicate id "${outcome.id}": ${owner} already has it` });
    }
  }
  return { articles, problems };
}
