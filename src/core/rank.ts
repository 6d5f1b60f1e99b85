import { CAPITAL_MID, CAPITAL_START, type Archive, type IndexedArticle, type IndexedPassage } from './archive.ts';
import { analyseQuestion, type QuestionAnalysis } from './question.ts';
import { extractFigures } from './figures.ts';
import type { Figure } from './types.ts';

const CANDIDATE_LIMIT = 150;
const MISSING_ESSENTIAL_PENALTY = 1;
const TOLERATED_GAP_PENALTY = 0.3;
const ARTICLE_LIMIT = 5;
/** Terms in more than this share of passages are too common to find candidates with. */
const COMMON_TERM_SHARE = 0.03;

/** One query term with the index terms that stand for it (itself, misspellings, completions). */
export interface ResolvedTerm {
  /** The question's word, or for a name's last word the whole name: what to tell a reader. */
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
  /** Figures the question itself states: they are context, never the answer. */
  readonly questionFigures: ReadonlySet<string>;
}

export interface ScoredPassage {
  readonly passage: IndexedPassage;
  readonly score: number;
  /** Sentence of the passage that best covers the question. */
  readonly bestSentence: number;
  /** Weighted share of the question's terms found in the passage. */
  readonly coverage: number;
  /** Each signal's value (0–1) before weighting, for tests and tuning. */
  readonly signals: Readonly<Record<keyof typeof WEIGHTS, number>>;
}

export interface Ranking {
  readonly query: Query;
  /** Candidate passages, best first. */
  readonly passages: readonly ScoredPassage[];
  /** Articles by the summed BM25 of their matching passages, best first. */
  readonly articles: readonly IndexedArticle[];
  /** For each query term, its best variant's strength in the article of a passage. */
  articleCoverage(article: IndexedArticle): readonly number[];
}

/**
 * BM25's inverse document frequency. A term the corpus lacks counts as if one passage had it: it
 * is as telling as the rarest term, no more, or in a small corpus it would outweigh every match.
 */
function idf(archive: Archive, df: number): number {
  const n = archive.passages.length;
  const seen = Math.max(1, df);
  return Math.log(1 + (n - seen + 0.5) / (seen + 0.5));
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
    if (!isNumber && !queryTerm.essential) addRelatedForms(archive, queryTerm.term, variants);
    if (exact === undefined && !isNumber && queryTerm.term.length >= 5) {
      for (const [id, distance] of archive.fuzzyTerms(queryTerm.term, queryTerm.term.length >= 8 ? 2 : 1)) {
        // A misspelt name may only match another name: "iPhone" is not "phone".
        if (queryTerm.essential && !archive.couldBeName(id)) continue;
        variants.set(id, distance === 1 ? 0.8 : 0.6);
      }
    }
    if (exact === undefined && !isNumber && index === analysis.terms.length - 1 && queryTerm.term.length >= 3) {
      // The last word may be unfinished ("…in Syr"): let it match as a prefix, weakly.
      for (const id of archive.prefixTerms(queryTerm.term, 20)) if (!variants.has(id)) variants.set(id, 0.5);
    }
    let df = 0;
    for (const id of variants.keys()) df = Math.max(df, archive.passageFrequency(id));
    // A question's first word is capitalised anyway; the corpus tells whether it is a name.
    const opensQuestion = index === 0 && analysis.text.startsWith(queryTerm.word);
    const essential = queryTerm.essential || (opensQuestion && exact !== undefined && archive.isNameLike(exact));
    resolved.push({ word: queryTerm.name ?? queryTerm.word, weight: idf(archive, df), essential, variants, common: df > commonLimit });
  });
  resolved.forEach((term, index) => {
    for (const [id, strength] of term.variants) {
      const list = lookup.get(id) ?? [];
      list.push([index, strength]);
      lookup.set(id, list);
    }
  });
  const totalWeight = resolved.reduce((sum, t) => sum + t.weight, 0);
  const questionFigures = new Set(extractFigures(analysis.text).map((f) => f.text));
  return { analysis, terms: resolved, totalWeight, lookup, questionFigures };
}

