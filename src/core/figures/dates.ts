/**
 * Dates and times: "12 January 2005", "January 12", "in May", ISO dates, centuries and early years.
 */
import {
  CENTURY_CUES,
  CENTURY_QUALIFIERS,
  EARLY_YEAR_CUES,
  HYPHENS,
  MONTHS,
  MONTH_ABBREVIATIONS,
  MONTH_CUES,
  TIME_SPANS,
} from './lexicon.ts';
import { countedNoun } from './nouns.ts';
import { isYearValue } from './numerals.ts';
import { candidate, dateCandidate, type Candidate, type Scan } from './scan.ts';
import { unitAt } from './units.ts';

/** The month named at token i (1–12), or null; abbreviations ("Jan") only when allowed. */
export function monthAt(s: Scan, i: number, allowAbbreviation: boolean): number | null {
  const t = s.tok(i);
  if (t?.type !== 'word') return null;
  const full = MONTHS.get(t.text);
  if (full !== undefined) return full;
  const short = allowAbbreviation ? MONTH_ABBREVIATIONS.get(t.text) : undefined;
  return short ?? null;
}

/** A day of the month at token i, with any glued ordinal ("12", "12th"); returns its end. */
export function dayAt(s: Scan, i: number, rangeEnd = false): { day: number; end: number } | null {
  const t = s.tok(i);
  if (t?.type !== 'num' || t.text.length > 2 || (!rangeEnd && s.gluedBefore(i))) return null;
  const day = Number(t.text);
  if (day < 1 || day > 31) return null;
  const suffix = s.tok(i + 1);
  if (suffix !== undefined && s.glued(i + 1)) {
    if (suffix.type === 'word' && ['st', 'nd', 'rd', 'th'].includes(suffix.lower)) return { day, end: i + 2 };
    if (suffix.type !== 'sym' || !(suffix.text === ',' || suffix.text === '.' || HYPHENS.has(suffix.text))) return null;
  }
  return { day, end: i + 1 };
}

/** A four-digit year after a month or a day and month: any year from 1000 on ("February 1082"). */
export function yearAt(s: Scan, i: number): number | null {
  const t = s.tok(i);
  if (t?.type !== 'num' || t.text.length !== 4) return null;
  const value = Number(t.text);
  if (value < 1000 || value > 2099) return null;
  const after = s.tok(i + 1);
  if (after !== undefined && s.glued(i + 1) && (after.type !== 'sym' || after.text === '%')) return null;
  return value;
}

/** A date at token i: "12 January 2005", "January 12", "14 to 17 February", "in May", "2023-11-06". */
export function matchDate(s: Scan, i: number): Candidate | null {
  const t = s.tok(i);
  if (t === undefined) return null;

  if (t.type === 'num') {
    const iso = isoDate(s, i);
    if (iso !== null) return dateCandidate(i, i + 5, iso[0], iso[1], iso[2]);
    // "12 January", "12-14 January 2005", "1st May"
    const first = dayAt(s, i);
    if (first === null) return null;
    let k = first.end;
    if (s.hyphenAt(k) && s.glued(k) && s.glued(k + 1)) {
      const second = dayAt(s, k + 1, true);
      if (second === null) return null;
      k = second.end;
    } else if (s.spaced(k) && (s.wordAt(k) === 'to' || s.wordAt(k) === 'and') && s.spaced(k + 1)) {
      // "from 14 to 17 February", "between 12 and 14 January": a range of days, dated by its first.
      const second = dayAt(s, k + 1);
      if (second !== null && s.spaced(second.end) && monthAt(s, second.end, true) !== null) k = second.end;
    }
    if (!s.spaced(k)) return null;
    const month = monthAt(s, k, true);
    if (month === null) return null;
    k++;
    if (s.symAt(k, '.') && s.glued(k) && MONTH_ABBREVIATIONS.has(s.tok(k - 1)?.text ?? '')) k++;
    const year = s.spaced(k) ? yearAt(s, k) : null;
    return year === null ? dateCandidate(i, k, 0, month, first.day) : dateCandidate(i, k + 1, year, month, first.day);
  }

  if (t.type !== 'word') return null;
  const month = monthAt(s, i, true);
  if (month !== null) {
    // "January 12", "January 12, 2005", "January 2005"
    let k = i + 1;
    if (s.symAt(k, '.') && s.glued(k) && MONTH_ABBREVIATIONS.has(t.text)) k++;
    if (!s.spaced(k)) return null;
    const year = yearAt(s, k);
    if (year !== null) return dateCandidate(i, k + 1, year, month, 0);
    const day = dayAt(s, k);
    if (day === null) return null;
    const afterDay = s.tok(day.end);
    if (afterDay?.type === 'sym' && afterDay.text === ',' && s.glued(day.end) && s.spaced(day.end + 1)) {
      const y = yearAt(s, day.end + 1);
      if (y !== null) return dateCandidate(i, day.end + 2, y, month, day.day);
    }
    // "May 5 people" would be a count; "May 5%" a percentage.
    if (afterDay !== undefined && s.glued(day.end) && !(afterDay.type === 'sym' && [',', '.', ';', ':', ')'].includes(afterDay.text)))
      return null;
    if (s.spaced(day.end) && isUnitOrNounAt(s, day.end)) return null;
    return dateCandidate(i, day.end, 0, month, day.day);
  }

  // "in May", "since March", "mid-June": only a cue makes a lone month name a date.
  if (!MONTH_CUES.has(t.lower)) return null;
  let k = i + 1;
  if (s.hyphenAt(k) && s.glued(k) && s.glued(k + 1)) k++;
  else if (!s.spaced(k)) return null;
  const m = monthAt(s, k, false);
  if (m === null) return null;
  // With a day or year after it, the month starts its own, fuller date.
  if (s.spaced(k + 1) && (yearAt(s, k + 1) !== null || dayAt(s, k + 1) !== null)) return null;
  return dateCandidate(i, k + 1, 0, m, 0);
}

