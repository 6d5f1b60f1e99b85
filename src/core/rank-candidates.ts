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
  /** An article's summed passage BM25 over the best article's, 0–1 (0 for one without a match): the article prior. */
  articleBm25(article: number): number;
  /** The best `listed` article ordinals by summed BM25, best first (ties in the order their first match came). */
  readonly articles: readonly number[];
}

/**
 * Finds the candidate passages of a question with MiniSearch's BM25 (`params.k`, `params.b`), each
 * fuzzy or related variant of a term counting by its strength, and lists the best `listed` articles.
 *
 * @example findCandidates(archive, query, DEFAULT_RANK_PARAMS, 20).bm25.size // 150 or so
 */
export function findCandidates(archive: Archive, query: Query, params: RankParams, listed: number): Candidates {
  const boost = new Map<string, number>();
  for (const term of findingTerms(query)) {
    for (const [id, strength] of term.variants) {
      const word = archive.term(id);
      boost.set(word, Math.max(boost.get(word) ?? 0, strength));
    }
  }
  const matches = archive.searchPassages([...boost.keys()], boost, {
    bm25: { k: params.k, b: params.b, d: params.d },
    titleBoost: params.titleBoost,
  });
  // Each article's summed BM25, added up in the order of the matches (best first), in arrays rather
  // than a Map: at ×10 BBC a question matches tens of thousands of passages in thousands of articles.
  const summed = new Float64Array(archive.articles.length);
  const matched = new Uint8Array(archive.articles.length);
  const order: number[] = [];
  for (const match of matches) {
    const article = archive.passages[match.id]?.article;
    if (article === undefined) continue;
    if (matched[article] === 0) {
      matched[article] = 1;
      order.push(article);
      summed[article] = match.score;
    } else summed[article] = (summed[article] ?? 0) + match.score;
  }
  // Only the best few articles are listed, so they are picked rather than all sorted: a stable sort's
  // order, best first and ties in the order they came.
  const wanted = Math.max(listed, params.articles);
  const best: number[] = [];
  for (const article of order) {
    const score = summed[article] ?? 0;
    if (best.length >= wanted && score <= (summed[best[wanted - 1] ?? 0] ?? 0)) continue;
    let at = best.length;
    while (at > 0 && (summed[best[at - 1] ?? 0] ?? 0) < score) at--;
    best.splice(at, 0, article);
    if (best.length > wanted) best.length = wanted;
  }
  const articleTop = best.length > 0 ? (summed[best[0] ?? 0] ?? 1) : 1;
  const passageTop = matches[0]?.score ?? 1;
  const bm25 = new Map<number, number>();
  for (const match of matches.slice(0, params.candidates)) bm25.set(match.id, match.score / passageTop);
  for (const id of best.slice(0, params.articles)) {
    for (const ordinal of archive.articles[id]?.passages ?? []) if (!bm25.has(ordinal)) bm25.set(ordinal, 0);
  }
  return {
    bm25,
    articleBm25: (article) => (matched[article] === 1 ? (summed[article] ?? 0) / articleTop : 0),
    articles: best.slice(0, listed),
  };
}
