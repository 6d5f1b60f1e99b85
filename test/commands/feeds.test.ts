import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationCommandOptionType, type APIEmbed } from 'discord.js';
import { afterEach, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { feeds as feedsCommand } from '../../commands/feeds.ts';
import { loadCommands } from '../../commands/index.ts';
import { optionsFrom } from '../../src/bot/interactions.ts';
import { parseArguments, type ArgumentsOf, type CommandContext, type Invoker, type OptionValues } from '../../src/command.ts';
import { parseConfig } from '../../src/config.ts';
import { completeConsoleLine } from '../../src/console-completion.ts';
import { parseConsoleOptions } from '../../src/console.ts';
import { Cooldown } from '../../src/cooldown.ts';
import { Library } from '../../src/core/library.ts';
import { runCommand } from '../../src/dispatch.ts';
import { UserError } from '../../src/errors.ts';
import { AnswerPages } from '../../src/answer-pages.ts';
import { FeedPoller } from '../../src/feeds/feed-poller.ts';
import { newFeedStatus, type FeedStatus } from '../../src/feeds/feed-state.ts';
import { createLogger } from '../../src/logger.ts';
import { renderReply } from '../../src/render/discord/replies.ts';
import { renderReplyText } from '../../src/render/terminal.ts';
import type { Reply } from '../../src/replies.ts';

const commands = loadCommands();
const NOW = new Date('2026-12-03T14:42:00Z');
const admin: Invoker = { id: '100000000000000001', roleIds: [], canManageGuild: true, local: false };
const member: Invoker = { ...admin, canManageGuild: false };
const consoleUser: Invoker = { id: 'console', roleIds: [], canManageGuild: true, local: true };

let library: Library;
let dataDir: string;
let seedsDir: string;
let poller: FeedPoller;

beforeAll(async () => {
  library = await Library.open({ seedsDir: 'seeds' });
});
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'factdesk-feeds-command-'));
  seedsDir = await mkdtemp(path.join(tmpdir(), 'factdesk-feeds-command-seeds-'));
  poller = await openPoller();
});

/** A poller over this test's folders with one configured feed, never started: these tests change the list, they do not poll. */
function openPoller(): Promise<FeedPoller> {
  return FeedPoller.open({
    seedsDir,
    dataDir,
    configured: ['https://wire.example/rss.xml'],
    intervalMinutes: 15,
    fetchPolicy: { allowPrivate: false },
    indexer: { articlesChanged: () => Promise.resolve() },
    logger: createLogger('silent'),
    now: () => NOW,
  });
}
afterEach(async () => {
  await poller.stop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(seedsDir, { recursive: true, force: true });
});

function contextFor(invoker: Invoker, feeds: CommandContext['feeds'] | null = poller): CommandContext {
  const config = parseConfig({});
  return {
    library,
    config,
    now: () => NOW,
    startedAt: NOW,
    invoker,
    answerPages: new AnswerPages(),
    logger: createLogger('silent'),
    cooldown: new Cooldown(0, () => NOW),
    commands,
    ...(feeds === null ? {} : { feeds }),
  };
}

/** Runs a console line such as `add url:…` through the same path as the console. */
function runConsoleLine(line: string, invoker: Invoker = consoleUser): Promise<Reply> {
  return runCommand(feedsCommand, parseConsoleOptions(feedsCommand, line), contextFor(invoker));
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return error instanceof UserError ? `${error.code}: ${error.message}` : `bug: ${String(error)}`;
  }
}

const text = (reply: Reply): string => renderReplyText(reply);
const embedOf = (reply: Reply): APIEmbed => {
  const embed = renderReply(reply).embeds[0];
  if (!embed) throw new Error('no embed');
  return embed;
};

