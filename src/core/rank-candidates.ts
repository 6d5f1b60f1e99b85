/**
 * Candidate passages for a question: what MiniSearch's BM25 finds with the question's rarer terms,
 * and the other passages of the best articles by summed BM25 (the answer may sit beside the
 * matching words).
 */
import type { Archive } from './archive.ts';
import type { RankParams } from './rank-params.ts';
import type { Query, ResolvedTerm } from './rank-query.ts';

/** Postings MiniSearch may walk to find candidates: its cost grows with them, the reranker's does not. */
const POSTINGS_BUDGET = 2500;

/**
 * The terms that find candidates: the rarer ones, as many as fit the postings budget (at least two).
 * Common terms still count when candidates are scored; they just don't find them.
 */
function findingTerms(query: Query): ResolvedTerm[] {
  const distinctive = query.terms.filter((t) => !t.common);
  const pool = [...(distinctive.length > 0 ? distinctive : query.terms)].sort((a, b) => a.frequency - b.frequency);
  const chosen: ResolvedTerm[] = [];
  let postings = 0;
  for (const term of pool) {
    if (chosen.length >= 2 && postings + term.frequency > POSTINGS_BUDGET) break;
    chosen.push(term);
    postings += term.frequency;
  }
  return chosen;
}

/** The candidates of one question. */
export interface Candidates {
  /** Passage ordinal → its BM25 score over the best candidate's, 0–1 (0 for an article's other passages). */
  readonly bm25: ReadonlyMap<number, number>;
  /** Article ordinal → its summed passage BM25 over the best article's, 0–1: the article prior. */
  readonly articleBm25: ReadonlyMap<number, number>;
  /** Article ordinals by summed BM25, best first. */
  readonly articles: readonly number[];
}

/**
 * Finds the candidate passages of a question with MiniSearch's BM25 (`params.k`, `params.b`), each
 * fuzzy or related variant of a term counting by its strength.
 *
 * @example findCandidates(archive, query, DEFAULT_RANK_PARAMS).bm25.size // 150 or so
 */
export function findCandidates(archive: Archive, query: Query, params: RankParams): Candidates {
  const boost = new Map<string, number>();
  for (const term of findingTerms(query)) {
    for (const [id, strength] of term.variants) {
      const word = archive.term(id);
      boost.set(word, Math.max(boost.get(word) ?? 0, strength));
    }
  }
  const matches = archive.passageIndex.searchTerms([...boost.keys()], boost, {
    bm25: { k: params.k, b: params.b, d: params.d },
    titleBoost: params.titleBoost,
  });
  const perArticle = new Map<number, number>();
  for (const match of matches) {
    const article = archive.passages[match.id]?.article;
    if (article !== undefined) perArticle.set(article, (perArticle.get(article) ?? 0) + match.score);
  }
  const ranked = [...perArticle].sort((a, b) => b[1] - a[1]);
  const articleTop = ranked[0]?.[1] ?? 1;
  const articleBm25 = new Map(ranked.map(([id, score]) => [id, score / articleTop]));
  const passageTop = matches[0]?.score ?? 1;
  const bm25 = new Map<number, number>();
  for (const match of matches.slice(0, params.candidates)) bm25.set(match.id, match.score / passageTop);
  for (const [id] of ranked.slice(0, params.articles)) {
    for (const ordinal of archive.articles[id]?.passages ?? []) if (!bm25.has(ordinal)) bm25.set(ordinal, 0);
  }
  return { bm25, articleBm25, articles: ranked.map(([id]) => id) };
}
