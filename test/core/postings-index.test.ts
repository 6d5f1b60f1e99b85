import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PostingsIndex, type PostingsDocument, type TextMatch } from '../../src/core/postings-index.ts';
import { TextIndex, type IndexedDocument } from '../../src/core/text-index.ts';

const WORDS = ['rovers', 'striker', 'bank', 'rates', 'club', 'deal', 'power', 'homes', 'cup', 'fans'];
const words = fc.array(fc.constantFrom(...WORDS), { maxLength: 8 });
const document = fc.record({ title: words, text: fc.array(fc.constantFrom(...WORDS, null), { maxLength: 10 }) });
interface Doc {
  title: string[];
  text: (string | null)[];
}
const query = fc.array(fc.constantFrom(...WORDS, 'absent'), { minLength: 1, maxLength: 5 });
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

/** A word's id: its place in WORDS ('absent' is in no document); a stop word (null) is -1. */
const idOf = (word: string | null): number => (word === null ? -1 : WORDS.includes(word) ? WORDS.indexOf(word) : WORDS.length);

/** The document as the postings index takes it, and as the archive gave it to MiniSearch before. */
const postings = (d: Doc, id: number): PostingsDocument => ({ id, title: d.title.map(idOf), text: Int32Array.from(d.text, idOf) });
const strings = (d: Doc, id: number): IndexedDocument => ({
  id,
  title: d.title.join(' '),
  text: d.text.map((w) => (w === null ? '' : `${w} `)).join(''),
});

describe('PostingsIndex.searchTerms', () => {
  it("gives MiniSearch's own results, to the last bit of every score and in its order, also after an update and with a term repeated", () => {
    fc.assert(
      fc.property(
        fc.array(document, { minLength: 1, maxLength: 25 }),
        fc.array(document, { maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
        fc.array(query, { minLength: 1, maxLength: 4 }),
        boosts,
        scoring,
        (first, added, keep, queries, boostValues, options) => {
          const index = new PostingsIndex();
          index.addAll(first.map(postings));
          // The same update told the removed documents: searched through an overlay until settled.
          const overlaid = new PostingsIndex();
          overlaid.addAll(first.map(postings));
          const reference = new TextIndex();
          reference.addAll(first.map(strings));
          const plain = (matches: readonly TextMatch[]): TextMatch[] => matches.map(({ id, score }) => ({ id, score }));
          const check = (): void => {
            for (const terms of queries) {
              // MiniSearch takes one boost per distinct term.
              const boost = new Map(terms.map((t, i) => [t, boostValues[i] ?? 1]));
              const ids = terms.map(idOf);
              const weights = terms.map((t) => boost.get(t) ?? 1);
              expect(index.searchTerms(ids, weights, options)).toEqual(plain(reference.searchTermsWithMiniSearch(terms, boost, options)));
              expect(index.searchTerms(ids)).toEqual(plain(reference.searchTermsWithMiniSearch(terms)));
              expect(overlaid.searchTerms(ids, weights, options)).toEqual(index.searchTerms(ids, weights, options));
            }
            // Each term's documents too, through the overlay as from the merged arrays.
            for (let id = -1; id <= WORDS.length; id++)
              expect(Array.from(overlaid.textDocuments(id))).toEqual(Array.from(index.textDocuments(id)));
          };
          check();
          // Keep some documents, renumbered, and add others after them.
          const renumber = new Int32Array(first.length).fill(-1);
          const removed: IndexedDocument[] = [];
          let count = 0;
          first.forEach((d, id) => {
            if (keep[id] === true) renumber[id] = count++;
            else removed.push(strings(d, id));
          });
          index.update(
            renumber,
            added.map((d, i) => postings(d, count + i)),
            count + added.length,
          );
          reference.update(
            removed,
            added.map((d, i) => strings(d, count + i)),
            renumber,
            count + added.length,
          );
          overlaid.update(
            renumber,
            added.map((d, i) => postings(d, count + i)),
            count + added.length,
            first.flatMap((d, id) => (keep[id] === true ? [] : [postings(d, id)])),
          );
          expect(index.documentCount).toBe(count + added.length);
          expect(overlaid.documentCount).toBe(count + added.length);
          check();
          // Settled, the overlaid index's arrays are the other's, and it searches the same. Reading
          // through the overlay (above) did not merge it in one go: settling still has steps to take.
          const steps = overlaid.settling();
          let step = steps.next();
          expect(step.done).toBe(false);
          while (step.done !== true) {
            check();
            step = steps.next();
          }
          step.value();
          expect(overlaid.data()).toEqual(index.data());
          check();
        },
      ),
    );
  });

  it('settles an update of many documents, a few hundred a step, to the arrays a one-go update gives', () => {
    // Deterministic documents: term ids from a small generator, some stop words (-1) among them.
    const doc = (n: number, id: number): PostingsDocument => ({
      id,
      title: [n % 7, (n * 3) % 11],
      text: Array.from({ length: 3 + (n % 5) }, (_, i) => ((n * 13 + i * 7) % 17 === 0 ? -1 : (n * 13 + i * 7) % 29)),
    });
    const first = Array.from({ length: 300 }, (_, id) => doc(id, id));
    const index = new PostingsIndex();
    const overlaid = new PostingsIndex();
    index.addAll(first);
    overlaid.addAll(first);
    index.merge();
    overlaid.merge();
    // Every third document goes; 450 come, more than two steps' worth.
    const renumber = new Int32Array(first.length).fill(-1);
    let count = 0;
    first.forEach((_, id) => {
      if (id % 3 !== 0) renumber[id] = count++;
    });
    const added = Array.from({ length: 450 }, (_, i) => doc(1000 + i, count + i));
    const removed = first.filter((_, id) => id % 3 === 0);
    index.update(renumber, added, count + added.length);
    overlaid.update(renumber, added, count + added.length, removed);
    const steps = overlaid.settling();
    let taken = 0;
    let step = steps.next();
    while (step.done !== true) {
      taken++;
      expect(overlaid.searchTerms([1, 2, 3])).toEqual(index.searchTerms([1, 2, 3]));
      step = steps.next();
    }
    step.value();
    expect(taken).toBeGreaterThanOrEqual(3);
    expect(overlaid.data()).toEqual(index.data());
  });

  it('finds documents by their terms, best first, ties in id order', () => {
    const index = new PostingsIndex();
    // bank 0, rates 1, rise 2, cup 3, fans 4
    index.addAll([
      { id: 0, title: [0], text: [1, 2] },
      { id: 1, title: [], text: [0, 1] },
      { id: 2, title: [], text: [0, -1, 1] },
      { id: 3, title: [3], text: [4] },
    ]);
    expect(index.searchTerms([0, 1]).map((m) => m.id)).toEqual([0, 1, 2]);
    expect(index.searchTerms([7])).toEqual([]);
    expect(index.searchTerms([])).toEqual([]);
  });

  it('reads its own data back as the same index', () => {
    const index = new PostingsIndex();
    index.addAll([
      { id: 0, title: [0, 0], text: [1, 2, 1] },
      { id: 1, title: [], text: [0, 1] },
    ]);
    const back = new PostingsIndex(index.data());
    expect(back.documentCount).toBe(2);
    expect(back.searchTerms([0, 1, 2], [1, 2, 1])).toEqual(index.searchTerms([0, 1, 2], [1, 2, 1]));
    expect(() => new PostingsIndex({ ...index.data(), documentCount: 3 })).toThrow('the postings do not add up');
  });
});
