import path from 'node:path';
import type { Logger } from '../logger.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { decodeBody } from './decode-text.ts';
import { articleMarkdown, canonicalUrl, shortHash, slug, storyHash, type FeedArticle } from './feed-article.ts';
import { loadFeedState, newFeedStatus, saveFeedState, type FeedStateData, type FeedStatus } from './feed-state.ts';
import { extractArticleParagraphs } from './html-text.ts';
import { FeedParseError, parseFeed, type FeedItem, type ParsedFeed } from './parse-feed.ts';
import { FetchError, safeFetch, type FetchPolicy, type FetchRequest, type FetchResult } from './safe-fetch.ts';

export const FEED_CONTENT_TYPES = [
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/json',
  'application/xml',
  'text/xml',
] as const;
export const PAGE_CONTENT_TYPES = ['text/html', 'application/xhtml+xml'] as const;

/** Longest wait after errors in a row, however many. */
const MAX_BACKOFF_MS = 24 * 60 * 60 * 1000;
/** Share of the interval added or taken at random, so that many bots (or feeds) do not poll in step. */
const JITTER = 0.1;
/** Feeds fetched at once. */
const CONCURRENCY = 4;
/** Summary-only items whose page is fetched per poll, so a feed of 500 links cannot hammer a site. */
const MAX_PAGES_PER_POLL = 30;

/** Where new articles go to be indexed: the library's reindex, or its incremental update once it has one. */
export interface ArticleIndexer {
  /** Called once per poll round that wrote or removed files (paths relative to SEEDS_DIR). */
  articlesChanged(files: readonly string[]): Promise<void>;
}

/** A story a poll added, for the announcement channel. */
export interface NewStory {
  readonly title: string;
  readonly url: string | null;
  readonly source: string;
  readonly date: string | null;
}

export interface FeedPollerOptions {
  readonly seedsDir: string;
  readonly dataDir: string;
  /** The FEEDS variable: always polled unless an admin removed one. */
  readonly configured: readonly string[];
  readonly intervalMinutes: number;
  readonly fetchPolicy: FetchPolicy;
  readonly indexer: ArticleIndexer;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** In [0, 1); for the jitter. */
  readonly random?: () => number;
  /** Told about new (not updated) stories after they are indexed. */
  readonly onNewStories?: (stories: readonly NewStory[]) => void;
}

/** The outcome of polling one feed, for its log line. */
interface FeedPollOutcome {
  readonly written: string[];
  readonly stories: NewStory[];
}

/** The feed could not be added or removed; the message is for the admin. */
export class FeedListError extends Error {
  override readonly name = 'FeedListError';
}

function errorText(error: unknown): string {
  if (error instanceof FetchError || error instanceof FeedParseError) return error.message;
  if (error instanceof Error) return `unexpected error: ${error.message}`;
  return 'unexpected error';
}

