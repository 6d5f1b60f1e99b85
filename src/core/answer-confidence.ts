/**
 * Three calibrated decisions after ranking, each a small logistic model over a few generic features
 * whose weights and threshold `npm run train:ranker` fits on the tuning part of the development
 * questions (answer-models.json):
 *
 * - **answerability**: whether the best passages address the question at all, or Factdesk should
 *   decline and list the closest articles. It replaces hand-set rules (a coverage cliff, a missing
 *   name) with one score. Its threshold keeps declines of answerable questions at about 2%.
 * - **direct answer**: whether the figure or name answer extraction picked is sure enough to be
 *   shown in bold. Its threshold is chosen for a cross-validated precision of at least 96%; below
 *   it the passages and figures still stand, without a bold answer.
 * - **figure given**: for a figure question the articles cover, whether the passages found give
 *   the figure asked for, or the answer should say they don't seem to (with the passages still
 *   shown). Its threshold flags about 2% of answerable figure questions.
 */
import type { Archive, IndexedPassage } from './archive.ts';
import { ENTITY_FIT, figureAnswerOf, figureOffers, nameAnswer, type ExtractedAnswer } from './answer-extraction.ts';
import models from './answer-models.json' with { type: 'json' };
import { countsAsked, hasWantedFigure, matchPassage, passageCoverage } from './rank-features.ts';
import { essentialGap, weightedCoverage, type Query } from './rank-query.ts';
import { figureSentence, type Ranking } from './rank.ts';
import { asksForOneName } from './rank-within.ts';
import type { Figure, FigureMatch } from './types.ts';

/**
 * The answerability features the figure-given model weighs too (see GIVEN_FEATURES). The two
 * answerability adds beyond them (titleCoverage, concentration) did not help the
 * figure-given model (its cross-validated log-loss rose, and it flagged fewer unanswerables), so it does without them.
 */
export const SHARED_ANSWERABILITY_FEATURES = [
  'articleCoverage',
  'knownCoverage',
  'passageCoverage',
  'sentence',
  'essentialMissing',
  'knownShare',
  'rarestMissing',
  'topShare',
  'span',
  'phrase',
  'wantsFigure',
  'figureNear',
  'figureAbsent',
  'passageEvidence',
  'articleSurprise',
  'archiveSize',
] as const;
export type SharedAnswerabilityFeature = (typeof SHARED_ANSWERABILITY_FEATURES)[number];

/** The answerability features, each in [0, 1]. */
export const ANSWERABILITY_FEATURES = [...SHARED_ANSWERABILITY_FEATURES, 'titleCoverage', 'concentration'] as const;
export type AnswerabilityFeature = (typeof ANSWERABILITY_FEATURES)[number];

