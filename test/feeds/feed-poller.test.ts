import { EventEmitter, once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { parseArticle } from '../../src/core/articles.ts';
import { FeedPoller, FeedListError, type NewStory } from '../../src/feeds/feed-poller.ts';
import { FEED_STATE_FILE } from '../../src/feeds/feed-state.ts';
import { createLogger } from '../../src/logger.ts';
import { ATOM, FeedServer, HTML, JSON_FEED, RSS, rss } from './feed-server.ts';

const server = new FeedServer();
beforeAll(() => server.start());
afterAll(() => server.close());

const NOW = new Date('2024-03-01T12:00:00.000Z');
const INTERVAL_MS = 15 * 60_000;

let seedsDir: string;
let dataDir: string;
let logs: { msg: string; [key: string]: unknown }[];
let indexed: string[][];
let stories: NewStory[];
let clock: Date;
/** Says 'change' on each log line, and when a test's route is asked: what {@link until} waits on. */
const changes = new EventEmitter();

/** Resolves once `condition` holds, re-checked at each change: no timer, so it works on a fake clock. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await once(changes, 'change');
}

/** How many feed polls the log has finished, answered or failed. */
const pollsLogged = (): number => logs.filter((l) => l.msg === 'feed polled' || l.msg === 'feed poll failed').length;

beforeEach(async () => {
  seedsDir = await mkdtemp(path.join(tmpdir(), 'factdesk-feeds-seeds-'));
  dataDir = await mkdtemp(path.join(tmpdir(), 'factdesk-feeds-data-'));
  logs = [];
  indexed = [];
  stories = [];
  clock = NOW;
  server.routes.clear();
  server.requests.length = 0;
});
afterEach(async () => {
  await rm(seedsDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

/**
 * A poller of `configured`. Its fetch deadline is long enough that no answer of the loopback server
 * misses it however loaded the machine (at 500 ms they did); the test of the deadline runs it on a
 * fake clock instead.
 */
function open(configured: readonly string[], timeoutMs = 60_000): Promise<FeedPoller> {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as { msg: string });
      changes.emit('change');
      done();
    },
  });
  return FeedPoller.open({
    seedsDir,
    dataDir,
    configured,
    intervalMinutes: 15,
    fetchPolicy: { allowPrivate: true, timeoutMs, maxBytes: 64 * 1024 },
    indexer: {
      articlesChanged(files) {
        indexed.push([...files]);
        return Promise.resolve();
      },
    },
    logger: createLogger('info', { destination }),
    now: () => clock,
    random: () => 0.5,
    onNewStories: (s) => stories.push(...s),
  });
}

