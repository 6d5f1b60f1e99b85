/**
 * Passage ranking: scoring. Candidates come from BM25 (rank-candidates.ts); each is scored as the
 * weighted sum of its features (rank-features.ts), with the fitted weights of rank-params.ts. As in
 * tantivy's scorers, an upper bound derived from each feature's own maximum lets the ranker skip
 * candidates that cannot reach the top, and a score can be explained feature by feature.
 */
import type { Archive, IndexedArticle, IndexedPassage } from './archive.ts';
import { analyseQuestion } from './question-analysis.ts';
import { findCandidates } from './rank-candidates.ts';
import {
  articleEvidence,
  hasWantedFigure,
  passageCoverage,
  passageFeatures,
  scoreOf,
  upperBound,
  type ArticleEvidence,
  type Features,
  type KnownFeatures,
} from './rank-features.ts';
import { DEFAULT_RANK_PARAMS, type RankParams } from './rank-params.ts';
import { resolveQuery, type Query } from './rank-query.ts';
import { reorderBestArticle, withinIsOff } from './rank-within.ts';
import type { Figure } from './types.ts';

export type { Query, ResolvedTerm } from './rank-query.ts';

export interface ScoredPassage {
  readonly passage: IndexedPassage;
  readonly score: number;
  /** Sentence of the passage that best covers the question. */
  readonly bestSentence: number;
  /** Weighted share of the question's terms found in the passage. */
  readonly coverage: number;
  /** Each feature's value (0–1) before weighting: see `FEATURES`. */
  readonly features: Readonly<Features>;
}

export interface Ranking {
  readonly query: Query;
  readonly params: RankParams;
  /** Candidate passages, best first: all of them, or with a `depth`, at least that many best ones. */
  readonly passages: readonly ScoredPassage[];
  /** How many candidate passages there were in all, scored or not. */
  readonly candidates: number;
  /** Articles by the summed BM25 of their matching passages, best first. */
  readonly articles: readonly IndexedArticle[];
  /** For each query term, its best variant's strength in an article. */
  articleCoverage(article: IndexedArticle): readonly number[];
}

/** The sentence of a passage that holds a figure, or -1. */
export function figureSentence(passage: IndexedPassage, figure: Figure): number {
  return passage.sentences.findIndex((s) => figure.start >= s.start && figure.start < s.end);
}

/** How many of the best articles a ranking lists. */
const ARTICLE_LIST = 20;

/**
 * Ranks the archive's passages for a question. With `depth`, only as many candidates are scored as
 * it takes to be sure of the best `depth`; `candidates` still counts them all. A passage whose text
 * another candidate repeats (a wire story filed twice) is listed once, as its better-scoring copy.
 *
 * @example rankPassages(archive, 'What death toll has the Syrian war reached?').passages[0]?.passage.passage.text
 */
export function rankPassages(archive: Archive, question: string, depth?: number, params: RankParams = DEFAULT_RANK_PARAMS): Ranking {
  return rankQuery(archive, resolveQuery(archive, analyseQuestion(question)), depth, params);
}

/** {@link rankPassages} for a question already resolved. */
export function rankQuery(archive: Archive, query: Query, depth?: number, params: RankParams = DEFAULT_RANK_PARAMS): Ranking {
  const evidenceCache = new Map<number, ArticleEvidence>();
  const evidenceFor = (article: IndexedArticle): ArticleEvidence => {
    let evidence = evidenceCache.get(article.ordinal);
    if (!evidence) {
      evidence = articleEvidence(query, article);
      evidenceCache.set(article.ordinal, evidence);
    }
    return evidence;
  };
  const ranking = (passages: ScoredPassage[], articles: IndexedArticle[], candidates = passages.length): Ranking => ({
    query,
    params,
    passages,
    candidates,
    articles,
    articleCoverage: (article) => evidenceFor(article).strengths,
  });
  if (query.terms.length === 0) return ranking([], []);

  const found = findCandidates(archive, query, params, ARTICLE_LIST);
  const { weights } = params;
  const pending: { passage: IndexedPassage; known: KnownFeatures; bound: number }[] = [];
  for (const [ordinal, bm25] of found.bm25) {
    const passage = archive.passages[ordinal];
    const article = passage && archive.articles[passage.article];
    if (!passage || !article) continue;
    const evidence = evidenceFor(article);
    const previous = archive.passages[ordinal - 1];
    const known: KnownFeatures = {
      bm25,
      articleBm25: found.articleBm25(article.ordinal),
      articleCoverage: evidence.coverage,
      title: evidence.title,
      previous: previous?.article === article.ordinal ? passageCoverage(query, previous) : 0,
      hasWantedFigure: hasWantedFigure(query, passage),
    };
    pending.push({ passage, known, bound: upperBound(known, weights) });
  }
  // Score candidates in order of their bound, and stop once no unscored one can reach the top
  // `depth`: those are exact, which is all an answer shows, at a fraction of the work.
  pending.sort((a, b) => b.bound - a.bound);
  const byText = new Map<number, ScoredPassage>();
  const best: number[] = [];
  let scoredUpTo = pending.length;
  for (const [at, candidate] of pending.entries()) {
    if (depth !== undefined && best.length >= depth && candidate.bound < (best[depth - 1] ?? -Infinity)) {
      scoredUpTo = at;
      break;
    }
    const { features, bestSentence } = passageFeatures(query, candidate.passage, candidate.known, params);
    const result: ScoredPassage = {
      passage: candidate.passage,
      score: scoreOf(features, weights),
      bestSentence,
      coverage: features.coverage,
      features,
    };
    const twin = byText.get(candidate.passage.original);
    if (twin !== undefined && twin.score >= result.score) continue;
    byText.set(candidate.passage.original, result);
    if (depth !== undefined && twin === undefined) {
      const at = best.findIndex((score) => score < result.score);
      best.splice(at < 0 ? best.length : at, 0, result.score);
      if (best.length > depth) best.length = depth;
    }
  }
  // The second stage orders the best article's passages, so each of them needs its features,
  // including those the bound let the first stage skip.
  const firstArticle = [...byText.values()].reduce<ScoredPassage | null>((a, b) => (a === null || b.score > a.score ? b : a), null)?.passage
    .article;
  if (firstArticle !== undefined && !withinIsOff(params.within)) {
    for (const candidate of pending.slice(scoredUpTo)) {
      if (candidate.passage.article !== firstArticle || byText.has(candidate.passage.original)) continue;
      const { features, bestSentence } = passageFeatures(query, candidate.passage, candidate.known, params);
      byText.set(candidate.passage.original, {
        passage: candidate.passage,
        score: scoreOf(features, weights),
        bestSentence,
        coverage: features.coverage,
        features,
      });
    }
  }
  const scored = reorderBestArticle(
    archive,
    query,
    [...byText.values()].sort((a, b) => b.score - a.score),
    params,
  );
  return ranking(
    scored,
    found.articles.flatMap((id) => archive.articles[id] ?? []),
    pending.length,
  );
}
