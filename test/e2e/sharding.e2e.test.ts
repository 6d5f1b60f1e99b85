/**
 * SHARDS end to end: npm start's entrypoint as a launcher over the fake Discord brings the index
 * snapshot up to date once, then starts one discord-hybrid-sharding cluster running two shards,
 * which loads the snapshot instead of building the index; each shard is given its own guild, and
 * a question asked in either guild is answered.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, routes } from '../support/fake-discord/index.ts';
import { BotProcess, fakeBotToken, makeSeedsDir, newUser, type SeedsDir } from '../support/harness.ts';

const WAIT_MS = 10_000;

describe('SHARDS=2 in one cluster', () => {
  const token = fakeBotToken();
  let fake: FakeDiscord;
  let seeds: SeedsDir;
  let bot: BotProcess;

  beforeAll(async () => {
    fake = new FakeDiscord({ token, guildCount: 2, shards: 2 });
    await fake.start();
    seeds = await makeSeedsDir();
    bot = await BotProcess.start({
      fake,
      token,
      seedsDir: seeds.dir,
      env: { SHARDS: 'auto', SHARDS_PER_CLUSTER: '2', COOLDOWN_SECONDS: '0', DATA_DIR: `${seeds.dir}.data` },
      readyTimeoutMs: 60_000,
    });
    await fake.waitForShards(2, 30_000);
  }, 90_000);

  afterAll(async () => {
    await bot.stop(10_000);
    await fake.close();
    await seeds.remove();
    await rm(`${seeds.dir}.data`, { recursive: true, force: true });
  });

  it('asks Discord how many shards (auto), builds the snapshot once, and the cluster loads it', () => {
    expect(bot.logs.find((l) => l.msg === 'starting the clusters')).toMatchObject({ shards: 2, clusters: 1, shardsPerCluster: 2 });
    expect(bot.logs.find((l) => l.msg === 'index snapshot ready')).toMatchObject({ from: 'build', articles: 1 });
    expect(bot.logs.filter((l) => l.msg === 'index built')).toEqual([]);
    expect(bot.logs.find((l) => l.msg === 'index loaded from snapshot')).toMatchObject({ articles: 1 });
    expect(bot.logs.find((l) => l.msg === 'connecting to Discord')).toMatchObject({ cluster: 0, shards: [0, 1] });
  });

  it('connects both shards, each with its own guild, and answers in both', async () => {
    expect(fake.shardsConnected).toEqual([0, 1]);
    expect(fake.guilds.map((guild) => fake.shardOf(guild, 2)).sort()).toEqual([0, 1]);
    for (const guild of fake.guilds) {
      const interaction = fake.slashCommand({
        name: 'ask',
        channelId: guild.ids.channels.general,
        options: { question: 'What death toll has the Syrian war reached?' },
        user: newUser('Asker'),
      });
      const callback = await fake.waitForRequest(routes.callback(interaction), WAIT_MS);
      expect(callback.response.status).toBe(204);
      expect(JSON.stringify(callback.body)).toContain('Syria');
    }
  });
});

/** Whether any process of the process group `pgid` is still running. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('SIGTERM to the launcher while it starts a cluster', () => {
  it('kills the cluster being started, starts no other, and exits 0', async () => {
    const token = fakeBotToken();
    const fake = new FakeDiscord({ token, guildCount: 2, shards: 2 });
    await fake.start();
    const seeds = await makeSeedsDir();
    let bot: BotProcess | null = null;
    try {
      bot = await BotProcess.start({
        fake,
        token,
        seedsDir: seeds.dir,
        env: { SHARDS: '2', SHARDS_PER_CLUSTER: '1', COOLDOWN_SECONDS: '0', DATA_DIR: `${seeds.dir}.data` },
        readyLog: (l) => l.msg === 'starting a cluster',
        readyTimeoutMs: 60_000,
      });
      const pid = bot.child.pid ?? 0;
      // The launcher alone, as `kill <pid>` does: its clusters are its to stop.
      process.kill(pid, 'SIGTERM');
      expect(await bot.waitForExit(30_000)).toEqual({ code: 0, signal: null });
      // Clusters are forked into the launcher's process group: it waited for them to exit, so none
      // is left running (before, the cluster being started ran on for seconds, on its own).
      await expect.poll(() => groupAlive(pid), { timeout: 1_000, interval: 100 }).toBe(false);
      expect(bot.logs.filter((l) => l.msg === 'starting a cluster')).toHaveLength(1);
      expect(fake.shardsConnected).not.toContain(1);
    } finally {
      bot?.kill();
      await fake.close();
      await seeds.remove();
      await rm(`${seeds.dir}.data`, { recursive: true, force: true });
    }
  }, 90_000);
});
