import { describe, expect, it } from 'vitest';
import { analyseQuestion, wantedKinds } from '../../src/core/question.ts';

describe('wantedKinds', () => {
  it.each([
    ['How many officials are accused?', ['count', 'score', 'quantity']],
    ['Over how many years is the pledge spread?', ['duration']],
    ['How much did Chinese banks lend?', ['money', 'quantity', 'percent', 'count']],
    ['How far did the Nikkei drop on Monday?', ['percent', 'money', 'quantity']],
    ['What percentage of women have degrees?', ['percent', 'quantity']],
    ['How old is Jeffrey Royer?', ['age']],
    ['What was the score in the final?', ['score', 'count']],
    ['What year did Reagan bring in the ban?', ['year', 'date']],
    ['When does the last episode air?', ['date', 'year']],
    ['How long did Sears get in jail?', ['duration', 'quantity']],
    ['How long was the race?', ['quantity', 'duration']],
    ['What did Goldman Sachs value the unit at?', ['money']],
    ['Who replaced Herbert Demel?', []],
  ])('%s → %j', (question, kinds) => {
    expect(wantedKinds(question)).toEqual(kinds);
  });

  it('lets the first wh-word decide, not a later "when"', () => {
    expect(wantedKinds('Which song was topping the chart when downloads started counting?')).toEqual([]);
  });
});

describe('analyseQuestion', () => {
  it('drops framing words and keeps stemmed content terms', () => {
    const analysis = analyseQuestion('How many people have died in the Syrian war?');
    expect(analysis.type).toBe('figure');
    expect(analysis.terms.map((t) => t.term)).toEqual(['peopl', 'di', 'syrian', 'war']);
  });

  it('makes numbers and the last word of each name essential', () => {
    const essentials = (q: string): string[] => analyseQuestion(q).terms.filter((t) => t.essential).map((t) => t.word);
    expect(essentials('Michael Howard said Turkey in the EU would act as what kind of link?')).toEqual(['Howard', 'Turkey', 'EU']);
    expect(essentials('What share of the vote did Barack Obama get in the 2008 US election?')).toEqual(['Obama', '2008', 'US']);
    expect(essentials('How much did the first Apple iPhone cost?')).toEqual(['iPhone']);
  });

  it('names the question type from its wh-word', () => {
    expect(analyseQuestion('Who took the award?').type).toBe('who');
    expect(analyseQuestion('where is the plant?').type).toBe('where');
    expect(analyseQuestion('Which magazine named him?').type).toBe('which');
  });
});
