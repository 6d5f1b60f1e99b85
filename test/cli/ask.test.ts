import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PassThrough, Readable, Writable } from 'node:stream';
import { parseCliArgs } from '../../src/cli/args.ts';
import { EventEmitter } from 'node:events';
import { MAX_CLI_QUESTION_LENGTH, main, onCliCrash } from '../../src/cli/ask.ts';
import { Archive } from '../../src/core/archive.ts';
import { loadArticles } from '../../src/core/corpus.ts';
import { answerWithDates } from '../../src/core/date-preference.ts';
import { REPO_ROOT, tsNode } from '../support/harness.ts';

const run = promisify(execFile);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, with its streams captured. */
async function ask(args: string[], input = '', terminalColumns: number | null = null): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const sink = (write: (chunk: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        write(chunk.toString('utf8'));
        done();
      },
    });
  const code = await main(args, {
    stdin: Readable.from([input]),
    stdout:
      terminalColumns === null
        ? sink((c) => (stdout += c))
        : Object.assign(
            sink((c) => (stdout += c)),
            { isTTY: true, columns: terminalColumns },
          ),
    stderr: sink((c) => (stderr += c)),
  });
  return { code, stdout, stderr };
}

/** What the core answers in bold to the Syrian question over the seed articles, as the CLI asks it. */
async function syriaAnswer(): Promise<string | null> {
  const archive = await Archive.build((await loadArticles(path.join(REPO_ROOT, 'seeds'))).articles);
  return answerWithDates(archive, 'What death toll has the Syrian war reached?', new Date()).answer;
}

