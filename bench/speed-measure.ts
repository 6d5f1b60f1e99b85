/**
 * One `bench:speed` measurement, in a process of its own so heap figures are this archive's alone:
 * cold build, heap, answer latency, snapshot size and start-up from it, then plain MiniSearch over the same passages. Prints one JSON
 * line last. Run by bench/speed.ts; by hand:
 *
 *   node --expose-gc --import tsx bench/speed-measure.ts FOLDER [--questions N]
 */
import { readFileSync } from 'node:fs';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import { answerQuestion } from '../src/core/answer.ts';
import { Archive } from '../src/core/archive.ts';
import { decodeSnapshot, encodeSnapshot } from '../src/core/archive-codec.ts';
import { buildCold, type ColdBuild } from '../src/core/cold-build.ts';
import { Library, SNAPSHOT_FILE } from '../src/core/library.ts';
import { writeSnapshot } from '../src/core/snapshot.ts';
import { buildPassages } from '../src/core/passages.ts';
import { quantile } from '../src/eval/metrics.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { questions: { type: 'string', default: '400' }, partial: { type: 'string' }, starts: { type: 'string', default: '3' } },
});
const folder = positionals[0];
if (folder === undefined) throw new Error('usage: speed-measure.ts FOLDER');
const questionCount = Math.max(1, Number(values.questions));

const gc = (): void => {
  globalThis.gc?.();
  globalThis.gc?.();
};
const heapMb = (): number => process.memoryUsage().heapUsed / 2 ** 20;
/** Typed arrays' buffers, which V8 keeps outside its heap: part of an archive's memory all the same. */
const buffersMb = (): number => process.memoryUsage().arrayBuffers / 2 ** 20;
const ms = (from: number): number => performance.now() - from;

/** What is measured so far: each stage prints a line to stderr as it ends, and goes to `--partial` as JSON, so a run stopped midway still tells something. */
const partial: Record<string, unknown> = { folder };
async function stage(name: string, figures: Record<string, unknown>): Promise<void> {
  Object.assign(partial, figures);
  const load = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
  const shown = Object.entries(figures)
    .map(([key, value]) => `${key} ${typeof value === 'number' ? Math.round(value * 10) / 10 : JSON.stringify(value)}`)
    .join(', ');
  console.error(`  [${new Date().toISOString().slice(11, 19)}] ${name}: ${shown} (load ${load})`);
  if (values.partial !== undefined) await writeFile(values.partial, `${JSON.stringify({ ...partial, loadAverage: os.loadavg() })}\n`);
}

/** Latency of `ask` over the questions, after an untimed pass over the first 50 so the JIT is warm. */
function latency(questions: readonly string[], ask: (q: string) => unknown): { p50: number; p99: number } {
  for (const q of questions.slice(0, 50)) ask(q);
  const times = questions.map((q) => {
    const t = performance.now();
    ask(q);
    return ms(t);
  });
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

gc();
const heapBefore = heapMb();
const buffersBefore = buffersMb();
/**
 * CPU milliseconds of this process's main thread (Linux; null elsewhere): with worker threads
 * beside it, the part of a cold build that no other core can take, so a quiet machine's wall time
 * is at least this and at least half the process's CPU on two cores, whatever the load when measured.
 */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}
let t = performance.now();
const coldCpu = process.cpuUsage();
const coldMainBefore = mainThreadCpuMs();
/** When the last file was read: with worker threads, indexing goes on beside reading, so the build's own share is what follows. */
let loadMs = 0;
// As a start without a snapshot builds (Library.open), worker threads and all; no MAX_ARCHIVE_MB
// cap: its default (32 MB) would load only two thirds of ×10.
// Let go of once its parts are taken: kept, it held the built archive through the starts from the
// snapshot below, which then measured both archives' heap (545 MB instead of about 363 at BBC ×10).
let cold: ColdBuild | null = await buildCold(folder, {
  maxArchiveMb: 65_536,
  onProgress: (progress) => {
    if (progress.phase === 'reading' && progress.read === progress.files) loadMs = ms(t);
  },
});
const coldMs = ms(t);
const coldUsed = process.cpuUsage(coldCpu);
const coldMainAfter = mainThreadCpuMs();
const coldMainCpuMs = coldMainBefore === null || coldMainAfter === null ? null : coldMainAfter - coldMainBefore;
/** CPU of every thread of the process (the build's workers too), in milliseconds. */
const coldCpuMs = (coldUsed.user + coldUsed.system) / 1000;
const buildMs = coldMs - loadMs;
const { loaded, files, share } = cold;
let archive: Archive | null = cold.archive;
cold = null;
gc();
const heap = heapMb() - heapBefore;
const buffers = buffersMb() - buffersBefore;
const { stats } = archive;
await stage('cold build', {
  articles: stats.articles,
  passages: stats.passages,
  loadMs,
  buildMs,
  coldCpuMs,
  coldMainCpuMs,
  share,
  heapMb: heap,
  buffersMb: buffers,
});
const duplicates = archive.passages.filter((p) => p.original !== p.ordinal).length;

