/**
 * Figure extraction benchmark over a corpus folder (the BBC corpus by default).
 *
 *   npm run bench:figures -- [CORPUS_DIR] [--rounds N] [--dump FILE]
 *
 * Extracts the figures of every passage, as indexing does, and prints the median time of N rounds,
 * the characters read, and the figures found by kind. `--dump` writes every figure as a line of JSON
 * (passage id and figure), so two versions of the extractor can be compared with `diff`; the file
 * quotes the corpus, so keep it out of the repository. Skips, saying so, when the folder is absent.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadArticles } from '../src/core/corpus.ts';
import { extractFigures } from '../src/core/figures/index.ts';
import { buildPassages } from '../src/core/passages.ts';
import { quantile } from '../src/eval/metrics.ts';
import type { FigureMatch } from '../src/core/types.ts';
import { corpusOrSkip } from './corpus.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '5' }, dump: { type: 'string' } },
});
const corpus = await corpusOrSkip(positionals[0], 'bench:figures');
const rounds = Math.max(1, Number(values.rounds));

const { articles } = await loadArticles(corpus);
const passages = articles.flatMap((article) => buildPassages(article));
const chars = passages.reduce((sum, p) => sum + p.text.length, 0);

let found: FigureMatch[][] = [];
const times: number[] = [];
// One round to warm up the JIT, then the measured ones.
for (let round = 0; round <= rounds; round++) {
  globalThis.gc?.();
  const t = performance.now();
  found = passages.map((p) => extractFigures(p.text));
  if (round > 0) times.push(performance.now() - t);
}

const byKind = new Map<string, number>();
for (const figure of found.flat()) byKind.set(figure.kind, (byKind.get(figure.kind) ?? 0) + 1);
const kinds = [...byKind].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${n.toLocaleString('en-GB')}`);

console.log(`corpus: ${corpus}`);
console.log(`${articles.length} articles, ${passages.length} passages, ${(chars / 1e6).toFixed(2)} M characters`);
console.log(`figures: ${found.flat().length.toLocaleString('en-GB')} (${kinds.join(', ')})`);
console.log(`extraction, median of ${rounds}: ${quantile(times, 0.5).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)} ms)`);

if (values.dump !== undefined) {
  const lines = passages.flatMap((p, i) => (found[i] ?? []).map((f) => JSON.stringify({ passage: p.id, ...f })));
  await writeFile(values.dump, `${lines.join('\n')}\n`);
  console.log(`wrote ${lines.length} figures to ${values.dump}`);
}
