/**
 * Passage ranking, second stage: which passage of the best article comes first.
 *
 * News questions name their story, so the first stage (rank.ts) nearly always puts the right
 * article on top; what it gets wrong is which of that article's passages answers. A lead paragraph
 * restates the story in the question's own words while the answer stands a paragraph or two
 * below. The first stage's weights are fitted to tell passages of every article apart, where the
 * article features weigh most; these are fitted (`npm run train:ranker`) only on passages of one
 * article, so they weigh what tells those apart. The second stage reorders the best article's
 * passages among the places they hold in the first stage's order: other articles' passages keep
 * theirs, and every score stays the first stage's.
 */
import type { Archive, IndexedPassage } from './archive.ts';
import { nameNearness } from './answer-extraction.ts';
import { WITHIN_FEATURE_NAMES, type RankParams, type WithinFeatureName } from './rank-params.ts';
import type { Query } from './rank-query.ts';
import type { ScoredPassage } from './rank.ts';

export type WithinFeatures = Record<WithinFeatureName, number>;

/** What each second-stage feature measures; each lies in [0, 1]. */
export const WITHIN_FEATURES: Readonly<Record<WithinFeatureName, string>> = {
  bm25: "The passage's BM25 score over the best of its article's passages.",
  previous: 'The weighted share of the question in the paragraph before (the first stage feature).',
  coverage: "The weighted share of the question's terms in the passage (the first stage feature).",
  sentence: "The best sentence's weighted share of the question's terms (the first stage feature).",
  span: 'Minimum-span proximity (the first stage feature).',
  phrase: 'Question terms that follow each other in the passage as in the question (the first stage feature).',
  figureNear: 'For a figure question, a figure of the wanted kind close to its terms (the first stage feature).',
  nameNear:
    "For a question that asks for one name (who, where, which…), the best name the question lacks in the passage: its fit to the sort asked for times the root of how closely the question's terms surround it, before tagging (answer-extraction.ts). 0 for other questions.",
  lead: "1 for the passage that opens its article (the first part of its first paragraph), else 0: a news lead restates the story, often in the question's own words, while the detail asked for stands below it.",
  novelty:
    "0–1: the share of the passage's indexed words (stop words aside) that are none of the question's words or their variants: a passage that only restates the question has no room left for its answer.",
};

/** Whether a passage opens its article's text: the first part of its first paragraph. */
export function isLead(passage: IndexedPassage): boolean {
  return passage.passage.paragraph === 1 && passage.passage.start === 0;
}

/** See `WITHIN_FEATURES.novelty`: 0 for a passage with no indexed word. */
export function novelty(query: Query, passage: IndexedPassage): number {
  let words = 0;
  let asked = 0;
  for (const id of passage.termIds) {
    if (id < 0) continue;
    words++;
    if (query.mentioned.has(id)) asked++;
  }
  return words === 0 ? 0 : 1 - asked / words;
}

/** Whether a question asks for one name and no figure: the questions `nameNear` is read for. */
export function asksForOneName(query: Query): boolean {
  const { analysis } = query;
  return analysis.wanted.length === 0 && analysis.nameKind !== null && !analysis.wantsSeveral;
}

/**
 * The second-stage features of some passages of one article. `bm25` is taken over the best of
 * them, so pass all of the article's candidate passages at once.
 */
export function withinFeatures(archive: Archive, query: Query, passages: readonly ScoredPassage[], params: RankParams): WithinFeatures[] {
  let top = 0;
  for (const p of passages) top = Math.max(top, p.features.bm25);
  const names = asksForOneName(query);
  return passages.map((p) => ({
    bm25: top > 0 ? p.features.bm25 / top : 0,
    previous: p.features.previous,
    coverage: p.features.coverage,
    sentence: p.features.sentence,
    span: p.features.span,
    phrase: p.features.phrase,
    figureNear: p.features.figureNear,
    nameNear: names ? nameNearness(archive, query, p, params) : 0,
    lead: isLead(p.passage) ? 1 : 0,
    novelty: novelty(query, p.passage),
  }));
}

/** A passage's second-stage score: its features, weighted. */
export function withinScore(features: WithinFeatures, weights: Readonly<Record<WithinFeatureName, number>>): number {
  let score = 0;
  for (const name of WITHIN_FEATURE_NAMES) score += weights[name] * features[name];
  return score;
}

/** Whether every second-stage weight is 0, so the second stage would change nothing. */
export function withinIsOff(weights: Readonly<Record<WithinFeatureName, number>>): boolean {
  return WITHIN_FEATURE_NAMES.every((name) => weights[name] === 0);
}

/**
 * Reorders the passages of the first passage's article by their second-stage scores, each taking
 * one of the places those passages held; ties keep the first stage's order. `passages` is in the
 * first stage's order and must hold all of that article's candidates.
 */
export function reorderBestArticle(
  archive: Archive,
  query: Query,
  passages: readonly ScoredPassage[],
  params: RankParams,
): ScoredPassage[] {
  const first = passages[0];
  if (first === undefined || withinIsOff(params.within)) return [...passages];
  const article = first.passage.article;
  const places = passages.flatMap((p, i) => (p.passage.article === article ? [i] : []));
  const own = passages.filter((p) => p.passage.article === article);
  const scores = withinFeatures(archive, query, own, params).map((f) => withinScore(f, params.within));
  const order = own.map((p, i) => ({ p, i, score: scores[i] ?? 0 })).sort((a, b) => b.score - a.score || a.i - b.i);
  const out = [...passages];
  order.forEach(({ p }, k) => {
    const place = places[k];
    if (place !== undefined) out[place] = p;
  });
  return out;
}