/**
 * A year before 1800 ("in 1185", "since 911"): only after a preposition that reads as a time
 * ("in", "since", "until"…), and {@link countedYear} still makes it a count when a noun follows
 * ("in 911 cases"). Modern years need no cue; old ones are too easily amounts.
 */
export function earlyYearAt(s: Scan, i: number, value: number): boolean {
  const t = s.tok(i);
  if (t?.type !== 'num' || !/^\d{3,4}$/.test(t.text) || value < 100 || value >= 1800) return false;
  return s.spaced(i) && EARLY_YEAR_CUES.has(s.wordAt(i - 1) ?? '');
}

/**
 * Centuries in a time phrase: "in the 10th and 11th centuries", "during the late 16th century".
 * Valued at the first year of the first century named (the 10th century is 900). Without the
 * preposition ("The 21st century began…") a century is a topic, not an answer to "when".
 */
export function matchCentury(s: Scan, i: number): Candidate | null {
  const first = ordinalAt(s, i);
  if (first === null) return null;
  let back = i - 1;
  if (CENTURY_QUALIFIERS.has(s.wordAt(back) ?? '') && s.spaced(back + 1)) back--;
  if (s.wordAt(back) !== 'the' || !s.spaced(back + 1) || !s.spaced(back)) return null;
  const cue = s.wordAt(back - 1) ?? '';
  // "in the 10th century", or a part of it: "the first half of the 10th century", "the end of the 16th century".
  if (!CENTURY_CUES.has(cue) && !(cue === 'of' && s.spaced(back - 1) && TIME_SPANS.has(s.wordAt(back - 2) ?? ''))) return null;
  let k = first.end;
  const joiner = s.wordAt(k);
  if (s.spaced(k) && (joiner === 'and' || joiner === 'to' || joiner === 'or') && s.spaced(k + 1)) {
    const second = ordinalAt(s, k + 1);
    if (second !== null) k = second.end;
  } else if (s.hyphenAt(k) && s.glued(k) && s.glued(k + 1)) {
    const second = ordinalAt(s, k + 1);
    if (second !== null) k = second.end;
  }
  const noun = s.wordAt(k);
  if (!s.spaced(k) || (noun !== 'century' && noun !== 'centuries')) return null;
  return candidate(i, k + 1, (first.value - 1) * 100, null, 'year');
}

/** An ordinal numeral up to 21 ("10th", "21st"); returns its value and end. */
export function ordinalAt(s: Scan, i: number): { value: number; end: number } | null {
  const t = s.tok(i);
  const suffix = s.tok(i + 1);
  if (t?.type !== 'num' || !/^\d{1,2}$/.test(t.text) || suffix?.type !== 'word' || !s.glued(i + 1)) return null;
  if (!['st', 'nd', 'rd', 'th'].includes(suffix.lower)) return null;
  const value = Number(t.text);
  return value >= 1 && value <= 21 ? { value, end: i + 2 } : null;
}

/** "2023-11-06" as [year, month, day]. */
export function isoDate(s: Scan, i: number): [number, number, number] | null {
  const parts = [s.tok(i), s.tok(i + 2), s.tok(i + 4)];
  if (!s.hyphenAt(i + 1) || !s.hyphenAt(i + 3)) return null;
  for (let k = i + 1; k <= i + 4; k++) if (!s.glued(k)) return null;
  const [yt, mt, dt] = parts;
  if (
    yt?.type !== 'num' ||
    mt?.type !== 'num' ||
    dt?.type !== 'num' ||
    yt.text.length !== 4 ||
    mt.text.length !== 2 ||
    dt.text.length !== 2
  )
    return null;
  const after = s.tok(i + 5);
  if (after !== undefined && s.glued(i + 5) && (after.type !== 'sym' || HYPHENS.has(after.text))) return null;
  const y = Number(yt.text);
  const m = Number(mt.text);
  const d = Number(dt.text);
  if (!isYearValue(y) || m < 1 || m > 12 || d < 1 || d > 31) return null;
  return [y, m, d];
}

/** Whether a unit or a counted noun starts at token i ("May 5 people" is no date). */
export function isUnitOrNounAt(s: Scan, i: number): boolean {
  return unitAt(s, i) !== null || countedNoun(s, i) !== null;
}