/** What each answerability feature measures. */
export const ANSWERABILITY_DOCS: Readonly<Record<AnswerabilityFeature, string>> = {
  articleCoverage: "The weighted share of the question's terms the best passage's article has anywhere.",
  knownCoverage:
    "The same over the question's terms some article has: a word no article has (chat filler, a typo too far gone) is left out.",
  passageCoverage: "The weighted share of the question's terms in the best passage.",
  sentence: "The best passage's best sentence's weighted share of the question's terms.",
  essentialMissing: "The share of the question's names and numbers that the best passage's article lacks.",
  knownShare:
    "The share of the question's terms that some article has in some form, each counted once: unweighted, since a term no article has gets the largest weight, " +
    'and in a small archive the words a question about it adds are often unknown while most of an off-topic question is.',
  rarestMissing:
    "The weight of the heaviest question term the best article lacks, over the heaviest term's: a rare word missing says most.",
  topShare: "The best passage's share of the softmax over the five best passages' scores: a clear winner, or many near-equals.",
  span: "The best passage's minimum-span proximity: a question asked of the wrong archive matches scattered words.",
  phrase: "The best passage's share of the question's adjacent term pairs that follow each other in it too.",
  wantsFigure: '1 for a question that asks for a figure, so that the two figure features below weigh only there.',
  figureNear:
    "For a figure question, the closest a figure of the wanted kind stands to the question's terms in the three best passages (the ranker's figureNear).",
  figureAbsent: 'For a figure question, 1 when none of the three best passages has a figure of the wanted kind near its terms.',
  passageEvidence:
    "The weight of the question's terms the best passage holds, less the weight of the rarest possible term (ln of the archive's passages), over that weight: " +
    'how many rarest-possible words of evidence the passage gives beyond what one chance match in the archive would. Coverage is a share, the same for two common words as for two rare ones.',
  articleSurprise:
    "How unlikely it is that some article holds the question's terms the best article holds by chance: the sum over them of −ln(the share of articles holding the term), " +
    'less ln(articles), taken up to ln(articles) and over ln(10,000). A big archive holds common words together somewhere; a one-article archive tells nothing this way (0).',
  archiveSize:
    'ln(passages) over ln(100,000), at most 1: how much the other features can say. In a big archive some article shares words with any question, ' +
    'so coverage alone says less there than in an archive of one article.',
  titleCoverage:
    "The weighted share of the question's terms in the best passage's article's title: a question often names its story in the title's words, " +
    'while a question about something else meets a title only by chance.',
  concentration:
    "The weighted share of the question's terms in the best article's passage that holds most of them, over the share the whole article holds: " +
    'an article about the question holds its words together in one paragraph, one that matches by chance holds them scattered.',
};

/** The direct-answer features, each in [0, 1]. */
export const DIRECT_FEATURES = [
  'value',
  'fit',
  'entity',
  'runnerUp',
  'inBest',
  'topShare',
  'coverage',
  'corroborated',
  'articleCoverage',
  'rarestMissing',
  'sentence',
  'countsOther',
  'otherTimeKind',
  'rival',
] as const;
export type DirectFeature = (typeof DIRECT_FEATURES)[number];

/**
 * The features the name model weighs: the three answerability features that sharpen the figure
 * model left no name answer sure enough to show in cross-validation, so names do without them.
 */
export const NAME_DIRECT_FEATURES = ['value', 'fit', 'entity', 'runnerUp', 'inBest', 'topShare', 'coverage', 'corroborated'] as const;
export type NameDirectFeature = (typeof NAME_DIRECT_FEATURES)[number];

/** What each direct-answer feature measures. */
export const DIRECT_DOCS: Readonly<Record<DirectFeature, string>> = {
  value: "The candidate's fit to the wanted kind times the root of how closely the question's terms surround it.",
  fit: 'How well its sort fits the question: the kind and unit of a figure, the form of a name.',
  entity: 'For a name, whether the tagger takes it for the sort asked for (1), a compatible sort (0.75), none (0.5) or another (0).',
  runnerUp: 'The same for the best candidate with other text in the passage: a close rival makes the pick a guess.',
  inBest: "1 when the candidate stands in the passage's best sentence.",
  topShare:
    "How sure the ranker is of the answer: its passage's share of the softmax over the five best passages' scores; for a figure, " +
    'the summed shares of the passages among the best three whose own answer is the same figure (news repeats a figure, and a story ' +
    'split over two close passages that agree is no doubt about it).',
  coverage: "The weighted share of the question's terms in the answer's passage.",
  corroborated: 'For a figure, the share of the other passages of the best three that offer the same answer; 0 for a name.',
  // The three below are answerability features (see ANSWERABILITY_DOCS): a figure read from a
  // passage of the wrong story, or of one that lacks the detail asked for, is wrong however well it fits.
  articleCoverage: "The weighted share of the question's terms the best passage's article has anywhere.",
  rarestMissing: "The weight of the heaviest question term the best article lacks, over the heaviest term's.",
  sentence: "The best passage's best sentence's weighted share of the question's terms.",
  // The two below say what sort of figure the candidate is against what the question asks, which
  // `fit` folds into one product with the figure's other penalties; 0 for a name.
  countsOther:
    'For a figure, 1 when the question names what it counts ("how many farmers") and the figure counts something else or does not say what ' +
    '("40 tractors", "120"): fit weighs that as it weighs its other doubts, but it is a surer sign that the figure is about something else; else 0.',
  otherTimeKind:
    'For a figure, 1 when it is a year where the question wants a date first, or a date where it wants a year: fit counts that as ' +
    'another kind, as it does a count for "how much", but a year answers many a "when" question as well as a day would; else 0.',
  rival:
    'For a figure, the value (as `value` measures it) of the best figure of a wanted kind in the five best passages that is not the same figure ' +
    "(another kind, amount or unit: see sameFigure): `runnerUp` looks only in the answer's passage, but a close rival in the next passage makes the pick as much a guess; 0 for a name.",
};

