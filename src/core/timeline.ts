/**
 * Figure timelines: the same kind of figure (a count of the same thing, a percentage, an amount in
 * one currency) reported by several dated articles, each at the time it is of, in date order.
 * Plain data: renderers draw it as lines of text and as a chart.
 */
import { humanDate } from './dates.ts';
import type { FigureTime } from './figure-time.ts';
import type { CitedFigure, Figure, FigureKind } from './types.ts';

/** Kinds of figure that make a series over time; dates, years, ages, scores and durations do not. */
const SERIES_KINDS: ReadonlySet<FigureKind> = new Set(['count', 'percent', 'money', 'quantity']);

/** Most points a timeline holds (the chart and a Discord field stay readable). */
export const MAX_TIMELINE_POINTS = 12;

/** One article's figure of the series, at the time it is of. */
export interface TimelinePoint<F extends Figure = CitedFigure> {
  /**
   * `YYYY-MM-DD`: the first day of the month or year the figure's sentence says it is of ("5.1% in
   * 2019"), or else the article's date (see {@link figureTime}).
   */
  readonly date: string;
  /** That time as people write it: `2019`, `May 2023`, `9 Jan 2023`. */
  readonly when: string;
  /** The date of the article that reported it, `YYYY-MM-DD`; differs from {@link date} when the sentence dates the figure. */
  readonly articleDate: string;
  /** The figure's value (never null: a vague quantity is not a point). */
  readonly value: number;
  readonly figure: F;
}

/** Articles of the same date that give the series different values. */
export interface TimelineDisagreement<F extends Figure = CitedFigure> {
  readonly date: string;
  /** Two or more points, best-ranked first. */
  readonly points: readonly TimelinePoint<F>[];
}

export interface Timeline<F extends Figure = CitedFigure> {
  readonly kind: FigureKind;
  /** The unit or counted noun shared by every point, as the first point writes it. */
  readonly unit: string | null;
  readonly currency: string | null;
  /** In date order, best-ranked first on the same date; one point per article. */
  readonly points: readonly TimelinePoint<F>[];
  /** Dates on which articles disagree, in date order; empty when none do. */
  readonly disagreements: readonly TimelineDisagreement<F>[];
}

function seriesKey(figure: Figure): string | null {
  if (!SERIES_KINDS.has(figure.kind) || figure.value === null) return null;
  return [figure.kind, (figure.unit ?? '').toLowerCase(), figure.currency ?? ''].join('\u0000');
}

/** Where a figure goes when nothing says otherwise: its article's date. */
const atArticleDate = (_figure: Figure, articleDate: string): FigureTime => ({ date: articleDate, when: humanDate(articleDate) });

/**
 * The timeline of the figures given (best first): the series (same kind, unit and currency) that
 * the most dated articles report, placed at the time each figure is of (`timeOf`, by default the
 * article's date): each article's best figure of the series for each time it gives one. Null when
 * no series is reported by two dated articles or more. Undated articles cannot be placed in time
 * and are left out here (the figures list still shows them). Articles that give different values
 * for the same date are listed as a disagreement: neither is picked.
 *
 * @example figureTimeline(figures, (id) => dates.get(id) ?? null)?.points.map((p) => p.value) // [1200, 800, 2400]
 */
export function figureTimeline<F extends Figure>(
  figures: readonly F[],
  dateOf: (articleId: string) => string | null,
  timeOf: (figure: F, articleDate: string) => FigureTime = atArticleDate,
): Timeline<F> | null {
  // Per series, the first (best-ranked) figure of each dated article for each time, in rank order.
  const series = new Map<string, { points: Map<string, TimelinePoint<F>>; articles: Set<string> }>();
  for (const figure of figures) {
    const key = seriesKey(figure);
    const articleDate = dateOf(figure.articleId);
    if (key === null || articleDate === null) continue;
    const found = series.get(key) ?? { points: new Map<string, TimelinePoint<F>>(), articles: new Set<string>() };
    series.set(key, found);
    const time = timeOf(figure, articleDate);
    const at = `${figure.articleId}\u0000${time.date}`;
    if (found.points.has(at)) continue;
    found.points.set(at, { date: time.date, when: time.when, articleDate, value: figure.value ?? 0, figure });
    found.articles.add(figure.articleId);
  }
  // The series most articles report; on a tie, the one whose best figure ranks first (Map order).
  let best: { points: Map<string, TimelinePoint<F>>; articles: Set<string> } | null = null;
  for (const found of series.values()) if (found.articles.size > (best?.articles.size ?? 1)) best = found;
  if (best === null) return null;

  const points = [...best.points.values()]
    .slice(0, MAX_TIMELINE_POINTS)
    // A stable sort: best-ranked first on the same date.
    .sort((a, b) => a.date.localeCompare(b.date));
  const disagreements: TimelineDisagreement<F>[] = [];
  for (let i = 0; i < points.length;) {
    let j = i + 1;
    while (j < points.length && points[j]?.date === points[i]?.date) j += 1;
    // One date can stand for a year, a month or a day ("2019", "Jan 2019", "1 Jan 2019"): only
    // figures of the same period can disagree.
    const byPeriod = new Map<string, TimelinePoint<F>[]>();
    for (const p of points.slice(i, j)) byPeriod.set(p.when, [...(byPeriod.get(p.when) ?? []), p]);
    for (const same of byPeriod.values()) {
      if (new Set(same.map((p) => p.value)).size > 1) disagreements.push({ date: same[0]?.date ?? '', points: same });
    }
    i = j;
  }
  const first = points[0]?.figure;
  return {
    kind: first?.kind ?? 'count',
    unit: first?.unit ?? null,
    currency: first?.currency ?? null,
    points,
    disagreements,
  };
}

/** The timeline with each figure given its citation number, by `cite` (called in date order). */
export function citeTimeline<F extends Figure>(timeline: Timeline<F>, cite: (figure: F) => number): Timeline {
  const cited = new Map<F, CitedFigure>();
  const citeOnce = (figure: F): CitedFigure => {
    let done = cited.get(figure);
    if (done === undefined) {
      done = { ...figure, citation: cite(figure) };
      cited.set(figure, done);
    }
    return done;
  };
  const point = (p: TimelinePoint<F>): TimelinePoint => ({ ...p, figure: citeOnce(p.figure) });
  return {
    kind: timeline.kind,
    unit: timeline.unit,
    currency: timeline.currency,
    points: timeline.points.map(point),
    disagreements: timeline.disagreements.map((d) => ({ date: d.date, points: d.points.map(point) })),
  };
}
