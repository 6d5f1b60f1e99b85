/**
 * Answering while a reindex runs: questions arrive every 5 ms, and each one's latency is from its
 * arrival to its answer, so time the event loop spends blocked counts. Measured idle, then during a
 * full reindex in the answering thread, during one whose files are read and parsed in the worker
 * thread, during an incremental reindex of 100 changed files and of one, each with a hostile
 * Markdown file (128 KB of `*a`) in the folder, then of one file told by name (as the folder watcher
 * tells it), and each until the snapshot written after the
 * reindex is on disk. A copy of the corpus (or, with `--size N`, N perturbed copies as bench:speed
 * makes them) goes to a temporary folder. Also the answering thread's heap: steady (after a full
 * garbage collection, before the reindex) and its peak, sampled with every question, and the
 * process's peak resident memory (the worker's heap included).
 *
 *   npm run bench:reindex -- [BBC_DIR] [--size N] [--worker-only]
 */
import { appendFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { answerQuestion } from '../src/core/answer.ts';
import { Library, SNAPSHOT_FILE, type ReindexSummary } from '../src/core/library.ts';
import { quantile } from '../src/eval/metrics.ts';
import { corpusOrSkip } from './corpus.ts';
import { writeBbcCopies } from './speed-archives.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { size: { type: 'string', default: '1' }, 'worker-only': { type: 'boolean', default: false } },
});
const size = Math.max(1, Number(values.size) || 1);
const corpus = await corpusOrSkip(positionals[0], 'bench:reindex');
const folder = await mkdtemp(path.join(os.tmpdir(), 'factdesk-reindex-bench-'));
const ARRIVAL_MS = 5;

interface Row {
  readonly during: string;
  readonly questions: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** To the swap, and to the snapshot written after it. */
  readonly reindexMs: number | null;
  readonly snapshotMs: number | null;
  /** This thread's heap after a full collection before, its peak during, and the process's peak RSS during, in MB. */
  readonly steadyHeapMb: number;
  readonly peakHeapMb: number;
  readonly peakRssMb: number;
  /** The slowest answers: latency, and when the question arrived (ms from the start). */
  readonly slowest: readonly { readonly ms: number; readonly at: number }[];
}

const MB = 2 ** 20;
// A full garbage collection on demand, without node's --expose-gc: the reindex worker would inherit
// that flag, and a worker thread refuses it (it would then reindex in this thread).
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

/** This thread's heap after a full garbage collection. */
function steadyHeap(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** Asks questions every {@link ARRIVAL_MS} while `work` runs (or for `idleMs`), and times each from arrival to answer. */
async function answering(
  library: Library,
  questions: readonly string[],
  during: string,
  work: (() => Promise<ReindexSummary>) | null,
): Promise<Row> {
  const latencies: number[] = [];
  const arrivals: number[] = [];
  const state = { running: true };
  const steady = steadyHeap();
  let peakHeap = steady;
  let peakRss = process.memoryUsage.rss();
  const started = performance.now();
  const swappedAt: number[] = [];
  const finished = (
    work === null
      ? sleep(3_000).then(() => null)
      : work().then(async (summary) => {
          swappedAt.push(performance.now());
          await library.snapshotWritten();
          return summary;
        })
  ).finally(() => {
    state.running = false;
  });
  for (let i = 0; state.running; i++) {
    const arrival = performance.now() + ARRIVAL_MS;
    await sleep(ARRIVAL_MS);
    answerQuestion(library.archive, questions[i % questions.length] ?? '');
    latencies.push(performance.now() - arrival);
    arrivals.push(arrival - started);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }
  const summary = await finished;
  return {
    during,
    questions: latencies.length,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: Math.max(...latencies),
    reindexMs: summary === null ? null : (swappedAt[0] ?? performance.now()) - started,
    snapshotMs: summary === null ? null : performance.now() - started,
    steadyHeapMb: steady / MB,
    peakHeapMb: peakHeap / MB,
    peakRssMb: peakRss / MB,
    slowest: latencies
      .map((ms, i) => ({ ms, at: arrivals[i] ?? 0 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3),
  };
}

try {
  if (size === 1) await cp(corpus, folder, { recursive: true });
  else await writeBbcCopies(corpus, folder, size);
  await writeFile(path.join(folder, 'hostile.md'), '*a'.repeat(64 * 1024));
  const rows: Row[] = [];
  for (const inWorker of values['worker-only'] ? [true] : [false, true]) {
    const library = await Library.open({
      // No MAX_ARCHIVE_MB cap: its default (32 MB) would load only two thirds of ×10.
      maxArchiveMb: 65_536,
      seedsDir: folder,
      snapshotFile: path.join(folder, '..', `${path.basename(folder)}-data`, SNAPSHOT_FILE),
      reindexInWorker: inWorker,
      log: (m) => {
        console.log(m);
      },
    });
    library.warmUp();
    const questions = library.archive.articles.filter((_, i) => i % 5 === 0).map((a) => `What happened: ${a.article.title}?`);
    if (!rows.some((r) => r.during === 'idle')) rows.push(await answering(library, questions, 'idle', null));
    const where = inWorker ? 'in the worker' : 'in the answering thread';
    rows.push(await answering(library, questions, `full reindex, ${where}`, () => library.reindex({ full: true })));
    const files = library.archive.articles.slice(0, 100).map((a) => a.article.file);
    for (const file of files)
      await appendFile(path.join(folder, file), `\n\nAn added paragraph mentions ${inWorker ? 'twelve' : 'eleven'} new things.\n`);
    await appendFile(path.join(folder, 'hostile.md'), '*a');
    rows.push(await answering(library, questions, `100 files and the hostile one changed, ${where}`, () => library.reindex()));
    await appendFile(path.join(folder, files[0] ?? ''), `\n\nOne more paragraph mentions ${inWorker ? 'twelve' : 'eleven'} things.\n`);
    rows.push(await answering(library, questions, `1 file changed, ${where}`, () => library.reindex()));
    // As the folder watcher runs it: told the file, so only it is stat'ed and read.
    await appendFile(path.join(folder, files[1] ?? ''), `\n\nOne more paragraph mentions ${inWorker ? 'twelve' : 'eleven'} things.\n`);
    rows.push(await answering(library, questions, `1 file changed, told it, ${where}`, () => library.reindex({ files: [files[1] ?? ''] })));
    await library.close();
  }
  const ms = (x: number): string => `${x.toFixed(1)} ms`;
  const took = (x: number | null): string => (x === null ? '' : x < 10_000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(1)} s`);
  console.log(`\nBBC ×${size}, questions every ${ARRIVAL_MS} ms, latency from arrival to answer`);
  console.log(
    '\n| during | questions | p50 | p99 | max | to the swap | to the snapshot written | heap before → peak | peak RSS | slowest 3 (asked at) |\n|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of rows) {
    const heap = `${Math.round(r.steadyHeapMb)} → ${Math.round(r.peakHeapMb)} MB (×${(r.peakHeapMb / r.steadyHeapMb).toFixed(2)})`;
    console.log(
      `| ${r.during} | ${r.questions} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${took(r.reindexMs)} | ${took(r.snapshotMs)} | ${heap} | ${Math.round(r.peakRssMb)} MB | ${r.slowest.map((x) => `${Math.round(x.ms)} ms (${took(x.at)})`).join(', ')} |`,
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
  await rm(path.join(folder, '..', `${path.basename(folder)}-data`), { recursive: true, force: true });
}
