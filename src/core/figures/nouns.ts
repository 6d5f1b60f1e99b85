/**
 * Counted nouns and names around a number: "500 new jobs", "Channel 4", "50 Cent".
 */
import { SCALE_WORDS, smallNumberWord } from '../numbers.ts';
import { NOT_NOUNS } from '../word-lists.ts';
import { IRREGULAR_PLURALS, LABEL_WORDS, MODIFIERS_BY_FIRST, MONTHS, PLURAL_NAMES } from './lexicon.ts';
import type { Scan } from './scan.ts';
import { isCapitalised, isPossessive } from './tokens.ts';

/** Whether a lower-case word looks like a plural noun ("jobs", "people"), not "bus" or "crisis". */
export function looksPlural(lower: string): boolean {
  if (IRREGULAR_PLURALS.has(lower)) return true;
  return (
    lower.length >= 3 &&
    lower.endsWith('s') &&
    !lower.endsWith('ss') &&
    !lower.endsWith('us') &&
    !lower.endsWith('is') &&
    !isPossessive(lower)
  );
}

/**
 * Capitalised words that end in "s" are often names ("Wales", "Jones", "Athens"); only
 * peoples and groups ("Syrians", "Britons", "MPs") count as plural nouns.
 */
export function looksLikePluralName(word: string): boolean {
  return /[a-z](?:ans|ons|ers|ists|ats|ites)$/.test(word) || /^[A-Z]{2,}s$/.test(word) || PLURAL_NAMES.has(word);
}

/**
 * A counted noun phrase after a number: up to three words ending at the first plural
 * ("subscribers", "new jobs", "unreleased Nirvana tracks"). Stops at punctuation and stop words.
 */
export function countedNoun(s: Scan, i: number): { end: number; head: string } | null {
  let k = i;
  for (let n = 0; n < 3; n++) {
    const w = s.tok(k);
    if (w?.type !== 'word' || NOT_NOUNS.has(w.lower) || isPossessive(w.lower) || w.lower.endsWith('ly')) return null;
    if (smallNumberWord(w.lower) !== null || SCALE_WORDS.has(w.lower) || MONTHS.has(w.text)) return null;
    // Hyphenated compounds count as one word: "500 full-time jobs".
    let last = k;
    while (s.hyphenAt(last + 1) && s.glued(last + 1) && s.glued(last + 2) && s.tok(last + 2)?.type === 'word') last += 2;
    const lastTok = s.tok(last);
    if (lastTok !== undefined && looksPlural(lastTok.lower) && (!isCapitalised(lastTok.text) || looksLikePluralName(lastTok.text))) {
      return { end: last + 1, head: lastTok.text };
    }
    if (!s.spaced(last + 1)) return null;
    k = last + 1;
  }
  return null;
}

/** A label word before token i makes its number a name: "Channel 4", "page 3", "Xbox 360". */
export function labelled(s: Scan, i: number): boolean {
  if (!s.spaced(i)) return false;
  const prev = s.tok(i - 1);
  if (prev?.type !== 'word') return false;
  if (LABEL_WORDS.has(prev.lower)) return true;
  return (
    isCapitalised(prev.text) &&
    !NOT_NOUNS.has(prev.lower) &&
    !MONTHS.has(prev.text) &&
    !isPossessive(prev.lower) &&
    !MODIFIERS_BY_FIRST.has(prev.lower)
  );
}

/** "50 Cent", "15 Silvia Farina Elia (Italy)": a bare number before a name is part of it. */
export function beforeName(s: Scan, end: number): boolean {
  const next = s.tok(end);
  return next?.type === 'word' && s.spaced(end) && isCapitalised(next.text) && !MONTHS.has(next.text);
}

/**
 * "Smith (44)", "Andy Cole (173)": a bracketed bare number after a name may be an age, a
 * tally or a squad number; too ambiguous to report.
 */
export function bracketedAfterName(s: Scan, start: number, end: number): boolean {
  if (!s.symAt(start - 1, '(') || !s.glued(start) || !s.symAt(end, ')') || !s.glued(end)) return false;
  const name = s.tok(start - 2);
  return name?.type === 'word' && isCapitalised(name.text);
}

/** A number opening a line and followed by "." or ")" numbers a list. */
export function listMarker(s: Scan, i: number): boolean {
  if (!s.atLineStart(i)) return false;
  const next = s.tok(i + 1);
  return next?.type === 'sym' && s.glued(i + 1) && (next.text === '.' || next.text === ')');
}
