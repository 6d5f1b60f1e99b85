/**
 * The main matcher: a number with whatever belongs to it (modifier, currency, range, unit or
 * counted noun), and the unit-less forms: scores, years, seasons, counts and bare numbers.
 */
import { parseNumeral } from '../numbers.ts';
import type { FigureKind } from '../types.ts';
import { DETERMINERS } from '../word-lists.ts';
import { ageSuffix, atAge, nameAge, personWas } from './ages.ts';
import {
  HYPHENS,
  METRE_CONTEXT,
  METRE_EVENTS,
  MODEL_NUMBER_OPENERS,
  RANK_WORDS,
  SPEED_TIMES,
  TIME_QUALIFIERS,
  TIME_UNITS,
  YEAR_CONTEXT,
  YEAR_NOUNS,
  type Modifier,
} from './lexicon.ts';
import { matchModifier } from './modifiers.ts';
import { beforeName, bracketedAfterName, countedNoun, labelled, listMarker } from './nouns.ts';
import { isYearValue, looksLikeClockTime, readNumber, readNumeral, scale, type NumberCore } from './numerals.ts';
import { candidate, type Candidate, type Scan } from './scan.ts';
import { isCapitalised, isPossessive, type Token } from './tokens.ts';
import {
  conversionTail,
  currencyWordAt,
  matchCurrencyPrefix,
  moneyTail,
  percentAt,
  unitAt,
  vagueOfCurrency,
  type UnitMatch,
} from './units.ts';

/** What precedes the unit: modifier, currency sign and number. */
export interface Head {
  /** First token of the match, modifier included. */
  readonly start: number;
  readonly mod: Modifier | null;
  /** First token after the modifier. */
  readonly coreStart: number;
  readonly numStart: number;
  readonly numeral: Token;
  readonly prefix: { readonly code: string; readonly len: number } | null;
  readonly core: NumberCore;
}

/** A second number making a range, and the value the range takes. */
export interface Range {
  readonly kind: 'hyphen' | 'word' | null;
  readonly hi: number | null;
  /** Exclusive token index after the range (or after the number when there is none). */
  readonly end: number;
  readonly value: number;
}

/** A tennis set: 6-x, 7-5, 7-6, or an advantage final set such as 10-8. */
export function isTennisSet(x: number, y: number): boolean {
  const high = Math.max(x, y);
  return high >= 6 && (high <= 7 || Math.abs(x - y) === 2);
}

/**
 * A number with whatever belongs to it: modifier, currency, range, unit or counted noun.
 * Reads the head (modifier, currency sign, number), then hands over to the unit readers in
 * order of how definite they are: percent, money, time and measures, then the unit-less forms.
 */
export function matchMain(s: Scan, i: number): Candidate | null {
  const head = readHead(s, i);
  if (head === null) return null;
  const season = matchYearForm(s, head);
  if (season !== undefined) return season;
  const range = readRange(s, head);
  if (range === null) return null;
  if (head.mod?.strength === 'between' && range.kind === null) return null;
  return matchWithUnit(s, head, range) ?? matchUnitless(s, head, range);
}

/** Reads what opens a figure at token i: a modifier, a currency sign and the number. */
export function readHead(s: Scan, i: number): Head | null {
  let j = i;
  const mod = matchModifier(s, j);
  if (mod !== null) j += mod.len;
  const coreStart = j;
  const prefix = matchCurrencyPrefix(s, j);
  if (prefix !== null) j += prefix.len;
  const core = readNumber(s, j, prefix !== null);
  const numeral = s.tok(j);
  if (core === null || numeral === undefined) return null;
  return { start: i, mod, coreStart, numStart: j, numeral, prefix, core };
}

/** Modifiers belong to quantities, not to years, scores or dates. */
export function emit(
  s: Scan,
  h: Head,
  kind: FigureKind,
  unit: string | null,
  endTok: number,
  value: number,
  keepModifier = true,
  currency?: string,
): Candidate {
  const c = candidate(h.mod !== null && keepModifier ? h.start : h.coreStart, endTok, value, unit, kind, currency);
  return h.core.vague ? { ...c, vague: true } : c;
}

/**
 * Seasons, year ranges and decades: "2004-05", "1998-2003", "2006/07", "the 1990s". Returns
 * undefined when the head is not a year, null when it is one glued to something unreadable.
 */
export function matchYearForm(s: Scan, h: Head): Candidate | null | undefined {
  const { core, prefix } = h;
  if (!core.yearLike || prefix !== null) return undefined;
  const end = core.end;
  if ((s.hyphenAt(end) || s.symAt(end, '/')) && s.glued(end) && s.glued(end + 1)) {
    const second = s.tok(end + 1);
    const after = s.tok(end + 2);
    const chained = after !== undefined && s.glued(end + 2) && (after.type !== 'sym' || HYPHENS.has(after.text) || after.text === '/');
    if (second?.type === 'num' && second.text.length <= 4 && second.text.length !== 3 && !chained) {
      return emit(s, h, 'year', null, end + 2, core.value, false);
    }
    return null;
  }
  if (s.wordAt(end) === 's' && s.glued(end) && core.value % 10 === 0) {
    return emit(s, h, 'year', null, end + 1, core.value, false);
  }
  return undefined;
}

