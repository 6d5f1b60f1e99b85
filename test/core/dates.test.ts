import { describe, expect, it } from 'vitest';
import { humanDate, resolveRelativeDates } from '../../src/core/dates.ts';

/** Each relative date of a sentence as `words → meaning`, against an article of that date. */
const resolve = (text: string, articleDate: string | null): string[] =>
  resolveRelativeDates(text, articleDate).map((d) => `${text.slice(d.start, d.end)} → ${d.resolved}`);

describe('humanDate', () => {
  it('writes YYYY-MM-DD as people do, and leaves anything else as written', () => {
    expect(humanDate('2023-11-06')).toBe('6 Nov 2023');
    expect(humanDate('2024-02-29')).toBe('29 Feb 2024');
    expect(humanDate('2023-02-30')).toBe('2023-02-30');
    expect(humanDate('Nov 2023')).toBe('Nov 2023');
  });
});

describe('resolveRelativeDates', () => {
  // A Monday.
  const MONDAY = '2023-11-06';

  it('resolves months, weekdays and relative words against the article date', () => {
    expect(resolve('Assad attended the Arab League summit in May.', MONDAY)).toEqual(['May → May 2023']);
    expect(resolve('Prices rose 4% last month.', MONDAY)).toEqual(['last month → Oct 2023']);
    expect(resolve('The talks broke down on Tuesday.', MONDAY)).toEqual(['on Tuesday → 31 Oct 2023']);
    expect(resolve('Exports have fallen this year.', MONDAY)).toEqual(['this year → 2023']);
    expect(resolve('Talks stalled last week.', MONDAY)).toEqual(['last week → week of 30 Oct 2023']);
    expect(resolve('It rained yesterday and today.', MONDAY)).toEqual(['yesterday → 5 Nov 2023', 'today → 6 Nov 2023']);
    expect(resolve('The deal signed on 3 March held.', MONDAY)).toEqual(['on 3 March → 3 Mar 2023']);
    expect(resolve('Two weeks ago the port shut.', MONDAY)).toEqual(['Two weeks ago → week of 23 Oct 2023']);
    expect(resolve('Officials will meet again next month.', MONDAY)).toEqual(['next month → Dec 2023']);
    expect(resolve('Earlier this month, 12 people died.', MONDAY)).toEqual(['this month → Nov 2023']);
    expect(resolve('Last year the toll was 300.', '2024-01-15')).toEqual(['Last year → 2023']);
  });

  it('takes a month or weekday without a year as the latest one on or before the article', () => {
    // May 2024 is as close to November 2023 as May 2023, but the news reports what happened.
    expect(resolve('in May', MONDAY)).toEqual(['May → May 2023']);
    expect(resolve('in December', MONDAY)).toEqual(['December → Dec 2022']);
    expect(resolve('in November', MONDAY)).toEqual(['November → Nov 2023']);
    expect(resolve('on Monday', MONDAY)).toEqual(['on Monday → 6 Nov 2023']);
    expect(resolve('on Sunday', MONDAY)).toEqual(['on Sunday → 5 Nov 2023']);
  });

  it('leaves out dates stated in full, clock times, spans, verbs and undated articles', () => {
    expect(resolve('It happened on 6 November 2023.', MONDAY)).toEqual([]);
    expect(resolve('The June 2022 floods.', MONDAY)).toEqual([]);
    expect(resolve('Since 2016 it has grown.', MONDAY)).toEqual([]);
    expect(resolve('4,312 containers were stranded at 5.', MONDAY)).toEqual([]);
    expect(resolve('In the past year, 30 died.', MONDAY)).toEqual([]);
    expect(resolve('Prices may rise; farmers march on the capital.', MONDAY)).toEqual([]);
    expect(resolve('half a million people', MONDAY)).toEqual([]);
    expect(resolve('Prices rose last month.', null)).toEqual([]);
  });
});

describe('resolveRelativeDates: lower case and capitals', () => {
  const MONDAY = '2023-11-06';

  it('reads lower-case month and weekday names, the ambiguous "may" and "march" only beside a year or an ordinal day', () => {
    expect(resolve('Exports fell in june.', MONDAY)).toEqual(['june → Jun 2023']);
    expect(resolve('The talks broke down on tuesday.', MONDAY)).toEqual(['on tuesday → 31 Oct 2023']);
    expect(resolve('Crews returned on may 5th to the quay.', MONDAY)).toEqual(['may 5th → 5 May 2023']);
    expect(resolve('The pier reopened on the 3rd of march.', MONDAY)).toEqual(['3rd of march → 3 Mar 2023']);
  });

  it('leaves "may" and "march" as verbs, beside a bare number too', () => {
    expect(resolve('Fares may 2 double, the union says.', MONDAY)).toEqual([]);
    expect(resolve('Thousands march 10 miles to the capital.', MONDAY)).toEqual([]);
    expect(resolve('The top 5 may change.', MONDAY)).toEqual([]);
    expect(resolve('Prices rose in may, traders said.', MONDAY)).toEqual([]);
  });

  it('reads a capitalised "Yesterday" opening a sentence, not one inside it (a name)', () => {
    expect(resolve('Yesterday, 12 people died.', MONDAY)).toEqual(['Yesterday → 5 Nov 2023']);
    expect(resolve('The port shut. Yesterday it reopened.', MONDAY)).toEqual(['Yesterday → 5 Nov 2023']);
    expect(resolve('The band played Yesterday at the gala.', MONDAY)).toEqual([]);
  });
});

describe('resolveRelativeDates: the words as written', () => {
  it('keeps only the date words, not the punctuation or number chrono reads after them', () => {
    expect(resolve('Assad joined the summit in May, marking a return.', '2023-11-06')).toEqual(['May → May 2023']);
    expect(resolve('Crews returned on May 5 to the quay.', '2023-11-06')).toEqual(['May 5 → 5 May 2023']);
  });
});
