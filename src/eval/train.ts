import type { Archive } from '../core/archive.ts';
import { FEATURE_NAMES, WITHIN_FEATURE_NAMES, type FeatureName, type RankParams, type WithinFeatureName } from '../core/rank-params.ts';
import { withinFeatures } from '../core/rank-within.ts';
import { rankPassages, type ScoredPassage } from '../core/rank.ts';
import type { EvalQuestion } from './datasets.ts';
import { hitRank } from './metrics.ts';

/** One question's candidates as the learner sees them: a feature row each, and which hold an answer. */
export interface Group {
  readonly id: string;
  readonly fold: number;
  readonly corpus: string;
  readonly rows: readonly (readonly number[])[];
  readonly positive: readonly boolean[];
  /** Each candidate's article, and its second-stage features (rank-within.ts) among its article's candidates. */
  readonly articles: readonly number[];
  readonly within: readonly (readonly number[])[];
}

/** What the learner fits on: per question, a feature row for each candidate, and which hold an answer. */
export type CandidateRows = Pick<Group, 'rows' | 'positive'>;

/**
 * Every candidate passage of a question (none pruned), with its features and whether it holds an
 * answer. Ranked with all weights at zero, so which copy of a repeated passage stands for it does
 * not depend on the weights being fitted: training reproduces its output exactly.
 */
export function collectGroup(archive: Archive, question: EvalQuestion, fold: number, corpus: string, params: RankParams): Group {
  const zero = Object.fromEntries(FEATURE_NAMES.map((name) => [name, 0])) as Record<FeatureName, number>;
  const zeroWithin = Object.fromEntries(WITHIN_FEATURE_NAMES.map((name) => [name, 0])) as Record<WithinFeatureName, number>;
  const ranking = rankPassages(archive, question.question, undefined, { ...params, weights: zero, within: zeroWithin });
  const byArticle = new Map<number, ScoredPassage[]>();
  for (const p of ranking.passages) byArticle.set(p.passage.article, [...(byArticle.get(p.passage.article) ?? []), p]);
  const within = new Map<ScoredPassage, readonly number[]>();
  for (const own of byArticle.values()) {
    const features = withinFeatures(archive, ranking.query, own, params);
    own.forEach((p, i) => {
      const f = features[i];
      if (f)
        within.set(
          p,
          WITHIN_FEATURE_NAMES.map((name) => f[name]),
        );
    });
  }
  return {
    id: question.id,
    fold,
    corpus,
    rows: ranking.passages.map((p) => FEATURE_NAMES.map((name) => p.features[name])),
    positive: ranking.passages.map((p) => hitRank([p.passage.passage.text], question.answers) === 1),
    articles: ranking.passages.map((p) => p.passage.article),
    within: ranking.passages.map((p) => within.get(p) ?? []),
  };
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

/** Solves `a x = b` by Gaussian elimination with partial pivoting (a is small and positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]?.[col] ?? 0) > Math.abs(m[pivot]?.[col] ?? 0)) pivot = r;
    [m[col], m[pivot]] = [m[pivot] ?? [], m[col] ?? []];
    const p = m[col]?.[col] ?? 1;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const target = m[r];
      const f = (target?.[col] ?? 0) / p;
      if (!target || f === 0) continue;
      for (let c = col; c <= n; c++) target[c] = (target[c] ?? 0) - f * (m[col]?.[c] ?? 0);
    }
  }
  return m.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1));
}

/**
 * Fits weights by softmax-over-candidates regression (a conditional logit): per question, the
 * candidates' scores go through a softmax, and the loss is the cross-entropy against an even share
 * over the candidates that hold the answer; plus `l2` / 2 times the squared weights. The loss is
 * convex, so Newton's method from zero finds its one minimum, the same every run.
 */
export function fitWeights(groups: readonly CandidateRows[], l2: number): number[] {
  // As many weights as each candidate has features: the first stage's or the second's.
  const f = groups.find((g) => g.rows.length > 0)?.rows[0]?.length ?? 0;
  let w = new Array<number>(f).fill(0);
  const usable = groups.filter((g) => g.positive.some(Boolean) && g.positive.some((p) => !p));
  let current = loss(usable, w, l2);
  for (let iteration = 0; iteration < 100; iteration++) {
    const grad = w.map((x) => l2 * x);
    const hess = Array.from({ length: f }, (_, i) => Array.from({ length: f }, (_, j) => (i === j ? l2 : 0)));
    for (const g of usable) {
      const p = softmax(g.rows.map((row) => dot(row, w)));
      const positives = g.positive.filter(Boolean).length;
      const mean = new Array<number>(f).fill(0);
      g.rows.forEach((row, i) => {
        const pi = p[i] ?? 0;
        const ti = g.positive[i] ? 1 / positives : 0;
        for (let a = 0; a < f; a++) {
          const x = row[a] ?? 0;
          grad[a] = (grad[a] ?? 0) + (pi - ti) * x;
          mean[a] = (mean[a] ?? 0) + pi * x;
        }
      });
      g.rows.forEach((row, i) => {
        const pi = p[i] ?? 0;
        if (pi < 1e-12) return;
        for (let a = 0; a < f; a++) {
          const da = (row[a] ?? 0) - (mean[a] ?? 0);
          const hrow = hess[a];
          if (!hrow) continue;
          for (let b = 0; b < f; b++) hrow[b] = (hrow[b] ?? 0) + pi * da * ((row[b] ?? 0) - (mean[b] ?? 0));
        }
      });
    }
    // A constant feature (or one no question varies) leaves the Hessian singular: a little ridge keeps it solvable.
    hess.forEach((row, i) => {
      row[i] = (row[i] ?? 0) + 1e-9;
    });
    const taken = dampedStep(w, solve(hess, grad), current, (v) => loss(usable, v, l2));
    w = taken.w;
    current = taken.loss;
    if (taken.done) break;
  }
  return w;
}

/**
 * One damped Newton step: the step, halved until the loss falls (far from the minimum a full step
 * can overshoot). Gives the new weights and loss, and whether to stop: when no step lowers the loss
 * (the weights stay), or when the weights and the loss have settled.
 */
function dampedStep(
  w: number[],
  step: readonly number[],
  current: number,
  lossOf: (v: readonly number[]) => number,
): { w: number[]; loss: number; done: boolean } {
  let scale = 1;
  let next = w;
  let nextLoss = current;
  for (let tries = 0; tries < 30; tries++) {
    next = w.map((x, i) => x - scale * (step[i] ?? 0));
    nextLoss = lossOf(next);
    if (Number.isFinite(nextLoss) && nextLoss <= current) break;
    scale /= 2;
  }
  if (!(nextLoss <= current)) return { w, loss: current, done: true };
  const moved = Math.max(...w.map((x, i) => Math.abs(x - (next[i] ?? 0))));
  return { w: next, loss: nextLoss, done: moved < 1e-9 || current - nextLoss < 1e-12 };
}

function softmax(scores: readonly number[]): number[] {
  const top = Math.max(...scores);
  const exp = scores.map((s) => Math.exp(s - top));
  const z = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / z);
}