describe('/feeds arguments', () => {
  it('types the arguments as one member per subcommand', () => {
    expectTypeOf<ArgumentsOf<typeof feedsCommand.data>>().toEqualTypeOf<
      | { readonly subcommand: 'add'; readonly url: string }
      | { readonly subcommand: 'remove'; readonly url: string }
      | { readonly subcommand: 'list' }
    >();
  });

  it('reads the subcommand from Discord’s options, whose subcommand entry carries no value', () => {
    const values = optionsFrom([
      { name: 'add', type: ApplicationCommandOptionType.Subcommand, options: [{ name: 'url', value: 'https://a.example/feed' }] },
    ]);
    expect([...values]).toEqual([
      ['subcommand', 'add'],
      ['url', 'https://a.example/feed'],
    ]);
    expect(parseArguments(feedsCommand.data, values)).toEqual({ subcommand: 'add', url: 'https://a.example/feed' });
  });

  it('refuses a missing or unknown subcommand and a missing url, naming what is needed', () => {
    const refuse = (values: OptionValues): string => {
      try {
        parseArguments(feedsCommand.data, values);
        return 'accepted';
      } catch (error) {
        return error instanceof UserError ? error.message : 'bug';
      }
    };
    expect(refuse(new Map())).toBe('/feeds needs one of: /feeds add, /feeds remove, /feeds list.');
    expect(refuse(new Map([['subcommand', 'purge']]))).toBe('/feeds needs one of: /feeds add, /feeds remove, /feeds list.');
    expect(refuse(new Map([['subcommand', 'remove']]))).toBe('Option "url" is required.');
    // An option of another subcommand is dropped, not passed on.
    expect(
      parseArguments(
        feedsCommand.data,
        new Map([
          ['subcommand', 'list'],
          ['url', 'x'],
        ]),
      ),
    ).toEqual({ subcommand: 'list' });
  });

  it('parses console lines as Discord shows them: the subcommand, then its options', () => {
    expect([...parseConsoleOptions(feedsCommand, 'add url:https://a.example/feed')]).toEqual([
      ['subcommand', 'add'],
      ['url', 'https://a.example/feed'],
    ]);
    expect([...parseConsoleOptions(feedsCommand, 'remove https://a.example/feed')]).toEqual([
      ['subcommand', 'remove'],
      ['url', 'https://a.example/feed'],
    ]);
    expect([...parseConsoleOptions(feedsCommand, ' list ')]).toEqual([['subcommand', 'list']]);
    expect(() => parseConsoleOptions(feedsCommand, 'add')).toThrow(
      '/feeds add needs url: /feeds add url:<feed address> · /feeds remove url:<feed address> · /feeds list',
    );
    expect(() => parseConsoleOptions(feedsCommand, 'show')).toThrow(
      '/feeds needs one of: add, remove, list (/feeds add url:<feed address> · /feeds remove url:<feed address> · /feeds list)',
    );
  });

  it('completes subcommands, then their options, at the console', () => {
    const slash = new Map([['feeds', feedsCommand]]);
    expect(completeConsoleLine('/feeds ', slash, library.archive, 0)).toEqual([['add ', 'remove ', 'list '], '']);
    expect(completeConsoleLine('/feeds re', slash, library.archive, 0)).toEqual([['remove '], 're']);
    expect(completeConsoleLine('/feeds add ', slash, library.archive, 0)).toEqual([['url:'], '']);
    expect(completeConsoleLine('/feeds list ', slash, library.archive, 0)).toEqual([[], '']);
  });
});

