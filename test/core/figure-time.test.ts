import { describe, expect, it } from 'vitest';
import { figureTime } from '../../src/core/figure-time.ts';
import { extractFigures } from '../../src/core/figures/index.ts';

/** Where each figure of `kind` in `text` goes on a timeline, against an article of `articleDate`: `figure → when (date)`. */
const placed = (text: string, articleDate: string, kind = 'percent'): string[] => {
  const figures = extractFigures(text);
  return figures
    .filter((f) => f.kind === kind)
    .map((f) => {
      const time = figureTime({ ...f, sentence: sentenceOf(text, f.start) }, { text, figures }, articleDate);
      return `${f.text} → ${time.when} (${time.date})`;
    });
};

/** The sentence of `text` holding `offset` (the test texts end their sentences with '. '). */
const sentenceOf = (text: string, offset: number): string => {
  const before = text.lastIndexOf('. ', offset);
  const start = before < 0 ? 0 : before + 2;
  const end = text.indexOf('. ', offset);
  return text.slice(start, end < 0 ? text.length : end + 1);
};

describe('figureTime', () => {
  const ARTICLE = '2023-11-06';

  it('places a figure at the year or month its sentence names, not at the article’s date', () => {
    expect(placed('Unemployment was 5.1% in 2019, the office said.', ARTICLE)).toEqual(['5.1% → 2019 (2019-01-01)']);
    expect(placed('Inflation reached 9% in March 2022.', ARTICLE)).toEqual(['9% → Mar 2022 (2022-03-01)']);
    // Relative months and years, resolved against the article's date.
    expect(placed('The backlog fell to 800 containers in May.', '2023-06-12', 'count')).toEqual(['800 containers → May 2023 (2023-05-01)']);
    expect(placed('Turnout was 61% last year.', ARTICLE)).toEqual(['61% → 2022 (2022-01-01)']);
  });

  it('takes the time nearest each figure when the sentence names several', () => {
    expect(placed('Unemployment was 5.1% in 2019, against 4% in March 2018 and 6% in 2017.', ARTICLE)).toEqual([
      '5.1% → 2019 (2019-01-01)',
      '4% → Mar 2018 (2018-03-01)',
      '6% → 2017 (2017-01-01)',
    ]);
    // Another sentence's year is not this figure's.
    expect(placed('Rates peaked in 2019. Unemployment is 5.1%, the office said.', ARTICLE)).toEqual(['5.1% → 6 Nov 2023 (2023-11-06)']);
  });

  it('takes a period only when it is tied to the figure: close to it, not a starting point or bound, and not after the article', () => {
    expect(placed('In 2019, unemployment was 5.1%, the office said.', ARTICLE)).toEqual(['5.1% → 2019 (2019-01-01)']);
    // Another clause's year, a year counted from, and a forecast stay at the article's date.
    expect(placed('Founded in 1998, Norrland Mining now employs 5,200 workers.', '2023-03-01', 'count')).toEqual([
      '5,200 workers → 1 Mar 2023 (2023-03-01)',
    ]);
    expect(placed('The mine employs 4,900 workers at its pits, up since 2015.', '2022-05-01', 'count')).toEqual([
      '4,900 workers → 1 May 2022 (2022-05-01)',
    ]);
    expect(placed('Unemployment is expected to reach 9.9% in 2026.', ARTICLE)).toEqual(['9.9% → 6 Nov 2023 (2023-11-06)']);
  });

  it('keeps the article’s date when the sentence names none, a period holding it, or only a day or a week', () => {
    expect(placed('Unemployment is 5.1%, the office said.', ARTICLE)).toEqual(['5.1% → 6 Nov 2023 (2023-11-06)']);
    expect(placed('Unemployment rose to 5.1% this year.', ARTICLE)).toEqual(['5.1% → 6 Nov 2023 (2023-11-06)']);
    expect(placed('Unemployment was 5.1% in November.', ARTICLE)).toEqual(['5.1% → 6 Nov 2023 (2023-11-06)']);
    expect(placed('The backlog rose to 2,400 containers after Tuesday’s storm.', ARTICLE, 'count')).toEqual([
      '2,400 containers → 6 Nov 2023 (2023-11-06)',
    ]);
    expect(placed('The backlog stood at 150 containers last week.', ARTICLE, 'count')).toEqual([
      '150 containers → 6 Nov 2023 (2023-11-06)',
    ]);
    expect(placed('The toll reached 300 people on 3 March 2021.', ARTICLE, 'count')).toEqual(['300 people → 6 Nov 2023 (2023-11-06)']);
  });
});
