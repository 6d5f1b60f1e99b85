import MiniSearch, { type BM25Params } from 'minisearch';
import { TITLE_BOOST, type TextMatch } from './postings-index.ts';
import { processTerm, rawTokens } from './text.ts';

/**
 * A document as the index sees it: a numeric id into our own arrays, and the processed terms of
 * its title and body, space-separated. Terms come in already processed (we tokenize each passage
 * once, at index time, for the reranker too), so MiniSearch only splits on spaces.
 */
export interface IndexedDocument {
  readonly id: number;
  readonly title: string;
  readonly text: string;
}

const splitTerms = (text: string): string[] => text.split(' ');
const keepTerm = (term: string): string | false => (term.length > 0 ? term : false);

/**
 * The one place that fixes how Factdesk uses MiniSearch: its fields, term handling and title
 * weight, and the fuzzy and prefix rules for text typed into a search box.
 */
const OPTIONS = {
  fields: ['title', 'text'],
  storeFields: [],
  tokenize: splitTerms,
  processTerm: keepTerm,
  searchOptions: { boost: { title: TITLE_BOOST } },
};

/** The MiniSearch internals that hold the average field lengths BM25 divides by. */
interface FieldLengthInternals {
  _avgFieldLength: number[];
  _fieldIds: Record<string, number>;
}

/** How many terms MiniSearch counts in a field: distinct tokens, as its `add` does. */
const fieldLength = (text: string): number => new Set(splitTerms(text)).size;

/**
 * MiniSearch over our documents. Documents are numbered by ordinal (their place in the archive),
 * but MiniSearch keeps an id for good once given, so an incremental update that inserts or removes
 * documents gives new ones fresh ids ("slots") and keeps a table from slot to ordinal; results come
 * back as ordinals, ties in ordinal order, exactly as from a fresh build of the same documents.
 */
export class TextIndex {
  readonly #search = new MiniSearch<IndexedDocument>(OPTIONS);
  /** Slot of each ordinal; null while they are the same. */
  #slots: Int32Array | null = null;
  /** Ordinal of each slot (-1 for a discarded one); null while they are the same. */
  #ordinals: Int32Array | null = null;
  /** Summed field lengths (title, text): integers, so the averages never drift as documents come and go. */
  readonly #totals: [number, number] = [0, 0];

