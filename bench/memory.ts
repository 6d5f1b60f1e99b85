/**
 * Where an archive's memory goes, part by part, in bytes per passage: each part is copied once
 * (the same kind of objects, typed arrays sharing a buffer as they do in the archive) and the growth
 * of the heap and of typed arrays' buffers (held outside the heap) is its size. Then the answer path's
 * top self-time functions, from a CPU profile over headlines asked as questions.
 *
 *   node --expose-gc --import tsx bench/memory.ts [BBC_DIR] [--questions N]     (npm run bench:memory)
 *
 * `--questions N` profiles N headlines spread over the archive (all of them by default).
 */
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { answerQuestion } from '../src/core/answer.ts';
import { Archive } from '../src/core/archive.ts';
import { loadArticles } from '../src/core/corpus.ts';
import { PostingsIndex } from '../src/core/postings-index.ts';
import { TextIndex } from '../src/core/text-index.ts';
import { terms } from '../src/core/text.ts';
import { corpusOrSkip } from './corpus.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { questions: { type: 'string' } } });
const corpus = await corpusOrSkip(positionals[0], 'bench:memory');
const gc = (): void => {
  globalThis.gc?.();
  globalThis.gc?.();
};
/** The JavaScript heap plus typed arrays' buffers, which V8 keeps outside it. */
const heap = (): number => {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

// No MAX_ARCHIVE_MB cap, for larger archives than BBC's.
const archive = await Archive.build((await loadArticles(corpus, { maxArchiveMb: 65_536 })).articles);
const passages = archive.passages;
const count = passages.length;

/** Holds a copy while its size is measured. */
const held: unknown[] = [];

/** Heap taken by what `make` returns. */
function sizeOf(make: () => unknown): number {
  const before = heap();
  held.push(make());
  const size = heap() - before;
  held.length = 0;
  return size;
}

const titleIds = archive.articles.map((a) => terms(a.article.title).map((word) => archive.termId(word) ?? -1));
const parts: [string, number][] = [
  [
    'passage index (flat postings)',
    sizeOf(() => {
      const index = new PostingsIndex();
      index.addAll(passages.map((p) => ({ id: p.ordinal, title: titleIds[p.article] ?? [], text: p.termIds })));
      index.data(); // merges what was added into the flat arrays
      return index;
    }),
  ],
  [
    'MiniSearch over the same passages, for comparison (not held)',
    sizeOf(() => {
      const index = new TextIndex();
      index.addAll(
        passages.map((p) => ({
          id: p.ordinal,
          title: terms(archive.articles[p.article]?.article.title ?? '').join(' '),
          text: Array.from(p.termIds, (id) => (id < 0 ? '' : `${archive.term(id)} `)).join(''),
        })),
      );
      return index;
    }),
  ],
  ['per-article term and title-term lists', sizeOf(() => archive.articles.map((a) => structuredClone([a.terms, a.titleTerms])))],
  ['per-token typed arrays', sizeOf(() => passages.map((p) => structuredClone([p.termIds, p.spans])))],
  ['sentence spans', sizeOf(() => passages.map((p) => structuredClone(p.sentences)))],
  ['figures', sizeOf(() => passages.map((p) => structuredClone(p.figures)))],
  ['passage texts and records', sizeOf(() => passages.map((p) => structuredClone(p.passage)))],
];
console.log(`${archive.stats.articles} articles, ${count} passages, ${archive.stats.terms} terms\n`);
console.log('| part | MB | bytes per passage |\n|---|---|---|');
for (const [name, bytes] of parts) console.log(`| ${name} | ${(bytes / 2 ** 20).toFixed(1)} | ${Math.round(bytes / count)} |`);

// The answer path: a CPU profile over the headlines, warm, and its top self-time functions.
const every = Math.max(1, Math.floor(archive.articles.length / Number(values.questions ?? archive.articles.length)));
const questions = archive.articles.filter((_, i) => i % every === 0).map((a) => `What happened: ${a.article.title}?`);
for (const q of questions.slice(0, 200)) answerQuestion(archive, q);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
for (const q of questions) answerQuestion(archive, q);
const { profile } = await session.post('Profiler.stop');
const self = new Map<string, number>();
const byNode = new Map<number, number>();
profile.samples?.forEach((node, i) => byNode.set(node, (byNode.get(node) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
let total = 0;
for (const node of profile.nodes) {
  const frame = node.callFrame;
  const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}`;
  const us = byNode.get(node.id) ?? 0;
  total += us;
  self.set(name, (self.get(name) ?? 0) + us);
}
console.log(`\nanswer path over ${questions.length} questions: top self time (of ${(total / 1000).toFixed(0)} ms sampled)`);
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
}
