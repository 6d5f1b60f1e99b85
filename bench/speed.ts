/**
 * Speed and memory as the archive grows: ×1, ×10 and ×30 the BBC corpus (copies with numbers and
 * names perturbed, so none is word-for-word another) and a synthetic archive of the same sizes that
 * anyone can reproduce without the BBC files. Each archive is measured in a fresh process beside
 * plain MiniSearch measured in the same run; the table goes to the terminal, JSON to bench/results/.
 *
 *   npm run bench:speed -- [BBC_DIR] [--sizes 1,10,30] [--corpus bbc,synthetic] [--questions N]
 *
 * The npm script gives Node a 6 GiB heap limit, which ×30 needs (the archive's heap is reported,
 * not limited). Archives are written to a temporary folder and removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CORPUS, exists } from './corpus.ts';
import { writeBbcCopies, writeSynthetic } from './speed-archives.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sizes: { type: 'string', default: '1,10,30' },
    corpus: { type: 'string', default: 'bbc,synthetic' },
    questions: { type: 'string', default: '400' },
    out: { type: 'string', default: path.join('bench', 'results', 'speed.json') },
  },
});
const sizes = values.sizes
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
const kinds = values.corpus.split(',').filter((k) => k === 'bbc' || k === 'synthetic');
const bbc = path.resolve(positionals[0] ?? DEFAULT_CORPUS);
const here = path.dirname(new URL(import.meta.url).pathname);

/** An incremental reindex: time to the swap, and with the snapshot rewritten; how many articles changed. */
interface Reindexed {
  ms: number;
  withSnapshotMs: number;
  changed: number;
  /** Milliseconds per stage of the reindex (absent before 4 Dec 2026, 12:00). */
  stages?: Record<string, number>;
}

interface Measured {
  kind: string;
  size: number;
  articles: number;
  passages: number;
  duplicatePassages: number;
  figures: number;
  terms: number;
  questions: number;
  /** Until every file was read; since 4 Dec 2026, 18:00, indexing goes on beside it (worker threads read and prepare), and `buildMs` is what follows. */
  loadMs: number;
  buildMs: number;
  coldMs: number;
  /** CPU of the cold build, all threads, and of the main thread alone (Linux), and which thread read and prepared how many files (absent before 4 Dec 2026, 18:00). */
  coldCpuMs?: number;
  coldMainCpuMs?: number | null;
  coldShare?: { here: number; workers: number; waitedMs: number };
  heapMb: number;
  /** Typed arrays' buffers after the build, outside the heap (absent from results before 4 Dec 2026, 04:00). */
  buffersMb?: number;
  answerP50: number;
  answerP99: number;
  snapshotStartMs: number;
  /** Each start from the snapshot: wall and CPU milliseconds, heap and buffers after (absent before 4 Dec 2026, 07:00). */
  snapshotStarts?: { ms: number; cpuMs: number; heapMb: number; buffersMb: number }[];
  snapshotHeapMb: number;
  snapshot: Record<'json' | 'msgpack', { mb: number; encodeMs: number; decodeMs: number }>;
  reindexOne: Reindexed;
  reindexHundred: Reindexed;
  /** The same, told the edited files as the folder watcher tells them (absent before 4 Dec 2026, 12:00). */
  reindexOneTold?: Reindexed;
  reindexHundredTold?: Reindexed;
  plain: { buildMs: number; heapMb: number; answerP50: number; answerP99: number };
}

