/**
 * Answer extraction, the step after ranking: the short direct answer a passage offers, a figure of
 * the wanted kind or a name, with the question's terms close around it.
 */
import { CAPITAL_MID, CAPITAL_START, capitalOf, sentenceOfToken, type Archive, type IndexedPassage } from './archive.ts';
import type { RankParams } from './rank-params.ts';
import { FIGURE_FIT, figureCandidates, matchPassage, proximity, type AnswerCandidate } from './rank-features.ts';
import type { Query } from './rank-query.ts';
import type { ScoredPassage } from './rank.ts';
import { terms } from './text.ts';
import { kindsAt, namedEntities, type Entity } from './entities.ts';
import type { NameKind } from './question-analysis.ts';
import type { Figure } from './types.ts';
import { MONTH_NAMES, NAME_TITLES, WEEKDAY_NAMES } from './word-lists.ts';

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
    const flag = capitalOf(passage, i);
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
    if (capitalOf(passage, i) === 0 || !isAnswerWord(i)) {
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
    // So is one built on a word of the question: "the Harbour [Strike]" for "what strike".
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
    out.push({ sentence: sentenceOfToken(passage, start), start, end, fit });
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
 * How much more the role the question describes a person by counts for a name near it: news
 * names people beside their role ("union chairman Jane Doe", "the finance minister, John Smith").
 */
export const NAME_ANSWER = { role: 3 };

/**
 * A candidate direct answer and what says how sure it is: `value` is its fit times the root of how
 * closely the question's terms surround it (0–1), `runnerUp` the same for the best candidate with
 * other text (0 when there is none), and `inBest` whether it stands in the passage's best sentence.
 * Whether it is shown is decided after, by the calibrated model of answer-confidence.ts.
 */
export interface ExtractedAnswer {
  readonly text: string;
  readonly value: number;
  readonly runnerUp: number;
  readonly inBest: boolean;
  /** How well its sort fits the question's (kind and unit of a figure, form of a name), 0–1. */
  readonly fit: number;
  /**
   * For a name, whether the tagger takes it for the sort of name asked for: 1 it does, 0.75 a
   * compatible one (an organisation for "who"), 0.5 no entity, 0 another sort. 0.5 for a figure.
   */
  readonly entity: number;
  /** The figure, for a figure question. */
  readonly figure?: Figure;
}

/** The best and the best other-text candidates, by value. */
function bestTwo<T extends { text: string; value: number }>(items: Iterable<T>): { best: T | null; runnerUp: number } {
  let best: T | null = null;
  for (const item of items) if (best === null || item.value > best.value) best = item;
  let runnerUp = 0;
  if (best !== null) for (const item of items) if (item.text !== best.text && item.value > runnerUp) runnerUp = item.value;
  return { best, runnerUp };
}

const candidateText = (passage: IndexedPassage, c: AnswerCandidate): string =>
  passage.passage.text.slice(passage.spans[2 * c.start] ?? 0, passage.spans[2 * (c.end - 1) + 1] ?? 0).replace(/['’]s$/u, '');

/**
 * The name a passage offers as the answer to a who/where/which question: of the candidate names
 * the question's terms surround most closely (preferring the passage's best sentence), the first
 * the tagger does not take for another sort of name. `worthTagging` is asked, for each leading
 * candidate untagged, whether any tag could make it worth showing; when none could, the closest is
 * returned untagged. Null when the question does not ask for a name or the passage has no candidate.
 */
export function nameAnswer(
  archive: Archive,
  query: Query,
  scored: ScoredPassage,
  params: RankParams,
  worthTagging: (untagged: ExtractedAnswer) => boolean = () => true,
): ExtractedAnswer | null {
  const kind = query.analysis.nameKind;
  if (kind === null) return null;
  const { passage } = scored;
  const { hits } = matchPassage(query, passage);
  const weights = nameWeights(query);
  const tagged = new Map<number, Entity[]>();
  const entityFit = (candidate: AnswerCandidate): number => {
    const sentence = passage.sentences[candidate.sentence];
    if (!sentence) return ENTITY_FIT.none;
    let entities = tagged.get(candidate.sentence);
    if (!entities) {
      entities = namedEntities(passage.passage.text.slice(sentence.start, sentence.end));
      tagged.set(candidate.sentence, entities);
    }
    const from = (passage.spans[2 * candidate.start] ?? 0) - sentence.start;
    const to = (passage.spans[2 * (candidate.end - 1) + 1] ?? 0) - sentence.start;
    return fitOfKinds(kind, kindsAt(entities, from, to));
  };
  const ranked = nameCandidates(archive, passage, query)
    .map((candidate) => {
      const inBest = candidate.sentence === scored.bestSentence;
      const value = nameValue(query, scored, hits, candidate, weights, params);
      return { candidate, text: candidateText(passage, candidate), value, inBest, fit: candidate.fit };
    })
    .sort((a, b) => b.value - a.value);
  const answerOf = (c: (typeof ranked)[number], entity: number): ExtractedAnswer => ({
    text: c.text,
    value: c.value,
    runnerUp: Math.max(0, ...ranked.filter((r) => r.text !== c.text).map((r) => r.value)),
    inBest: c.inBest,
    fit: c.fit,
    entity,
  });
  const leading = ranked.slice(0, ENTITY_TRIES);
  const first = leading[0];
  if (first === undefined) return null;
  // Tagging is the costly part: skip it when no tag could make a leading candidate worth showing.
  if (!leading.some((c) => worthTagging(answerOf(c, ENTITY_FIT.none)))) return answerOf(first, ENTITY_FIT.none);
  // The closest name of a sort that does not contradict the question's: a person for "who", not a country.
  let chosen: ExtractedAnswer | null = null;
  for (const c of leading) {
    const answer = answerOf(c, entityFit(c.candidate));
    if (chosen === null || (chosen.entity === ENTITY_FIT.clash && answer.entity > ENTITY_FIT.clash)) chosen = answer;
    if (answer.entity > ENTITY_FIT.clash) break;
  }
  return chosen;
}

/** The question's term weights for reading names: a role noun counts more (see {@link NAME_ANSWER}). */
function nameWeights(query: Query): number[] {
  return query.terms.map((t) => (t.roleNoun ? t.weight * NAME_ANSWER.role : t.weight));
}

/** A name candidate's value: its fit times the root of how closely the question's terms surround it, less outside the best sentence. */
function nameValue(
  query: Query,
  scored: ScoredPassage,
  hits: ReturnType<typeof matchPassage>['hits'],
  candidate: AnswerCandidate,
  weights: readonly number[],
  params: RankParams,
): number {
  const inBest = candidate.sentence === scored.bestSentence;
  return candidate.fit * Math.sqrt(proximity(query, scored.passage, hits, candidate, weights, params)) * (inBest ? 1 : 0.7);
}

/**
 * The value {@link nameAnswer} gives the closest name a passage offers, without tagging or the
 * answer's text: what the second ranking stage weighs (rank-within.ts). 0 when the question asks
 * for no name or the passage has none.
 */
export function nameNearness(archive: Archive, query: Query, scored: ScoredPassage, params: RankParams): number {
  if (query.analysis.nameKind === null) return 0;
  const candidates = nameCandidates(archive, scored.passage, query);
  if (candidates.length === 0) return 0;
  const { hits } = matchPassage(query, scored.passage);
  const weights = nameWeights(query);
  let best = 0;
  for (const candidate of candidates) best = Math.max(best, nameValue(query, scored, hits, candidate, weights, params));
  return best;
}

/** How many of a passage's best name candidates are tagged, looking for one of the sort asked for. */
const ENTITY_TRIES = 3;

/** Values of {@link ExtractedAnswer.entity}. */
export const ENTITY_FIT = { match: 1, compatible: 0.75, none: 0.5, clash: 0 };

/** How the entity kinds the tagger gives a name fit the sort of name asked for. */
function fitOfKinds(kind: NameKind, kinds: ReadonlySet<string>): number {
  const wanted = kind === 'person' ? 'person' : kind === 'place' ? 'place' : 'organization';
  if (kinds.has(wanted)) return ENTITY_FIT.match;
  if (kind === 'person' && kinds.has('organization')) return ENTITY_FIT.compatible;
  if (kind === 'thing' && kinds.has('place')) return ENTITY_FIT.compatible;
  if (kinds.size === 0 || (kind === 'place' && kinds.has('organization'))) return ENTITY_FIT.none;
  return ENTITY_FIT.clash;
}

/** A figure of a wanted kind a passage offers, with how well it answers: see {@link ExtractedAnswer}. */
export interface FigureOffer {
  readonly text: string;
  readonly value: number;
  readonly inBest: boolean;
  readonly fit: number;
  readonly figure: Figure;
}

/**
 * Every figure of a wanted kind a passage offers that the question does not state itself, each
 * valued by its fit times the root of how closely the question's terms surround it.
 */
export function figureOffers(query: Query, scored: ScoredPassage, params: RankParams): FigureOffer[] {
  const { passage } = scored;
  const { hits } = matchPassage(query, passage);
  const weights = query.terms.map((t) => t.weight);
  // The answer must count what the question asks to count, not merely something it names; a bare
  // number ("hit 98") does not say what it counts, so it fits as little as a count of another noun.
  return figureCandidates(passage, query, query.countedHead).flatMap((candidate) => {
    const figure = candidate.figure;
    if (!figure) return [];
    const bare = figure.kind === 'count' && figure.unit === null && query.countedHead.size > 0;
    const fit = bare ? candidate.fit * FIGURE_FIT.otherUnit : candidate.fit;
    const value = fit * Math.sqrt(proximity(query, passage, hits, candidate, weights, params));
    return [{ text: figure.text, value, inBest: candidate.sentence === scored.bestSentence, fit, figure }];
  });
}

/**
 * The figure a passage offers as the answer to a figure question, from its {@link figureOffers}:
 * the one with the best fit whose neighbours are the question's terms, not merely the first; null
 * when there is none.
 */
export function figureAnswerOf(offers: readonly FigureOffer[]): ExtractedAnswer | null {
  const { best, runnerUp } = bestTwo(offers);
  return best === null ? null : { ...best, runnerUp, entity: ENTITY_FIT.none };
}
