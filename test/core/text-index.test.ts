import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextIndex, type IndexedDocument, type TextMatch } from '../../src/core/text-index.ts';

const WORDS = ['rovers', 'striker', 'bank', 'rates', 'club', 'deal', 'power', 'homes', 'cup', 'fans'];
const words = fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }).map((w) => w.join(' '));
const document = fc.record({ title: words, text: words });
const query = fc.uniqueArray(fc.constantFrom(...WORDS, 'absent'), { minLength: 1, maxLength: 5 });
const boosts = fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }), { minLength: 6, maxLength: 6 });
const scoring = fc.option(
  fc.record({
    bm25: fc.record({
      k: fc.double({ min: 0.5, max: 2, noNaN: true }),
      b: fc.double({ min: 0, max: 1, noNaN: true }),
      d: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    titleBoost: fc.double({ min: 0, max: 4, noNaN: true }),
  }),
  { nil: undefined },
);

describe('TextIndex.searchTerms', () => {
  it("gives MiniSearch's own results, to the last bit of every score and in its order, also after an update", () => {
    fc.assert(
      fc.property(
        fc.array(document, { minLength: 1, maxLength: 25 }),
        fc.array(document, { maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
        fc.array(query, { minLength: 1, maxLength: 4 }),
        boosts,
        scoring,
        (first, added, keep, queries, boostValues, options) => {
          const index = new TextIndex();
          index.addAll(first.map((d, id): IndexedDocument => ({ id, ...d })));
          const plain = (matches: readonly TextMatch[]): TextMatch[] => matches.map(({ id, score }) => ({ id, score }));
          const check = (): void => {
            for (const terms of queries) {
              const boost = new Map(terms.map((t, i) => [t, boostValues[i] ?? 1]));
              expect(index.searchTerms(terms, boost, options)).toEqual(plain(index.searchTermsWithMiniSearch(terms, boost, options)));
              expect(index.searchTerms(terms)).toEqual(plain(index.searchTermsWithMiniSearch(terms)));
            }
          };
          check();
          // Keep some documents, renumbered, and add others after them.
          const renumber = new Int32Array(first.length).fill(-1);
          const removed: IndexedDocument[] = [];
          let count = 0;
          first.forEach((d, id) => {
            if (keep[id] === true) renumber[id] = count++;
            else removed.push({ id, ...d });
          });
          index.update(
            removed,
            added.map((d, i) => ({ id: count + i, ...d })),
            renumber,
            count + added.length,
          );
          check();
        },
      ),
    );
  });

  it('finds documents by their terms, best first, ties in id order', () => {
    const index = new TextIndex();
    index.addAll([
      { id: 0, title: 'bank', text: 'rates rise' },
      { id: 1, title: '', text: 'bank rates' },
      { id: 2, title: '', text: 'bank rates' },
      { id: 3, title: 'cup', text: 'fans' },
    ]);
    expect(index.searchTerms(['bank', 'rates']).map((m) => m.id)).toEqual([0, 1, 2]);
    expect(index.searchTerms(['absent'])).toEqual([]);
  });
});