describe('ask CLI', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-cli-'));
    await writeFile(path.join(dir, 'good.txt'), 'Rovers sign striker\n\nRovers signed a striker for £3m on Friday.\n');
    await writeFile(path.join(dir, 'bad.txt'), 'date 2024-99-01 Broken.');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints exactly one JSON object per question with --json, and nothing else on stdout', async () => {
    const result = await ask(['--json', 'What death toll has the Syrian war reached?', 'What is the official language of Peru?']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(first ?? {})).toEqual(['question', 'answered', 'answer', 'passages', 'figures', 'citations', 'closest', 'reason']);
    // The bold answer is the direct-answer gate's call (src/core/answer-confidence.ts), near its
    // threshold for this question and moving with each refit: the CLI prints what the core answers.
    expect(first).toMatchObject({
      question: 'What death toll has the Syrian war reached?',
      answered: true,
      answer: await syriaAnswer(),
    });
    const passage = (first?.passages as Record<string, unknown>[])[0];
    expect(Object.keys(passage ?? {})).toEqual(['rank', 'articleId', 'title', 'date', 'paragraph', 'text', 'score', 'citation']);
    expect(passage).toMatchObject({ rank: 1, articleId: '000_ebfcda1f30342ff9', date: '2023-11-06', paragraph: 7 });
    const figure = (first?.figures as Record<string, unknown>[])[0];
    expect(figure).toMatchObject({
      text: 'half a million people',
      value: 500000,
      unit: 'people',
      kind: 'count',
      articleId: '000_ebfcda1f30342ff9',
      paragraph: 7,
    });
    expect(second).toMatchObject({ answered: false, answer: null, passages: [] });
  });

  it('reads questions from stdin, one per line, when given none', async () => {
    const result = await ask(
      ['--json', '--top', '1'],
      'What death toll has the Syrian war reached?\n\nWhen was Assad at the Arab League summit?\n',
    );
    const answers = result.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { answer: string; passages: unknown[] });
    // The blank line between them gets its own (unanswered) line, so outputs line up with inputs.
    expect(answers.map((a) => a.answer)).toEqual([await syriaAnswer(), null, 'in May']);
    expect(answers.map((a) => a.passages.length)).toEqual([1, 0, 1]);
  });

  it('prints a readable answer without --json', async () => {
    const result = await ask(['When was Assad at the Arab League summit?']);
    expect(result.stdout).toContain('A: in May [1]');
    // The article is of 6 Nov 2023: its "in May" is May 2023, shown beside the words as written.
    expect(result.stdout).toContain('Assad participated in the Arab League summit in May, marking Syria’s return to the Arab fold.');
    expect(result.stdout).toContain('without a political resolution to the conflict. [1] (May: May 2023)');
    expect(result.stdout).toContain('Figures\n  • in May (May 2023) (date) [1]');
    expect(result.stdout).toContain(
      'Sources\n  [1] Syrian President Bashar Assad has accused Turkey of being responsible for the recent surge in… — 6 Nov 2023',
    );
  });

  it('on a terminal, wraps the answer to its width with hanging indents', async () => {
    const result = await ask(['When was Assad at the Arab League summit?'], '', 60);
    expect(result.stdout).toContain(
      [
        'Sources',
        '  [1] Syrian President Bashar Assad has accused Turkey of',
        '      being responsible for the recent surge in… — 6 Nov',
        '      2023 — 000_ebfcda1f30342ff9',
      ].join('\n'),
    );
    for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('on a terminal, shows a progress line on stderr while indexing, and erases it', async () => {
    const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    let written = '';
    stderr.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const stdout = new PassThrough();
    stdout.resume();
    expect(await main(['--seeds', dir, 'Who did Rovers sign?'], { stdin: Readable.from(['']), stdout, stderr })).toBe(0);
    expect(stripVTControlCharacters(written)).toContain('Reading articles: 1 of 2 files · ');
    expect(stripVTControlCharacters(written)).toContain('Indexing: 1 of 1 article · 1 passage · 1 figure · ');
    // Erased: the last thing drawn before the problem lines is an erase of the line.
    // eslint-disable-next-line no-control-regex -- the erase-line code is what is looked for
    expect(written).toMatch(/\u001b\[2K(?:ask: skipped [^\n]*\n)+$/u);
  });

  it('answers from --seeds and reports load problems on stderr', async () => {
    const result = await ask(['--json', '--seeds', dir, 'How much did Rovers pay for the striker?']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout) as unknown).toMatchObject({ answered: true, answer: '£3m' });
    expect(result.stderr).toBe('ask: skipped bad.txt: malformed date "2024-99-01": is not a calendar date\n');
  });

  it('prints one line per input line, blank lines included, each with a reason when unanswered', async () => {
    const result = await ask(['--json', '--top', '1'], 'What death toll has the Syrian war reached?\n\n   \nWhat?\n');
    const answers = result.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { question: string; answered: boolean; reason: string | null });
    expect(answers.map((a) => [a.question, a.answered])).toEqual([
      ['What death toll has the Syrian war reached?', true],
      ['', false],
      ['', false],
      ['What?', false],
    ]);
    expect(answers[1]?.reason).toBe('The question is empty: type a few words to look for.');
  });

  it('answers an empty question given as an argument, instead of printing nothing', async () => {
    const result = await ask(['--json', '--', '']);
    expect(JSON.parse(result.stdout) as unknown).toMatchObject({
      question: '',
      answered: false,
      reason: 'The question is empty: type a few words to look for.',
    });
  });

  it('says clearly when a question is past the CLI cap, and answers the next line', async () => {
    const result = await ask(['--json'], `${'x'.repeat(MAX_CLI_QUESTION_LENGTH + 1)}\nWhat death toll has the Syrian war reached?\n`);
    const [huge, next] = result.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { answered: boolean; reason: string | null });
    expect(huge).toMatchObject({
      answered: false,
      reason: 'The question is 100,001 characters long; the limit is 100,000. Shorten it and try again.',
    });
    expect(next?.answered).toBe(true);
  });

  it('answers hostile questions within the caps: a 1 MB word, a million characters of words', async () => {
    const result = await ask(['--json'], `${'x'.repeat(99_000)}\n${'goverment ecomony '.repeat(5_000)}\n`);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(2);
  });

  it('strips escape codes from problem lines', async () => {
    await writeFile(path.join(dir, '\u001b]0;PWNED\u0007\u001b[2J.txt'), '');
    try {
      const result = await ask(['--json', '--seeds', dir, 'striker']);
      expect(result.stderr).toContain('ask: skipped ]0;PWNED[2J.txt: the file is empty\n');
      expect(result.stderr).not.toContain('\u001b');
    } finally {
      await rm(path.join(dir, '\u001b]0;PWNED\u0007\u001b[2J.txt'));
    }
  });

  it('exits 2 with a usage line on a usage error', async () => {
    const result = await ask(['--top', 'lots', 'x']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('usage: npm run --silent ask -- [--seeds DIR] [--json] [--top N] [QUESTION ...]');
  });

  it('exits 1 when the seeds folder cannot be read', async () => {
    const result = await ask(['--seeds', path.join(dir, 'missing'), 'x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`ask: the folder ${path.join(dir, 'missing')} does not exist\n`);
  });
});

describe('ask CLI, run as a process', () => {
  it('answers as its own process (src/cli/ask.ts, as npm run ask starts it): stdout JSON, status 0', async () => {
    const [node, args] = tsNode('src/cli/ask.ts');
    const { stdout } = await run(node, [...args, '--json', '--top', '1', 'When was Assad at the Arab League summit?'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(JSON.parse(stdout) as unknown).toMatchObject({ answered: true, answer: 'in May' });
  });
});

describe('parseCliArgs', () => {
  it('takes defaults and positional questions', () => {
    expect(parseCliArgs(['How?', ' Why? '])).toEqual({ seeds: 'seeds', json: false, top: 3, questions: ['How?', 'Why?'] });
  });

  it('refuses unknown flags and a bad --top', () => {
    expect(parseCliArgs(['--nope'])).toHaveProperty('error');
    expect(parseCliArgs(['--top', '0'])).toEqual({ error: '--top must be a whole number from 1 to 50, not "0"' });
  });
});

describe('ask CLI crash handling', () => {
  const TOKEN_SHAPED = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.abcdefghijklmnopqrstuvwxyz0123';
  const fakeProcess = (): EventEmitter & { codes: number[]; exit: (code: number) => void } =>
    Object.assign(new EventEmitter(), {
      codes: [] as number[],
      exit(this: { codes: number[] }, code: number) {
        this.codes.push(code);
      },
    });

  it('logs an error nothing caught at fatal level, redacted, says so in one line with its id, and exits 1', async () => {
    for (const event of ['uncaughtException', 'unhandledRejection', 'main threw'] as const) {
      const stderr = new PassThrough();
      const chunks: string[] = [];
      stderr.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
      const proc = fakeProcess();
      const crash = onCliCrash(stderr, proc);
      const error = new Error(`failed with ${TOKEN_SHAPED}`);
      if (event === 'main threw') crash(error);
      else proc.emit(event, error);
      await vi.waitFor(() => {
        expect(proc.codes).toEqual([1]);
      });
      const [logLine = '', said = '', ...rest] = chunks.join('').split('\n');
      expect(rest).toEqual(['']);
      const logged = JSON.parse(logLine) as Record<string, unknown>;
      expect(logged).toMatchObject({
        level: 60,
        msg: event === 'unhandledRejection' ? 'unhandled promise rejection; exiting' : 'uncaught exception; exiting',
      });
      expect(said).toBe(`ask: Sorry, something went wrong (error ${String(logged.errorId)}), and it stopped.`);
      expect(logged.errorId).toMatch(/^[0-9a-f]{8}$/u);
      expect(logLine).not.toContain(TOKEN_SHAPED);
    }
  });
});