/**
 * A second number making a range: "10-15%", "25 to 30 seats", "between 5 and 10 years", or
 * the "7-5" of a score. The range takes the first number as its value, scaled like the second
 * ("5 to 10 million"). Null when the hyphenated form is unreadable ("4-4-2").
 */
export function readRange(s: Scan, h: Head): Range | null {
  const { core } = h;
  const end = core.end;
  const none: Range = { kind: null, hi: null, end, value: core.value };
  if (core.yearLike || core.vague) return none;
  if (core.numeral && !core.scaled && s.hyphenAt(end) && s.glued(end) && s.glued(end + 1) && s.tok(end + 1)?.type === 'num') {
    const second = readNumeral(s, end + 1, false, true);
    if (second === null) return null;
    if (s.hyphenAt(second.end) && s.glued(second.end) && s.tok(second.end + 1)?.type === 'num') return null;
    return { kind: 'hyphen', hi: second.value, end: second.end, value: scale(core.value, second.multiplier) };
  }
  const joiner = s.spaced(end) ? s.wordAt(end) : undefined;
  if ((joiner === 'to' || (joiner === 'and' && h.mod?.strength === 'between')) && s.spaced(end + 1)) {
    const second = readNumber(s, end + 1, false);
    // "5 to 10 million" shares the multiplier; "rose 32,000 to 1.41 million" is a change
    // between two figures, not a range.
    const shared = second !== null && second.scaled && !core.scaled;
    const unscaledSecond = second === null ? 0 : second.value / second.multiplier;
    if (
      second !== null &&
      !second.yearLike &&
      !second.vague &&
      (!shared || core.value < unscaledSecond) &&
      (second.scaled || !core.scaled)
    ) {
      return { kind: 'word', hi: second.value, end: second.end, value: shared ? scale(core.value, second.multiplier) : core.value };
    }
  }
  return none;
}

/** "working days" in "three working days": a qualified unit of time, as a duration's unit. */
function qualifiedTime(s: Scan, i: number): UnitMatch | null {
  if (!s.spaced(i) || !TIME_QUALIFIERS.has(s.wordAt(i) ?? '') || !s.spaced(i + 1)) return null;
  const time = TIME_UNITS.get(s.wordAt(i + 1) ?? '');
  return time === undefined ? null : { unit: time, kind: 'duration', end: i + 2 };
}

/** Percentages, money, time spans, ages and measures. */
export function matchWithUnit(s: Scan, h: Head, range: Range): Candidate | null {
  const { core, mod } = h;
  let end = range.end;
  let value = range.value;

  const pct = h.prefix === null ? percentAt(s, end) : null;
  if (pct !== null) return emit(s, h, 'percent', pct.unit, pct.end, value);

  let currency = h.prefix?.code;
  if (currency === undefined) {
    const word = currencyWordAt(s, end) ?? (s.hyphenAt(end) ? currencyWordAt(s, end + 1) : null) ?? vagueOfCurrency(s, core, end);
    if (word !== null) {
      currency = word.code;
      if (word.minor) value = scale(value, 0.01);
      end = word.end;
    }
  }
  if (currency !== undefined) return emit(s, h, 'money', currency, moneyTail(s, end), value, true, currency);

  // Units may be spaced ("10 years"), glued ("5km") or hyphenated ("four-month").
  const unitStart = s.hyphenAt(end) && s.glued(end) && s.glued(end + 1) ? end + 1 : end;
  if (unitStart === end && !s.glued(end) && !s.spaced(end)) return null;
  const unit = unitAt(s, unitStart) ?? qualifiedTime(s, unitStart);
  if (unit === null || (core.vague && unitStart === end)) return null;
  const age = ageSuffix(s, unit);
  if (age !== null) return emit(s, h, 'age', 'years', age, value);
  if (mod?.strength === 'age') return unit.unit === 'years' ? emit(s, h, 'age', 'years', unit.end, value) : null;
  if (unit.kind === 'duration') {
    // "One day" is an idiom far more often than a measured day; "5years" is a typo or a code.
    if (core.isOne && unit.unit === 'days' && unitStart === end && mod === null) return null;
    if (unitStart === end && !s.spaced(end)) return null;
    // "£960m over 15 years": straight after another figure, "over" spans the time, not "more than".
    const spans = mod !== null && s.wordAt(h.start) === 'over' && s.lastFigureEnd === h.start;
    return emit(s, h, 'duration', unit.unit, unit.end, value, !spans);
  }
  return emit(s, h, 'quantity', unit.unit, conversionTail(s, unit.end, 'quantity'), value);
}

