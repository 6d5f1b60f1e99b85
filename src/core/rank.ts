import { CAPITAL_MID, CAPITAL_START, type Archive, type IndexedArticle, type IndexedPassage } from './archive.ts';
import { analyseQuestion, MAX_FUZZY_TERM_LENGTH, type QuestionAnalysis } from './question-analysis.ts';
import { extractFigures } from './figures.ts';
import { fold, processTerm, terms } from './text.ts';
import type { Figure } from './types.ts';
import { MONTH_NAMES, NAME_TITLES, WEEKDAY_NAMES } from './word-lists.ts';

const CANDIDATE_LIMIT = 150;
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
  /** In how many passages its commonest variant occurs. */
  readonly frequency: number;
  /** The word sets the scene of the question rather than asks (see `QueryTerm.background`). */
  readonly background: boolean;
  /** The noun naming the sort of answer wanted ("country" in "what country…"). */
  readonly answerNoun: boolean;
  /** The role a question about a person describes the person by ("minister" in "Who is the economics minister…"). */
  readonly roleNoun: boolean;
}

export interface Query {
  readonly analysis: QuestionAnalysis;
  readonly terms: readonly ResolvedTerm[];
  readonly totalWeight: number;
  /** Per term, its weight where the answer stands: see {@link FOCUS}. */
  readonly focusWeights: readonly number[];
  /** Term id → [query term index, variant strength] pairs. */
  readonly lookup: ReadonlyMap<number, readonly (readonly [number, number])[]>;
  /** Figures the question itself states: they are context, never the answer. */
  readonly questionFigures: ReadonlySet<string>;
  /** Term ids of every word of the question, framing words too: a name among them is not the answer. */
  readonly mentioned: ReadonlySet<number>;
  /** Term ids that stand for the question's names and numbers. */
  readonly names: ReadonlySet<number>;
  /** Term ids of the noun naming the sort of answer ("university" in "which university…"). */
  readonly answerNouns: ReadonlySet<number>;
  /** The question's nouns, stemmed, that a counted figure could count ("songs" in "how many songs…"). */
  readonly countedNouns: ReadonlySet<string>;
  /**
   * Indexes of the question's own numbers outside names and scene-setting ("since 1999", "passed in
   * 1850"): details the answer's passage repeats, unlike "Channel 4" or "the 2004 Guardian Award".
   */
  readonly details: readonly number[];
  /** Term id of the noun a "what kind of…" answer qualifies, if the archive has it. */
  readonly headNoun?: number;
  /** Per term, the question's word as {@link surfaceForm} gives it. */
  readonly surfaces: readonly string[];
  /** The question's names: the index of each one's last word, and of all its words ("Tony", "Blair"). */
  readonly nameGroups: readonly NameGroup[];
}

