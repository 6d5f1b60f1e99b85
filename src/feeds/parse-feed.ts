import { XMLParser } from 'fast-xml-parser';
import { SyntaxValidator } from 'fast-xml-validator';
import { z } from 'zod';
import { htmlToParagraphs, textToParagraphs } from './html-text.ts';

/** One entry of a feed, reduced to what an article needs. Text fields hold no markup. */
export interface FeedItem {
  /** The feed's own id for the item (RSS guid, Atom id, JSON Feed id), if it has one. */
  readonly guid: string | null;
  readonly title: string;
  /** The item's web page, resolved against the feed URL. */
  readonly link: string | null;
  /** Publication (or else update) day, `YYYY-MM-DD` in UTC. */
  readonly date: string | null;
  readonly author: string | null;
  /** Full text, when the feed carries it. */
  readonly content: readonly string[];
  /** Summary or description, when that is all the feed carries (or besides the content). */
  readonly summary: readonly string[];
}

export interface ParsedFeed {
  readonly kind: 'rss' | 'atom' | 'json';
  readonly title: string | null;
  readonly items: readonly FeedItem[];
}

/** The body is not a feed Factdesk can read; the message says why. */
export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
}

const ALWAYS_ARRAYS = new Set(['item', 'entry', 'link', 'category', 'author']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  removeNSPrefix: false,
  isArray: (name) => ALWAYS_ARRAYS.has(name),
});

const XML_VALIDATOR = new SyntaxValidator({ docType: { maxEntityCount: 20, maxEntitySize: 1000 } });

type Node = unknown;

function record(node: Node): Record<string, unknown> | null {
  return typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>) : null;
}

function first(node: Node): Node {
  return Array.isArray(node) ? (node as unknown[])[0] : node;
}

/** The text of an element parsed by fast-xml-parser: a string, a number, or an object with `#text`. */
function text(node: Node): string | null {
  const value = first(node);
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number') return String(value);
  const rec = record(value);
  if (rec === null) return null;
  if ('#text' in rec) return text(rec['#text']);
  // XHTML content (Atom type="xhtml") arrives as nested elements: join their text.
  const parts = Object.entries(rec)
    .filter(([key]) => !key.startsWith('@_'))
    .map(([, child]) => (Array.isArray(child) ? child.map(text).join(' ') : text(child)))
    .filter((t): t is string => t !== null && t.length > 0);
  return parts.length > 0 ? parts.join(' ') : null;
}

function attr(node: Node, name: string): string | null {
  const value = record(first(node))?.[`@_${name}`];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** `YYYY-MM-DD` (UTC) from an RFC 822 or ISO 8601 date, or null. */
export function isoDay(value: string | null): string | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  const iso = new Date(ms).toISOString();
  const year = Number(iso.slice(0, 4));
  return year >= 1900 && year <= 9999 ? iso.slice(0, 10) : null;
}