/** Scores, years, counts and bare numbers: what is left when no unit follows. */
export function matchUnitless(s: Scan, h: Head, range: Range): Candidate | null {
  const { core, mod, numStart, numeral } = h;
  const end = range.end;
  let value = range.value;
  if (mod?.strength === 'age') {
    if (range.kind !== null) return emit(s, h, 'age', 'years', end, value);
    return core.integer && value < 130 ? emit(s, h, 'age', 'years', end, value) : null;
  }
  // A hyphen glued to an unknown word makes a compound ("20-man", "3-D"); glued letters make a
  // code ("3G", "4x4").
  const next = s.tok(end);
  if (next !== undefined && s.glued(end)) {
    if (next.type === 'word') return null;
    if (s.hyphenAt(end) && s.tok(end + 1)?.type === 'word' && s.glued(end + 1)) return null;
  }

  const nextWord = s.spaced(end) ? s.wordAt(end) : undefined;
  const noun = nextWord !== undefined && !(core.gluedM && METRE_CONTEXT.has(nextWord)) ? countedNoun(s, end) : null;
  if (core.gluedM && noun === null) {
    // Without a currency or a counted noun, "400m" and "1200m" are distances and "7.95m" a
    // jump (measured to the centimetre); "another 550m" and "2.4m" read as millions.
    const metres = core.value / core.multiplier;
    // "17m per second": a speed, in metres.
    const per = nextWord === 'per' && s.spaced(end + 1) ? SPEED_TIMES.get(s.wordAt(end + 1) ?? '') : undefined;
    if (per !== undefined) return emit(s, h, 'quantity', `m per ${per}`, end + 2, metres);
    const commaless = /^\d{4,}$/.test(numeral.text);
    // "the final 300m" of a race is a stretch of it.
    const stretch = RANK_WORDS.has(s.wordAt(h.coreStart - 1) ?? '');
    if (METRE_EVENTS.has(metres) || commaless || stretch || /\.\d\d$/.test(numeral.text) || METRE_CONTEXT.has(nextWord ?? '')) {
      return emit(s, h, 'quantity', 'm', end, metres);
    }
  }

  if (range.kind === 'hyphen' && noun === null && range.hi !== null) {
    // "the 25-54 age group"
    if (nextWord === 'age') return emit(s, h, 'age', 'years', end, value);
    // Scores: small whole numbers on both sides, as in "7-5 6-4" or "2-1".
    if (core.integer && Number.isInteger(range.hi) && core.value <= 99 && range.hi <= 99 && !afterOdds(s, h.coreStart)) {
      return emit(s, h, 'score', null, scoreTail(s, end, core.value, range.hi), value, false);
    }
    // Larger pairs are vote tallies ("MPs voted 272-219") unless a determiner or a name makes
    // them a model number ("the 737-800", "Boeing 777-200"); odds are never figures.
    const before = s.wordAt(h.coreStart - 1);
    if (afterOdds(s, h.coreStart) || labelled(s, h.coreStart) || (before !== undefined && MODEL_NUMBER_OPENERS.has(before))) return null;
    return emit(s, h, 'count', null, end, value);
  }

  if (core.vague) {
    // "dozens of people", "thousands of fans": the "of" and the noun are required.
    if (nextWord !== 'of' || !s.spaced(end + 1)) return null;
    // "millions of tonnes", "hundreds of years": a measure rather than a count.
    const measure = unitAt(s, end + 1);
    if (measure !== null) return emit(s, h, measure.kind, measure.unit, measure.end, value);
    const n = countedNoun(s, end + 1);
    return n === null ? null : emit(s, h, 'count', n.head, n.end, value);
  }

  if (core.yearLike && range.kind === null && !countedYear(s, h, noun)) return emit(s, h, 'year', null, end, value, false);

  // A partitive: "three of the five judges", "12 of its 40 stores". The first number counts what
  // the second does, so the phrase is one figure of the part's value with the whole's noun; read
  // apart, the part has no noun (a bare "six" is dropped) and the whole would pass for the answer.
  if (noun === null && range.kind === null && mod === null && core.integer && !core.isOne) {
    const part = partitive(s, end, value);
    if (part !== null) return emit(s, h, 'count', part.head, part.end, value);
  }

  const plainNumeral = core.numeral && !core.scaled;
  // Ages written after a name: "Jeffrey Royer, 41, fed damaging information".
  if (
    plainNumeral &&
    core.integer &&
    range.kind === null &&
    mod === null &&
    noun === null &&
    (nameAge(s, numStart) || atAge(s, numStart))
  ) {
    return emit(s, h, 'age', 'years', end, value, false);
  }
  // "when she was just 15": a person's bare number is an age.
  if (plainNumeral && core.integer && range.kind === null && noun === null && personWas(s, h)) {
    return emit(s, h, 'age', 'years', end, value, false);
  }

  if (noun !== null && (core.value !== 1 || core.scaled)) {
    if (!core.numeral && !core.integer) return null;
    if (plainNumeral && labelled(s, numStart)) return null;
    return emit(s, h, 'count', noun.head, noun.end, value);
  }

  // Bare numbers: numerals and scaled words only; "two" on its own is too vague, and a bare
  // single digit is nearly always a rank, a label or part of a name.
  if (!core.numeral && !core.scaled) return null;
  if (plainNumeral) {
    if (labelled(s, numStart) || listMarker(s, numStart) || bracketedAfterName(s, numStart, end)) return null;
    if (mod === null && beforeName(s, end)) return null;
    if (mod === null && RANK_WORDS.has(s.wordAt(numStart - 1) ?? '')) return null;
    if (mod === null && range.kind === null && core.value < 10 && core.integer) return null;
    if (range.kind === null && looksLikeClockTime(numeral.text)) return null;
  }
  value = range.value;
  return emit(s, h, core.integer ? 'count' : 'quantity', null, end, value);
}

