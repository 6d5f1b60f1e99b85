/**
 * Words for a figure timeline shared by the Discord and terminal renderers and the chart: what the
 * series counts, and the note when articles of the same date disagree.
 */
import { humanDate } from '../core/dates.ts';
import type { Timeline } from '../core/timeline.ts';

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

/** `Timeline of containers, by article date` */
export function timelineHeading(timeline: Timeline): string {
  return `Timeline of ${timelineLabel(timeline)}, by article date`;
}

/**
 * One sentence per date on which articles disagree, each figure as written with its citation:
 * `On 20 Nov 2023 the articles disagree: 2,400 containers [1], 2,500 containers [6].`
 */
export function disagreementNotes(timeline: Timeline): string[] {
  return timeline.disagreements.map(
    (d) => `On ${humanDate(d.date)} the articles disagree: ${d.points.map((p) => `${p.figure.text} [${p.figure.citation}]`).join(', ')}.`,
  );
}
