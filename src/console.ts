import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { clearScreenDown, createInterface, cursorTo, moveCursor } from 'node:readline';
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';
import {
  optionSpecs,
  SUBCOMMAND_ARGUMENT,
  subcommandNames,
  type Command,
  type CommandContext,
  type OptionSpec,
  type OptionValue,
} from './command.ts';
import { completeConsoleLine } from './console-completion.ts';
import { pressButton, runCommand } from './dispatch.ts';
import { reportFailure, UserError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { ChartImage, Reply } from './replies.ts';
import { writeFileAtomic } from './feeds/atomic-write.ts';
import { renderReplyText, sanitiseForTerminal, type TerminalStyle } from './render/terminal.ts';
import { ProgressLine } from './render/progress.ts';
import { rowsOnScreen, terminalColumns, wrapForTerminal } from './render/terminal-wrap.ts';

export const CONSOLE_BANNER =
  'Factdesk is running as a local console because DISCORD_TOKEN is not set. Type a question, or /help. ' +
  'To connect it to Discord, set DISCORD_TOKEN (see README.md).';

function convert(spec: OptionSpec, raw: string): OptionValue {
  switch (spec.type) {
    case ApplicationCommandOptionType.Boolean: {
      const v = raw.trim().toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(v)) return true;
      if (['false', 'no', 'off', '0'].includes(v)) return false;
      throw new UserError('bad-option', `Option "${spec.name}" must be true or false, not "${raw}".`);
    }
    case ApplicationCommandOptionType.Integer: {
      const n = Number(raw.trim());
      if (!Number.isInteger(n)) throw new UserError('bad-option', `Option "${spec.name}" must be a whole number, not "${raw}".`);
      return n;
    }
    default:
      return raw.trim();
  }
}

/**
 * Parses console options the way Discord shows them: `name:value` pairs (a value runs until the
 * next known `name:`), or, with no names, the whole text as the first option. Each value is
 * converted to its option's type; the command then checks them like Discord's
 * (`parseArguments` in command.ts), so its handler gets the same typed arguments.
 *
 * @example parseConsoleOptions(ask, 'question:Who won? private:true') // question → 'Who won?', private → true
 */
export function parseConsoleOptions(command: Command, text: string): Map<string, OptionValue> {
  const values = new Map<string, OptionValue>();
  // A command made of subcommands is written as Discord shows it: `/feeds add url:…`.
  const subcommands = subcommandNames(command.data);
  let subcommand: string | undefined;
  if (subcommands.length > 0) {
    const word = /^\s*(\S*)/u.exec(text)?.[1] ?? '';
    subcommand = subcommands.find((name) => name === word.toLowerCase());
    if (subcommand === undefined) {
      const usage = command.usage === undefined ? '' : ` (${command.usage})`;
      throw new UserError('bad-option', `/${command.data.name} needs one of: ${subcommands.join(', ')}${usage}`);
    }
    values.set(SUBCOMMAND_ARGUMENT, subcommand);
    text = text.trimStart().slice(word.length);
  }
  const specs = optionSpecs(command.data, subcommand);
  const names = specs.map((s) => s.name.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'));
  const marker = names.length > 0 ? new RegExp(`(?:^|\\s)(${names.join('|')}):`, 'gu') : null;
  const found = marker ? [...text.matchAll(marker)] : [];
  if (found.length === 0) {
    const first = specs[0];
    if (first && text.trim().length > 0) values.set(first.name, convert(first, text));
  } else {
    const leading = text.slice(0, found[0]?.index ?? 0).trim();
    // `/search Turkey after:2023`: text before the first name is the first option, unless named too.
    const first = specs[0];
    if (leading.length > 0 && first !== undefined && !found.some((m) => m[1] === first.name))
      values.set(first.name, convert(first, leading));
    else if (leading.length > 0)
      throw new UserError('bad-option', `Put "${leading}" after an option name, like ${specs.map((s) => `${s.name}:`).join(' ')}`);
    found.forEach((match, i) => {
      const spec = specs.find((s) => s.name === match[1]);
      const start = match.index + match[0].length;
      const end = found[i + 1]?.index ?? text.length;
      if (spec) values.set(spec.name, convert(spec, text.slice(start, end)));
    });
  }
  const missing = specs.find((s) => s.required && !values.has(s.name));
  const name = subcommand === undefined ? command.data.name : `${command.data.name} ${subcommand}`;
  if (missing) throw new UserError('bad-option', `/${name} needs ${missing.name}: ${command.usage ?? ''}`.trim());
  return values;
}

export interface ConsoleOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly commands: ReadonlyMap<string, Command>;
  readonly context: CommandContext;
  readonly logger: Logger;
  /** A terminal: echo, line editing, history, Tab completion, Ctrl-C handling, a prompt. */
  readonly interactive: boolean;
  readonly style?: TerminalStyle;
  /** Where the history of typed lines is kept across sessions (interactive only); null: none. */
  readonly historyFile?: string | null;
}

