import { createHash } from 'node:crypto';
import yaml from 'js-yaml';
import { MAX_MARKDOWN_WEIGHT, markdownWeight } from '../core/markdown-limits.ts';

/** What a feed item becomes: the fields of an article's front matter and its paragraphs of text. */
export interface FeedArticle {
  readonly title: string;
  readonly date: string | null;
  readonly url: string | null;
  readonly source: string;
  readonly author: string | null;
  readonly paragraphs: readonly string[];
}

/** Tracking parameters that make one story look like several URLs. */
const TRACKING = /^(?:utm_.*|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|at_medium|at_campaign|ns_mchannel|ns_source|ns_campaign)$/iu;

/**
 * A link reduced to what names the story: no fragment, no tracking parameters, lower-case host,
 * no default port, no trailing slash. Null for anything that is not an http(s) URL.
 *
 * @example canonicalUrl('https://News.example.com/a/?utm_source=rss#top') // 'https://news.example.com/a'
 */
export function canonicalUrl(link: string | null): string | null {
  if (link === null) return null;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  for (const key of [...url.searchParams.keys()]) if (TRACKING.test(key)) url.searchParams.delete(key);
  url.searchParams.sort();
  let href = url.href;
  if (url.search === '' && href.endsWith('/') && url.pathname !== '/') href = href.slice(0, -1);
  return href;
}

/** A short hash of some text. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * The hash that finds the same story in two feeds: its body text with case, punctuation and spacing
 * flattened, so a wire story re-published with other quotes or line breaks still matches.
 */
export function storyHash(paragraphs: readonly string[]): string {
  return shortHash(
    paragraphs
      .join(' ')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim(),
  );
}

/** A name safe as one path segment: lower-case letters, digits and dashes, never empty, never hidden. */
export function slug(text: string, max = 60): string {
  const s = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-+|-+$/gu, '')
    .slice(0, max)
    .replace(/-+$/u, '');
  return s.length > 0 ? s : 'item';
}

/**
 * Escapes text so Markdown reads it back as the same text, with as few backslashes as that takes
 * (the loader refuses Markdown denser than it can parse quickly): inline syntax everywhere
 * (emphasis, code, links, HTML, tables, strikethrough, entities, backslashes), and block syntax at
 * the start of a line (headings, lists, quotes, rules).
 *
 * @example escapeMarkdown('# *5* & more') // '\\# \\*5\\* \\& more'
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~&]/gu, '\\$&')
    .replace(/^([#+\-=])/gmu, '\\$1')
    .replace(/^(\d+)([.)])/gmu, '$1\\$2');
}

/** The most Markdown weight a feed article uses: well inside the loader's limit, so it is never refused. */
const WEIGHT_BUDGET = Math.floor(MAX_MARKDOWN_WEIGHT * 0.8);

/** The most text one feed article keeps, well under the loader's 1 MB cap. */
export const MAX_ARTICLE_CHARS = 100_000;

/** The Markdown file for a feed article: YAML front matter, then one paragraph per block. */
export function articleMarkdown(article: FeedArticle): string {
  const front: Record<string, string> = { title: article.title, source: article.source };
  if (article.date !== null) front.date = article.date;
  if (article.url !== null) front.url = article.url;
  if (article.author !== null) front.author = article.author;
  let used = 0;
  let weight = 0;
  const body: string[] = [];
  for (const paragraph of article.paragraphs) {
    const escaped = escapeMarkdown(paragraph);
    const cost = markdownWeight(escaped) + 2;
    if (used + paragraph.length > MAX_ARTICLE_CHARS || weight + cost > WEIGHT_BUDGET) break;
    used += paragraph.length;
    weight += cost;
    body.push(escaped);
  }
  // The loader reads front matter with js-yaml's core schema, so it is written with the same: a
  // title such as "08" or "true" is then quoted, and read back as the text it was, not a number.
  return `---\n${yaml.dump(front, { schema: yaml.CORE_SCHEMA, lineWidth: -1 })}---\n${body.join('\n\n')}\n`;
}
