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
    ['How many nurses were suspended?', ['count', 'score', 'quantity']],
    ['Over how many years will the loan be repaid?', ['duration']],
    ['How many miles long is the new bridge?', ['quantity', 'count']],
    ['How much did Dutch pension funds lend?', ['money', 'quantity', 'percent', 'count']],
    ['How far did the Hang Seng fall on Friday?', ['percent', 'money', 'quantity']],
    ['What percentage of adults own a bicycle?', ['percent', 'quantity']],
    ['What % of voters backed the plan?', ['percent', 'quantity']],
    ['What% of the vote did he win?', ['percent', 'quantity']],
    ['How old is Marta Lindqvist?', ['age']],
    ['What score did the derby end on?', ['score', 'count']],
    ['What year did Truman bring in the draft?', ['year', 'date']],
    ['When does the last episode air?', ['date', 'year']],
    ['How long did Okafor spend in prison?', ['duration', 'quantity']],
    ['How long was the marathon route?', ['quantity', 'duration']],
    ['What did the bank value the brewery at?', ['money']],
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
    ['What average northern farming cooperative harvest bonus profit per worker?', []],
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
    expect(analyseQuestion('whats the name of that ferry').type).toBe('what');
  });

  it('reads the question after scene-setting words whose wh-word is a relative pronoun', () => {
    expect(wantedKinds('the singer whose band split up, how old was she when she died')).toEqual(['age']);
    expect(analyseQuestion('the firm whose shares fell - how much did profits go up').type).toBe('figure');
    expect(wantedKinds('the striker who left in june; when did he sign')).toEqual(['date', 'year']);
    expect(wantedKinds('the report on the new harbour wall plans where the council met, how much will it cost')[0]).toBe('money');
    // A wh-word that opens the question keeps it, whatever clauses follow.
    expect(wantedKinds('How old was the MP, the backbencher who stood against the leader, when he died?')).toEqual(['age']);
    expect(analyseQuestion('which club, which lost twice, sacked its manager?').type).toBe('which');
    // So does one after opening words and a comma, or a "how": a relative clause after it is no question.
    expect(wantedKinds('According to the club, how many fans came to the final, which was played in May?')[0]).toBe('count');
    expect(wantedKinds('Tell me, what did the firm pay for the site, which it sold in March?')).toEqual(['money']);
    expect(wantedKinds('In the end how many seats did the party win, which was its best result?')[0]).toBe('count');
    expect(wantedKinds('At what age did the singer die, which shocked her fans?')).toEqual(['age']);
    expect(wantedKinds('So what did the firm pay for the site, which it sold in March?')).toEqual(['money']);
    expect(wantedKinds('In which year did the club move, which the fans opposed?')).toEqual(['year', 'date']);
  });

  it('lets the first wh-word decide, not a later "when"', () => {
    expect(wantedKinds('Which film was heading the box office when the strike began?')).toEqual([]);
  });
});

describe('analyseQuestion', () => {
  it('drops framing words and keeps stemmed content terms', () => {
    const analysis = analyseQuestion('What death toll has the Syrian war reached?');
    expect(analysis.type).toBe('figure');
    expect(analysis.terms.map((t) => t.term)).toEqual(['death', 'toll', 'syrian', 'war', 'reach']);
  });

  it('makes numbers and the last word of each name essential', () => {
    const essentials = (q: string): string[] =>
      analyseQuestion(q)
        .terms.filter((t) => t.essential)
        .map((t) => t.word);
    expect(essentials('Gordon Brown said Poland in the EU could serve as what kind of bridge?')).toEqual(['Brown', 'Poland', 'EU']);
    expect(essentials('What share of the seats did Jacinda Ardern get in the 2017 NZ election?')).toEqual(['Ardern', '2017', 'NZ']);
    expect(essentials('What did the original Sony Walkman sell for?')).toEqual(['Walkman']);
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
    expect(acronymOf('Northern Housing Rights Forum')).toBe('NHRF');
    expect(acronymOf('Open Society Institute')).toBe('OSI');
  });

  it('gives none for a two-word name, where initials would mostly match something else', () => {
    expect(acronymOf('Tony Blair')).toBeNull();
    expect(acronymOf('UK Film Council')).toBeNull();
  });

  it("lets the name's last term carry the acronym", () => {
    const terms = analyseQuestion('Who chairs the Scottish Coastal Fisheries Board?').terms;
    expect(terms.find((t) => t.acronym !== undefined)).toMatchObject({ word: 'Board', acronym: 'SCFB', essential: true });
  });
});