const n = (x: number, digits = 0): string => x.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const s = (x: number): string => `${(x / 1000).toFixed(1)} s`;
const header = [
  'archive',
  'passages',
  'start from snapshot',
  'cold build (all read at; CPU, main thread)',
  'heap after build',
  'answer p50 / p99',
  'plain MiniSearch: build, heap, p50 / p99',
  'reindex 1 file / 100 files (with snapshot)',
  'told the files (watch mode): 1 / 100',
];
const row = (r: Measured): string =>
  `| ${r.kind} ×${r.size} | ${n(r.passages)}${r.duplicatePassages > 0 ? ` (${n(r.duplicatePassages)} repeated)` : ''} | ${s(
    r.snapshotStartMs,
  )} | ${s(r.coldMs)} (${s(r.loadMs)}${r.coldCpuMs === undefined ? '' : `; ${s(r.coldCpuMs)}`}${typeof r.coldMainCpuMs === 'number' ? `, ${s(r.coldMainCpuMs)}` : ''}) | ${n(r.heapMb)} MB${r.buffersMb === undefined ? '' : ` + ${n(r.buffersMb)} MB buffers`} | ${n(r.answerP50, 2)} / ${n(r.answerP99, 1)} ms | ${s(
    r.plain.buildMs,
  )}, ${n(r.plain.heapMb)} MB, ${n(r.plain.answerP50, 2)} / ${n(r.plain.answerP99, 1)} ms | ${reindexed(r.reindexOne)} / ${reindexed(
    r.reindexHundred,
  )} | ${r.reindexOneTold === undefined || r.reindexHundredTold === undefined ? '' : `${reindexed(r.reindexOneTold)} / ${reindexed(r.reindexHundredTold)}`} |`;
const reindexed = (r: Reindexed): string => `${n(r.ms)} ms (${n(r.withSnapshotMs)} ms, ${n(r.changed)} changed)`;

const temp = await mkdtemp(path.join(os.tmpdir(), 'factdesk-speed-'));
const results: Measured[] = [];
/** What measurements that failed had done. */
const failed: Record<string, unknown>[] = [];
/** The JSON, written after each archive, so a run stopped midway keeps what it measured. */
async function writeResults(): Promise<void> {
  await mkdir(path.dirname(values.out), { recursive: true });
  const at = new Date().toISOString();
  await writeFile(
    values.out,
    `${JSON.stringify({ at, node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg(), results, failed }, null, 2)}\n`,
  );
}
try {
  for (const kind of kinds) {
    if (kind === 'bbc' && !(await exists(bbc))) {
      console.log(`Skipping the BBC archives: ${bbc} is absent. Pass its path: npm run bench:speed -- DIR`);
      continue;
    }
    for (const size of sizes) {
      const folder = path.join(temp, `${kind}-x${size}`);
      const articles = kind === 'bbc' ? await writeBbcCopies(bbc, folder, size) : await writeSynthetic(folder, size);
      console.log(`${kind} ×${size}: ${articles.toLocaleString('en-GB')} articles written to ${folder}; measuring…`);
      // Each stage prints as it ends (stderr) and is kept in this file, so a run stopped midway still tells something.
      const partialFile = path.join(temp, `${kind}-x${size}.partial.json`);
      const run = spawnSync(
        process.execPath,
        [...process.execArgv, path.join(here, 'speed-measure.ts'), folder, '--questions', values.questions, '--partial', partialFile],
        { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const last = run.stdout.trim().split('\n').at(-1) ?? '';
      if (run.status !== 0 || !last.startsWith('{')) {
        const done = await readFile(partialFile, 'utf8').catch(() => '{}');
        console.log(`${kind} ×${size}: the measurement failed (exit ${run.status ?? run.signal ?? '?'}); stages done: ${done.trim()}`);
        failed.push({ kind, size, ...(JSON.parse(done) as Record<string, unknown>) });
        await writeResults();
        continue;
      }
      const measured: Measured = { kind, size, ...(JSON.parse(last) as Omit<Measured, 'kind' | 'size'>) };
      results.push(measured);
      console.log(row(measured));
      await writeResults();
      await rm(folder, { recursive: true, force: true });
    }
  }
} finally {
  await rm(temp, { recursive: true, force: true });
}

console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
for (const r of results) console.log(row(r));
console.log('\nsnapshot encodings (size, encode, decode):');
for (const r of results) {
  const { json, msgpack } = r.snapshot;
  console.log(
    `  ${r.kind} ×${r.size}: JSON ${n(json.mb)} MB, ${s(json.encodeMs)}, ${s(json.decodeMs)}; msgpack ${n(msgpack.mb)} MB, ${s(msgpack.encodeMs)}, ${s(msgpack.decodeMs)}; heap after a snapshot start ${n(r.snapshotHeapMb)} MB`,
  );
}
await writeResults();
console.log(
  `\nJSON: ${values.out} (load average at the end: ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(', ')})`,
);
