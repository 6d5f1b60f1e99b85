import type { Archive, IndexedArticle, IndexedPassage } from './archive.ts';
import { analyseQuestion, type QuestionAnalysis } from './question.ts';
import type { Figure, FigureKind } from './types.ts';

const CANDIDATE_LIMIT = 150;
const ARTICLE_LIMIT = 5;
/** Terms in more than this share of passages are too common to find candidates with. */
const COMMON_TERM_SHARE = 0.06;

/** One query term with the index terms that stand for it (itself, misspellings, completions). */
export interface ResolvedTerm {
  readonly word: string;
  readonly weight: number;
  /** A name or number: an article that lacks it cannot answer the question. */
  readonly essential: boolean;
  /** Term id → how well it stands for the query term (1 exact, less for fuzzy or prefix). */
  readonly variants: ReadonlyMap<number, number>;
  readonly common: boolean;
}

export interface Query {
  readonly analysis: QuestionAnalysis;
  readonly terms: readonly ResolvedTerm[];
  readonly totalWeight: number;
  /** Term id → [query term index, variant strength] pairs. */
  readonly lookup: ReadonlyMap<number, readonly (readonly [number, number])[]>;
}

export interface ScoredPassage {
  readonly passage: IndexedPassage;
  readonly score: number;
  /** Sentence of the passage that best covers the question. */
  readonly bestSentence: number;
  /** Weighted share of the question's terms found in the passage. */
  readonly coverage: number;
}

export interface Ranking {
  readonly query: Query;
  /** Candidate passages, best first. */
  readonly passages: readonly ScoredPassage[];
  /** Articles by BM25 over their whole text, best first. */
  readonly articles: readonly IndexedArticle[];
  /** For each query term, its best variant's strength in the article of a passage. */
  articleCoverage(article: IndexedArticle): readonly number[];
}