/**
 * The figure-given features: what answer extraction offers (the direct-answer features of its
 * figure, all 0 when it offers none) beside how well the passages address the question at all
 * (the answerability features). Each in [0, 1].
 */
export const GIVEN_FEATURES = [
  'value',
  'fit',
  'runnerUp',
  'inBest',
  'answerTopShare',
  'answerCoverage',
  'corroborated',
  'answerBelowBest',
  'figureEvidence',
  ...SHARED_ANSWERABILITY_FEATURES,
] as const;
export type GivenFeature = (typeof GIVEN_FEATURES)[number];

/** What each figure-given feature measures, beyond the answerability features (ANSWERABILITY_DOCS). */
export const GIVEN_DOCS: Readonly<Record<Exclude<GivenFeature, SharedAnswerabilityFeature>, string>> = {
  value: DIRECT_DOCS.value,
  fit: DIRECT_DOCS.fit,
  runnerUp: DIRECT_DOCS.runnerUp,
  inBest: DIRECT_DOCS.inBest,
  answerTopShare: DIRECT_DOCS.topShare,
  answerCoverage: DIRECT_DOCS.coverage,
  corroborated: DIRECT_DOCS.corroborated,
  answerBelowBest:
    '1 when the figure comes from a passage below the best (the second or third): the passage that holds most of the question offers none of the wanted kind ' +
    "as close to its terms, and a figure from the next passages is more often another story's; 0 for the best passage's, or none.",
  figureEvidence:
    "The weight of the question's terms in the figure's own sentence, less the weight of the rarest possible term (ln of the archive's passages), over that weight " +
    '(passageEvidence for that sentence): a figure whose sentence holds only a name of the story, or only common words of the question, is more often about something else; 0 without a figure.',
};

/** A logistic model: P = σ(bias + Σ weight × feature); shown or answered when P ≥ threshold. */
export interface LogisticModel<F extends string> {
  readonly bias: number;
  readonly weights: Readonly<Record<F, number>>;
  /** Range 0–1, chosen by cross-validation: see the module comment. */
  readonly threshold: number;
}

/** The fitted models as `train:ranker` writes them to answer-models.json. */
export interface AnswerModels {
  readonly answerable: LogisticModel<AnswerabilityFeature>;
  /** For figure questions. */
  readonly directFigure: LogisticModel<DirectFeature>;
  /** For questions that ask for a name (who, where, which…). */
  readonly directName: LogisticModel<NameDirectFeature>;
  /** For figure questions: whether the passages give the figure; below the threshold the answer says they may not. */
  readonly figureGiven: LogisticModel<GivenFeature>;
  /** What they were fitted on, in words. */
  readonly fittedOn: string;
}

function modelFrom<F extends string>(
  names: readonly F[],
  raw: { bias: number; weights: Record<string, number>; threshold: number },
): LogisticModel<F> {
  const weights = {} as Record<F, number>;
  for (const name of names) weights[name] = raw.weights[name] ?? 0;
  return Object.freeze({ bias: raw.bias, weights: Object.freeze(weights), threshold: raw.threshold });
}

