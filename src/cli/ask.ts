/**
 * One-shot question answering from the command line (a stable contract: tools outside the project use it).
 *
 *   npm run --silent ask -- [--seeds DIR] [--json] [--top N] [QUESTION ...]
 *
 * With no QUESTION it answers each line of stdin in turn, building the index once.
 * Exit status: 0 on success, 2 on a usage error, 1 when the seeds folder cannot be read.
 */
import { createInterface } from 'node:readline';
import { answerQuestion } from '../core/answer.ts';
import { Archive } from '../core/archive.ts';
import { CorpusError, loadArticles } from '../core/corpus.ts';
import { answerToJson } from '../render/answer-json.ts';
import { renderAnswerText } from '../render/terminal.ts';
import { parseCliArgs, USAGE } from './args.ts';

async function* stdinLines(): AsyncGenerator<string> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const question = line.trim();
    if (question.length > 0) yield question;
  }
}

async function main(): Promise<number> {
  const options = parseCliArgs(process.argv.slice(2));
  if ('error' in options) {
    if (options.error === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    process.stderr.write(`ask: ${options.error}\n${USAGE}\n`);
    return 2;
  }
  let loaded;
  try {
    loaded = await loadArticles(options.seeds);
  } catch (error) {
    if (!(error instanceof CorpusError)) throw error;
    process.stderr.write(`ask: ${error.message}\n`);
    return 1;
  }
  const archive = await Archive.build(loaded.articles);
  for (const problem of [...loaded.problems, ...archive.problems])
    process.stderr.write(`ask: skipped ${problem.file}: ${problem.reason}\n`);
  const questions: AsyncIterable<string> | Iterable<string> = options.questions.length > 0 ? options.questions : stdinLines();
  let first = true;
  for await (const question of questions) {
    const answer = answerQuestion(archive, question, { top: options.top });
    if (options.json) process.stdout.write(`${JSON.stringify(answerToJson(answer))}\n`);
    else {
      process.stdout.write(`${first ? '' : '\n'}${renderAnswerText(answer)}\n`);
      first = false;
    }
  }
  return 0;
}

// A reader that stops early (`| head`) closes the pipe: that ends the run, quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main();