/** The regularised cross-entropy {@link fitWeights} minimises. */
function loss(groups: readonly CandidateRows[], w: readonly number[], l2: number): number {
  let total = (l2 / 2) * dot(w, w);
  for (const g of groups) {
    const p = softmax(g.rows.map((row) => dot(row, w)));
    const positives = g.positive.filter(Boolean).length;
    g.positive.forEach((pos, i) => {
      if (pos) total -= Math.log(Math.max(1e-300, p[i] ?? 0)) / positives;
    });
  }
  return total;
}

/**
 * The second stage's training groups: for each question, the candidates of the article that holds
 * its answer, as the second stage sees them (rank-within.ts).
 */
export function withinGroups(groups: readonly Group[]): CandidateRows[] {
  return groups.flatMap((g) => {
    const answering = g.articles[g.positive.indexOf(true)];
    if (answering === undefined) return [];
    const at = g.articles.flatMap((a, i) => (a === answering ? [i] : []));
    return [{ rows: at.map((i) => g.within[i] ?? []), positive: at.map((i) => g.positive[i] === true) }];
  });
}

/**
 * A group's candidates in the order the two stages give them under some weights: by the first
 * stage's score, then the best article's candidates reordered by the second stage's among the
 * places they hold (as rank-within.ts does). No `within` weights: the first stage alone.
 */
