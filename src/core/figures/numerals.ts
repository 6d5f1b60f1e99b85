/**
 * Reading the number itself: numerals with their multipliers ("5m", "1.13bn", "7,000") and
 * spelled-out numbers ("twenty-five million", "dozens").
 */
import { MULTIPLIER_SUFFIXES, SCALE_WORDS, isMultiplierWord, parseNumberWords, parseNumeral } from '../numbers.ts';
import { earlyYearAt } from './dates.ts';
import { NUMBER_OPENERS, REFUSING_SUFFIXES } from './lexicon.ts';
import type { Scan } from './scan.ts';
import { isCapitalised } from './tokens.ts';

/** A number as read at a token, with what the matchers need to know about how it was written. */
export interface NumberCore {
  readonly value: number;
  /** Exclusive token index after the number and any multiplier. */
  readonly end: number;
  readonly numeral: boolean;
  /** A bare four-digit integer in 1800–2099, which may be a year. */
  readonly yearLike: boolean;
  readonly integer: boolean;
  /** Written with a multiplier ("5m", "5 million", "a million"). */
  readonly scaled: boolean;
  /** The multiplier applied to a numeral (1 when there is none). */
  readonly multiplier: number;
  /** "5m" with no currency: million or metres, decided later. */
  readonly gluedM: boolean;
  readonly vague: boolean;
  /** The bare word "one", which takes no plural noun and is often an idiom ("one day"). */
  readonly isOne: boolean;
}

/**
 * Multiplies by a power of ten in decimal, so "$1.13bn" is exactly 1130000000 rather than the
 * binary product 1.13 * 1e9.
 */
export function scale(value: number, factor: number): number {
  const exponent = Math.round(Math.log10(factor));
  const text = String(value);
  if (10 ** exponent !== factor || text.includes('e')) return value * factor;
  return Number(`${text}e${exponent}`);
}

/**
 * "1330" or "0900": four digits without a comma that read as a 24-hour time. Prose writes
 * counts of a thousand or more with a comma, so these are nearly always kick-off times.
 */
export function looksLikeClockTime(text: string): boolean {
  if (!/^\d{4}$/.test(text)) return false;
  const value = Number(text);
  return !isYearValue(value) && Math.floor(value / 100) <= 23 && value % 100 <= 59;
}

/** Whether a value is a whole number in 1800–2099, the years a bare four-digit number may be. */
export function isYearValue(value: number): boolean {
  return Number.isInteger(value) && value >= 1800 && value <= 2099;
}

/** Reads a numeral (with multiplier) or spelled-out number at token i. */
export function readNumber(s: Scan, i: number, currency: boolean): NumberCore | null {
  const t = s.tok(i);
  if (t === undefined) return null;
  if (t.type === 'num') return readNumeral(s, i, currency);
  if (t.type !== 'word' || !NUMBER_OPENERS.has(t.lower)) return null;
  if (isCapitalised(t.text) && !s.atSentenceStart(i)) return null;
  const run = s.wordRun(i, 8);
  const parsed = parseNumberWords(run.words);
  if (parsed === null) return null;
  const lastIdx = run.idx[parsed.length - 1] ?? i;
  const isOne = parsed.length === 1 && t.lower === 'one';
  if (isOne) {
    const prev = s.wordAt(i - 1);
    if (prev !== undefined && ['no', 'any', 'every', 'the', 'this', 'that', 'which', 'each', 'another'].includes(prev)) return null;
  }
  const used = run.words.slice(0, parsed.length);
  const scaled = used.some(isMultiplierWord);
  // "four million" has multiplier 1e6, so "three to four million" can share it.
  const multiplier = SCALE_WORDS.get(used[used.length - 1] ?? '') ?? 1;
  return {
    value: parsed.value,
    end: lastIdx + 1,
    numeral: false,
    yearLike: false,
    integer: Number.isInteger(parsed.value),
    scaled,
    multiplier,
    gluedM: false,
    vague: parsed.vague,
    isOne,
  };
}

/** `rangeEnd` is set for the second number of "7-5", which is glued to a hyphen by design. */
export function readNumeral(s: Scan, i: number, currency: boolean, rangeEnd = false): NumberCore | null {
  const t = s.tok(i);
  if (t?.type !== 'num' || (!rangeEnd && s.gluedBefore(i))) return null;
  let value = parseNumeral(t.text);
  if (value === null) return null;
  // "0800 GMT" is a clock time, "'83" a year in shorthand.
  if (/^0\d/.test(t.text)) return null;
  const before = s.tok(i - 1);
  if (before !== undefined && s.glued(i) && (before.text === "'" || before.text === '’') && t.text.length === 2) return null;
  const plain = !t.text.includes(',') && !t.text.includes('.');
  let end = i + 1;
  let scaled = false;
  let multiplier = 1;
  let gluedM = false;
  const next = s.tok(end);
  if (next !== undefined && s.glued(end)) {
    if (next.type === 'num') return null;
    if (next.type === 'word') {
      const mult = MULTIPLIER_SUFFIXES.get(next.lower);
      if (mult !== undefined && (currency || next.lower !== 'k')) {
        // Without a currency, "5m" may be metres; the caller decides.
        gluedM = !currency && next.lower === 'm';
        multiplier = mult;
        value = scale(value, mult);
        scaled = true;
        end++;
      } else if (REFUSING_SUFFIXES.has(next.lower)) {
        return null;
      }
    } else if (next.text === '/' || next.text === ':' || next.text === '.' || next.text === ',') {
      const after = s.tok(end + 1);
      // "2006/07" is a season, handled by the caller; "9/11", "10:30" and "1.2.3" are codes.
      const season = next.text === '/' && t.text.length === 4 && (after?.text.length === 2 || after?.text.length === 4);
      if (after !== undefined && s.glued(end + 1) && after.type === 'num' && !season) return null;
    }
  }
  if (!scaled && s.spaced(end)) {
    const w = s.wordAt(end);
    const mult = w === undefined ? undefined : (SCALE_WORDS.get(w) ?? (w === 'bn' || w === 'tn' ? MULTIPLIER_SUFFIXES.get(w) : undefined));
    if (mult !== undefined) {
      multiplier = mult;
      value = scale(value, mult);
      scaled = true;
      end++;
    } else if (w === 'am' || w === 'pm' || w === 'gmt' || w === 'bst' || w === 'cet' || w === 'et') {
      return null;
    }
  }
  if (!Number.isFinite(value)) return null;
  return {
    value,
    end,
    numeral: true,
    yearLike: plain && !scaled && ((t.text.length === 4 && isYearValue(value)) || earlyYearAt(s, i, value)),
    integer: Number.isInteger(value),
    scaled,
    multiplier,
    gluedM,
    vague: false,
    isOne: false,
  };
}