/** The committed models. */
export const ANSWER_MODELS: AnswerModels = Object.freeze({
  answerable: modelFrom(ANSWERABILITY_FEATURES, models.answerable),
  directFigure: modelFrom(DIRECT_FEATURES, models.directFigure),
  directName: modelFrom(NAME_DIRECT_FEATURES, models.directName),
  figureGiven: modelFrom(GIVEN_FEATURES, models.figureGiven),
  fittedOn: models.fittedOn,
});

/**
 * The same models with the direct-answer gate open: every answer extraction offers is shown (and
 * every name tagged), and no figure is doubted. Training collects its features this way, so that
 * they do not depend on the models being fitted; tests use it to check extraction apart from the gate.
 */
export function showingEveryAnswer(models: AnswerModels = ANSWER_MODELS): AnswerModels {
  return {
    ...models,
    directFigure: { ...models.directFigure, threshold: 0 },
    directName: { ...models.directName, threshold: 0 },
    figureGiven: { ...models.figureGiven, threshold: 0 },
  };
}

/** A model's probability for some feature values. */
export function probability<F extends string>(model: LogisticModel<F>, features: Readonly<Record<F, number>>): number {
  let z = model.bias;
  for (const name of Object.keys(model.weights) as F[]) z += model.weights[name] * features[name];
  return 1 / (1 + Math.exp(-z));
}

/**
 * The answerability features of a ranking, or null when there is no passage at all (nothing to
 * weigh: the question is declined outright).
 */
export function answerabilityFeatures(ranking: Ranking, archive: Archive): Record<AnswerabilityFeature, number> | null {
  // An answer asks twice (to decide, and for the direct answer's features): worked out once.
  const known = answerabilityCache.get(ranking);
  if (known?.archive === archive) return known.features;
  const worked = workOutAnswerability(ranking, archive);
  const features = worked === null ? null : Object.freeze(worked);
  answerabilityCache.set(ranking, { archive, features });
  return features;
}

const answerabilityCache = new WeakMap<Ranking, { archive: Archive; features: Record<AnswerabilityFeature, number> | null }>();

function workOutAnswerability(ranking: Ranking, archive: Archive): Record<AnswerabilityFeature, number> | null {
  const { query } = ranking;
  const best = ranking.passages[0];
  const article = best ? archive.articles[best.passage.article] : undefined;
  if (!best || !article || query.totalWeight === 0) return null;
  const strengths = ranking.articleCoverage(article);
  const essentials = query.terms.filter((t) => t.essential).length;
  const gap = essentialGap(query, strengths);
  let unknown = 0;
  let known = 0;
  let knownCovered = 0;
  let heaviest = 0;
  let heaviestMissing = 0;
  query.terms.forEach((t, i) => {
    if (t.variants.size === 0) unknown += t.weight;
    else {
      known++;
      knownCovered += (strengths[i] ?? 0) * t.weight;
    }
    heaviest = Math.max(heaviest, t.weight);
    if ((strengths[i] ?? 0) === 0) heaviestMissing = Math.max(heaviestMissing, t.weight);
  });
  const wantsFigure = query.analysis.wanted.length > 0 ? 1 : 0;
  const passages = Math.max(2, archive.passages.length);
  const figureNear = wantsFigure * Math.max(0, ...ranking.passages.slice(0, NEAR_DEPTH).map((p) => p.features.figureNear));
  const articleCoverage = weightedCoverage(query, strengths);
  const passageCoverageOf = (ordinal: number): number => {
    const passage = archive.passages[ordinal];
    return passage ? passageCoverage(query, passage) : 0;
  };
  return {
    articleCoverage,
    knownCoverage: unknown >= query.totalWeight ? 0 : knownCovered / (query.totalWeight - unknown),
    passageCoverage: best.coverage,
    sentence: best.features.sentence,
    essentialMissing: essentials === 0 ? 0 : gap.missing.length / essentials,
    knownShare: known / query.terms.length,
    rarestMissing: heaviest === 0 ? 0 : heaviestMissing / heaviest,
    topShare: topShares(ranking)[0] ?? 0,
    span: best.features.span,
    phrase: best.features.phrase,
    wantsFigure,
    figureNear,
    figureAbsent: wantsFigure === 1 && figureNear === 0 ? 1 : 0,
    passageEvidence: evidenceBeyondChance(best.coverage * query.totalWeight, passages),
    articleSurprise: articleSurprise(ranking, archive, strengths),
    archiveSize: Math.min(1, Math.log(passages) / Math.log(SIZE_SCALE_PASSAGES)),
    // The ranker weighed the best passage's article's title already (the first stage's `title`).
    titleCoverage: best.features.title,
    concentration: concentrationOf(Math.max(0, ...article.passages.map(passageCoverageOf)), articleCoverage),
  };
}

