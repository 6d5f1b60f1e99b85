import type { Archive, IndexedArticle, IndexedPassage } from './archive.ts';
import {
  ANSWER_MODELS,
  answerabilityFeatures,
  directCandidate,
  figureVerdict,
  isSure,
  probability,
  type AnswerModels,
  type FigureVerdict,
} from './answer-confidence.ts';
import { essentialGap, statedByQuestion } from './rank-query.ts';
import { figureSentence, rankPassages, type Query, type Ranking, type ScoredPassage } from './rank.ts';
import type { Answer, ArticleRef, Citation, CitedFigure, Figure, FigureKind, RankedPassage, Span } from './types.ts';

export interface AnswerOptions {
  /** How many passages to return (default 3). */
  readonly top?: number;
  /** How many of the best passages to skip, for paging ("More passages"). */
  readonly offset?: number;
  /** The decline, direct-answer and figure-given models (default: the committed ones); tests pass their own. */
  readonly models?: AnswerModels;
  /**
   * A step after ranking, and how deep to rank for it: the date preference of date-preference.ts
   * (a hook only; the ranker's scores are not touched). None by default.
   */
  readonly rerank?: { readonly depth: number; readonly apply: (ranking: Ranking) => Ranking };
}

export const MAX_FIGURES = 5;

/** A kind of figure as a reader would ask for it. */
const KIND_WORDS: Readonly<Record<FigureKind, string>> = {
  count: 'a number',
  percent: 'a percentage',
  money: 'an amount of money',
  year: 'a year',
  date: 'a date',
  duration: 'a length of time',
  age: 'an age',
  score: 'a score',
  quantity: 'a quantity',
};

/**
 * What an answered figure question says of its figure ({@link FigureVerdict}): that the articles
 * cover the topic but none of the passages found gives that kind of figure, or that they don't
 * clearly give it. Null when they give it, or the question asks for no figure.
 */
function figureNotGiven(query: Query, verdict: FigureVerdict | null): string | null {
  const kind = query.analysis.wanted[0];
  if (kind === undefined || verdict === null || verdict === 'given') return null;
  return verdict === 'absent'
    ? `The articles cover this topic, but none of the passages found gives ${KIND_WORDS[kind]} for it.`
    : `The articles cover this topic, but the passages found don't clearly give ${KIND_WORDS[kind]} for it.`;
}
const CLOSEST_LIMIT = 3;

function highlights(query: Query, passage: IndexedPassage): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < passage.termIds.length; i++) {
    const id = passage.termIds[i] ?? -1;
    if (id >= 0 && query.lookup.has(id)) spans.push({ start: passage.spans[2 * i] ?? 0, end: passage.spans[2 * i + 1] ?? 0 });
  }
  return spans;
}

/** Article reference for lists of "closest articles" and search results. */
export function articleRef(article: IndexedArticle): ArticleRef {
  const { id, title, date, url } = article.article;
  return { articleId: id, title, date, url };
}

/** Numbers cited articles [1], [2]… in the order they are first cited. */
export class Citations {
  readonly list: Citation[] = [];
  readonly #numbers = new Map<string, number>();
  readonly #archive: Archive;

  constructor(archive: Archive) {
    this.#archive = archive;
  }

  numberFor(articleId: string): number {
    const known = this.#numbers.get(articleId);
    if (known !== undefined) return known;
    const article = this.#archive.article(articleId)?.article;
    const n = this.list.length + 1;
    this.#numbers.set(articleId, n);
    this.list.push({
      n,
      articleId,
      title: article?.title ?? articleId,
      date: article?.date ?? null,
      url: article?.url ?? null,
      source: article?.source ?? null,
    });
    return n;
  }
}

function pickFigures(query: Query, ranked: readonly ScoredPassage[], citations: Citations): CitedFigure[] {
  const wanted = query.analysis.wanted;
  const picked: { figure: Figure; order: number }[] = [];
  ranked.forEach(({ passage, bestSentence }, rank) => {
    for (const figure of passage.figures) {
      const kindRank = wanted.length === 0 ? 0 : wanted.indexOf(figure.kind);
      // A figure the question states is its context, not its answer.
      if (kindRank < 0 || statedByQuestion(query, figure)) continue;
      const inBest = figureSentence(passage, figure) === bestSentence;
      // Without a wanted kind, only figures in the sentence that matched the question fit it.
      if (wanted.length === 0 && (rank > 0 || !inBest)) continue;
      // Fitting kind first, then a figure in a better passage, then one in the sentence that matched.
      picked.push({ figure, order: rank * 10 + kindRank * 3 + (inBest ? 0 : 1.5) });
    }
  });
  picked.sort((a, b) => a.order - b.order);
  return picked.slice(0, MAX_FIGURES).map(({ figure }) => ({ ...figure, citation: citations.numberFor(figure.articleId) }));
}