const PROMPT = 'factdesk> ';
/** The history's file name in DATA_DIR. */
export const CONSOLE_HISTORY_FILE = 'console-history';
const HISTORY_SIZE = 1000;
/** A resize re-renders the last answer once the window has kept its size this long (a drag resizes it many times). */
export const RESIZE_SETTLE_MS = 100;

/**
 * What the screen shows from the last command on: the lines echoed at the prompt (the command's,
 * and any empty or Ctrl-C'd ones after it) as typed, and what was printed, before wrapping.
 */
interface ShownItem {
  readonly kind: 'echo' | 'printed';
  readonly text: string;
  /** The width it was last wrapped to; null: not wrapped (an echo, as typed). */
  columns: number | null;
}

/** The saved history, newest first as readline wants it; none if the file is absent or unreadable. */
async function readHistory(file: string): Promise<string[]> {
  try {
    const text = await readFile(file, 'utf8');
    return text
      .split('\n')
      .filter((l) => l.length > 0)
      .reverse()
      .slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

/**
 * The local console: plain text is a question, `/command options` runs a command, `/1`, `/2`…
 * press the last reply's buttons. It calls the same handlers as Discord and prints what they reply.
 * On a terminal it behaves like node's REPL: typed text is echoed and editable, Up recalls earlier
 * lines (kept in `historyFile`), Tab completes command names, option names and article titles,
 * Ctrl-C clears a half-typed line and quits on an empty one, Ctrl-D quits. Resolves when input ends.
 */
/** Folder of DATA_DIR where the console saves the charts Discord would attach. */
export const CHARTS_FOLDER = 'charts';

/** Saves a reply's chart under DATA_DIR/charts/ and says where, or why it could not. */
async function saveChart(chart: ChartImage, dataDir: string): Promise<string> {
  const file = path.join(dataDir, CHARTS_FOLDER, chart.name);
  try {
    await writeFileAtomic(file, chart.png);
    return `Chart saved to ${sanitiseForTerminal(file)}`;
  } catch (error) {
    return `Could not save the chart to ${sanitiseForTerminal(file)}: ${sanitiseForTerminal(error instanceof Error ? error.message : String(error))}`;
  }
}

export async function runConsole(options: ConsoleOptions): Promise<void> {
  const { commands, context, logger, output, interactive } = options;
  const style = options.style ?? { color: false };
  const slash = new Map([...commands].filter(([, c]) => c.data.type === undefined || c.data.type === ApplicationCommandType.ChatInput));
  let buttons: Reply['buttons'] = [];
  let shown: ShownItem[] | null = null;
  const historyFile = interactive ? (options.historyFile ?? null) : null;
  const lines = interactive
    ? createInterface({
        input: options.input,
        output,
        terminal: true,
        prompt: PROMPT,
        history: historyFile === null ? [] : await readHistory(historyFile),
        historySize: HISTORY_SIZE,
        removeHistoryDuplicates: true,
        completer: (line: string) => {
          const completion = completeConsoleLine(line, slash, context.library.archive, buttons?.length ?? 0);
          // Several candidates are listed below the prompt, rows the re-rendering does not know of.
          if (completion[0].length > 1) shown = null;
          return completion;
        },
      })
    : createInterface({ input: options.input, crlfDelay: Infinity, terminal: false });
  if (interactive) {
    lines.on('SIGINT', () => {
      if (lines.line.length === 0) {
        output.write('\n');
        lines.close();
        return;
      }
      // Like a shell: drop what was typed and start a fresh line.
      shown?.push({ kind: 'echo', text: `${PROMPT}${lines.line}^C`, columns: null });
      output.write('^C\n');
      lines.write(null, { ctrl: true, name: 'e' });
      lines.write(null, { ctrl: true, name: 'u' });
      lines.prompt();
    });
  }
  let historyBroken = false;
  const remember = async (line: string): Promise<void> => {
    if (historyFile === null || historyBroken || line.trim().length === 0) return;
    try {
      await mkdir(path.dirname(historyFile), { recursive: true });
      await appendFile(historyFile, `${line.replace(/[\r\n]+/gu, ' ')}\n`);
    } catch (error) {
      historyBroken = true;
      logger.warn({ file: historyFile, error: error instanceof Error ? error.message : String(error) }, 'cannot save the console history');
    }
  };
  // On a terminal, text is wrapped to the width it has when it is printed: after a resize, new
  // output fits the new width (earlier output stays as it was printed, as in node's REPL).
  // A reader that stops early (`npm start | head`) closes the pipe: that ends the session quietly
  // instead of crashing on EPIPE. Any other output error is not ours to hide.
  const reader = { gone: false };
  output.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    reader.gone = true;
    lines.close();
  });
  // A reindex shows a progress line while it runs, erased before its outcome is printed.
  let progressLine: ProgressLine | null = null;
  const withProgress: CommandContext =
    interactive && terminalColumns(output) !== null
      ? {
          ...context,
          progress: (progress) => {
            progressLine ??= new ProgressLine(output);
            progressLine.update(progress);
          },
        }
      : context;
  const print = (text: string): void => {
    progressLine?.clear();
    progressLine = null;
    if (reader.gone) return;
    const columns = terminalColumns(output);
    output.write(`${columns === null ? text : wrapForTerminal(text, columns)}\n`);
    shown?.push({ kind: 'printed', text, columns });
  };
  // After a resize, the last answer is rendered again at the new width in place of the old one
  // (with the prompt and what is typed after it), unless a command is running: its output will fit
  // the new width anyway. An answer taller than the window leaves its old top in the scrollback.
  let busy = false;
  let resized: NodeJS.Timeout | undefined;
  const rerender = (): void => {
    const columns = terminalColumns(output);
    if (busy || shown === null || columns === null || reader.gone) return;
    const wrapped = (item: ShownItem, width: number | null): string[] =>
      (width === null ? item.text : wrapForTerminal(item.text, width)).split('\n');
    // The rows the block takes now: its lines as written, re-wrapped by the terminal to the new width.
    const rows = rowsOnScreen(
      shown.flatMap((item) => wrapped(item, item.columns)),
      columns,
    );
    for (const item of shown) if (item.columns !== null) item.columns = columns;
    const block = shown.flatMap((item) => wrapped(item, item.columns)).join('\n');
    // readline has redrawn the prompt line at the new width; the cursor is on its row `typedRows`.
    const typedRows = lines.getCursorPos().rows;
    moveCursor(output, 0, -(rows + typedRows));
    cursorTo(output, 0);
    clearScreenDown(output);
    // The newlines leave room for the rows readline moves up over when it redraws the typed line.
    output.write(`${block}\n${'\n'.repeat(typedRows)}`);
    lines.prompt(true);
  };
  if (interactive) {
    const onResize = (): void => {
      clearTimeout(resized);
      resized = setTimeout(rerender, RESIZE_SETTLE_MS);
      resized.unref();
    };
    output.on('resize', onResize);
    lines.on('close', () => {
      // The terminal outlives the console (a test's, or a host's that runs it again): let go of it.
      output.off('resize', onResize);
      clearTimeout(resized);
    });
  }
  const prompt = (): void => {
    if (interactive && !reader.gone) lines.prompt();
  };

  const handle = async (line: string): Promise<Reply | null> => {
    const text = line.trim();
    if (text.length === 0) return null;
    const ask = slash.get('ask');
    if (!text.startsWith('/') && ask) return runCommand(ask, new Map([['question', text]]), context);
    const [, name = '', rest = ''] = /^\/(\S*)\s*([\s\S]*)$/u.exec(text) ?? [];
    if (/^\d+$/u.test(name)) {
      const button = buttons?.[Number(name) - 1];
      if (!button) throw new UserError('bad-option', `There is no button ${name} on the last reply.`);
      if (button.disabled === true) throw new UserError('bad-option', `"${button.label}" is not available on the last reply.`);
      return pressButton(commands, button.customId, context, { ephemeral: true });
    }
    const command = slash.get(name.toLowerCase());
    if (!command)
      throw new UserError('unknown-command', `There is no /${name}. Commands: ${[...slash.keys()].map((n) => `/${n}`).join(', ')}.`);
    return runCommand(command, parseConsoleOptions(command, rest), withProgress);
  };

  prompt();
  for await (const line of lines) {
    if (reader.gone) break;
    busy = true;
    if (interactive) {
      const echo: ShownItem = { kind: 'echo', text: `${PROMPT}${line}`, columns: null };
      // An empty line adds its prompt below the last answer; anything else starts a new one.
      if (line.trim().length > 0 || shown === null) shown = [echo];
      else shown.push(echo);
    }
    await remember(line);
    try {
      const reply = await handle(line);
      if (reply) {
        buttons = reply.buttons ?? [];
        print(renderReplyText(reply, style));
        if (reply.kind === 'figures' && reply.chart !== undefined) print(await saveChart(reply.chart, context.config.dataDir));
        if (buttons.length > 0)
          print(buttons.map((b, i) => `[/${i + 1}] ${b.label}${b.disabled === true ? ' (unavailable)' : ''}`).join('  '));
        print('');
      }
    } catch (error) {
      if (error instanceof UserError) print(`Error: ${sanitiseForTerminal(error.message)}\n`);
      else print(`${reportFailure(error, { logger, what: 'console command failed', fields: { line } })}\n`);
    }
    busy = false;
    prompt();
  }
}