/**
 * See ANSWERABILITY_DOCS.concentration: the best single passage's coverage over its article's, in
 * [0, 1]; 0 when the article holds none of the question.
 *
 * @example concentrationOf(0.3, 0.6) // 0.5
 */
export function concentrationOf(bestPassageCoverage: number, articleCoverage: number): number {
  return articleCoverage <= 0 ? 0 : clamp01(bestPassageCoverage / articleCoverage);
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * The weight of the question's terms some text holds, less the weight of the rarest possible term
 * (ln of the archive's passages, at least 2), over that weight, in [0, 1]: how many
 * rarest-possible words of evidence the text gives beyond one chance match in the archive.
 *
 * @example evidenceBeyondChance(2 * Math.log(100), 100) // 1
 */
export function evidenceBeyondChance(weight: number, passages: number): number {
  const chance = Math.log(Math.max(2, passages));
  return clamp01((weight - chance) / chance);
}

/** The number of passages at which archiveSize reaches 1 (BBC News has 13,613; ten times it, more). */
const SIZE_SCALE_PASSAGES = 100_000;

/** The number of articles {@link articleSurprise} is scaled by: archives past it count as this big. */
const SURPRISE_SCALE_ARTICLES = 10_000;

/**
 * See ANSWERABILITY_DOCS: −ln of the expected number of articles that would hold the terms the
 * best article holds (each as strongly) if terms fell into articles independently, at their share
 * of articles. Capped at ln(articles): past it, finding them together is no likelier by chance in
 * one archive than in another.
 */
function articleSurprise(ranking: Ranking, archive: Archive, strengths: readonly number[]): number {
  const articles = archive.articles.length;
  if (articles < 2) return 0;
  let surprise = -Math.log(articles);
  ranking.query.terms.forEach((t, i) => {
    const strength = strengths[i] ?? 0;
    if (strength === 0) return;
    let holding = 1;
    for (const id of t.variants.keys()) holding = Math.max(holding, archive.articleFrequency(id));
    surprise -= strength * Math.log(Math.min(1, holding / articles));
  });
  return clamp01(Math.min(surprise, Math.log(articles)) / Math.log(SURPRISE_SCALE_ARTICLES));
}

/** How many of the best passages the answerability model's figure features look at. */
const NEAR_DEPTH = 3;

/** How many of the best passages the ranker's certainty (`topShare`) is a softmax over. */
const SHARE_DEPTH = 5;

/** Each of the best {@link SHARE_DEPTH} passages' share of the softmax over their scores, in rank order. */
function topShares(ranking: Ranking): number[] {
  const scores = ranking.passages.slice(0, SHARE_DEPTH).map((p) => p.score);
  const top = Math.max(...scores);
  const total = scores.reduce((sum, s) => sum + Math.exp(s - top), 0);
  return scores.map((s) => Math.exp(s - top) / total);
}

/** A direct answer before the model's decision: its text, its features and, for a figure question, the figure. */
export interface DirectCandidate {
  readonly text: string;
  readonly kind: 'figure' | 'name';
  readonly figure: Figure | null;
  /** Where the passage it comes from stands in the ranking: 0 for the best (always, for a name). */
  readonly rank: number;
  readonly features: Readonly<Record<DirectFeature, number>>;
}

/**
 * What answer extraction offers, with the features the direct-answer model weighs: a name from the
 * best passage, a figure from the best three (see {@link FIGURE_PASSAGE_DISCOUNT}). Null when the
 * question wants neither a figure nor a single name, or the passages offer none.
 */
export function directCandidate(ranking: Ranking, archive: Archive, models: AnswerModels = ANSWER_MODELS): DirectCandidate | null {
  const { query, params } = ranking;
  const [best] = ranking.passages;
  if (!best) return null;
  const kind = query.analysis.wanted.length > 0 ? 'figure' : asksForOneName(query) ? 'name' : null;
  if (kind === null) return null;
  const shares = topShares(ranking);
  const topShare = shares[0] ?? 0;
  const answerability = answerabilityFeatures(ranking, archive);
  const featuresOf = (answer: ExtractedAnswer, corroborated: number): Record<DirectFeature, number> => ({
    value: answer.value,
    fit: answer.fit,
    entity: answer.entity,
    runnerUp: answer.runnerUp,
    inBest: answer.inBest ? 1 : 0,
    topShare,
    coverage: best.coverage,
    corroborated,
    articleCoverage: answerability?.articleCoverage ?? 0,
    rarestMissing: answerability?.rarestMissing ?? 1,
    sentence: answerability?.sentence ?? 0,
    ...figureSortFeatures(query, answer.figure),
    rival: 0,
  });
  // A name is tagged only if, at the best its tag could be, the model would show it. Names are
  // never corroborated (see DIRECT_DOCS), so 0 is exact here.
  const worthTagging = (untagged: ExtractedAnswer): boolean =>
    [ENTITY_FIT.match, ENTITY_FIT.clash].some((entity) => isSure(kind, featuresOf({ ...untagged, entity }, 0), models));
  if (kind === 'name') {
    const answer = nameAnswer(archive, query, best, params, worthTagging);
    return answer === null ? null : { text: answer.text, kind, figure: null, rank: 0, features: featuresOf(answer, 0) };
  }
  // A figure is read from each of the best passages, and the one whose terms surround it best wins,
  // a lower-ranked passage's discounted by how far its score falls short of the best's: the best
  // passage may be the story's and hold no figure of the sort asked for beside the question's terms
  // while the next holds one. The figures of the next two passages are read for a rival.
  const read = ranking.passages.slice(0, RIVAL_DEPTH).map((scored) => ({ scored, figures: figureOffers(query, scored, params) }));
  const offers = read.slice(0, FIGURE_DEPTH).map(({ scored, figures }, rank) => ({ scored, rank, answer: figureAnswerOf(figures) }));
  let chosen: (typeof offers)[number] | null = null;
  let chosenWorth = 0;
  for (const offer of offers) {
    if (offer.answer === null) continue;
    const worth = offer.answer.value * Math.exp(-FIGURE_PASSAGE_DISCOUNT * (best.score - offer.scored.score));
    if (chosen === null || worth > chosenWorth) {
      chosen = offer;
      chosenWorth = worth;
    }
  }
  const answer = chosen?.answer;
  if (!chosen || !answer?.figure) return null;
  const { scored, rank } = chosen;
  const others = offers.filter((o) => o !== chosen);
  const agreeing = others.filter((o) => o.answer?.text === answer.text).length;
  const margins = figureMargins(
    answer.figure,
    read.map(({ figures }, i) => ({
      share: shares[i] ?? 0,
      answer: offers[i]?.answer?.figure ?? null,
      figures,
    })),
  );
  const features = {
    ...featuresOf(answer, others.length === 0 ? 0 : agreeing / others.length),
    // How much of the question the answer's passage holds; how sure the ranker is of the figure, and its best rival.
    coverage: scored.coverage,
    topShare: margins.share,
    rival: margins.rival,
  };
  return { text: answer.text, kind, figure: answer.figure, rank, features };
}

/**
 * Whether two figures state the same thing: the same kind, amount and unit (currency, counted
 * noun, measure), or the same words when either states no exact amount ("dozens"). "£2m" and "£2
 * million" are the same figure; "£2m" and "$2m" are not, nor "3 years" and "3 months", nor "40
 * people" and "40 cars". A count with no noun may be the other with its noun dropped ("40" after
 * "40 people"), as a question's figure is looked for (statedByQuestion).
 */
export function sameFigure(a: FigureMatch, b: FigureMatch): boolean {
  if (a.kind !== b.kind) return false;
  if (a.value === null || b.value === null) return a.text.toLowerCase() === b.text.toLowerCase();
  // A score is valued at its first number alone: "3-1" and "3-0" are both 3.
  if (a.kind === 'score') return numbersIn(a.text) === numbersIn(b.text);
  const unit = a.unit === b.unit || (a.kind === 'count' && (a.unit === null || b.unit === null));
  return a.value === b.value && unit && (a.currency ?? null) === (b.currency ?? null);
}

/** The digits of a text's numbers, each run apart: "3-1" and "3–1" alike. */
const numbersIn = (text: string): string => (text.match(/\d+/g) ?? []).join(' ');

/** One of the best passages as {@link figureMargins} reads it. */
export interface OfferedPassage {
  /** Its share of the softmax over the five best passages' scores. */
  readonly share: number;
  /** The figure it offers as the answer, or null (none, or not read for an answer). */
  readonly answer: FigureMatch | null;
  /** Every figure of a wanted kind it offers, valued. */
  readonly figures: readonly { readonly figure: FigureMatch; readonly value: number }[];
}

/**
 * The `topShare` and `rival` features of a figure answer (see DIRECT_DOCS), from the best passages
 * in rank order: the summed shares of those whose answer is the same figure, and the best value of
 * any other figure in any of them.
 */
export function figureMargins(answer: FigureMatch, passages: readonly OfferedPassage[]): { share: number; rival: number } {
  let share = 0;
  let rival = 0;
  for (const passage of passages) {
    if (passage.answer !== null && sameFigure(passage.answer, answer)) share += passage.share;
    for (const offer of passage.figures) if (!sameFigure(offer.figure, answer)) rival = Math.max(rival, offer.value);
  }
  return { share, rival };
}

/** See DIRECT_DOCS: the sort of figure a candidate is against the sort the question asks for; both 0 without a figure. */
export function figureSortFeatures(query: Query, figure: Figure | undefined): Record<'countsOther' | 'otherTimeKind', number> {
  if (figure === undefined) return { countsOther: 0, otherTimeKind: 0 };
  const counted = query.countedHead;
  const countsOther = counted.size > 0 && !countsAsked(figure, counted);
  const first = query.analysis.wanted[0];
  const otherTimeKind = (figure.kind === 'year' && first === 'date') || (figure.kind === 'date' && first === 'year');
  return { countsOther: countsOther ? 1 : 0, otherTimeKind: otherTimeKind ? 1 : 0 };
}

/** How many of the best passages a figure answer is read from. */
const FIGURE_DEPTH = 3;

/** How many of the best passages a figure answer's rival is looked for in: as many as topShare weighs. */
const RIVAL_DEPTH = SHARE_DEPTH;

/**
 * How much a figure from a lower-ranked passage is discounted: its worth is multiplied by
 * e^(−this × how far the passage's score falls below the best's). Scores are the ranker's logits,
 * so at 1 a figure is weighed by its passage's odds against the best one's.
 */
export const FIGURE_PASSAGE_DISCOUNT = 1;

/** Whether the direct-answer model for a candidate's kind is sure enough of it to show it. */
export function isSure(
  kind: DirectCandidate['kind'],
  features: Readonly<Record<DirectFeature, number>>,
  models: AnswerModels = ANSWER_MODELS,
): boolean {
  if (kind === 'figure') return probability(models.directFigure, features) >= models.directFigure.threshold;
  return probability(models.directName, features) >= models.directName.threshold;
}

/**
 * The figure-given features of a figure question's ranking, from the candidate answer extraction
 * offers (null: none) and the answerability features; null when there are none (no passage).
 */
export function givenFeatures(ranking: Ranking, archive: Archive, candidate: DirectCandidate | null): Record<GivenFeature, number> | null {
  const answerability = answerabilityFeatures(ranking, archive);
  if (answerability === null) return null;
  const f = candidate?.kind === 'figure' ? candidate.features : null;
  const figure = candidate?.kind === 'figure' ? candidate.figure : null;
  // The passage the figure comes from (see DirectCandidate.rank).
  const source = figure === null ? undefined : candidate?.rank;
  const passage = source === undefined ? undefined : ranking.passages[source]?.passage;
  return {
    value: f?.value ?? 0,
    fit: f?.fit ?? 0,
    runnerUp: f?.runnerUp ?? 0,
    inBest: f?.inBest ?? 0,
    answerTopShare: f?.topShare ?? 0,
    answerCoverage: f?.coverage ?? 0,
    corroborated: f?.corroborated ?? 0,
    answerBelowBest: (source ?? 0) > 0 ? 1 : 0,
    figureEvidence:
      figure === null || passage === undefined
        ? 0
        : evidenceBeyondChance(sentenceWeight(ranking.query, passage, figureSentence(passage, figure)), archive.passages.length),
    ...sharedAnswerability(answerability),
  };
}

function sharedAnswerability(features: Readonly<Record<AnswerabilityFeature, number>>): Record<SharedAnswerabilityFeature, number> {
  const shared = {} as Record<SharedAnswerabilityFeature, number>;
  for (const name of SHARED_ANSWERABILITY_FEATURES) shared[name] = features[name];
  return shared;
}

/** The weight of the question's terms in one sentence of a passage, each by its match's strength; 0 for no sentence (-1). */
export function sentenceWeight(query: Query, passage: IndexedPassage, sentence: number): number {
  const row = sentence < 0 ? undefined : matchPassage(query, passage).inSentence[sentence];
  if (row === undefined) return 0;
  return row.reduce((sum, strength, i) => sum + strength * (query.terms[i]?.weight ?? 0), 0);
}

/**
 * Whether any of the passages answer extraction reads ({@link FIGURE_DEPTH}) holds a figure of a
 * kind the question wants, beside the question's terms or not: without one, the passages plainly
 * do not give the figure, and the figure-given model has nothing to weigh. False for a question
 * that asks for no figure.
 */
export function holdsWantedFigure(ranking: Ranking): boolean {
  return ranking.passages.slice(0, FIGURE_DEPTH).some((p) => hasWantedFigure(ranking.query, p.passage));
}

/**
 * What the passages say of the figure a question asks for: `absent` when none of them holds a
 * figure of the wanted kind ({@link holdsWantedFigure}), `doubted` when one does but the
 * figure-given model doubts it is the one asked for, `given` otherwise. Null for a question that
 * asks for no figure.
 */
export type FigureVerdict = 'absent' | 'doubted' | 'given';

/** See {@link FigureVerdict}. */
export function figureVerdict(
  ranking: Ranking,
  archive: Archive,
  candidate: DirectCandidate | null,
  models: AnswerModels = ANSWER_MODELS,
): FigureVerdict | null {
  if (ranking.query.analysis.wanted.length === 0) return null;
  if (!holdsWantedFigure(ranking)) return 'absent';
  const features = givenFeatures(ranking, archive, candidate);
  return features !== null && probability(models.figureGiven, features) < models.figureGiven.threshold ? 'doubted' : 'given';
}
