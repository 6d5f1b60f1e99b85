/**
 * Words for a figure timeline shared by the Discord and terminal renderers and the chart: what the
 * series counts, and the note when articles of the same date disagree.
 */
import { humanDate } from '../core/dates.ts';
import type { Timeline, TimelinePoint } from '../core/timeline.ts';

/** Fewest points worth a chart; with two, the text says it all. */
export const MIN_CHART_POINTS = 3;

/**
 * What the series counts: its unit or counted noun (`containers`), a currency (`amount in EUR`),
 * or its kind (`percentage`).
 *
 * @example timelineLabel({ kind: 'count', unit: 'containers', currency: null, points: [], disagreements: [] }) // 'containers'
 */
export function timelineLabel(timeline: Pick<Timeline, 'kind' | 'unit' | 'currency'>): string {
  if (timeline.kind === 'money') return timeline.currency === null ? 'amount' : `amount in ${timeline.currency}`;
  if (timeline.kind === 'percent') return 'percentage';
  return timeline.unit ?? timeline.kind;
}

/**
 * `Timeline of containers, by article date`, or `…, by date` when some figure is placed at the time
 * its sentence names rather than at its article's date.
 */
export function timelineHeading(timeline: Timeline): string {
  const byArticle = timeline.points.every((p) => p.date === p.articleDate);
  return `Timeline of ${timelineLabel(timeline)}, by ${byArticle ? 'article date' : 'date'}`;
}

/** `reported 12 Jun 2023`, after a point placed at the time its sentence names; null for a point at its article's date. */
export function reportedNote(point: TimelinePoint): string | null {
  return point.date === point.articleDate ? null : `reported ${humanDate(point.articleDate)}`;
}

/**
 * One sentence per date on which articles disagree, each figure as written with its citation:
 * `On 20 Nov 2023 the articles disagree: 2,400 containers [1], 2,500 containers [6].` (`In May
 * 2023 …` for a month or a year).
 */
export function disagreementNotes(timeline: Timeline): string[] {
  return timeline.disagreements.map((d) => {
    const first = d.points[0];
    const when = first === undefined || first.date === first.articleDate ? `On ${humanDate(d.date)}` : `In ${first.when}`;
    return `${when} the articles disagree: ${d.points.map((p) => `${p.figure.text} [${p.figure.citation}]`).join(', ')}.`;
  });
}
