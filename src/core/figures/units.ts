/**
 * What follows a number: percent, currencies, units of measure and time, rates and bracketed
 * conversions.
 */
import { matchMain } from './amounts.ts';
import {
  ABBREVIATED_UNITS,
  CURRENCY_SIGNS,
  CURRENCY_WORDS,
  DOLLAR_PREFIXES,
  GLUED_ONLY_UNITS,
  RATE_WORDS,
  TIME_SHIFT_PREPOSITIONS,
  TIME_SHIFT_WORDS,
  TIME_UNITS,
  WORD_UNITS,
} from './lexicon.ts';
import type { NumberCore } from './numerals.ts';
import type { Scan } from './scan.ts';
import { DETERMINERS, SUBJECT_PRONOUNS } from '../word-lists.ts';

/** A unit read after a number: its canonical name, whether it measures time, and where it ends. */
export interface UnitMatch {
  readonly unit: string;
  readonly kind: 'quantity' | 'duration';
  readonly end: number;
}

/** A time or measurement unit at token i (spaced, glued or hyphen-glued to the number). */
export function unitAt(s: Scan, i: number): UnitMatch | null {
  const t = s.tok(i);
  if (t?.type !== 'word') {
    // "5°C"
    if (t?.type === 'sym' && t.text === '°' && s.glued(i) && s.glued(i + 1)) {
      const cf = s.tok(i + 1)?.text;
      if (cf === 'C' || cf === 'F') return { unit: `°${cf}`, kind: 'quantity', end: i + 2 };
    }
    // "37°" of latitude or of a turn: an angle, not a count.
    if (t?.type === 'sym' && t.text === '°' && s.glued(i)) return { unit: 'degrees', kind: 'quantity', end: i + 1 };
    return null;
  }
  const time = TIME_UNITS.get(t.lower);
  if (time !== undefined) return { unit: time, kind: 'duration', end: i + 1 };
  const glued = s.glued(i);
  if (glued) {
    const g = GLUED_ONLY_UNITS.get(t.text);
    if (g !== undefined) return { unit: g, kind: 'quantity', end: i + 1 };
  }
  const abbr = ABBREVIATED_UNITS.get(t.text);
  if (abbr !== undefined) {
    // "km/h"
    if (abbr === 'km' && s.symAt(i + 1, '/') && s.glued(i + 1) && s.glued(i + 2) && s.tok(i + 2)?.text === 'h') {
      return { unit: 'km/h', kind: 'quantity', end: i + 3 };
    }
    return { unit: abbr, kind: 'quantity', end: i + 1 };
  }
  if (t.lower === 'square' || t.lower === 'sq' || t.lower === 'cubic') {
    const inner = s.spaced(i + 1) ? unitAt(s, i + 1) : null;
    if (inner?.kind !== 'quantity') return null;
    return { unit: `${t.lower === 'cubic' ? 'cubic' : 'sq'} ${inner.unit}`, kind: 'quantity', end: inner.end };
  }
  if (t.lower === 'basis') {
    const points = s.wordAt(i + 1);
    return s.spaced(i + 1) && (points === 'points' || points === 'point') ? { unit: 'basis points', kind: 'quantity', end: i + 2 } : null;
  }
  const word = WORD_UNITS.get(t.lower);
  if (word === undefined) return null;
  const end = i + 1;
  if (
    word === 'barrels' &&
    s.spaced(end) &&
    ['a', 'per'].includes(s.wordAt(end) ?? '') &&
    s.spaced(end + 1) &&
    s.wordAt(end + 1) === 'day'
  ) {
    return { unit: 'barrels a day', kind: 'quantity', end: end + 2 };
  }
  if (word === 'degrees' && s.spaced(end)) {
    const scale = s.tok(end)?.text;
    if (scale === 'C' || scale === 'Celsius' || scale === 'centigrade') return { unit: '°C', kind: 'quantity', end: end + 1 };
    if (scale === 'F' || scale === 'Fahrenheit') return { unit: '°F', kind: 'quantity', end: end + 1 };
  }
  return { unit: word, kind: 'quantity', end };
}

/** A currency word after a number: "5 million dollars", "1bn CFA francs", "50 cents". */
export function currencyWordAt(s: Scan, i: number): { code: string; minor: boolean; end: number } | null {
  const t = s.tok(i);
  if (t?.type !== 'word') return null;
  if (t.text === 'p' && s.glued(i)) return { code: 'GBP', minor: true, end: i + 1 };
  // "a 4bn-euro hole", "the 418bn-rand budget"
  if (s.hyphenAt(i - 1) && s.glued(i - 1) && s.glued(i)) {
    const entry = CURRENCY_WORDS.get(t.lower);
    return entry === undefined || entry.minor === true ? null : { code: entry.code, minor: false, end: i + 1 };
  }
  if (!s.spaced(i)) return null;
  for (const n of [3, 2, 1]) {
    const run = s.wordRun(i, n);
    if (run.words.length !== n) continue;
    const entry = CURRENCY_WORDS.get(run.words.join(' '));
    if (entry !== undefined) return { code: entry.code, minor: entry.minor === true, end: (run.idx[n - 1] ?? i) + 1 };
  }
  return null;
}