/**
 * The question's essential terms (numbers, the last word of names) an article lacks. One missing
 * name is tolerated when at least two other essentials are there: question writers add background
 * ("…the trade ban Reagan brought in") the article may not repeat. A missing number never is.
 */
export function essentialGap(query: Query, strengths: readonly number[]): { missing: ResolvedTerm[]; tolerated: boolean } {
  const essentials = query.terms.filter((t) => t.essential);
  const missing = query.terms.filter((t, i) => t.essential && (strengths[i] ?? 0) === 0);
  const tolerated = missing.length === 1 && !/^\d/u.test(missing[0]?.word ?? '') && essentials.length - missing.length >= 2;
  return { missing, tolerated };
}

/** How much a related form of a word counts ("settled" for "settlement"): less than the word itself. */
const RELATED_FORM_STRENGTH = 0.7;
const MIN_ROOT = 5;

/**
 * Adds the forms of a stemmed term that the Porter stemmer leaves apart: terms that extend it
 * (`settl` → `settlement`, `victoria` → `victorian`) and terms it extends, down to a root of five
 * letters that is most of the word. Short roots would drift ("war" is not "warn").
 */
function addRelatedForms(archive: Archive, term: string, variants: Map<number, number>): void {
  if (term.length < MIN_ROOT) return;
  for (const id of archive.prefixTerms(term, 12)) {
    const related = archive.term(id);
    if (related.length <= term.length + 5 && !variants.has(id)) variants.set(id, RELATED_FORM_STRENGTH);
  }
  const shortest = Math.max(MIN_ROOT, Math.ceil(term.length * 0.75));
  for (let length = term.length - 1; length >= shortest; length--) {
    const id = archive.termId(term.slice(0, length));
    if (id !== undefined && !variants.has(id)) variants.set(id, RELATED_FORM_STRENGTH);
  }
}