function absolute(link: string | null, base: string): string | null {
  if (link === null) return null;
  try {
    const url = new URL(link, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function oneLine(value: string | null): string | null {
  if (value === null) return null;
  const line = htmlToParagraphs(value).join(' ').trim();
  return line.length > 0 ? line : null;
}

function html(value: string | null): string[] {
  return value === null ? [] : htmlToParagraphs(value);
}

function rssItems(channel: Record<string, unknown>, base: string): FeedItem[] {
  const items = Array.isArray(channel.item) ? (channel.item as unknown[]) : [];
  return items.flatMap((raw) => {
    const item = record(raw);
    if (item === null) return [];
    const guid = text(item.guid);
    const permalink = attr(item.guid, 'isPermaLink') !== 'false' ? guid : null;
    const link = absolute(text(item.link) ?? permalink, base);
    const summary = html(text(item.description));
    const title = oneLine(text(item.title)) ?? summary[0]?.slice(0, 100) ?? null;
    if (title === null) return [];
    return [
      {
        guid,
        title,
        link,
        date: isoDay(text(item.pubDate) ?? text(item['dc:date'])),
        author: oneLine(text(item['dc:creator']) ?? text(item.author)),
        content: html(text(item['content:encoded'])),
        summary,
      },
    ];
  });
}

function atomLink(entry: Record<string, unknown>): string | null {
  const links = Array.isArray(entry.link) ? (entry.link as unknown[]) : [];
  const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate');
  return attr(alternate ?? links[0], 'href');
}

/** Atom text constructs: `type="html"` holds escaped HTML, `text` plain text, `xhtml` elements. */
function atomText(node: Node): string[] {
  const value = text(node);
  if (value === null) return [];
  return attr(node, 'type') === 'text' ? textToParagraphs(value) : htmlToParagraphs(value);
}

function atomItems(feed: Record<string, unknown>, base: string): FeedItem[] {
  const entries = Array.isArray(feed.entry) ? (feed.entry as unknown[]) : [];
  return entries.flatMap((raw) => {
    const entry = record(raw);
    if (entry === null) return [];
    const summary = atomText(entry.summary);
    const title = atomText(entry.title).join(' ') || (summary[0]?.slice(0, 100) ?? '');
    if (title === '') return [];
    const author = record(first(entry.author));
    return [
      {
        guid: text(entry.id),
        title,
        link: absolute(atomLink(entry), base),
        date: isoDay(text(entry.published) ?? text(entry.updated)),
        author: oneLine(author === null ? null : text(author.name)),
        content: atomText(entry.content),
        summary,
      },
    ];
  });
}

const JsonFeedSchema = z.object({
  version: z.string().startsWith('https://jsonfeed.org/version/'),
  title: z.string().optional(),
  items: z.array(
    z.object({
      id: z.union([z.string(), z.number()]).transform(String).optional(),
      url: z.string().optional(),
      external_url: z.string().optional(),
      title: z.string().optional(),
      content_html: z.string().optional(),
      content_text: z.string().optional(),
      summary: z.string().optional(),
      date_published: z.string().optional(),
      date_modified: z.string().optional(),
      author: z.object({ name: z.string().optional() }).optional(),
      authors: z.array(z.object({ name: z.string().optional() })).optional(),
    }),
  ),
});

function jsonFeed(body: string, base: string): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw new FeedParseError('the JSON is malformed');
  }
  const feed = JsonFeedSchema.safeParse(data);
  if (!feed.success) throw new FeedParseError('not a JSON Feed (version 1 or 1.1)');
  const items = feed.data.items.flatMap((item): FeedItem[] => {
    const content = item.content_html !== undefined ? html(item.content_html) : textToParagraphs(item.content_text ?? '');
    const summary = textToParagraphs(item.summary ?? '');
    const title = oneLine(item.title ?? null) ?? summary[0]?.slice(0, 100) ?? content[0]?.slice(0, 100) ?? null;
    if (title === null) return [];
    return [
      {
        guid: item.id ?? null,
        title,
        link: absolute(item.url ?? item.external_url ?? null, base),
        date: isoDay(item.date_published ?? item.date_modified ?? null),
        author: oneLine(item.authors?.[0]?.name ?? item.author?.name ?? null),
        content,
        summary,
      },
    ];
  });
  return { kind: 'json', title: oneLine(feed.data.title ?? null), items };
}

/**
 * Parses an RSS 2.0, Atom or JSON Feed document. Links are resolved against `baseUrl` (the URL the
 * feed was fetched from), HTML in every field becomes plain text. Throws a {@link FeedParseError}
 * for malformed XML or JSON and for documents that are neither.
 */
export function parseFeed(body: string, baseUrl: string): ParsedFeed {
  const trimmed = body.replace(/^\uFEFF/u, '').trim();
  if (trimmed.startsWith('{')) return jsonFeed(trimmed, baseUrl);
  try {
    // Entities in a DOCTYPE are how an XML bomb grows; a feed has no use for more than a few.
    XML_VALIDATOR.validate(trimmed);
  } catch (error) {
    const line = typeof error === 'object' && error !== null && 'line' in error && typeof error.line === 'number' ? error.line : null;
    const message = error instanceof Error ? error.message : 'invalid';
    throw new FeedParseError(`malformed XML${line === null ? '' : ` at line ${line}`}: ${message}`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(trimmed) as Record<string, unknown>;
  } catch (error) {
    throw new FeedParseError(`unreadable XML: ${error instanceof Error ? error.message : 'unknown error'}`);
  }
  const rss = record(doc.rss);
  const channel = record(first(rss?.channel));
  if (channel !== null) return { kind: 'rss', title: oneLine(text(channel.title)), items: rssItems(channel, baseUrl) };
  const atom = record(doc.feed);
  if (atom !== null) return { kind: 'atom', title: atomText(atom.title).join(' ') || null, items: atomItems(atom, baseUrl) };
  throw new FeedParseError('neither RSS, Atom nor JSON Feed');
}
