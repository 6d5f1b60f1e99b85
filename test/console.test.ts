import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../commands/index.ts';
import { ApplicationCommandType } from 'discord.js';
import { defineCommand, type CommandContext } from '../src/command.ts';
import { CONSOLE_BANNER, parseConsoleOptions, runConsole } from '../src/console.ts';
import { Cooldown } from '../src/cooldown.ts';
import { Library } from '../src/core/library.ts';
import { createLogger } from '../src/logger.ts';
import { AnswerPages } from '../src/answer-pages.ts';
import { parseConfig } from '../src/config.ts';
import { REPO_ROOT, tsNode } from './support/harness.ts';

const commands = loadCommands();
let context: CommandContext;

beforeAll(async () => {
  const library = await Library.open({ seedsDir: 'seeds', now: () => new Date('2026-01-01T00:00:00Z') });
  context = {
    library,
    config: parseConfig({}),
    now: () => new Date('2026-01-01T00:05:00Z'),
    startedAt: new Date('2026-01-01T00:00:00Z'),
    invoker: { id: 'console', roleIds: [], canManageGuild: true, local: true },
    answerPages: new AnswerPages(),
    logger: createLogger('silent'),
    cooldown: new Cooldown(0),
    commands,
  };
});

async function session(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const done = runConsole({ input, output, commands, context, logger: createLogger('silent'), interactive: false });
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return text;
}

describe('runConsole', () => {
  it('answers plain text as a question and offers the reply’s buttons', async () => {
    const out = await session(['When was Assad at the Arab League summit?']);
    expect(out).toContain('Q: When was Assad at the Arab League summit?\nA: in May [1]');
    expect(out).toContain('[/1] More passages  [/2] Full article');
  });

  it('runs slash commands with Discord-style options, and presses buttons by number', async () => {
    const out = await session([
      '/article id:000_ebfcda1f30342ff9',
      '/search query:Erdogan',
      'When was Assad at the Arab League summit?',
      '/2',
    ]);
    expect(out).toContain('id: 000_ebfcda1f30342ff9 — page 1 of 1');
    expect(out).toContain('Articles matching "Erdogan"');
    // A console has one user: Discord's "(only you can see this)" is not said here.
    expect(out).toContain('\nSyrian President Bashar Assad has accused Turkey');
    expect(out).not.toContain('only you can see');
  });

  it('reports user errors plainly and carries on', async () => {
    const out = await session(['/nope', '/ask question:Syria private:maybe', '/figures topic:Syrian war']);
    expect(out).toContain('Error: There is no /nope. Commands: /ask, /search, /figures, /article, /reindex, /feeds, /help.');
    expect(out).toContain('Error: Option "private" must be true or false, not "maybe".');
    expect(out).toContain('Figures about "Syrian war"');
  });

  it('lets the local operator reindex', async () => {
    const out = await session(['/reindex']);
    expect(out).toMatch(/Reindexed in \d+(\.\d)? m?s: 1 article, 7 passages, \d+ figures\.\nAdded 0, changed 0, removed 0\./u);
  });
});

describe('console wording', () => {
  it('/help says how to use the console: no right-click menus, mentions, cooldown or private:', async () => {
    const out = await session(['/help']);
    // The last line says when the index was last rebuilt, which another test here does.
    expect(out.replace(/last reindex [^;]+;/u, 'last reindex …;')).toBe(
      [
        'Factdesk answers questions from the news archive, quoting the articles.',
        '',
        'Commands',
        '  /ask question:<text>',
        '      Ask the news archive a question; the answer quotes and cites the articles',
        '  /search query:<text> [after:<date>] [before:<date>]',
        '      List the articles that match some words',
        '  /figures topic:<text> [after:<date>] [before:<date>]',
        '      The figures the articles cite about a topic, each with its sentence and source',
        '  /article id:<id or title> [page:<n>]',
        '      Read an article in full',
        '  /reindex [full:true]',
        '      Re-read the articles folder and swap in a fresh index (admins only)',
        '  /feeds add url:<feed address> · /feeds remove url:<feed address> · /feeds list',
        '      The news feeds Factdesk follows (admins only)',
        '  /help',
        '      How to use Factdesk, and what its index holds',
        '',
        'When it answers',
        '  • Type a question and press Enter: it is answered as /ask.',
        '  • Type a command such as /search Turkey; /1, /2… press the buttons listed under the last reply.',
        '  • Tab completes commands, option names and article titles; Up recalls earlier lines.',
        '',
        'Index',
        '  1 article, 7 passages, 6 figures',
        '  built 1 Jan 2026, 00:00 UTC; last reindex …; up 5 min',
        '',
        '',
      ].join('\n'),
    );
  });

  it('/help on Discord still lists the right-click menu, the cooldown and private:', async () => {
    const help = commands.get('help');
    const reply = help && (await help.execute(new Map(), { ...context, invoker: { ...context.invoker, local: false } }));
    expect(reply?.kind === 'help' && reply.triggers).toContain('Right-click a message → Apps → "Ask Factdesk" to ask about its text.');
    expect(reply?.kind === 'help' && reply.commands[0]?.usage).toBe('/ask question:<text> [private:true]');
  });

  it('an unknown article points to Tab, not to Discord suggestions', async () => {
    const out = await session(['/article id:no such thing at all zzqx']);
    expect(out).toBe(
      'Error: No article matches "no such thing at all zzqx". Type /article and a few words of the title, then press Tab to complete it.\n\n',
    );
  });

  it('buttons keep their numbers on the last page: /1 stays "More passages", unavailable', async () => {
    const out = await session(['What death toll has the Syrian war reached?', '/1', '/1', '/1']);
    const buttonLines = out.split('\n').filter((l) => l.startsWith('[/'));
    expect(buttonLines).toEqual([
      '[/1] More passages  [/2] Full article',
      '[/1] More passages  [/2] Full article',
      '[/1] More passages (unavailable)  [/2] Full article',
    ]);
    expect(out).toContain('Error: "More passages" is not available on the last reply.');
  });

  it('ends quietly when the reader closes the pipe (npm start | head)', async () => {
    const input = new PassThrough();
    let writes = 0;
    const output = new Writable({
      write(_chunk, _encoding, done) {
        writes += 1;
        done(writes > 1 ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) : null);
      },
    });
    const done = runConsole({ input, output, commands, context, logger: createLogger('silent'), interactive: false });
    input.end('Who backs the rebels?\n/help\n/search Syria\n');
    await expect(done).resolves.toBeUndefined();
  });
});

