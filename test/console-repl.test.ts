/**
 * The console on a terminal, driven through fake TTY streams played into a headless xterm, with
 * exactly what the screen shows asserted: what is typed is echoed, answers wrap to 80 and 120
 * columns with hanging indents, Tab completes, Ctrl-C clears a half-typed line and quits on an empty
 * one, Ctrl-D quits, and the history survives to the next session.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../commands/index.ts';
import type { CommandContext } from '../src/command.ts';
import { completeConsoleLine } from '../src/console-completion.ts';
import { CONSOLE_BANNER, RESIZE_SETTLE_MS, runConsole, runLocalConsole } from '../src/console.ts';
import { Cooldown } from '../src/cooldown.ts';
import { answerWithDates } from '../src/core/date-preference.ts';
import { Library } from '../src/core/library.ts';
import { createLogger } from '../src/logger.ts';
import { AnswerPages } from '../src/answer-pages.ts';
import { parseConfig } from '../src/config.ts';
import { fakeTerminal } from './support/fake-terminal.ts';

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
  const direct = answerWithDates(library.archive, SYRIA, context.now()).answer;
  syriaAnswerLine = direct === null ? '' : `\nA: ${direct} [1]`;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The console on a fake terminal of `columns` columns, keeping its history in `historyFile`. */
function consoleOn(columns: number, historyFile: string | null = null, rows?: number) {
  const terminal = fakeTerminal(columns, rows);
  const done = runConsole({
    input: terminal.input,
    output: terminal.output,
    commands,
    context,
    logger: createLogger('silent'),
    interactive: true,
    historyFile,
  });
  return { ...terminal, done };
}

// Its figure leads the figures. Whether the direct-answer gate is sure enough of it for a bold "A:"
// line is the fitted model's call (src/core/answer-confidence.ts), which sits near its threshold and
// moves with each refit: the screens show what the core answers, worked out in beforeAll.
const SYRIA = 'What death toll has the Syrian war reached?';
let syriaAnswerLine = '';
const SUMMIT = 'When was Assad at the Arab League summit?';

const answerAt80 = (): string => `factdesk> ${SYRIA}
Q: ${SYRIA}${syriaAnswerLine}

1. The Syrian war has caused immense human suffering, resulting in the death of
   half a million people, over a million injuries, and displacement of half of
   the country’s prewar population. The conflict has reached a stalemate in
   recent years, with more than 5 million Syrians seeking refuge in neighboring
   countries. Assad acknowledged the protracted nature of the war, stating, “We
   knew since the start of the war that it is going to be long.” [1]
   — ¶7, 000_ebfcda1f30342ff9

2. Assad, backed by Russia and Iran, has successfully reclaimed most of the
   territory with the help of his allies, shifting the balance of power in his
   favor. Currently, Syrian rebels and Turkey-backed opposition forces retain
   control only over a small area in the northwest, where fighting and violence
   persist. [1]
   — ¶2, 000_ebfcda1f30342ff9

3. Assad also addressed allegations of Syria’s involvement in the drug trade,
   which has reportedly flowed into oil-rich Persian Gulf nations since the war
   began. He shifted the blame onto Arab countries that “created chaos” in
   Syria, asserting that they are responsible for the drug business. [1]
   — ¶5, 000_ebfcda1f30342ff9

Figures
  • half a million people (count) [1]
  • over a million injuries (count) [1]
  • more than 5 million Syrians (count) [1]
  • half of the country’s prewar population (quantity) [1]

Sources
  [1] Syrian President Bashar Assad has accused Turkey of being responsible for
      the recent surge in… — 6 Nov 2023 — 000_ebfcda1f30342ff9
[/1] More passages  [/2] Full article

factdesk>`;

const answerAt120 = (): string => `factdesk> ${SYRIA}
Q: ${SYRIA}${syriaAnswerLine}

1. The Syrian war has caused immense human suffering, resulting in the death of half a million people, over a million
   injuries, and displacement of half of the country’s prewar population. The conflict has reached a stalemate in recent
   years, with more than 5 million Syrians seeking refuge in neighboring countries. Assad acknowledged the protracted
   nature of the war, stating, “We knew since the start of the war that it is going to be long.” [1]
   — ¶7, 000_ebfcda1f30342ff9

2. Assad, backed by Russia and Iran, has successfully reclaimed most of the territory with the help of his allies,
   shifting the balance of power in his favor. Currently, Syrian rebels and Turkey-backed opposition forces retain
   control only over a small area in the northwest, where fighting and violence persist. [1]
   — ¶2, 000_ebfcda1f30342ff9

3. Assad also addressed allegations of Syria’s involvement in the drug trade, which has reportedly flowed into oil-rich
   Persian Gulf nations since the war began. He shifted the blame onto Arab countries that “created chaos” in Syria,
   asserting that they are responsible for the drug business. [1]
   — ¶5, 000_ebfcda1f30342ff9

Figures
  • half a million people (count) [1]
  • over a million injuries (count) [1]
  • more than 5 million Syrians (count) [1]
  • half of the country’s prewar population (quantity) [1]

Sources
  [1] Syrian President Bashar Assad has accused Turkey of being responsible for the recent surge in… — 6 Nov 2023 —
      000_ebfcda1f30342ff9
[/1] More passages  [/2] Full article

factdesk>`;