/** Every article file under SEEDS_DIR, parsed, by path. */
async function articles(): Promise<Map<string, ReturnType<typeof parseArticle>>> {
  const out = new Map<string, ReturnType<typeof parseArticle>>();
  const files = await readdir(seedsDir, { recursive: true, withFileTypes: true });
  for (const entry of files) {
    if (!entry.isFile()) continue;
    const rel = path.relative(seedsDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    out.set(rel, parseArticle(rel, await readFile(path.join(seedsDir, rel), 'utf8')));
  }
  return out;
}

const PORT_ITEM = `<title>Port reopens after storm</title><link>https://harbour.example/port</link><guid>harbour-1</guid>
  <pubDate>Mon, 06 Nov 2023 10:00:00 GMT</pubDate><dc:creator>Ana Ruiz</dc:creator>
  <content:encoded><![CDATA[<p>The port reopened on Tuesday after a three-day closure.</p><p>About 40 ships had waited offshore.</p>]]></content:encoded>`;

describe('FeedPoller', () => {
  it('turns RSS, Atom and JSON Feed items into Markdown articles, indexes once and announces them', async () => {
    server.routes.set('/harbour.xml', { headers: RSS, body: rss('Harbour News', [PORT_ITEM]) });
    server.routes.set('/valley.atom', {
      headers: ATOM,
      body: `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Post</title>
        <entry><id>tag:valley,2023:dam</id><title>Dam holds</title><link href="https://valley.example/dam"/>
        <published>2023-05-02T08:00:00Z</published><content type="html">&lt;p&gt;The dam held as levels fell 2 metres.&lt;/p&gt;</content></entry></feed>`,
    });
    server.routes.set('/metro.json', {
      headers: JSON_FEED,
      body: JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'Metro Daily',
        items: [{ id: 'm1', url: 'https://metro.example/fares', title: 'Fares rise', content_text: 'Rail fares rose 4% this year.' }],
      }),
    });
    const poller = await open([server.url('/harbour.xml'), server.url('/valley.atom'), server.url('/metro.json')]);
    await poller.pollDue();

    const files = await articles();
    expect([...files.keys()].sort()).toEqual([
      'feeds/harbour-news/2023-11-06-port-reopens-after-storm-114adf.md',
      'feeds/metro-daily/undated-fares-rise-ca0df2.md',
      'feeds/valley-post/2023-05-02-dam-holds-da0107.md',
    ]);
    const port = files.get('feeds/harbour-news/2023-11-06-port-reopens-after-storm-114adf.md');
    expect(port && [port.title, port.date, port.url, port.source, port.author, port.paragraphs]).toEqual([
      'Port reopens after storm',
      '2023-11-06',
      'https://harbour.example/port',
      'Harbour News',
      'Ana Ruiz',
      ['The port reopened on Tuesday after a three-day closure.', 'About 40 ships had waited offshore.'],
    ]);
    expect(indexed.map((batch) => [...batch].sort())).toEqual([[...files.keys()].sort()]);
    expect(stories.map((s) => s.title).sort()).toEqual(['Dam holds', 'Fares rise', 'Port reopens after storm']);
    expect(poller.list().map((f) => [f.title, f.itemsSeen, f.newArticles, f.lastError, f.nextPollAt])).toEqual([
      ['Harbour News', 1, 1, null, new Date(NOW.getTime() + INTERVAL_MS).toISOString()],
      ['Valley Post', 1, 1, null, new Date(NOW.getTime() + INTERVAL_MS).toISOString()],
      ['Metro Daily', 1, 1, null, new Date(NOW.getTime() + INTERVAL_MS).toISOString()],
    ]);
    expect(logs.filter((l) => l.msg === 'feed polled')).toHaveLength(3);
  });

  it('sends the saved ETag and Last-Modified, and writes nothing on 304', async () => {
    server.routes.set('/harbour.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"h1"') res.writeHead(304).end();
      else
        res
          .writeHead(200, { ...RSS, etag: '"h1"', 'last-modified': 'Mon, 06 Nov 2023 10:00:00 GMT' })
          .end(rss('Harbour News', [PORT_ITEM]));
    });
    const first = await open([server.url('/harbour.xml')]);
    await first.pollDue();
    // A new process: the validators come back from DATA_DIR.
    const second = await open([server.url('/harbour.xml')]);
    await second.pollDue(true);
    expect(server.requestsFor('/harbour.xml').map((r) => [r.ifNoneMatch, r.ifModifiedSince])).toEqual([
      [null, null],
      ['"h1"', 'Mon, 06 Nov 2023 10:00:00 GMT'],
    ]);
    expect(indexed).toHaveLength(1);
    expect(second.list()[0]?.newArticles).toBe(0);
  });

  it('polls only due feeds', async () => {
    server.routes.set('/harbour.xml', { headers: RSS, body: rss('Harbour News', [PORT_ITEM]) });
    const poller = await open([server.url('/harbour.xml')]);
    await poller.pollDue();
    clock = new Date(NOW.getTime() + INTERVAL_MS - 1000);
    await poller.pollDue();
    expect(server.requestsFor('/harbour.xml')).toHaveLength(1);
    clock = new Date(NOW.getTime() + INTERVAL_MS);
    await poller.pollDue();
    expect(server.requestsFor('/harbour.xml')).toHaveLength(2);
  });

  it('replaces the article of an item updated in place, without adding another', async () => {
    server.routes.set('/harbour.xml', { headers: RSS, body: rss('Harbour News', [PORT_ITEM]) });
    const poller = await open([server.url('/harbour.xml')]);
    await poller.pollDue();
    server.routes.set('/harbour.xml', {
      headers: RSS,
      body: rss('Harbour News', [PORT_ITEM.replace('About 40 ships', 'About 45 ships')]),
    });
    await poller.pollDue(true);
    const files = await articles();
    expect([...files.values()].map((a) => a.paragraphs[1])).toEqual(['About 45 ships had waited offshore.']);
    expect(indexed).toHaveLength(2);
    expect(stories).toHaveLength(1);
  });

  it('stores the same story from two feeds once (same text, other GUID and link)', async () => {
    const wire = (guid: string, link: string): string =>
      `<title>Quake hits coast</title><link>${link}</link><guid>${guid}</guid><pubDate>Tue, 07 Nov 2023 06:00:00 GMT</pubDate>
       <content:encoded><![CDATA[<p>A magnitude 6.1 earthquake struck the coast early on Tuesday, officials said.</p>]]></content:encoded>`;
    server.routes.set('/a.xml', { headers: RSS, body: rss('Alpha Wire', [wire('a-1', 'https://alpha.example/quake')]) });
    server.routes.set('/b.xml', {
      headers: RSS,
      body: rss('Beta Times', [wire('b-9', 'https://beta.example/world/quake?utm_source=rss')]),
    });
    const poller = await open([server.url('/a.xml'), server.url('/b.xml')]);
    await poller.pollDue();
    expect([...(await articles()).keys()]).toHaveLength(1);
    expect(stories).toHaveLength(1);
  });

  it('stores a story once when two feeds link the same page (tracking parameters aside)', async () => {
    const item = (guid: string, link: string, text: string): string =>
      `<title>Budget passed</title><link>${link}</link><guid>${guid}</guid><description>${text}</description>`;
    server.routes.set('/a.xml', { headers: RSS, body: rss('Alpha Wire', [item('a-1', 'https://city.example/budget', 'Short text.')]) });
    server.routes.set('/b.xml', {
      headers: RSS,
      body: rss('Beta Times', [item('b-1', 'https://city.example/budget?utm_medium=feed#top', 'Another summary.')]),
    });
    const poller = await open([server.url('/a.xml')]);
    await poller.pollDue();
    await poller.add(server.url('/b.xml'));
    await poller.pollDue(true);
    await poller.pollDue(true);
    expect([...(await articles()).values()].map((a) => a.paragraphs)).toEqual([['Short text.']]);
    expect(indexed).toHaveLength(1);
  });

  it('fetches the linked page when an item has only a summary, and keeps the summary when that fails', async () => {
    const body = 'The city council approved a budget of 3.2 million euros for new cycle lanes on Monday evening. ';
    server.routes.set('/story', {
      headers: HTML,
      body: `<html><head><title>Lanes</title></head><body><nav>Home | City</nav><article><p>${body.repeat(3)}</p><p>${body.repeat(2)}</p></article></body></html>`,
    });
    server.routes.set('/city.xml', {
      headers: RSS,
      body: rss('City Desk', [
        `<title>Cycle lanes approved</title><link>${server.url('/story')}</link><guid>c-1</guid><description>Council approves lanes.</description>`,
        `<title>Gone page</title><link>${server.url('/missing')}</link><guid>c-2</guid><description>Only this &lt;b&gt;summary&lt;/b&gt;.</description>`,
      ]),
    });
    const poller = await open([server.url('/city.xml')]);
    await poller.pollDue();
    const byTitle = new Map([...(await articles()).values()].map((a) => [a.title, a.paragraphs]));
    expect(byTitle.get('Cycle lanes approved')).toEqual([body.repeat(3).trim(), body.repeat(2).trim()]);
    expect(byTitle.get('Gone page')).toEqual(['Only this summary.']);
  });

  it('reads a feed and a linked page in the encoding they declare (ISO-8859-1, windows-1252), not as UTF-8', async () => {
    const body = 'Malmö café owners said 40 terraces would reopen, and the council agreed on Monday evening. ';
    server.routes.set('/page', {
      headers: { 'content-type': 'text/html' },
      body: Buffer.from(
        `<html><head><meta charset="windows-1252"><title>Terraces</title></head><body><article><p>${body.repeat(3)}</p><p>${body.repeat(2)}</p></article></body></html>`,
        'latin1',
      ),
    });
    server.routes.set('/latin.xml', {
      headers: { 'content-type': 'text/xml; charset=ISO-8859-1' },
      body: Buffer.from(
        rss('Malmö Daily', [
          '<title>Café terraces reopen</title><link>https://malmo.example/terraces</link><guid>m-1</guid><description>Café news.</description>',
          `<title>Terraces in Malmö</title><link>${server.url('/page')}</link><guid>m-2</guid><description>Summary.</description>`,
        ]).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'),
        'latin1',
      ),
    });
    const poller = await open([server.url('/latin.xml')]);
    await poller.pollDue();
    const byTitle = new Map([...(await articles()).values()].map((a) => [a.title, a.paragraphs]));
    expect([...byTitle.keys()].sort()).toEqual(['Café terraces reopen', 'Terraces in Malmö']);
    expect(byTitle.get('Café terraces reopen')).toEqual(['Café news.']);
    expect(byTitle.get('Terraces in Malmö')).toEqual([body.repeat(3).trim(), body.repeat(2).trim()]);
    expect(poller.list()[0]?.title).toBe('Malmö Daily');
  });

  it('one broken feed never stops the others; errors back off exponentially and honour Retry-After', async () => {
    server.routes.set('/harbour.xml', { headers: RSS, body: rss('Harbour News', [PORT_ITEM]) });
    server.routes.set('/broken.xml', { headers: RSS, body: '<rss version="2.0"><channel><item></channel></rss>' });
    server.routes.set('/huge.xml', { headers: RSS, body: `<rss>${'x'.repeat(100 * 1024)}</rss>` });
    server.routes.set('/loop.xml', { status: 302, headers: { location: '/loop.xml' } });
    server.routes.set('/busy.xml', { status: 429, headers: { 'retry-after': '7200' } });
    server.routes.set('/slow.xml', (_req, res) => {
      res.writeHead(200, RSS);
      res.write('<rss>');
      changes.emit('change');
    });
    // The fetch deadline (500 ms) runs on a fake clock, moved only once every other feed has been
    // polled and the slow one asked: under load the others took longer than 500 ms too.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const pollPastDeadline = async (poller: FeedPoller): Promise<void> => {
      const due = poller.list().filter((f) => f.nextPollAt === null || Date.parse(f.nextPollAt) <= clock.getTime());
      const slowDue = due.some((f) => f.url.endsWith('/slow.xml')) ? 1 : 0;
      const [polls, slowAsked] = [pollsLogged(), server.requestsFor('/slow.xml').length];
      const polling = poller.pollDue();
      await until(() => pollsLogged() === polls + due.length - slowDue && server.requestsFor('/slow.xml').length === slowAsked + slowDue);
      vi.advanceTimersByTime(500);
      await polling;
    };
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const poller = await open(
      ['/harbour.xml', '/broken.xml', '/huge.xml', '/loop.xml', '/busy.xml', '/slow.xml'].map((p) => server.url(p)),
      500,
    );
    await pollPastDeadline(poller);
    const at = (ms: number): string => new Date(NOW.getTime() + ms).toISOString();
    // random() = 0.5: the error jitter adds 5%.
    const backoff1 = at(INTERVAL_MS * 2 * 1.05);
    expect(poller.list().map((f) => [new URL(f.url).pathname, f.failures, f.lastError, f.nextPollAt])).toEqual([
      ['/harbour.xml', 0, null, at(INTERVAL_MS)],
      ['/broken.xml', 1, expect.stringMatching(/^malformed XML at line 1: /u), backoff1],
      ['/huge.xml', 1, 'the body is over 64 KB', backoff1],
      ['/loop.xml', 1, 'more than 5 redirects', backoff1],
      ['/busy.xml', 1, 'HTTP 429', at(7_200_000)],
      ['/slow.xml', 1, 'no complete answer within 500 ms', backoff1],
    ]);
    expect([...(await articles()).keys()]).toHaveLength(1);
    clock = new Date(NOW.getTime() + INTERVAL_MS * 2.1);
    await pollPastDeadline(poller);
    const second = poller.list().find((f) => f.url.endsWith('/broken.xml'));
    expect([second?.failures, second?.nextPollAt]).toEqual([2, new Date(clock.getTime() + INTERVAL_MS * 4 * 1.05).toISOString()]);
    expect(logs.filter((l) => l.msg === 'feed poll failed').map((l) => l.feed)).toContain(server.url('/broken.xml'));
  });

  it('adds and removes feeds, persists the list, and does not bring back a removed FEEDS entry', async () => {
    const configured = server.url('/harbour.xml');
    const poller = await open([configured]);
    await poller.add(server.url('/extra.xml'));
    await expect(poller.add(`${server.url('/extra.xml')}#x`)).rejects.toThrow(FeedListError);
    await expect(poller.add('ftp://example.com/feed')).rejects.toThrow('Only http and https feeds can be added.');
    await poller.remove(configured);
    await expect(poller.remove(configured)).rejects.toThrow(`${configured} is not in the feed list.`);
    const reopened = await open([configured]);
    expect(reopened.list().map((f) => [f.url, f.origin])).toEqual([[server.url('/extra.xml'), 'admin']]);
  });

  it('sets a corrupt state file aside and starts afresh', async () => {
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, FEED_STATE_FILE), '{"version": 1, "feeds": [');
    const poller = await open([server.url('/harbour.xml')]);
    expect(poller.list()).toHaveLength(1);
    expect((await readdir(dataDir)).filter((f) => f.startsWith(`${FEED_STATE_FILE}.corrupt-`))).toHaveLength(1);
    expect(logs.map((l) => l.msg)).toEqual(['feed state was unreadable; starting afresh']);
  });
});
