import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { parseArticle } from '../../src/core/articles.ts';
import { figuresAbout } from '../../src/core/browse.ts';
import { loadArticles } from '../../src/core/corpus.ts';
import { figureTimeline, type Timeline } from '../../src/core/timeline.ts';
import type { Figure, FigureKind } from '../../src/core/types.ts';
import { renderReplyText } from '../../src/render/terminal.ts';

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
      '2023-01-09 1,200 containers [5]',
      // "fell to 800 containers in May", in a story of 12 Jun 2023: May's figure.
      '2023-05-01 800 containers [3]',
      '2023-11-20 2,400 containers [1]',
      '2023-11-20 2,500 containers [6]',
      '2024-04-08 600 containers [4]',
      '2024-11-18 150 containers [2]',
    ]);
    expect(result.timeline?.points.map((p) => p.value)).toEqual([1200, 800, 2400, 2500, 600, 150]);
    expect(result.timeline?.disagreements.map((d) => [d.date, d.points.map((p) => p.figure.text)])).toEqual([
      ['2023-11-20', ['2,400 containers', '2,500 containers']],
    ]);
    expect(result.timeline).toMatchObject({ kind: 'count', unit: 'containers', currency: null });
    expect(result.timeline?.points.map((p) => [p.when, p.articleDate])).toEqual([
      ['9 Jan 2023', '2023-01-09'],
      ['May 2023', '2023-06-12'],
      ['20 Nov 2023', '2023-11-20'],
      ['20 Nov 2023', '2023-11-20'],
      ['8 Apr 2024', '2024-04-08'],
      ['18 Nov 2024', '2024-11-18'],
    ]);
    // Every point's citation names its article, with the article's date.
    for (const point of result.timeline?.points ?? []) {
      const citation = result.citations.find((c) => c.n === point.figure.citation);
      expect([citation?.articleId, citation?.date]).toEqual([point.figure.articleId, point.articleDate]);
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

/** A dated Markdown story about jobs in Norrland. */
const md = (id: string, date: string, body: string) =>
  parseArticle(`${id}.md`, `---\ntitle: Jobs in Norrland ${id}\ndate: ${date}\n---\n${body}`);

describe('a figure dated by its sentence', () => {
  it('plots "5.1% in 2019" from a 2023 story at 2019, and says where the article’s date differs', async () => {
    const archive = await Archive.build([
      md('a', '2021-02-01', 'Unemployment in Norrland stood at 6.2% in January, the jobs office said.'),
      md('b', '2022-02-01', 'Unemployment in Norrland fell to 5.8%, the jobs office said.'),
      md('c', '2023-11-06', 'Unemployment in Norrland was 5.1% in 2019, before the mines closed, the jobs office said.'),
    ]);
    const result = figuresAbout(archive, 'unemployment in Norrland');
    expect(result.timeline?.points.map((p) => `${p.date} ${p.when} ${p.figure.text} (article ${p.articleDate})`)).toEqual([
      '2019-01-01 2019 5.1% (article 2023-11-06)',
      '2021-01-01 Jan 2021 6.2% (article 2021-02-01)',
      '2022-02-01 1 Feb 2022 5.8% (article 2022-02-01)',
    ]);
    const text = renderReplyText({ kind: 'figures', result, ephemeral: false }).split('\n');
    const start = text.indexOf('Timeline of percentage, by date');
    expect(text.slice(start, start + 4)).toEqual([
      'Timeline of percentage, by date',
      `  2019        5.1% [${result.timeline?.points[0]?.figure.citation}] (reported 6 Nov 2023)`,
      `  Jan 2021    6.2% [${result.timeline?.points[1]?.figure.citation}] (reported 1 Feb 2021)`,
      `  1 Feb 2022  5.8% [${result.timeline?.points[2]?.figure.citation}]`,
    ]);
  });
});

describe('articles that disagree about a year', () => {
  it('says so for the year, not a day, when stories of different dates give that year different figures', async () => {
    const archive = await Archive.build([
      md('a', '2020-03-01', 'Unemployment in Norrland was 5.1% in 2019, the jobs office said.'),
      md('b', '2023-11-06', 'Unemployment in Norrland was 5.4% in 2019, the statistics bureau now says.'),
      md('c', '2022-02-01', 'Unemployment in Norrland fell to 5.8%, the jobs office said.'),
    ]);
    const result = figuresAbout(archive, 'unemployment in Norrland');
    const cite = (id: string): number | undefined => result.timeline?.points.find((p) => p.figure.articleId === id)?.figure.citation;
    expect(result.timeline?.disagreements.map((d) => [d.date, d.points.map((p) => p.figure.text)])).toEqual([
      ['2019-01-01', ['5.1%', '5.4%']],
    ]);
    const text = renderReplyText({ kind: 'figures', result, ephemeral: false });
    expect(text).toContain(`  In 2019 the articles disagree: 5.1% [${cite('a')}], 5.4% [${cite('b')}].\n`);
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

  it('places each figure at the time timeOf gives: one article may give a point for each time', () => {
    const figures = [
      figure('a', '12 deaths', 12, 'deaths'),
      figure('a', '7 deaths', 7, 'deaths'),
      figure('a', '9 deaths', 9, 'deaths'),
      figure('b', '15 deaths', 15, 'deaths'),
    ];
    // a's 7 deaths are of 2018; its 9 deaths, of its own date like its better-ranked 12 deaths, make no second point there.
    const timeOf = (f: Figure, articleDate: string): { date: string; when: string } =>
      f.text === '7 deaths' ? { date: '2018-01-01', when: '2018' } : { date: articleDate, when: articleDate };
    const timeline = figureTimeline(figures, dateOf, timeOf);
    expect(timeline?.points.map((p) => `${p.when} ${p.figure.text} (article ${p.articleDate})`)).toEqual([
      '2018 7 deaths (article 2020-01-01)',
      '2020-01-01 12 deaths (article 2020-01-01)',
      '2021-01-01 15 deaths (article 2021-01-01)',
    ]);
  });

  it('sees a disagreement only between figures of the same period: a year and a month of one first day do not disagree', () => {
    const figures = [
      figure('a', '5.1%', 5.1, '%', 'percent'),
      figure('b', '4.2%', 4.2, '%', 'percent'),
      figure('e', '5.4%', 5.4, '%', 'percent'),
    ];
    // a and e give 2019's rate, b January 2019's: all three fall on 2019-01-01.
    const timeOf = (f: Figure): { date: string; when: string } =>
      f.text === '4.2%' ? { date: '2019-01-01', when: 'Jan 2019' } : { date: '2019-01-01', when: '2019' };
    const timeline = figureTimeline(figures, dateOf, timeOf);
    expect(timeline?.disagreements.map((d) => d.points.map((p) => `${p.when} ${p.figure.text}`))).toEqual([['2019 5.1%', '2019 5.4%']]);
  });

  it('is null for a single dated article, or none', () => {
    expect(figureTimeline([figure('a', '1 ship', 1, 'ship'), figure('d', '2 ships', 2, 'ship')], dateOf)).toBeNull();
    expect(figureTimeline([], dateOf)).toBeNull();
  });
});
