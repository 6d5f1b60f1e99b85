import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../../commands/index.ts';
import type { CommandContext } from '../../src/command.ts';
import { parseConfig } from '../../src/config.ts';
import { runConsole } from '../../src/console.ts';
import { Cooldown } from '../../src/cooldown.ts';
import { Library } from '../../src/core/library.ts';
import { runCommand } from '../../src/dispatch.ts';
import { AnswerPages } from '../../src/answer-pages.ts';
import { createLogger } from '../../src/logger.ts';
import { renderReply } from '../../src/render/discord/replies.ts';
import { renderReplyText } from '../../src/render/terminal.ts';
import type { Reply } from '../../src/replies.ts';

const commands = loadCommands();
const TOPIC = 'container backlog at Port Lindqvist';
let context: CommandContext;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'factdesk-figures-'));
  const library = await Library.open({ seedsDir: 'test/fixtures/dated-archive', now: () => new Date('2026-12-03T12:00:00Z') });
  context = {
    library,
    config: parseConfig({ SEEDS_DIR: 'test/fixtures/dated-archive', DATA_DIR: dataDir }),
    now: () => new Date('2026-12-03T12:00:00Z'),
    startedAt: new Date('2026-12-03T12:00:00Z'),
    invoker: { id: 'console', roleIds: [], canManageGuild: true, local: true },
    answerPages: new AnswerPages(),
    logger: createLogger('silent'),
    cooldown: new Cooldown(0),
    commands,
  };
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const figures = async (values: Record<string, string>): Promise<Reply> => {
  const command = commands.get('figures');
  if (!command) throw new Error('no /figures');
  return runCommand(command, new Map(Object.entries(values)), context);
};

describe('/figures with a timeline chart', () => {
  it('attaches the chart on Discord and shows it in the embed', async () => {
    const payload = renderReply(await figures({ topic: TOPIC }));
    const name = 'timeline-container-backlog-at-port-lindqvist.png';
    expect(payload.files?.map((f) => f.name)).toEqual([name]);
    expect(payload.files?.[0]?.attachment.subarray(1, 4).toString()).toBe('PNG');
    expect(payload.embeds[0]?.image).toEqual({ url: `attachment://${name}` });
    expect(payload.allowedMentions).toEqual({ parse: [] });
  });

  it('acknowledges the command before drawing the chart, which it leaves to the chart renderer it is given', async () => {
    const events: string[] = [];
    const command = commands.get('figures');
    if (!command) throw new Error('no /figures');
    const reply = await runCommand(command, new Map([['topic', TOPIC]]), {
      ...context,
      acknowledge: () => {
        events.push('acknowledged');
        return Promise.resolve();
      },
      charts: {
        draw: (timeline) => {
          events.push(`drawn: ${timeline.points.length} points`);
          return Promise.resolve(new Uint8Array([137, 80, 78, 71]));
        },
      },
    });
    expect(events).toEqual(['acknowledged', 'drawn: 6 points']);
    expect(reply.kind === 'figures' && reply.chart).toEqual({
      name: 'timeline-container-backlog-at-port-lindqvist.png',
      png: new Uint8Array([137, 80, 78, 71]),
    });
  });

  it('attaches no chart for a timeline of two points, nor an image the reply would not carry', async () => {
    let acknowledged = false;
    const command = commands.get('figures');
    if (!command) throw new Error('no /figures');
    const reply = await runCommand(
      command,
      new Map([
        ['topic', TOPIC],
        ['after', '2024'],
      ]),
      {
        ...context,
        acknowledge: () => Promise.resolve(void (acknowledged = true)),
      },
    );
    expect(reply.kind === 'figures' && reply.result.timeline?.points.length).toBe(2);
    // Nothing slow to do: answered at once, not deferred.
    expect(acknowledged).toBe(false);
    expect(reply.kind === 'figures' && reply.chart).toBeUndefined();
    const payload = renderReply(reply);
    expect(payload.files).toBeUndefined();
    expect(payload.embeds[0]?.image).toBeUndefined();
  });

  it('in the console, prints the timeline and saves the chart under DATA_DIR/charts, naming the file', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const done = runConsole({ input, output, commands, context, logger: createLogger('silent'), interactive: false });
    input.end(`/figures topic:${TOPIC}\n`);
    await done;
    const file = path.join(dataDir, 'charts', 'timeline-container-backlog-at-port-lindqvist.png');
    expect(text).toContain(
      'Timeline of containers, by date\n  9 Jan 2023   1,200 containers [5]\n  May 2023     800 containers [3] (reported 12 Jun 2023)\n',
    );
    expect(text).toContain(`\nChart saved to ${file}\n`);
    const png = await readFile(file);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('/ask with date words, against the context’s today (3 Dec 2026)', () => {
  const ask = async (question: string): Promise<Reply> => {
    const command = commands.get('ask');
    if (!command) throw new Error('no /ask');
    return runCommand(command, new Map([['question', question]]), context);
  };
  const dates = (reply: Reply): (string | null)[] => (reply.kind === 'answer' ? reply.answer.passages.map((p) => p.date) : []);

  it('answers "latest" from the newest article, and "last year" (2025) from undated ones only', async () => {
    expect(dates(await ask('What is the latest container backlog at Port Lindqvist?'))[0]).toBe('2024-11-18');
    expect(dates(await ask('What was the container backlog at Port Lindqvist last year?'))).toEqual([null, null]);
  });

  it('says what the date words did, on Discord and in the terminal', async () => {
    const reply = await ask('What is the latest container backlog at Port Lindqvist?');
    expect(renderReply(reply).embeds[0]?.description?.split('\n\n').at(-1)).toBe('*Newest articles first, then undated ones.*');
    expect(renderReplyText(reply)).toContain('\nNewest articles first, then undated ones.\n');
  });
});
