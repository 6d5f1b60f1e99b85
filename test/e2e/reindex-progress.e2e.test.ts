/**
 * /reindex progress on Discord: the real bot over the fake Discord defers, edits its deferred reply
 * with how far the reindex has got (at most once per 1.5 s), and then with the outcome, last.
 */
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, routes } from '../support/fake-discord/index.ts';
import { syntheticArticles } from '../support/articles.ts';
import { BotProcess, fakeBotToken, LOG_LEVEL, makeSeedsDir, newUser, type SeedsDir } from '../support/harness.ts';
import { callbackBody, isProgressEdit, messageBody, onlyEmbed, outcomeEdit, PROGRESS_TITLE } from '../support/payloads.ts';
import { assertValidRequests } from '../support/spec.ts';
import { PROGRESS_EDIT_MS } from '../../src/bot/progress-edits.ts';

const SETUP_MS = 40_000;
const ARTICLES = 40;

describe('/reindex shows its progress in the deferred reply', () => {
  const token = fakeBotToken();
  const admin = newUser('Admin');
  let fake: FakeDiscord;
  let seeds: SeedsDir;
  let bot: BotProcess;

  beforeAll(async () => {
    fake = new FakeDiscord({ token });
    await fake.start();
    seeds = await makeSeedsDir(syntheticArticles(ARTICLES));
    // Its own data folder: no snapshot from another run.
    bot = await BotProcess.start({
      fake,
      token,
      seedsDir: seeds.dir,
      env: { ADMIN_USER_IDS: admin.id, DATA_DIR: `${seeds.dir}.data` },
      readyTimeoutMs: 30_000,
    });
  }, SETUP_MS);

  afterAll(async () => {
    expect(await bot.stop()).toEqual({ code: 0, signal: null });
    expect(bot.logs.filter((l) => l.level >= LOG_LEVEL.warn)).toEqual([]);
    await fake.close();
    await seeds.remove();
  });

  it('edits the deferral with files read and articles indexed, throttled, then with the outcome', async () => {
    const interaction = fake.slashCommand({ name: 'reindex', options: { full: true }, user: admin });
    const defer = await fake.waitForRequest(routes.callback(interaction), 5_000);
    expect(callbackBody(defer)).toEqual({ type: 5, data: { flags: 64 } });
    const outcome = await fake.waitForRequest(outcomeEdit(interaction), 30_000);
    const edits = fake.requestsMatching(routes.editOriginal(interaction));
    // The outcome is the last edit: no progress edit lands after it and hides it.
    expect(edits.at(-1)).toBe(outcome);
    const progress = edits.slice(0, -1);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.every(isProgressEdit)).toBe(true);
    for (const edit of progress) {
      const body = messageBody(edit);
      expect(body.allowed_mentions).toEqual({ parse: [] });
      const embed = onlyEmbed(body);
      expect(embed.title).toBe(PROGRESS_TITLE);
      const [line, meanwhile, ...rest] = (embed.description ?? '').split('\n');
      expect(line).toMatch(
        /^(?:Reading articles: [\d,]+ of 41 files|Indexing: [\d,]+ of 41 articles · [\d,]+ passages · [\d,]+ figures) · (?:\d+ ms|\d+(?:\.\d)? s|\d+ min(?: \d+ s)?)$/u,
      );
      expect(meanwhile).toBe('Questions are still answered from the current index meanwhile.');
      expect(rest).toEqual([]);
    }
    // The first report is shown at once: files being read.
    expect(onlyEmbed(messageBody(progress[0] ?? outcome)).description).toMatch(/^Reading articles: \d+ of 41 files · /u);
    // One edit at a time, the next at least 1.5 s after the previous one was answered.
    for (let i = 1; i < progress.length; i++) {
      expect((progress[i]?.at ?? 0) - (progress[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(PROGRESS_EDIT_MS);
    }

    const summary = onlyEmbed(messageBody(outcome));
    expect(summary.title).toBe('Reindex finished');
    expect(summary.description).toMatch(/^\*\*41\*\* articles · /u);
    assertValidRequests(fake.requestsMatching(routes.anyFor(interaction)));
  });

  it('puts a reindex that fails after showing progress in place of the progress, not in a follow-up below it', async () => {
    // Files are read (progress is shown), but none is an article: the reindex fails after its progress.
    for (const entry of await readdir(seeds.dir)) await rm(path.join(seeds.dir, entry), { recursive: true, force: true });
    for (const name of ['a.txt', 'b.txt', 'c.txt']) await writeFile(path.join(seeds.dir, name), Buffer.from([0, 1, 2, 0, 255, 0]));
    const interaction = fake.slashCommand({ name: 'reindex', options: { full: true }, user: admin });
    const outcome = await fake.waitForRequest(outcomeEdit(interaction), 30_000);
    const edits = fake.requestsMatching(routes.editOriginal(interaction));
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(edits.slice(0, -1).every(isProgressEdit)).toBe(true);
    expect(edits.at(-1)).toBe(outcome);
    const body = messageBody(outcome);
    expect(body.embeds).toEqual([]);
    expect(body.content?.startsWith('⚠️ Reindex failed: Nothing to index in ')).toBe(true);
    expect(body.content).toContain('; still serving the previous index.');
    expect(fake.requestsMatching(routes.followUp(interaction))).toEqual([]);
    assertValidRequests(fake.requestsMatching(routes.anyFor(interaction)));
  });
});
