/**
 * The features a candidate passage is scored on. Each lies in [0, 1] and says one generic thing
 * about how the passage, its article or its neighbour matches the question; none knows any
 * particular question. The weights that combine them are fitted (see rank-params.ts).
 *
 * Per passage the ranker reads from the archive: its term ids, token spans and sentence numbers
 * (`termIds`, `spans`, `sentences`), its figures, its article's term counts and
 * title terms, and the previous passage's term ids.
 */
import { hasTerm, sentenceOfToken, type Archive, type IndexedArticle, type IndexedPassage } from './archive.ts';
import { FEATURE_NAMES, type FeatureName, type RankParams } from './rank-params.ts';
import { SURFACE, setCoverage, statedByQuestion, surfaceForm, weightedCoverage, type Query } from './rank-query.ts';
import { processTerm } from './text.ts';
import type { Figure } from './types.ts';

export type Features = Record<FeatureName, number>;

/**
 * What each feature measures, and whether it is known before the passage's text is scanned (then
 * the pruning bound uses its value; otherwise its maximum, see {@link upperBound}).
 */
export const FEATURES: Readonly<Record<FeatureName, { readonly doc: string; readonly known: boolean }>> = {
  bm25: { doc: "The passage's BM25 score (params k, b) over the best candidate's.", known: true },
  articleBm25: { doc: "The article prior: its passages' summed BM25 over the best article's. News questions name the story.", known: true },
  articleCoverage: { doc: "The weighted (by idf) share of the question's terms the article has anywhere.", known: true },
  title: { doc: "The weighted share of the question's terms in the article's title.", known: true },
  previous: { doc: 'The weighted share of the question in the paragraph before: news paragraphs carry on from each other.', known: true },
  coverage: { doc: "The weighted share of the question's terms in the passage.", known: false },
  sentence: { doc: "The best sentence's weighted share of the question's terms.", known: false },
  span: {
    doc: 'Minimum-span proximity: (m − 1) / (w − 1) for the m distinct question terms the passage has, within the shortest run of w tokens holding them all.',
    known: false,
  },
  phrase: {
    doc: "Question terms that follow each other in the passage as in the question, per pair of the question's terms.",
    known: false,
  },
  figureNear: {
    doc: "For a figure question, a figure of the wanted kind with the question's terms close around it: its fit times the root of their weighted closeness.",
    known: false,
  },
  wantedFigure: {
    doc: '1 when the passage holds a figure of a kind the question asks for that the question does not state itself, else 0 (always 0 for a question that asks no figure): a passage without one cannot answer, however near its terms stand, and figureNear alone weighs a far one little.',
    known: true,
  },
};

/** What an article as a whole says about the question: per query term, its best variant's strength there, and title coverage. */
export interface ArticleEvidence {
  readonly strengths: readonly number[];
  readonly coverage: number;
  readonly title: number;
}

/** What the article says about the question: see {@link ArticleEvidence}. */
export function articleEvidence(query: Query, article: IndexedArticle): ArticleEvidence {
  const strengths = query.terms.map((term) => {
    let best = 0;
    for (const [id, strength] of term.variants) if (strength > best && hasTerm(article.terms, id)) best = strength;
    return best;
  });
  return {
    strengths,
    coverage: weightedCoverage(query, strengths),
    title: weightedCoverage(query, setCoverage(query, { has: (id) => hasTerm(article.titleTerms, id) })),
  };
}

/** Where the question's terms occur in a passage, in token order. */
export interface Hits {
  count: number;
  readonly token: number[];
  readonly term: number[];
  readonly strength: number[];
}

/** Where and how strongly the question's terms occur in a passage, overall and per sentence. */
export interface Matches {
  readonly inPassage: number[];
  readonly inSentence: number[][];
  readonly hits: Hits;
  /** Question terms that follow each other in the passage as in the question. */
  readonly adjacentPairs: number;
}