/** Checks an admin's feed URL: http(s), no credentials, returned in its normal form. */
export function normaliseFeedUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new FeedListError(`"${raw.trim().slice(0, 200)}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FeedListError('Only http and https feeds can be added.');
  if (url.username !== '' || url.password !== '') throw new FeedListError('Feed URLs with a user name or password are not accepted.');
  url.hash = '';
  return url.href;
}

/**
 * Polls news feeds and turns their items into Markdown articles under `SEEDS_DIR/feeds/<source>/`.
 * Each feed has its own schedule (the interval with jitter, longer after errors, or what the
 * server's Retry-After asks), so one broken feed never holds up the others. State persists in
 * `DATA_DIR/feeds.json` after every poll.
 */
export class FeedPoller {
  readonly #options: FeedPollerOptions;
  readonly #now: () => Date;
  readonly #random: () => number;
  #state: FeedStateData;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = true;
  #saving: Promise<void> = Promise.resolve();

  private constructor(options: FeedPollerOptions, state: FeedStateData) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#random = options.random ?? Math.random;
    this.#state = state;
  }

  /** Loads the saved state and merges in the configured feeds. */
  static async open(options: FeedPollerOptions): Promise<FeedPoller> {
    const now = options.now?.() ?? new Date();
    const loaded = await loadFeedState(options.dataDir, now);
    if (loaded.problem !== null) options.logger.warn({ problem: loaded.problem }, 'feed state was unreadable; starting afresh');
    const poller = new FeedPoller(options, loaded.data);
    for (const raw of options.configured) {
      const url = normaliseFeedUrl(raw);
      const known = poller.#state.feeds.find((f) => f.url === url);
      if (known) known.origin = 'config';
      else if (!poller.#state.removed.includes(url)) poller.#state.feeds.push(newFeedStatus(url, 'config'));
    }
    return poller;
  }

  /** Every feed's status, in the order they were added. */
  list(): readonly Readonly<FeedStatus>[] {
    return this.#state.feeds.map((f) => ({ ...f }));
  }

  /** Adds a feed and polls it soon. Throws a {@link FeedListError} for a bad or duplicate URL. */
  async add(raw: string): Promise<FeedStatus> {
    const url = normaliseFeedUrl(raw);
    if (this.#state.feeds.some((f) => f.url === url)) throw new FeedListError(`${url} is already in the feed list.`);
    const status = newFeedStatus(url, 'admin');
    this.#state.feeds.push(status);
    this.#state.removed = this.#state.removed.filter((u) => u !== url);
    await this.#save();
    this.#schedule();
    return { ...status };
  }

  /** Removes a feed (its articles stay). Throws a {@link FeedListError} when it is not in the list. */
  async remove(raw: string): Promise<FeedStatus> {
    const url = normaliseFeedUrl(raw);
    const status = this.#state.feeds.find((f) => f.url === url);
    if (!status) throw new FeedListError(`${url} is not in the feed list.`);
    this.#state.feeds = this.#state.feeds.filter((f) => f !== status);
    if (status.origin === 'config') this.#state.removed.push(url);
    await this.#save();
    return { ...status };
  }

  /** Starts polling: due feeds at once, then each on its own schedule. */
  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  /** Stops scheduling; resolves once a poll under way has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
    await this.#saving;
  }

  /** Polls every feed that is due now (all of them with `force`), writes new articles and reindexes once. */
  pollDue(force = false): Promise<void> {
    if (this.#running) return this.#running;
    const run = this.#pollRound(force).finally(() => {
      this.#running = null;
    });
    this.#running = run;
    return run;
  }

  #schedule(): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    const now = this.#now().getTime();
    const next = Math.min(...this.#state.feeds.map((f) => (f.nextPollAt === null ? now : Date.parse(f.nextPollAt))));
    // Wake when the first feed is due, and at least once per interval (a feed may be added meanwhile).
    const wait = Number.isFinite(next) ? Math.min(Math.max(0, next - now), this.#intervalMs()) : this.#intervalMs();
    this.#timer = setTimeout(() => {
      void this.pollDue().finally(() => {
        this.#schedule();
      });
    }, wait);
    this.#timer.unref();
  }

  #intervalMs(): number {
    return this.#options.intervalMinutes * 60_000;
  }

  /** The next poll after a success: the interval, give or take the jitter. */
  #nextAfterSuccess(now: Date): string {
    const jitter = 1 + JITTER * (2 * this.#random() - 1);
    return new Date(now.getTime() + this.#intervalMs() * jitter).toISOString();
  }

  /** After the n-th error in a row: the interval doubled n times (capped), or what the server asked if longer. */
  #nextAfterError(now: Date, failures: number, retryAfterMs: number | null): string {
    const backoff = Math.min(this.#intervalMs() * 2 ** failures, MAX_BACKOFF_MS);
    const jitter = 1 + JITTER * this.#random();
    return new Date(now.getTime() + Math.max(backoff * jitter, retryAfterMs ?? 0)).toISOString();
  }

  async #pollRound(force: boolean): Promise<void> {
    const now = this.#now();
    const due = this.#state.feeds.filter((f) => force || f.nextPollAt === null || Date.parse(f.nextPollAt) <= now.getTime());
    const written: string[] = [];
    const stories: NewStory[] = [];
    const queue = [...due];
    const worker = async (): Promise<void> => {
      for (let feed = queue.shift(); feed !== undefined; feed = queue.shift()) {
        const outcome = await this.#pollFeed(feed);
        written.push(...outcome.written);
        stories.push(...outcome.stories);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, due.length) }, worker));
    await this.#save();
    if (written.length === 0) return;
    try {
      await this.#options.indexer.articlesChanged(written);
    } catch (error) {
      this.#options.logger.error({ err: error, files: written.length }, 'reindex after a feed poll failed');
      return;
    }
    if (stories.length > 0) this.#options.onNewStories?.(stories);
  }

  async #pollFeed(feed: FeedStatus): Promise<FeedPollOutcome> {
    const started = performance.now();
    const now = this.#now();
    feed.lastPollAt = now.toISOString();
    const log = this.#options.logger;
    try {
      const request: FetchRequest = { url: feed.url, accept: FEED_CONTENT_TYPES, etag: feed.etag, lastModified: feed.lastModified };
      const result: FetchResult = await safeFetch(request, this.#options.fetchPolicy, this.#now);
      let outcome: FeedPollOutcome = { written: [], stories: [] };
      if (result.status === 304) feed.newArticles = 0;
      else {
        const parsed = parseFeed(decodeBody(result.body, result.charset), result.url);
        feed.etag = result.etag;
        feed.lastModified = result.lastModified;
        feed.title = parsed.title;
        feed.source ??= slug(parsed.title ?? new URL(feed.url).hostname);
        feed.itemsSeen = parsed.items.length;
        outcome = await this.#store(feed, parsed);
        feed.newArticles = outcome.written.length;
        feed.totalArticles += outcome.stories.length;
      }
      feed.failures = 0;
      feed.lastError = null;
      feed.lastSuccessAt = now.toISOString();
      feed.nextPollAt = this.#nextAfterSuccess(now);
      log.info(
        {
          feed: feed.url,
          status: result.status,
          items: feed.itemsSeen,
          written: outcome.written.length,
          new: outcome.stories.length,
          ms: Math.round(performance.now() - started),
          nextPollAt: feed.nextPollAt,
        },
        'feed polled',
      );
      return outcome;
    } catch (error) {
      feed.failures += 1;
      feed.lastError = errorText(error);
      feed.newArticles = 0;
      const retryAfterMs = error instanceof FetchError ? error.retryAfterMs : null;
      feed.nextPollAt = this.#nextAfterError(now, feed.failures, retryAfterMs);
      const expected = error instanceof FetchError || error instanceof FeedParseError;
      log[expected ? 'warn' : 'error'](
        {
          feed: feed.url,
          error: feed.lastError,
          failures: feed.failures,
          ms: Math.round(performance.now() - started),
          nextPollAt: feed.nextPollAt,
          ...(expected ? {} : { err: error }),
        },
        'feed poll failed',
      );
      return { written: [], stories: [] };
    }
  }

  /** Writes the feed's new and changed items; skips the ones already stored, here or from another feed. */
  async #store(feed: FeedStatus, parsed: ParsedFeed): Promise<FeedPollOutcome> {
    const written: string[] = [];
    const stories: NewStory[] = [];
    let pages = 0;
    for (const item of parsed.items) {
      const key = `${feed.url} ${item.guid ?? item.link ?? item.title}`;
      const url = canonicalUrl(item.link);
      const itemHash = shortHash(JSON.stringify(item));
      const sameUrl = url === null ? undefined : this.#state.items.find((s) => s.url === url);
      if (sameUrl && sameUrl.feed !== feed.url && !this.#state.items.some((s) => s.key === key)) {
        // Another feed's story at the same address: one article, and that feed keeps it current.
        this.#state.items.push({ ...sameUrl, key, feed: feed.url, itemHash });
        continue;
      }
      // Known by its GUID, or by its link when the feed changed the GUID.
      const known = this.#state.items.find((s) => s.key === key) ?? (sameUrl?.feed === feed.url ? sameUrl : undefined);
      if (known?.itemHash === itemHash) continue;
      const needsPage = item.content.length === 0 && item.link !== null && pages < MAX_PAGES_PER_POLL;
      if (needsPage) pages++;
      const paragraphs = await this.#fullText(item, needsPage);
      if (paragraphs.length === 0) continue;
      const textHash = storyHash(paragraphs);
      const sameStory = known ?? this.#state.items.find((s) => s.textHash === textHash);
      if (sameStory && !known) {
        // The same text from another feed (a wire story): remember this item as that article, write nothing.
        this.#state.items.push({ key, feed: feed.url, url, itemHash, textHash, file: sameStory.file });
        continue;
      }
      const article: FeedArticle = {
        title: item.title,
        date: item.date,
        url: item.link,
        source: feed.title ?? new URL(feed.url).hostname,
        author: item.author,
        paragraphs,
      };
      const file = known?.file ?? this.#fileFor(feed, item);
      // The state changes before the write is awaited: another feed polled meanwhile must already see
      // this story, or a wire story in two feeds would be written twice.
      const before = known ? { ...known } : null;
      if (known) Object.assign(known, { key, itemHash, textHash });
      else this.#state.items.push({ key, feed: feed.url, url, itemHash, textHash, file });
      try {
        await writeFileAtomic(path.join(this.#options.seedsDir, file), articleMarkdown(article));
      } catch (error) {
        if (known && before) Object.assign(known, before);
        else this.#state.items = this.#state.items.filter((s) => s.key !== key);
        throw error;
      }
      written.push(file);
      if (!known) stories.push({ title: article.title, url: article.url, source: article.source, date: article.date });
    }
    return { written, stories };
  }

  #fileFor(feed: FeedStatus, item: FeedItem): string {
    // The hash keeps two items with the same title and day apart; it names the item, not the feed's URL.
    const name = `${item.date ?? 'undated'}-${slug(item.title, 50)}-${shortHash(item.guid ?? item.link ?? item.title).slice(0, 6)}.md`;
    return `feeds/${feed.source ?? 'feed'}/${name}`;
  }

  /** The item's text: its content, else its linked page's article body, else its summary. */
  async #fullText(item: FeedItem, fetchPage: boolean): Promise<readonly string[]> {
    if (item.content.length > 0) return item.content;
    if (fetchPage && item.link !== null) {
      try {
        const page = await safeFetch({ url: item.link, accept: PAGE_CONTENT_TYPES }, this.#options.fetchPolicy, this.#now);
        if (page.status === 200) {
          const extracted = extractArticleParagraphs(decodeBody(page.body, page.charset), page.url);
          if (extracted !== null) return extracted;
        }
      } catch (error) {
        this.#options.logger.debug({ link: item.link, error: errorText(error) }, 'linked page not fetched; keeping the summary');
      }
    }
    return item.summary;
  }

  #save(): Promise<void> {
    // Saves run one after another, each writing the state as it is then.
    this.#saving = this.#saving.catch(() => undefined).then(() => saveFeedState(this.#options.dataDir, this.#state));
    return this.#saving;
  }
}
