/**
 * A figure timeline drawn as a small PNG line chart, on the server: a Vega-Lite spec compiled to
 * Vega, rendered to SVG by Vega's headless view, and rasterised by resvg (prebuilt binaries from
 * npm, no browser and no native build). The text comes out the same on every machine because the
 * font is shipped in a package (Roboto), not looked up among the system's fonts.
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { UnitSpec } from 'vega-lite/types_unstable/spec/unit.js';
import type { Timeline } from '../core/timeline.ts';
import { MIN_CHART_POINTS, timelineLabel } from './timeline-text.ts';

const WIDTH = 520;
const HEIGHT = 240;
const FONT = 'Roboto';
const COLOURS = { line: '#2563eb', disputed: '#dc2626' } as const;

const require = createRequire(import.meta.url);
const FONT_FILES = ['400Regular/Roboto_400Regular.ttf', '700Bold/Roboto_700Bold.ttf'].map((file) =>
  require.resolve(`@expo-google-fonts/roboto/${file}`),
);

/** One point of the chart's data. */
interface ChartDatum {
  readonly date: string;
  readonly value: number;
  /** `[3]`: the citation number, as the text shows it. */
  readonly label: string;
  /** Another article of the same date gives a different value. */
  readonly disputed: boolean;
  /** Where the label goes: `left` for the first of several points on one date, so labels do not overlap. */
  readonly side: 'left' | 'right' | 'above';
}

function chartData(timeline: Timeline): ChartDatum[] {
  const disputed = new Set(timeline.disagreements.flatMap((d) => d.points.map((p) => p.figure)));
  return timeline.points.map((point): ChartDatum => {
    const sameDay = timeline.points.filter((p) => p.date === point.date);
    const first = sameDay[0] === point;
    return {
      date: point.date,
      value: point.value,
      label: `[${point.figure.citation}]`,
      disputed: disputed.has(point.figure),
      side: sameDay.length === 1 ? 'above' : first ? 'left' : 'right',
    };
  });
}

/** The citation labels of the points on one side, placed by `mark`. */
function labelLayer(side: ChartDatum['side'], mark: { dx?: number; dy?: number; align?: 'left' | 'right' }): UnitSpec<string> {
  return {
    transform: [{ filter: `datum.side === '${side}'` }],
    mark: { type: 'text', fontSize: 12, ...mark },
    encoding: { text: { field: 'label', type: 'nominal' } },
  };
}

/**
 * The Vega-Lite spec of a timeline's chart: values over time (UTC days), a line through the points
 * in date order, each point labelled with its citation number, points that disagree in red.
 */
export function timelineChartSpec(timeline: Timeline): TopLevelSpec {
  const label = timelineLabel(timeline);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: HEIGHT,
    padding: 12,
    background: 'white',
    title: `${label[0]?.toUpperCase() ?? ''}${label.slice(1)} over time`,
    config: { font: FONT, view: { stroke: null }, title: { anchor: 'start', fontSize: 14 } },
    data: { values: chartData(timeline) },
    encoding: {
      x: {
        field: 'date',
        type: 'temporal',
        timeUnit: 'utcyearmonthdate',
        title: null,
        axis: { format: '%b %Y', labelAngle: 0, tickCount: 6, grid: false },
      },
      y: { field: 'value', type: 'quantitative', title: label, axis: { format: ',~r' }, scale: { zero: true, nice: true } },
    },
    layer: [
      { mark: { type: 'line', color: COLOURS.line, strokeWidth: 2 } },
      {
        mark: { type: 'point', filled: true, size: 60, opacity: 1 },
        encoding: {
          color: {
            field: 'disputed',
            type: 'nominal',
            scale: { domain: [false, true], range: [COLOURS.line, COLOURS.disputed] },
            legend: null,
          },
        },
      },
      labelLayer('above', { dy: -12 }),
      labelLayer('left', { align: 'right', dx: -8 }),
      labelLayer('right', { align: 'left', dx: 8 }),
    ],
  };
}

/** The chart as SVG text. */
export async function timelineChartSvg(timeline: Timeline): Promise<string> {
  const view = new View(parse(compile(timelineChartSpec(timeline)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * The chart as PNG bytes (twice the spec's size in pixels, for sharp text), or null for a timeline
 * of fewer than {@link MIN_CHART_POINTS} points.
 */
export async function timelineChartPng(timeline: Timeline): Promise<Uint8Array | null> {
  if (timeline.points.length < MIN_CHART_POINTS) return null;
  const svg = await timelineChartSvg(timeline);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT, sansSerifFamily: FONT },
  });
  return new Uint8Array(resvg.render().asPng());
}
