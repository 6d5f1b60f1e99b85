/**
 * Query resolution: the question's terms looked up in the archive's vocabulary, each with the
 * index terms that stand for it (itself, related forms, misspellings, completions) and its weight.
 */
import type { Archive } from './archive.ts';
import { extractFigures } from './figures/index.ts';
import { MAX_FUZZY_TERM_LENGTH, type QuestionAnalysis } from './question-analysis.ts';
import { fold, processTerm, terms } from './text.ts';
import type { FigureMatch } from './types.ts';
import { EARLIER_VALUE_WORDS, NOT_NOUNS, NOUNS_WITH_VERB_ENDINGS } from './word-lists.ts';

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
  /** The noun naming the sort of answer wanted ("country" in "what country…"). */
  readonly answerNoun: boolean;
  /** The role a question about a person describes the person by ("minister" in "Who is the economics minister…"). */
  readonly roleNoun: boolean;
}

/** A question resolved against an archive's vocabulary: what the ranker and answer extraction read. */
export interface Query {
  readonly analysis: QuestionAnalysis;
  readonly terms: readonly ResolvedTerm[];
  readonly totalWeight: number;
  /** Term id → [query term index, variant strength] pairs. */
  readonly lookup: ReadonlyMap<number, readonly (readonly [number, number])[]>;
  /**
   * Figures the question itself states, as their text and as kind and value (see
   * {@link statedByQuestion}): they are context, never the answer.
   */
  readonly questionFigures: ReadonlySet<string>;
  /** Term ids of every word of the question, framing words too: a name among them is not the answer. */
  readonly mentioned: ReadonlySet<number>;
  /** Term ids that stand for the question's names and numbers. */
  readonly names: ReadonlySet<number>;
  /** Term ids of the noun naming the sort of answer ("university" in "which university…"). */
  readonly answerNouns: ReadonlySet<number>;
  /**
   * The words, stemmed, a counted figure could count to bear on the question: the three after "how
   * many", its verb's too ("votes" for "how many farmers voted…"). What ranking weighs.
   */
  readonly countedNouns: ReadonlySet<string>;
  /** What the answer must count: the noun phrase "how many" opens ({@link countedPhrase}), stemmed. */
  readonly countedHead: ReadonlySet<string>;
  /** Whether it asks for the earlier value of a change (one of {@link EARLIER_VALUE_WORDS}): "what was it before". */
  readonly asksEarlierValue: boolean;
  /** Per term, the question's word as {@link surfaceForm} gives it. */
  readonly surfaces: readonly string[];
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

/** A question that asks for the earlier value of a change: one of {@link EARLIER_VALUE_WORDS}. */
const EARLIER_VALUE = new RegExp(`\\b(?:${EARLIER_VALUE_WORDS.join('|')})\\b`, 'iu');

/** The most words {@link countedPhrase} reads after "how many". */
const MAX_COUNTED_WORDS = 4;

/**
 * The noun phrase "how many" opens, up to its verb: "farmers" in "how many farmers voted for the
 * party", "Welsh rugby league caps" in "…caps did he win". A word after the first that cannot be
 * a noun, or looks like a verb or an adverb ("-ed", "-ly") and is not a noun that ends so
 * ("family"), ends it, so the predicate's words ("voted") are not taken for what is counted. Empty
 * without "how many".
 */
export function countedPhrase(question: string): string {
  const words = /\bhow many ([\p{L}' -]+)/iu.exec(question)?.[1]?.split(' ') ?? [];
  const phrase: string[] = [];
  for (const word of words) {
    const lower = word.toLowerCase();
    if (lower === '' || phrase.length === MAX_COUNTED_WORDS) break;
    if (phrase.length > 0 && (NOT_NOUNS.has(lower) || (/(?:ed|ly)$/u.test(lower) && !NOUNS_WITH_VERB_ENDINGS.has(lower)))) break;
    phrase.push(word);
  }
  return phrase.join(' ');
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
    // "NHRF" stands for the whole "Northern Housing Rights Forum", if the corpus writes it as a name.
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
  const questionFigures = new Set(extractFigures(analysis.text).flatMap(questionFigureKeys));
  const mentioned = new Set<number>(lookup.keys());
  for (const word of terms(analysis.text)) {
    const id = archive.termId(word);
    if (id !== undefined) mentioned.add(id);
  }
  const names = new Set(resolved.flatMap((t) => (t.essential ? [...t.variants.keys()] : [])));
  const countedNouns = new Set(terms(/\bhow many ((?:[\p{L}-]+ ){0,2}[\p{L}-]+)/iu.exec(analysis.text)?.[1] ?? ''));
  const countedHead = new Set(terms(countedPhrase(analysis.text)));
  const answerNouns = new Set(resolved.flatMap((t) => (t.answerNoun ? [...t.variants.keys()] : [])));
  return {
    analysis,
    terms: resolved,
    totalWeight,
    lookup,
    questionFigures,
    mentioned,
    names,
    answerNouns,
    countedNouns,
    countedHead,
    asksEarlierValue: EARLIER_VALUE.test(analysis.text),
    surfaces: analysis.terms.map((t) => surfaceForm(t.word)),
  };
}

/**
 * A figure's kind, exact value and what it measures, when it has one: "90 million handsets" and
 * "90 million old handsets" share it; "2 trains" and "2 people" do not, nor "5,000m" and "5,000
 * miles". Money and percentages are keyed by value alone: the question may name another currency.
 */
const figureKey = (figure: Pick<FigureMatch, 'kind' | 'value' | 'unit'>): string => {
  const measures =
    figure.unit === null || figure.kind === 'money' || figure.kind === 'percent' ? '' : (processTerm(figure.unit) ?? figure.unit);
  return `${figure.kind}:${figure.value}:${measures}`;
};

/** The key of a value stated with no kind of its own, which a figure of any kind may share. */
const bareValueKey = (value: number): string => `any:${value}`;

/**
 * How a question's figure is looked for among a passage's: its text; its kind, value and unit; for
 * a count of something named, also the same count with no noun (the article's "2" after "2
 * trains"); and for a bare number its value alone, since questions drop what the articles write:
 * "not the 40m it asked for" states the article's "£40m".
 */
function questionFigureKeys(figure: FigureMatch): string[] {
  if (figure.value === null) return [figure.text];
  const keys = [figure.text, figureKey(figure)];
  if (figure.kind === 'count' && figure.unit !== null) keys.push(figureKey({ ...figure, unit: null }));
  if (figure.kind === 'count' && figure.unit === null) keys.push(bareValueKey(figure.value));
  return keys;
}

/**
 * Whether the question states a figure itself, in the same words, as the same kind, value and unit
 * written another way ("5000m" for "5,000m"), or as the same value bare: then it is the question's
 * context, not its answer.
 */
export function statedByQuestion(
  query: Pick<Query, 'questionFigures'>,
  figure: Pick<FigureMatch, 'text' | 'kind' | 'value' | 'unit'>,
): boolean {
  // Most questions state no figure; the key stems the unit, and this runs for every figure of every candidate.
  if (query.questionFigures.size === 0) return false;
  if (query.questionFigures.has(figure.text)) return true;
  return figure.value !== null && (query.questionFigures.has(bareValueKey(figure.value)) || query.questionFigures.has(figureKey(figure)));
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
 * "located" in "Where is Boulder City located?" says no more than "where" does.
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
