import { beforeAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/core/articles.ts';
import { Archive } from '../../src/core/archive.ts';
import { answerQuestion } from '../../src/core/answer.ts';
import { showingEveryAnswer } from '../../src/core/answer-confidence.ts';
import { loadArticles } from '../../src/core/corpus.ts';

let seeds: Archive;
/** The direct-answer gate open: these tests check which answer extraction picks; the gate has tests of its own. */
const extraction = { models: showingEveryAnswer() };

beforeAll(async () => {
  seeds = await Archive.build((await loadArticles('seeds')).articles);
});

describe('answerQuestion over the seed article', () => {
  it('leads with the passage and the figure for the death toll of Syria’s war', () => {
    const answer = answerQuestion(seeds, 'What death toll has the Syrian war reached?', extraction);
    expect(answer.answered).toBe(true);
    expect(answer.answer).toBe('half a million people');
    expect(answer.passages[0]?.passage.paragraph).toBe(7);
    expect(answer.passages[0]?.passage.text).toContain('the death of half a million people');
    expect(answer.figures[0]).toMatchObject({ text: 'half a million people', kind: 'count', value: 500000, citation: 1 });
    expect(answer.citations).toEqual([
      {
        n: 1,
        articleId: '000_ebfcda1f30342ff9',
        title: 'Syrian President Bashar Assad has accused Turkey of being responsible for the recent surge in…',
        date: '2023-11-06',
        url: null,
        source: null,
      },
    ]);
  });

  it('answers a "when" question with a date', () => {
    const answer = answerQuestion(seeds, 'When was Assad at the Arab League summit?');
    expect(answer.answer).toBe('in May');
    expect(answer.passages[0]?.passage.paragraph).toBe(4);
  });

  it('answers a "since what year" question with the year, not a count', () => {
    expect(answerQuestion(seeds, 'Since what year has the Turkish army made incursions into Syria?', extraction).answer).toBe('2016');
  });

  it('highlights the question’s terms in each passage', () => {
    const answer = answerQuestion(seeds, 'Who is blamed by Assad for the drug trade?');
    const top = answer.passages[0];
    expect(top?.passage.paragraph).toBe(5);
    const words = top?.highlights.map((h) => top.passage.text.slice(h.start, h.end));
    expect(words).toEqual(['Assad', 'drug', 'trade', 'blame', 'drug']);
  });

  it('matches a misspelt word fuzzily and an unfinished last word as a prefix', () => {
    const words = (question: string): string[] => {
      const top = answerQuestion(seeds, question).passages[0];
      return top ? top.highlights.map((h) => top.passage.text.slice(h.start, h.end)) : [];
    };
    expect(words('When was Assad at the Arab League sumit?')).toContain('summit');
    expect(words('When was Assad at the Arab Leag')).toContain('League');
    expect(words('Why should Assad meet Erdgan?')).toContain('Erdogan');
    expect(answerQuestion(seeds, 'When was Assad at the Arab League sumit?').answer).toBe('in May');
  });

  it('pages through passages with offset, and says when more remain', () => {
    const first = answerQuestion(seeds, 'Assad Syria', { top: 2 });
    const second = answerQuestion(seeds, 'Assad Syria', { top: 2, offset: 2 });
    expect(first.morePassages).toBe(true);
    expect(second.passages.map((p) => p.rank)).toEqual([3, 4]);
    expect(second.passages[0]?.passage.id).not.toBe(first.passages[0]?.passage.id);
  });
});

describe('answerQuestion when the articles do not answer', () => {
  it('declines an off-topic question and says why', () => {
    const answer = answerQuestion(seeds, 'What is the official language of Peru?');
    expect(answer).toMatchObject({ answered: false, answer: null, passages: [], figures: [] });
    expect(answer.reason).toBe('The articles don\'t mention "official", "language" and "Peru".');
  });

  it('declines a question whose name or number no article has, and lists the closest articles', () => {
    const answer = answerQuestion(seeds, 'Which team lifted the 2026 Davis Cup in Syria?');
    expect(answer.answered).toBe(false);
    expect(answer.reason).toBe('The articles don\'t mention "2026" and "Davis Cup".');
  });

  it('lists the closest articles when an article shares some of the question', () => {
    const answer = answerQuestion(seeds, 'How much has Assad put into rebuilding Aleppo?');
    expect(answer.answered).toBe(false);
    expect(answer.closest.map((a) => a.articleId)).toEqual(['000_ebfcda1f30342ff9']);
  });

  it('declines an empty question', () => {
    expect(answerQuestion(seeds, '  ?? ').reason).toBe('The question has no words to search for.');
  });
});

describe('ranking across articles', () => {
  const article = (id: string, title: string, ...paragraphs: string[]) =>
    parseArticle(`${id}.txt`, `${title}\n\n${paragraphs.join('\n\n')}`);

  it('lifts the passages of the article the question names, and prefers a figure of the wanted kind', async () => {
    const archive = await Archive.build([
      article(
        'a',
        'Rovers sign striker',
        'Rovers have signed a striker from United.',
        'The fee was £3m, the club said.',
        'Fans were delighted.',
      ),
      article('b', 'United profits fall', 'United said profits fell.', 'The club paid a fee to its lawyers.'),
    ]);
    const answer = answerQuestion(archive, 'How much was the fee Rovers paid for the striker?', extraction);
    expect(answer.passages[0]?.passage.id).toBe('a#2.0');
    expect(answer.answer).toBe('£3m');
  });

  it('never returns a figure the question itself states as the answer', async () => {
    const archive = await Archive.build([
      article('a', 'Exports jump', 'Exports jumped 7.5% in November, and the trade gap narrowed to £3.1bn.'),
    ]);
    expect(answerQuestion(archive, 'What was the trade gap in November, when exports jumped 7.5%?', extraction).answer).toBe('£3.1bn');
  });

  it("leaves the question's own figures out of the figures, and leads them with the one it answers with", async () => {
    const archive = await Archive.build([
      article(
        'a',
        'Telegraph axes jobs',
        'The Telegraph is cutting 90 jobs.',
        'The two Telegraph titles, which face 90 job cuts, currently employ 521 journalists.',
      ),
    ]);
    const answer = answerQuestion(archive, 'How many journalists do the two Telegraph titles employ?', extraction);
    expect(answer.answer).toBe('521 journalists');
    expect(answer.figures[0]?.text).toBe('521 journalists');
    expect(answer.figures.map((f) => f.text)).not.toContain('two Telegraph titles');
  });

  it("answers a question that asks for a person with the name beside the question's terms", async () => {
    const archive = await Archive.build([
      article(
        'a',
        'Volvo names new boss',
        'Volvo has named a new head of its truck unit.',
        'Lars Ekdahl replaced Henrik Stolt as head of Volvo Trucks on Monday, the firm said.',
      ),
    ]);
    const answer = answerQuestion(archive, 'Who did Lars Ekdahl replace as head of Volvo Trucks?');
    expect(answer.passages[0]?.passage.paragraph).toBe(2);
    expect(answer.answer).toBe('Henrik Stolt');
  });
});
