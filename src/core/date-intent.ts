/**
 * What a question says about time: "latest", "now", "most recent" ask for the newest articles;
 * "in 2023", "this year", "last week", "in May 2023", "since 2022" ask for a range of dates,
 * relative to a `today` passed in (the core never reads the clock). The words are read with
 * chrono-node where it knows them; bare years, which it does not read, by their preposition.
 */
import * as chrono from 'chrono-node';
import type { DateRange } from './date-range.ts';
import { isCalendarDate } from './dates.ts';

/** What a question asks about time, and the question without those words. */
export interface DateIntent {
  /** Prefer the newest articles ("latest", "most recent", "now", "currently"). */
  readonly recent: boolean;
  /** Keep to these dates ("in 2023", "this year", "last week"), or null. */
  readonly range: DateRange | null;
  /** The date words as written, in order: `["in 2023"]`. */
  readonly words: readonly string[];
  /** The question with the date words taken out, for searching: they are not what the articles say. */
  readonly rest: string;
}

// Not "current": it is as often part of a name the articles use ("the current account deficit").
const RECENT = /\b(?:latest|most recent|newest|most up[- ]to[- ]date|currently|right now|now|at present|these days|today)\b/giu;
/** A bare year after a preposition that says how it bounds the range. */
const YEAR = /\b(in|during|throughout|of|for|since|from|after|before|until|till|by)\s+(?:the\s+year\s+)?((?:1[89]|20)\d{2})\b/giu;
/** A preposition just before chrono's words, taken out with them; some make the range open. */
const BEFORE_WORDS = /\b(in|during|throughout|of|for|since|from|after|before|until|till|by|over)\s+(?:the\s+)?$/iu;
const OPEN_AFTER = new Set(['since', 'from', 'after']);
const OPEN_BEFORE = new Set(['before', 'until', 'till', 'by']);
const DAY_MS = 86_400_000;

const pad = (n: number): string => String(n).padStart(2, '0');
const isoDay = (date: Date): string => `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
const utc = (year: number, month: number, day: number): Date => new Date(Date.UTC(year, month, day));

interface Found {
  readonly start: number;
  readonly end: number;
  /** The first day of the period and the first day after it. */
  readonly from: Date;
  readonly to: Date;
  readonly preposition: string;
}

/** A range from the period found and the preposition before it: `since 2022` is open-ended. */
function rangeOf(found: Found): DateRange {
  const preposition = found.preposition.toLowerCase();
  if (OPEN_AFTER.has(preposition)) return { after: preposition === 'after' ? isoDay(found.to) : isoDay(found.from), before: null };
  if (OPEN_BEFORE.has(preposition)) return { after: null, before: preposition === 'by' ? isoDay(found.to) : isoDay(found.from) };
  return { after: isoDay(found.from), before: isoDay(found.to) };
}

/** The period chrono's result names: a week, a day (a weekday is the latest one up to today), a month (the latest one by `today` when no year is given) or a year. */
function periodOf(result: chrono.ParsedResult, today: Date): { from: Date; to: Date } {
  const at = result.start.date();
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  if (/\bweeks?\b/iu.test(result.text)) {
    const monday = new Date(utc(y, m, at.getUTCDate()).getTime() - ((at.getUTCDay() + 6) % 7) * DAY_MS);
    return { from: monday, to: new Date(monday.getTime() + 7 * DAY_MS) };
  }
  if ((result.start.isCertain('day') || result.start.isCertain('weekday')) && !/\b(?:months?|years?)\b/iu.test(result.text)) {
    let day = utc(y, m, at.getUTCDate());
    // "on Tuesday": the latest Tuesday up to today; "on May 5": the latest 5 May up to today.
    if (!result.start.isCertain('day') && day > today) day = new Date(day.getTime() - 7 * DAY_MS);
    else if (!result.start.isCertain('year') && day > today) day = utc(y - 1, m, at.getUTCDate());
    return { from: day, to: new Date(day.getTime() + DAY_MS) };
  }
  if (result.start.isCertain('month')) {
    // "in May" with no year: the latest May up to today, since questions ask about what happened.
    const year = !result.start.isCertain('year') && utc(y, m, 1) > today ? y - 1 : y;
    return { from: utc(year, m, 1), to: utc(year, m + 1, 1) };
  }
  return { from: utc(y, 0, 1), to: utc(y + 1, 0, 1) };
}

/**
 * Reads what a question says about time, relative to `today`. Null when it says nothing.
 *
 * @example dateIntent('What was the backlog in 2023?', today)?.range // { after: '2023-01-01', before: '2024-01-01' }
 */
export function dateIntent(question: string, today: Date): DateIntent | null {
  const spans: { start: number; end: number }[] = [];
  let recent = false;
  for (const match of question.matchAll(RECENT)) {
    // "Today" with a capital inside a sentence is a name: the Today programme.
    if (match[0] === 'Today' && match.index > 0) continue;
    recent = true;
    spans.push({ start: match.index, end: match.index + match[0].length });
  }
  const periods: Found[] = [];
  for (const match of question.matchAll(YEAR)) {
    const year = Number(match[2]);
    periods.push({
      start: match.index,
      end: match.index + match[0].length,
      from: utc(year, 0, 1),
      to: utc(year + 1, 0, 1),
      preposition: match[1] ?? '',
    });
  }
  for (const result of chrono.parse(question, { instant: today, timezone: 0 })) {
    const end = result.index + result.text.length;
    // Only calendar words make a range (chrono also reads clock times and verbs); "now" and
    // "today" were read as asking for the newest, and a bare year by its preposition.
    const taken = [...spans, ...periods].some((p) => result.index < p.end && p.start < end);
    if (!isCalendarDate(result.text, question.slice(0, result.index)) || taken) continue;
    const before = BEFORE_WORDS.exec(question.slice(0, result.index));
    periods.push({ start: before?.index ?? result.index, end, ...periodOf(result, today), preposition: before?.[1] ?? '' });
  }
  if (!recent && periods.length === 0) return null;
  periods.sort((a, b) => a.start - b.start);
  spans.push(...periods);
  spans.sort((a, b) => a.start - b.start);
  let rest = '';
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue;
    rest += question.slice(at, span.start);
    at = span.end;
  }
  rest = (rest + question.slice(at))
    .replace(/\s+/gu, ' ')
    .replace(/\s+([?.!,;:])/gu, '$1')
    .replace(/\b(?:the|a)\s*([?.!])$/iu, '$1')
    .trim();
  const first = periods[0];
  return {
    recent,
    range: first === undefined ? null : rangeOf(first),
    words: spans.map((s) => question.slice(s.start, s.end)),
    rest,
  };
}
