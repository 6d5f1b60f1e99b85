/**
 * End-to-end tests: the real entrypoint (src/main.ts, compiled as `npm start` runs it, see
 * test/support/build.ts) as a child process, connected to a protocol-level fake of Discord on
 * 127.0.0.1. Each scenario asserts the exact requests the bot sent, and every request the bot sent
 * must match Discord's OpenAPI spec. One bot serves the questions, buttons, messages, cooldown and
 * connection scenarios; /reindex, SIGTERM and deploy-commands have files of their own
 * (reindex.e2e, health.e2e for SIGTERM, deploy-commands.e2e), so that vitest runs them beside this one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DiscordErrors, FakeDiscord, routes, snowflake } from '../support/fake-discord/index.ts';
import { GAZETTE, SEED, tideTables } from '../support/articles.ts';
import { BotProcess, childEnv, fakeBotToken, makeSeedsDir, newUser, LOG_LEVEL } from '../support/harness.ts';
import { buttonId, buttons, callbackBody, expectCannotPing, field, messageBody, onlyEmbed, withoutBold } from '../support/payloads.ts';
import {
  EPHEMERAL,
  expectOperationsCovered,
  firstBlock,
  NO_MENTIONS,
  READY_MS,
  SETUP_MS,
  SYRIA_PASSAGE,
  SYRIA_QUESTION,
  teardownAtEnd,
  trackScenarios,
  WAIT_MS,
} from '../support/scenarios.ts';
import { CONFIG_VARIABLES } from '../../src/config.ts';
import { articleKey } from '../../src/core/browse.ts';
import { AnswerPages } from '../../src/answer-pages.ts';
import { answerWithDates } from '../../src/core/date-preference.ts';
import { Archive } from '../../src/core/archive.ts';
import { loadArticles } from '../../src/core/corpus.ts';

const SEED_SOURCE = `[1] ${SEED.title} — 6 Nov 2023`;
const ANSWER_FOOTER = 'Quoted from the articles; [n] names the source.';
const NO_PINGS_REPLY = { parse: [], replied_user: false };

/** Operations seen across the file, to show which parts of the spec the bot exercised. */
const operationsSeen = new Set<string>();
// The spec checks covered every kind of request the bot makes. (It never sends execute_webhook:
// a follow-up is only used for an error after the reply went out, and nothing fails after that.)
// deploy-commands.e2e covers the command PUTs.
expectOperationsCovered(operationsSeen, [
  'create_interaction_response',
  'update_original_webhook_message',
  'create_message',
  'trigger_typing_indicator',
  'add_my_message_reaction',
]);
const atEnd = teardownAtEnd();
/** What the core answers in bold to SYRIA_QUESTION over the bot's seeds, worked out at setup. */
let syriaAnswer: string | null = null;

