/**
 * HEALTH_PORT end to end: the real entrypoint over the fake Discord serves /healthz and /metrics,
 * the metrics count what the bot answered, declined and reindexed, and the Dockerfile's own
 * HEALTHCHECK command passes against it. Last, SIGTERM to the bot's process group stops it (here,
 * after every other scenario, rather than on a bot of its own: a process start is most of an
 * end-to-end file's time). SIGTERM during start-up: connect.e2e.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, routes } from '../support/fake-discord/index.ts';
import {
  BotProcess,
  childEnv,
  fakeBotToken,
  freePort,
  LOG_LEVEL,
  makeSeedsDir,
  newUser,
  REPO_ROOT,
  type SeedsDir,
} from '../support/harness.ts';

const WAIT_MS = 5_000;
const SETUP_MS = 40_000;

/** One metric's value from Prometheus text, or null when the line is absent. */
function metric(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? null : Number(line.slice(name.length + 1));
}

/** The Dockerfile's HEALTHCHECK command, as the JSON array after CMD. */
function dockerHealthcheck(): string[] {
  const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/gu, ' ');
  const json = /^HEALTHCHECK .*?CMD (\[.*\])$/mu.exec(dockerfile)?.[1];
  if (json === undefined) throw new Error('the Dockerfile has no HEALTHCHECK … CMD [ … ]');
  return JSON.parse(json) as string[];
}

describe('HEALTH_PORT: /healthz and /metrics', () => {
  const token = fakeBotToken();
  const admin = newUser('Admin');
  let fake: FakeDiscord;
  let seeds: SeedsDir;
  let bot: BotProcess;
  let port: number;
  const url = (route: string): string => `http://127.0.0.1:${port}${route}`;

  beforeAll(async () => {
    fake = new FakeDiscord({ token });
    await fake.start();
    seeds = await makeSeedsDir();
    port = await freePort();
    bot = await BotProcess.start({
      fake,
      token,
      seedsDir: seeds.dir,
      // Its own data folder: no snapshot from another run, so the index is built.
      env: { HEALTH_PORT: String(port), COOLDOWN_SECONDS: '0', ADMIN_USER_IDS: admin.id, DATA_DIR: `${seeds.dir}.data` },
      readyTimeoutMs: 30_000,
    });
  }, SETUP_MS);

  afterAll(async () => {
    await bot.stop();
    await fake.close();
    await seeds.remove();
    await rm(`${seeds.dir}.data`, { recursive: true, force: true });
  });

  it('/healthz: 200 once the index is loaded and the gateway connected, and the log says where it listens', async () => {
    const response = await fetch(url('/healthz'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ status: 'ok', index: 'loaded', articles: 1, gateway: 'connected' });
    expect(bot.logs.find((l) => l.msg === 'serving /healthz and /metrics')).toMatchObject({ url: `http://127.0.0.1:${port}` });
  });

  it('logs each start-up phase in order, ending with how long the start took', async () => {
    await bot.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('ready in '), WAIT_MS);
    const phases = bot.logs
      .map((l) => l.msg ?? '')
      .filter((m) =>
        /^(loading the articles|index built|index loaded from snapshot|connecting to Discord|connected to Discord|ready in )/u.test(m),
      )
      .map((m) => m.replace(/^ready in .*/u, 'ready in N'));
    expect(phases).toEqual(['loading the articles', 'index built', 'connecting to Discord', 'connected to Discord', 'ready in N']);
  });

  it('the Dockerfile HEALTHCHECK command passes against it', () => {
    const [command = '', ...args] = dockerHealthcheck();
    expect(command).toBe('node');
    const run = spawnSync(process.execPath, args, { env: { ...childEnv({}), HEALTH_PORT: String(port) }, timeout: 10_000 });
    expect(run.status).toBe(0);
    const refused = spawnSync(process.execPath, args, { env: { ...childEnv({}), HEALTH_PORT: '1' }, timeout: 10_000 });
    expect(refused.status).toBe(1);
  });

  it('/metrics counts answered and declined questions, answer latency, reindexes and the gateway', async () => {
    const answered = fake.slashCommand({
      name: 'ask',
      options: { question: 'What death toll has the Syrian war reached?' },
      user: newUser('Asker'),
    });
    await fake.waitForRequest(routes.callback(answered), WAIT_MS);
    const declined = fake.slashCommand({ name: 'ask', options: { question: 'Who won the 2004 Boat Race?' }, user: newUser('Asker') });
    await fake.waitForRequest(routes.callback(declined), WAIT_MS);
    const reindex = fake.slashCommand({ name: 'reindex', user: admin });
    await fake.waitForRequest(routes.editOriginal(reindex), 20_000);

    const response = await fetch(url('/metrics'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/u);
    const text = await response.text();
    expect(metric(text, 'factdesk_questions_answered_total')).toBe(1);
    expect(metric(text, 'factdesk_questions_declined_total')).toBe(1);
    expect(metric(text, 'factdesk_answer_duration_seconds_count')).toBe(2);
    expect(metric(text, 'factdesk_reindexes_total')).toBe(1);
    expect(metric(text, 'factdesk_reindex_duration_seconds_count')).toBe(1);
    expect(metric(text, 'factdesk_gateway_connected')).toBe(1);
    expect(metric(text, 'factdesk_index_size{kind="articles"}')).toBe(1);
    expect(metric(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  // The last scenario: it stops the bot.
  it('SIGTERM: exits with code 0 on SIGTERM to its process group, disconnecting cleanly, even when a second SIGTERM follows', async () => {
    // As a supervisor does (systemd's control group); under `npm run dev` tsx relays the
    // group's signal, so the bot gets it twice.
    process.kill(-(bot.child.pid ?? 0), 'SIGTERM');
    process.kill(-(bot.child.pid ?? 0), 'SIGTERM');
    const exit = await bot.waitForExit(10_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(bot.logs.find((l) => l.msg === 'shutting down')).toMatchObject({ signal: 'SIGTERM' });
    expect(bot.logs.some((l) => l.msg === 'disconnected from Discord')).toBe(true);
    expect(bot.logs.filter((l) => l.level >= LOG_LEVEL.error)).toEqual([]);
    expect(bot.stderr).not.toContain(token);
    expect(fake.connected).toBe(false);
  });
});
