/**
 * The time a figure is of. "Unemployment was 5.1% in 2019" in a 2023 story gives 2019's rate, not
 * 2023's; "the backlog fell to 800 in May" in a June story gives May's. A timeline places each
 * figure at that time, and at its article's date when its sentence names none.
 */
import { humanDate, humanPeriod, periodEnd, resolveRelativeDates, type Precision } from './dates.ts';
import type { FigureMatch } from './types.ts';

/** Where a figure goes on a timeline. */
export interface FigureTime {
  /** The first day of the period the figure is of, `YYYY-MM-DD` (the article's date when the sentence names none). */
  readonly date: string;
  /** That period as people write it: `2019`, `May 2023`, or the article's day, `6 Nov 2023`. */
  readonly when: string;
}

/** A period the sentence names, and where. */
interface Mention {
  readonly start: number;
  readonly end: number;
  readonly from: string;
  readonly precision: Precision;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * At most this many words between a figure and the period it is of: "5.1% in 2019", "In 2019,
 * unemployment was 5.1%". Farther off, the period is usually another clause's ("Founded in 1998,
 * the firm now employs 5,200").
 */
const MAX_GAP_WORDS = 3;

/** Words before a period that make it a starting point or a bound, not the figure's time: "up since 2015", "founded in 1998". */
const NOT_THE_FIGURES_TIME =
  /\b(?:since|until|till|by|from|before|after|founded|established|set up|formed|born|built|launched|opened)(?:\s+(?:in|on))?\s+$/iu;

const wordsIn = (text: string): number => text.split(/[\s,;:]+/u).filter((w) => w.length > 0).length;

/** The months and years a passage's year and date figures state ("in 2019", "March 2018"). */
function statedPeriods(figures: readonly FigureMatch[]): Mention[] {
  const mentions: Mention[] = [];
  for (const f of figures) {
    if (f.value === null) continue;
    if (f.kind === 'year' && f.value >= 1000 && f.value <= 9999) mentions.push({ ...f, from: `${f.value}-01-01`, precision: 'year' });
    // A date figure's value is YYYYMMDD, with 00 for a month or day it does not state; a day
    // named in the sentence is usually an event's ("after the storm of 14 November"), not the
    // figure's, so only months and years are taken.
    if (f.kind === 'date' && f.value >= 10_000_000 && f.value % 100 === 0) {
      const year = Math.floor(f.value / 10_000);
      const month = Math.floor(f.value / 100) % 100;
      mentions.push({ ...f, from: `${year}-${pad(Math.max(1, month))}-01`, precision: month === 0 ? 'year' : 'month' });
    }
  }
  return mentions;
}

/** A month or a year, from its first day (`YYYY-MM-DD`). */
export interface FigurePeriod {
  readonly from: string;
  readonly precision: Precision;
}

/**
 * The month or year `figure`'s sentence names nearest to it ("5.1% in 2019", "800 containers in
 * May", "last year"), or null when it names none. Relative ones are resolved against `articleDate`,
 * and not read for an undated article. Days and weeks the sentence names are left alone: they are
 * usually an event's ("after Tuesday's storm"). Only a period close to the figure counts
 * ({@link MAX_GAP_WORDS}), not one it is counted from or up to ("since 2015"), and not one after the
 * article's date: "expected to reach 9.9% in 2026" is a forecast, not 2026's figure. `passage` is the passage's text and figures, whose
 * offsets `figure`'s share.
 */
export function figurePeriod(
  figure: FigureMatch & { readonly sentence: string },
  passage: { readonly text: string; readonly figures: readonly FigureMatch[] },
  articleDate: string | null,
): FigurePeriod | null {
  const sentenceStart = passage.text.lastIndexOf(figure.sentence, figure.start);
  if (sentenceStart < 0) return null;
  const sentenceEnd = sentenceStart + figure.sentence.length;
  const relative = resolveRelativeDates(figure.sentence, articleDate)
    .filter((d) => d.precision === 'month' || d.precision === 'year')
    .map((d): Mention => ({ start: sentenceStart + d.start, end: sentenceStart + d.end, from: d.from, precision: d.precision }));
  const tied = (m: Mention): boolean => {
    const between = m.start >= figure.end ? passage.text.slice(figure.end, m.start) : passage.text.slice(m.end, figure.start);
    const before = passage.text.slice(Math.max(sentenceStart, m.start - 24), m.start);
    return wordsIn(between) <= MAX_GAP_WORDS && !NOT_THE_FIGURES_TIME.test(before);
  };
  const inSentence = [...statedPeriods(passage.figures), ...relative].filter(
    (m) => m.start >= sentenceStart && m.end <= sentenceEnd && tied(m) && (articleDate === null || m.from <= articleDate),
  );
  // Nearest the figure; on a tie, the one after it ("5.1% in 2019, 4% in 2018").
  const distance = (m: Mention): number => (m.start >= figure.end ? m.start - figure.end : figure.start - m.end + 0.5);
  const nearest = inSentence.sort((a, b) => distance(a) - distance(b))[0];
  return nearest === undefined ? null : { from: nearest.from, precision: nearest.precision };
}

/**
 * The time `figure` is of: the month or year its sentence names nearest to it ({@link figurePeriod}),
 * when that period does not hold the article's date; else the article's date.
 *
 * @example figureTime(rate, { text: 'Unemployment was 5.1% in 2019.', figures }, '2023-11-06') // { date: '2019-01-01', when: '2019' }
 */
export function figureTime(
  figure: FigureMatch & { readonly sentence: string },
  passage: { readonly text: string; readonly figures: readonly FigureMatch[] },
  articleDate: string,
): FigureTime {
  const period = figurePeriod(figure, passage, articleDate);
  // "This year" in the article, or "in November" in a November story: the article's day says more.
  if (period === null || (articleDate >= period.from && articleDate < periodEnd(period.from, period.precision)))
    return { date: articleDate, when: humanDate(articleDate) };
  return { date: period.from, when: humanPeriod(period.from, period.precision) };
}
