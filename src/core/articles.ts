import { createHash } from 'node:crypto';
import { decodeHTMLStrict } from 'entities';
import matter from 'gray-matter';
import yaml from 'js-yaml';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString as mdastToString } from 'mdast-util-to-string';
import type { Root, RootContent, Table } from 'mdast';
import { gfm } from 'micromark-extension-gfm';
import { z } from 'zod';
import { defuseMarkdown, markdownWeight, MAX_MARKDOWN_WEIGHT } from './markdown-limits.ts';
import { splitSentences } from './sentences.ts';
import { truncateAtWord } from './text.ts';
import type { Article, ArticleFormat } from './types.ts';

/** An article file whose content is not a valid article. The message is the reason shown to an admin. */
export class ArticleError extends Error {
  override readonly name = 'ArticleError';
}

export const MAX_TITLE_LENGTH = 100;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/u, 'must be YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'is not a calendar date');

const httpUrl = z.url({ protocol: /^https?$/u, error: 'must be an http(s) URL' });

/** What every loaded article must satisfy, whatever its format. */
export const ArticleSchema = z.object({
  id: z.string().min(1),
  file: z.string().min(1),
  format: z.enum(['seed', 'headline', 'markdown']),
  title: z.string().trim().min(1, 'has no title'),
  date: isoDate.nullable(),
  url: httpUrl.nullable(),
  source: z.string().min(1).nullable(),
  author: z.string().min(1).nullable(),
  paragraphs: z.array(z.string().min(1)).min(1, 'has no body text'),
  hash: z.string().min(1),
});

const optionalText = z
  .union([z.string(), z.number()])
  .transform((value) => String(value).trim())
  .optional();