/** For each query term, the strength of its best variant in a set of term ids. */
export function setCoverage(query: Query, ids: { has(id: number): boolean }): number[] {
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

/** How much each signal counts in a passage's score. Tuned with `npm run bench:quality`. */
export const WEIGHTS = {
  /** Weighted share of the question's terms in the passage. */
  coverage: 0.6,
  /** The same, with terms weighted by how rare they are within the article: what singles this passage out. */
  localCoverage: 0.3,
  /** The best sentence's coverage. */
  sentence: 0.8,
  /** The article's coverage and summed BM25: news questions name the story. */
  article: 0.5,
  title: 0.2,
  bm25: 0.5,
  /** Question terms that stand next to each other in the passage too. */
  phrase: 0.25,
  /** A figure of the wanted kind, or for other questions a name the question lacks, near the matched terms. */
  answerType: 1.6,
  /** Coverage of the passage before: news paragraphs carry on from each other. */
  context: 0.5,
} as const;

/** Figures of the wanted kind in a sentence, weighted by how wanted the kind is. */
function figureFit(passage: IndexedPassage, query: Query, sentence: number): number {
  const { wanted } = query.analysis;
  let best = 0;
  for (const figure of passage.figures) {
    const rank = wanted.indexOf(figure.kind);
    if (rank < 0 || query.questionFigures.has(figure.text)) continue;
    const value = (rank === 0 ? 1 : 0.6) * (figureSentence(passage, figure) === sentence ? 1 : 0.5);
    if (value > best) best = value;
  }
  return best;
}

const NOT_ANSWERS = new Set([
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'januari', 'februari', 'march', 'april', 'mai', 'june', 'juli', 'august', 'septemb', 'octob', 'novemb', 'decemb',
  'mr', 'mrs', 'ms', 'dr', 'bbc',
]);
const PLACE_PREPOSITIONS = new Set(['in', 'at', 'near', 'from', 'outside', 'inside', 'to', 'across', 'throughout']);

/**
 * How well a sentence offers the kind of name a who/where/which question asks for: a run of
 * capitalised words the question does not contain. A person is two or more words in a row; a place
 * follows "in", "at", "near"…; anything else named counts for which/what questions.
 */
function nameFit(archive: Archive, passage: IndexedPassage, query: Query, sentence: number): number {
  if (!query.analysis.wantsName) return 0;
  const type = query.analysis.type;
  let best = 0;
  let run = 0;
  let runStart = -1;
  const finishRun = (): void => {
    if (run === 0) return;
    let fit: number;
    if (type === 'who') fit = run >= 2 ? 1 : 0.4;
    else if (type === 'where') {
      const before = runStart > 0 ? wordBefore(passage, runStart) : '';
      fit = PLACE_PREPOSITIONS.has(before) ? 1 : 0.4;
    } else fit = run >= 2 ? 1 : 0.6;
    if (fit > best) best = fit;
    run = 0;
  };
  for (let i = 0; i < passage.termIds.length; i++) {
    if (passage.sentenceOf[i] !== sentence) {
      if ((passage.sentenceOf[i] ?? 0) > sentence) break;
      continue;
    }
    const id = passage.termIds[i] ?? -1;
    const flag = passage.capitalised[i];
    const isName = flag === CAPITAL_MID || (flag === CAPITAL_START && archive.isNameLike(id));
    if (isName && !query.lookup.has(id) && !NOT_ANSWERS.has(archive.term(id))) {
      if (run === 0) runStart = i;
      run++;
    } else finishRun();
  }
  finishRun();
  return best;
}

function wordBefore(passage: IndexedPassage, token: number): string {
  const end = passage.spans[2 * token] ?? 0;
  const before = passage.passage.text.slice(Math.max(0, end - 12), end).trimEnd();
  return /(\p{L}+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
}

interface PassageContext {
  readonly bm25: number;
  readonly article: number;
  readonly title: number;
  readonly localWeights: readonly number[];
  /** Coverage of the passage just before, in the same article. */
  readonly context: number;
}

function scorePassage(archive: Archive, query: Query, passage: IndexedPassage, signals: PassageContext): ScoredPassage {
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
  let localTotal = 0;
  let localHit = 0;
  signals.localWeights.forEach((w, q) => {
    localTotal += w;
    localHit += w * (inPassage[q] ?? 0);
  });
  const localCoverage = localTotal === 0 ? 0 : localHit / localTotal;
  const isFigureQuestion = query.analysis.wanted.length > 0;
  let bestSentence = 0;
  let bestSentenceScore = -1;
  let sentenceCoverage = 0;
  let answerType = 0;
  inSentence.forEach((row, s) => {
    const c = weightedCoverage(query, row);
    if (c === 0 && s > 0) return;
    // The answer should stand in a sentence that matches the question, not merely somewhere near it.
    const fit = isFigureQuestion ? figureFit(passage, query, s) : nameFit(archive, passage, query, s);
    const type = fit * Math.sqrt(c);
    const combined = WEIGHTS.sentence * c + WEIGHTS.answerType * type;
    if (combined > bestSentenceScore) {
      bestSentenceScore = combined;
      bestSentence = s;
      sentenceCoverage = c;
      answerType = type;
    }
  });
  const phrase = termCount > 1 ? Math.min(1, adjacentPairs / (termCount - 1)) : 0;
  const values = {
    coverage,
    localCoverage,
    sentence: sentenceCoverage,
    article: signals.article,
    title: signals.title,
    bm25: signals.bm25,
    phrase,
    answerType,
    context: signals.context,
  };
  let score = 0;
  for (const key of Object.keys(WEIGHTS) as (keyof typeof WEIGHTS)[]) score += WEIGHTS[key] * values[key];
  return { passage, score, bestSentence, coverage, signals: values };
}

interface ArticleEvidence {
  /** Per query term, its best variant's strength anywhere in the article. */
  readonly strengths: number[];
  readonly title: number;
  /** Per query term, its weight within the article: see {@link articleEvidence}. */
  readonly localWeights: number[];
}

/**
 * What an article as a whole says about the question. Local weights multiply a term's global
 * rarity by its rarity among the article's passages: a term every paragraph repeats names the
 * story; one in a single paragraph points at the passage.
 */
function articleEvidence(query: Query, article: IndexedArticle): ArticleEvidence {
  const passages = article.passages.length;
  const strengths = query.terms.map(() => 0);
  const localWeights = query.terms.map(() => 0);
  query.terms.forEach((term, q) => {
    let inPassages = 0;
    for (const [id, strength] of term.variants) {
      const count = article.terms.get(id);
      if (count === undefined) continue;
      if (strength > (strengths[q] ?? 0)) strengths[q] = strength;
      inPassages = Math.max(inPassages, count);
    }
    localWeights[q] = inPassages === 0 ? 0 : term.weight * Math.log(1 + passages / inPassages);
  });
  return { strengths, title: weightedCoverage(query, setCoverage(query, article.titleTerms)), localWeights };
}

/** Weighted share of the query in one passage. */
function passageCoverage(query: Query, passage: IndexedPassage): number {
  const strengths = query.terms.map(() => 0);
  for (const id of passage.termIds) {
    for (const [q, strength] of query.lookup.get(id) ?? []) if (strength > (strengths[q] ?? 0)) strengths[q] = strength;
  }
  return weightedCoverage(query, strengths);
}

/**
 * Ranks the archive's passages for a question in two stages: MiniSearch (BM25) finds candidate
 * passages, and their articles by the sum of their passages' scores, then our reranker scores each candidate on term coverage of the
 * passage, its best sentence and its article, phrase adjacency, and a figure of the wanted kind.
 *
 * @example rankPassages(archive, 'How many died in Syria?').passages[0]?.passage.passage.text
 */
export function rankPassages(archive: Archive, question: string): Ranking {
  const query = resolveQuery(archive, analyseQuestion(question));
  const evidenceCache = new Map<number, ArticleEvidence>();
  const evidenceFor = (article: IndexedArticle): ArticleEvidence => {
    let evidence = evidenceCache.get(article.ordinal);
    if (!evidence) {
      evidence = articleEvidence(query, article);
      evidenceCache.set(article.ordinal, evidence);
    }
    return evidence;
  };
  const ranking = (passages: ScoredPassage[], articles: IndexedArticle[]): Ranking => ({
    query,
    passages,
    articles,
    articleCoverage: (article) => evidenceFor(article).strengths,
  });
  if (query.terms.length === 0) return ranking([], []);

  const distinctive = query.terms.filter((t) => !t.common);
  const boost = new Map<string, number>();
  for (const term of distinctive.length > 0 ? distinctive : query.terms) {
    for (const [id, strength] of term.variants) boost.set(archive.term(id), term.weight * strength);
  }
  const termList = [...boost.keys()];
  const allMatches = archive.passageIndex.searchTerms(termList, boost);
  const passageMatches = allMatches.slice(0, CANDIDATE_LIMIT);
  // Article evidence: how strongly the article's passages, taken together, match the question.
  const perArticle = new Map<number, number>();
  for (const match of allMatches) {
    const article = archive.passages[match.id]?.article;
    if (article !== undefined) perArticle.set(article, (perArticle.get(article) ?? 0) + match.score);
  }
  const articleMatches = [...perArticle]
    .sort((a, b) => b[1] - a[1])
    .slice(0, ARTICLE_LIMIT * 4)
    .map(([id, score]) => ({ id, score }));
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
    const evidence = evidenceFor(article);
    const articleSignal = 0.7 * weightedCoverage(query, evidence.strengths) + 0.3 * (articleScore.get(article.ordinal) ?? 0);
    const gap = essentialGap(query, evidence.strengths);
    // A paragraph often carries on from the one before ("…has won the award." "Armand Marie Leroi, …").
    const previous = archive.passages[ordinal - 1];
    const context = previous?.article === article.ordinal ? passageCoverage(query, previous) : 0;
    const scoredPassage = scorePassage(archive, query, passage, { bm25: bm, article: articleSignal, title: evidence.title, localWeights: evidence.localWeights, context });
    // An article that lacks a name or number the question gives is about something else.
    const penalty = gap.missing.length === 0 ? 0 : gap.tolerated ? TOLERATED_GAP_PENALTY : MISSING_ESSENTIAL_PENALTY * gap.missing.length;
    scored.push(penalty === 0 ? scoredPassage : { ...scoredPassage, score: scoredPassage.score - penalty });
  }
  scored.sort((a, b) => b.score - a.score);
  return ranking(scored, articleMatches.flatMap((m) => archive.articles[m.id] ?? []));
}
