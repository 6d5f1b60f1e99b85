import { describe, expect, it } from 'vitest';
import { ENTITY_FIT, figureAnswerOf, type FigureOffer } from '../../src/core/answer-extraction.ts';
import { extractFigures } from '../../src/core/figures/index.ts';

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
