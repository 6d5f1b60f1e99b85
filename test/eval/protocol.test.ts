import { describe, expect, it } from 'vitest';
import type { EvalQuestion } from '../../src/eval/datasets.ts';
import { directMatches } from '../../src/eval/metrics.ts';
import { foldCount, splitByArticle } from '../../src/eval/protocol.ts';

const question = (id: string, article: string | null): EvalQuestion => ({
  id,
  question: `Question ${id}?`,
  kind: article === null ? 'none' : 'fact',
  answers: article === null ? [] : ['x'],
  figureType: null,
  article,
});

describe('splitByArticle', () => {
  const questions = Array.from({ length: 40 }, (_, i) => question(`q${i}`, `a${i % 20}.txt`));

  it('keeps every article whole, in one part and one fold', () => {
    const placements = splitByArticle('set', questions);
    for (const q of questions) {
      const twin = questions.find((other) => other.article === q.article && other.id !== q.id);
      expect(placements.get(q.id)).toEqual(twin && placements.get(twin.id));
    }
  });

  it('holds out 30% of the articles and deals the rest into five folds', () => {
    const placements = splitByArticle('set', questions);
    const heldOut = new Set(questions.filter((q) => placements.get(q.id)?.part === 'held-out').map((q) => q.article));
    expect(heldOut.size).toBe(6);
    expect(foldCount(placements)).toBe(5);
  });

  it('splits the same way every time, and differently for another set name', () => {
    const a = splitByArticle('set', questions);
    expect(splitByArticle('set', [...questions].reverse())).toEqual(a);
    expect([...splitByArticle('other', questions).values()]).not.toEqual([...a.values()]);
  });

  it('holds nothing out of a set written for tuning (a share of 0), and still deals every article into folds', () => {
    const placements = splitByArticle('set', questions, { heldOutShare: 0 });
    expect([...placements.values()].filter((p) => p.part === 'held-out')).toHaveLength(0);
    expect(foldCount(placements)).toBe(5);
  });

  it('places an unanswerable question by its own id', () => {
    const placements = splitByArticle('set', [question('n1', null), question('n2', null), question('n3', null)]);
    expect([...placements.values()].filter((p) => p.part === 'held-out')).toHaveLength(1);
  });
});

describe('directMatches', () => {
  it.each<[string, string[], boolean]>([
    ['half a million people', ['half a million'], true],
    ['5 million', ['more than 5 million Syrians'], true],
    ['2', ['25'], false],
    ['2-2', ['two goals'], false],
    ['', ['x'], false],
  ])('%s for %j: %s', (direct, answers, expected) => {
    expect(directMatches(direct, answers)).toBe(expected);
  });
});
