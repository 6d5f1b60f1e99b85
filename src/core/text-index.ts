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

/**
 * The first piece of an index as plain data, as a snapshot keeps it: MiniSearch's counts, each
 * document's MiniSearch id, our id and field lengths as flat arrays, and the slot of each ordinal.
 */
export interface TextIndexHead {
  readonly kind: 'head';
  readonly documentCount: number;
  readonly nextId: number;
  readonly fieldIds: Record<string, number>;
  readonly averageFieldLength: number[];
  readonly dirtCount: number;
  /** MiniSearch's own (short) id of each document, and our id of each. */
  readonly shortIds: Int32Array;
  readonly ids: Int32Array;
  /** Field lengths, {@link fieldIds}'s count per document, in `shortIds` order. */
  readonly lengths: Int32Array;
  /** MiniSearch id (slot) of each ordinal, or null when they are the same (a fresh build). */
  readonly slots: Int32Array | null;
}

/**
 * Some of an index's terms with their postings, flat: term i has `groups[i]` fields, each field
 * group g names its field (`fields[g]`) and holds `sizes[g]` documents, whose short ids and term
 * frequencies follow in `docs` and `freqs`.
 */
export interface TextIndexPostings {
  readonly kind: 'postings';
  readonly terms: readonly string[];
  readonly groups: Uint8Array;
  readonly fields: Uint8Array;
  readonly sizes: Uint32Array;
  readonly docs: Int32Array;
  readonly freqs: Uint32Array;
}

/** An index as plain data, in pieces a snapshot writes one at a time: the head, then postings. */
export type TextIndexPiece = TextIndexHead | TextIndexPostings;

/** What a snapshot reads back and writes out of MiniSearch, which keeps it private (`toJSON` would build it all in one go). */
interface IndexInternals {
  _documentCount: number;
  _nextId: number;
  _dirtCount: number;
  _documentIds: Map<number, unknown>;
  _fieldLength: Map<number, number[]>;
  _index: Iterable<[string, Map<number, Map<number, number>>]> & {
    set(term: string, data: Map<number, Map<number, number>>): unknown;
    get(term: string): Map<number, Map<number, number>> | undefined;
  };
}

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
  readonly #search: MiniSearch<IndexedDocument>;
  /** Slot of each ordinal; null while they are the same. */
  #slots: Int32Array | null;
  /** Ordinal of each slot (-1 for a discarded one); null while they are the same. */
  #ordinals: Int32Array | null;
  /** Summed field lengths (title, text): integers, so the averages never drift as documents come and go. */
  readonly #totals: [number, number];

  constructor(pieces?: readonly TextIndexPiece[], search?: MiniSearch<IndexedDocument>) {
    this.#search = search ?? (pieces === undefined ? new MiniSearch<IndexedDocument>(OPTIONS) : finish(searchFrom(pieces)));
    const head = pieces?.find((piece) => piece.kind === 'head');
    this.#slots = head?.slots ?? null;
    this.#ordinals = this.#slots === null ? null : invert(this.#slots);
    // Averages are always written as total / count, so the totals come back exactly.
    const count = this.#search.documentCount;
    const averages = this.#internals()._avgFieldLength;
    this.#totals = [Math.round((averages[0] ?? 0) * count), Math.round((averages[1] ?? 0) * count)];
  }

  /**
   * {@link TextIndex} from a snapshot's pieces, a piece at a time: yields after each, so a caller
   * reading a large archive back can let questions in between.
   */
  static *restoring(pieces: readonly TextIndexPiece[]): Generator<void, TextIndex> {
    return new TextIndex(pieces, yield* searchFrom(pieces));
  }

  /**
   * The index as plain data, for a snapshot, in pieces of about `postingsPerPiece` postings, so a
   * writer can let questions in between them; `new TextIndex(pieces)` reads them back. Read the
   * pieces before the index next changes: they are taken from it as they are asked for.
   */
  *pieces(postingsPerPiece = 20_000): Generator<TextIndexPiece> {
    const internals = this.#search as unknown as IndexInternals & FieldLengthInternals;
    const fieldCount = Object.keys(internals._fieldIds).length;
    const count = internals._documentIds.size;
    const shortIds = new Int32Array(count);
    const ids = new Int32Array(count);
    const lengths = new Int32Array(count * fieldCount);
    let row = 0;
    for (const [shortId, id] of internals._documentIds) {
      shortIds[row] = shortId;
      ids[row] = typeof id === 'number' ? id : -1;
      const fieldLengths = internals._fieldLength.get(shortId) ?? [];
      for (let f = 0; f < fieldCount; f++) lengths[row * fieldCount + f] = fieldLengths[f] ?? 0;
      row++;
    }
    yield {
      kind: 'head',
      documentCount: internals._documentCount,
      nextId: internals._nextId,
      fieldIds: { ...internals._fieldIds },
      averageFieldLength: [...internals._avgFieldLength],
      dirtCount: internals._dirtCount,
      shortIds,
      ids,
      lengths,
      slots: this.#slots,
    };
    let terms: string[] = [];
    let groups: number[] = [];
    let fields: number[] = [];
    let sizes: number[] = [];
    let docs: number[] = [];
    let freqs: number[] = [];
    const piece = (): TextIndexPostings => ({
      kind: 'postings',
      terms,
      groups: Uint8Array.from(groups),
      fields: Uint8Array.from(fields),
      sizes: Uint32Array.from(sizes),
      docs: Int32Array.from(docs),
      freqs: Uint32Array.from(freqs),
    });
    for (const [term, byField] of internals._index) {
      terms.push(term);
      groups.push(byField.size);
      for (const [fieldId, postings] of byField) {
        fields.push(fieldId);
        sizes.push(postings.size);
        for (const [doc, freq] of postings) {
          docs.push(doc);
          freqs.push(freq);
        }
      }
      if (docs.length >= postingsPerPiece) {
        yield piece();
        terms = [];
        groups = [];
        fields = [];
        sizes = [];
        docs = [];
        freqs = [];
      }
    }
    if (terms.length > 0) yield piece();
  }

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

