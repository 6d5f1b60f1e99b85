/**
 * Answering while a reindex runs: questions arrive every 5 ms, and each one's latency is from its
 * arrival to its answer, so time the event loop spends blocked counts. Measured idle, then during a
 * full reindex in the answering thread, during one whose files are read and parsed in the worker
 * thread, and during an incremental reindex of 100 changed files, each with a hostile Markdown
 * file (128 KB of `*a`) in the folder. A copy of the corpus goes to a temporary folder.
 *
 *   npm run bench:reindex -- [BBC_DIR]
 */
import { appendFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { answerQuestion } from '../src/core/answer.ts';
import { Library, type ReindexSummary } from '../src/core/library.ts';
import { quantile } from '../src/eval/metrics.ts';
import { corpusOrSkip } from './corpus.ts';

const corpus = await corpusOrSkip(process.argv[2], 'bench:reindex');
const folder = await mkdtemp(path.join(os.tmpdir(), 'factdesk-reindex-bench-'));
const ARRIVAL_MS = 5;

interface Row {
  readonly during: string;
  readonly questions: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly reindexMs: number | null;
}

/** Asks questions every {@link ARRIVAL_MS} while `work` runs (or for `idleMs`), and times each from arrival to answer. */
async function answering(
  library: Library,
  questions: readonly string[],
  during: string,
  work: (() => Promise<ReindexSummary>) | null,
): Promise<Row> {
  const latencies: number[] = [];
  const state = { running: true };
  const started = performance.now();
  const finished = (work === null ? sleep(3_000).then(() => null) : work()).finally(() => {
    state.running = false;
  });
  for (let i = 0; state.running; i++) {
    const arrival = performance.now() + ARRIVAL_MS;
    await sleep(ARRIVAL_MS);
    answerQuestion(library.archive, questions[i % questions.length] ?? '');
    latencies.push(performance.now() - arrival);
  }
  const summary = await finished;
  return {
    during,
    questions: latencies.length,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: Math.max(...latencies),
    reindexMs: summary === null ? null : performance.now() - started,
  };
}

try {
  await cp(corpus, folder, { recursive: true });
  await writeFile(path.join(folder, 'hostile.md'), '*a'.repeat(64 * 1024));
  const rows: Row[] = [];
  for (const inWorker of [false, true]) {
    const library = await Library.open({
      seedsDir: folder,
      reindexInWorker: inWorker,
      log: (m) => {
        console.log(m);
      },
    });
    library.warmUp();
    const questions = library.archive.articles.filter((_, i) => i % 5 === 0).map((a) => `What happened: ${a.article.title}?`);
    if (!inWorker) rows.push(await answering(library, questions, 'idle', null));
    const where = inWorker ? 'in the worker' : 'in the answering thread';
    rows.push(await answering(library, questions, `full reindex, ${where}`, () => library.reindex({ full: true })));
    const files = library.archive.articles.slice(0, 100).map((a) => a.article.file);
    for (const file of files)
      await appendFile(path.join(folder, file), `\n\nAn added paragraph mentions ${inWorker ? 'twelve' : 'eleven'} new things.\n`);
    await appendFile(path.join(folder, 'hostile.md'), '*a');
    rows.push(await answering(library, questions, `100 files and the hostile one changed, ${where}`, () => library.reindex()));
    await library.close();
  }
  const ms = (x: number): string => `${x.toFixed(1)} ms`;
  console.log('\n| during | questions | p50 | p99 | max | reindex took |\n|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.during} | ${r.questions} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.reindexMs === null ? '' : `${(r.reindexMs / 1000).toFixed(1)} s`} |`,
    );
  }
  console.log(
    `\nload average: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')}`,
  );
} finally {
  await rm(folder, { recursive: true, force: true });
}