/** Matches a passage's tokens against the question's terms. */
export function matchPassage(query: Query, passage: IndexedPassage): Matches {
  const termCount = query.terms.length;
  const inPassage = new Array<number>(termCount).fill(0);
  const sentenceCount = Math.max(1, passage.sentences.length);
  const inSentence = Array.from({ length: sentenceCount }, () => new Array<number>(termCount).fill(0));
  const hits: Hits = { count: 0, token: [], term: [], strength: [] };
  let previousQueryTerm = -1;
  let adjacentPairs = 0;
  for (let i = 0; i < passage.termIds.length; i++) {
    const id = passage.termIds[i] ?? -1;
    if (id < 0) continue;
    const matches = query.lookup.get(id);
    if (matches === undefined) {
      previousQueryTerm = -1;
      continue;
    }
    const row = inSentence[sentenceOfToken(passage, i)];
    let surface: string | null = null;
    for (const [q, exact] of matches) {
      let strength = exact;
      if (exact === 1 && SURFACE.stemOnly < 1) {
        surface ??= surfaceForm(passage.passage.text.slice(passage.spans[2 * i] ?? 0, passage.spans[2 * i + 1] ?? 0));
        if (surface !== query.surfaces[q]) strength = SURFACE.stemOnly;
      }
      if (strength > (inPassage[q] ?? 0)) inPassage[q] = strength;
      if (row && strength > (row[q] ?? 0)) row[q] = strength;
      if (previousQueryTerm >= 0 && q === previousQueryTerm + 1) adjacentPairs++;
      hits.token.push(i);
      hits.term.push(q);
      hits.strength.push(strength);
      hits.count++;
    }
    previousQueryTerm = matches[0]?.[0] ?? -1;
  }
  return { inPassage, inSentence, hits, adjacentPairs };
}

/** Weighted share of the query in one passage, from its term ids alone. */
export function passageCoverage(query: Query, passage: IndexedPassage): number {
  const strengths = query.terms.map(() => 0);
  for (const id of passage.termIds) {
    for (const [q, strength] of query.lookup.get(id) ?? []) if (strength > (strengths[q] ?? 0)) strengths[q] = strength;
  }
  return weightedCoverage(query, strengths);
}

/** Minimum-span proximity: see `FEATURES.span`. */
export function minimumSpan(hits: Hits, termCount: number): number {
  const distinct = new Set(hits.term.slice(0, hits.count)).size;
  if (distinct < 2) return 0;
  const inWindow = new Array<number>(termCount).fill(0);
  let covered = 0;
  let best = Infinity;
  let left = 0;
  for (let right = 0; right < hits.count; right++) {
    const q = hits.term[right] ?? 0;
    if ((inWindow[q] = (inWindow[q] ?? 0) + 1) === 1) covered++;
    while (covered === distinct) {
      const width = (hits.token[right] ?? 0) - (hits.token[left] ?? 0) + 1;
      if (width < best) best = width;
      const l = hits.term[left] ?? 0;
      if ((inWindow[l] = (inWindow[l] ?? 0) - 1) === 0) covered--;
      left++;
    }
  }
  return best <= 1 ? 1 : Math.min(1, (distinct - 1) / (best - 1));
}

/** A span of a passage that could be the answer: a figure of the wanted kind, or a run of name words. */
export interface AnswerCandidate {
  readonly sentence: number;
  /** Token range `[start, end)`. */
  readonly start: number;
  readonly end: number;
  /** How well its kind fits the question, 0–1. */
  readonly fit: number;
  /** The figure, for a figure candidate. */
  readonly figure?: Figure;
}

