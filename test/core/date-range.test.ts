import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { figuresAbout, searchArticles } from '../../src/core/browse.ts';
import { loadArticles } from '../../src/core/corpus.ts';
import { applyDateRange, parseDateBound } from '../../src/core/date-range.ts';
import { dateRangeFrom } from '../../src/date-options.ts';

const TODAY = new Date('2026-12-03T12:00:00Z');
let archive: Archive;

beforeAll(async () => {
  const loaded = await loadArticles('test/fixtures/dated-archive');
  expect(loaded.problems).toEqual([]);
  archive = await Archive.build(loaded.articles);
});

describe('parseDateBound', () => {
  it('reads years, months, days and words, a year or month standing for its first day', () => {
    expect(parseDateBound('2023', TODAY)).toBe('2023-01-01');
    expect(parseDateBound('2023-05', TODAY)).toBe('2023-05-01');
    expect(parseDateBound(' 2023-05-06 ', TODAY)).toBe('2023-05-06');
    expect(parseDateBound('May 2023', TODAY)).toBe('2023-05-01');
    expect(parseDateBound('6 Nov 2023', TODAY)).toBe('2023-11-06');
    expect(parseDateBound('yesterday', TODAY)).toBe('2026-12-02');
  });

  it('refuses what is not a date, or not only a date', () => {
    expect(parseDateBound('2023-02-30', TODAY)).toBeNull();
    expect(parseDateBound('soon', TODAY)).toBeNull();
    expect(parseDateBound('May 2023 floods', TODAY)).toBeNull();
    expect(() => dateRangeFrom({ after: 'soon' }, TODAY)).toThrow(
      'after: "soon" is not a date. Write 2023, 2023-05, 2023-05-06 or May 2023.',
    );
    expect(() => dateRangeFrom({ after: '2024', before: '2023' }, TODAY)).toThrow(
      'before: must be later than after: (2023-01-01 is not after 2024-01-01).',
    );
    expect(dateRangeFrom({ after: '2023', before: '' }, TODAY)).toEqual({ after: '2023-01-01', before: null });
  });
});

describe('applyDateRange', () => {
  it('keeps dated items in range in their order, and every undated one after them', () => {
    const items = [
      { id: 'u1', date: null },
      { id: '2022', date: '2022-12-31' },
      { id: '2023a', date: '2023-01-01' },
      { id: 'u2', date: null },
      { id: '2023b', date: '2023-12-31' },
      { id: '2024', date: '2024-01-01' },
    ];
    const ids = (range: { after: string | null; before: string | null }): string[] =>
      applyDateRange(items, (i) => i.date, range).map((i) => i.id);
    expect(ids({ after: '2023-01-01', before: '2024-01-01' })).toEqual(['2023a', '2023b', 'u1', 'u2']);
    expect(ids({ after: null, before: null })).toEqual(['u1', '2022', '2023a', 'u2', '2023b', '2024']);
    expect(ids({ after: '2030-01-01', before: null })).toEqual(['u1', 'u2']);
  });
});

describe('/search and /figures over a date range', () => {
  it('searches only the articles of the range, undated ones last', () => {
    const all = searchArticles(archive, 'Port Lindqvist container backlog');
    expect(all).toHaveLength(7);
    const in2024 = searchArticles(archive, 'Port Lindqvist container backlog', 10, { after: '2024-01-01', before: '2025-01-01' });
    expect(in2024.map((h) => h.date).sort()).toEqual(['2024-04-08', '2024-11-18', null].sort());
    expect(in2024.at(-1)?.articleId).toBe('history-of-the-port');
    expect(searchArticles(archive, 'Port Lindqvist container backlog', 2, { after: '2024-01-01', before: null })).toHaveLength(2);
  });

  it('lists only the figures of articles in the range, undated ones last', () => {
    const result = figuresAbout(archive, 'container backlog at Port Lindqvist', 10, { after: '2023-06-01', before: '2024-01-01' });
    const dates = new Map(result.citations.map((c) => [c.n, c.date]));
    const figureDates = result.figures.map((f) => dates.get(f.citation) ?? null);
    expect(new Set(figureDates)).toEqual(new Set(['2023-06-12', '2023-11-20', null]));
    expect(figureDates.indexOf(null)).toBeGreaterThan(figureDates.lastIndexOf('2023-11-20'));
    expect(result.figures.map((f) => f.text)).toContain('2,400 containers');
    expect(result.figures.map((f) => f.text)).not.toContain('1,200 containers');
  });
});
