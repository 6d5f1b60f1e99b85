/**
 * Article dates for people, and relative dates in article text ("in May", "last month", "on
 * Tuesday") resolved against the date of the article that wrote them, with chrono-node.
 */
import * as chrono from 'chrono-node';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const DAY_MS = 86_400_000;
/** Words that make a calendar date wherever chrono finds them: capitalised month and weekday names, and relative ones. */
const DATE_WORD =
  /\b(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|yesterday|today|tomorrow|week|weekend|month|year|fortnight)s?\b/u;
/** Lower-case month and weekday names that mean nothing else. */
const PLAIN_LOWER_DATE_WORD =
  /\b(?:january|february|april|june|july|september|october|november|december|(?:mon|tues|wednes|thurs|fri|satur|sun)day)s?\b/u;
/** Lower-case month names that are ordinary words too ("you may", "they march", "an august body"), and abbreviations. */
const AMBIGUOUS_MONTH = '(?:may|march|august|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\\.?';
const ORDINAL_DAY = '\\d{1,2}(?:st|nd|rd|th)';
/**
 * An ambiguous lower-case month beside a year ("march 2023", "may 5, 2023") or an ordinal day
 * ("may 5th", "the 5th of march"); a bare number is not enough ("you may 2 go", "they march 10 miles").
 */
const AMBIGUOUS_MONTH_DATE = new RegExp(
  `\\b(?:${ORDINAL_DAY}(?:\\s+of)?\\s+${AMBIGUOUS_MONTH}(?![a-z])|${AMBIGUOUS_MONTH}\\s+(?:${ORDINAL_DAY}\\b|(?:\\d{1,2},?\\s+)?(?:1[89]|20)\\d{2}\\b))`,
  'u',
);
/** "Yesterday" or "Tomorrow" opening a sentence; mid-sentence, a capital makes them a name (the song, the film). */
const SENTENCE_START_WORD = /^(?:Yesterday|Tomorrow)\b/u;

/**
 * Whether words chrono read as a date are calendar words (shared by article dates and questions):
 * chrono also reads clock times ("at 5"), verbs ("they march") and numbers after "may". Capitalised
 * month and weekday names and the relative words count anywhere; lower-case month names only where
 * nothing else is meant ("in june", "on tuesday"; "may" and "march" only beside a year or an
 * ordinal day); a capitalised "Yesterday" only at the start of a sentence (`before` is the text
 * before the words).
 *
 * @example isCalendarDate('march 2023') // true
 * @example isCalendarDate('may 2') // false
 */