  #internals(): FieldLengthInternals {
    return this.#search as unknown as FieldLengthInternals; // MiniSearch keeps these private, but serialises them.
  }

  /**
   * Sets each field's average length to its exact total over the count. MiniSearch keeps a running
   * average, whose last bits depend on the order documents came and went; BM25 scores then would too.
   */
  #exactAverages(): void {
    const internals = this.#internals();
    const count = this.#search.documentCount;
    const title = internals._fieldIds.title ?? 0;
    const text = internals._fieldIds.text ?? 1;
    internals._avgFieldLength[title] = count === 0 ? 0 : this.#totals[0] / count;
    internals._avgFieldLength[text] = count === 0 ? 0 : this.#totals[1] / count;
  }

  #count(documents: readonly IndexedDocument[], sign: 1 | -1): void {
    for (const document of documents) {
      this.#totals[0] += sign * fieldLength(document.title);
      this.#totals[1] += sign * fieldLength(document.text);
    }
  }

  /** Adds documents numbered by ordinal, after those already in: how a fresh build fills the index. */
  addAll(documents: readonly IndexedDocument[]): void {
    if (this.#slots !== null) throw new Error('addAll is for a fresh build; use update');
    this.#search.addAll(documents);
    this.#count(documents, 1);
    this.#exactAverages();
  }

  /**
   * Takes out `removed` (with their old ordinals), renumbers the documents kept (`renumber[old]` is
   * the new ordinal, -1 for a removed one) and adds `added` (with their new ordinals); `count` is
   * how many documents there are after. Removed documents go with MiniSearch's `remove`, which takes
   * their postings out at once, not `discard`: until a vacuum has run, a discarded document still
   * counts in the document frequency MiniSearch gives the documents it visits before it, so scores
   * would differ from a fresh build's (and a vacuum runs later, in batches, while questions come in).
   */
  update(removed: readonly IndexedDocument[], added: readonly IndexedDocument[], renumber: Int32Array, count: number): void {
    const slotOf = (ordinal: number): number => (this.#slots === null ? ordinal : (this.#slots[ordinal] ?? -1));
    for (const document of removed) this.#search.remove({ ...document, id: slotOf(document.id) });
    const slots = new Int32Array(count).fill(-1);
    for (let old = 0; old < renumber.length; old++) {
      const ordinal = renumber[old] ?? -1;
      if (ordinal >= 0) slots[ordinal] = slotOf(old);
    }
    let next = this.#ordinals?.length ?? renumber.length;
    const fresh = added.map((document) => {
      slots[document.id] = next;
      return { ...document, id: next++ };
    });
    this.#search.addAll(fresh);
    this.#count(removed, -1);
    this.#count(added, 1);
    this.#exactAverages();
    this.#slots = slots;
    this.#ordinals = invert(slots);
  }

  get documentCount(): number {
    return this.#search.documentCount;
  }

  /** Results by ordinal, best first, equal scores in ordinal order: the same whatever order documents came in. */
  #canonical<T extends { id: unknown; score: number }>(results: T[]): T[] {
    const ordinals = this.#ordinals;
    if (ordinals !== null) for (const result of results) result.id = ordinals[result.id as number] ?? -1;
    for (let i = 1; i < results.length; i++) {
      if (results[i]?.score === results[i - 1]?.score) {
        return results.sort((a, b) => b.score - a.score || (a.id as number) - (b.id as number));
      }
    }
    return results;
  }

  /**
   * Searches with processed terms, OR-combined and scored by BM25, best first, through MiniSearch's
   * own `search`: what `PostingsIndex.searchTerms` must equal (a test compares them).
   */
  searchTermsWithMiniSearch(
    terms: readonly string[],
    boost?: ReadonlyMap<string, number>,
    scoring?: { readonly bm25?: BM25Params; readonly titleBoost?: number },
  ): TextMatch[] {
    if (terms.length === 0) return [];
    // MiniSearch's results already carry a numeric id and a score; copying thousands of them into
    // new objects would only feed the garbage collector on the answer path.
    return this.#canonical(
      this.#search.search(terms.join(' '), {
        tokenize: splitTerms,
        processTerm: keepTerm,
        combineWith: 'OR',
        fuzzy: false,
        prefix: false,
        boostTerm: (term) => boost?.get(term) ?? 1,
        ...(scoring?.bm25 ? { bm25: scoring.bm25 } : {}),
        ...(scoring?.titleBoost === undefined ? {} : { boost: { title: scoring.titleBoost } }),
      }),
    );
  }

  /**
   * Searches the way a person types into an autocomplete box: every word must match, longer
   * words fuzzily, and the last word may be unfinished.
   */
  searchTyped(text: string): TextMatch[] {
    return this.#canonical(
      this.#search.search(text, {
        tokenize: rawTokens,
        processTerm: (term) => processTerm(term) ?? false,
        combineWith: 'AND',
        fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
        prefix: (term, index, all) => index === all.length - 1 && term.length >= 2,
      }),
    ).map((result) => ({ id: result.id as number, score: result.score }));
  }
}

/** The ordinal of each slot, -1 for a slot no ordinal holds (MiniSearch lets a discarded id be used again). */
function invert(slots: Int32Array): Int32Array {
  let size = 0;
  for (const slot of slots) size = Math.max(size, slot + 1);
  const ordinals = new Int32Array(size).fill(-1);
  slots.forEach((slot, ordinal) => {
    if (slot >= 0) ordinals[slot] = ordinal;
  });
  return ordinals;
}