// Headlines asked as questions, spread over the whole archive: every one has an answer somewhere.
const step = Math.max(1, Math.floor(archive.articles.length / questionCount));
const questions: string[] = [];
for (let i = 0; i < archive.articles.length && questions.length < questionCount; i += step) {
  questions.push(`What happened: ${archive.articles[i]?.article.title ?? ''}?`);
}
/** Answer latency and the snapshot's encodings over the built archive, which the caller then lets go. */
async function measureBuilt(current: Archive): Promise<{
  answer: { p50: number; p99: number };
  encodings: Record<string, { mb: number; encodeMs: number; decodeMs: number }>;
}> {
  const answer = latency(questions, (q) => answerQuestion(current, q));
  await stage('answers', { answerP50: answer.p50, answerP99: answer.p99 });
  const encodings: Record<string, { mb: number; encodeMs: number; decodeMs: number }> = {};
  for (const encoding of ['json', 'msgpack'] as const) {
    t = performance.now();
    const bytes = encodeSnapshot({ root: path.resolve(folder ?? ''), archive: current, files, problems: loaded.problems }, encoding);
    const encodeMs = ms(t);
    t = performance.now();
    decodeSnapshot(bytes);
    encodings[encoding] = { mb: bytes.length / 2 ** 20, encodeMs, decodeMs: ms(t) };
    await stage(`snapshot in ${encoding}`, { [encoding]: encodings[encoding] });
  }
  await writeSnapshot(snapshotFile, { root: path.resolve(folder ?? ''), archive: current, files, problems: loaded.problems });
  return { answer, encodings };
}
// The snapshot, both encodings: size and time to encode; then a start-up that reads it back, with
// the built archive let go first, so the heap measured after is the restarted archive's alone.
const snapshotDir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-snapshot-'));
const snapshotFile = path.join(snapshotDir, SNAPSHOT_FILE);
const { answer, encodings } = await measureBuilt(archive);
archive = null;
gc();
/** The library the last start from the snapshot gave. */
let restarted: Library | null = null;
/**
 * A start from the snapshot, the one before let go first: wall and CPU milliseconds, heap and
 * buffers after. The library goes straight to `restarted`, never through a local of the loop that
 * calls this: a local of a suspended async function (this module's top level) keeps its last value
 * in the frame until it is overwritten, so each start measured the start before as well (766 MB
 * instead of 346 at BBC ×10); no reference in src/ held it.
 */
async function startFromSnapshot(): Promise<{ ms: number; cpuMs: number; heapMb: number; buffersMb: number }> {
  restarted = null;
  gc();
  const cpu = process.cpuUsage();
  const started = performance.now();
  restarted = await Library.open({ seedsDir: folder ?? '', snapshotFile, maxArchiveMb: 65_536 });
  const took = ms(started);
  const used = process.cpuUsage(cpu);
  if (restarted.startup?.source !== 'snapshot') throw new Error(`the snapshot was not used: ${restarted.startup?.snapshotRejected ?? '?'}`);
  gc();
  return {
    ms: took,
    cpuMs: (used.user + used.system) / 1000,
    heapMb: heapMb() - heapBefore,
    buffersMb: buffersMb() - buffersBefore,
  };
}
const starts: Awaited<ReturnType<typeof startFromSnapshot>>[] = [];
for (let i = 0; i < Math.max(1, Number(values.starts)); i++) {
  const start = await startFromSnapshot();
  starts.push(start);
  await stage(`start from snapshot ${i + 1}`, { start });
}
const noStart = (): never => {
  throw new Error('no start from the snapshot');
};
// TypeScript cannot see that the calls above set it.
const library: Library = (restarted as Library | null) ?? noStart();
const snapshotStartMs = quantile(
  starts.map((s) => s.ms),
  0.5,
);
const snapshotHeap = quantile(
  starts.map((s) => s.heapMb),
  0.5,
);
await stage('start from snapshot, median', {
  snapshotStartMs,
  snapshotStartCpuMs: quantile(
    starts.map((s) => s.cpuMs),
    0.5,
  ),
});

