import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/core/articles.ts';
import { Archive } from '../../src/core/archive.ts';
import { DEFAULT_RANK_PARAMS, WITHIN_FEATURE_NAMES, type RankParams, type WithinFeatureName } from '../../src/core/rank-params.ts';
import { asksForOneName, withinFeatures } from '../../src/core/rank-within.ts';
import { nameAnswer, nameNearness } from '../../src/core/answer-extraction.ts';
import { rankPassages } from '../../src/core/rank.ts';

const article = (id: string, title: string, ...paragraphs: string[]) => parseArticle(`${id}.txt`, `${title}\n\n${paragraphs.join('\n\n')}`);

const archive = await Archive.build([
  article(
    'a',
    'Harbour Rovers sack their coach',
    'Harbour Rovers have sacked their coach after a run of six defeats in the league.',
    'The club said its assistant, Mary Okafor, would lead the team until the summer.',
    'Rovers play at home again on Saturday.',
  ),
  article('b', 'Rovers fans protest', 'Fans of Harbour Rovers protested outside the ground after the coach was sacked.'),
]);
const QUESTION = 'Who will lead Harbour Rovers now they have sacked their coach after six defeats in the league?';

/** The committed first stage, with second-stage weights of our own. */
const withWithin = (weights: Partial<Record<WithinFeatureName, number>>): RankParams => ({
  ...DEFAULT_RANK_PARAMS,
  within: Object.fromEntries(WITHIN_FEATURE_NAMES.map((name) => [name, weights[name] ?? 0])) as Record<WithinFeatureName, number>,
});
const ids = (params: RankParams, depth?: number) =>
  rankPassages(archive, QUESTION, depth, params).passages.map((p) => p.passage.passage.id);

describe('rankPassages: the second stage', () => {
  it('with every weight 0, keeps the first stage: passages by score', () => {
    const passages = rankPassages(archive, QUESTION, undefined, withWithin({})).passages;
    const scores = passages.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    expect(passages[0]?.passage.passage.id).not.toBe('a#2.0');
  });

  it("puts first the best article's passage it prefers, in a place the article held, and leaves the other article's passage where it was", () => {
    const before = ids(withWithin({}));
    const after = ids(withWithin({ nameNear: 1 }));
    expect(after[0]).toBe('a#2.0');
    expect(after.indexOf('b#1.0')).toBe(before.indexOf('b#1.0'));
    expect([...after].sort()).toEqual([...before].sort());
  });

  it("keeps each passage's first-stage score", () => {
    const scoreOf = (params: RankParams) =>
      new Map(rankPassages(archive, QUESTION, undefined, params).passages.map((p) => [p.passage.passage.id, p.score]));
    expect(scoreOf(withWithin({ nameNear: 1 }))).toEqual(scoreOf(withWithin({})));
  });

  it('scores the passages of the best article the first stage could skip, so that asked for one passage it still gives the preferred one', () => {
    expect(ids(withWithin({ nameNear: 1 }), 1)[0]).toBe('a#2.0');
  });
});

describe('withinFeatures', () => {
  it("takes BM25 over the article's best, and reads nameNear only when the question asks for one name", () => {
    const ranking = rankPassages(archive, QUESTION, undefined, withWithin({}));
    const own = ranking.passages.filter((p) => p.passage.article === ranking.passages[0]?.passage.article);
    const features = withinFeatures(archive, ranking.query, own, DEFAULT_RANK_PARAMS);
    expect(Math.max(...features.map((f) => f.bm25))).toBe(1);
    const named = own.findIndex((p) => p.passage.passage.id === 'a#2.0');
    expect(features[named]?.nameNear).toBeGreaterThan(0);
    expect(features.filter((f) => f.nameNear > 0)).toHaveLength(1);
    expect(asksForOneName(ranking.query)).toBe(true);

    const figureQuestion = rankPassages(archive, 'How many defeats did Harbour Rovers have before the coach was sacked?');
    expect(asksForOneName(figureQuestion.query)).toBe(false);
    const figureOwn = figureQuestion.passages.filter((p) => p.passage.article === figureQuestion.passages[0]?.passage.article);
    expect(withinFeatures(archive, figureQuestion.query, figureOwn, DEFAULT_RANK_PARAMS).map((f) => f.nameNear)).toEqual(
      figureOwn.map(() => 0),
    );
  });
});

describe('nameNearness', () => {
  it('is the value nameAnswer gives the closest name, untagged, and 0 where the passage has none', () => {
    const ranking = rankPassages(archive, QUESTION, undefined, withWithin({}));
    const values = ranking.passages.map((p) => nameNearness(archive, ranking.query, p, DEFAULT_RANK_PARAMS));
    expect(values).toEqual(
      ranking.passages.map((p) => nameAnswer(archive, ranking.query, p, DEFAULT_RANK_PARAMS, () => false)?.value ?? 0),
    );
    expect(values.filter((v) => v > 0)).toHaveLength(1);
  });
});

// A made-up story whose lead restates the question and whose second paragraph answers it.
const story = await Archive.build([
  article(
    'c',
    'Harbour Rovers sack their coach',
    'Harbour Rovers have sacked their coach.',
    'The coach was sacked after six straight defeats.',
    'Fans gathered outside the ground on Saturday.',
  ),
]);

describe('withinFeatures: lead and novelty', () => {
  const question = 'Why did Harbour Rovers sack their coach?';
  const ranked = (weights: Partial<Record<WithinFeatureName, number>>) => rankPassages(story, question, undefined, withWithin(weights));

  it("marks only the article's opening passage as its lead, and counts the share of its words the question lacks", () => {
    const ranking = ranked({});
    const own = ranking.passages.filter((p) => p.passage.article === ranking.passages[0]?.passage.article);
    const features = withinFeatures(story, ranking.query, own, DEFAULT_RANK_PARAMS);
    const byId = new Map(own.map((p, i) => [p.passage.passage.id, features[i]]));
    expect(byId.get('c#1.0')).toMatchObject({ lead: 1, novelty: 0 });
    // coach, sacked, six, straight, defeats: three of five words are not the question's.
    expect(byId.get('c#2.0')?.lead).toBe(0);
    expect(byId.get('c#2.0')?.novelty).toBeCloseTo(3 / 5, 10);
  });

  it('weighed against the lead, with coverage and novelty, puts the paragraph below the restating lead first', () => {
    const order = (weights: Partial<Record<WithinFeatureName, number>>) => ranked(weights).passages.map((p) => p.passage.passage.id);
    expect(order({})[0]).toBe('c#1.0');
    expect(order({ coverage: 1 })[0]).toBe('c#1.0');
    // The lead covers the question and says nothing more: 1 − 1 + 0; the paragraph below, its coverage + 0.3; the last, 0 + 0.5.
    expect(order({ coverage: 1, lead: -1, novelty: 0.5 })).toEqual(['c#2.0', 'c#3.0', 'c#1.0']);
  });
});
