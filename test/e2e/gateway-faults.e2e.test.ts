/**
 * Gateway and REST faults the bot must survive or end on loudly, over the fake Discord: a 429 that
 * Discord sends is logged with its route and wait; a fatal close after READY falls back (4014) or
 * exits non-zero with a fatal log (4004). (SIGTERM to the process group: bot.e2e.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, rateLimited, routes } from '../support/fake-discord/index.ts';
import { BotProcess, fakeBotToken, LOG_LEVEL, makeSeedsDir, newUser, type SeedsDir } from '../support/harness.ts';
import { callbackBody } from '../support/payloads.ts';

const QUESTION = 'What death toll has the Syrian war reached?';
const MESSAGE_CONTENT = 1 << 15;
const READY_MS = 30_000;

describe('gateway and rate-limit faults', () => {
  const token = fakeBotToken();
  let seeds: SeedsDir;
  let faulty: BotProcess;
  let faultyFake: FakeDiscord;

  beforeAll(async () => {
    seeds = await makeSeedsDir();
    faultyFake = new FakeDiscord({ token });
    await faultyFake.start();
    const env = { COOLDOWN_SECONDS: '0', ASK_CHANNEL_IDS: faultyFake.ids.channels.general };
    faulty = await BotProcess.start({ fake: faultyFake, token, seedsDir: seeds.dir, env, readyTimeoutMs: READY_MS });
  }, 60_000);

  afterAll(async () => {
    await faulty.stop();
    await faultyFake.close();
    await seeds.remove();
  });

  it('logs a 429 that Discord sends on an interaction callback, with its route and wait', async () => {
    const from = faulty.logs.length;
    faultyFake.override({ method: 'POST', path: /^\/interactions\/.*\/callback$/u }, rateLimited(1), { times: 1 });
    const ask = faultyFake.slashCommand({ name: 'ask', options: { question: QUESTION }, user: newUser('Limited') });
    const line = await faulty.waitForLog((l) => l.msg === 'rate limited by Discord (429)', 10_000, from);
    expect(line).toMatchObject({ route: '/interactions/:id/:token/callback', method: 'POST', retryAfterMs: 1000, global: false });
    expect(JSON.stringify(line)).not.toContain(ask.token);
  });

  it('falls back to no Message Content intent on a 4014 after READY, and still answers', async () => {
    const from = faulty.logs.length;
    faultyFake.closeGateway(4014);
    await faulty.waitForLog((l) => l.msg === 'connected to Discord', 20_000, from);
    expect((faultyFake.intents ?? MESSAGE_CONTENT) & MESSAGE_CONTENT).toBe(0);
    const ask = faultyFake.slashCommand({ name: 'ask', options: { question: QUESTION }, user: newUser('After') });
    expect(callbackBody(await faultyFake.waitForRequest(routes.callback(ask), { timeoutMs: 10_000 })).type).toBe(4);
    expect(faulty.exit).toBeNull();
  });

  it('on a fatal close after READY (4004), logs at fatal what to do and exits non-zero', async () => {
    faultyFake.closeGateway(4004);
    const exit = await faulty.waitForExit(15_000);
    expect(exit).toEqual({ code: 78, signal: null });
    const fatal = faulty.logs.find((l) => l.level === LOG_LEVEL.fatal);
    expect(fatal).toMatchObject({ code: 4004 });
    expect(fatal?.msg).toMatch(/^Discord closed the gateway for good \(4004\): Discord refused the token\. Reset the token/u);
  });
});