/** The first token whose span ends after `offset`. */
function tokenAt(passage: IndexedPassage, offset: number): number {
  let lo = 0;
  let hi = passage.termIds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((passage.spans[2 * mid + 1] ?? 0) <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * How well a figure fits a figure question ({@link figureCandidates}): factors multiplied together
 * where several apply, weighing a figure's proximity in the figureNear ranking feature and in answer
 * extraction. Each lies in (0, 1]: at 1 the rule makes no difference, above it a figure the rule
 * speaks against would beat a plain one. Set by hand, not fitted; after a change, `train:ranker`
 * refits the weights and answer models that read them.
 */
export const FIGURE_FIT = {
  /** A figure of a wanted kind other than the most wanted one. Default 0.6. */
  otherKind: 0.6,
  /**
   * A count of something the question does not ask to count ("how many songs" → "three albums");
   * in answer extraction, a bare number too when the question names what it counts. Default 0.8.
   */
  otherUnit: 0.8,
  /** The old value of a change ("from 30% to 18%") when the question does not ask for the earlier one. Default 0.7. */
  changeFrom: 0.7,
  /** For "how long", a length of time ago ("five weeks ago"): it places an event rather than lasting. Default 0.5. */
  ago: 0.5,
  /** For an age question, a bare number after "at" or "only" taken for an age, below a written age. Default 0.8. */
  bareAge: 0.8,
};

/**
 * How far, in characters, the new value of a change may stand from the old one's end ("from 30% at
 * the end of last year to 18%"), and how long the words between may run before their "to": a
 * clause's length. Further apart, the second figure is a new statement, not where the change went.
 */
const CHANGE_REACH = 70;
const CHANGE_WORDS = 60;

/** Text between the two values of a change, "from 30% to 18%", "from 30% at the end of last year to": ends in "to". */
const CHANGE_GAP = new RegExp(`^[^.;:!?]{0,${CHANGE_WORDS}}?\\bto\\s+$`, 'u');

/**
 * Whether a figure is the old value of a change, "from X to Y" with Y a figure of the same kind:
 * a question about the change asks for where it went ("cut its leakage rate to what") unless it asks
 * for the earlier one.
 */
function isChangeFrom(passage: IndexedPassage, index: number): boolean {
  const figure = passage.figures[index];
  if (!figure || !/\bfrom\s+$/iu.test(passage.passage.text.slice(Math.max(0, figure.start - 6), figure.start))) return false;
  for (let k = index + 1; k < passage.figures.length; k++) {
    const next = passage.figures[k];
    if (!next || next.start - figure.end > CHANGE_REACH) return false;
    if (next.kind === figure.kind) return CHANGE_GAP.test(passage.passage.text.slice(figure.end, next.start));
  }
  return false;
}

/** "five weeks ago": a length of time that places an event, not how long something lasts. */
function isAgo(passage: IndexedPassage, figure: Figure): boolean {
  return figure.kind === 'duration' && /^\s+ago\b/iu.test(passage.passage.text.slice(figure.end, figure.end + 5));
}

/** The highest age a bare number is taken for: about the oldest any person has lived. */
const OLDEST_AGE = 115;

/**
 * "made captain at 22", "and only 25": a bare whole number after "at" or "only", which for a
 * question that asks an age is most likely the age (extraction does not call it one without a
 * name or a comma around it: "stands at 19" may count deaths).
 */
function isBareAge(passage: IndexedPassage, figure: Figure): boolean {
  if (figure.kind !== 'count' || figure.unit !== null || figure.value === null) return false;
  if (!Number.isInteger(figure.value) || figure.value < 1 || figure.value > OLDEST_AGE) return false;
  return /^only\s/iu.test(figure.text) || /\bat\s+$/iu.test(passage.passage.text.slice(Math.max(0, figure.start - 4), figure.start));
}

/** Where a figure's kind stands among the question's wanted kinds (a bare age's as an age's), or -1. */
function wantedRank(query: Query, passage: IndexedPassage, figure: Figure): number {
  const { wanted } = query.analysis;
  const rank = wanted.indexOf(figure.kind);
  return rank < 0 && wanted.includes('age') && isBareAge(passage, figure) ? wanted.indexOf('age') : rank;
}

/** Whether a figure says it counts one of the `counted` words (stemmed): "40 farmers" for "farmer". */
export function countsAsked(figure: Figure, counted: ReadonlySet<string>): boolean {
  return figure.unit !== null && counted.has(processTerm(figure.unit) ?? '');
}

/**
 * Figures of the wanted kind that the question does not state itself. The most wanted kind fits
 * best; a count of something outside `counted` ("how many songs" → "three albums") less: the words
 * the question names for ranking, what it asks to count for an answer (see Query.countedHead);
 * so do the old value of a change ("from 30% to 18%") unless the question asks for the earlier
 * one, and for "how long", a length of time ago. For a question that asks an age, a bare number
 * after "at" or "only" is taken for one, fitting less than a written age.
 */
export function figureCandidates(
  passage: IndexedPassage,
  query: Query,
  counted: ReadonlySet<string> = query.countedNouns,
): AnswerCandidate[] {
  const { wanted } = query.analysis;
  const out: AnswerCandidate[] = [];
  passage.figures.forEach((figure, index) => {
    const rank = wantedRank(query, passage, figure);
    if (rank < 0 || statedByQuestion(query, figure)) return;
    let fit = figure.kind === 'count' && query.analysis.wanted[rank] === 'age' ? FIGURE_FIT.bareAge : 1;
    const start = tokenAt(passage, figure.start);
    const end = Math.max(start + 1, tokenAt(passage, figure.end - 1) + 1);
    if (rank > 0) fit *= FIGURE_FIT.otherKind;
    if (figure.kind === 'count' && figure.unit !== null && counted.size > 0 && !countsAsked(figure, counted)) fit *= FIGURE_FIT.otherUnit;
    if (!query.asksEarlierValue && isChangeFrom(passage, index)) fit *= FIGURE_FIT.changeFrom;
    if (wanted[0] === 'duration' && isAgo(passage, figure)) fit *= FIGURE_FIT.ago;
    out.push({ sentence: sentenceOfToken(passage, start), start, end, fit, figure });
  });
  return out;
}

/**
 * How closely the question's terms surround an answer candidate, 0–1: each term counts by its
 * weight, its match strength and how near its nearest occurrence stands (half at
 * `params.halfDistance` tokens, less across sentences).
 */
export function proximity(
  query: Query,
  passage: IndexedPassage,
  hits: Hits,
  candidate: AnswerCandidate,
  weights: readonly number[],
  params: Pick<RankParams, 'halfDistance' | 'sentenceGap'>,
): number {
  let total = 0;
  for (const w of weights) total += w;
  if (total === 0) return 0;
  const best = new Float64Array(query.terms.length);
  const half = params.halfDistance;
  for (let h = 0; h < hits.count; h++) {
    // A question term inside the candidate is the figure's own noun ("half a million people" for
    // "how many people"): as close as can be.
    const token = hits.token[h] ?? 0;
    const gap = token < candidate.start ? candidate.start - token - 1 : token >= candidate.end ? token - candidate.end : 0;
    const sentences = Math.abs(sentenceOfToken(passage, token) - candidate.sentence);
    const closeness = (hits.strength[h] ?? 0) * (half / (half + gap + sentences * params.sentenceGap));
    const q = hits.term[h] ?? 0;
    if (closeness > (best[q] ?? 0)) best[q] = closeness;
  }
  let sum = 0;
  for (let q = 0; q < best.length; q++) sum += (best[q] ?? 0) * (weights[q] ?? 0);
  return sum / total;
}

/** The features known before a passage's text is scanned. */
export interface KnownFeatures {
  readonly bm25: number;
  readonly articleBm25: number;
  readonly articleCoverage: number;
  readonly title: number;
  readonly previous: number;
  /** Whether the passage holds a figure the question could want. */
  readonly hasWantedFigure: boolean;
}

/**
 * The largest value each feature can take for a passage, given what is known before its text is
 * scanned: a known feature's own value; a passage covers no more of the question than its article;
 * a figure feature is 0 without a wanted figure; the rest at most 1.
 */
export function featureMaxima(known: KnownFeatures): Features {
  return {
    bm25: known.bm25,
    articleBm25: known.articleBm25,
    articleCoverage: known.articleCoverage,
    title: known.title,
    previous: known.previous,
    coverage: known.articleCoverage,
    sentence: known.articleCoverage,
    span: 1,
    phrase: 1,
    figureNear: known.hasWantedFigure ? 1 : 0,
    wantedFigure: known.hasWantedFigure ? 1 : 0,
  };
}

/** The features scanning a passage gives, and its best sentence. */
export function passageFeatures(
  query: Query,
  passage: IndexedPassage,
  known: KnownFeatures,
  params: RankParams,
): { features: Features; bestSentence: number; matches: Matches } {
  const termCount = query.terms.length;
  const matches = matchPassage(query, passage);
  const { inPassage, inSentence, hits, adjacentPairs } = matches;
  const weights = query.terms.map((t) => t.weight);
  const nearOf = new Float64Array(inSentence.length);
  if (known.hasWantedFigure) {
    for (const candidate of figureCandidates(passage, query)) {
      const near = candidate.fit * Math.sqrt(proximity(query, passage, hits, candidate, weights, params));
      if (near > (nearOf[candidate.sentence] ?? 0)) nearOf[candidate.sentence] = near;
    }
  }
  let bestSentence = 0;
  let bestValue = -Infinity;
  let sentence = 0;
  let figureNear = 0;
  inSentence.forEach((row, s) => {
    const c = weightedCoverage(query, row);
    const near = nearOf[s] ?? 0;
    const value = params.weights.sentence * c + params.weights.figureNear * near;
    if (value > bestValue) {
      bestValue = value;
      bestSentence = s;
    }
    if (c > sentence) sentence = c;
    if (near > figureNear) figureNear = near;
  });
  const features: Features = {
    bm25: known.bm25,
    articleBm25: known.articleBm25,
    articleCoverage: known.articleCoverage,
    title: known.title,
    previous: known.previous,
    coverage: weightedCoverage(query, inPassage),
    sentence,
    span: minimumSpan(hits, termCount),
    phrase: termCount > 1 ? Math.min(1, adjacentPairs / (termCount - 1)) : 0,
    figureNear,
    wantedFigure: known.hasWantedFigure ? 1 : 0,
  };
  return { features, bestSentence, matches };
}

/** A passage's score: its features, weighted. */
export function scoreOf(features: Features, weights: Readonly<Record<FeatureName, number>>): number {
  let score = 0;
  for (const name of FEATURE_NAMES) score += weights[name] * features[name];
  return score;
}

/**
 * The highest score a passage could reach given the largest (and, for a negative weight, the
 * smallest) value each feature can take. Every feature is at least 0, a known one exactly its value.
 */
export function upperBound(known: KnownFeatures, weights: Readonly<Record<FeatureName, number>>): number {
  const maxima = featureMaxima(known);
  let bound = 0;
  for (const name of FEATURE_NAMES) {
    const w = weights[name];
    const least = FEATURES[name].known ? maxima[name] : 0;
    bound += w >= 0 ? w * maxima[name] : w * least;
  }
  return bound;
}

/** Each feature's part in a score, largest first: why a passage ranks where it does. */
export function explainScore(
  features: Features,
  weights: Readonly<Record<FeatureName, number>>,
): { feature: FeatureName; value: number; contribution: number }[] {
  return FEATURE_NAMES.map((feature) => ({ feature, value: features[feature], contribution: weights[feature] * features[feature] })).sort(
    (a, b) => b.contribution - a.contribution,
  );
}

/** Whether a passage holds a figure of a kind the question wants that the question does not state. */
export function hasWantedFigure(query: Query, passage: IndexedPassage): boolean {
  const { wanted } = query.analysis;
  if (wanted.length === 0) return false;
  return passage.figures.some((f) => wantedRank(query, passage, f) >= 0 && !statedByQuestion(query, f));
}

/** The article a passage belongs to. */
export function articleOf(archive: Archive, passage: IndexedPassage): IndexedArticle | undefined {
  return archive.articles[passage.article];
}
