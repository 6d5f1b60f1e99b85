/**
 * Abuse benchmark: reruns the attacks of issue 9 and prints what held.
 *
 *   npm run bench:abuse -- [CORPUS_DIR] [--runs N] [--questions MAX] [--skip-discord] [--sections 1,2,3,4,5]
 *
 * 1. Fuzz: fast-check over the loader (any bytes, any Unicode text), the passage splitter and the
 *    figure extractor. Invariants: nothing throws; every passage and figure is an exact slice of
 *    its text. Then adversarial inputs at 256 KiB and 1 MiB: time ratio ~4 means linear.
 * 2. Hostile files in one articles folder: how the loader handled each.
 * 3. Hostile questions through the answering core (no front-end length check): the slowest.
 * 4. /ask during a full /reindex of the corpus (BBC by default) with hostile files in it, through
 *    the real bot over the loopback fake Discord: answered, errors, lost interactions, p50/p99.
 * 5. Gateway faults: the gateway-faults end-to-end scenarios, run and counted.
 * Sections 3 and 4 use the corpus folder; when it is absent they say so and use seeds/.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { answerQuestion } from '../src/core/answer.ts';
import { articleFromBytes, loadArticles } from '../src/core/corpus.ts';
import { extractFigures } from '../src/core/figures/index.ts';
import { Library } from '../src/core/library.ts';
import { buildPassages } from '../src/core/passages.ts';
import type { Article } from '../src/core/types.ts';
import { quantile } from '../src/eval/metrics.ts';
import { FakeDiscord, routes, type RecordedRequest } from '../test/support/fake-discord/index.ts';
import { BotProcess, fakeBotToken, freePort, LOG_LEVEL, newUser, REPO_ROOT } from '../test/support/harness.ts';
import { DEFAULT_CORPUS, exists } from './corpus.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '1000' },
    questions: { type: 'string', default: '2000' },
    'skip-discord': { type: 'boolean', default: false },
    sections: { type: 'string', default: '1,2,3,4,5' },
  },
});
const RUNS = Math.max(1, Number(values.runs));
const corpusGiven = path.resolve(positionals[0] ?? DEFAULT_CORPUS);
const corpus = (await exists(corpusGiven)) ? corpusGiven : null;
const results: Record<string, unknown> = { at: new Date().toISOString(), corpus };
const sections = new Set(values.sections.split(',').map((n) => n.trim()));

const ms = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);
const cut = (s: string, n = 60): string => {
  const clean = s.replace(/\p{Cc}/gu, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return clean.length > n ? `${clean.slice(0, n - 1)}…` : clean;
};
function table(head: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log();
}
function timed<T>(run: () => T): [T, number] {
  const started = performance.now();
  const value = run();
  return [value, performance.now() - started];
}

// ---------------------------------------------------------------------------------------------
// 1. Fuzz
// ---------------------------------------------------------------------------------------------

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc
    .array(
      fc.constantFrom('1', '0', ',', '.', '$', '£', '%', 'bn', 'm', ' million ', ' 2023', '-', '\n\n', '*', '>', '[', ']', '#', 'a', ' '),
      {
        maxLength: 200,
      },
    )
    .map((parts) => parts.join('')),
);

function passagesAreSlices(article: Article): boolean {
  return buildPassages(article).every((p) => {
    const paragraph = p.paragraph === 0 ? article.title : article.paragraphs[p.paragraph - 1];
    return paragraph?.slice(p.start, p.end) === p.text;
  });
}

const fuzzTargets: { name: string; property: fc.IProperty<[never]> | fc.IProperty<[string]> | fc.IProperty<[Uint8Array]> }[] = [
  {
    name: 'loader: any bytes',
    property: fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
      const outcome = articleFromBytes('fuzz.txt', bytes);
      return 'reason' in outcome ? outcome.reason.length > 0 : passagesAreSlices(outcome);
    }),
  },
  ...(['fuzz.txt', 'fuzz.md'] as const).map((file) => ({
    name: `loader + splitter: any Unicode (${path.extname(file)})`,
    property: fc.property(anyText, (text) => {
      const outcome = articleFromBytes(file, new TextEncoder().encode(text));
      return 'reason' in outcome ? outcome.reason.length > 0 : passagesAreSlices(outcome);
    }),
  })),
  {
    name: 'figure extractor: any Unicode',
    property: fc.property(anyText, (text) => extractFigures(text).every((f) => text.slice(f.start, f.end) === f.text)),
  },
];

if (sections.has('1')) console.log(`## 1. Fuzz (fast-check, ${RUNS} cases per target)\n`);
const fuzzRows: string[][] = [];
for (const target of sections.has('1') ? fuzzTargets : []) {
  const [outcome, took] = timed(() => fc.check(target.property as fc.IProperty<[string]>, { numRuns: RUNS }));
  const verdict = outcome.failed ? `FAILED: ${cut(String(outcome.counterexample?.[0] ?? outcome.errorInstance), 50)}` : 'held';
  if (outcome.failed) process.exitCode = 1;
  fuzzRows.push([target.name, String(outcome.numRuns), verdict, ms(took)]);
}
if (sections.has('1')) table(['target', 'cases', 'no throw, exact slices', 'time'], fuzzRows);
results.fuzz = fuzzRows;

const KIB = 1024;
const adversarial: { name: string; make: (bytes: number) => string }[] = [
  { name: '`*a` repeated', make: (n) => '*a'.repeat(n / 2) },
  { name: '`[` × n then `]` × n', make: (n) => '['.repeat(n / 2) + ']'.repeat(n / 2) },
  { name: '`>` repeated', make: (n) => '>'.repeat(n) },
  { name: 'one word', make: (n) => 'x'.repeat(n) },
  { name: 'digits and commas', make: (n) => '1,000,'.repeat(n / 6) },
  { name: 'money figures', make: (n) => '$1.5bn and 20% of £3m in 2023. '.repeat(n / 31) },
  { name: 'no sentence end', make: (n) => 'word '.repeat(n / 5) },
];
const linearRows: string[][] = [];
for (const shape of sections.has('1') ? adversarial : []) {
  for (const [step, run] of [
    ['loader (.md)', (t: string) => articleFromBytes('a.md', new TextEncoder().encode(t), Number.POSITIVE_INFINITY)],
    ['figures', (t: string) => extractFigures(t)],
  ] as const) {
    const small = shape.make(256 * KIB);
    const large = shape.make(1024 * KIB);
    run(small.slice(0, 4 * KIB));
    // Medians of three: the machine may be shared.
    const median = (input: string): number => [0, 1, 2].map(() => timed(() => run(input))[1]).sort((a, b) => a - b)[1] ?? 0;
    const t1 = median(small);
    const t2 = median(large);
    linearRows.push([shape.name, step, ms(t1), ms(t2), (t2 / Math.max(t1, 0.01)).toFixed(1)]);
  }
}
if (sections.has('1'))
  console.log('Adversarial input, 256 KiB then 1 MiB, median of 3 (a ratio near 4 is linear; 16 would be quadratic):\n');
if (sections.has('1')) table(['input', 'step', '256 KiB', '1 MiB', 'ratio'], linearRows);
results.linear = linearRows;

// ---------------------------------------------------------------------------------------------
// 2. Hostile files
// ---------------------------------------------------------------------------------------------

/** Writes the hostile files into `dir` (the sample article is added by the caller when wanted). */
async function writeHostileFiles(dir: string): Promise<string[]> {
  const put = async (name: string, data: string | Uint8Array): Promise<void> => {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), data);
  };
  const tried: string[] = [];
  const note = (name: string): string => (tried.push(name), name);
  await symlink('/etc/passwd', path.join(dir, note('passwd.txt')));
  await put('.secret/.env', 'DISCORD_TOKEN=not-a-real-token\n');
  await symlink(path.join(dir, '.secret/.env'), path.join(dir, note('notes.txt')));
  await symlink('/proc/self', path.join(dir, note('proc')));
  await put(note('.env'), 'DISCORD_TOKEN=not-a-real-token\n');
  await put(note('deep/.env.production'), 'DISCORD_TOKEN=not-a-real-token\n');
  const fifo = spawnSync('mkfifo', [path.join(dir, 'pipe.txt')]);
  if (fifo.status === 0) note('pipe.txt');
  await put(note('quotes.md'), '>'.repeat(4_500));
  await put(note('emphasis.md'), '*a'.repeat(32 * KIB));
  await put(note('brackets.md'), `${'['.repeat(64_000)}${']'.repeat(64_000)}`);
  await put(note('list-nesting.md'), '- '.repeat(4_500));
  await put(note('date-feb-30.md'), '---\ndate: 2023-02-30\n---\nA story.\n');
  await put(note('date-13-45.md'), '---\ndate: 2023-13-45\n---\nA story.\n');
  await put(note('date-zero.md'), '---\ndate: 0000-00-00\n---\nA story.\n');
  await put(note('date-offset.md'), '---\ndate: 2023-12-31T23:30-05:00\n---\nA story from New York.\n');
  const utf16 = Buffer.from('\ufeffdate 2023-11-06 A story written in UTF-16 with a byte order mark.', 'utf16le');
  await put(note('utf16le-bom.txt'), utf16);
  await put(note('oversized.txt'), 'A sentence that repeats. '.repeat(Math.ceil((1.5 * 1024 * KIB) / 25)));
  await put(
    note('binary.txt'),
    Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256),
  );
  await put(
    note('yaml-bomb.md'),
    '---\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n---\nBody.\n',
  );
  await put(note('js-tag.md'), '---\ntitle: !!js/function "function () { return 1 }"\n---\nBody.\n');
  await put(note('\u001b]0;PWNED\u0007\u001b[2Jescape.txt'), 'A story with a terminal escape in its file name.\n');
  await put(note('empty.txt'), '');
  return tried;
}

