import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { Archive, CAPITAL_MID, CAPITAL_START, capitalOf, hasTerm, sentenceOfToken, termSlotsHeld } from '../../src/core/archive.ts';
import { forEachToken, processTerm } from '../../src/core/text.ts';
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

describe("a passage's tokens", () => {
  const paragraphs = [
    'Mr. Smith met Jones in Paris. Officials said Brown left "for good." The U.S. team won 3-1 at Wembley.',
    'Ellipses... do not end it. But this does! And "Quoted. Words" stay. 2005 was a year.',
    '',
    'one lower-case sentence only, with no capital anywhere',
  ];
  const article: Article = {
    id: 'news/tokens',
    file: 'news/tokens.txt',
    format: 'seed',
    title: 'Tokens',
    date: null,
    url: null,
    source: null,
    author: null,
    paragraphs,
    hash: 'h',
  };

  it('each lie in the sentence that holds them, with a capital told first in its sentence or mid-sentence', async () => {
    const archive = await Archive.build([article]);
    let checked = 0;
    for (const passage of archive.passages) {
      const { text } = passage.passage;
      const starts: number[] = [];
      forEachToken(text, (_raw, start) => starts.push(start));
      expect(passage.termIds.length).toBe(starts.length);
      // The sentence a token is in: the one that holds its first character, or the next one after it.
      const sentenceOf = starts.map((start) => {
        const holder = passage.sentences.findIndex((s) => start < s.end);
        return holder < 0 ? Math.max(0, passage.sentences.length - 1) : holder;
      });
      starts.forEach((start, i) => {
        expect(passage.spans[2 * i]).toBe(start);
        expect(sentenceOfToken(passage, i)).toBe(sentenceOf[i]);
        const capital = /[A-Z]/.test(text[start] ?? '') && (passage.termIds[i] ?? -1) >= 0;
        const first = i === 0 || sentenceOf[i] !== sentenceOf[i - 1];
        expect(capitalOf(passage, i)).toBe(capital ? (first ? CAPITAL_START : CAPITAL_MID) : 0);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(30);
    const first = archive.passages[0];
    const word = (w: string): number => {
      const at = first?.passage.text.indexOf(w) ?? -1;
      return Array.from(first?.spans ?? []).findIndex((s, k) => k % 2 === 0 && s === at) / 2;
    };
    expect(first && [capitalOf(first, word('Smith')), capitalOf(first, word('Officials')), capitalOf(first, word('Wembley'))]).toEqual([
      CAPITAL_MID,
      CAPITAL_START,
      CAPITAL_MID,
    ]);
    expect(
      first && [sentenceOfToken(first, word('Paris')), sentenceOfToken(first, word('Brown')), sentenceOfToken(first, word('Wembley'))],
    ).toEqual([0, 1, 2]);
  });
});

describe('index-time term lookups', () => {
  const article = (i: number, words: string): Article => ({
    id: `news/${i}`,
    file: `news/${i}.txt`,
    format: 'seed',
    title: `Rovers news ${i}`,
    date: null,
    url: null,
    source: null,
    author: null,
    paragraphs: [`Rovers ${words} on Tuesday.`, `The club said ${words} again.`],
    hash: `h${i}`,
  });
  const ids = (archive: Archive): number[][] => archive.passages.map((p) => Array.from(p.termIds));

  it('are let go once a build or an update has prepared its articles, and give the ids a fresh build gives', async () => {
    const first = [article(0, 'signed a striker'), article(1, 'sold a keeper')];
    const built = await Archive.build(first);
    expect(termSlotsHeld()).toBe(0);
    const then = [...first, article(2, 'signed a keeper and sold a winger')];
    const update = await built.prepareUpdate(then);
    expect(termSlotsHeld()).toBe(0);
    const updated = update.commit();
    expect(ids(updated)).toEqual(ids(await Archive.build(then)));
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

describe('articleFrequency', () => {
  const article = (i: number, ...paragraphs: string[]): Article => ({
    id: `news/${i}`,
    file: `news/${i}.txt`,
    format: 'seed',
    title: `Report ${i}`,
    date: null,
    url: null,
    source: null,
    author: null,
    paragraphs,
    hash: `h${i}`,
  });

  it('counts the articles whose passages hold a term, however many of their passages do, through an update too', async () => {
    const first = [
      article(0, 'The harbour reopened on Monday.', 'Ferries use the harbour again.'),
      article(1, 'The harbour master retired.'),
      article(2, 'Fares rose by a tenth.'),
    ];
    const built = await Archive.build(first);
    const harbour = built.termId(processTerm('harbour') ?? '') ?? -1;
    expect(built.passageFrequency(harbour)).toBe(3);
    expect(built.articleFrequency(harbour)).toBe(2);
    expect(built.articleFrequency(built.termId(processTerm('fares') ?? '') ?? -1)).toBe(1);
    const updated = (await built.prepareUpdate([first[2] ?? article(9), article(3, 'A new harbour wall is planned.')])).commit();
    expect(updated.articleFrequency(updated.termId(processTerm('harbour') ?? '') ?? -1)).toBe(1);
  });

  it("walks a term's postings once per archive, however many questions ask about it", async () => {
    const archive = await Archive.build([article(0, 'The harbour reopened.', 'The harbour again.'), article(1, 'Fares rose.')]);
    const walks = vi.spyOn(archive.passageIndex, 'textDocuments');
    const harbour = archive.termId(processTerm('harbour') ?? '') ?? -1;
    const fares = archive.termId(processTerm('fares') ?? '') ?? -1;
    for (let i = 0; i < 3; i++) {
      expect(archive.articleFrequency(harbour)).toBe(1);
      expect(archive.articleFrequency(fares)).toBe(1);
    }
    expect(walks).toHaveBeenCalledTimes(2);
    // A term no passage holds is kept too, and an id past the vocabulary is answered all the same.
    expect(archive.articleFrequency(-1)).toBe(0);
    expect(archive.articleFrequency(1e9)).toBe(0);
  });

  it("keeps, through an update, the counts of terms no article that came or went holds, and gives a fresh build's for all", async () => {
    const words = ['harbour', 'ferries', 'fares', 'strike', 'storm', 'council', 'budget', 'rovers'];
    const first = [
      article(0, 'The harbour reopened and ferries sailed.', 'Fares rose.'),
      article(1, 'A storm hit the harbour.'),
      article(2, 'The council set its budget.'),
      article(3, 'Rovers won in the storm.'),
    ];
    const built = await Archive.build(first);
    const idsIn = (archive: Archive): number[] => words.map((word) => archive.termId(processTerm(word) ?? '') ?? -1);
    for (const id of idsIn(built)) built.articleFrequency(id);
    // Article 1 edited (storm gone, strike come), article 2 gone, article 4 new; 0 and 3 moved or kept.
    const changed = [
      first[0] ?? article(9),
      { ...article(1, 'A strike shut the harbour.'), hash: 'h1b' },
      first[3] ?? article(9),
      article(4, 'Ferries ran on budget.'),
    ];
    const updated = (await built.prepareUpdate(changed)).commit();
    const walks = vi.spyOn(updated.passageIndex, 'textDocuments');
    const fresh = await Archive.build(changed);
    expect(idsIn(updated).map((id) => updated.articleFrequency(id))).toEqual(idsIn(fresh).map((id) => fresh.articleFrequency(id)));
    // Walked again: the terms of articles 1 (old and new), 2 and 4: harbour, ferries, strike, storm, council, budget;
    // not fares or rovers, whose counts the archive before had.
    const walked = new Set(walks.mock.calls.map(([id]) => updated.term(id)));
    expect(walked.has(processTerm('fares') ?? '')).toBe(false);
    expect(walked.has(processTerm('rovers') ?? '')).toBe(false);
    expect(walked.has(processTerm('storm') ?? '')).toBe(true);
    expect(walked.has(processTerm('ferries') ?? '')).toBe(true);
  });
});