/**
 * A front-matter date or date-time, as written: `2023-12-31`, `2023-12-31T23:30-05:00`,
 * `2023-12-31 23:30:00Z`. The article's own calendar day is the part before the time, whatever the
 * time zone: converting to UTC would date a New Year's Eve story in January.
 */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[Tt ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?[ \t]*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/u;

const FrontMatterSchema = z.object({
  title: optionalText,
  // The YAML is read with the core schema, so dates stay text: nothing is rolled over (2023-02-30 is
  // no 2 March) or moved to another day by a time zone; ArticleSchema then checks the calendar.
  date: z
    .union([z.string(), z.number()])
    .transform((value) => {
      const text = String(value).trim();
      return DATE_TIME.exec(text)?.[1] ?? text;
    })
    .optional(),
  url: z.string().optional(),
  source: optionalText,
  author: optionalText,
});

const SEED_HEADER = /^\s*date[ \t]+(\d[\d./-]*)[ \t]*/u;

/** Splits a body on blank lines into paragraphs, with each paragraph's whitespace tidied. */
export function splitParagraphs(body: string): string[] {
  return body
    .split(/\r?\n[ \t]*(?:\r?\n[ \t]*)+/u)
    .map(tidyParagraph)
    .filter((p) => p.length > 0);
}

function tidyParagraph(paragraph: string): string {
  return paragraph
    .split(/\r?\n/u)
    .map((line) => line.replace(/[ \t\u00a0]+/gu, ' ').trim())
    .filter((line) => line.length > 0)
    .join('\n');
}

/** A title for an article that has none: its first sentence, cut to 100 characters. */
export function titleFromBody(firstParagraph: string): string {
  const first = splitSentences(firstParagraph)[0] ?? firstParagraph;
  return truncateAtWord(first.replace(/\s+/gu, ' '), MAX_TITLE_LENGTH);
}

interface ParsedBody {
  format: ArticleFormat;
  title: string;
  date: string | null;
  url?: string | null;
  source?: string | null;
  author?: string | null;
  paragraphs: string[];
}

function parseSeed(text: string, header: RegExpExecArray): ParsedBody {
  const date = header[1] ?? '';
  const paragraphs = splitParagraphs(text.slice(header[0].length));
  return { format: 'seed', title: titleFromBody(paragraphs[0] ?? ''), date, paragraphs };
}

function parseHeadline(text: string): ParsedBody {
  const trimmed = text.replace(/^\s+/u, '');
  const newline = trimmed.search(/\r?\n/u);
  const headline = (newline < 0 ? trimmed : trimmed.slice(0, newline)).trim();
  const body = newline < 0 ? '' : trimmed.slice(newline);
  return { format: 'headline', title: headline, date: null, paragraphs: splitParagraphs(body) };
}

const MARKDOWN_BLOCKS_WITH_TEXT = new Set(['paragraph', 'blockquote', 'list', 'table', 'code']);

function markdownParagraphs(markdown: string): { heading: string | null; paragraphs: string[] } {
  const weight = markdownWeight(markdown);
  if (weight > MAX_MARKDOWN_WEIGHT) {
    throw new ArticleError(
      `the Markdown is too dense to parse: ${weight.toLocaleString('en-US')} marks and lines, over the limit of ${MAX_MARKDOWN_WEIGHT.toLocaleString('en-US')}`,
    );
  }
  try {
    // GitHub Flavored Markdown: tables, footnotes, ~~strikethrough~~, task lists and bare links. One
    // tilde stays text: news writes "~5%" for "about 5%".
    const extensions = [gfm({ singleTilde: false })];
    return markdownText(fromMarkdown(defuseMarkdown(markdown), { extensions, mdastExtensions: [gfmFromMarkdown()] }));
  } catch (error) {
    // The limits should make this unreachable; if the parser still fails, the file is a problem, not a crash.
    throw new ArticleError(`the Markdown could not be parsed (${error instanceof Error ? error.message : String(error)})`);
  }
}

function markdownText(tree: Root): { heading: string | null; paragraphs: string[] } {
  const paragraphs: string[] = [];
  let heading: string | null = null;
  const visit = (node: RootContent): void => {
    if (node.type === 'heading') {
      if (heading === null && node.depth === 1 && paragraphs.length === 0) heading = mdastToString(node).trim();
      return;
    }
    if (node.type === 'list') {
      for (const item of node.children) paragraphs.push(tidyParagraph(mdastToString(item, { includeHtml: false })));
      return;
    }
    // A footnote's text is a passage of its own, where it was defined (GitHub puts it at the end).
    if (node.type === 'blockquote' || node.type === 'footnoteDefinition') {
      for (const child of node.children) visit(child);
      return;
    }
    if (MARKDOWN_BLOCKS_WITH_TEXT.has(node.type)) paragraphs.push(tidyParagraph(blockText(node)));
  };
  for (const node of tree.children) visit(node);
  return { heading, paragraphs: paragraphs.filter((p) => p.length > 0) };
}

/**
 * A table as readable rows, one line each, every cell named by its column's heading:
 * `Year: 2004, Daily crossings: 1,200.` A row of the heading alone says nothing, so it is left out.
 */
function tableText(table: Table): string {
  const [head, ...rows] = table.children.map((row) => row.children.map((cell) => mdastToString(cell).trim()));
  const headings = head ?? [];
  if (rows.length === 0) return sentence(headings.filter((h) => h.length > 0).join(', '));
  return rows
    .map((cells) =>
      sentence(
        cells
          .map((cell, i) => (cell.length === 0 ? '' : (headings[i] ?? '').length > 0 ? `${headings[i] ?? ''}: ${cell}` : cell))
          .filter((cell) => cell.length > 0)
          .join(', '),
      ),
    )
    .join('\n');
}

/** Ends a line with a full stop, so that each table row reads (and is split) as a sentence. */
function sentence(line: string): string {
  return line.length === 0 || /[.!?…:;]$/u.test(line) ? line : `${line}.`;
}

function blockText(node: RootContent): string {
  if (node.type === 'table') return tableText(node);
  // Code is kept as text, in a passage of its own: the sentence before it often leads into it.
  if (node.type === 'code') return node.value;
  return mdastToString(node, { includeHtml: false });
}

const refuseCode = (): never => {
  throw new ArticleError('front matter in an executable language is not allowed');
};

function parseMarkdown(text: string): ParsedBody {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // Passing options also turns off gray-matter's cache, which would hand back stale results.
    parsed = matter(text, {
      engines: {
        // The core schema: no timestamps (dates stay as written), no custom or JavaScript types.
        yaml: (source: string): object => {
          const data: unknown = yaml.load(source, { schema: yaml.CORE_SCHEMA });
          return typeof data === 'object' && data !== null ? data : {};
        },
        js: refuseCode,
        javascript: refuseCode,
        coffee: refuseCode,
      },
    });
  } catch (error) {
    if (error instanceof ArticleError) throw error;
    throw new ArticleError(`malformed front matter: ${yamlProblem(error)}`);
  }
  const front = FrontMatterSchema.safeParse(parsed.data);
  if (!front.success) throw new ArticleError(`malformed front matter: ${describeZodError(front.error)}`);
  const { heading, paragraphs } = markdownParagraphs(parsed.content);
  const title = front.data.title ?? heading ?? titleFromBody(paragraphs[0] ?? '');
  return {
    format: 'markdown',
    title,
    date: front.data.date ?? null,
    url: front.data.url ?? null,
    source: front.data.source ?? null,
    author: front.data.author ?? null,
    paragraphs,
  };
}