/** A name of the question, as indexes into {@link Query.terms}. */
export interface NameGroup {
  readonly last: number;
  readonly members: readonly number[];
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
  /** Candidate passages, best first: all of them, or with a `depth`, at least that many best ones. */
  readonly passages: readonly ScoredPassage[];
  /** How many candidate passages there were in all, scored or not. */
  readonly candidates: number;
  /** Articles by the summed BM25 of their matching passages, best first. */
  readonly articles: readonly IndexedArticle[];
  /** For each query term, its best variant's strength in the article of a passage. */
  articleCoverage(article: IndexedArticle): readonly number[];
  /** For a question that asks for a name, the name the best passage offers: see {@link nameAnswer}. */
  nameAnswer(): string | null;
  /** For a figure question, the figure of the best passage the question's terms surround most closely. */
  figureAnswer(): Figure | null;
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

/** Whether a number stands in a name in the question ("Channel 4", "the 2004 Guardian First Book Award"). */
function partOfName(text: string, number: string): boolean {
  const at = text.indexOf(number);
  if (at < 0) return false;
  const before = /(\S+)\s+$/u.exec(text.slice(0, at))?.[1] ?? '';
  const after = /^\s+(\S+)/u.exec(text.slice(at + number.length))?.[1] ?? '';
  return /^\p{Lu}/u.test(before) || /^\p{Lu}/u.test(after);
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
    // "IHRC" stands for the whole "Islamic Human Rights Commission", if the corpus writes it as a name.
    const acronym = queryTerm.acronym === undefined ? undefined : archive.termId(queryTerm.acronym.toLowerCase());
    if (acronym !== undefined && archive.couldBeName(acronym)) variants.set(acronym, 1);
    if (!isNumber && !queryTerm.essential) addRelatedForms(archive, queryTerm.term, variants);
    if (exact === undefined && !isNumber && queryTerm.term.length >= 5 && queryTerm.term.length <= MAX_FUZZY_TERM_LENGTH) {
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
    const weight = idf(archive, df) * (queryTerm.light === true ? LIGHT_VERB.weight : 1);
    resolved.push({
      word: queryTerm.name ?? queryTerm.word,
      weight,
      essential,
      variants,
      common: df > commonLimit,
      frequency: df,
      background: queryTerm.background === true,
      answerNoun: queryTerm.answerNoun === true,
      roleNoun: queryTerm.roleNoun === true,
    });
  });
  resolved.forEach((term, index) => {
    for (const [id, strength] of term.variants) {
      const list = lookup.get(id) ?? [];
      list.push([index, strength]);
      lookup.set(id, list);
    }
  });
  const totalWeight = resolved.reduce((sum, t) => sum + t.weight, 0);
  // A light verb says little of what the answer is about, but where it stands the answer often stands too ("is located in…").
  const focusWeights = resolved.map(
    (t, q) => (analysis.terms[q]?.light === true ? t.weight / LIGHT_VERB.weight : t.weight) * (t.background ? FOCUS.background : 1),
  );
  const questionFigures = new Set(extractFigures(analysis.text).map((f) => f.text));
  const mentioned = new Set<number>(lookup.keys());
  for (const word of terms(analysis.text)) {
    const id = archive.termId(word);
    if (id !== undefined) mentioned.add(id);
  }
  const headTerm = analysis.headNoun === null ? null : processTerm(analysis.headNoun);
  const headNoun = headTerm === null ? undefined : archive.termId(headTerm);
  const names = new Set(resolved.flatMap((t) => (t.essential ? [...t.variants.keys()] : [])));
  const counted = /\bhow many ((?:[\p{L}-]+ ){0,2}[\p{L}-]+)/iu.exec(analysis.text)?.[1] ?? '';
  const countedNouns = new Set(terms(counted));
  const answerNouns = new Set(resolved.flatMap((t) => (t.answerNoun ? [...t.variants.keys()] : [])));
  const details = resolved.flatMap((t, q) =>
    t.essential && !t.background && /^\d/u.test(t.word) && !partOfName(analysis.text, t.word) ? [q] : [],
  );
  const nameGroups = analysis.terms.flatMap((t, last) => {
    if (t.name === undefined || /^\d/u.test(t.term)) return [];
    const words = new Set(terms(t.name));
    return [{ last, members: analysis.terms.flatMap((m, q) => (words.has(m.term) ? [q] : [])) }];
  });
  const query = {
    analysis,
    terms: resolved,
    totalWeight,
    focusWeights,
    lookup,
    questionFigures,
    mentioned,
    names,
    answerNouns,
    countedNouns,
    details,
    nameGroups,
    surfaces: analysis.terms.map((t) => surfaceForm(t.word)),
  };
  return headNoun === undefined ? query : { ...query, headNoun };
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

/**
 * How much a verb the question frames its ask with counts (see `LIGHT_VERBS` in question-analysis.ts):
 * "located" in "Where is Palm Springs located?" says no more than "where" does.
 */
export const LIGHT_VERB = { weight: 0.25 };

/** How much a related form of a word counts ("settled" for "settlement"): less than the word itself. */
const RELATED_FORM_STRENGTH = 0.7;
const MIN_ROOT = 5;

/**
 * Adds the forms of a stemmed term that the Porter stemmer leaves apart: terms that extend it
 * (`settl` → `settlement`, `victoria` → `victorian`) and terms it extends, down to a root of five
 * letters that is most of the word. Short roots would drift ("war" is not "warn").
 */
function addRelatedForms(archive: Archive, term: string, variants: Map<number, number>): void {
  for (const form of derivedForms(term)) {
    const id = archive.termId(form);
    if (id !== undefined && !variants.has(id)) variants.set(id, RELATED_FORM_STRENGTH);
  }
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

/**
 * Derived forms of a stemmed term that the Porter stemmer leaves apart and a shared prefix does
 * not find: a noun in "-ity" and the adjective it is made from ("density" → "dense", "securiti"
 * → "secur"). The root keeps four letters at least, so "city" yields nothing.
 *
 * @example derivedForms('densiti') // ['dens']
 */
export function derivedForms(term: string): string[] {
  return term.length >= 7 && term.endsWith('iti') ? [term.slice(0, -3)] : [];
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
  for (let i = 0; i < strengths.length; i++) sum += (strengths[i] ?? 0) * (query.terms[i]?.weight ?? 0);
  return sum / query.totalWeight;
}

/**
 * Where the answer stands, the question's scene-setting words (see `QueryTerm.background`) count
 * less than the question proper: "…that attacked Hazel Blears" is why the lead matches, not where
 * the chairman is named.
 */
export const FOCUS = { background: 0.3 };

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
  sentence: 1.2,
  /** The article's coverage and summed BM25: news questions name the story. */
  article: 2,
  title: 0.2,
  bm25: 0.5,
  /** Question terms that stand next to each other in the passage too. */
  phrase: 0.25,
  /** An answer of the wanted sort (a figure of the wanted kind, a name…) in a sentence that matches the question. */
  answerType: 1.2,
  /** The same answer with the question's terms close around it: see {@link proximity}. */
  answerNear: 2,
  /** Coverage of the passage before: news paragraphs carry on from each other. */
  context: 0.5,
  /** Share of the question's own numbers (see `Query.details`) the passage repeats; 1 when it states none. */
  numbers: 1,
} as const;

/**
 * What an article lacking one of the question's names or numbers loses: a missing essential each,
 * or a tolerated gap (see {@link essentialGap}). Larger than any one signal can make up.
 */
export const PENALTY = { missing: 2, tolerated: 0.6 };

/** The shape of {@link proximity}. */
export const PROXIMITY = {
  /** Tokens between a question term and the answer at which the term counts half. */
  halfDistance: 4,
  /** Extra distance for each sentence boundary between them. */
  sentenceGap: 12,
  /** Share of each term's weight from its rarity within the article rather than the archive. */
  local: 0.5,
};

/** A span of a passage that could be the answer: a figure of the wanted kind, or a run of name words. */
interface AnswerCandidate {
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

/** How well a figure fits a figure question: see {@link figureCandidates}. */
export const FIGURE_FIT = { otherKind: 0.6, otherUnit: 0.8 };

/**
 * Figures of the wanted kind that the question does not state itself. The most wanted kind fits
 * best; a count of something the question does not name ("how many songs" → "three albums") less.
 */
function figureCandidates(passage: IndexedPassage, query: Query): AnswerCandidate[] {
  const { wanted } = query.analysis;
  const out: AnswerCandidate[] = [];
  for (const figure of passage.figures) {
    const rank = wanted.indexOf(figure.kind);
    if (rank < 0 || query.questionFigures.has(figure.text)) continue;
    const start = tokenAt(passage, figure.start);
    const end = Math.max(start + 1, tokenAt(passage, figure.end - 1) + 1);
    let fit = rank === 0 ? 1 : FIGURE_FIT.otherKind;
    if (
      figure.kind === 'count' &&
      figure.unit !== null &&
      query.countedNouns.size > 0 &&
      !query.countedNouns.has(processTerm(figure.unit) ?? '')
    )
      fit *= FIGURE_FIT.otherUnit;
    out.push({ sentence: passage.sentenceOf[start] ?? 0, start, end, fit, figure });
  }
  return out;
}

/** Capitalised words that are never an answer on their own. */
const NOT_ANSWERS = new Set(terms([...WEEKDAY_NAMES, ...MONTH_NAMES, 'BBC'].join(' ')));
/** Titles before a name: part of it, but no name by themselves ("Mr Demel" is one word of name). */
const TITLES = new Set(terms(NAME_TITLES.join(' ')));
/** Last words (stemmed) that make a name an organisation's. */
const ORGANISATION_HEADS = new Set(
  terms(
    'TV plc Ltd Inc Group Council University Party Bank Company Corporation Corp Association Commission Committee ' +
      'Institute Agency Club FC Foundation Trust Ministry Department Office Service Network Channel Times Post News Airlines ' +
      'Airways Motors Records Studios Pictures Court Parliament Assembly Union League Federation Board Fund Authority',
  ),
);
/** Lower-case particles inside names: "Guy de Lusignan", "Ludwig van Beethoven". */
const NAME_PARTICLES = new Set(['de', 'da', 'di', 'del', 'della', 'van', 'von', 'der', 'den', 'du', 'le', 'la', 'bin', 'ibn', 'al', 'el']);
const PLACE_PREPOSITIONS = new Set(['in', 'at', 'near', 'from', 'outside', 'inside', 'to', 'across', 'throughout']);

/** How well a run of name words fits the sort of name asked for; see {@link nameCandidates}. */
export const NAME_FIT = { single: 0.6, withoutPreposition: 0.6, modifier: 0.6, organisation: 0.5 };

/**
 * Runs of capitalised words the question does not contain, for questions that ask for a name. A
 * person's name has two words or a title and one ("Mr Demel"); a place follows "in", "at", "near"…;
 * another named thing has two words or more. A lone word fits less: it is as often a common word
 * capitalised, or a name the question already implies.
 */
function nameCandidates(archive: Archive, passage: IndexedPassage, query: Query): AnswerCandidate[] {
  const out: AnswerCandidate[] = [];
  const kind = query.analysis.nameKind;
  if (kind === null) return out;
  const count = passage.termIds.length;
  const isNameWord = (i: number): boolean => {
    const flag = passage.capitalised[i];
    return flag === CAPITAL_MID || (flag === CAPITAL_START && archive.isNameLike(passage.termIds[i] ?? -1));
  };
  const isAnswerWord = (i: number): boolean => {
    const id = passage.termIds[i] ?? -1;
    return isNameWord(i) && !query.mentioned.has(id) && !NOT_ANSWERS.has(archive.term(id));
  };
  // Only spaces join the words of a name: "Chelsea, Everton" are two.
  const text = passage.passage.text;
  const joined = (i: number): boolean => {
    const from = passage.spans[2 * i - 1] ?? 0;
    const to = passage.spans[2 * i] ?? 0;
    for (let k = from; k < to; k++) if (text.charCodeAt(k) !== 32) return false;
    return to > from;
  };
  let i = 0;
  while (i < count) {
    // Most words are in lower case: skip them without a call.
    if (passage.capitalised[i] === 0 || !isAnswerWord(i)) {
      i++;
      continue;
    }
    const start = i;
    let words = 0;
    let titled = false;
    let end = i;
    while (end < count && (end === start || joined(end))) {
      if (isAnswerWord(end)) {
        if (TITLES.has(archive.term(passage.termIds[end] ?? -1)) && words === 0) titled = true;
        else words++;
        end++;
      } else if (words > 0 && NAME_PARTICLES.has(wordAt(passage, end)) && isAnswerWord(end + 1) && joined(end + 1)) {
        // A particle between two name words belongs to the name: "Guy de Lusignan".
        end++;
      } else break;
    }
    // The noun the question names the sort of answer by may end the name: "Napier University" for
    // "which university", "the Colorado River" for "what river".
    let ofSort = false;
    if (words > 0 && end < count && joined(end) && isNameWord(end) && query.answerNouns.has(passage.termIds[end] ?? -1)) {
      end++;
      ofSort = true;
    }
    i = end;
    // A name that runs on into one of the question's names is that name: "President Bashar [Assad]".
    if (words === 0 || (end < count && joined(end) && isNameWord(end) && query.names.has(passage.termIds[end] ?? -1))) continue;
    // So is one built on a word of the question: "the French Wars [of Religion]" for "what religion".
    if (
      kind !== 'person' &&
      end + 1 < count &&
      joined(end) &&
      wordAt(passage, end) === 'of' &&
      joined(end + 1) &&
      isNameWord(end + 1) &&
      query.mentioned.has(passage.termIds[end + 1] ?? -1)
    )
      continue;
    let fit: number;
    // "Where" may be answered by any name, so a place shows by its preposition; "which city" says it is one.
    if (kind === 'place' && query.analysis.type === 'where')
      fit = PLACE_PREPOSITIONS.has(start > 0 ? wordBefore(passage, start) : '') ? 1 : NAME_FIT.withoutPreposition;
    else if (kind === 'place') fit = 1;
    else fit = words >= 2 || (kind === 'person' && titled) ? 1 : NAME_FIT.single;
    if (ofSort) fit = 1;
    // "Mersey TV", "Tate & Lyle plc": an organisation's name is no person's.
    if (kind === 'person' && ORGANISATION_HEADS.has(archive.term(passage.termIds[end - 1] ?? -1))) fit *= NAME_FIT.organisation;
    out.push({ sentence: passage.sentenceOf[start] ?? 0, start, end, fit });
  }
  return out;
}

/**
 * For "what kind of arches…", the words that qualify the question's head noun in the passage
 * ("rounded arches"), unless the question has them itself.
 */
function modifierCandidates(passage: IndexedPassage, query: Query): AnswerCandidate[] {
  const out: AnswerCandidate[] = [];
  const head = query.headNoun;
  if (head === undefined) return out;
  for (let i = 1; i < passage.termIds.length; i++) {
    if (passage.termIds[i] !== head || passage.sentenceOf[i - 1] !== passage.sentenceOf[i]) continue;
    const before = passage.termIds[i - 1] ?? -1;
    if (before >= 0 && !query.mentioned.has(before))
      out.push({ sentence: passage.sentenceOf[i] ?? 0, start: i - 1, end: i, fit: NAME_FIT.modifier });
  }
  return out;
}

function wordAt(passage: IndexedPassage, token: number): string {
  return passage.passage.text.slice(passage.spans[2 * token] ?? 0, passage.spans[2 * token + 1] ?? 0).toLowerCase();
}

function wordBefore(passage: IndexedPassage, token: number): string {
  const end = passage.spans[2 * token] ?? 0;
  const before = passage.passage.text.slice(Math.max(0, end - 12), end).trimEnd();
  return /(\p{L}+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
}

/**
 * How closely the question's terms surround an answer candidate: each term counts by its weight,
 * its match strength and how near its nearest occurrence stands (half at {@link PROXIMITY}.halfDistance
 * tokens, less across sentences). An answer sits beside what the question asks about it
 * ("contributed more than £10m since 1999"), not merely in the same paragraph.
 */
function proximity(
  query: Query,
  passage: IndexedPassage,
  hits: Hits,
  candidate: AnswerCandidate,
  weights: readonly number[],
  total: number,
): number {
  if (total === 0) return 0;
  const best = new Float64Array(query.terms.length);
  const half = PROXIMITY.halfDistance;
  for (let h = 0; h < hits.count; h++) {
    // A question term inside the candidate is the figure's own noun ("half a million people" for
    // "how many people"): as close as can be.
    const token = hits.token[h] ?? 0;
    const gap = token < candidate.start ? candidate.start - token - 1 : token >= candidate.end ? token - candidate.end : 0;
    const sentences = Math.abs((passage.sentenceOf[token] ?? 0) - candidate.sentence);
    const closeness = (hits.strength[h] ?? 0) * (half / (half + gap + sentences * PROXIMITY.sentenceGap));
    const q = hits.term[h] ?? 0;
    if (closeness > (best[q] ?? 0)) best[q] = closeness;
  }
  let sum = 0;
  for (let q = 0; q < best.length; q++) sum += (best[q] ?? 0) * (weights[q] ?? 0);
  return sum / total;
}

/** Where the question's terms occur in a passage. */
interface Hits {
  count: number;
  readonly token: number[];
  readonly term: number[];
  readonly strength: number[];
}

interface PassageContext {
  readonly bm25: number;
  readonly article: number;
  readonly title: number;
  readonly localWeights: readonly number[];
  /** Coverage of the passage just before, in the same article. */
  readonly context: number;
  /** What the article's gaps cost (see {@link PENALTY}). */
  readonly penalty: number;
  /** Per query term, its weight for {@link proximity} in this article, and their sum. */
  readonly nearWeights: readonly number[];
  readonly nearTotal: number;
}

/** Where and how strongly the question's terms occur in a passage, overall and per sentence. */
interface Matches {
  readonly inPassage: number[];
  readonly inSentence: number[][];
  readonly hits: Hits;
  /** Question terms that follow each other in the passage as in the question. */
  readonly adjacentPairs: number;
}

/** How much a pronoun counts for the name it stands for: see {@link antecedent}. */
export const ANAPHORA = { strength: 0.7 };

/**
 * The question's name a passage's opening pronoun stands for: when the passage names none of the
 * question's names but opens on "he" or "she", the last of them the paragraph before names ("Mr
 * Blair praised…" then "In a speech at Napier University, he said…"). News paragraphs carry on so.
 */
export function antecedent(archive: Archive, query: Query, passage: IndexedPassage, inPassage: readonly number[]): NameGroup | null {
  if (passage.pronoun < 0 || query.nameGroups.length === 0) return null;
  for (const group of query.nameGroups) if ((inPassage[group.last] ?? 0) > 0) return null;
  const previous = archive.passages[passage.ordinal - 1];
  if (previous?.article !== passage.article) return null;
  for (let i = previous.termIds.length - 1; i >= 0; i--) {
    const matches = query.lookup.get(previous.termIds[i] ?? -1);
    if (matches === undefined) continue;
    for (const [q] of matches) for (const group of query.nameGroups) if (group.last === q) return group;
  }
  return null;
}

/**
 * How much a match counts whose word only shares the question word's stem: "populated" or
 * "populous" for "population", "county" for "counties". The stemmer joins words that differ in
 * what they say; the question's own word is the better evidence.
 */
export const SURFACE = { stemOnly: 0.9 };

/**
 * A word as {@link SURFACE} compares it: lower case, folded, without a possessive.
 *
 * @example surfaceForm("Normandy's") // 'normandy'
 */
export function surfaceForm(word: string): string {
  // Folding is the costly part, and most words need none.
  const folded = /[^ -~]/u.test(word) ? fold(word) : word.toLowerCase();
  return folded.endsWith("'s") || folded.endsWith('’s') ? folded.slice(0, -2) : folded;
}

function matchPassage(archive: Archive, query: Query, passage: IndexedPassage): Matches {
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
    const row = inSentence[passage.sentenceOf[i] ?? 0];
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
  const group = antecedent(archive, query, passage, inPassage);
  if (group !== null) {
    const token = passage.pronoun;
    const row = inSentence[passage.sentenceOf[token] ?? 0];
    for (const q of group.members) {
      const strength = ANAPHORA.strength;
      if (strength > (inPassage[q] ?? 0)) inPassage[q] = strength;
      if (row && strength > (row[q] ?? 0)) row[q] = strength;
      hits.token.push(token);
      hits.term.push(q);
      hits.strength.push(strength);
      hits.count++;
    }
  }
  return { inPassage, inSentence, hits, adjacentPairs };
}

/** Answer candidates of the sort the question asks for. */
function answerCandidates(archive: Archive, query: Query, passage: IndexedPassage): AnswerCandidate[] {
  if (query.analysis.wanted.length > 0) return figureCandidates(passage, query);
  if (query.analysis.nameKind !== null) return nameCandidates(archive, passage, query);
  return modifierCandidates(passage, query);
}

/**
 * Per query term, its weight for {@link proximity}: its focus weight, half of it scaled by the term's
 * rarity within the article (what singles the answer's paragraph out from the story's lead).
 */
function nearWeights(query: Query, localWeights: readonly number[]): number[] {
  return query.focusWeights.map((w, q) => {
    const term = query.terms[q];
    const focus = term === undefined || term.weight === 0 ? 0 : w / term.weight;
    return (1 - PROXIMITY.local) * w + PROXIMITY.local * focus * (localWeights[q] ?? 0);
  });
}

function scorePassage(archive: Archive, query: Query, passage: IndexedPassage, signals: PassageContext): ScoredPassage {
  const termCount = query.terms.length;
  const { inPassage, inSentence, hits, adjacentPairs } = matchPassage(archive, query, passage);
  const sentenceCount = inSentence.length;
  const coverage = weightedCoverage(query, inPassage);
  let localTotal = 0;
  let localHit = 0;
  for (let q = 0; q < termCount; q++) {
    const w = signals.localWeights[q] ?? 0;
    localTotal += w;
    localHit += w * (inPassage[q] ?? 0);
  }
  const localCoverage = localTotal === 0 ? 0 : localHit / localTotal;
  let numbers = 1;
  if (query.details.length > 0) {
    let found = 0;
    for (const q of query.details) found += inPassage[q] ?? 0;
    numbers = found / query.details.length;
  }
  const sentenceCoverages = inSentence.map((row) => weightedCoverage(query, row));

  // Each sentence's best answer candidate: by its fit and its sentence's coverage, and by its fit
  // and how closely the question's terms surround it. Proximity weighs terms by their focus (the
  // question proper over its scene-setting) and half by their rarity within the article.
  const candidates = answerCandidates(archive, query, passage);
  const typeOf = new Float64Array(sentenceCount);
  const nearOf = new Float64Array(sentenceCount);
  if (candidates.length > 0) {
    const { nearWeights: weights, nearTotal: total } = signals;
    for (const candidate of candidates) {
      const s = candidate.sentence;
      const type = candidate.fit * Math.sqrt(sentenceCoverages[s] ?? 0);
      const near = candidate.fit * Math.sqrt(proximity(query, passage, hits, candidate, weights, total));
      if (type > (typeOf[s] ?? 0)) typeOf[s] = type;
      if (near > (nearOf[s] ?? 0)) nearOf[s] = near;
    }
  }
  let bestSentence = 0;
  let bestSentenceScore = -1;
  let sentence = 0;
  let answerType = 0;
  let answerNear = 0;
  sentenceCoverages.forEach((c, s) => {
    const type = typeOf[s] ?? 0;
    const near = nearOf[s] ?? 0;
    if (c === 0 && near === 0 && s > 0) return;
    const combined = WEIGHTS.sentence * c + WEIGHTS.answerType * type + WEIGHTS.answerNear * near;
    if (combined > bestSentenceScore) {
      bestSentenceScore = combined;
      bestSentence = s;
      sentence = c;
      answerType = type;
      answerNear = near;
    }
  });
  const phrase = termCount > 1 ? Math.min(1, adjacentPairs / (termCount - 1)) : 0;
  const values = {
    coverage,
    localCoverage,
    sentence,
    article: signals.article,
    title: signals.title,
    bm25: signals.bm25,
    phrase,
    answerType,
    answerNear,
    context: signals.context,
    numbers,
  };
  let score = -signals.penalty;
  for (const key of Object.keys(WEIGHTS) as (keyof typeof WEIGHTS)[]) score += WEIGHTS[key] * values[key];
  return { passage, score, bestSentence, coverage, signals: values };
}

/**
 * How closely a name must be surrounded by the question's terms to be offered as the answer, and
 * how much more the role the question describes a person by counts for it: news names people
 * beside their role ("IHRC chairman Massoud Shadjareh", "the economics minister, Ali Babacan").
 */
export const NAME_ANSWER = { min: 0.65, role: 3 };

/**
 * The name a passage offers as the answer to a who/where/which question: the candidate name that
 * the question's terms surround most closely, preferring the passage's best sentence. Null when the
 * question does not ask for a name or no name stands close enough to what it asks.
 *
 * @example nameAnswer(archive, query, ranking.passages[0], localWeights) // 'Massoud Shadjareh'
 */
function nameAnswer(archive: Archive, query: Query, scored: ScoredPassage, localWeights: readonly number[]): string | null {
  if (query.analysis.nameKind === null) return null;
  const { passage } = scored;
  const { hits } = matchPassage(archive, query, passage);
  const weights = nearWeights(query, localWeights).map((w, q) => (query.terms[q]?.roleNoun === true ? w * NAME_ANSWER.role : w));
  const total = weights.reduce((sum, w) => sum + w, 0);
  let best: AnswerCandidate | null = null;
  let bestValue = NAME_ANSWER.min;
  for (const candidate of nameCandidates(archive, passage, query)) {
    const value =
      candidate.fit *
      Math.sqrt(proximity(query, passage, hits, candidate, weights, total)) *
      (candidate.sentence === scored.bestSentence ? 1 : 0.7);
    if (value > bestValue) {
      best = candidate;
      bestValue = value;
    }
  }
  if (best === null) return null;
  const text = passage.passage.text.slice(passage.spans[2 * best.start] ?? 0, passage.spans[2 * (best.end - 1) + 1] ?? 0);
  return text.replace(/['’]s$/u, '');
}

/**
 * The figure a passage offers as the answer to a figure question: of the figures of a wanted kind
 * the question does not state itself, the one with the best fit whose neighbours are the question's
 * terms ("has contributed more than £10m since 1999"), not merely the first.
 */
function figureAnswer(archive: Archive, query: Query, scored: ScoredPassage, evidence: ArticleEvidence): Figure | null {
  const { passage } = scored;
  const { hits } = matchPassage(archive, query, passage);
  const candidates = figureCandidates(passage, query);
  let best: Figure | null = null;
  let bestValue = -1;
  for (const candidate of candidates) {
    const value = candidate.fit * Math.sqrt(proximity(query, passage, hits, candidate, evidence.nearWeights, evidence.nearTotal));
    if (candidate.figure && value > bestValue) {
      best = candidate.figure;
      bestValue = value;
    }
  }
  return best;
}

interface ArticleEvidence {
  /** Per query term, its best variant's strength anywhere in the article. */
  readonly strengths: number[];
  readonly title: number;
  /** Per query term, its weight within the article: see {@link articleEvidence}. */
  readonly localWeights: number[];
  /** Per query term, its weight for {@link proximity} in this article, and their sum. */
  readonly nearWeights: number[];
  readonly nearTotal: number;
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
  const near = nearWeights(query, localWeights);
  return {
    strengths,
    title: weightedCoverage(query, setCoverage(query, article.titleTerms)),
    localWeights,
    nearWeights: near,
    nearTotal: near.reduce((sum, w) => sum + w, 0),
  };
}

/** Weighted share of the query in one passage. */
function passageCoverage(query: Query, passage: IndexedPassage): number {
  const strengths = query.terms.map(() => 0);
  for (const id of passage.termIds) {
    for (const [q, strength] of query.lookup.get(id) ?? []) if (strength > (strengths[q] ?? 0)) strengths[q] = strength;
  }
  return weightedCoverage(query, strengths);
}

/** Postings MiniSearch may walk to find candidates: its cost grows with them, our reranker's does not. */
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

/**
 * Ranks the archive's passages for a question in two stages: MiniSearch (BM25) finds candidate
 * passages, and their articles by the sum of their passages' scores; then our reranker scores each
 * candidate on the signals in {@link WEIGHTS}. With `depth`, only as many candidates are scored as
 * it takes to be sure of the best `depth`; `candidates` still counts them all.
 *
 * @example rankPassages(archive, 'How many died in Syria?').passages[0]?.passage.passage.text
 */
export function rankPassages(archive: Archive, question: string, depth?: number): Ranking {
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
  const ranking = (passages: ScoredPassage[], articles: IndexedArticle[], candidates = passages.length): Ranking => ({
    query,
    passages,
    candidates,
    articles,
    articleCoverage: (article) => evidenceFor(article).strengths,
    nameAnswer: () => {
      const best = passages[0];
      const article = best && archive.articles[best.passage.article];
      return best && article ? nameAnswer(archive, query, best, evidenceFor(article).localWeights) : null;
    },
    figureAnswer: () => {
      const best = passages[0];
      const article = best && archive.articles[best.passage.article];
      return best && article ? figureAnswer(archive, query, best, evidenceFor(article)) : null;
    },
  });
  if (query.terms.length === 0) return ranking([], []);

  const boost = new Map<string, number>();
  for (const term of findingTerms(query)) {
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

  // Everything about a candidate that needs no scan of its text, and an upper bound on its score:
  // a passage covers no more of the question than its article does, and fits at most perfectly.
  const contextCache = new Map<number, number>();
  const pending: { passage: IndexedPassage; context: PassageContext; bound: number }[] = [];
  for (const [ordinal, bm] of bm25) {
    const passage = archive.passages[ordinal];
    const article = passage && archive.articles[passage.article];
    if (!passage || !article) continue;
    const evidence = evidenceFor(article);
    const articleCoverage = weightedCoverage(query, evidence.strengths);
    const articleSignal = 0.7 * articleCoverage + 0.3 * (articleScore.get(article.ordinal) ?? 0);
    const gap = essentialGap(query, evidence.strengths);
    // A paragraph often carries on from the one before ("…has won the award." "Armand Marie Leroi, …").
    const previous = archive.passages[ordinal - 1];
    let context = 0;
    if (previous?.article === article.ordinal) {
      context = contextCache.get(ordinal - 1) ?? passageCoverage(query, previous);
      contextCache.set(ordinal - 1, context);
    }
    // An article that lacks a name or number the question gives is about something else.
    const penalty = gap.missing.length === 0 ? 0 : gap.tolerated ? PENALTY.tolerated : PENALTY.missing * gap.missing.length;
    const signals: PassageContext = {
      bm25: bm,
      article: articleSignal,
      title: evidence.title,
      localWeights: evidence.localWeights,
      context,
      penalty,
      nearWeights: evidence.nearWeights,
      nearTotal: evidence.nearTotal,
    };
    const bound =
      (WEIGHTS.coverage + WEIGHTS.sentence) * articleCoverage +
      WEIGHTS.answerType * Math.sqrt(articleCoverage) +
      WEIGHTS.localCoverage +
      WEIGHTS.phrase +
      WEIGHTS.answerNear +
      WEIGHTS.numbers +
      WEIGHTS.article * articleSignal +
      WEIGHTS.title * evidence.title +
      WEIGHTS.bm25 * bm +
      WEIGHTS.context * context -
      penalty;
    pending.push({ passage, context: signals, bound });
  }
  // Score candidates in order of their bound, and stop once no unscored one can reach the top
  // `depth`: those are exact, which is all an answer shows, at a fraction of the work.
  // A passage whose text another candidate repeats (the same wire story filed twice) is shown once,
  // as its better-scoring copy; `best` counts each text once, so the top `depth` are distinct.
  pending.sort((a, b) => b.bound - a.bound);
  const byText = new Map<number, ScoredPassage>();
  const best: number[] = [];
  for (const candidate of pending) {
    if (depth !== undefined && best.length >= depth && candidate.bound < (best[depth - 1] ?? -Infinity)) break;
    const result = scorePassage(archive, query, candidate.passage, candidate.context);
    const twin = byText.get(candidate.passage.original);
    if (twin !== undefined && twin.score >= result.score) continue;
    byText.set(candidate.passage.original, result);
    if (depth !== undefined && twin === undefined) {
      const at = best.findIndex((score) => score < result.score);
      best.splice(at < 0 ? best.length : at, 0, result.score);
      if (best.length > depth) best.length = depth;
    }
  }
  const scored = [...byText.values()].sort((a, b) => b.score - a.score);
  return ranking(
    scored,
    articleMatches.flatMap((m) => archive.articles[m.id] ?? []),
    pending.length,
  );
}
