import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Archive, hasTerm } from '../../src/core/archive.ts';
import type { TextIndex } from '../../src/core/text-index.ts';
import type { Article } from '../../src/core/types.ts';

describe('hasTerm', () => {
  it('finds the ids an ascending list holds, and only those', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 500 })), fc.integer({ min: -1, max: 501 }), (ids, probe) => {
        const sorted = Int32Array.from(ids).sort();
        expect(hasTerm(sorted, probe)).toBe(ids.includes(probe));
        for (const id of ids) expect(hasTerm(sorted, id)).toBe(true);
      }),
    );
  });

  it('holds nothing when empty', () => {
    expect(hasTerm(new Int32Array(0), 0)).toBe(false);
  });
});

describe('the title index', () => {
  const article = (i: number): Article => ({
    id: `news/${i}`,
    file: `news/${i}.txt`,
    format: 'seed',
    title: `Rovers sign striker number ${i}${i % 7 === 0 ? ' for Wanderers' : ''}`,
    date: null,
    url: null,
    source: null,
    author: null,
    paragraphs: [`Rovers signed striker ${i} on Tuesday.`],
    hash: `h${i}`,
  });

  it('is made in batches, with a pause between them, as the one made at once when first asked for', async () => {
    const articles = Array.from({ length: 1_203 }, (_, i) => article(i));
    const warmed = await Archive.build(articles);
    let pauses = 0;
    await warmed.warmTitleIndex(() => {
      pauses++;
      return Promise.resolve();
    });
    expect(pauses).toBeGreaterThan(1);
    const asked = await Archive.build(articles);
    for (const typed of ['rovers', 'wanderers', 'striker 7', 'strikr numb', 'nothing like it']) {
      expect(warmed.titleIndex.searchTyped(typed)).toEqual(asked.titleIndex.searchTyped(typed));
    }
    expect(warmed.titleIndex.searchTyped('wanderers').map((m) => m.id)).toEqual(
      articles.flatMap((a, i) => (a.title.includes('Wanderers') ? [i] : [])),
    );
  });

  it('is kept when asked for while it is being made in batches', async () => {
    const archive = await Archive.build(Array.from({ length: 1_100 }, (_, i) => article(i)));
    let asked: TextIndex | null = null;
    await archive.warmTitleIndex(() => {
      asked ??= archive.titleIndex;
      return Promise.resolve();
    });
    expect(asked).not.toBeNull();
    expect(archive.titleIndex).toBe(asked);
  });
});

describe('the tree of live terms', () => {
  const article = (i: number, extra = ''): Article => ({
    id: `news/${i}`,
    file: `news/${i}.txt`,
    format: 'seed',
    title: `Rovers sign striker number ${i}`,
    date: null,
    url: null,
    source: null,
    author: null,
    // Four terms of its own per article: more terms than one step of the tree takes.
    paragraphs: [`Rovers signed striker${i}, keeper${i}, winger${i} and coach${i} on Tuesday${extra}.`],
    hash: `h${i}${extra}`,
  });
  const lookups = (archive: Archive): unknown => [
    archive.fuzzyTerms('strikr', 2).map(([id, d]) => [archive.term(id), d]),
    archive.fuzzyTerms('zyzzogeton', 1).map(([id, d]) => [archive.term(id), d]),
    archive.prefixTerms('striker1', 50).map((id) => archive.term(id)),
    archive.prefixTerms('striker0', 50).map((id) => archive.term(id)),
  ];

  it('is made in steps, with a pause between them, as the one made at once when first asked for', async () => {
    const articles = Array.from({ length: 1_500 }, (_, i) => article(i));
    const warmed = await Archive.build(articles);
    let pauses = 0;
    await warmed.warmTerms(() => {
      pauses++;
      return Promise.resolve();
    });
    expect(pauses).toBeGreaterThan(0);
    expect(lookups(warmed)).toEqual(lookups(await Archive.build(articles)));
  });

  it('is let go when terms come or go while it is being made, so lookups after find the new terms', async () => {
    const articles = Array.from({ length: 1_500 }, (_, i) => article(i));
    const archive = await Archive.build(articles);
    // The first article's own terms die (their ids come first, so the first step has put them in
    // the tree already) and a new one comes alive.
    const changed = [...articles.slice(1), { ...article(0), paragraphs: ['Rovers met a zyzzogeton.'], hash: 'changed' }];
    const update = await archive.prepareUpdate(changed);
    const updated: Archive[] = [];
    await archive.warmTerms(() => {
      if (updated.length === 0) updated.push(update.commit());
      return Promise.resolve();
    });
    const after = updated[0];
    if (after === undefined) throw new Error('the warm-up never paused');
    expect(after.fuzzyTerms('zyzzogeton', 0).map(([id]) => after.term(id))).toEqual(['zyzzogeton']);
    expect(lookups(after)).toEqual(lookups(await Archive.build(changed)));
  });
});
