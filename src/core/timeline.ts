/**
 * Figure timelines: the same kind of figure (a count of the same thing, a percentage, an amount in
 * one currency) reported by several dated articles, in date order. Plain data: renderers draw it
 * as lines of text and as a chart.
 */
import type { CitedFigure, Figure, FigureKind } from './types.ts';

/** Kinds of figure that make a series over time; dates, years, ages, scores and durations do not. */
const SERIES_KINDS: ReadonlySet<FigureKind> = new Set(['count', 'percent', 'money', 'quantity']);

/** Most points a timeline holds (the chart and a Discord field stay readable). */
export const MAX_TIMELINE_POINTS = 12;

/** One article's figure of the series, at the article's date. */
export interface TimelinePoint<F extends Figure = CitedFigure> {
  /** The article's date, `YYYY-MM-DD`: the figure is as the article reported it that day. */
  readonly date: string;
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

/**
 * The timeline of the figures given (best first): the series (same kind, unit and currency) that
 * the most dated articles report, each article's best figure of it placed at the article's date.
 * Null when no series is reported by two dated articles or more. Undated articles cannot be
 * placed in time and are left out here (the figures list still shows them). Articles of the same
 * date that give different values are listed as a disagreement: neither is picked.
 *
 * @example figureTimeline(figures, (id) => dates.get(id) ?? null)?.points.map((p) => p.value) // [1200, 800, 2400]
 */
export function figureTimeline<F extends Figure>(figures: readonly F[], dateOf: (articleId: string) => string | null): Timeline<F> | null {
  // Per series, the first (best-ranked) figure of each dated article, in rank order.
  const series = new Map<string, Map<string, F>>();
  for (const figure of figures) {
    const key = seriesKey(figure);
    if (key === null || dateOf(figure.articleId) === null) continue;
    const byArticle = series.get(key) ?? new Map<string, F>();
    series.set(key, byArticle);
    if (!byArticle.has(figure.articleId)) byArticle.set(figure.articleId, figure);
  }
  // The series most articles report; on a tie, the one whose best figure ranks first (Map order).
  let best: Map<string, F> | null = null;
  for (const byArticle of series.values()) if (byArticle.size > (best?.size ?? 1)) best = byArticle;
  if (best === null) return null;

  const points = [...best.values()]
    .slice(0, MAX_TIMELINE_POINTS)
    .map((figure): TimelinePoint<F> => ({ date: dateOf(figure.articleId) ?? '', value: figure.value ?? 0, figure }))
    // A stable sort: best-ranked first on the same date.
    .sort((a, b) => a.date.localeCompare(b.date));
  const disagreements: TimelineDisagreement<F>[] = [];
  for (let i = 0; i < points.length;) {
    let j = i + 1;
    while (j < points.length && points[j]?.date === points[i]?.date) j += 1;
    const sameDay = points.slice(i, j);
    if (new Set(sameDay.map((p) => p.value)).size > 1) disagreements.push({ date: sameDay[0]?.date ?? '', points: sameDay });
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
  const point = (p: TimelinePoint<F>): TimelinePoint => ({ date: p.date, value: p.value, figure: citeOnce(p.figure) });
  return {
    kind: timeline.kind,
    unit: timeline.unit,
    currency: timeline.currency,
    points: timeline.points.map(point),
    disagreements: timeline.disagreements.map((d) => ({ date: d.date, points: d.points.map(point) })),
  };
}
