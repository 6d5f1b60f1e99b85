import { describe, expect, it } from 'vitest';
import {
  crossValidatedProbabilities,
  fitLogistic,
  fitWeights,
  logLoss,
  marginedRate,
  predictLogistic,
  orderUnder,
  rankUnder,
  withinGroups,
  type Example,
  type Group,
} from '../../src/eval/train.ts';

const example = (id: string, fold: number, x: number, label: boolean): Example => ({ id, corpus: 'c', fold, x: [x], label });

/** One feature that says the label, with a little overlap so the fit stays finite. */
const examples: Example[] = [
  example('a', 0, 0.9, true),
  example('b', 0, 0.2, false),
  example('c', 1, 0.8, true),
  example('d', 1, 0.3, false),
  example('e', 2, 0.7, true),
  example('f', 2, 0.6, false),
  example('g', 0, 0.4, true),
  example('h', 1, 0.1, false),
];

describe('fitLogistic', () => {
  it('learns that the feature raises the probability, and is the same every run', () => {
    const weights = fitLogistic(examples, 0.1);
    expect(weights).toHaveLength(2);
    expect(weights[1]).toBeGreaterThan(0);
    expect(predictLogistic(weights, [0.9])).toBeGreaterThan(predictLogistic(weights, [0.1]));
    expect(fitLogistic(examples, 0.1)).toEqual(weights);
  });

  it('shrinks the weight as the penalty grows', () => {
    expect(Math.abs(fitLogistic(examples, 100)[1] ?? 0)).toBeLessThan(Math.abs(fitLogistic(examples, 0.1)[1] ?? 0));
  });

  it('scores each fold by a model fitted without it, better than chance here', () => {
    const ps = crossValidatedProbabilities(examples, 0.1);
    expect(ps).toHaveLength(examples.length);
    expect(logLoss(examples, ps)).toBeLessThan(Math.log(2));
  });
});

describe('fitWeights', () => {
  it('learns to rank the candidate holding the answer first', () => {
    const group = (id: string, rows: number[][], positive: boolean[]): Group => ({
      id,
      fold: 0,
      corpus: 'c',
      rows,
      positive,
      articles: rows.map(() => 0),
      within: rows.map(() => []),
    });
    // The first feature marks the answer; the second is noise that favours a wrong candidate.
    const groups = [
      group(
        'q1',
        [
          [1, 0],
          [0, 1],
          [0, 0.5],
        ],
        [true, false, false],
      ),
      group(
        'q2',
        [
          [0, 1],
          [1, 0.2],
          [0, 0],
        ],
        [false, true, false],
      ),
      group(
        'q3',
        [
          [0, 0.3],
          [0, 0.9],
          [1, 0.4],
        ],
        [false, false, true],
      ),
    ];
    const weights = fitWeights(groups, 0.1);
    expect(weights[0]).toBeGreaterThan(weights[1] ?? 0);
    for (const g of groups) expect(rankUnder(g, weights)).toBe(1);
  });
});

describe('the second stage', () => {
  // Candidates 0, 2 and 3 are article 7's, 1 is article 9's. The first feature ranks them 0, 1, 2, 3;
  // the second-stage feature prefers 3, then 2, then 0.
  const group: Group = {
    id: 'q',
    fold: 0,
    corpus: 'c',
    rows: [[4], [3], [2], [1]],
    positive: [false, false, false, true],
    articles: [7, 9, 7, 7],
    within: [[0.1], [0.9], [0.5], [0.8]],
  };

  it("reorders the best article's candidates among the places they hold, leaving the other article's where it was", () => {
    expect(orderUnder(group, [1])).toEqual([0, 1, 2, 3]);
    expect(orderUnder(group, [1], [1])).toEqual([3, 1, 2, 0]);
    expect(rankUnder(group, [1])).toBe(4);
    expect(rankUnder(group, [1], [1])).toBe(1);
  });

  it('trains on the candidates of the article that holds the answer, with their second-stage features', () => {
    expect(withinGroups([group])).toEqual([
      {
        rows: [[0.1], [0.5], [0.8]],
        positive: [false, false, true],
      },
    ]);
    expect(withinGroups([{ ...group, positive: [false, false, false, false] }])).toEqual([]);
  });
});

describe('marginedRate', () => {
  it('keeps the share declined one standard error inside the limit, with a wider margin on fewer questions', () => {
    expect(marginedRate(0.03, 752)).toBe(0.024);
    expect(marginedRate(0.03, 511)).toBe(0.023);
    expect(marginedRate(0.03, 100)).toBe(0.017);
    expect(marginedRate(0.03, 10)).toBe(0.005);
  });
});
