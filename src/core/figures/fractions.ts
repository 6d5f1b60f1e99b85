/**
 * Ratios and fractions: "one in five", "half of the population", "two-thirds of voters".
 */
import { parseFractionWords, parseNumeral, smallNumberWord } from '../numbers.ts';
import { NOT_NOUNS, OBJECT_PRONOUNS } from '../word-lists.ts';
import { HYPHENS, LABEL_WORDS, NUMBER_OPENERS } from './lexicon.ts';
import { countedNoun, looksPlural } from './nouns.ts';
import type { Candidate, Scan } from './scan.ts';
import { isCapitalised, isPossessive } from './tokens.ts';

/** "one in five", "1 in 10 people". */
export function matchRatio(s: Scan, i: number): Candidate | null {
  const a = smallInteger(s, i);
  if (a === null || !s.spaced(i + 1) || s.wordAt(i + 1) !== 'in' || !s.spaced(i + 2)) return null;
  if (LABEL_WORDS.has(s.wordAt(i - 1) ?? '')) return null;
  if (a.word && isCapitalised(s.tok(i)?.text ?? '') && !s.atSentenceStart(i)) return null;
  const b = smallInteger(s, i + 2);
  if (b === null || b.value <= a.value || b.value > 1000) return null;
  let end = i + 3;
  let unit: string | null = null;
  const noun = s.spaced(end) ? countedNoun(s, end) : null;
  if (noun !== null) {
    end = noun.end;
    unit = noun.head;
  }
  return { startTok: i, endTok: end, value: a.value / b.value, unit, kind: 'quantity' };
}

/** A small whole number at token i, as a numeral or a word ("5", "five"), standing alone. */
export function smallInteger(s: Scan, i: number): { value: number; word: boolean } | null {
  const t = s.tok(i);
  const after = s.tok(i + 1);
  // "1-in-5" hyphenations aside, anything glued after ("5%", "5m", "five-year") is another figure.
  if (after !== undefined && s.glued(i + 1) && (after.type !== 'sym' || after.text === '%' || HYPHENS.has(after.text))) return null;
  if (t?.type === 'num') {
    if (s.gluedBefore(i)) return null;
    const v = parseNumeral(t.text);
    return v !== null && Number.isInteger(v) && !t.text.includes(',') ? { value: v, word: false } : null;
  }
  if (t?.type !== 'word') return null;
  const v = smallNumberWord(t.lower);
  return v === null ? null : { value: v, word: true };
}

/** "half of the country's prewar population", "two-thirds of voters". */
export function matchFraction(s: Scan, i: number): Candidate | null {
  const t = s.tok(i);
  if (t?.type !== 'word' || !NUMBER_OPENERS.has(t.lower)) return null;
  if (isCapitalised(t.text) && !s.atSentenceStart(i)) return null;
  const prev = s.wordAt(i - 1);
  // "the first half of the year" is a period, not a share.
  if (prev !== undefined && ['first', 'second', 'other', 'latter', 'former', 'the', 'final'].includes(prev)) return null;
  const run = s.wordRun(i, 3);
  const f = parseFractionWords(run.words);
  if (f === null) return null;
  const ofIdx = (run.idx[f.length - 1] ?? i) + 1;
  if (!s.spaced(ofIdx) || s.wordAt(ofIdx) !== 'of') return null;
  const np = nounPhrase(s, ofIdx + 1);
  if (np === null) return null;
  return { startTok: i, endTok: np.end, value: f.value, unit: np.head, kind: 'quantity' };
}

/**
 * A loose noun phrase after "of": optional determiner, then up to four content words that
 * stop at punctuation, a stop word or the first plural. Used for fractions, where the noun
 * may be singular ("half of the population").
 */
export function nounPhrase(s: Scan, i: number): { end: number; head: string } | null {
  if (!s.spaced(i)) return null;
  let k = i;
  const det = s.wordAt(k);
  if (det !== undefined && ['the', 'its', 'their', 'his', 'her', 'our', 'all', 'those', 'these'].includes(det)) {
    k++;
    if (!s.spaced(k)) return null;
  }
  let end = -1;
  let head = '';
  for (let n = 0; n < 4; n++) {
    const w = s.tok(k);
    if (
      w?.type !== 'word' ||
      NOT_NOUNS.has(w.lower) ||
      OBJECT_PRONOUNS.has(w.lower) ||
      w.lower.endsWith('ly') ||
      smallNumberWord(w.lower) !== null
    )
      break;
    end = k + 1;
    head = w.text;
    if (!s.spaced(k + 1) || looksPlural(w.lower)) break;
    k++;
  }
  if (end < 0) return null;
  // Trailing participles are more often verbs ("half of those surveyed said") than nouns.
  while (end > i + 1 && /(?:ed|ing)$/.test(s.tok(end - 1)?.lower ?? '')) {
    end--;
    head = s.tok(end - 1)?.text ?? head;
  }
  const last = s.tok(end - 1);
  if (last === undefined || NOT_NOUNS.has(last.lower) || /(?:ed|ing)$/.test(last.lower)) return null;
  return { end, head: isPossessive(head) ? head.slice(0, -2) : head };
}