if (sections.has('2')) console.log('## 2. Hostile files\n');
const hostileDir = await mkdtemp(path.join(tmpdir(), 'factdesk-abuse-'));
try {
  const tried = sections.has('2') ? await writeHostileFiles(hostileDir) : [];
  const [load, took] = await (async () => {
    const started = performance.now();
    const result = await loadArticles(hostileDir);
    return [result, performance.now() - started] as const;
  })();
  const rows = tried.map((name): string[] => {
    const problem = load.problems.find((p) => p.file === name || p.file.startsWith(`${name}/`));
    const article = load.articles.find((a) => a.file === name);
    if (problem) return [cut(name, 34), 'refused', cut(problem.reason, 90)];
    if (article) return [cut(name, 34), 'loaded', cut(`"${article.title}"${article.date === null ? '' : `, dated ${article.date}`}`, 90)];
    return [cut(name, 34), 'not listed', 'not listed, so never read (.env files and links to folders are left out)'];
  });
  if (sections.has('2')) table(['file', 'outcome', 'how'], rows);
  if (sections.has('2'))
    console.log(
      `${tried.length} hostile files: ${load.articles.length} loaded, ${load.problems.length} problem lines, whole load ${ms(took)}; ` +
        `no token text in any article: ${load.articles.every((a) => !a.paragraphs.join('\n').includes('not-a-real-token')) ? 'yes' : 'NO'}\n`,
    );
  results.hostileFiles = { rows, loadMs: took };
} finally {
  await rm(hostileDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// 3. Hostile questions
// ---------------------------------------------------------------------------------------------

const questionCorpus = corpus ?? path.join(REPO_ROOT, 'seeds');
if (sections.has('3'))
  console.log(`## 3. Hostile questions (answering core, over ${corpus === null ? 'seeds/ (corpus absent)' : questionCorpus})\n`);
const library = await Library.open({ seedsDir: sections.has('3') ? questionCorpus : path.join(REPO_ROOT, 'seeds'), now: () => new Date() });
const words = ['goverment', 'ecomony', 'presidnet', 'electoin', 'minster', 'unemploymnet', 'bussiness', 'footbal'];
const hostileQuestions: [string, string][] = [
  ['a normal question', 'What death toll has the Syrian war reached?'],
  ['1 MB of x', 'x'.repeat(1024 * KIB)],
  ['one 60,000-letter word', 'a'.repeat(60_000)],
  [
    '1 MB of misspelt words',
    Array.from({ length: 120_000 }, (_, i) => words[i % words.length])
      .join(' ')
      .slice(0, 1024 * KIB),
  ],
  ['10,000 numbers', Array.from({ length: 10_000 }, (_, i) => String(i * 37)).join(' ')],
  ['emoji only', '🔥💥🧨'.repeat(5_000)],
  ['control and bidi characters', '\u202e\u0000\u001b[2J\u200b?'.repeat(2_000)],
  ['regex-shaped', '(a+)+$'.repeat(5_000)],
  ['mentions and Markdown', '@everyone <@&123> **__~~`'.repeat(2_000)],
  ['only punctuation', '?'.repeat(100_000)],
  ['empty', ''],
];
library.warmUp();
const questionRows: string[][] = [];
let slowest = { name: '', ms: 0 };
for (const [name, question] of sections.has('3') ? hostileQuestions : []) {
  let outcome = '';
  const [, took] = timed(() => {
    try {
      const answer = answerQuestion(library.archive, question);
      outcome = answer.answered ? 'answered' : 'declined';
    } catch (error) {
      outcome = `THREW ${error instanceof Error ? error.message : String(error)}`;
      process.exitCode = 1;
    }
  });
  if (name !== 'a normal question' && took > slowest.ms) slowest = { name, ms: took };
  questionRows.push([name, `${question.length.toLocaleString('en-GB')} chars`, outcome, ms(took)]);
}
if (sections.has('3')) table(['question', 'length', 'outcome', 'time'], questionRows);
if (sections.has('3'))
  console.log(
    `Slowest hostile question: ${slowest.name}, ${ms(slowest.ms)}. (Discord, the console and the CLI refuse questions over 500 characters before this.)\n`,
  );
results.hostileQuestions = { rows: questionRows, slowest };

// ---------------------------------------------------------------------------------------------
// 4. Questions during a reindex, through the bot over the fake Discord
// ---------------------------------------------------------------------------------------------

console.log('## 4. /ask during a full /reindex with hostile files in the folder (real bot, loopback fake Discord)\n');
if (values['skip-discord'] || !sections.has('4')) {
  console.log('Skipped (--skip-discord).\n');
} else if (corpus === null) {
  console.log(`Skipped: the corpus folder ${corpusGiven} is absent (pass its path).\n`);
} else {
  const seeds = await mkdtemp(path.join(tmpdir(), 'factdesk-abuse-seeds-'));
  const token = fakeBotToken();
  const fake = new FakeDiscord({ token });
  let bot: BotProcess | null = null;
  try {
    await cp(corpus, seeds, { recursive: true });
    await mkdir(path.join(seeds, 'hostile'));
    await writeFile(path.join(seeds, 'hostile/emphasis.md'), '*a'.repeat(32 * KIB));
    await writeFile(path.join(seeds, 'hostile/brackets.md'), `${'['.repeat(64_000)}${']'.repeat(64_000)}`);
    await writeFile(path.join(seeds, 'hostile/quotes.md'), '>'.repeat(4_500));
    await fake.start();
    // The bot's own /metrics says how long its event loop stalled (prom-client's event-loop delay
    // and GC pauses), which tells a blocked bot from a starved machine.
    const port = await freePort();
    bot = await BotProcess.start({
      fake,
      token,
      seedsDir: seeds,
      env: { COOLDOWN_SECONDS: '0', LOG_LEVEL: 'info', HEALTH_PORT: String(port), DATA_DIR: `${seeds}.data` },
      readyTimeoutMs: 180_000,
    });
    const metrics = async (): Promise<string> => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    await metrics(); // prom-client resets the event-loop delay at each scrape: from here on is the reindex's
    const questionsWanted = Math.max(1, Number(values.questions));
    const asks = ['What death toll has the Syrian war reached?', 'What did the chancellor say about the economy?', 'Who won the match?'];
    // The first reindex starts the reindex worker, which then stays for the next ones.
    const runs: Record<string, string>[] = [];
    for (const label of ['first full /reindex (the reindex worker starts)', 'second full /reindex (the worker is already running)']) {
      const reindex = fake.slashCommand({ name: 'reindex', options: { full: true }, as: 'admin' });
      const finished = fake.waitForRequest(
        (req: RecordedRequest) => req.path.includes(reindex.token) && JSON.stringify(req.body ?? '').includes('now in the index'),
        { timeoutMs: 600_000 },
      );
      const reindexing = { done: false };
      const markDone = (): void => {
        reindexing.done = true;
      };
      void finished.then(markDone, markDone);
      const latencies: number[] = [];
      /** Each answered question: when it was sent (ms from the reindex command) and how long it took. */
      const timeline: { readonly sentAt: number; readonly ms: number }[] = [];
      let lost = 0;
      let errors = 0;
      let sent = 0;
      const pending: Promise<void>[] = [];
      const errorLogsBefore = bot.logs.filter((l) => l.level >= LOG_LEVEL.error).length;
      const started = performance.now();
      while (sent < questionsWanted && (!reindexing.done || sent < 20)) {
        const question = asks[sent % asks.length] ?? '';
        const at = performance.now();
        const interaction = fake.slashCommand({ name: 'ask', options: { question }, user: newUser(`Abuse${label.length}-${sent}`) });
        sent += 1;
        pending.push(
          fake.waitForRequest(routes.callback(interaction), { timeoutMs: 30_000 }).then(
            (req) => {
              latencies.push(performance.now() - at);
              timeline.push({ sentAt: at - started, ms: performance.now() - at });
              if (req.response.status === 404) lost += 1;
              else if (req.response.status >= 400) errors += 1;
            },
            () => {
              lost += 1;
            },
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const duringMs = performance.now() - started;
      await Promise.all(pending);
      const reindexReq = await finished.catch(() => null);
      const finishedAt = reindexReq === null ? null : reindexReq.at - performance.timeOrigin - started;
      const scraped = await metrics();
      const gauge = (name: string): number => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'mu').exec(scraped)?.[1] ?? Number.NaN);
      // prom-client lists a kind of collection only once one has happened: absent is none, 0 ms.
      const gcSum = (kind: string): number =>
        Number(new RegExp(`^nodejs_gc_duration_seconds_sum\\{kind="${kind}"\\} (\\S+)$`, 'mu').exec(scraped)?.[1] ?? 0);
      const slowest = timeline.toSorted((a, b) => b.ms - a.ms).slice(0, 5);
      errors += bot.logs.filter((l) => l.level >= LOG_LEVEL.error).length - errorLogsBefore;
      const reindexText = reindexReq ? JSON.stringify(reindexReq.body) : '';
      const summary = reindexReq
        ? `took ${/Took ((?:\d+(?:\.\d)? (?:ms|s|min|h|days?) ?)+)\./u.exec(reindexText)?.[1] ?? '?'}`
        : 'did not finish';
      const errorMessages = [
        ...new Set(bot.logs.filter((l) => l.level >= LOG_LEVEL.error).map((l) => `${l.msg ?? ''}: ${JSON.stringify(l.error ?? null)}`)),
      ];
      const rows: [string, string][] = [
        ['questions sent (one every 50 ms until the reindex ended)', String(sent)],
        ['answered in time', String(latencies.length - lost)],
        ['lost (10062 or no answer)', String(lost)],
        ['errors (error replies or error logs)', String(errors)],
        ['p50 / p99 / max', `${ms(quantile(latencies, 0.5))} / ${ms(quantile(latencies, 0.99))} / ${ms(Math.max(...latencies))}`],
        ['reindex', `${summary} (questions sent over ${ms(duringMs)})`],
        [
          'slowest 5 (sent at, from the /reindex)',
          slowest.map((t) => `${ms(t.ms)} at ${(t.sentAt / 1000).toFixed(1)} s`).join(', ') +
            (finishedAt === null ? '' : `; reindex outcome at ${(finishedAt / 1000).toFixed(1)} s`),
        ],
        [
          "bot's event loop during the run (prom-client)",
          `delay max ${ms(gauge('nodejs_eventloop_lag_max_seconds') * 1000)}, p99 ${ms(gauge('nodejs_eventloop_lag_p99_seconds') * 1000)}; ` +
            `GC since start: major ${ms(gcSum('major') * 1000)}, minor ${ms(gcSum('minor') * 1000)}, incremental ${ms(gcSum('incremental') * 1000)}`,
        ],
        ['error log lines', errorMessages.length === 0 ? 'none' : cut(errorMessages.join('; '), 100)],
      ];
      console.log(`${label}:\n`);
      table(['during the reindex', 'figure'], rows);
      runs.push({ run: label, ...Object.fromEntries(rows) });
      if (lost > 0 || errors > 0) process.exitCode = 1;
    }
    results.duringReindex = runs;
  } finally {
    await bot?.stop();
    await fake.close();
    await rm(seeds, { recursive: true, force: true });
    await rm(`${seeds}.data`, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// 5. Gateway faults
// ---------------------------------------------------------------------------------------------

if (sections.has('5')) console.log('## 5. Gateway faults (test/e2e/gateway-faults.e2e.test.ts, run now)\n');
const report = path.join(tmpdir(), `factdesk-abuse-gateway-${process.pid}.json`);
await new Promise<void>((resolve) => {
  if (!sections.has('5')) {
    resolve();
    return;
  }
  const child = spawn(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', 'test/e2e/gateway-faults.e2e.test.ts', '--reporter=json', `--outputFile=${report}`],
    {
      cwd: REPO_ROOT,
      stdio: 'ignore',
    },
  );
  child.once('exit', () => {
    resolve();
  });
});
if (sections.has('5'))
  try {
    const { readFile } = await import('node:fs/promises');
    const json = JSON.parse(await readFile(report, 'utf8')) as { testResults: { assertionResults: { title: string; status: string }[] }[] };
    const rows = json.testResults.flatMap((file) =>
      file.assertionResults.map((t) => [cut(t.title, 100), t.status === 'passed' ? 'survived' : t.status]),
    );
    if (sections.has('5')) table(['fault', 'outcome'], rows);
    results.gatewayFaults = rows;
    if (rows.some((r) => r[1] !== 'survived')) process.exitCode = 1;
  } catch (error) {
    if (sections.has('5')) console.log(`could not run the gateway scenarios: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await rm(report, { force: true });
  }

await mkdir(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
await writeFile(path.join(REPO_ROOT, 'bench/results/abuse.json'), `${JSON.stringify(results, null, 2)}\n`);