export function isCalendarDate(words: string, before = ''): boolean {
  if (DATE_WORD.test(words) || PLAIN_LOWER_DATE_WORD.test(words) || AMBIGUOUS_MONTH_DATE.test(words)) return true;
  return SENTENCE_START_WORD.test(words) && /(?:^|[.!?]["'”’)]?)\s*$/u.test(before);
}
/** A span up to the article's date ("the past year", "in recent months"), not a point in time. */
const SPAN_WORD = /\b(?:past|recent|coming)\b/iu;

function dayLabel(date: Date): string {
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()] ?? ''} ${date.getUTCFullYear()}`;
}

/** The UTC noon of a `YYYY-MM-DD` date, or null for anything else. */
function noonOf(date: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(date)) return null;
  const at = new Date(`${date}T12:00:00Z`);
  return Number.isNaN(at.getTime()) || !at.toISOString().startsWith(date) ? null : at;
}

/**
 * An article's `YYYY-MM-DD` date as people write it: `6 Nov 2023`. Anything else is returned as it
 * came, so nothing is ever shown as less than the article says.
 *
 * @example humanDate('2023-11-06') // '6 Nov 2023'
 */
export function humanDate(date: string): string {
  const at = noonOf(date);
  return at === null ? date : dayLabel(at);
}

/** A relative date found in a text and what it means for the article it is in. */
export interface ResolvedDate {
  /** The words as written, and where they are in the text. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** What they mean: `May 2023`, `5 Nov 2023`, `2023`, `week of 30 Oct 2023`. */
  readonly resolved: string;
  /** The period they name, and its first day (`YYYY-MM-DD`): May 2023 is `month` from `2023-05-01`. */
  readonly precision: Precision;
  readonly from: string;
}

/** How long a period a date names. */
export type Precision = 'day' | 'week' | 'month' | 'year';

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

/**
 * A period as people write it, from its first day (`YYYY-MM-DD`): `2019`, `May 2023`, `6 Nov 2023`,
 * `week of 30 Oct 2023`.
 *
 * @example humanPeriod('2023-05-01', 'month') // 'May 2023'
 */
export function humanPeriod(from: string, precision: Precision): string {
  const at = noonOf(from);
  if (at === null) return from;
  if (precision === 'year') return String(at.getUTCFullYear());
  if (precision === 'month') return `${MONTHS[at.getUTCMonth()] ?? ''} ${at.getUTCFullYear()}`;
  return precision === 'week' ? `week of ${dayLabel(at)}` : dayLabel(at);
}

/** The first day after a period (`YYYY-MM-DD`). */
export function periodEnd(from: string, precision: Precision): string {
  const at = noonOf(from);
  if (at === null) return from;
  if (precision === 'year') at.setUTCFullYear(at.getUTCFullYear() + 1, 0, 1);
  else if (precision === 'month') at.setUTCMonth(at.getUTCMonth() + 1, 1);
  else at.setUTCDate(at.getUTCDate() + (precision === 'week' ? 7 : 1));
  return isoDay(at);
}

/** The Monday of the week holding `date`. */
function mondayOf(date: Date): Date {
  return new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * DAY_MS);
}

function period(result: chrono.ParsedResult, at: Date): Pick<ResolvedDate, 'resolved' | 'precision' | 'from'> {
  const start = result.start;
  if (/\bweekends?\b/iu.test(result.text)) return { resolved: `weekend of ${dayLabel(at)}`, precision: 'day', from: isoDay(at) };
  if (/\bweeks?\b/iu.test(result.text))
    return { resolved: humanPeriod(isoDay(mondayOf(at)), 'week'), precision: 'week', from: isoDay(mondayOf(at)) };
  if (start.isCertain('day') || start.isCertain('weekday') || start.tags().has('casualReference/yesterday'))
    return { resolved: dayLabel(at), precision: 'day', from: isoDay(at) };
  const month = `${isoDay(at).slice(0, 7)}-01`;
  if (start.isCertain('month')) return { resolved: humanPeriod(month, 'month'), precision: 'month', from: month };
  return { resolved: String(at.getUTCFullYear()), precision: 'year', from: `${isoDay(at).slice(0, 4)}-01-01` };
}

/**
 * The relative dates in `text` ("in May", "last month", "on Tuesday", "this year", "two weeks
 * ago"), resolved against `articleDate` (`YYYY-MM-DD`). A date the text states in full ("6 November
 * 2023") needs no resolving and is left out. News reports what happened, so a month or weekday
 * without a year or date is taken as the latest one on or before the article's date ("in May" in
 * a November 2023 story is May 2023). None when the article is undated.
 *
 * @example resolveRelativeDates('Assad went to the summit in May.', '2023-11-06')[0]?.resolved // 'May 2023'
 */
export function resolveRelativeDates(text: string, articleDate: string | null): ResolvedDate[] {
  const reference = articleDate === null ? null : noonOf(articleDate);
  if (reference === null || text.length === 0) return [];
  const found: ResolvedDate[] = [];
  for (const result of chrono.parse(text, { instant: reference, timezone: 0 })) {
    // chrono also reads clock times ("at 5"), verbs ("they march") and spans ("the past year"):
    // only calendar words are resolved.
    if (!isCalendarDate(result.text, text.slice(0, result.index)) || SPAN_WORD.test(result.text)) continue;
    const start = result.start;
    const relative = [...start.tags()].some((tag) => tag.startsWith('result/relativeDate') || tag.startsWith('casualReference'));
    // A year the text states leaves nothing to resolve ("June 2022", "6 November 2023").
    if (/\b\d{4}\b/u.test(result.text) && !relative) continue;
    let at = start.date();
    if (!relative && !start.isCertain('year') && at.getTime() > reference.getTime() + DAY_MS / 2) {
      // A month or weekday on its own: the one before the story, not after.
      at = start.isCertain('month') || start.isCertain('day') ? yearBefore(at) : new Date(at.getTime() - 7 * DAY_MS);
    }
    // chrono reads "this month, 12 died" as a day; the words are "this month".
    const words = result.text.replace(/(?:,\s*\d+|[\s,]+)$/u, '');
    found.push({ text: words, start: result.index, end: result.index + words.length, ...period(result, at) });
  }
  return found;
}

function yearBefore(date: Date): Date {
  const earlier = new Date(date.getTime());
  earlier.setUTCFullYear(date.getUTCFullYear() - 1);
  return earlier;
}