describe('the console on a terminal', () => {
  it('echoes the question after one prompt and wraps the answer to 80 columns, indented under its markers', async () => {
    const t = consoleOn(80);
    await t.type(`${SYRIA}\r`);
    await t.type('\u0004');
    await t.done;
    expect(await t.screen()).toBe(answerAt80());
  });

  it('wraps the same answer to 120 columns', async () => {
    const t = consoleOn(120);
    await t.type(`${SYRIA}\r`);
    await t.type('\u0004');
    await t.done;
    expect(await t.screen()).toBe(answerAt120());
  });

  it('shows a direct answer the gate is sure of on its own bold "A:" line, above the wrapped passages', async () => {
    // Far above the direct figure threshold (unlike the Syrian question's), so the line is asserted exactly.
    const t = consoleOn(80);
    await t.type(`${SUMMIT}\r`);
    await t.type('\u0004');
    await t.done;
    const head = `factdesk> ${SUMMIT}
Q: ${SUMMIT}
A: in May [1]

1. Recently, Syria has made efforts to improve relations with countries that had
   previously supported the opposition during the civil war. Assad participated
   in the Arab League summit in May, marking Syria’s return to the Arab fold.
`;
    const screen = await t.screen();
    expect(screen.slice(0, head.length)).toBe(head);
    expect(screen).toContain('Figures\n  • in May (May 2023) (date) [1]\n');
  });

  it('stops listening for resizes of the terminal once it closes', async () => {
    const t = consoleOn(80);
    const listening = t.output.listenerCount('resize');
    expect(listening).toBeGreaterThan(0);
    await t.type('\u0004');
    await t.done;
    expect(t.output.listenerCount('resize')).toBe(0);
  });

  it('after a resize, wraps new output to the new width', async () => {
    const t = consoleOn(120);
    await t.resize(80, RESIZE_SETTLE_MS);
    await t.type(`${SYRIA}\r`);
    await t.type('\u0004');
    await t.done;
    expect(await t.screen()).toBe(answerAt80());
  });

  it('after a resize, re-renders the last answer at the new width in place, keeping what is typed at the prompt', async () => {
    // Tall enough for the whole answer: it is redrawn where it was, nothing of the old one is left.
    const t = consoleOn(120, null, 60);
    await t.type(`${SYRIA}\r`);
    await expect.poll(() => t.screen()).toBe(answerAt120());
    await t.type('/sea');
    await t.resize(80, RESIZE_SETTLE_MS);
    await expect.poll(() => t.screen(), { timeout: 5_000 }).toBe(`${answerAt80()} /sea`);
    await t.resize(120, RESIZE_SETTLE_MS);
    await expect.poll(() => t.screen(), { timeout: 5_000 }).toBe(`${answerAt120()} /sea`);
    // The typed text is still the line readline edits.
    await t.type('rch Erdogan\r');
    await expect.poll(() => t.screen()).toContain('factdesk> /search Erdogan\nArticles matching "Erdogan"');
    await t.type('\u0004');
    await t.done;
  });

  it('an answer taller than the window: after a Ctrl-C and an empty line, the window shows its end at the new width', async () => {
    const t = consoleOn(120);
    await t.type(`${SYRIA}\r`);
    await expect.poll(() => t.screen()).toBe(answerAt120());
    await t.type('abc\u0003');
    await t.type('\r');
    await t.resize(80, RESIZE_SETTLE_MS);
    const tail = (text: string): string => text.split('\n').slice(-24).join('\n');
    await expect.poll(async () => tail(await t.screen()), { timeout: 5_000 }).toBe(tail(`${answerAt80()} abc^C\nfactdesk>\nfactdesk>`));
    await t.type('\u0004');
    await t.done;
  });

  it('Ctrl-C clears a half-typed line without running it; Ctrl-C on an empty line quits', async () => {
    const t = consoleOn(80);
    await t.type('Who backs');
    await t.type('\u0003');
    await t.type('\u0003');
    await t.done;
    expect(await t.screen()).toBe('factdesk> Who backs^C\nfactdesk>');
  });

  it('empty lines give one prompt each, not prompts piled on one line', async () => {
    const t = consoleOn(80);
    await t.type('\r');
    await t.type('\r');
    await t.type('\u0004');
    await t.done;
    expect(await t.screen()).toBe('factdesk>\nfactdesk>\nfactdesk>');
  });

  it('Tab completes a command name, then an option name, then an /article title to its id', async () => {
    const t = consoleOn(80);
    await t.type('/as');
    await t.type('\t');
    await t.type('q');
    await t.type('\t');
    await t.type('Who');
    await t.type('\u0003');
    await t.type('/art');
    await t.type('\t');
    await t.type('Syr');
    await t.type('\t');
    await t.type('\u0003');
    await t.type('\u0003');
    await t.done;
    expect(await t.screen()).toBe(
      ['factdesk> /ask question:Who^C', 'factdesk> /article id:000_ebfcda1f30342ff9^C', 'factdesk>'].join('\n'),
    );
  });

  it('/reindex shows a progress line while it runs, then only its outcome', async () => {
    const t = consoleOn(80);
    await t.type('/reindex full:true\r');
    await t.type('\u0004');
    await t.done;
    expect(t.raw()).toContain('Reading articles: 1 of 1 file · ');
    expect(t.raw()).toContain('Indexing: 1 of 1 article · 7 passages · 6 figures · ');
    const screen = (await t.screen()).split('\n');
    expect(screen[0]).toBe('factdesk> /reindex full:true');
    expect(screen[1]).toMatch(/^Reindexed in \d+(\.\d)? m?s: 1 article, 7 passages, 6 figures\.$/u);
    expect(screen[2]).toBe('Added 0, changed 0, removed 0.');
  });

  it('keeps the history in a file and recalls it with Up in the next session', async () => {
    const file = path.join(dir, 'nested', 'console-history');
    const first = consoleOn(80, file);
    await first.type('/search Erdogan\r');
    await first.type('\u0004');
    await first.done;
    expect(await readFile(file, 'utf8')).toBe('/search Erdogan\n');
    const second = consoleOn(80, file);
    await second.type('\u001b[A');
    await second.type('\r');
    await second.type('\u0004');
    await second.done;
    expect((await second.screen()).split('\n').slice(0, 2)).toEqual(['factdesk> /search Erdogan', 'Articles matching "Erdogan"']);
  });
});

