/**
 * Load, index and answer-time benchmark over a corpus folder (the BBC corpus by default).
 *
 *   npm run bench:index -- [CORPUS_DIR] [--rounds N]
 *
 * Prints the median of N rounds for loading and indexing, the heap the archive holds, and the
 * answer path's p50/p99 over the corpus's headlines asked as questions. Skips, saying so, when
 * the folder is absent.
 */
import { parseArgs } from 'node:util';
import { answerQuestion } from '../src/core/answer.ts';
import { Archive } from '../src/core/archive.ts';
import { loadArticles } from '../src/core/corpus.ts';
import { quantile } from '../src/eval/metrics.ts';
import { corpusOrSkip } from './corpus.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string', default: '3' } } });
const corpus = await corpusOrSkip(positionals[0], 'bench:index');
const rounds = Math.max(1, Number(values.rounds));

const median = (xs: number[]): number => quantile(xs, 0.5);
const loadMs: number[] = [];
const buildMs: number[] = [];
let archive: Archive | undefined;
let articles = 0;
for (let round = 0; round < rounds; round++) {
  archive = undefined;
  globalThis.gc?.();
  const t0 = performance.now();
  const loaded = await loadArticles(corpus);
  const t1 = performance.now();
  archive = await Archive.build(loaded.articles);
  const t2 = performance.now();
  loadMs.push(t1 - t0);
  buildMs.push(t2 - t1);
  articles = loaded.articles.length;
}
if (!archive) throw new Error('no archive built');
globalThis.gc?.();
const heapMb = process.memoryUsage().heapUsed / 2 ** 20;

// Headlines make realistic, varied questions that every article can answer.
const questions = archive.articles.map((a) => `What happened: ${a.article.title}?`);
for (const q of questions.slice(0, 50)) answerQuestion(archive, q);
const times: number[] = [];
for (const q of questions) {
  const t = performance.now();
  answerQuestion(archive, q);
  times.push(performance.now() - t);
}

console.log(`corpus: ${corpus}`);
console.log(`${articles} articles, ${archive.stats.passages} passages, ${archive.stats.figures} figures, ${archive.stats.terms} terms`);
console.log(`load (read + parse + validate), median of ${rounds}: ${median(loadMs).toFixed(0)} ms`);
console.log(`index (passages + figures + MiniSearch), median of ${rounds}: ${median(buildMs).toFixed(0)} ms`);
console.log(
  `heap in use after indexing: ${heapMb.toFixed(0)} MiB${globalThis.gc ? '' : ' (run with node --expose-gc for a settled figure)'}`,
);
console.log(
  `answer path over ${times.length} questions: p50 ${quantile(times, 0.5).toFixed(2)} ms, p99 ${quantile(times, 0.99).toFixed(2)} ms`,
);
