/**
 * A figure timeline's chart end to end: the real entrypoint over the dated fixture archive against
 * the fake Discord. /figures defers, then edits in the timeline in its embed and the PNG chart
 * uploaded as a file of the edit (multipart), shown as the embed's image.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, routes } from '../support/fake-discord/index.ts';
import { BotProcess, fakeBotToken, newUser } from '../support/harness.ts';
import { callbackBody, expectCannotPing, field, messageBody, onlyEmbed } from '../support/payloads.ts';
import { assertValidRequests } from '../support/spec.ts';

const SETUP_MS = 40_000;
const WAIT_MS = 15_000;
const CHART = 'timeline-container-backlog-at-port-lindqvist.png';

describe('/figures timeline chart over a fake Discord', () => {
  const token = fakeBotToken();
  const user = newUser('Reader');
  let fake: FakeDiscord;
  let bot: BotProcess;
  let dataDir: string;

  beforeAll(async () => {
    fake = new FakeDiscord({ token });
    await fake.start();
    dataDir = await mkdtemp(path.join(tmpdir(), 'factdesk-chart-e2e-'));
    bot = await BotProcess.start({
      fake,
      token,
      seedsDir: 'test/fixtures/dated-archive',
      env: { COOLDOWN_SECONDS: '0', DATA_DIR: dataDir },
      readyTimeoutMs: 30_000,
    });
  }, SETUP_MS);

  afterAll(async () => {
    await bot.stop();
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('defers before drawing, then edits in the chart, drawn in the chart worker, as the embed image beside the timeline field', async () => {
    const start = fake.mark();
    const logsFrom = bot.logs.length;
    const interaction = fake.slashCommand({ name: 'figures', user, options: { topic: 'container backlog at Port Lindqvist' } });
    const callback = await fake.waitForRequest(routes.callback(interaction), { after: start, timeoutMs: WAIT_MS });
    // Acknowledged before the chart is drawn, however quick the machine: the answer comes as the edit.
    expect(callbackBody(callback).type).toBe(5);
    const req = await fake.waitForRequest(routes.editOriginal(interaction), { after: start, timeoutMs: WAIT_MS });
    expect(req.files.map((f) => [f.filename, f.data.subarray(1, 4).toString()])).toEqual([[CHART, 'PNG']]);
    expect(req.files[0]?.size).toBeGreaterThan(10_000);
    const message = messageBody(req);
    expectCannotPing(message);
    const embed = onlyEmbed(message);
    expect(embed.image?.url).toBe(`attachment://${CHART}`);
    expect(field(embed, 'Timeline of containers, by date').value.split('\n')[0]).toBe('9 Jan 2023 — **1,200 containers** [5]');
    assertValidRequests(fake.requests.filter((r) => r.seq > start));
    // The compiled copy started chart-worker.js: no warning that charts are drawn in the answering thread.
    expect(bot.logsSince(logsFrom).filter((l) => l.level >= 40)).toEqual([]);
  });

  it('uploads the chart with the edited answer when the command is deferred', async () => {
    const start = fake.mark();
    // Already 2.5 s old when it arrives: the bot defers at once and edits the answer in.
    const interaction = fake.slashCommand({
      name: 'figures',
      user,
      options: { topic: 'container backlog at Port Lindqvist' },
      ageMs: 2_500,
    });
    const callback = await fake.waitForRequest(routes.callback(interaction), { after: start, timeoutMs: WAIT_MS });
    expect(callbackBody(callback).type).toBe(5);
    const edit = await fake.waitForRequest(routes.editOriginal(interaction), { after: start, timeoutMs: WAIT_MS });
    expect(edit.files.map((f) => f.filename)).toEqual([CHART]);
    expect(onlyEmbed(messageBody(edit)).image?.url).toBe(`attachment://${CHART}`);
    assertValidRequests(fake.requests.filter((r) => r.seq > start));
  });
});
