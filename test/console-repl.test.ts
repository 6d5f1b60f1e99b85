/**
 * The console on a terminal, driven through fake TTY streams: what is typed is echoed, Tab
 * completes, Ctrl-C clears a half-typed line and quits on an empty one, Ctrl-D quits, and the
 * history survives to the next session.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../commands/index.ts';
import type { CommandContext } from '../src/command.ts';
import { completeConsoleLine } from '../src/console-completion.ts';
import { runConsole } from '../src/console.ts';
import { Cooldown } from '../src/cooldown.ts';
import { Library } from '../src/core/library.ts';
import { createLogger } from '../src/logger.ts';
import { AnswerPages } from '../src/answer-pages.ts';
import { parseConfig } from '../src/config.ts';

const commands = loadCommands();
const slash = new Map([...commands].filter(([name]) => name !== 'Ask Factdesk'));
let context: CommandContext;
let dir: string;

beforeAll(async () => {
  const library = await Library.open({ seedsDir: 'seeds', now: () => new Date('2026-01-01T00:00:00Z') });
  context = {
    library,
    config: parseConfig({}),
    now: () => new Date('2026-01-01T00:05:00Z'),
    startedAt: new Date('2026-01-01T00:00:00Z'),
    invoker: { id: 'console', roleIds: [], canManageGuild: true, local: true },
    answerPages: new AnswerPages(),
    cooldown: new Cooldown(0),
    commands,
    logger: createLogger('silent'),
  };
  dir = await mkdtemp(path.join(tmpdir(), 'factdesk-console-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A terminal: keys go in one at a time, and the screen text comes out without escape codes. */
function terminal(historyFile: string | null) {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80, rows: 24 });
  let raw = '';
  output.on('data', (chunk: Buffer) => (raw += chunk.toString()));
  const done = runConsole({ input, output, commands, context, logger: createLogger('silent'), interactive: true, historyFile });
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 30));
  return {
    done,
    async type(keys: string): Promise<void> {
      for (const key of keys) {
        input.write(key);
        await settle();
      }
      await settle();
    },
    /** Everything printed, escape sequences removed (the text a person reads, line by line). */
    screen: () => stripVTControlCharacters(raw),
  };
}

describe('the console on a terminal', () => {
  it('echoes what is typed after the prompt, runs it, and prompts again once', async () => {
    const t = terminal(null);
    await t.type('/help\r');
    await t.type('\u0004');
    await t.done;
    const screen = t.screen();
    expect(screen).toContain('factdesk> /help');
    expect(screen).toContain('\nCommands\n');
    expect(screen).not.toContain('factdesk> factdesk>');
  });

  it('Ctrl-C clears a half-typed line without running it; Ctrl-C on an empty line quits', async () => {
    const t = terminal(null);
    await t.type('Who backs');
    await t.type('\u0003');
    await t.type('\u0003');
    await t.done;
    const screen = t.screen();
    expect(screen).toContain('^C\n');
    expect(screen).not.toContain('Q: Who backs');
  });

  it('Tab completes a command name, then an option name', async () => {
    const t = terminal(null);
    await t.type('/as\t');
    await t.type('q\t');
    await t.type('How many people have died in the Syrian war?\r');
    await t.type('\u0004');
    await t.done;
    const screen = t.screen();
    expect(screen).toContain('factdesk> /ask question:How many people have died in the Syrian war?');
    expect(screen).toContain('A: half a million people [1]');
  });

  it('keeps the history in a file and recalls it with Up in the next session', async () => {
    const file = path.join(dir, 'nested', 'console-history');
    const first = terminal(file);
    await first.type('/search Erdogan\r');
    await first.type('\u0004');
    await first.done;
    expect(await readFile(file, 'utf8')).toBe('/search Erdogan\n');
    const second = terminal(file);
    await second.type('\u001b[A\r');
    await second.type('\u0004');
    await second.done;
    expect(second.screen()).toContain('Articles matching "Erdogan"');
  });
});

describe('completeConsoleLine', () => {
  it('completes command names and button numbers, keeping the slash', () => {
    expect(completeConsoleLine('/se', slash, context.library.archive, 0)).toEqual([['/search '], '/se']);
    expect(completeConsoleLine('/', slash, context.library.archive, 2)[0]).toEqual([
      '/ask ',
      '/search ',
      '/figures ',
      '/article ',
      '/reindex ',
      '/feeds ',
      '/help ',
      '/1 ',
      '/2 ',
    ]);
  });

  it('completes option names not yet given, and nothing for a question', () => {
    expect(completeConsoleLine('/ask Who won? p', slash, context.library.archive, 0)).toEqual([['private:'], 'p']);
    expect(completeConsoleLine('/ask question:Who private:true ', slash, context.library.archive, 0)).toEqual([[], '']);
    expect(completeConsoleLine('Who won', slash, context.library.archive, 0)).toEqual([[], 'Who won']);
  });

  it('completes /article titles to ids', () => {
    expect(completeConsoleLine('/article Syria', slash, context.library.archive, 0)).toEqual([
      ['/article id:000_ebfcda1f30342ff9'],
      '/article Syria',
    ]);
  });
});
