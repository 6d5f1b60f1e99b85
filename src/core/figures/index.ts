/**
 * Figure extraction: finds the numbers in news prose together with what they measure.
 *
 * The text is split into tokens (numerals, words, single symbols) and a handful of small
 * matchers are tried at each token, in order: dates, "one in five" ratios, fractions ("half of
 * …"), then the main number-plus-unit matcher. The first match wins and scanning resumes after
 * it, so figures come out sorted and never overlap. Most words cannot open a figure and are
 * skipped after one set lookup, which keeps the whole BBC corpus (5 MB) well under a second.
 *
 * Value conventions:
 * - money is in the major unit of its currency ("50p" is 0.5 GBP) and `unit` is the ISO code;
 * - a date is yyyymmdd with unknown parts as 0: "in May" is 500, "12 January 2005" is 20050112;
 *   a lone month needs a cue word ("in", "since", "last", "mid-"…), which is kept in the text;
 * - a score ("7-5 6-4") is valued at its first number; a range ("25 to 30 seats") at its first;
 * - a vague plural ("dozens of people", "millions of tonnes") states no number, so its value is null;
 * - fractions and "one in five" ratios are quantities between 0 and 1;
 * - a decade ("the 1990s") or a season ("2003-04") is a year valued at its first year;
 * - ages and durations are in the unit written ("aged 44" is 44 years, "48 hours" is 48 hours).
 */
import type { FigureKind, FigureMatch } from '../types.ts';
import { matchMain } from './amounts.ts';
import { matchCentury, matchDate } from './dates.ts';
import { matchFraction, matchRatio } from './fractions.ts';
import { CURRENCY_SIGNS, DOLLAR_PREFIXES, MONTHS, MONTH_ABBREVIATIONS, OPENING_WORDS } from './lexicon.ts';
import { matchModifier } from './modifiers.ts';
import { Scan, type Candidate } from './scan.ts';
import type { Token } from './tokens.ts';

/** Finds the figures in a piece of text (a passage or a sentence). */
export function extractFigures(text: string): FigureMatch[] {
  return scanFigures(new Scan(text));
}

/** Tries the matchers at each token in turn; a match's end is where the next try starts. */
function scanFigures(s: Scan): FigureMatch[] {
  const out: FigureMatch[] = [];
  let i = 0;
  while (i < s.toks.length) {
    const c = matchAt(s, i);
    if (c !== null && c.endTok > i && Number.isFinite(c.value)) {
      out.push(toFigure(s, c));
      i = c.endTok;
      s.lastFigureEnd = i;
    } else {
      i++;
    }
  }
  return out;
}

function toFigure(s: Scan, c: Candidate): FigureMatch {
  const start = s.tok(c.startTok)?.start ?? 0;
  const end = s.tok(c.endTok - 1)?.end ?? start;
  return figureMatch(s.source, start, end, c.vague === true ? null : c.value, c.unit, c.kind, c.currency);
}

/**
 * A figure found at `[start, end)` of `source`, made as extraction makes it (a build worker's
 * figures are made again from numbers with it, so they are the same objects as a build's own).
 */
export function figureMatch(
  source: string,
  start: number,
  end: number,
  value: number | null,
  unit: string | null,
  kind: FigureKind,
  currency: string | undefined,
): FigureMatch {
  const base = { text: source.slice(start, end), start, end, value, unit, kind };
  return currency === undefined ? base : { ...base, currency };
}

function matchAt(s: Scan, i: number): Candidate | null {
  const t = s.tok(i);
  if (t === undefined) return null;
  if (t.type === 'word' && !mayStartFigure(s, t)) return null;
  if (t.type === 'sym' && !CURRENCY_SIGNS.has(t.text)) return null;
  // Fractions go before plain numbers so "three quarters of the vote" is not three quarters
  // of a year.
  return matchDate(s, i) ?? matchCentury(s, i) ?? withModifier(s, i, 'ratio') ?? withModifier(s, i, 'fraction') ?? matchMain(s, i);
}

/** Ratios and fractions take the same modifiers as numbers: "nearly half of all voters". */
function withModifier(s: Scan, i: number, which: 'ratio' | 'fraction'): Candidate | null {
  const mod = matchModifier(s, i);
  const j = mod !== null && mod.strength !== 'age' && mod.strength !== 'between' ? i + mod.len : i;
  const c = which === 'ratio' ? matchRatio(s, j) : matchFraction(s, j);
  return c === null || j === i ? c : { ...c, startTok: i };
}

/** A cheap filter so most words are skipped without running the matchers. */
function mayStartFigure(s: Scan, t: Token): boolean {
  if (OPENING_WORDS.has(t.lower)) return true;
  // Months and "US$"-style prefixes are capitalised: test the first letter before hashing.
  const c = t.text.charCodeAt(0);
  return c >= 65 && c <= 90 && (MONTHS.has(t.text) || MONTH_ABBREVIATIONS.has(t.text) || DOLLAR_PREFIXES.has(t.text));
}