export function orderUnder(group: Group, weights: readonly number[], within?: readonly number[]): number[] {
  const scores = group.rows.map((row) => dot(row, weights));
  const order = scores
    .map((s, i) => [s, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .map(([, i]) => i);
  const first = order[0];
  if (within === undefined || first === undefined) return order;
  const article = group.articles[first];
  const places = order.flatMap((i, place) => (group.articles[i] === article ? [place] : []));
  const own = places.map((place) => order[place] ?? 0);
  const second = new Map(own.map((i) => [i, dot(group.within[i] ?? [], within)]));
  const reordered = own.map((i, k) => [second.get(i) ?? 0, k, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  places.forEach((place, k) => {
    order[place] = reordered[k]?.[2] ?? order[place] ?? 0;
  });
  return order;
}

/** 1-based rank, under some weights, of a group's first candidate holding an answer; null if none does. */
export function rankUnder(group: Group, weights: readonly number[], within?: readonly number[]): number | null {
  const at = orderUnder(group, weights, within).findIndex((i) => group.positive[i] === true);
  return at < 0 ? null : at + 1;
}

/**
 * Cross-validated ranks: each fold's groups ranked by weights fitted on the other folds, the first
 * stage with penalty `l2`, and with `withinL2` the second stage too.
 */
export function crossValidatedRanks(groups: readonly Group[], l2: number, withinL2?: number): Map<string, number | null> {
  const ranks = new Map<string, number | null>();
  const folds = [...new Set(groups.map((g) => g.fold))].sort((a, b) => a - b);
  for (const fold of folds) {
    const training = groups.filter((g) => g.fold !== fold);
    const weights = fitWeights(training, l2);
    const within = withinL2 === undefined ? undefined : fitWeights(withinGroups(training), withinL2);
    for (const g of groups) if (g.fold === fold) ranks.set(g.id, rankUnder(g, weights, within));
  }
  return ranks;
}

/** Weights as the ranker reads them, rounded so the file they are written to is stable. */
export function namedWeights<N extends string>(names: readonly N[], weights: readonly number[]): Record<N, number> {
  const out = {} as Record<N, number>;
  names.forEach((name, i) => {
    out[name] = Math.round((weights[i] ?? 0) * 1e4) / 1e4;
  });
  return out;
}

/** A labelled example for a logistic model: its features, and whether it is a positive. */
export interface Example {
  readonly id: string;
  readonly corpus: string;
  readonly fold: number;
  readonly x: readonly number[];
  readonly label: boolean;
  /** Which kind of example it is, for reports: "bbc answerable", "squad@bbc" (a question asked of another corpus)… */
  readonly group?: string;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * Fits a logistic regression (bias first, then one weight per feature) by Newton's method on the
 * log-loss plus `l2` / 2 times the squared weights (the bias is not penalised). The loss is convex,
 * so the result is the same every run.
 */
export function fitLogistic(examples: readonly Example[], l2: number): number[] {
  const f = (examples[0]?.x.length ?? 0) + 1;
  let w = new Array<number>(f).fill(0);
  const row = (e: Example): number[] => [1, ...e.x];
  const lossOf = (v: readonly number[]): number => {
    let total = 0;
    for (let i = 1; i < f; i++) total += (l2 / 2) * (v[i] ?? 0) ** 2;
    for (const e of examples) {
      const p = sigmoid(dot(row(e), v));
      total -= Math.log(Math.max(1e-300, e.label ? p : 1 - p));
    }
    return total;
  };
  let current = lossOf(w);
  for (let iteration = 0; iteration < 100; iteration++) {
    const grad = w.map((x, i) => (i === 0 ? 0 : l2 * x));
    const hess = Array.from({ length: f }, (_, i) => Array.from({ length: f }, (_, j) => (i === j ? (i === 0 ? 1e-9 : l2 + 1e-9) : 0)));
    for (const e of examples) {
      const x = row(e);
      const p = sigmoid(dot(x, w));
      const r = p - (e.label ? 1 : 0);
      const s = p * (1 - p);
      for (let a = 0; a < f; a++) {
        grad[a] = (grad[a] ?? 0) + r * (x[a] ?? 0);
        const hrow = hess[a];
        if (hrow) for (let b = 0; b < f; b++) hrow[b] = (hrow[b] ?? 0) + s * (x[a] ?? 0) * (x[b] ?? 0);
      }
    }
    const taken = dampedStep(w, solve(hess, grad), current, lossOf);
    w = taken.w;
    current = taken.loss;
    if (taken.done) break;
  }
  return w;
}

/** A fitted logistic model's probability for one example. */
export function predictLogistic(weights: readonly number[], x: readonly number[]): number {
  return sigmoid(dot([1, ...x], weights));
}

/** Cross-validated probabilities: each fold's examples scored by a model fitted on the other folds. */
export function crossValidatedProbabilities(examples: readonly Example[], l2: number): number[] {
  const folds = [...new Set(examples.map((e) => e.fold))].sort((a, b) => a - b);
  const out = new Array<number>(examples.length).fill(0);
  for (const fold of folds) {
    const weights = fitLogistic(
      examples.filter((e) => e.fold !== fold),
      l2,
    );
    examples.forEach((e, i) => {
      if (e.fold === fold) out[i] = predictLogistic(weights, e.x);
    });
  }
  return out;
}

/** Mean log-loss of probabilities against labels: lower is better calibrated. */
export function logLoss(examples: readonly Example[], probabilities: readonly number[]): number {
  let total = 0;
  examples.forEach((e, i) => {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, probabilities[i] ?? 0.5));
    total -= Math.log(e.label ? p : 1 - p);
  });
  return total / Math.max(1, examples.length);
}

/**
 * The share of `n` answerable questions a decline threshold may decline so that, one binomial
 * standard error above it, it still keeps within `limit`: the margin grows as the data shrink.
 *
 * @example marginedRate(0.03, 752) // 0.024
 */
export function marginedRate(limit: number, n: number): number {
  const within = (r: number): boolean => r + Math.sqrt((r * (1 - r)) / Math.max(1, n)) <= limit;
  // Steps of a tenth of a point, rounded so that the chosen rate prints exactly.
  for (let permille = Math.floor(limit * 1000); permille > 0; permille--) {
    if (within(permille / 1000)) return permille / 1000;
  }
  return 0;
}
