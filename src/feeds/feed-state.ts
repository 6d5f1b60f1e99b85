import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-write.ts';

const FeedStatusSchema = z.object({
  url: z.string(),
  /** `config`: listed in FEEDS; `admin`: added with /feeds add. */
  origin: z.enum(['config', 'admin']),
  /** The folder under `SEEDS_DIR/feeds/` its articles go to, fixed at the first successful poll. */
  source: z.string().nullable(),
  title: z.string().nullable(),
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  lastPollAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** Errors in a row, for the exponential backoff. */
  failures: z.number().int().min(0),
  nextPollAt: z.string().nullable(),
  /** Items in the feed at the last successful poll. */
  itemsSeen: z.number().int().min(0),
  /** Articles the last poll added or replaced. */
  newArticles: z.number().int().min(0),
  totalArticles: z.number().int().min(0),
});
export type FeedStatus = z.infer<typeof FeedStatusSchema>;

const StoredItemSchema = z.object({
  /** `<feed url> <guid or link or title>`: the item's identity in its feed. */
  key: z.string(),
  feed: z.string(),
  /** Canonical link, for matching the same story under another GUID. */
  url: z.string().nullable(),
  /** Hash of the item as the feed gave it: unchanged means nothing to fetch or write. */
  itemHash: z.string(),
  /** Hash of the article text, for matching the same story in another feed. */
  textHash: z.string(),
  /** The article file, relative to SEEDS_DIR. */
  file: z.string(),
});
export type StoredItem = z.infer<typeof StoredItemSchema>;

const StateSchema = z.object({
  version: z.literal(1),
  feeds: z.array(FeedStatusSchema),
  /** FEEDS entries an admin removed: not re-added at the next start. */
  removed: z.array(z.string()),
  items: z.array(StoredItemSchema),
});
export type FeedStateData = z.infer<typeof StateSchema>;

export const FEED_STATE_FILE = 'feeds.json';

/** A feed's status before its first poll. */
export function newFeedStatus(url: string, origin: FeedStatus['origin']): FeedStatus {
  return {
    url,
    origin,
    source: null,
    title: null,
    etag: null,
    lastModified: null,
    lastPollAt: null,
    lastSuccessAt: null,
    lastError: null,
    failures: 0,
    nextPollAt: null,
    itemsSeen: 0,
    newArticles: 0,
    totalArticles: 0,
  };
}

export interface LoadedState {
  readonly data: FeedStateData;
  /** Set when the file was unreadable and was set aside: the reason, for a log line. */
  readonly problem: string | null;
}

/**
 * Reads the feed state from `DATA_DIR/feeds.json`; a missing file is an empty state, and a corrupt
 * one is renamed aside (`feeds.json.corrupt-<time>`) rather than lost or trusted.
 */
export async function loadFeedState(dataDir: string, now: Date): Promise<LoadedState> {
  const file = path.join(dataDir, FEED_STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { data: { version: 1, feeds: [], removed: [], items: [] }, problem: null };
    throw error;
  }
  let problem: string;
  try {
    const parsed = StateSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { data: parsed.data, problem: null };
    problem = 'it does not have the expected shape';
  } catch {
    problem = 'it is not valid JSON';
  }
  const aside = `${file}.corrupt-${now.toISOString().replace(/[:.]/gu, '-')}`;
  await rename(file, aside);
  return { data: { version: 1, feeds: [], removed: [], items: [] }, problem: `${problem}; moved to ${aside}` };
}

/** Writes the feed state atomically. */
export async function saveFeedState(dataDir: string, data: FeedStateData): Promise<void> {
  await writeFileAtomic(path.join(dataDir, FEED_STATE_FILE), `${JSON.stringify(data, null, 2)}\n`);
}