describe('/feeds add, remove and list', () => {
  it('is for admins only', async () => {
    const values = new Map([['subcommand', 'list']]);
    expect(await refusal(runCommand(feedsCommand, values, contextFor(member)))).toBe(
      'not-allowed: Only members with Manage Server, or the admins Factdesk is configured with, can use /feeds.',
    );
    expect(feedsCommand.autocomplete?.('url', '', contextFor(member))).toEqual([]);
  });

  it('adds a feed, lists it as not polled yet, refuses it twice, and removes it', async () => {
    expect(await runConsoleLine('add url: https://news.example/feed.xml#top')).toEqual({
      kind: 'notice',
      tone: 'info',
      text: 'Following https://news.example/feed.xml. Its first poll starts now; /feeds list shows how it went.',
      ephemeral: true,
    });
    expect(text(await runConsoleLine('list'))).toBe(
      [
        'News feeds (2)',
        '  • https://wire.example/rss.xml',
        '    not polled yet',
        '  • https://news.example/feed.xml',
        '    not polled yet',
      ].join('\n'),
    );
    expect(await refusal(runConsoleLine('add url:https://news.example/feed.xml'))).toBe(
      'feed-list: https://news.example/feed.xml is already in the feed list.',
    );
    expect(await refusal(runConsoleLine('add url:ftp://news.example/feed.xml'))).toBe('feed-list: Only http and https feeds can be added.');
    expect(await refusal(runConsoleLine('add url:not a url'))).toBe('feed-list: "not a url" is not a URL.');

    expect(text(await runConsoleLine('remove url:https://news.example/feed.xml'))).toBe(
      'No longer following https://news.example/feed.xml. The 0 articles it added stay in the archive.',
    );
    expect(await refusal(runConsoleLine('remove url:https://news.example/feed.xml'))).toBe(
      'feed-list: https://news.example/feed.xml is not in the feed list.',
    );
    expect(text(await runConsoleLine('remove url:https://wire.example/rss.xml'))).toBe(
      'No longer following https://wire.example/rss.xml. The 0 articles it added stay in the archive.',
    );
    expect(text(await runConsoleLine('list'))).toBe('No feeds are followed. Add one with /feeds add url:<feed address>.');
    // The list is kept in DATA_DIR: a FEEDS entry an admin removed stays removed after a restart.
    expect((await openPoller()).list()).toEqual([]);
  });

  it('says plainly when no feeds are running', async () => {
    const values = new Map([['subcommand', 'list']]);
    expect(await refusal(runCommand(feedsCommand, values, contextFor(admin, null)))).toBe('feeds-off: News feeds are not running here.');
  });

  it('offers the followed feeds when an admin types a url to remove', () => {
    expect(feedsCommand.autocomplete?.('url', 'WIRE', contextFor(admin))).toEqual([
      { name: 'https://wire.example/rss.xml', value: 'https://wire.example/rss.xml' },
    ]);
    expect(feedsCommand.autocomplete?.('url', 'nothing', contextFor(admin))).toEqual([]);
  });
});

describe('/feeds list rendering', () => {
  const polled: FeedStatus = {
    ...newFeedStatus('https://news.example/feed.xml', 'admin'),
    title: 'Example *News*',
    lastPollAt: '2026-12-03T14:30:00.000Z',
    newArticles: 1,
    totalArticles: 12,
  };
  const failing: FeedStatus = {
    ...newFeedStatus('https://broken.example/rss', 'config'),
    lastPollAt: '2026-12-03T14:41:00.000Z',
    lastError: 'HTTP 503 from broken.example @everyone',
    failures: 2,
    totalArticles: 1,
  };
  const reply: Reply = { kind: 'feeds', feeds: [polled, failing], ephemeral: true };

  it('shows each feed’s last poll, new articles and last error in the console, with human dates and plurals', () => {
    expect(renderReplyText(reply)).toBe(
      [
        'News feeds (2)',
        '  • Example *News* — https://news.example/feed.xml',
        '    last poll 3 Dec 2026, 14:30 UTC: 1 new article, 12 articles in all',
        '  • https://broken.example/rss',
        '    last poll 3 Dec 2026, 14:41 UTC: 0 new articles, 1 article in all',
        '    last error: HTTP 503 from broken.example @everyone',
      ].join('\n'),
    );
  });

  it('shows the same on Discord, escaped, with Discord’s relative timestamps and no pings', () => {
    const payload = renderReply(reply);
    expect(payload.allowedMentions).toEqual({ parse: [] });
    expect(payload.flags).toBeDefined();
    const embed = embedOf(reply);
    expect(embed.title).toBe('News feeds (2)');
    expect(embed.description).toBe(
      [
        '• [Example \\*News\\*](https://news.example/feed.xml) — https://news.example/feed.xml',
        '   Last poll <t:1796308200:R>: 1 new article · 12 articles in all',
        '',
        '• [https://broken.example/rss](https://broken.example/rss)',
        '   Last poll <t:1796308860:R>: 0 new articles · 1 article in all',
        '   Last error: HTTP 503 from broken.example @\u200beveryone',
      ].join('\n'),
    );
    expect(embedOf({ kind: 'feeds', feeds: [], ephemeral: true }).description).toBe(
      'No feeds are followed. Add one with `/feeds add url:<feed address>`.',
    );
  });
});
