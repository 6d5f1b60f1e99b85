/**
 * /reindex end to end: admins only, over a seeds folder that changes while the bot runs, answering
 * from the old index meanwhile (the bot and the fake Discord as in bot.e2e.test.ts). The bot runs
 * from held-reindex-bot.ts, the real app whose reindex a test can hold while it runs.
 */
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, routes, type RecordedRequest, type SlashCommandOptions } from '../support/fake-discord/index.ts';
import { LATE, syntheticArticles } from '../support/articles.ts';
import { BotProcess, fakeBotToken, HELD_REINDEX_BOT, makeSeedsDir, newUser, LOG_LEVEL, type SeedsDir } from '../support/harness.ts';
import { callbackBody, field, messageBody, onlyEmbed, outcomeEdit } from '../support/payloads.ts';
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
} from '../support/scenarios.ts';

const operationsSeen = new Set<string>();
expectOperationsCovered(operationsSeen, ['create_interaction_response', 'update_original_webhook_message']);
const atEnd = teardownAtEnd();

describe('/reindex over a fake Discord', () => {
  const token = fakeBotToken();
  const adminUser = newUser('Listed');
  let fake: FakeDiscord;
  let seeds: SeedsDir;
  let bot: BotProcess | null = null;

  const setup = async () => {
    const fake = new FakeDiscord({ token });
    await fake.start();
    atEnd(() => fake.close());
    const seeds = await makeSeedsDir();
    atEnd(() => seeds.remove());
    // Moderators lack Manage Server; the role makes them admins of Factdesk.
    // At debug level discord.js prints the token's first two parts: the logger must scrub them.
    const env = { ADMIN_ROLE_IDS: fake.ids.roles.moderator, ADMIN_USER_IDS: adminUser.id, COOLDOWN_SECONDS: '30', LOG_LEVEL: 'debug' };
    const bot = await BotProcess.start({ fake, token, seedsDir: seeds.dir, env, readyTimeoutMs: READY_MS, entry: HELD_REINDEX_BOT });
    atEnd(() => bot.stop());
    return { fake, seeds, bot };
  };

  beforeAll(async () => {
    ({ fake, seeds, bot } = await setup());
  }, SETUP_MS);

  afterAll(async () => {
    expect(await bot?.stop()).toEqual({ code: 0, signal: null });
    expect(bot?.logs.filter((l) => l.level >= LOG_LEVEL.error)).toEqual([]);
    expect(bot?.stderr).toContain('"detail":"Provided token: [redacted]');
    for (const part of token.split('.')) expect(bot?.stderr).not.toContain(part);
  });

  const scenario = trackScenarios(() => ({ fake, bot }), operationsSeen);

  /** Runs /reindex and returns the interaction, its defer and the edit with its outcome (progress edits come before it). */
  async function reindex(options: Omit<SlashCommandOptions, 'name'>) {
    const interaction = fake.slashCommand({ name: 'reindex', ...options });
    const defer = await scenario.waitFor(routes.callback(interaction));
    const edit = await scenario.waitFor(outcomeEdit(interaction), 10_000);
    return { interaction, defer, edit };
  }

  async function ask(question: string): Promise<RecordedRequest> {
    const interaction = fake.slashCommand({ name: 'ask', options: { question }, user: newUser('Curious') });
    return scenario.waitFor(routes.callback(interaction));
  }

  it('refuses a member who is not an admin, privately, and rebuilds nothing', async () => {
    await seeds.write(LATE.glacier.path, LATE.glacier.text);
    const { interaction, defer, edit } = await reindex({ user: newUser('Member') });
    expect(callbackBody(defer)).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(edit.method).toBe('PATCH');
    expect(edit.path).toBe(`/webhooks/${fake.applicationId}/${interaction.token}/messages/@original`);
    expect(messageBody(edit)).toEqual({
      tts: false,
      enforce_nonce: false,
      content: '⚠️ Only members with Manage Server, or the admins Factdesk is configured with, can use /reindex.',
      embeds: [],
      components: [],
      allowed_mentions: NO_MENTIONS,
    });
    const answer = onlyEmbed(messageBody(await ask(LATE.glacier.question)));
    expect(answer.description?.split('\n\n')[0]).toBe('The articles don’t answer this question.');
  });

  it('rebuilds for an admin role: defers privately, then edits in the summary, and the new articles answer', async () => {
    // The glacier is there already after the scenario above; written again, it is still new to the index.
    await seeds.write(LATE.glacier.path, LATE.glacier.text);
    await seeds.write(LATE.observatory.path, LATE.observatory.text);
    const { defer, edit } = await reindex({ as: 'moderator' });
    expect(callbackBody(defer)).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const summary = messageBody(edit);
    expect(summary.allowed_mentions).toEqual(NO_MENTIONS);
    expect(summary.flags).toBeUndefined();
    const embed = onlyEmbed(summary);
    expect(embed.title).toBe('Reindex finished');
    expect(embed.color).toBe(0x16a34a);
    expect(embed.description).toMatch(
      /^\*\*3\*\* articles · \*\*\d+\*\* passages · \*\*\d+\*\* figures now in the index\.\nAdded 2 · changed 0 · removed 0\.\nTook \d+(\.\d)? m?s\.$/u,
    );
    expect(embed.fields).toEqual([{ name: 'Added (2)', value: `• \`${LATE.glacier.id}\`\n• \`${LATE.observatory.id}\`` }]);

    const found = onlyEmbed(messageBody(await ask(LATE.observatory.question)));
    expect(found.description).toContain(LATE.observatory.answerWords.split(' ')[1]);
    expect(field(found, 'Sources').value).toBe('[1] Kestrel Ridge observatory discovers a comet — 11 Oct 2024');
  });

  it('a second /reindex while one runs is told so; questions are answered from the old index meanwhile', async () => {
    const bulk = Object.entries(syntheticArticles(400));
    for (const [relative, text] of bulk) await seeds.write(relative, text);
    const inFolder = (await readdir(seeds.dir, { recursive: true })).filter((f) => /\.(?:txt|md)$/u.test(f)).length;
    if (bot === null) throw new Error('the bot did not start');
    // The first rebuild waits at its first request to the reindex worker until the checks below are
    // done: left to run, it sometimes finished (400 articles, under a second) before the second
    // /reindex reached the bot on a busy machine, which was then told the reindex had finished.
    await bot.holdReindex();
    const first = fake.slashCommand({ name: 'reindex', as: 'admin' });
    expect(callbackBody(await scenario.waitFor(routes.callback(first)))).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    await bot.reindexHeld();

    const { edit: busy } = await reindex({ user: adminUser });
    expect(messageBody(busy)).toEqual({
      tts: false,
      enforce_nonce: false,
      content: '⚠️ A reindex is already running. Questions are still answered from the current index meanwhile.',
      embeds: [],
      components: [],
      allowed_mentions: NO_MENTIONS,
    });
    const meanwhile = await ask(SYRIA_QUESTION);
    expect(firstBlock(onlyEmbed(messageBody(meanwhile)).description)).toBe(SYRIA_PASSAGE);

    await bot.releaseReindex();
    const done = await scenario.waitFor(outcomeEdit(first), 15_000);
    // The refusal and the answer came while the first rebuild was still running.
    expect(busy.seq).toBeLessThan(done.seq);
    expect(meanwhile.seq).toBeLessThan(done.seq);
    const embed = onlyEmbed(messageBody(done));
    expect(embed.title).toBe('Reindex finished');
    expect(embed.description).toMatch(
      new RegExp(`^\\*\\*${inFolder}\\*\\* articles · .*\\nAdded ${bulk.length} · changed 0 · removed 0\\.\\n`, 'u'),
    );
    expect(field(embed, 'Added (400)').value.split('\n').at(-1)).toMatch(/^…and \d+ more$/u);
  });
});
