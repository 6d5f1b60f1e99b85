import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/core/articles.ts';
import { Archive } from '../../src/core/archive.ts';
import { answerQuestion } from '../../src/core/answer.ts';
import { analyseQuestion } from '../../src/core/question.ts';
import { rankPassages, resolveQuery } from '../../src/core/rank.ts';

const article = (id: string, title: string, ...paragraphs: string[]) => parseArticle(`${id}.txt`, `${title}\n\n${paragraphs.join('\n\n')}`);
const build = (...articles: ReturnType<typeof article>[]): Promise<Archive> => Archive.build(articles);

describe('rankPassages: the answer beside the question', () => {
  it('puts a passage holding a figure of the wanted kind beside the question\'s terms above one that only repeats the story', async () => {
    const archive = await build(
      article('a', 'Sainsbury gives Labour £2m', 'Science minister Lord Sainsbury has made a £2m donation to the Labour Party for its election fund.', 'It is the latest donation by the billionaire, who has given more than £10m in total since 1999.'),
      article('b', 'Parties count their funds', 'Labour and the Conservatives have both reported higher donations this year.'),
    );
    const ranking = rankPassages(archive, 'How much has Lord Sainsbury given Labour in total since 1999?');
    const [first, second] = ranking.passages;
    expect(first?.passage.passage.id).toBe('a#2.0');
    expect(second?.passage.passage.id).toBe('a#1.0');
    // Both hold money beside the story's names; only one beside "in total since 1999".
    expect(first?.signals.answerNear).toBeGreaterThan(second?.signals.answerNear ?? 1);
    expect(answerQuestion(archive, 'How much has Lord Sainsbury given Labour in total since 1999?').answer).toBe('more than £10m');
  });

  it('puts a name beside the role the question gives above a passage that repeats the question\'s words', async () => {
    const archive = await build(
      article(
        'a',
        'Blears attacked over stop and search',
        'Hazel Blears said innocent Muslims would be targeted because of the search for Islamic extremists, and stop and search would go on.',
        'IHRC chairman Massoud Shadjareh accused Ms Blears of playing an Islamophobia card.',
      ),
    );
    const question = 'Who chairs the Islamic Human Rights Commission that attacked Hazel Blears over stop and search?';
    expect(rankPassages(archive, question).passages[0]?.passage.passage.id).toBe('a#2.0');
  });

  it('offers a name as the direct answer only when the question\'s terms surround it closely', async () => {
    const archive = await build(
      article(
        'a',
        'Blears attacked over stop and search',
        'Hazel Blears said stop and search would go on.',
        'The chairman of the Islamic Human Rights Commission, Massoud Shadjareh, said the commission attacked Hazel Blears over stop and search.',
        'Rights groups in Leeds were also critical.',
      ),
    );
    expect(answerQuestion(archive, 'Who chairs the Islamic Human Rights Commission that attacked Hazel Blears over stop and search?').answer).toBe('Massoud Shadjareh');
    expect(answerQuestion(archive, 'Who was critical of the rights groups?').answer).toBeNull();
  });

  it('takes a qualifier of the noun a "what kind of" question asks about as its answer', async () => {
    const archive = await build(
      article('a', 'Norman architecture', 'Norman architecture spread to England and Italy, where arches and keeps were built.', 'Norman architecture was characterised by rounded arches and massive proportions.'),
    );
    expect(rankPassages(archive, 'What kind of arches does Norman architecture have?').passages[0]?.passage.passage.id).toBe('a#2.0');
  });

  it('ranks an article lacking a name the question gives below one that has it, whatever figures it holds', async () => {
    const archive = await build(
      article('a', 'Rovers sign striker', 'Rovers have signed a striker for a fee of £3m.'),
      article('b', 'United sign striker', 'United have signed a striker for a fee of £5m, the club said on Monday.'),
    );
    expect(rankPassages(archive, 'How much did Rovers pay for the striker?').passages[0]?.passage.article).toBe(0);
  });
});

describe('rankPassages: the question\'s own numbers', () => {
  it('puts a passage that repeats a number the question states as a detail above one with another', async () => {
    const archive = await build(
      article('a', 'California and the Union', 'The Pico Act of 1859 was passed by the State Legislature and signed by the governor.', 'Instead, the Compromise of 1850 was passed, and California joined the Union as a free state.'),
    );
    const ranking = rankPassages(archive, 'What was the name of the legislation passed in 1850?');
    expect(ranking.passages[0]?.passage.passage.id).toBe('a#2.0');
    expect(ranking.passages[0]?.signals.numbers).toBe(1);
  });

  it('takes no number inside a name for a detail', async () => {
    const archive = await build(article('a', 'Redmond bids for Channel 4', 'Phil Redmond wrote to Tessa Jowell in 2004.'));
    expect(resolveQuery(archive, analyseQuestion('Who offered to buy Channel 4 from the state?')).details).toEqual([]);
    expect(resolveQuery(archive, analyseQuestion('Who won the 2004 Guardian First Book Award?')).details).toEqual([]);
    expect(resolveQuery(archive, analyseQuestion('How much has he given since 2004?')).details).toHaveLength(1);
  });
});

describe('resolveQuery', () => {
  it('lets a name\'s initials stand for it when the archive writes them as a name', async () => {
    const archive = await build(article('a', 'Commission attacks minister', 'IHRC chairman Massoud Shadjareh accused the minister.', 'The IHRC said it would appeal.'));
    const query = resolveQuery(archive, analyseQuestion('Who chairs the Islamic Human Rights Commission?'));
    const name = query.terms.find((t) => t.word === 'Islamic Human Rights Commission');
    expect(name?.essential).toBe(true);
    expect([...(name?.variants.keys() ?? [])]).toContain(archive.termId('ihrc'));
  });

  it('weighs the scene-setting words less where the answer stands', async () => {
    const archive = await build(article('a', 'Festival prize', 'The Woodsman won the prize. Kevin Bacon starred in the film.'));
    const query = resolveQuery(archive, analyseQuestion('What prize did The Woodsman, the Kevin Bacon film, win?'));
    const focus = (word: string): number => {
      const q = query.terms.findIndex((t) => t.word === word);
      return (query.focusWeights[q] ?? 0) / (query.terms[q]?.weight ?? 1);
    };
    expect(focus('Woodsman')).toBe(1);
    expect(focus('prize')).toBe(1);
    expect(focus('Kevin')).toBeLessThan(1);
  });
});

describe('nameAnswer', () => {
  it('offers no name for a figure question or one that does not ask for a name', async () => {
    const archive = await build(article('a', 'Rovers sign striker', 'Rovers have signed Tom Smith for a fee of £3m.'));
    expect(answerQuestion(archive, 'How much did Rovers pay for Tom Smith?').answer).toBe('£3m');
    expect(rankPassages(archive, 'Why did Rovers sign a striker?').nameAnswer()).toBeNull();
  });

  it('offers a name absent from the question, not the question\'s own', async () => {
    const archive = await build(article('a', 'Rovers sign striker', 'Rovers manager Jim Brown has signed striker Tom Smith from United.'));
    expect(answerQuestion(archive, 'Who did Rovers manager Jim Brown sign?').answer).toBe('Tom Smith');
  });
});