describe('Factdesk over a fake Discord', () => {
  const token = fakeBotToken();
  let fake: FakeDiscord;
  let bot: BotProcess | null = null;
  let askChannel: string;
  let otherChannel: string;

  const setup = async () => {
    const fake = new FakeDiscord({ token });
    await fake.start();
    atEnd(() => fake.close());
    const seeds = await makeSeedsDir({ [GAZETTE.path]: GAZETTE.text, ...tideTables() });
    atEnd(() => seeds.remove());
    // Whether the gate shows the Syrian question's answer in bold is the fitted model's call, near its
    // threshold and moving with each refit: the embed must show what the core answers over these seeds.
    const archive = await Archive.build((await loadArticles(seeds.dir)).articles);
    syriaAnswer = answerWithDates(archive, SYRIA_QUESTION, new Date()).answer;
    const env = { ASK_CHANNEL_IDS: fake.ids.channels.general, COOLDOWN_SECONDS: '30', LOG_LEVEL: 'info' };
    const bot = await BotProcess.start({ fake, token, seedsDir: seeds.dir, env, readyTimeoutMs: READY_MS });
    atEnd(() => bot.stop());
    return { fake, bot };
  };

  beforeAll(async () => {
    ({ fake, bot } = await setup());
    askChannel = fake.ids.channels.general;
    otherChannel = fake.ids.channels.threadParent;
  }, SETUP_MS);

  const scenario = trackScenarios(() => ({ fake, bot }), operationsSeen);

  const running = (): BotProcess => {
    if (!bot) throw new Error('the bot did not start');
    return bot;
  };

  /** Sends /ask as a new user and returns the interaction and the callback request. */
  async function ask(question: string, extra: Record<string, string | boolean> = {}) {
    const interaction = fake.slashCommand({ name: 'ask', options: { question, ...extra }, user: newUser('Asker') });
    const req = await scenario.waitFor(routes.callback(interaction));
    return { interaction, req };
  }

  it("passes every variable src/config.ts reads, so a developer's .env cannot change the scenario", () => {
    const env = childEnv({ SEEDS_DIR: 'x' });
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(5);
    expect(CONFIG_VARIABLES.filter((name) => env[name] === undefined)).toEqual([]);
    // Besides the seeds, only a data folder of the bot's own, beside them.
    expect(CONFIG_VARIABLES.filter((name) => env[name] !== '')).toEqual(['SEEDS_DIR', 'DATA_DIR']);
    expect(env.DATA_DIR).toBe('x.data');
    expect(childEnv({ SEEDS_DIR: 'x', DATA_DIR: 'elsewhere' }).DATA_DIR).toBe('elsewhere');
  });

  it('connected with the token, the intents it needs, and logged the index it built', () => {
    const b = running();
    expect(fake.identifyCount).toBe(1);
    const identify = fake.gatewayOps.find((op) => op.op === 2);
    expect(identify?.d).toMatchObject({ token, shard: [0, 1] });
    // Guilds | GuildMessages | DirectMessages | MessageContent
    expect(fake.intents).toBe(1 | 512 | 4096 | 32768);
    expect(b.logs.find((l) => l.msg === 'index built')).toMatchObject({ level: LOG_LEVEL.info, articles: 32 });
    expect(b.logs.find((l) => l.msg === 'connected to Discord')).toMatchObject({ userId: fake.users.bot.id, guilds: 1 });
    expect(b.stderr).not.toContain(token);
  });

  it('/ask: answers in an embed with a cited passage, Figures, Sources and buttons', async () => {
    const { interaction, req } = await ask(SYRIA_QUESTION);
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/interactions/${interaction.id}/${interaction.token}/callback`);
    const callback = callbackBody(req);
    expect(callback.type).toBe(4);
    const data = messageBody(req);
    expect(data.flags).toBeUndefined();
    expect(data.content).toBeUndefined();
    expect(data.allowed_mentions).toEqual(NO_MENTIONS);

    const embed = onlyEmbed(data);
    expect(embed.title).toBe(SYRIA_QUESTION);
    expect(embed.color).toBe(0x3b82f6);
    expect(embed.footer).toEqual({ text: ANSWER_FOOTER });
    // The bold direct answer when the core gives one, then the passages.
    const blocks = (embed.description ?? '').split('\n\n');
    if (syriaAnswer !== null) expect(blocks.shift()).toBe(`**${syriaAnswer}** [1]`);
    const [first, ...more] = blocks;
    expect(first).toMatch(/^> .*\*\*[^*]+\*\*.* \[1\]$/u);
    expect(withoutBold(first ?? '')).toBe(SYRIA_PASSAGE);
    expect(more).toHaveLength(2);
    for (const passage of more) expect(passage).toMatch(/^> .+ \[1\]$/u);

    expect(embed.fields?.map((f) => f.name)).toEqual(['Figures', 'Sources']);
    const figures = field(embed, 'Figures').value.split('\n');
    expect(figures[0]).toBe('• **half a million people** [1]');
    expect(figures.length).toBeLessThanOrEqual(5);
    for (const line of figures) expect(line).toMatch(/^• \*\*[^*]+\*\* \[1\]$/u);
    expect(field(embed, 'Sources').value).toBe(SEED_SOURCE);

    expect(data.components).toEqual([
      {
        type: 1,
        components: [
          // The question under its answer-pages key, and the offset of the next page; the article under its key.
          {
            type: 2,
            style: 2,
            label: 'More passages',
            custom_id: `more:${new AnswerPages().remember(SYRIA_QUESTION)}:3`,
            disabled: false,
          },
          { type: 2, style: 2, label: 'Full article', custom_id: `full:${articleKey(SEED.id)}`, disabled: false },
        ],
      },
    ]);
    expect(fake.interactionState(interaction.id)?.acknowledged).toBe(4);
  });

  it('/ask: a direct answer the gate is sure of leads the embed in bold, with its citation', async () => {
    const { req } = await ask('When was Assad at the Arab League summit?');
    const [direct, first] = (onlyEmbed(messageBody(req)).description ?? '').split('\n\n');
    expect(direct).toBe('**in May** [1]');
    expect(withoutBold(first ?? '')).toMatch(/^> .*participated in the Arab League summit in May.* \[1\] \*\(May: May 2023\)\*$/u);
  });

  it('/ask: a Markdown article is cited with a link, its title escaped', async () => {
    const { req } = await ask('How much did repairing the Port Ellery harbour wall cost?');
    expect(callbackBody(req).type).toBe(4);
    const embed = onlyEmbed(messageBody(req));
    // The cost leads in bold (the direct figure gate is sure of it), then the passage it is quoted from.
    const [answer, passage] = (embed.description ?? '').split('\n\n');
    expect(answer).toBe('**£2.4m** [1]');
    expect(withoutBold(passage ?? '')).toBe(
      '> The harbour wall at Port Ellery has been repaired at a cost of £2.4m, the town council said on Tuesday. [1] *(on Tuesday: 13 Feb 2024)*',
    );
    expect(field(embed, 'Sources').value).toBe(
      '[1] [Port Ellery harbour wall \\*repaired\\* after \\[winter\\] storms](https://news.example.com/port-ellery/harbour-wall) — Ellery Gazette · 14 Feb 2024',
    );
  });

  it('/ask: with no answer in the articles, says so and lists the closest articles', async () => {
    const question = 'How many Syrians live in Germany?';
    const { req } = await ask(question);
    expect(callbackBody(req).type).toBe(4);
    const data = messageBody(req);
    expect(data.flags).toBeUndefined();
    expect(data.allowed_mentions).toEqual(NO_MENTIONS);
    expect(data.components).toEqual([]);
    const embed = onlyEmbed(data);
    expect(embed.title).toBe(question);
    expect(embed.color).toBe(0x9ca3af);
    const [said, reason, ...rest] = (embed.description ?? '').split('\n\n');
    expect(said).toBe('The articles don’t answer this question.');
    expect(reason).toMatch(/Germany/u);
    expect(rest).toEqual([]);
    expect(embed.fields).toEqual([{ name: 'Closest articles', value: `• ${SEED.title} — 6 Nov 2023` }]);
  });

  it('/ask private:true: the answer is ephemeral (flags 64)', async () => {
    const { req } = await ask(SYRIA_QUESTION, { private: true });
    expect(callbackBody(req).type).toBe(4);
    const data = messageBody(req);
    expect(data.flags).toBe(EPHEMERAL);
    expect(onlyEmbed(data).title).toBe(SYRIA_QUESTION);
    expect(buttons(data).map(([label]) => label)).toEqual(['More passages', 'Full article']);
  });

  it('an /ask that arrives 2.5 s old is deferred at once and the answer edited in, before Discord drops it at 3 s', async () => {
    const interaction = fake.slashCommand({ name: 'ask', options: { question: SYRIA_QUESTION }, user: newUser('Late'), ageMs: 2_500 });
    const callback = await scenario.waitFor(routes.callback(interaction));
    expect(callbackBody(callback).type).toBe(5);
    expect(callback.response.status).toBe(204);
    const edit = await scenario.waitFor(routes.editOriginal(interaction));
    expect(edit.response.status).toBe(200);
    expect(onlyEmbed(messageBody(edit)).title).toBe(SYRIA_QUESTION);
    expect(firstBlock(onlyEmbed(messageBody(edit)).description)).toBe(SYRIA_PASSAGE);
  });

  it('a late /ask private:true is deferred ephemerally, so the answer stays private', async () => {
    const interaction = fake.slashCommand({
      name: 'ask',
      options: { question: SYRIA_QUESTION, private: true },
      user: newUser('LatePrivate'),
      ageMs: 2_500,
    });
    const callback = await scenario.waitFor(routes.callback(interaction));
    expect(callbackBody(callback)).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    const edit = await scenario.waitFor(routes.editOriginal(interaction));
    expect(onlyEmbed(messageBody(edit)).title).toBe(SYRIA_QUESTION);
    expect(fake.messages.get(fake.interactionState(interaction.id)?.originalMessageId ?? '')?.flags).toBe(EPHEMERAL);
  });

  it('"Ask Factdesk" on a message: answers its text, to the asker only', async () => {
    const interaction = fake.messageCommand({ name: 'Ask Factdesk', targetContent: SYRIA_QUESTION, user: newUser('Menu') });
    const req = await scenario.waitFor(routes.callback(interaction));
    expect(callbackBody(req).type).toBe(4);
    const data = messageBody(req);
    expect(data.flags).toBe(EPHEMERAL);
    const embed = onlyEmbed(data);
    expect(embed.title).toBe(SYRIA_QUESTION);
    expect(firstBlock(embed.description)).toBe(SYRIA_PASSAGE);
  });

  it('buttons: "More passages" sends the next passages and "Full article" the article, both to the presser only', async () => {
    const { interaction, req } = await ask(SYRIA_QUESTION);
    const answer = messageBody(req);
    const firstPage = (onlyEmbed(answer).description ?? '').split('\n\n').slice(1);
    const messageId = fake.interactionState(interaction.id)?.originalMessageId;
    const message = messageId === null || messageId === undefined ? undefined : fake.messages.get(messageId);
    if (!message) throw new Error('the fake did not store the answer message');

    const presser = newUser('Presser');
    const more = fake.buttonPress({ customId: buttonId(answer, 'More passages'), message, user: presser });
    const moreReq = await scenario.waitFor(routes.callback(more));
    expect(callbackBody(moreReq).type).toBe(4);
    const moreData = messageBody(moreReq);
    expect(moreData.flags).toBe(EPHEMERAL);
    expect(moreData.allowed_mentions).toEqual(NO_MENTIONS);
    const moreEmbed = onlyEmbed(moreData);
    expect(moreEmbed.title).toBe(SYRIA_QUESTION);
    const nextPage = (moreEmbed.description ?? '').split('\n\n').filter((block) => block.startsWith('> '));
    expect(nextPage.length).toBeGreaterThan(0);
    for (const passage of nextPage) {
      // A passage may end with what its relative dates mean: "[1] *(May: May 2023)*".
      expect(passage).toMatch(/^> .+ \[1\](?: \*\(.+\)\*)?$/u);
      expect(firstPage).not.toContain(passage);
    }

    const full = fake.buttonPress({ customId: buttonId(answer, 'Full article'), message, user: presser });
    const fullReq = await scenario.waitFor(routes.callback(full));
    expect(callbackBody(fullReq).type).toBe(4);
    const fullData = messageBody(fullReq);
    expect(fullData.flags).toBe(EPHEMERAL);
    expect(fullData.components).toEqual([]);
    const article = onlyEmbed(fullData);
    expect(article.title).toBe(SEED.title);
    expect(article.footer).toEqual({ text: `Page 1 of 1 · id: ${SEED.id}` });
    const blocks = (article.description ?? '').split('\n\n');
    expect(blocks[0]).toBe(SEED.date);
    expect(blocks[1]).toMatch(/^\*\*¶1\*\* Syrian President Bashar Assad has accused Turkey/u);
    expect(blocks.at(-1)).toMatch(/^\*\*¶7\*\* The Syrian war has caused immense human suffering/u);
  });

  it('/search and /figures answer publicly with embeds', async () => {
    const search = fake.slashCommand({ name: 'search', options: { query: 'Assad Turkey' }, user: newUser('Searcher') });
    const searchReq = await scenario.waitFor(routes.callback(search));
    expect(callbackBody(searchReq).type).toBe(4);
    const searchData = messageBody(searchReq);
    expect(searchData.flags).toBeUndefined();
    expect(searchData.allowed_mentions).toEqual(NO_MENTIONS);
    const hits = onlyEmbed(searchData);
    expect(hits.title).toBe('Articles matching “Assad Turkey”');
    expect(hits.footer).toEqual({ text: 'Read one with /article id:<id>' });
    const [hit, ...otherHits] = (hits.description ?? '').split('\n\n');
    expect(otherHits).toEqual([]);
    const [head, snippet, id] = (hit ?? '').split('\n');
    expect(head).toBe(`**1.** ${SEED.title} — 6 Nov 2023`);
    expect(snippet).toMatch(/Assad|Turkey/u);
    expect(id).toBe(`id: \`${SEED.id}\``);

    const figures = fake.slashCommand({ name: 'figures', options: { topic: 'Syrian war' }, user: newUser('Counter') });
    const figuresReq = await scenario.waitFor(routes.callback(figures));
    expect(callbackBody(figuresReq).type).toBe(4);
    const figuresData = messageBody(figuresReq);
    expect(figuresData.flags).toBeUndefined();
    const list = onlyEmbed(figuresData);
    expect(list.title).toBe('Figures about “Syrian war”');
    const lines = (list.description ?? '').split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^• .*\*\*[^*]+\*\*.* \[1\]$/u);
    expect(lines.some((line) => line.includes('**half a million people**'))).toBe(true);
    expect(list.fields).toEqual([{ name: 'Sources', value: SEED_SOURCE }]);
  });

  it('/article: autocomplete offers at most 25 choices of at most 100 characters, and the article is sent', async () => {
    const many = fake.autocomplete({ name: 'article', focused: { name: 'id', value: 'tide table' }, user: newUser('Reader') });
    const manyReq = await scenario.waitFor(routes.callback(many));
    const manyBody = callbackBody(manyReq);
    expect(manyBody.type).toBe(8);
    const choices = manyBody.data?.choices ?? [];
    expect(choices).toHaveLength(25);
    for (const choice of choices) {
      expect(choice.name.length).toBeGreaterThan(0);
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value).toMatch(/^tides\/week-\d\d$/u);
      // Headline articles have no date; their 112-character titles are cut at a word, with an ellipsis.
      expect(choice.name).toMatch(/^Tide table for Wexcombe pier, week \d\d: [^()]+…$/u);
    }
    expect(new Set(choices.map((c) => c.value)).size).toBe(25);

    const one = fake.autocomplete({ name: 'article', focused: { name: 'id', value: 'Syrian Pres' }, user: newUser('Reader') });
    const oneReq = await scenario.waitFor(routes.callback(one));
    const oneBody = callbackBody(oneReq);
    expect(oneBody.type).toBe(8);
    // The title is cut further so that the date fits in 100 characters.
    expect(oneBody.data?.choices?.[0]).toEqual({
      name: `Syrian President Bashar Assad has accused Turkey of being responsible for the recent… (${SEED.date})`,
      value: SEED.id,
    });

    const picked = oneBody.data?.choices?.[0]?.value ?? '';
    const read = fake.slashCommand({ name: 'article', options: { id: picked }, user: newUser('Reader') });
    const readReq = await scenario.waitFor(routes.callback(read));
    expect(callbackBody(readReq).type).toBe(4);
    const readData = messageBody(readReq);
    expect(readData.flags).toBeUndefined();
    expect(readData.allowed_mentions).toEqual(NO_MENTIONS);
    const article = onlyEmbed(readData);
    expect(article.title).toBe(SEED.title);
    expect(article.footer).toEqual({ text: `Page 1 of 1 · id: ${SEED.id}` });
    expect(article.description?.split('\n\n')).toHaveLength(8);

    const gazette = fake.slashCommand({ name: 'article', options: { id: GAZETTE.id, private: true }, user: newUser('Reader') });
    const gazetteData = messageBody(await scenario.waitFor(routes.callback(gazette)));
    expect(gazetteData.flags).toBe(EPHEMERAL);
    const gazetteEmbed = onlyEmbed(gazetteData);
    expect(gazetteEmbed.title).toBe('Port Ellery harbour wall \\*repaired\\* after \\[winter\\] storms');
    expect(gazetteEmbed.url).toBe(GAZETTE.url);
    expect(gazetteEmbed.description?.split('\n\n')[0]).toBe('2024-02-14 · Mara Quinn · Ellery Gazette');
  });

  it('/help: ephemeral, names the ask channel and the cooldown', async () => {
    const help = fake.slashCommand({ name: 'help', user: newUser('Helpless') });
    const data = messageBody(await scenario.waitFor(routes.callback(help)));
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.allowed_mentions).toEqual(NO_MENTIONS);
    const embed = onlyEmbed(data);
    expect(embed.title).toBe('Factdesk');
    expect(embed.fields?.map((f) => f.name)).toEqual(['Commands', 'When it answers', 'Index']);
    expect(field(embed, 'When it answers').value).toContain(
      `• In <#${askChannel}>: any message that ends with "?" or starts with a question word.`,
    );
    expect(field(embed, 'When it answers').value).toContain('• One question per 30 s per person.');
    expect(field(embed, 'Index').value.split('\n')[0]).toMatch(/^\*\*32\*\* articles · \*\*\d+\*\* passages · \*\*\d+\*\* figures$/u);
  });

  it('a message that mentions the bot gets a typing indicator and a reply that pings nobody', async () => {
    const question = 'what death toll has the Syrian war reached?';
    const sent = fake.userMessage({ content: question, mentionBot: true, channelId: otherChannel, author: newUser('Mentioner') });
    const typing = await scenario.waitFor(routes.typing(otherChannel));
    const reply = await scenario.waitFor(routes.createMessage(otherChannel));
    expect(typing.seq).toBeLessThan(reply.seq);
    const body = messageBody(reply);
    expect(body.message_reference).toEqual({ message_id: sent.id, fail_if_not_exists: true });
    expect(body.allowed_mentions).toEqual(NO_PINGS_REPLY);
    expect(body.flags).toBeUndefined();
    const embed = onlyEmbed(body);
    expect(embed.title).toBe(question);
    expect(firstBlock(embed.description)).toBe(SYRIA_PASSAGE);
    expect(buttons(body).map(([label]) => label)).toEqual(['More passages', 'Full article']);
    // The fake echoes the reply back as MESSAGE_CREATE, as Discord does: the bot must not answer itself.
    await fake.expectNoRequest(() => true, { after: reply.seq, waitMs: 300 });
  });

  it('a question in the ask channel is answered without a mention', async () => {
    const question = 'What did Assad say about Turkey?';
    const sent = fake.userMessage({ content: question, channelId: askChannel, author: newUser('Channeler') });
    const reply = await scenario.waitFor(routes.createMessage(askChannel));
    const body = messageBody(reply);
    expect(body.message_reference).toEqual({ message_id: sent.id, fail_if_not_exists: true });
    expect(body.allowed_mentions).toEqual(NO_PINGS_REPLY);
    const embed = onlyEmbed(body);
    expect(embed.title).toBe(question);
    expect(field(embed, 'Sources').value).toBe(SEED_SOURCE);
    expect(fake.requestsMatching(routes.typing(askChannel), scenario.start())).toHaveLength(1);
  });

  it('gets no request at all for: a question elsewhere without a mention, a non-question in the ask channel, a bot, a webhook', async () => {
    fake.userMessage({ content: 'What did Assad say about Turkey?', channelId: otherChannel, author: newUser('Elsewhere') });
    fake.userMessage({ content: 'thanks, that settles it', channelId: askChannel, author: newUser('Chatter') });
    fake.userMessage({ content: 'What did Assad say about Turkey?', channelId: askChannel, author: 'otherBot', mentionBot: true });
    fake.userMessage({ content: 'What did Assad say about Turkey?', channelId: askChannel, webhookId: snowflake(), mentionBot: true });
    await fake.expectNoRequest(() => true, { after: scenario.start(), waitMs: 400 });
  });

  it('a question full of mentions and Markdown is answered, and nothing in the reply can ping anyone', async () => {
    const role = fake.ids.roles.moderator;
    const question = `@everyone <@123456789012345678> **What death toll** has the _Syrian war_ reached? @here <@&${role}> ||spoiler|| > quoted`;
    const { req } = await ask(question);
    const data = messageBody(req);
    expectCannotPing(data);
    const embed = onlyEmbed(data);
    expect(embed.title).toBe(
      '@\u200beveryone \\*\\*What death toll\\*\\* has the \\_Syrian war\\_ reached? @\u200bhere \\|\\|spoiler\\|\\| > quoted',
    );
    expect(firstBlock(embed.description)).toBe(SYRIA_PASSAGE);

    const sent = fake.userMessage({ content: question, mentionBot: true, channelId: otherChannel, author: newUser('Pinger') });
    const reply = await scenario.waitFor(routes.createMessage(otherChannel));
    const body = messageBody(reply);
    expect(body.message_reference).toEqual({ message_id: sent.id, fail_if_not_exists: true });
    expect(body.allowed_mentions).toEqual(NO_PINGS_REPLY);
    expectCannotPing(body);
    expect(onlyEmbed(body).title).toBe(embed.title);
  });

  it('cooldown: a second /ask too soon gets an ephemeral error; a second channel question gets a ⏳ reaction', async () => {
    const user = newUser('Hasty');
    const first = fake.slashCommand({ name: 'ask', options: { question: SYRIA_QUESTION }, user });
    expect(callbackBody(await scenario.waitFor(routes.callback(first))).type).toBe(4);
    const second = fake.slashCommand({ name: 'ask', options: { question: 'Who backs Assad?' }, user });
    const refused = await scenario.waitFor(routes.callback(second));
    expect(callbackBody(refused)).toEqual({
      type: 4,
      data: {
        tts: false,
        enforce_nonce: false,
        content: "⚠️ You're asking quickly: try again in 30 s.",
        embeds: [],
        components: [],
        allowed_mentions: NO_MENTIONS,
        flags: EPHEMERAL,
      },
    });

    const asker = newUser('Eager');
    fake.userMessage({ content: SYRIA_QUESTION, mentionBot: true, channelId: otherChannel, author: asker });
    const answered = await scenario.waitFor(routes.createMessage(otherChannel));
    const again = fake.userMessage({ content: 'Who backs Assad?', mentionBot: true, channelId: otherChannel, author: asker });
    const reaction = await fake.waitForRequest(routes.react(otherChannel, again.id), { after: answered.seq, timeoutMs: WAIT_MS });
    expect(reaction.method).toBe('PUT');
    expect(reaction.path).toBe(`/channels/${otherChannel}/messages/${again.id}/reactions/⏳/@me`);
    expect(reaction.body).toBeUndefined();
    await fake.expectNoRequest(routes.createMessage(otherChannel), { after: answered.seq, waitMs: 300 });
  });

  it('an over-long question gets a clear error: ephemeral for /ask, a short reply in a channel', async () => {
    const long = `What death toll has the Syrian war reached ${'and why '.repeat(60)}?`;
    expect(long.length).toBeGreaterThan(500);
    const { req } = await ask(long);
    expect(callbackBody(req)).toEqual({
      type: 4,
      data: {
        tts: false,
        enforce_nonce: false,
        content: `⚠️ The question is ${long.length} characters long; the limit is 500. Shorten it and try again.`,
        embeds: [],
        components: [],
        allowed_mentions: NO_MENTIONS,
        flags: EPHEMERAL,
      },
    });

    const sent = fake.userMessage({ content: long, mentionBot: true, channelId: otherChannel, author: newUser('Verbose') });
    const reply = await scenario.waitFor(routes.createMessage(otherChannel));
    const body = messageBody(reply);
    expect(body.message_reference).toEqual({ message_id: sent.id, fail_if_not_exists: true });
    expect(body.allowed_mentions).toEqual(NO_PINGS_REPLY);
    expect(body.embeds).toEqual([]);
    expect(body.content).toBe(`That’s ${long.length} characters; a question can be at most 500. Shorten it and ask again.`);
  });

  it('an expired interaction (10062) is logged, and the next command is answered', async () => {
    const b = running();
    const logsBefore = b.logs.length;
    fake.override({ method: 'POST', path: '/interactions/:id/:token/callback' }, DiscordErrors.unknownInteraction, { times: 1 });
    const expired = fake.slashCommand({ name: 'search', options: { query: 'Assad' }, user: newUser('Late') });
    const refused = await scenario.waitFor(routes.callback(expired));
    scenario.allowErrors(refused.seq);
    expect(refused.response.status).toBe(404);
    const logged = await b.waitForLog(
      (l) => l.msg === 'could not answer an interaction: interaction expired or already answered',
      5_000,
      logsBefore,
    );
    expect(logged).toMatchObject({ level: LOG_LEVEL.warn, code: 10062, interactionId: expired.id, command: 'search' });
    // Nothing more is tried for it: a reply to an expired interaction would fail too.
    await fake.expectNoRequest(routes.anyFor(expired), { after: refused.seq, waitMs: 300 });
    // No interaction token in the logs.
    expect(b.stderr).not.toContain(expired.token);

    const next = fake.slashCommand({ name: 'search', options: { query: 'Assad' }, user: newUser('OnTime') });
    const answered = await scenario.waitFor(routes.callback(next));
    expect(callbackBody(answered).type).toBe(4);
    expect(answered.response.status).toBe(204);
    expect(b.exit).toBeNull();
  });

  it('survives the gateway closing: it resumes, gets what it missed, and still answers', async () => {
    const b = running();
    const logsBefore = b.logs.length;
    const resumesBefore = fake.resumes.length;
    fake.closeGateway(4000);
    // Sent while the socket is down: the fake replays it on RESUME.
    const missed = fake.slashCommand({ name: 'ask', options: { question: SYRIA_QUESTION }, user: newUser('Patient') });
    const resume = await fake.waitForResume(5_000, resumesBefore);
    expect(resume.replayed).toBeGreaterThanOrEqual(1);
    expect(fake.identifyCount).toBe(1);
    const answered = await scenario.waitFor(routes.callback(missed));
    expect(callbackBody(answered).type).toBe(4);
    expect(onlyEmbed(messageBody(answered)).title).toBe(SYRIA_QUESTION);
    await b.waitForLog((l) => l.msg === 'gateway resumed', 5_000, logsBefore);

    const after = fake.slashCommand({ name: 'ask', options: { question: SYRIA_QUESTION }, user: newUser('Later') });
    expect(callbackBody(await scenario.waitFor(routes.callback(after))).type).toBe(4);
  });
});