describe('npm start on a terminal (runLocalConsole)', () => {
  /** The console as npm start runs it, with `env`; what the screen showed, the bytes written, and stderr. */
  async function start(env: Record<string, string>) {
    const terminal = fakeTerminal(80);
    const errors = new PassThrough();
    let said = '';
    errors.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const done = runLocalConsole({
      input: terminal.input,
      output: terminal.output,
      errors,
      context: { ...context, config: parseConfig({ DATA_DIR: dir, ...env }) },
      readyIn: '2.4 s',
    });
    await terminal.type(`${SYRIA}\r`);
    await terminal.type('\u0004');
    await done;
    return { screen: await terminal.screen(), raw: terminal.raw(), said };
  }
  // SGR codes (colour, bold); readline's own cursor codes end in other letters.
  // eslint-disable-next-line no-control-regex -- ESC starts the codes looked for
  const STYLED = /\u001b\[[0-9;]*m/u;

  it('prints the banner, says on stderr how long the start took, and answers in bold where it highlights', async () => {
    const { screen, raw, said } = await start({});
    expect(said).toBe('Ready in 2.4 s.\n');
    expect(raw.startsWith(`${CONSOLE_BANNER}\n`)).toBe(true);
    expect(screen).toContain(`factdesk> ${SYRIA}\nQ: ${SYRIA}`);
    expect(raw).toMatch(STYLED);
  });

  it('NO_COLOR: the same answer without a single colour or style code', async () => {
    const { screen, raw } = await start({ NO_COLOR: '1' });
    expect(screen).toContain(`factdesk> ${SYRIA}\nQ: ${SYRIA}`);
    expect(raw).not.toMatch(STYLED);
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

  it('completes option names not yet given, not Discord-only ones, and nothing for a question', () => {
    expect(completeConsoleLine('/reindex f', slash, context.library.archive, 0)).toEqual([['full:'], 'f']);
    // private: means "only you can see this" on Discord; the console has one user.
    expect(completeConsoleLine('/ask Who won? p', slash, context.library.archive, 0)).toEqual([[], 'p']);
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
