/**
 * Date ranges for /search and /figures (`after:` and `before:`), applied as a small step after
 * ranking: articles dated outside the range are dropped, and undated ones are kept, after the
 * dated ones, since nothing says they are out of range.
 */
import * as chrono from 'chrono-node';

/** Inclusive lower and exclusive upper bounds, as `YYYY-MM-DD`; null for open. */
export interface DateRange {
  /** On or after this day. */
  readonly after: string | null;
  /** Before this day. */
  readonly before: string | null;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const isoDay = (date: Date): string => `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;

/**
 * Reads a date bound as people write it: `2023`, `2023-05`, `2023-05-06`, or words chrono-node
 * understands (`May 2023`, `6 Nov 2023`, `last week`, relative to `today`). A year or month stands
 * for its first day, so `after:2023` is from 1 Jan 2023 and `before:2024` is up to 31 Dec 2023.
 * Returns null when the text is not a date.
 *
 * @example parseDateBound('2023-05', new Date()) // '2023-05-01'
 */
export function parseDateBound(text: string, today: Date): string | null {
  const trimmed = text.trim();
  const numeric = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/u.exec(trimmed);
  if (numeric) {
    const [, year = '', month = '01', day = '01'] = numeric;
    const candidate = `${year}-${month}-${day}`;
    const date = new Date(`${candidate}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(candidate) ? candidate : null;
  }
  const parsed = chrono.parse(trimmed, { instant: today, timezone: 0 })[0];
  // The whole text must be the date: "May 2023 floods" is not a bound.
  if (parsed?.text.trim() !== trimmed) return null;
  const at = parsed.start.date();
  if (!parsed.start.isCertain('day') && !parsed.start.isCertain('weekday')) {
    at.setUTCDate(1);
    if (!parsed.start.isCertain('month')) at.setUTCMonth(0);
  }
  return isoDay(at);
}

/** Whether a range restricts anything. */
export function isOpen(range: DateRange): boolean {
  return range.after === null && range.before === null;
}

/**
 * Keeps the items whose date is in the range, in their order, then the undated ones, in theirs.
 * Never drops an undated item.
 */
export function applyDateRange<T>(items: readonly T[], dateOf: (item: T) => string | null, range: DateRange): T[] {
  if (isOpen(range)) return [...items];
  const dated: T[] = [];
  const undated: T[] = [];
  for (const item of items) {
    const date = dateOf(item);
    if (date === null) undated.push(item);
    else if ((range.after === null || date >= range.after) && (range.before === null || date < range.before)) dated.push(item);
  }
  return [...dated, ...undated];
}