/**
 * The whole of a partitive after a number ending at `end`: "of the five judges" → the counted noun
 * and the token after it. The whole must be a plain count larger than the part.
 */
function partitive(s: Scan, end: number, part: number): { end: number; head: string } | null {
  if (s.wordAt(end) !== 'of' || !s.spaced(end) || !s.spaced(end + 1)) return null;
  let at = end + 1;
  if (DETERMINERS.has(s.wordAt(at) ?? '')) {
    if (!s.spaced(at + 1)) return null;
    at++;
  }
  const whole = readNumber(s, at, false);
  if (whole === null || !whole.integer || whole.vague || whole.yearLike || whole.value <= part || !s.spaced(whole.end)) return null;
  return countedNoun(s, whole.end);
}

/**
 * Whether a four-digit number in 1800–2099 is a count after all: it has a strong modifier
 * ("more than 2000"), or a lower-case counted noun and no year-like word before it
 * ("sold 2000 copies", but "the 2004 results", "in 2004 prices rose").
 */
export function countedYear(s: Scan, h: Head, noun: { head: string } | null): boolean {
  if (h.mod?.strength === 'strong') return true;
  if (!isYearValue(h.core.value)) return noun !== null;
  if (noun === null || YEAR_NOUNS.has(noun.head.toLowerCase()) || isCapitalised(noun.head)) return false;
  const prevWord = s.wordAt(h.coreStart - 1);
  return !(prevWord !== undefined && (YEAR_CONTEXT.has(prevWord) || isPossessive(prevWord)));
}

/** Further tennis sets and tie-breaks after a score: "7-6 (7-4) 6-3". */
export function scoreTail(s: Scan, end: number, a: number, b: number): number {
  if (!isTennisSet(a, b)) return end;
  let e = end;
  for (;;) {
    let k = e;
    let bracket = false;
    if (s.symAt(k, ',') && s.glued(k)) k++;
    if (s.symAt(k, '(') && s.spaced(k)) {
      bracket = true;
      k++;
    } else if (!s.spaced(k)) {
      return e;
    }
    const pair = scorePair(s, k);
    if (pair === null) return e;
    if (bracket) {
      if (!s.symAt(pair.end, ')') || !s.glued(pair.end)) return e;
      e = pair.end + 1;
    } else {
      if (!isTennisSet(pair.a, pair.b)) return e;
      e = pair.end;
    }
  }
}

/** A score pair at token k ("6-3"), with both numbers and where it ends. */
export function scorePair(s: Scan, k: number): { a: number; b: number; end: number } | null {
  const x = s.tok(k);
  const y = s.tok(k + 2);
  if (x?.type !== 'num' || y?.type !== 'num' || !s.hyphenAt(k + 1) || !s.glued(k + 1) || !s.glued(k + 2)) return null;
  if (s.tok(k + 3) !== undefined && s.glued(k + 3) && !s.symAt(k + 3, ')') && !s.symAt(k + 3, ',') && !s.symAt(k + 3, '.')) return null;
  const a = parseNumeral(x.text);
  const b = parseNumeral(y.text);
  if (a === null || b === null || !Number.isInteger(a) || !Number.isInteger(b) || a > 99 || b > 99) return null;
  return { a, b, end: k + 3 };
}

/** "odds of 8-1" are a price, not a score. */
export function afterOdds(s: Scan, i: number): boolean {
  return (s.wordAt(i - 1) === 'of' && s.wordAt(i - 2) === 'odds') || s.wordAt(i - 1) === 'odds';
}