/** Runs a generator of steps to its end, at once. */
function finish<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/**
 * MiniSearch from the pieces {@link TextIndex.pieces} gave: its own `loadJS` for the counts and
 * documents, then the postings; yields after each piece.
 */
function* searchFrom(pieces: readonly TextIndexPiece[]): Generator<void, MiniSearch<IndexedDocument>> {
  let search: MiniSearch<IndexedDocument> | null = null;
  for (const piece of pieces) {
    if (piece.kind === 'head') {
      const fieldCount = Object.keys(piece.fieldIds).length;
      const documentIds: Record<number, number> = {};
      const fieldLength: Record<number, number[]> = {};
      piece.shortIds.forEach((shortId, row) => {
        documentIds[shortId] = piece.ids[row] ?? -1;
        fieldLength[shortId] = Array.from(piece.lengths.subarray(row * fieldCount, (row + 1) * fieldCount));
      });
      const { documentCount, nextId, fieldIds, averageFieldLength, dirtCount } = piece;
      const js = { documentCount, nextId, fieldIds, averageFieldLength, dirtCount, documentIds, fieldLength, storedFields: {}, index: [] };
      search = MiniSearch.loadJS<IndexedDocument>({ ...js, serializationVersion: 2 }, OPTIONS);
      yield;
      continue;
    }
    if (search === null) throw new Error('the index postings come before its head');
    const index = (search as unknown as IndexInternals)._index;
    let group = 0;
    let at = 0;
    piece.terms.forEach((term, i) => {
      const byField = new Map<number, Map<number, number>>();
      for (let g = 0; g < (piece.groups[i] ?? 0); g++, group++) {
        const postings = new Map<number, number>();
        const end = at + (piece.sizes[group] ?? 0);
        for (; at < end; at++) postings.set(piece.docs[at] ?? -1, piece.freqs[at] ?? 0);
        byField.set(piece.fields[group] ?? 0, postings);
      }
      index.set(term, byField);
    });
    yield;
  }
  if (search === null) throw new Error('the index has no head');
  return search;
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
