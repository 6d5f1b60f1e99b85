import { readdir, readFile, stat } from 'node:fs/promises';
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

async function listArticleFiles(root: string, relative = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
    // Symlinked folders are not followed, so a link loop cannot hang a reindex.
    if (entry.isDirectory()) files.push(...(await listArticleFiles(root, rel)));
    else if ((entry.isFile() || entry.isSymbolicLink()) && !isSkippedFile(entry.name)) files.push(rel);
  }
  return files;
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

async function loadOne(root: string, file: string): Promise<Article> {
  const full = path.join(root, file);
  let bytes: Buffer;
  try {
    const info = await stat(full);
    if (!info.isFile()) throw new ArticleError('not a regular file');
    if (info.size > MAX_ARTICLE_BYTES) {
      throw new ArticleError(`the file is ${formatBytes(info.size)}, over the 1 MiB limit`);
    }
    bytes = await readFile(full);
  } catch (error) {
    if (error instanceof ArticleError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ArticleError(`the file cannot be read (${code})`);
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
  let files: string[];
  try {
    const info = await stat(root);
    if (!info.isDirectory()) throw new CorpusError(`${root} is not a folder`);
    files = await listArticleFiles(root);
  } catch (error) {
    if (error instanceof CorpusError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CorpusError(code === 'ENOENT' ? `the folder ${root} does not exist` : `the folder ${root} cannot be read (${code ?? 'unknown error'})`);
  }
  files.sort();

  const outcomes = new Array<Article | Problem>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      const file = files[index] ?? '';
      try {
        outcomes[index] = await loadOne(root, file);
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

