import fitted from './rank-weights.json' with { type: 'json' };

/**
 * Every parameter of passage ranking, in one place. Each says what it means, its sensible range
 * and its default, as MiniSearch documents its `BM25Params`. The feature weights are not set by
 * hand: `npm run train:ranker` fits them on the tuning part of the development questions and
 * writes `rank-weights.json`, which {@link DEFAULT_RANK_PARAMS} loads.
 */
export interface RankParams {
  /**
   * BM25 term-frequency saturation, for finding and scoring candidate passages. Range 1–3; default 2:
   * news paragraphs are short, and a term said twice in one says more than in a long document.
   */
  readonly k: number;
  /**
   * BM25 length normalisation. Range 0–1; default 0.3: paragraph length says little about
   * relevance in news, where a long paragraph is usually a quote.
   */
  readonly b: number;
  /** BM25+ lower bound δ for one occurrence of a term (MiniSearch's `d`). Range 0–1; default 0.5. */
  readonly d: number;
  /** How much more a match in the article's title counts than one in its text. Range 1–3; default 1.5. */
  readonly titleBoost: number;
  /** Candidate passages taken from BM25, best first. Range 50–500; default 150. */
  readonly candidates: number;
  /** Articles, by summed BM25, whose other passages compete too. Range 1–10; default 5. */
  readonly articles: number;
  /**
   * Proximity: tokens between a question term and a figure at which the term counts half. Range
   * 2–10; default 4.
   */
  readonly halfDistance: number;
  /** Proximity: extra distance for each sentence boundary between a term and the figure. Range 0–30; default 12. */
  readonly sentenceGap: number;
  /** The weight of each feature in a passage's score: see `FEATURES` in rank-features.ts. Fitted, not hand-set. */
  readonly weights: Readonly<Record<FeatureName, number>>;
  /**
   * The second stage's weights: which passage of the best article comes first (see rank-within.ts
   * and its `WITHIN_FEATURES`). Fitted, not hand-set; all 0 keeps the first stage's order.
   */
  readonly within: Readonly<Record<WithinFeatureName, number>>;
}

/**
 * The passage's own features, which both stages weigh: the first among every candidate, the second
 * among the best article's passages (rank-within.ts copies them).
 */
const PASSAGE_FEATURE_NAMES = ['previous', 'coverage', 'sentence', 'span', 'phrase', 'figureNear'] as const;

/** The features a passage is scored on; each lies in [0, 1]. Described in rank-features.ts. */
export const FEATURE_NAMES = ['bm25', 'articleBm25', 'articleCoverage', 'title', ...PASSAGE_FEATURE_NAMES, 'wantedFigure'] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/**
 * The features the second stage orders the best article's passages by, each in [0, 1]: the
 * passage features that differ within one article; for a question that asks for a name, how
 * closely one stands to its terms; whether the passage is the article's lead; and how much of it
 * is not the question's words. Described in rank-within.ts.
 */
export const WITHIN_FEATURE_NAMES = ['bm25', ...PASSAGE_FEATURE_NAMES, 'nameNear', 'lead', 'novelty'] as const;

export type WithinFeatureName = (typeof WITHIN_FEATURE_NAMES)[number];

/** The fitted weights as `train:ranker` writes them. */
export interface FittedWeights {
  readonly weights: Readonly<Record<FeatureName, number>>;
  /** The L2 penalty cross-validation chose. */
  readonly l2: number;
  readonly within: Readonly<Record<WithinFeatureName, number>>;
  /** The L2 penalty cross-validation chose for the second stage. */
  readonly withinL2: number;
  /** What they were fitted on, in words. */
  readonly fittedOn: string;
}

function weightsFrom<N extends string>(names: readonly N[], weights: Readonly<Record<string, number>> | undefined): Record<N, number> {
  const out = {} as Record<N, number>;
  for (const name of names) out[name] = weights?.[name] ?? 0;
  return out;
}

export const DEFAULT_RANK_PARAMS: RankParams = Object.freeze({
  k: 2,
  b: 0.3,
  d: 0.5,
  titleBoost: 1.5,
  candidates: 150,
  articles: 5,
  halfDistance: 4,
  sentenceGap: 12,
  weights: Object.freeze(weightsFrom(FEATURE_NAMES, fitted.weights)),
  within: Object.freeze(weightsFrom(WITHIN_FEATURE_NAMES, fitted.within)),
});