function quoteWords(words: readonly string[]): string {
  const quoted = words.map((w) => `"${w}"`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1) ?? ''}`;
}

/**
 * Why the best candidate cannot be presented as an answer, or null when it can. Whether to decline
 * is the answerability model's call (answer-confidence.ts); the reason then names what is missing.
 */
export function declineReason(ranking: Ranking, archive: Archive, models: AnswerModels = ANSWER_MODELS): string | null {
  const { query } = ranking;
  if (query.terms.length === 0) return 'The question has no words to search for.';
  const unknown = query.terms.filter((t) => t.variants.size === 0);
  const features = answerabilityFeatures(ranking, archive);
  if (features === null) {
    return unknown.length > 0
      ? `The articles don't mention ${quoteWords(unknown.map((t) => t.word))}.`
      : 'No article matches the question.';
  }
  if (probability(models.answerable, features) >= models.answerable.threshold) return null;
  const best = ranking.passages[0];
  const article = best ? archive.articles[best.passage.article] : undefined;
  const strengths = article ? ranking.articleCoverage(article) : [];
  const missingEverywhere = unknown.filter((t) => t.essential);
  if (missingEverywhere.length > 0) return `The articles don't mention ${quoteWords(missingEverywhere.map((t) => t.word))}.`;
  const gap = essentialGap(query, strengths);
  if (gap.missing.length > 0)
    return `No article covers ${quoteWords(gap.missing.map((t) => t.word))} together with the rest of the question.`;
  // Only the closest article was checked for these words, and other articles may well have them
  // (a common verb most often), so the reason says so rather than "no article".
  const uncovered = query.terms.filter((_, i) => (strengths[i] ?? 0) === 0).map((t) => t.word);
  return uncovered.length > 0
    ? `The closest article doesn't mention ${quoteWords(uncovered)}.`
    : 'No passage answers the question closely enough.';
}

/**
 * An answer that gives no passage: why, and the closest articles when there are any.
 *
 * @example unanswered('', 'The question is empty.').answered // false
 */
export function unanswered(question: string, reason: string, closest: readonly ArticleRef[] = [], wanted: Answer['wanted'] = []): Answer {
  return {
    question,
    answered: false,
    answer: null,
    passages: [],
    morePassages: false,
    figures: [],
    citations: [],
    closest,
    reason,
    wanted,
  };
}

/**
 * Answers a question from the archive with ranked passages, fitting figures and citations.
 * Returns `answered: false`, with the closest articles and the reason, when no passage covers it.
 *
 * @example answerQuestion(archive, 'What death toll has the Syrian war reached?').answer // 'half a million people'
 */
export function answerQuestion(archive: Archive, question: string, options: AnswerOptions = {}): Answer {
  const top = options.top ?? 3;
  const offset = options.offset ?? 0;
  // Figures come from the top three passages at least; a few more keep the order around the page exact.
  const depth = Math.max(offset + top, 3) + 2;
  const ranked = rankPassages(archive, question, Math.max(depth, options.rerank?.depth ?? 0));
  const ranking = options.rerank === undefined ? ranked : options.rerank.apply(ranked);
  const { query } = ranking;
  const models = options.models ?? ANSWER_MODELS;
  const reason = declineReason(ranking, archive, models);
  if (reason !== null) {
    return unanswered(query.analysis.text, reason, ranking.articles.slice(0, CLOSEST_LIMIT).map(articleRef), query.analysis.wanted);
  }

  const citations = new Citations(archive);
  const passages: RankedPassage[] = ranking.passages.slice(offset, offset + top).map((s, i) => {
    const article = archive.articles[s.passage.article]?.article;
    return {
      rank: offset + i + 1,
      citation: citations.numberFor(s.passage.passage.articleId),
      passage: s.passage.passage,
      title: article?.title ?? s.passage.passage.articleId,
      date: article?.date ?? null,
      score: Math.round(s.score * 1000) / 1000,
      highlights: highlights(query, s.passage),
    };
  });
  // The direct answer is what the best passages offer beside the question's terms, a figure of the
  // wanted kind or a name, shown only when the direct-answer model is sure of it. The figure
  // answered with leads the figures.
  const candidate = directCandidate(ranking, archive, models);
  // A figure the passages may well not give is no answer, however well it fits.
  const verdict = figureVerdict(ranking, archive, candidate, models);
  const sure = candidate !== null && verdict !== 'doubted' && isSure(candidate.kind, candidate.features, models);
  const answerFigure = sure ? candidate.figure : null;
  const picked = pickFigures(query, ranking.passages.slice(0, Math.max(top, 3)), citations);
  const found = picked.find((f) => f.passageId === answerFigure?.passageId && f.start === answerFigure.start);
  // The answer may be a figure the list leaves out (a bare age, one from the third passage): it
  // leads anyway, so that it is cited by its own article.
  const lead = found ?? (answerFigure ? { ...answerFigure, citation: citations.numberFor(answerFigure.articleId) } : undefined);
  const figures = lead ? [lead, ...picked.filter((f) => f !== lead)].slice(0, MAX_FIGURES) : picked;
  const direct = sure ? candidate.text : null;
  return {
    question: query.analysis.text,
    answered: true,
    answer: direct,
    passages,
    morePassages: ranking.candidates > offset + top,
    figures,
    citations: citations.list,
    closest: [],
    reason: figureNotGiven(query, verdict),
    wanted: query.analysis.wanted,
  };
}
