/**
 * Fits the ranker's feature weights on the tuning part of the development questions and writes
 * them to `src/core/rank-weights.json`, which the ranker loads. Deterministic: the same data give
 * the same file, byte for byte.
 *
 *   npm run train:ranker -- [--bbc DIR] [--eval DIR] [--check]
 *
 * The L2 penalty is chosen by cross-validation over the protocol's article folds (the fold with
 * the same number in every corpus is left out together); the held-out part is never read.
 * `--check` fits and compares with the committed file instead of writing it, failing on a difference.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_RANK_PARAMS, FEATURE_NAMES, type FittedWeights } from '../src/core/rank-params.ts';
import { defaultDirs, loadDevCorpora } from '../src/eval/dev-sets.ts';
import { collectGroup, crossValidatedRanks, fitWeights, namedWeights, type Group } from '../src/eval/train.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const WEIGHTS_FILE = path.join(root, 'src/core/rank-weights.json');
/** The L2 penalties cross-validation chooses among. */
const L2_GRID = [0.01, 0.1, 1, 10, 100];

const { values: args } = parseArgs({
  options: {
    bbc: { type: 'string' },
    eval: { type: 'string' },
    check: { type: 'boolean', default: false },
    /** Saves the collected candidates to a file, or reads them from it when it exists: for working on the learner. */
    cache: { type: 'string' },
  },
});

async function collect(): Promise<Group[]> {
  const defaults = await defaultDirs(root);
  const { corpora, close } = await loadDevCorpora(root, { evalDir: args.eval ?? defaults.evalDir, bbcDir: args.bbc ?? defaults.bbcDir });
  const out: Group[] = [];
  try {
    for (const corpus of corpora) {
      for (const q of corpus.questions) {
        if (q.part !== 'tuning' || q.answers.length === 0) continue;
        out.push(collectGroup(corpus.archive, q, q.fold, corpus.name, DEFAULT_RANK_PARAMS));
      }
    }
  } finally {
    await close();
  }
  return out;
}
let groups: Group[];
if (args.cache !== undefined && existsSync(args.cache)) groups = JSON.parse(await readFile(args.cache, 'utf8')) as Group[];
else {
  groups = await collect();
  if (args.cache !== undefined) await writeFile(args.cache, JSON.stringify(groups));
}
const names = [...new Set(groups.map((g) => g.corpus))];
console.log(
  `${groups.length} tuning questions; ${groups.filter((g) => !g.positive.some(Boolean)).length} have no candidate holding the answer.`,
);

let best = { l2: L2_GRID[0] ?? 1, hits: -1 };
for (const l2 of L2_GRID) {
  const ranks = crossValidatedRanks(groups, l2);
  const perCorpus = names.map((name) => {
    const own = groups.filter((g) => g.corpus === name);
    const hits = own.filter((g) => ranks.get(g.id) === 1).length;
    return `${name} ${((100 * hits) / Math.max(1, own.length)).toFixed(1)}%`;
  });
  // Each corpus counts alike, so the largest does not choose for all.
  const score = names.reduce((sum, name) => {
    const own = groups.filter((g) => g.corpus === name);
    return sum + own.filter((g) => ranks.get(g.id) === 1).length / Math.max(1, own.length);
  }, 0);
  console.log(`l2 ${l2}: cross-validated Hit@1 ${perCorpus.join(', ')}`);
  // Ties go to the larger penalty, the simpler model.
  if (score >= best.hits) best = { l2, hits: score };
}

const weights = namedWeights(fitWeights(groups, best.l2));
const fitted: FittedWeights = {
  weights,
  l2: best.l2,
  fittedOn: `${groups.length} tuning-part questions (${names.join(', ')}) by softmax-over-candidates regression; L2 chosen by ${L2_GRID.length}-value cross-validation over article folds`,
};
const text = `${JSON.stringify(fitted, null, 2)}\n`;
console.log(`Chose l2 ${best.l2}. Weights: ${FEATURE_NAMES.map((n) => `${n} ${weights[n]}`).join(', ')}`);
if (args.check) {
  const committed = await readFile(WEIGHTS_FILE, 'utf8');
  if (committed !== text) {
    console.error(`${path.relative(process.cwd(), WEIGHTS_FILE)} differs from what training gives.`);
    process.exit(1);
  }
  console.log(`${path.relative(process.cwd(), WEIGHTS_FILE)} matches.`);
} else {
  await writeFile(WEIGHTS_FILE, text);
  console.log(`Wrote ${path.relative(process.cwd(), WEIGHTS_FILE)}.`);
}