describe('runConsole when a command fails unexpectedly', () => {
  it('prints the apology with an error id, logs the error redacted under that id, and carries on', async () => {
    const broken = defineCommand({
      data: { type: ApplicationCommandType.ChatInput, name: 'broken', description: 'Always fails' },
      execute() {
        throw new Error('GET /webhooks/1/secret-webhook-token/messages failed');
      },
    });
    const input = new PassThrough();
    const output = new PassThrough();
    const log = new PassThrough();
    let text = '';
    let logged = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    log.on('data', (chunk: Buffer) => (logged += chunk.toString()));
    const withBroken = new Map([...commands, ['broken', broken]]);
    const done = runConsole({
      input,
      output,
      commands: withBroken,
      context,
      logger: createLogger('error', { destination: log }),
      interactive: false,
    });
    input.end('/broken\n/search query:Erdogan\n');
    await done;
    const errorId = /"errorId":"([0-9a-f]{8})"/u.exec(logged)?.[1];
    expect(errorId).toBeDefined();
    expect(text).toContain(`Sorry, something went wrong (error ${errorId ?? ''}). Please try again later.`);
    expect(text).toContain('Articles matching "Erdogan"');
    expect(logged).toContain('"msg":"console command failed"');
    expect(logged).toContain('/webhooks/1/[redacted]/messages');
    expect(logged).not.toContain('secret-webhook-token');
  });
});

describe('parseConsoleOptions', () => {
  const ask = commands.get('ask');

  it('takes the whole text as the first option when no option is named', () => {
    if (!ask) throw new Error('no /ask');
    expect(Object.fromEntries(parseConsoleOptions(ask, 'Who won? In: 2004'))).toEqual({ question: 'Who won? In: 2004' });
  });

  it('splits named options, each running to the next name', () => {
    if (!ask) throw new Error('no /ask');
    expect(Object.fromEntries(parseConsoleOptions(ask, 'question:Who won the cup? private:yes'))).toEqual({
      question: 'Who won the cup?',
      private: true,
    });
    expect(parseConsoleOptions(ask, 'question:x').has('private')).toBe(false);
  });

  it('takes text before the first named option as the first option, unless that one is named too', () => {
    const search = commands.get('search');
    if (!ask || !search) throw new Error('no /ask or /search');
    expect(Object.fromEntries(parseConsoleOptions(search, 'Turkey after:2023 before:2024'))).toEqual({
      query: 'Turkey',
      after: '2023',
      before: '2024',
    });
    expect(Object.fromEntries(parseConsoleOptions(ask, 'Who won? private:true'))).toEqual({ question: 'Who won?', private: true });
    expect(() => parseConsoleOptions(search, 'Turkey query:Syria')).toThrow(
      'Put "Turkey" after an option name, like query: after: before:',
    );
  });
});

describe('npm start without a token', () => {
  it('says it runs as a console, answers each stdin line, and exits 0 at end of input', async () => {
    const run = promisify(execFile);
    const [node, args] = tsNode('src/main.ts');
    // Its snapshot goes to a folder of its own, not the checkout's data/.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-console-'));
    const child = run(node, args, {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, DISCORD_TOKEN: '', SEEDS_DIR: 'seeds', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });
    child.child.stdin?.end('When was Assad at the Arab League summit?\n/help\n');
    const { stdout } = await child.finally(() => rm(dataDir, { recursive: true, force: true }));
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(CONSOLE_BANNER);
    expect(stdout).toContain('A: in May [1]');
    expect(stdout).toContain('1 article, 7 passages');
    expect(stdout).not.toContain('1 articles');
    expect(stdout).toMatch(/ {2}built \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC; last reindex none since start; up \d+(\.\d)? m?s\n/u);
  });
});