/** A currency sign or prefix glued before a numeral: "£", "$", "US$", "HK$". */
export function matchCurrencyPrefix(s: Scan, i: number): { code: string; len: number } | null {
  const t = s.tok(i);
  if (t === undefined) return null;
  if (t.type === 'sym') {
    const code = CURRENCY_SIGNS.get(t.text);
    if (code === undefined || (code === 'USD' && s.glued(i) && s.tok(i - 1)?.type === 'word')) return null;
    return s.tok(i + 1)?.type === 'num' && s.glued(i + 1) ? { code, len: 1 } : null;
  }
  const code = t.type === 'word' ? DOLLAR_PREFIXES.get(t.text) : undefined;
  if (code === undefined || !s.symAt(i + 1, '$') || !s.glued(i + 1) || !s.glued(i + 2)) return null;
  if (s.glued(i) && s.tok(i - 1)?.type !== 'sym') return null;
  return s.tok(i + 2)?.type === 'num' ? { code, len: 2 } : null;
}

/** "percent", "per cent", "%", "percentage points" at token i. */
export function percentAt(s: Scan, i: number): { unit: string; end: number } | null {
  const t = s.tok(i);
  if (t === undefined) return null;
  if (t.type === 'sym') return t.text === '%' && (s.glued(i) || s.spaced(i)) ? { unit: '%', end: i + 1 } : null;
  if (!s.spaced(i) || t.type !== 'word') return null;
  if (t.lower === 'percent') return { unit: '%', end: i + 1 };
  const next = s.wordAt(i + 1);
  if (t.lower === 'per' && next === 'cent' && s.spaced(i + 1)) return { unit: '%', end: i + 2 };
  if (t.lower === 'percentage' && (next === 'points' || next === 'point') && s.spaced(i + 1))
    return { unit: 'percentage points', end: i + 2 };
  return null;
}

/** "millions of pounds": a vague plural whose noun is a currency. */
export function vagueOfCurrency(s: Scan, core: NumberCore, i: number): { code: string; minor: boolean; end: number } | null {
  if (!core.vague || s.wordAt(i) !== 'of' || !s.spaced(i)) return null;
  const w = currencyWordAt(s, i + 1);
  return w !== null && !w.minor ? w : null;
}

/** After money: a rate ("a year", "per barrel") and a conversion in brackets ("(£600m)"). */
export function moneyTail(s: Scan, end: number): number {
  let e = end;
  for (let n = 0; n < 2; n++) {
    const rateEnd = rateAt(s, e);
    if (rateEnd !== null) e = rateEnd;
    const conv = conversionTail(s, e, 'money');
    if (conv === e) break;
    e = conv;
  }
  return e;
}

/** A rate after money ("a year", "per barrel"): returns its end, or null. */
export function rateAt(s: Scan, i: number): number | null {
  const w = s.wordAt(i);
  if (w === undefined || !s.spaced(i) || !['a', 'an', 'per', 'each'].includes(w)) return null;
  const r = s.wordAt(i + 1);
  // "a year-on-year rise" is not a rate, nor is "a year earlier".
  if (r === undefined || !s.spaced(i + 1) || !RATE_WORDS.has(r) || (s.hyphenAt(i + 2) && s.glued(i + 2))) return null;
  const after = s.wordAt(i + 2);
  if (after === undefined || !s.spaced(i + 2)) return i + 2;
  if (TIME_SHIFT_WORDS.has(after)) return null;
  if (!TIME_SHIFT_PREPOSITIONS.has(after)) return i + 2;
  // "a year before tax" is a rate; "a year before the sale", "a week after it opened", "a year before." are times.
  const next = s.wordAt(i + 3);
  return next !== undefined && s.spaced(i + 3) && !DETERMINERS.has(next) && !SUBJECT_PRONOUNS.has(next) ? i + 2 : null;
}

/** A bracketed conversion of the same kind: "$1.13bn (£600m)", "1bn CFA francs ($2m; £1m)". */
export function conversionTail(s: Scan, end: number, kind: 'money' | 'quantity'): number {
  // Conversions do not nest; refusing them inside one keeps the recursion one level deep.
  if (s.inConversion || !s.symAt(end, '(') || !s.spaced(end)) return end;
  s.inConversion = true;
  try {
    return conversionEnd(s, end, kind);
  } finally {
    s.inConversion = false;
  }
}

/** The end of a bracketed conversion that starts at `end`, or `end` when there is none. */
export function conversionEnd(s: Scan, end: number, kind: 'money' | 'quantity'): number {
  let k = end + 1;
  for (;;) {
    const inner = matchMain(s, k);
    if (inner?.kind !== kind || inner.startTok !== k) return end;
    k = inner.endTok;
    const sep = s.tok(k);
    if (sep?.type === 'sym' && sep.text === ')') return k + 1;
    if (sep?.type === 'sym' && (sep.text === ';' || sep.text === ',' || sep.text === '/')) k++;
    else if (sep?.type === 'word' && sep.lower === 'or') k++;
    else return end;
  }
}
