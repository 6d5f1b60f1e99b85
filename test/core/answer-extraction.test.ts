import { describe, expect, it } from 'vitest';
import { ENTITY_FIT, figureAnswerOf, figureOffers, type FigureOffer } from '../../src/core/answer-extraction.ts';
import { Archive } from '../../src/core/archive.ts';
import { parseArticle } from '../../src/core/articles.ts';
import { extractFigures } from '../../src/core/figures/index.ts';
import { FIGURE_FIT } from '../../src/core/rank-features.ts';
import { rankPassages } from '../../src/core/rank.ts';

/** A made-up passage's figure, valued by hand. */
function offer(text: string, value: number): FigureOffer {
  const [found] = extractFigures(text);
  if (!found) throw new Error(`no figure in ${text}`);
  const figure = { ...found, passageId: 'p', articleId: 'a', paragraph: 0, sentence: text };
  return { text: found.text, value, inBest: value > 0.5, fit: 1, figure };
}

describe('figureAnswerOf', () => {
  it('answers with the best-valued figure, and the best figure of other words as its runner-up', () => {
    const answer = figureAnswerOf([offer('£5m', 0.25), offer('£2m', 0.75), offer('£2m', 0.5), offer('£3m', 0.375)]);
    expect(answer && [answer.text, answer.value, answer.runnerUp, answer.inBest, answer.entity]).toEqual([
      '£2m',
      0.75,
      0.375,
      true,
      ENTITY_FIT.none,
    ]);
    expect(answer?.figure?.value).toBe(2_000_000);
  });

  it('has no runner-up for a lone figure, and no answer without one', () => {
    expect(figureAnswerOf([offer('40 farmers', 0.5)])?.runnerUp).toBe(0);
    expect(figureAnswerOf([])).toBeNull();
  });
});

describe('figureOffers', () => {
  it('offers every figure of the wanted kind the question does not state, each fitted to what it counts', async () => {
    const archive = await Archive.build([
      parseArticle('a.txt', 'Brindle works\n\nThe Brindle works employs 40 welders and 3 engineers. It opened in 2019 with 12 welders.'),
      parseArticle('b.txt', 'Harwick fete\n\nThe Harwick fete raised money for the church roof.'),
    ]);
    const offered = (question: string) => {
      const ranking = rankPassages(archive, question, 5);
      const [best] = ranking.passages;
      if (best === undefined) throw new Error('no passage');
      return figureOffers(ranking.query, best, ranking.params);
    };
    const offers = offered('How many welders does the Brindle works employ?');
    // The year is no count; engineers are not what the question counts.
    expect(offers.map((o) => [o.text, o.fit, o.inBest])).toEqual([
      ['40 welders', 1, true],
      ['3 engineers', FIGURE_FIT.otherUnit, true],
      ['12 welders', 1, false],
    ]);
    // The welders beside the question's terms stand closer than those a sentence away.
    const [forty, , twelve] = offers;
    expect(forty?.value).toBeGreaterThan(twelve?.value ?? 1);
    expect(forty?.value).toBeLessThanOrEqual(1);
    // A figure the question states is its context, not its answer.
    expect(offered('How many welders does the Brindle works employ, up from 12?').map((o) => o.text)).toEqual([
      '40 welders',
      '3 engineers',
    ]);
  });
});
