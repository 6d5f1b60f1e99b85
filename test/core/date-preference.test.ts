import { beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/core/answer.ts';
import { parseArticle } from '../../src/core/articles.ts';
import { Archive } from '../../src/core/archive.ts';
import { loadArticles } from '../../src/core/corpus.ts';
import { dateIntent } from '../../src/core/date-intent.ts';
import { answerWithDates, rangeWords } from '../../src/core/date-preference.ts';
import type { Answer } from '../../src/core/types.ts';

/** A fixed "today", passed in: the core never reads the clock. */
const TODAY = new Date('2024-11-25T12:00:00Z');
let archive: Archive;

beforeAll(async () => {
  const loaded = await loadArticles('test/fixtures/dated-archive');
  expect(loaded.problems).toEqual([]);
  archive = await Archive.build(loaded.articles);
});

describe('dateIntent', () => {
  const intent = (q: string): unknown => {
    const found = dateIntent(q, TODAY);
    return found === null ? null : { recent: found.recent, range: found.range, words: found.words, rest: found.rest };
  };

  it('reads "latest", "most recent", "now" and "currently" as asking for the newest, and takes them out of the question', () => {
    expect(intent('What is the latest backlog at Port Lindqvist?')).toEqual({
      recent: true,
      range: null,
      words: ['latest'],
      rest: 'What is the backlog at Port Lindqvist?',
    });
    expect(intent('What is the most recent figure?')).toMatchObject({ recent: true, words: ['most recent'], rest: 'What is the figure?' });
    expect(intent('How many containers wait there now?')).toMatchObject({ recent: true, rest: 'How many containers wait there?' });
    expect(intent('Is the port currently closed?')).toMatchObject({ recent: true, rest: 'Is the port closed?' });
  });

  it('reads years, months, weeks and words relative to today as ranges', () => {
    const range = (q: string): unknown => dateIntent(q, TODAY)?.range;
    expect(range('What was the backlog in 2023?')).toEqual({ after: '2023-01-01', before: '2024-01-01' });
    expect(range('What was the backlog this year?')).toEqual({ after: '2024-01-01', before: '2025-01-01' });
    expect(range('What was the backlog last year?')).toEqual({ after: '2023-01-01', before: '2024-01-01' });
    // Today is Monday 25 Nov 2024: last week is Monday 18 to Sunday 24 November.
    expect(range('What was the backlog last week?')).toEqual({ after: '2024-11-18', before: '2024-11-25' });
    expect(range('What was the backlog last month?')).toEqual({ after: '2024-10-01', before: '2024-11-01' });
    expect(range('What was the backlog in May 2023?')).toEqual({ after: '2023-05-01', before: '2023-06-01' });
    // A month without a year is the latest one up to today.
    expect(range('What was the backlog in December?')).toEqual({ after: '2023-12-01', before: '2024-01-01' });
    expect(range('What happened at the port on Tuesday?')).toEqual({ after: '2024-11-19', before: '2024-11-20' });
    // A day without a year is the latest one up to today too (chrono reads it as the next one).
    expect(range('What happened at the port on May 5?')).toEqual({ after: '2024-05-05', before: '2024-05-06' });
    expect(range('What happened at the port yesterday?')).toEqual({ after: '2024-11-24', before: '2024-11-25' });
    expect(dateIntent('What happened at the port today?', TODAY)).toMatchObject({ recent: true, range: null, words: ['today'] });
    expect(range('What has the backlog been since 2023?')).toEqual({ after: '2023-01-01', before: null });
    expect(range('What was the backlog before 2024?')).toEqual({ after: null, before: '2024-01-01' });
    expect(dateIntent('What was the container backlog at Port Lindqvist in 2019?', TODAY)?.rest).toBe(
      'What was the container backlog at Port Lindqvist?',
    );
  });

  it('reads lower-case month names: the ambiguous "may" and "march" only beside a year or an ordinal day', () => {
    expect(intent('What was unemployment in march 2023?')).toEqual({
      recent: false,
      range: { after: '2023-03-01', before: '2023-04-01' },
      words: ['in march 2023'],
      rest: 'What was unemployment?',
    });
    expect(dateIntent('What was the backlog in june?', TODAY)?.range).toEqual({ after: '2024-06-01', before: '2024-07-01' });
    expect(dateIntent('What happened at the port on tuesday?', TODAY)?.range).toEqual({ after: '2024-11-19', before: '2024-11-20' });
    expect(dateIntent('What happened at the port on may 5th?', TODAY)?.range).toEqual({ after: '2024-05-05', before: '2024-05-06' });
    // "may" and "march" as the verbs they also are.
    expect(dateIntent('Which ships may 2 berths hold at Port Lindqvist?', TODAY)).toBeNull();
    expect(dateIntent('Did the dockers march 10 miles to the port?', TODAY)).toBeNull();
    expect(dateIntent('Which of the top 5 may close?', TODAY)).toBeNull();
    expect(dateIntent('What may change at the port?', TODAY)).toBeNull();
  });

  it('finds nothing in a question that says nothing about time', () => {
    expect(dateIntent('How many containers were waiting at Port Lindqvist?', TODAY)).toBeNull();
    expect(dateIntent('Who won the 2,400 metre race?', TODAY)).toBeNull();
  });

  it('leaves "current" before a noun and a programme called Today in the question: they are what the articles say', () => {
    expect(dateIntent('What is the current account deficit?', TODAY)).toBeNull();
    expect(dateIntent('What did the minister say on the Today programme?', TODAY)).toBeNull();
    expect(dateIntent('Today, who leads the league?', TODAY)).toMatchObject({ recent: true, rest: ', who leads the league?' });
  });
});

/** `date: passage start` per passage, and the figures with their citations. */
const shape = (answer: Answer): { passages: string[]; figures: string[] } => ({
  passages: answer.passages.map((p) => `${p.date ?? 'undated'}: ${p.passage.text.slice(0, 48)}`),
  figures: answer.figures.map((f) => `${f.text} [${f.citation}]`),
});

describe('answerWithDates: the figure of the time asked', () => {
  it('lists first the figures whose sentence names that time, then the others, for "what was X in 2019"', async () => {
    const md = (id: string, date: string, body: string) => parseArticle(`${id}.md`, `---\ntitle: ${id}\ndate: ${date}\n---\n${body}`);
    const jobs = await Archive.build([
      md('jobs', '2023-11-06', 'Unemployment in Norrland was 6.3% in 2021, up from 5.1% in 2019, the jobs office said.'),
      md('update', '2024-02-01', 'Unemployment in Norrland fell to 5.8% last year, the jobs office said.'),
      md('branch', '2022-02-01', 'The jobs office in Norrland opened a new branch.'),
    ]);
    const figures = (q: string): string[] => answerWithDates(jobs, q, TODAY).figures.map((f) => `${f.text} [${f.citation}]`);
    expect(figures('What was unemployment in Norrland in 2019?')).toEqual(['5.1% [1]', '6.3% [1]']);
    expect(figures('What was unemployment in Norrland in 2021?')).toEqual(['6.3% [1]', '5.1% [1]']);
    // "Last year" in a story of February 2024 is 2023: before the 2023 story's figures of 2021 and 2019.
    expect(figures('What was unemployment in Norrland in 2023?')).toEqual(['5.8% [2]', '6.3% [1]', '5.1% [1]']);
  });
});

describe('answerWithDates over the dated fixture archive', () => {
  it('puts the newest relevant passages first for "latest"', () => {
    const answer = answerWithDates(archive, 'What is the latest container backlog at Port Lindqvist?', TODAY);
    expect(answer.question).toBe('What is the latest container backlog at Port Lindqvist?');
    expect(shape(answer)).toEqual({
      passages: [
        '2024-11-18: The container backlog at Port Lindqvist stood at',
        '2024-04-08: Two new cranes helped cut the container backlog ',
        '2023-11-20: The container backlog at Port Lindqvist rose to ',
      ],
      figures: ['150 containers [1]'],
    });
    // Undated passages come after the relevant dated ones, never dropped.
    const dates = answerWithDates(archive, 'What is the latest container backlog at Port Lindqvist?', TODAY, { top: 10 }).passages.map(
      (p) => p.date,
    );
    expect(dates).toEqual([
      '2024-11-18',
      '2024-04-08',
      '2023-11-20',
      '2023-11-20',
      '2023-06-12',
      '2023-01-09',
      null,
      null,
      '2023-01-09',
      '2023-11-20',
    ]);
  });

  it('says what the date words did', () => {
    const note = (q: string): string | undefined => answerWithDates(archive, q, TODAY).dateNote;
    expect(note('What is the latest container backlog at Port Lindqvist?')).toBe('Newest articles first, then undated ones.');
    expect(note('What was the container backlog at Port Lindqvist in 2023?')).toBe(
      'Only articles dated 2023 or that speak of that time, then undated ones.',
    );
    expect(note('What was the latest container backlog at Port Lindqvist in 2024?')).toBe(
      'Only articles dated 2024 or that speak of that time, newest first, then undated ones.',
    );
    expect(note('What was the container backlog at Port Lindqvist last week?')).toBe(
      'Only articles dated 18 Nov 2024 to 24 Nov 2024 or that speak of that time, then undated ones.',
    );
    expect(note('What was the container backlog at Port Lindqvist?')).toBeUndefined();
  });

  it('keeps to the year asked for, and picks a figure of that time', () => {
    expect(shape(answerWithDates(archive, 'What was the container backlog at Port Lindqvist in 2023?', TODAY)).passages).toEqual([
      '2023-11-20: The container backlog at Port Lindqvist rose to ',
      '2023-06-12: The container backlog at Port Lindqvist fell to ',
      '2023-01-09: The harbour authority said 1,200 containers were',
    ]);
    expect(shape(answerWithDates(archive, 'What was the container backlog at Port Lindqvist this year?', TODAY))).toEqual({
      passages: [
        '2024-11-18: The container backlog at Port Lindqvist stood at',
        '2024-04-08: Two new cranes helped cut the container backlog ',
        '2024-11-18: Shipping lines said waiting times were the short',
      ],
      figures: ['150 containers [1]'],
    });
  });

  it('reads "last week" against today, and a month against the dates the passages speak of', () => {
    expect(shape(answerWithDates(archive, 'What was the container backlog at Port Lindqvist last week?', TODAY)).passages[0]).toBe(
      '2024-11-18: The container backlog at Port Lindqvist stood at',
    );
    // The story of 12 Jun 2023 says the backlog fell to 800 "in May": that is May 2023.
    expect(shape(answerWithDates(archive, 'What was the container backlog at Port Lindqvist in May 2023?', TODAY))).toEqual({
      passages: [
        '2023-06-12: The container backlog at Port Lindqvist fell to ',
        '2023-06-12: Crews worked extra shifts last month to move box',
        'undated: The container backlog at Port Lindqvist has alwa',
      ],
      figures: ['800 containers [1]', 'in May [1]'],
    });
  });

  it('never drops undated articles: they come after the dated ones, and answer a year no dated article is from', () => {
    const in1971 = answerWithDates(archive, 'How many containers did the quay at Port Lindqvist hold in 1971?', TODAY);
    expect(in1971.answer).toBe('40 containers');
    expect(shape(in1971).passages[0]).toBe('undated: Port Lindqvist handled its first container ship ');
    const in2019 = answerWithDates(archive, 'What was the container backlog at Port Lindqvist in 2019?', TODAY);
    expect(in2019.passages.map((p) => p.date)).toEqual([null, null]);
  });

  it('answers a question without date words exactly as answerQuestion does', () => {
    const question = 'What was the container backlog at Port Lindqvist?';
    expect(answerWithDates(archive, question, TODAY)).toEqual(answerQuestion(archive, question));
  });
});

describe('when no article of the dates asked for answers', () => {
  it('declines, says which dates, and lists the closest articles of other dates', () => {
    const answer = answerWithDates(archive, 'How much did the new cranes cost in 2022?', TODAY);
    expect(answer.answered).toBe(false);
    expect(answer.reason).toBe('No article dated 2022 answers this, and no undated one does; the closest articles are from other dates.');
    expect(answer.closest.map((c) => c.date)).toContain('2024-04-08');
  });

  it('names the dates as people write them', () => {
    expect(rangeWords({ after: '2022-01-01', before: '2023-01-01' })).toBe('dated 2022');
    expect(rangeWords({ after: '2023-05-01', before: '2023-06-01' })).toBe('dated May 2023');
    expect(rangeWords({ after: '2024-11-18', before: '2024-11-25' })).toBe('dated 18 Nov 2024 to 24 Nov 2024');
    expect(rangeWords({ after: '2024-11-24', before: '2024-11-25' })).toBe('dated 24 Nov 2024');
    expect(rangeWords({ after: '2023-01-01', before: null })).toBe('dated from 1 Jan 2023 on');
    expect(rangeWords({ after: null, before: '2024-01-01' })).toBe('dated before 1 Jan 2024');
  });
});
