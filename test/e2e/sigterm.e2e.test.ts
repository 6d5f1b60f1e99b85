/**
 * SIGTERM to a running bot's process group, end to end, on a bot of its own (stopping a shared
 * one would end the scenarios after it). SIGTERM during start-up: connect.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { GAZETTE } from '../support/articles.ts';
import { BotProcess, fakeBotToken, makeSeedsDir, LOG_LEVEL } from '../support/harness.ts';
import { READY_MS, SETUP_MS, teardownAtEnd } from '../support/scenarios.ts';

const atEnd = teardownAtEnd();

describe('SIGTERM', () => {
  const token = fakeBotToken();
  const setup = async (): Promise<{ fake: FakeDiscord; bot: BotProcess }> => {
    const fake = new FakeDiscord({ token });
    await fake.start();
    atEnd(() => fake.close());
    const seeds = await makeSeedsDir({ [GAZETTE.path]: GAZETTE.text });
    atEnd(() => seeds.remove());
    const bot = await BotProcess.start({ fake, token, seedsDir: seeds.dir, env: { LOG_LEVEL: 'info' }, readyTimeoutMs: READY_MS });
    atEnd(() => bot.stop());
    return { fake, bot };
  };

  it(
    'exits with code 0 on SIGTERM to its process group, disconnecting cleanly, even when a second SIGTERM follows',
    async () => {
      const { fake, bot: b } = await setup();
      // As a supervisor does (systemd's control group); under `npm run dev` tsx relays the
      // group's signal, so the bot gets it twice.
      process.kill(-(b.child.pid ?? 0), 'SIGTERM');
      process.kill(-(b.child.pid ?? 0), 'SIGTERM');
      const exit = await b.waitForExit(10_000);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(b.logs.find((l) => l.msg === 'shutting down')).toMatchObject({ signal: 'SIGTERM' });
      expect(b.logs.some((l) => l.msg === 'disconnected from Discord')).toBe(true);
      expect(b.logs.filter((l) => l.level >= LOG_LEVEL.error)).toEqual([]);
      expect(b.stderr).not.toContain(token);
      expect(fake.connected).toBe(false);
    },
    SETUP_MS,
  );
});
