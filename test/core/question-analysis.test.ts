import { describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/core/answer.ts';
import { Archive } from '../../src/core/archive.ts';
import { loadArticles } from '../../src/core/corpus.ts';
import {
  acronymOf,
  analyseQuestion,
  backgroundSpans,
  headNounOf,
  MAX_ANALYSED_LENGTH,
  MAX_QUERY_TERMS,
  MAX_TERM_LENGTH,
  nameKindOf,
  wantedKinds,
} from '../../src/core/question-analysis.ts';

describe('wantedKinds', () => {
  it.each([
    ['How many officials are accused?', ['count', 'score', 'quantity']],
    ['Over how many years is the pledge spread?', ['duration']],
    ['How many miles long is the new bridge?', ['quantity', 'count']],
    ['How much did Chinese banks lend?', ['money', 'quantity', 'percent', 'count']],
    ['How far did the Nikkei drop on Monday?', ['percent', 'money', 'quantity']],
    ['What percentage of women have degrees?', ['percent', 'quantity']],
    ['What % of voters backed the plan?', ['percent', 'quantity']],
    ['What% of the vote did he win?', ['percent', 'quantity']],
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

  it.each([
    // The head of the noun phrase decides, not its first word.
    ["What's the county's jobless rate in the latest figures?", ['percent', 'quantity', 'count']],
    ['What was the closing score?', ['score', 'count']],
    ['whats the score from the final', ['score', 'count']],
    ['What mortgage rate do strategists remember?', ['percent', 'quantity', 'count']],
    // A verb ends the phrase before its object: "paid" is not part of the firm.
    ['Which firm paid the highest price?', []],
    // A phrase too long to read as one has no head.
    ['What average regional building society profit share payout per member?', []],
    // Money words elsewhere do not make a name question a figure one.
    ['Which city in the north saw the food price protests?', []],
    ['How much more time will he need?', ['duration', 'quantity']],
  ])('reads the wanted noun phrase: %s → %j', (question, kinds) => {
    expect(wantedKinds(question)).toEqual(kinds);
  });

  it('reads the main question after an opening "when" clause', () => {
    expect(wantedKinds('When the band broke up, what did the drummer take?')).toEqual([]);
    expect(analyseQuestion('When the band broke up, what did the drummer take?').type).toBe('what');
    expect(wantedKinds('When did the firm, which makes cars, close?')).toEqual(['date', 'year']);
    expect(analyseQuestion('whats the name of the new ship').type).toBe('what');
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
    const essentials = (q: string): string[] =>
      analyseQuestion(q)
        .terms.filter((t) => t.essential)
        .map((t) => t.word);
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

describe('wantedKinds for decades and centuries', () => {
  it.each([['Since which decade have films been a major industry?'], ['What century did the Normans gain their identity?']])(
    '%s → a year',
    (question) => {
      expect(wantedKinds(question)).toEqual(['year', 'date']);
    },
  );
});

describe('acronymOf', () => {
  it('gives the initials of a name of three or more words', () => {
    expect(acronymOf('Islamic Human Rights Commission')).toBe('IHRC');
    expect(acronymOf('Open Society Institute')).toBe('OSI');
  });

  it('gives none for a two-word name, where initials would mostly match something else', () => {
    expect(acronymOf('Tony Blair')).toBeNull();
    expect(acronymOf('UK Film Council')).toBeNull();
  });

  it("lets the name's last term carry the acronym", () => {
    const terms = analyseQuestion('Who chairs the Islamic Human Rights Commission?').terms;
    expect(terms.find((t) => t.acronym !== undefined)).toMatchObject({ word: 'Commission', acronym: 'IHRC', essential: true });
  });
});

describe('backgroundSpans', () => {
  const background = (q: string): string[] => backgroundSpans(q).map((s) => q.slice(s.start, s.end));

  it.each([
    ["What was the UK's trade gap in November, the month non-EU exports jumped 7.5%?", ['the month non-EU exports jumped 7.5%']],
    ['According to the Economic Policy Institute, what year does the fund need cash?', ['According to the Economic Policy Institute']],
    ['Libya pulled its assets out of the US - what year did Reagan bring in the ban?', ['Libya pulled its assets out of the US']],
    ['How far did the Nikkei drop on that Monday when the weak dollar hit shares?', ['when the weak dollar hit shares']],
    ['How many tickets went for his first gig after he left Busted?', ['after he left Busted']],
    ['What prize did The Woodsman, the Kevin Bacon film, win at the festival?', ['the Kevin Bacon film']],
    ['Who chairs the commission that attacked Hazel Blears over stop and search?', ['that attacked Hazel Blears over stop and search']],
  ])('sets the scene in %j', (question, spans) => {
    expect(background(question)).toEqual(spans);
  });

  it.each([
    // The question proper only names a role: the relative clause says who.
    ['Who is the Brookside creator who wrote to Tessa Jowell offering to buy Channel 4?'],
    // "since 1999" and "after the break" are phrases of the question proper, not clauses.
    ['How much has Lord Sainsbury given Labour in total since 1999?'],
    ['How many goals did he score after the break?'],
    ['Yushchenko said what percentage of privatisations were done by the book?'],
  ])('leaves %j whole', (question) => {
    expect(background(question)).toEqual([]);
  });

  it('marks the scene-setting terms, but not those the question proper repeats', () => {
    const terms = analyseQuestion('What prize did The Woodsman, the Kevin Bacon film, win at the London Film Festival?').terms;
    expect(terms.filter((t) => t.background === true).map((t) => t.word)).toEqual(['Kevin', 'Bacon']);
  });
});

describe('nameKindOf', () => {
  it.each([
    ['Who replaced Herbert Demel?', 'person'],
    ['Where is the new V8 Vantage built?', 'place'],
    ['Which BMW board member admitted the idea?', 'person'],
    ['Which awards pundit said The Aviator should win?', 'person'],
    ['In what country is Normandy located?', 'place'],
    ['Which magazine named him businessman of the year?', 'thing'],
    ['Which US rival did WPP buy?', 'thing'],
    ['At which level of education is rugby growing?', null],
    ['What kind of arches does Norman architecture have?', null],
  ])('%s → %s', (question, kind) => {
    expect(nameKindOf(question)).toBe(kind);
  });

  it('marks the noun naming the sort of answer, and the role a person is described by', () => {
    const noun = (q: string): string[] =>
      analyseQuestion(q)
        .terms.filter((t) => t.answerNoun === true)
        .map((t) => t.word);
    const role = (q: string): string[] =>
      analyseQuestion(q)
        .terms.filter((t) => t.roleNoun === true)
        .map((t) => t.word);
    expect(noun('Which magazine named Iain Ferguson businessman of the year?')).toEqual(['magazine']);
    expect(role("Who's the RICS housing spokesman talking about the price drop?")).toEqual(['spokesman']);
    expect(role('Who is the Turkish economics minister behind the loan deal?')).toEqual(['minister']);
  });
});

describe('headNounOf', () => {
  it.each([
    ['What kind of arches does Norman architecture have?', 'arches'],
    ['What is the Norman architecture idiom?', 'idiom'],
    ['What culture did the Normans combine with in Ireland?', 'culture'],
    ['What entity owns the rail line?', null],
    ['What else were the Californios dissatisfied with?', null],
  ])('%s → %s', (question, noun) => {
    expect(headNounOf(question)).toBe(noun);
  });
});

describe('analyseQuestion: light verbs', () => {
  it('marks a verb that only frames the question, and no other word', () => {
    const terms = analyseQuestion('Which region of California is Palm Springs located in?').terms;
    expect(terms.filter((t) => t.light === true).map((t) => t.word)).toEqual(['located']);
    expect(analyseQuestion('Who founded the Norman dynasty?').terms.some((t) => t.light === true)).toBe(false);
  });
});

describe('analyseQuestion: caps on the work, whatever the input', () => {
  it('searches at most MAX_QUERY_TERMS terms, skips words no language has, and reads a bounded prefix', () => {
    const many = Array.from({ length: 5_000 }, (_, i) => `word${i.toString(36)}`).join(' ');
    expect(analyseQuestion(many).terms).toHaveLength(MAX_QUERY_TERMS);
    expect(analyseQuestion('x'.repeat(1_000_000)).terms).toEqual([]);
    expect(analyseQuestion(`${'a'.repeat(MAX_TERM_LENGTH + 1)} Syria`).terms.map((t) => t.term)).toEqual(['syria']);
    expect(analyseQuestion(`${' '.repeat(MAX_ANALYSED_LENGTH)}Syria`).text).toBe('');
  });

  it('answers a 1 MB word and a line of misspelt words without throwing', async () => {
    const archive = await Archive.build((await loadArticles('seeds')).articles);
    expect(answerQuestion(archive, 'x'.repeat(1_000_000)).answered).toBe(false);
    expect(answerQuestion(archive, 'a'.repeat(60_000)).answered).toBe(false);
    expect(answerQuestion(archive, 'turkyish presidnet accusd '.repeat(40_000)).question.length).toBeLessThanOrEqual(MAX_ANALYSED_LENGTH);
  });
});