/** A stream that may be a terminal (process.stdin and process.stdout are). */
interface MaybeTerminal {
  readonly isTTY?: boolean;
}

export interface LocalConsoleOptions {
  readonly input: NodeJS.ReadableStream & MaybeTerminal;
  readonly output: NodeJS.WritableStream & MaybeTerminal;
  /** Where "Ready in N s." goes, apart from the answers (stderr). */
  readonly errors: NodeJS.WritableStream;
  /** The console's context; its config gives NO_COLOR and the data folder for the history. */
  readonly context: CommandContext;
  /** How long the start took, as it is said: `2.4`. */
  /** How long the start took, for people: `2.4 s`. */
  readonly readyIn: string;
}

/**
 * The console as `npm start` runs it without a token: the banner, then on a terminal how long the
 * start took (piped output stays exactly the answers) and the REPL, in colour only on a terminal
 * and without NO_COLOR.
 */
export async function runLocalConsole(options: LocalConsoleOptions): Promise<void> {
  const { input, output, context } = options;
  const interactive = input.isTTY === true;
  output.write(`${CONSOLE_BANNER}\n`);
  if (interactive) options.errors.write(`Ready in ${options.readyIn}.\n`);
  await runConsole({
    input,
    output,
    commands: context.commands,
    context,
    logger: context.logger,
    interactive,
    style: { color: output.isTTY === true && !context.config.noColor },
    historyFile: path.join(context.config.dataDir, CONSOLE_HISTORY_FILE),
  });
}