// Incremental reindex: one file edited, then 100 files in one folder; the time to the swap (the
// reindex summary's, with its stages), and with the snapshot rewritten after it. First as `/reindex`
// runs it (every file stat'ed), then told the edited files, as the folder watcher tells it.
async function editAndReindex(
  count: number,
  told: boolean,
): Promise<{ ms: number; withSnapshotMs: number; changed: number; stages: Record<string, number> }> {
  const first = loaded.articles.find((a) => a.file.includes('/')) ?? loaded.articles[0];
  const inFolder = loaded.articles.filter((a) => path.dirname(a.file) === path.dirname(first?.file ?? ''));
  const edited = inFolder.slice(0, count).map((a) => a.file);
  for (const [i, file] of edited.entries()) {
    await appendFile(
      path.join(folder ?? '', file),
      `\n\nAn edit, number ${count}-${i}${told ? 't' : ''}, adds a sentence with ${count * 1000 + i} words.\n`,
    );
  }
  const started = performance.now();
  const summary = await library.reindex(told ? { files: edited } : {});
  // The reindex returns at the swap; the snapshot is written after, beside answering.
  const snapshotError = await library.snapshotWritten();
  if (snapshotError !== null) throw new Error(`the snapshot was not written: ${snapshotError}`);
  return { ms: summary.ms, withSnapshotMs: ms(started), changed: summary.changed.length, stages: { ...summary.stages } };
}
const reindexOne = await editAndReindex(1, false);
await stage('reindex of 1 file', { reindexOne });
const reindexHundred = await editAndReindex(100, false);
await stage('reindex of 100 files', { reindexHundred });
const reindexOneTold = await editAndReindex(1, true);
await stage('reindex of 1 file, told it', { reindexOneTold });
const reindexHundredTold = await editAndReindex(100, true);
await stage('reindex of 100 files, told them', { reindexHundredTold });
await rm(snapshotDir, { recursive: true, force: true });

// Plain MiniSearch, default options, one document per passage: the yardstick, measured in this run.
gc();
const plainBefore = heapMb();
t = performance.now();
const plain = new MiniSearch<{ id: number; title: string; text: string }>({ fields: ['title', 'text'] });
let id = 0;
for (const article of loaded.articles) {
  plain.addAll(buildPassages(article).map((p) => ({ id: id++, title: article.title, text: p.text })));
}
const plainBuildMs = ms(t);
gc();
const plainHeap = heapMb() - plainBefore;
const plainAnswer = latency(questions, (q) => plain.search(q).slice(0, 10));
await stage('plain MiniSearch', {
  plain: { buildMs: plainBuildMs, heapMb: plainHeap, answerP50: plainAnswer.p50, answerP99: plainAnswer.p99 },
});

console.log(
  JSON.stringify({
    folder,
    articles: stats.articles,
    passages: stats.passages,
    duplicatePassages: duplicates,
    figures: stats.figures,
    terms: stats.terms,
    questions: questions.length,
    loadMs,
    buildMs,
    coldMs,
    coldCpuMs,
    coldMainCpuMs,
    coldShare: share,
    heapMb: heap,
    buffersMb: buffers,
    answerP50: answer.p50,
    answerP99: answer.p99,
    snapshotStartMs,
    snapshotStarts: starts,
    snapshotHeapMb: snapshotHeap,
    snapshot: encodings,
    reindexOne,
    reindexHundred,
    reindexOneTold,
    reindexHundredTold,
    plain: { buildMs: plainBuildMs, heapMb: plainHeap, answerP50: plainAnswer.p50, answerP99: plainAnswer.p99 },
  }),
);
