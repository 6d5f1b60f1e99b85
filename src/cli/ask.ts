/**
 * One-shot question answering from the command line (a stable contract: tools outside the project use it).
 *
 *   npm run --silent ask -- [--seeds DIR] [--json] [--top N] [QUESTION ...]
 *
 * With no QUESTION it answers each line of stdin in turn, building the index once: one answer per
 * line, blank lines included, so outputs line up with inputs.
 * Exit status: 0 on success, 2 on a usage error, 1 when the seeds folder cannot be read or on an
 * unexpected error (logged, redacted, with an error id that a short line on stderr quotes).
 */
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { unanswered } from '../core/answer.ts';
import { answerWithDates } from '../core/date-preference.ts';
import { Archive } from '../core/archive.ts';
import { CorpusError, loadArticles } from '../core/corpus.ts';
import type { Answer } from '../core/types.ts';
import { answerToJson } from '../render/answer-json.ts';
import { renderAnswerText, sanitiseForTerminal } from '../render/terminal.ts';
import { ProgressLine } from '../render/progress.ts';
import { terminalColumns, wrapForTerminal } from '../render/terminal-wrap.ts';
import { onUncaught, type CrashableProcess } from '../uncaught.ts';
import { parseCliArgs, USAGE } from './args.ts';

/**
 * Longest question the CLI answers. The core bounds its own work on any input; past this the CLI
 * says so instead, since no real question is this long and the line was likely pasted by mistake.
 */
export const MAX_CLI_QUESTION_LENGTH = 100_000;

export interface CliStreams {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

function answerLine(archive: Archive, raw: string, top: number): Answer {
  const question = raw.trim();
  if (question.length === 0) return unanswered('', 'The question is empty: type a few words to look for.');
  if (question.length > MAX_CLI_QUESTION_LENGTH) {
    const length = question.length.toLocaleString('en-US');
    return unanswered(
      `${question.slice(0, 100)}…`,
      `The question is ${length} characters long; the limit is ${MAX_CLI_QUESTION_LENGTH.toLocaleString('en-US')}. Shorten it and try again.`,
    );
  }
  // The CLI is an edge: it reads the clock for "latest", "this year" and "last week".
  return answerWithDates(archive, question, new Date(), { top });
}

async function* lines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  yield* createInterface({ input, crlfDelay: Infinity });
}

/**
 * Runs the CLI with `argv` (the arguments after the script) and the given streams; resolves with
 * the exit status. Everything it reads and writes goes through `streams`, so tests run it in-process.
 *
 * @example process.exitCode = await main(process.argv.slice(2), process);
 */
export async function main(argv: readonly string[], streams: CliStreams): Promise<number> {
  const { stdout, stderr } = streams;
  const options = parseCliArgs(argv);
  if ('error' in options) {
    if (options.error === 'help') {
      stdout.write(`${USAGE}\n`);
      return 0;
    }
    stderr.write(`ask: ${sanitiseForTerminal(options.error)}\n${USAGE}\n`);
    return 2;
  }
  // On a terminal, a progress line on stderr while the folder is read and indexed, erased after.
  const progress = terminalColumns(stderr) === null ? null : new ProgressLine(stderr);
  const onProgress = progress === null ? {} : { onProgress: progress.update };
  let loaded;
  try {
    loaded = await loadArticles(options.seeds, onProgress);
  } catch (error) {
    if (!(error instanceof CorpusError)) throw error;
    progress?.clear();
    stderr.write(`ask: ${sanitiseForTerminal(error.message)}\n`);
    return 1;
  }
  const archive = await Archive.build(loaded.articles, onProgress);
  progress?.clear();
  for (const problem of [...loaded.problems, ...archive.problems])
    stderr.write(`ask: skipped ${sanitiseForTerminal(problem.file)}: ${sanitiseForTerminal(problem.reason)}\n`);
  const questions: AsyncIterable<string> | Iterable<string> = options.questions.length > 0 ? options.questions : lines(streams.stdin);
  let first = true;
  for await (const question of questions) {
    const answer = answerLine(archive, question, options.top);
    if (options.json) stdout.write(`${JSON.stringify(answerToJson(answer))}\n`);
    else {
      // On a terminal, wrapped to its width with hanging indents; piped, one line per paragraph.
      const columns = terminalColumns(stdout);
      const text = renderAnswerText(answer);
      stdout.write(`${first ? '' : '\n'}${columns === null ? text : wrapForTerminal(text, columns)}\n`);
      first = false;
    }
  }
  return 0;
}

/**
 * What the CLI does with an error nothing caught, the bot's one failure path (`crashAndExit` in
 * src/errors.ts, loaded only then: it brings discord.js, which the CLI never needs otherwise): a
 * fatal log line on stderr (JSON, secrets redacted, with an error id), one short line for the
 * person that quotes the id, and exit status 1. Returns the handler for an error `main` throws.
 */
export function onCliCrash(stderr: NodeJS.WritableStream, proc: CrashableProcess = process): (error: unknown) => void {
  const crash = (error: unknown, what: string): void => {
    void Promise.all([import('../errors.ts'), import('../logger.ts')]).then(
      ([{ crashAndExit }, { createLogger }]) => {
        crashAndExit(error, what, createLogger('fatal', { destination: stderr }), proc, (message) => {
          stderr.write(`ask: ${message}\n`);
        });
      },
      () => {
        stderr.write('ask: something went wrong, and it stopped.\n');
        proc.exit(1);
      },
    );
  };
  return onUncaught(proc, crash);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const crash = onCliCrash(process.stderr);
  // A reader that stops early (`| head`) closes the pipe: that ends the run, quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  try {
    process.exitCode = await main(process.argv.slice(2), process);
  } catch (error) {
    crash(error);
  }
}