/**
 * What is wrong with front matter YAML, as one whole clause with its place in the file: js-yaml's
 * own message is several lines (a code excerpt under `(5:1)`), and its first line alone reads cut off.
 */
function yamlProblem(error: unknown): string {
  if (error instanceof yaml.YAMLException) {
    // gray-matter hands over the YAML from the end of the opening `---`, so its line 0 is the file's line 1.
    return `${error.reason} at line ${error.mark.line + 1}, column ${error.mark.column + 1}`;
  }
  return error instanceof Error ? (error.message.split('\n')[0] ?? 'unreadable YAML') : 'unreadable YAML';
}

/** One line naming each failed field and why: `date: must be YYYY-MM-DD`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/** The article id for a file path relative to the corpus folder: `business/001.txt` → `business/001`. */
export function articleIdFor(relativeFile: string): string {
  return relativeFile.replace(/\\/gu, '/').replace(/\.[^./]+$/u, '');
}

/**
 * Parses the text of one article file into a validated article.
 *
 * `.md` files are Markdown with front matter; other files are in seed format when they start with
 * `date YYYY-MM-DD`, else in headline format. Throws an {@link ArticleError} saying what is wrong.
 *
 * @example parseArticle('a.txt', 'date 2023-11-06 Assad spoke.').date // '2023-11-06'
 */
export function parseArticle(relativeFile: string, text: string): Article {
  if (text.trim().length === 0) throw new ArticleError('the file is empty');
  const isMarkdown = /\.(?:md|markdown)$/iu.test(relativeFile);
  // Text saved from web pages keeps the HTML's character references ("&#163;5m", "caf&eacute;"):
  // shown as written they read as noise, and a pound sign so written is no money figure. Markdown's
  // parser decodes them already; in plain text only the terminated ones are decoded, so "AT&T" and
  // "&amp co" stay as written.
  const plain = isMarkdown ? text : decodeHTMLStrict(text);
  const header = SEED_HEADER.exec(plain);
  const body = isMarkdown ? parseMarkdown(text) : header ? parseSeed(plain, header) : parseHeadline(plain);
  const candidate = {
    id: articleIdFor(relativeFile),
    file: relativeFile.replace(/\\/gu, '/'),
    format: body.format,
    title: body.title,
    date: body.date,
    url: body.url ?? null,
    source: body.source ?? null,
    author: body.author ?? null,
    paragraphs: body.paragraphs,
    hash: createHash('sha256').update(text).digest('hex').slice(0, 16),
  };
  const result = ArticleSchema.safeParse(candidate);
  if (!result.success) throw new ArticleError(describeArticleIssue(result.error, candidate));
  const { data } = result;
  // Field by field, not spread: a spread gave every article a hidden class of its own (at BBC ×10,
  // 22,250 of them), which made each read of an article's fields slow and cost memory besides.
  return Object.freeze({
    id: data.id,
    file: data.file,
    format: data.format,
    title: data.title,
    date: data.date,
    url: data.url,
    source: data.source,
    author: data.author,
    paragraphs: Object.freeze(data.paragraphs),
    hash: data.hash,
  });
}

function describeArticleIssue(error: z.ZodError, candidate: { date: string | null; url: string | null }): string {
  const first = error.issues[0];
  const field = first?.path[0];
  if (field === 'date') return `malformed date "${candidate.date ?? ''}": ${first?.message ?? 'invalid'}`;
  if (field === 'url') return `malformed url "${candidate.url ?? ''}": ${first?.message ?? 'invalid'}`;
  if (field === 'paragraphs') return 'the article has no body text';
  if (field === 'title') return 'the article has no title';
  return describeZodError(error);
}