function idf(archive: Archive, df: number): number {
  const n = archive.passages.length;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Looks each question term up in the archive's vocabulary, with fuzzy and prefix variants. */
export function resolveQuery(archive: Archive, analysis: QuestionAnalysis): Query {
  const resolved: ResolvedTerm[] = [];
  const lookup = new Map<number, [number, number][]>();
  const commonLimit = Math.max(50, archive.passages.length * COMMON_TERM_SHARE);
  analysis.terms.forEach((queryTerm, index) => {
    const variants = new Map<number, number>();
    const exact = archive.termId(queryTerm.term);
    const isNumber = /^\d/u.test(queryTerm.term);
    if (exact !== undefined) variants.set(exact, 1);
    else if (!isNumber && queryTerm.term.length >= 5) {
      for (const [id, distance] of archive.fuzzyTerms(queryTerm.term, queryTerm.term.length >= 8 ? 2 : 1)) {
        variants.set(id, distance === 1 ? 0.8 : 0.6);
      }
    }
    if (exact === undefined && !isNumber && index === analysis.terms.length - 1 && queryTerm.term.length >= 3) {
      // The last word may be unfinished ("…in Syr"): let it match as a prefix, weakly.
      for (const id of archive.prefixTerms(queryTerm.term, 20)) if (!variants.has(id)) variants.set(id, 0.5);
    }
    let df = 0;
    for (const id of variants.keys()) df = Math.max(df, archive.passageFrequency(id));
    const essential = queryTerm.essential || (exact !== undefined && archive.isNameLike(exact));
    resolved.push({ word: queryTerm.word, weight: idf(archive, df), essential, variants, common: df > commonLimit });
  });
  resolved.forEach((term, index) => {
    for (const [id, strength] of term.variants) {
      const list = lookup.get(id) ?? [];
      list.push([index, strength]);
      lookup.set(id, list);
    }
  });
  const totalWeight = resolved.reduce((sum, t) => sum + t.weight, 0);
  return { analysis, terms: resolved, totalWeight, lookup };
}

/** For each query term, the strength of its best variant in a set of term ids. */
export function setCoverage(query: Query, ids: ReadonlySet<number>): number[] {
  return query.terms.map((term) => {
    let best = 0;
    for (const [id, strength] of term.variants) if (strength > best && ids.has(id)) best = strength;
    return best;
  });
}

/** The weighted share of the query that per-term strengths cover, from 0 to 1. */
export function weightedCoverage(query: Query, strengths: readonly number[]): number {
  if (query.totalWeight === 0) return 0;
  let sum = 0;
  strengths.forEach((s, i) => (sum += s * (query.terms[i]?.weight ?? 0)));
  return sum / query.totalWeight;
}

/** The sentence of a passage that holds a figure, or -1. */
export function figureSentence(passage: IndexedPassage, figure: Figure): number {
  return passage.sentences.findIndex((s) => figure.start >= s.start && figure.start < s.end);
}

function figureFit(passage: IndexedPassage, wanted: readonly FigureKind[], sentence: number): number {
  if (wanted.length === 0) return 0;
  let best = 0;
  for (const figure of passage.figures) {
    const rank = wanted.indexOf(figure.kind);
    if (rank < 0) continue;
    const value = (rank === 0 ? 1 : 0.6) * (figureSentence(passage, figure) === sentence ? 1 : 0.6);
    if (value > best) best = value;
  }
  return best;
}

function scorePassage(query: Query, passage: IndexedPassage, bm25: number, articleSignal: number, titleCoverage: number): ScoredPassage {
  const termCount = query.terms.length;
  const inPassage = new Array<number>(termCount).fill(0);
  const inSentence = Array.from({ length: Math.max(1, passage.sentences.length) }, () => new Array<number>(termCount).fill(0));
  let previousQueryTerm = -1;
  let adjacentPairs = 0;
  for (let i = 0; i < passage.termIds.length; i++) {
    const id = passage.termIds[i] ?? -1;
    if (id < 0) continue;
    const hits = query.lookup.get(id);
    if (hits === undefined) {
      previousQueryTerm = -1;
      continue;
    }
    const row = inSentence[passage.sentenceOf[i] ?? 0];
    for (const [q, strength] of hits) {
      if (strength > (inPassage[q] ?? 0)) inPassage[q] = strength;
      if (row && strength > (row[q] ?? 0)) row[q] = strength;
      if (previousQueryTerm >= 0 && q === previousQueryTerm + 1) adjacentPairs++;
    }
    previousQueryTerm = hits[0]?.[0] ?? -1;
  }
  const coverage = weightedCoverage(query, inPassage);
  let bestSentence = 0;
  let sentenceCoverage = 0;
  inSentence.forEach((row, s) => {
    const c = weightedCoverage(query, row);
    if (c > sentenceCoverage) {
      sentenceCoverage = c;
      bestSentence = s;
    }
  });
  const phrase = termCount > 1 ? Math.min(1, adjacentPairs / (termCount - 1)) : 0;
  const fit = figureFit(passage, query.analysis.wanted, bestSentence);
  const score =
    1.0 * coverage + 0.6 * sentenceCoverage + 0.5 * articleSignal + 0.2 * titleCoverage + 0.3 * bm25 + 0.25 * phrase + 0.35 * fit;
  return { passage, score, bestSentence, coverage };
}

/**
 * Ranks the archive's passages for a question in two stages: MiniSearch (BM25) finds candidates
 * among passages and whole articles, then our reranker scores each candidate on term coverage of the
 * passage, its best sentence and its article, phrase adjacency, and a figure of the wanted kind.
 *
 * @example rankPassages(archive, 'How many died in Syria?').passages[0]?.passage.passage.text
 */
export function rankPassages(archive: Archive, question: string): Ranking {
  const query = resolveQuery(archive, analyseQuestion(question));
  const coverageCache = new Map<number, { all: number[]; title: number }>();
  const coverageOf = (article: IndexedArticle): { all: number[]; title: number } => {
    let cached = coverageCache.get(article.ordinal);
    if (!cached) {
      cached = { all: setCoverage(query, article.terms), title: weightedCoverage(query, setCoverage(query, article.titleTerms)) };
      coverageCache.set(article.ordinal, cached);
    }
    return cached;
  };
  const ranking = (passages: ScoredPassage[], articles: IndexedArticle[]): Ranking => ({
    query,
    passages,
    articles,
    articleCoverage: (article) => coverageOf(article).all,
  });
  if (query.terms.length === 0) return ranking([], []);

  const distinctive = query.terms.filter((t) => !t.common);
  const boost = new Map<string, number>();
  for (const term of distinctive.length > 0 ? distinctive : query.terms) {
    for (const [id, strength] of term.variants) boost.set(archive.term(id), term.weight * strength);
  }
  const termList = [...boost.keys()];
  const articleMatches = archive.articleIndex.searchTerms(termList, boost).slice(0, ARTICLE_LIMIT * 4);
  const passageMatches = archive.passageIndex.searchTerms(termList, boost).slice(0, CANDIDATE_LIMIT);
  const articleTop = articleMatches[0]?.score ?? 1;
  const passageTop = passageMatches[0]?.score ?? 1;

  const bm25 = new Map<number, number>();
  for (const match of passageMatches) bm25.set(match.id, match.score / passageTop);
  // The best articles' other passages compete too: the answer may sit beside the matching words.
  for (const match of articleMatches.slice(0, ARTICLE_LIMIT)) {
    for (const ordinal of archive.articles[match.id]?.passages ?? []) if (!bm25.has(ordinal)) bm25.set(ordinal, 0);
  }
  const articleScore = new Map(articleMatches.map((m) => [m.id, m.score / articleTop]));

  const scored: ScoredPassage[] = [];
  for (const [ordinal, bm] of bm25) {
    const passage = archive.passages[ordinal];
    const article = passage && archive.articles[passage.article];
    if (!passage || !article) continue;
    const coverage = coverageOf(article);
    const articleSignal = 0.7 * weightedCoverage(query, coverage.all) + 0.3 * (articleScore.get(article.ordinal) ?? 0);
    scored.push(scorePassage(query, passage, bm, articleSignal, coverage.title));
  }
  scored.sort((a, b) => b.score - a.score);
  return ranking(scored, articleMatches.flatMap((m) => archive.articles[m.id] ?? []));
}
