/**
 * Discord latency benchmark: the real bot (`tsx src/main.ts`, as a child process) over a loopback
 * fake of Discord, indexing a corpus folder (the BBC corpus by default).
 *
 *   npm run bench:discord -- [CORPUS_DIR] [--questions N] [--warmup N]
 *
 * Sends N `/ask` INTERACTION_CREATEs one after another (after a warm-up that is not counted) and
 * measures, for each, the time from the fake sending it to the bot's callback request arriving at
 * the fake: gateway decode, discord.js, the answer, rendering and the REST call. Prints the count,
 * p50, p90, p99 and max, and the bot's start-up and index times. Skips, saying so, when the
 * corpus folder is absent.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { quantile } from '../src/eval/metrics.ts';
import { FakeDiscord, routes } from '../test/support/fake-discord/index.ts';
import { BotProcess, fakeBotToken, newUser } from '../test/support/harness.ts';
import { validateRecordedRequest } from '../test/support/spec.ts';
import { corpusOrSkip } from './corpus.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { questions: { type: 'string', default: '200' }, warmup: { type: 'string', default: '10' } },
});
const corpus = await corpusOrSkip(positionals[0], 'bench:discord');
const count = Math.max(1, Number(values.questions));
const warmup = Math.max(0, Number(values.warmup));

// ---------------------------------------------------------------------------------------------
// Questions: the eval set beside the corpus when there is one, and headlines asked as questions
// ---------------------------------------------------------------------------------------------

async function headlines(root: string): Promise<string[]> {
  const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.txt') && !/^readme/iu.test(path.basename(f))).sort();
  const out: string[] = [];
  for (const file of files) {
    const first = (await readFile(path.join(root, file), 'latin1')).split('\n', 1)[0]?.trim() ?? '';
    if (first.length > 0 && !first.startsWith('date ')) out.push(first);
  }
  return out;
}

async function evalQuestions(root: string): Promise<string[]> {
  const file = path.resolve(root, '../../eval/bbc-dev-questions.jsonl');
  try {
    return (await readFile(file, 'utf8'))
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => (JSON.parse(line) as { question: string }).question);
  } catch {
    return [];
  }
}

const TEMPLATES = [
  (h: string) => `What happened: ${h}?`,
  (h: string) => `Who is behind "${h}"?`,
  (h: string) => `How much or how many: ${h}?`,
];

async function questions(total: number): Promise<string[]> {
  const heads = await headlines(corpus);
  const asked = await evalQuestions(corpus);
  const out: string[] = [];
  // Headlines spread over the whole corpus (every section), with templates in turn.
  const step = Math.max(1, Math.floor(heads.length / total));
  for (let i = 0; out.length < total && heads.length > 0; i += 1) {
    const pick = i % 2 === 1 && asked.length > 0 ? asked[(i >> 1) % asked.length] : undefined;
    const head = heads[(i * step + (i >> 3)) % heads.length] ?? '';
    out.push((pick ?? TEMPLATES[i % TEMPLATES.length]?.(head) ?? head).slice(0, 500));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

const all = await questions(warmup + count);
const token = fakeBotToken();
// No 3 s interaction deadline: a slow answer should show up as a slow answer, not as an error.
const fake = new FakeDiscord({ token, interactionDeadlineMs: null });
await fake.start();
let bot: BotProcess | null = null;
try {
  bot = await BotProcess.start({
    fake,
    token,
    seedsDir: corpus,
    env: { COOLDOWN_SECONDS: '0', LOG_LEVEL: 'info' },
    readyTimeoutMs: 120_000,
  });
  const built = bot.logs.find((l) => l.msg === 'index built');

  const times: number[] = [];
  const slowest: { ms: number; question: string }[] = [];
  const statuses = new Map<string, number>();
  let answered = 0;
  let invalid = 0;
  for (const [index, question] of all.entries()) {
    const user = newUser(`Bench${index % 50}`);
    const started = performance.now();
    const interaction = fake.slashCommand({ name: 'ask', options: { question }, user });
    const req = await fake.waitForRequest(routes.callback(interaction), { timeoutMs: 30_000 });
    const elapsed = performance.now() - started;
    if (index < warmup) continue;
    times.push(elapsed);
    slowest.push({ ms: elapsed, question });
    const key = `${req.response.status}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    const body = req.body as { data?: { embeds?: { description?: string }[] } } | undefined;
    if (body?.data?.embeds?.[0]?.description?.startsWith('The articles don’t answer') === false) answered += 1;
    if (validateRecordedRequest(req).errors.length > 0) invalid += 1;
  }

  const ms = (x: number): string => `${x.toFixed(2)} ms`;
  const figures = {
    corpus,
    articles: typeof built?.articles === 'number' ? built.articles : null,
    passages: typeof built?.passages === 'number' ? built.passages : null,
    indexBuildMs: typeof built?.buildMs === 'number' ? Math.round(built.buildMs) : null,
    startupMs: Math.round(bot.startupMs),
    warmup,
    count: times.length,
    p50: quantile(times, 0.5),
    p90: quantile(times, 0.9),
    p99: quantile(times, 0.99),
    max: Math.max(...times),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    answered,
    responses: Object.fromEntries(statuses),
    invalidRequests: invalid,
  };
  console.log(`corpus: ${corpus} (${figures.articles ?? '?'} articles, ${figures.passages ?? '?'} passages)`);
  console.log(
    `bot start-up (spawn → connected to the fake): ${figures.startupMs} ms, of which index build ${figures.indexBuildMs ?? '?'} ms`,
  );
  console.log(`/ask INTERACTION_CREATE → callback request, ${figures.count} questions after ${warmup} warm-up:`);
  console.log(`  p50 ${ms(figures.p50)}  p90 ${ms(figures.p90)}  p99 ${ms(figures.p99)}  max ${ms(figures.max)}  mean ${ms(figures.mean)}`);
  console.log(
    `  ${answered} answered, ${figures.count - answered} declined; responses ${JSON.stringify(figures.responses)}; ${invalid} requests off the Discord spec`,
  );
  console.log('  slowest:');
  for (const s of slowest.sort((a, b) => b.ms - a.ms).slice(0, 5)) console.log(`    ${ms(s.ms)}  ${s.question}`);
  await mkdir(path.resolve(here, 'results'), { recursive: true });
  await writeFile(path.resolve(here, 'results/discord.json'), `${JSON.stringify({ ...figures, at: new Date().toISOString() }, null, 2)}\n`);
  if (invalid > 0 || statuses.size !== 1 || !statuses.has('204')) process.exitCode = 1;
} finally {
  const exit = await bot?.stop();
  await fake.close();
  if (exit && exit.code !== 0) {
    console.error(`the bot exited with ${JSON.stringify(exit)}\n${bot?.stderrTail() ?? ''}`);
    process.exitCode = 1;
  }
}