describe('backgroundSpans', () => {
  const background = (q: string): string[] => backgroundSpans(q).map((s) => q.slice(s.start, s.end));

  it.each([
    ["What was France's budget gap in March, the month farm imports fell 3.2%?", ['the month farm imports fell 3.2%']],
    ['According to the Northern Housing Trust, what year does the scheme run dry?', ['According to the Northern Housing Trust']],
    ['Cuba moved its ships out of the Gulf - what year did Kennedy impose the embargo?', ['Cuba moved its ships out of the Gulf']],
    ['How far did the Dax fall on that Friday when the strong euro hit exporters?', ['when the strong euro hit exporters']],
    ['How many records did she sell in her first year after she quit Glitterbox?', ['after she quit Glitterbox']],
    ['What prize did The Lantern Keeper, the Nora Finch film, win at the festival?', ['the Nora Finch film']],
    ['Who runs the charity that criticised Ed Milner over housing benefit?', ['that criticised Ed Milner over housing benefit']],
  ])('sets the scene in %j', (question, spans) => {
    expect(background(question)).toEqual(spans);
  });

  it.each([
    // The question proper only names a role: the relative clause says who.
    ['Who is the Harbourside creator who wrote to Clara Voss offering to buy Channel 9?'],
    // "since 2004" and "after the break" are phrases of the question proper, not clauses.
    ['How much has Lord Ashworth given the Tories in total since 2004?'],
    ['How many goals did he score after the break?'],
    ['Kovalenko said what percentage of tenders were run by the rules?'],
  ])('leaves %j whole', (question) => {
    expect(background(question)).toEqual([]);
  });

  it('marks the scene-setting terms, but not those the question proper repeats', () => {
    const terms = analyseQuestion('What prize did The Lantern Keeper, the Nora Finch film, win at the Dublin Film Festival?').terms;
    expect(terms.filter((t) => t.background === true).map((t) => t.word)).toEqual(['Nora', 'Finch']);
  });
});

describe('nameKindOf', () => {
  it.each([
    ['Who replaced Herbert Demel?', 'person'],
    ['Where is the new Rover 75 estate built?', 'place'],
    ['Which Volvo board member admitted the plan?', 'person'],
    ['Which awards pundit said The Aviator should win?', 'person'],
    ['In what country is Bavaria located?', 'place'],
    ['Which magazine named him businessman of the year?', 'thing'],
    ['Which French rival did Publicis buy?', 'thing'],
    ['At which level of schooling is hockey growing?', null],
    ['What kind of windows does Gothic architecture have?', null],
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
    expect(role("Who's the CBI property spokesman commenting on the rent rise?")).toEqual(['spokesman']);
    expect(role('Who is the Greek finance minister behind the bond deal?')).toEqual(['minister']);
  });
});

describe('headNounOf', () => {
  it.each([
    ['What kind of windows does Gothic architecture have?', 'windows'],
    ['What is the Baroque painting idiom?', 'idiom'],
    ['What culture did the Saxons combine with in Wales?', 'culture'],
    ['What entity owns the rail line?', null],
    ['What else were the Tyroleans dissatisfied with?', null],
  ])('%s → %s', (question, noun) => {
    expect(headNounOf(question)).toBe(noun);
  });
});

describe('analyseQuestion: light verbs', () => {
  it('marks a verb that only frames the question, and no other word', () => {
    const terms = analyseQuestion('Which region of Spain is Marbella located in?').terms;
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
