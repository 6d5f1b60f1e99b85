/**
 * Answer extraction, the step after ranking: the short direct answer a passage offers, a figure of
 * the wanted kind or a name, with the question's terms close around it.
 */
import { CAPITAL_MID, CAPITAL_START, type Archive, type IndexedPassage } from './archive.ts';
import type { RankParams } from './rank-params.ts';
import { figureCandidates, matchPassage, proximity, type AnswerCandidate } from './rank-features.ts';
import type { Query } from './rank-query.ts';
import type { ScoredPassage } from './rank.ts';
import { terms } from './text.ts';
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

function wordAt(passage: IndexedPassage, token: number): string {
  return passage.passage.text.slice(passage.spans[2 * token] ?? 0, passage.spans[2 * token + 1] ?? 0).toLowerCase();
}

function wordBefore(passage: IndexedPassage, token: number): string {
  const end = passage.spans[2 * token] ?? 0;
  const before = passage.passage.text.slice(Math.max(0, end - 12), end).trimEnd();
  return /(\p{L}+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
}

/**
 * How closely a name must be surrounded by the question's terms to be offered as the answer, and
 * how much more the role the question describes a person by counts for it: news names people
 * beside their role ("union chairman Jane Doe", "the finance minister, John Smith").
 */
export const NAME_ANSWER = { min: 0.65, role: 3 };

/**
 * The name a passage offers as the answer to a who/where/which question: the candidate name that
 * the question's terms surround most closely, preferring the passage's best sentence. Null when the
 * question does not ask for a name or no name stands close enough to what it asks.
 */
export function nameAnswer(archive: Archive, query: Query, scored: ScoredPassage, params: RankParams): string | null {
  if (query.analysis.nameKind === null) return null;
  const { passage } = scored;
  const { hits } = matchPassage(query, passage);
  const weights = query.terms.map((t) => (t.roleNoun ? t.weight * NAME_ANSWER.role : t.weight));
  let best: AnswerCandidate | null = null;
  let bestValue = NAME_ANSWER.min;
  for (const candidate of nameCandidates(archive, passage, query)) {
    const value =
      candidate.fit *
      Math.sqrt(proximity(query, passage, hits, candidate, weights, params)) *
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
 * terms, not merely the first; with how confident that is (fit times the root of closeness, 0–1).
 */
export function figureAnswer(query: Query, scored: ScoredPassage, params: RankParams): { figure: Figure; confidence: number } | null {
  const { passage } = scored;
  const { hits } = matchPassage(query, passage);
  const weights = query.terms.map((t) => t.weight);
  let best: { figure: Figure; confidence: number } | null = null;
  for (const candidate of figureCandidates(passage, query)) {
    const value = candidate.fit * Math.sqrt(proximity(query, passage, hits, candidate, weights, params));
    if (candidate.figure && (best === null || value > best.confidence)) best = { figure: candidate.figure, confidence: value };
  }
  return best;
}
