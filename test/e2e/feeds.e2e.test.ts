/**
 * News feeds end to end: the real entrypoint against the fake Discord and a loopback feed server.
 * An admin follows a feed with /feeds add, its story is polled at once, announced in
 * FEED_ANNOUNCE_CHANNEL_ID, and /ask answers from it with its date and URL in the citation.
 */
import { rm } from 'node:fs/promises';
import { ApplicationCommandOptionType } from 'discord.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import { FakeDiscord, routes, type RecordedRequest } from '../support/fake-discord/index.ts';
import { BotProcess, fakeBotToken, makeSeedsDir, newUser, type SeedsDir } from '../support/harness.ts';
import { callbackBody, expectCannotPing, field, messageBody, onlyEmbed } from '../support/payloads.ts';
import { assertValidRequests } from '../support/spec.ts';
import { FeedServer, RSS, rss } from '../feeds/feed-server.ts';

const EPHEMERAL = 64;
const WAIT_MS = 5_000;
/** A poll, then a reindex of the folder, on a busy machine. */
const POLL_MS = 20_000;
const SETUP_MS = 40_000;

const STORY_TITLE = 'Storm strands ships at Port Lindqvist';
const STORY_PATH = '/stories/port-lindqvist-storm';

describe('news feeds over a fake Discord', () => {
  const token = fakeBotToken();
  const admin = newUser('Admin');
  const feedServer = new FeedServer();
  let fake: FakeDiscord;
  let seeds: SeedsDir;
  let bot: BotProcess;
  let announceChannel: string;
  let start = 0;

  beforeAll(async () => {
    await feedServer.start();
    feedServer.routes.set('/news.xml', {
      headers: RSS,
      body: rss('Harbour Gazette', [
        `<title>${STORY_TITLE}</title><link>${feedServer.url(STORY_PATH)}</link><guid>storm-1</guid>` +
          '<pubDate>Mon, 06 Nov 2023 09:00:00 GMT</pubDate>' +
          '<content:encoded><![CDATA[<p>The harbour authority said 4,312 containers were stranded at Port Lindqvist after the storm.</p>' +
          '<p>Cranes stayed idle for two days while crews checked the quay walls.</p>]]></content:encoded>',
      ]),
    });
    fake = new FakeDiscord({ token });
    await fake.start();
    announceChannel = fake.ids.channels.threadParent;
    seeds = await makeSeedsDir();
    bot = await BotProcess.start({
      fake,
      token,
      seedsDir: seeds.dir,
      env: {
        COOLDOWN_SECONDS: '0',
        ADMIN_USER_IDS: admin.id,
        DATA_DIR: `${seeds.dir}.data`,
        FEEDS_ALLOW_PRIVATE: 'true',
        FEED_ANNOUNCE_CHANNEL_ID: announceChannel,
        LOG_LEVEL: 'info',
      },
      readyTimeoutMs: 30_000,
    });
  }, SETUP_MS);

  afterAll(async () => {
    await bot.stop();
    await fake.close();
    await feedServer.close();
    await seeds.remove();
    await rm(`${seeds.dir}.data`, { recursive: true, force: true });
  });

  beforeEach((context: TestContext) => {
    start = fake.mark();
    context.onTestFailed(() => {
      console.error(`--- bot stderr (last lines) ---\n${bot.stderrTail(40)}`);
    });
  });
  afterEach(() => {
    const sent = fake.requests.filter((r) => r.seq > start);
    assertValidRequests(sent);
    expect(sent.filter((r) => r.response.status >= 400).map((r) => `${r.method} ${r.path} -> ${r.response.status}`)).toEqual([]);
  });

  const waitFor = (matcher: Parameters<FakeDiscord['waitForRequest']>[0], timeoutMs = WAIT_MS): Promise<RecordedRequest> =>
    fake.waitForRequest(matcher, { after: start, timeoutMs });

  function feeds(subcommand: string, url?: string) {
    const options = url === undefined ? [] : [{ type: ApplicationCommandOptionType.String as const, name: 'url', value: url }];
    return fake.slashCommand({
      name: 'feeds',
      user: admin,
      options: [{ type: ApplicationCommandOptionType.Subcommand, name: subcommand, options }],
    });
  }

  it('lists no feeds at first, privately, to an admin', async () => {
    const req = await waitFor(routes.callback(feeds('list')));
    const message = messageBody(req);
    expect(message.flags).toBe(EPHEMERAL);
    expect(onlyEmbed(message).description).toBe('No feeds are followed. Add one with `/feeds add url:<feed address>`.');
  });

  it('follows a feed with /feeds add, announces its new story, and /ask answers from it with its date and URL', async () => {
    const feedUrl = feedServer.url('/news.xml');
    const added = await waitFor(routes.callback(feeds('add', feedUrl)));
    expect(callbackBody(added).data).toMatchObject({
      content: `Following ${feedUrl}. Its first poll starts now; /feeds list shows how it went.`,
      flags: EPHEMERAL,
    });

    // The poll writes the story, indexes it, then announces it: one message, title linked, no pings.
    const announced = messageBody(await waitFor(routes.createMessage(announceChannel), POLL_MS));
    expect(announced.content).toBe(
      `📰 1 new story in the archive\n• [${STORY_TITLE}](${feedServer.url(STORY_PATH)}) — Harbour Gazette · 6 Nov 2023`,
    );
    expectCannotPing(announced);
    expect(bot.logs.find((l) => l.msg === 'feed polled')).toMatchObject({ feed: feedUrl, status: 200, new: 1 });

    const ask = fake.slashCommand({
      name: 'ask',
      options: { question: 'How many containers were stranded at Port Lindqvist?' },
      user: newUser('Asker'),
    });
    const answer = onlyEmbed(messageBody(await waitFor(routes.callback(ask))));
    expect(answer.description).toContain('4,312 containers');
    expect(field(answer, 'Sources').value).toBe(`[1] [${STORY_TITLE}](${feedServer.url(STORY_PATH)}) — Harbour Gazette · 6 Nov 2023`);

    const listed = onlyEmbed(messageBody(await waitFor(routes.callback(feeds('list')))));
    expect(listed.description).toMatch(
      new RegExp(
        `^• \\[Harbour Gazette\\]\\(${feedUrl.replaceAll('.', '\\.')}\\) — ${feedUrl.replaceAll('.', '\\.')}\n   Last poll <t:\\d+:R>: 1 new article · 1 article in all$`,
        'u',
      ),
    );
  });

  it('refuses /feeds to a member without Manage Server', async () => {
    const member = newUser('Member');
    const interaction = fake.slashCommand({
      name: 'feeds',
      user: member,
      options: [{ type: ApplicationCommandOptionType.Subcommand, name: 'list', options: [] }],
    });
    const message = messageBody(await waitFor(routes.callback(interaction)));
    expect(message.flags).toBe(EPHEMERAL);
    expect(message.content).toBe('⚠️ Only members with Manage Server, or the admins Factdesk is configured with, can use /feeds.');
  });
});
