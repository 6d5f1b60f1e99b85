import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { figuresAbout, type FiguresResult } from '../../src/core/browse.ts';
import { loadArticles } from '../../src/core/corpus.ts';
import type { Timeline } from '../../src/core/timeline.ts';
import { renderReply } from '../../src/render/discord/replies.ts';
import { renderReplyText } from '../../src/render/terminal.ts';
import { timelineChartPng, timelineChartSpec } from '../../src/render/timeline-chart.ts';
import { timelineLabel } from '../../src/render/timeline-text.ts';

let result: FiguresResult;
let timeline: Timeline;

beforeAll(async () => {
  const loaded = await loadArticles('test/fixtures/dated-archive');
  const archive = await Archive.build(loaded.articles);
  result = figuresAbout(archive, 'container backlog at Port Lindqvist');
  if (result.timeline === null) throw new Error('no timeline');
  timeline = result.timeline;
});

describe('timeline text', () => {
  it('prints the timeline in the terminal, dates aligned, a figure dated by its sentence at that month with its article’s date, disputed points marked and the disagreement said', () => {
    const lines = renderReplyText({ kind: 'figures', result, ephemeral: false }).split('\n');
    const start = lines.indexOf('Timeline of containers, by date');
    expect(lines.slice(start, start + 8)).toEqual([
      'Timeline of containers, by date',
      '  9 Jan 2023   1,200 containers [5]',
      '  May 2023     800 containers [3] (reported 12 Jun 2023)',
      '  20 Nov 2023  2,400 containers [1] (disputed)',
      '  20 Nov 2023  2,500 containers [6] (disputed)',
      '  8 Apr 2024   600 containers [4]',
      '  18 Nov 2024  150 containers [2]',
      '  On 20 Nov 2023 the articles disagree: 2,400 containers [1], 2,500 containers [6].',
    ]);
    expect(lines[start + 8]).toBe('');
    expect(lines[start + 9]).toBe('Sources');
  });

  it('shows it on Discord as a field before the sources', () => {
    const embed = renderReply({ kind: 'figures', result, ephemeral: false }).embeds[0];
    expect(embed?.fields?.map((f) => f.name)).toEqual(['Timeline of containers, by date', 'Sources']);
    expect(embed?.fields?.[0]?.value).toBe(
      [
        '9 Jan 2023 — **1,200 containers** [5]',
        'May 2023 — **800 containers** [3] *(reported 12 Jun 2023)*',
        '20 Nov 2023 — **2,400 containers** [1] ⚠️',
        '20 Nov 2023 — **2,500 containers** [6] ⚠️',
        '8 Apr 2024 — **600 containers** [4]',
        '18 Nov 2024 — **150 containers** [2]',
        '⚠️ *On 20 Nov 2023 the articles disagree: 2,400 containers \\[1\\], 2,500 containers \\[6\\].*',
      ].join('\n'),
    );
  });

  it('names what a series counts', () => {
    expect(timelineLabel({ kind: 'count', unit: 'containers', currency: null })).toBe('containers');
    expect(timelineLabel({ kind: 'money', unit: null, currency: 'EUR' })).toBe('amount in EUR');
    expect(timelineLabel({ kind: 'money', unit: null, currency: null })).toBe('amount');
    expect(timelineLabel({ kind: 'percent', unit: '%', currency: null })).toBe('percentage');
    expect(timelineLabel({ kind: 'quantity', unit: null, currency: null })).toBe('quantity');
  });
});

describe('timeline chart', () => {
  it('has the Vega-Lite spec on file', async () => {
    await expect(JSON.stringify(timelineChartSpec(timeline), null, 2) + '\n').toMatchFileSnapshot('__snapshots__/timeline-chart.vl.json');
  });

  it('draws a PNG of the spec’s size at 2x, with the line, the red disputed points and the labels', async () => {
    const bytes = await timelineChartPng(timeline);
    expect(bytes).not.toBeNull();
    const png = PNG.sync.read(Buffer.from(bytes ?? new Uint8Array()));
    // The 520 × 240 plot with its padding, title and axes (620 × 299), doubled.
    expect([png.width, png.height]).toEqual([1240, 598]);
    let white = 0;
    let blue = 0;
    let red = 0;
    let dark = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r = 0, g = 0, b = 0] = png.data.subarray(i, i + 3);
      if (r > 245 && g > 245 && b > 245) white += 1;
      else if (r < 60 && g < 60 && b < 60) dark += 1;
      else if (b > 200 && r < 80) blue += 1;
      else if (r > 200 && g < 60 && b < 60) red += 1;
    }
    const pixels = png.width * png.height;
    expect(white / pixels).toBeGreaterThan(0.8);
    expect(blue).toBeGreaterThan(2000);
    expect(red).toBeGreaterThan(200);
    // Text (title, axis labels, [n] labels) in the shipped font.
    expect(dark).toBeGreaterThan(2000);
  });

  it('draws nothing for fewer than three points', async () => {
    expect(await timelineChartPng({ ...timeline, points: timeline.points.slice(0, 2), disagreements: [] })).toBeNull();
  });
});
