import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { figuresAbout } from '../../src/core/browse.ts';
import { loadArticles } from '../../src/core/corpus.ts';
import { figureTimeline, type Timeline } from '../../src/core/timeline.ts';
import type { Figure, FigureKind } from '../../src/core/types.ts';

let archive: Archive;

beforeAll(async () => {
  const loaded = await loadArticles('test/fixtures/dated-archive');
  expect(loaded.problems).toEqual([]);
  archive = await Archive.build(loaded.articles);
});

/** `date text [n]` per point, as plain strings to compare. */
const pointsOf = (timeline: Timeline | null): string[] =>
  timeline?.points.map((p) => `${p.date} ${p.figure.text} [${p.figure.citation}]`) ?? [];

describe('figure timelines over the dated fixture archive', () => {
  it('lists the backlog in date order, each figure cited, and says where two articles of one date disagree', () => {
    const result = figuresAbout(archive, 'container backlog at Port Lindqvist');
    expect(pointsOf(result.timeline)).toEqual([
      '2023-01-09 1,200 containers [2]',
      '2023-06-12 800 containers [4]',
      '2023-11-20 2,400 containers [1]',
      '2023-11-20 2,500 containers [6]',
      '2024-04-08 600 containers [5]',
      '2024-11-18 150 containers [3]',
    ]);
    expect(result.timeline?.points.map((p) => p.value)).toEqual([1200, 800, 2400, 2500, 600, 150]);
    expect(result.timeline?.disagreements.map((d) => [d.date, d.points.map((p) => p.figure.text)])).toEqual([
      ['2023-11-20', ['2,400 containers', '2,500 containers']],
    ]);
    expect(result.timeline).toMatchObject({ kind: 'count', unit: 'containers', currency: null });
    // Every point's citation names its article, with the point's date.
    for (const point of result.timeline?.points ?? []) {
      const citation = result.citations.find((c) => c.n === point.figure.citation);
      expect([citation?.articleId, citation?.date]).toEqual([point.figure.articleId, point.date]);
    }
  });

  it('keeps to the dates asked for', () => {
    const result = figuresAbout(archive, 'container backlog at Port Lindqvist', 10, { after: '2024-01-01', before: null });
    expect(pointsOf(result.timeline)).toEqual(['2024-04-08 600 containers [2]', '2024-11-18 150 containers [1]']);
    expect(result.timeline?.disagreements).toEqual([]);
  });

  it('has no timeline when no series has two dated articles', () => {
    expect(figuresAbout(archive, 'new cranes euros').timeline).toBeNull();
    expect(figuresAbout(archive, 'container backlog at Port Lindqvist', 10, { after: '2024-06-01', before: null }).timeline).toBeNull();
  });
});

describe('figureTimeline', () => {
  let n = 0;
  const figure = (articleId: string, text: string, value: number | null, unit: string | null, kind: FigureKind = 'count'): Figure => ({
    text,
    start: 0,
    end: text.length,
    value,
    unit,
    kind,
    passageId: `${articleId}#1.${n++}`,
    articleId,
    paragraph: 1,
    sentence: text,
  });
  const dates: Record<string, string | null> = { a: '2020-01-01', b: '2021-01-01', c: '2019-06-30', d: null, e: '2021-01-01' };
  const dateOf = (id: string): string | null => dates[id] ?? null;
  const texts = (figures: readonly Figure[]): string[] | undefined =>
    figureTimeline(figures, dateOf)?.points.map((p) => `${p.date} ${p.figure.text}`);

  it('takes the series most dated articles report, one point per article (its best-ranked figure), undated ones left out', () => {
    const figures = [
      figure('a', '12 deaths', 12, 'deaths'),
      figure('a', '3 ships', 3, 'ships'),
      figure('a', '40 deaths', 40, 'deaths'),
      figure('b', '4 ships', 4, 'ships'),
      figure('b', '15 Deaths', 15, 'Deaths'),
      figure('c', '9 deaths', 9, 'deaths'),
      figure('d', '99 deaths', 99, 'deaths'),
      figure('c', 'dozens of deaths', null, 'deaths'),
      figure('c', '2019', 2019, null, 'year'),
    ];
    expect(texts(figures)).toEqual(['2019-06-30 9 deaths', '2020-01-01 12 deaths', '2021-01-01 15 Deaths']);
    expect(figureTimeline(figures, dateOf)?.disagreements).toEqual([]);
  });

  it('on a tie, takes the series whose figure ranks first; same value on one date is no disagreement', () => {
    const figures = [
      figure('a', '5%', 5, '%', 'percent'),
      figure('a', '£3m', 3e6, null, 'money'),
      figure('b', '£4m', 4e6, null, 'money'),
      figure('b', '6%', 6, '%', 'percent'),
      figure('e', '6 per cent', 6, '%', 'percent'),
    ];
    expect(texts(figures)).toEqual(['2020-01-01 5%', '2021-01-01 6%', '2021-01-01 6 per cent']);
    expect(figureTimeline(figures, dateOf)?.disagreements).toEqual([]);
  });

  it('is null for a single dated article, or none', () => {
    expect(figureTimeline([figure('a', '1 ship', 1, 'ship'), figure('d', '2 ships', 2, 'ship')], dateOf)).toBeNull();
    expect(figureTimeline([], dateOf)).toBeNull();
  });
});
