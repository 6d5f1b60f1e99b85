import type { BM25Params } from 'minisearch';

/**
 * A passage as the postings index sees it: its ordinal, and the archive's term ids of its
 * article's title (with repeats) and of its own tokens (-1 for a stop word, skipped).
 */
export interface PostingsDocument {
  readonly id: number;
  readonly title: readonly number[] | Int32Array;
  readonly text: readonly number[] | Int32Array;
}

export interface TextMatch {
  readonly id: number;
  readonly score: number;
}

/** How much more a title match counts than a body match. */
export const TITLE_BOOST = 2;

/** The two fields, in the order MiniSearch scored them (its `fields` option): title, then text. */
const FIELDS = 2;

/** MiniSearch's default BM25 parameters, which it uses when a search gives none. */
const DEFAULT_BM25: BM25Params = { k: 1.2, b: 0.7, d: 0.5 };

/** MiniSearch's BM25 of one term in one field of one document, written as it writes it so the result is the same to the last bit. */
function bm25Score(termFreq: number, matching: number, total: number, fieldLength: number, average: number, params: BM25Params): number {
  const { k, b, d } = params;
  const invDocFreq = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
  return invDocFreq * (d + (termFreq * (k + 1)) / (termFreq + k * (1 - b + (b * fieldLength) / average)));
}

/**
 * The postings index as plain data, as a snapshot keeps it. Group `g = 2 × term + field` (title 0,
 * text 1) holds the ordinals `docs[starts[g]…starts[g + 1])` with their term frequencies in `freqs`;
 * `lengths[2 × ordinal + field]` is a document's field length.
 */
export interface PostingsData {
  readonly documentCount: number;
  /** Summed field lengths (title, text). */
  readonly totals: readonly [number, number];
  readonly lengths: Uint32Array;
  readonly starts: Uint32Array;
  readonly docs: Int32Array;
  readonly freqs: Uint16Array | Uint32Array;
}

/** Whether `starts` begins at 0 and never goes back. */
function ascending(starts: Uint32Array): boolean {
  let previous = 0;
  for (const start of starts) {
    if (start < previous) return false;
    previous = start;
  }
  return starts[0] === 0;
}

/** Whether the documents' field lengths (`lengths[2 × ordinal + field]`) sum to `totals`. */
function sumsTo(lengths: Uint32Array, totals: readonly [number, number]): boolean {
  let title = 0;
  let text = 0;
  for (let i = 0; i < lengths.length; i += FIELDS) {
    title += lengths[i] ?? 0;
    text += lengths[i + 1] ?? 0;
  }
  return title === totals[0] && text === totals[1];
}

/**
 * Throws unless every posting names a document of an index of `documentCount` documents, with a
 * frequency of at least 1: a snapshot's postings, checked as they are read, in one pass, so a
 * damaged one is a rebuild at start-up, not a wrong document at the first question.
 */
export function checkPostings(docs: Int32Array, freqs: Uint16Array | Uint32Array, documentCount: number): void {
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i] ?? -1;
    if (doc < 0 || doc >= documentCount || freqs[i] === 0) throw new Error('a posting names no document of the index');
  }
}

/** Per-document working space of {@link PostingsIndex.searchTerms}, kept between questions and grown as documents are added. */
class Scratch {
  /** Search under way, and term under way, that last touched each document. */
  searchOf = new Int32Array(0);
  termOf = new Int32Array(0);
  /** Score so far, the current term's score, and how many terms matched, per document. */
  score = new Float64Array(0);
  termScore = new Float64Array(0);
  matched = new Int32Array(0);
  /** Documents in the order they were first met, and the current term's. */
  found = new Int32Array(0);
  termFound = new Int32Array(0);
  search = 0;
  term = 0;

  fit(size: number): void {
    // Stamps are counted up, never cleared: new arrays long before they could overflow.
    if (this.searchOf.length >= size && this.term < 2 ** 30) return;
    const length = Math.max(size, 2 * this.searchOf.length);
    this.searchOf = new Int32Array(length);
    this.termOf = new Int32Array(length);
    this.score = new Float64Array(length);
    this.termScore = new Float64Array(length);
    this.matched = new Int32Array(length);
    this.found = new Int32Array(length);
    this.termFound = new Int32Array(length);
    this.search = 0;
    this.term = 0;
  }
}

/**
 * An update that searches already see but the flat arrays do not hold yet (see
 * {@link PostingsIndex.updating}): documents keep the numbers they have in the arrays (their
 * slots), the added ones get slots after them, and each slot's ordinal now is looked up.
 */
interface Overlay {
  /** The arrays' document count and summed field lengths before the update, for {@link PostingsIndex.settling}. */
  readonly baseCount: number;
  readonly baseTotals: readonly [number, number];
  /** What the update was given, for {@link PostingsIndex.settling} to merge into the arrays. */
  readonly renumber: Int32Array;
  readonly added: readonly PostingsDocument[];
  /** Per slot (the arrays' documents, then the added ones in order): its ordinal now, -1 for a removed one. */
  readonly ordinalOf: Int32Array;
  /** Field lengths by slot. */
  readonly lengths: Uint32Array;
  /** Per group of the arrays: how many of its postings are of removed documents. */
  readonly removedIn: Uint32Array;
  /** The added documents' postings, as an index of their own numbered from 0 (slot less `baseCount`). */
  readonly delta: PostingsIndex;
}

/** About how many postings {@link PostingsIndex.updating} walks between its steps. */
const POSTINGS_PER_STEP = 200_000;

/** How many added documents {@link PostingsIndex.updating} counts between its steps. */
const DOCUMENTS_PER_STEP = 200;

/** A growable typed array of int32s. */
class Ints {
  values = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(2 * this.values.length);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

/** The term under way in {@link PostingsIndex.searchTerms}: its stamp, and how many documents it met so far (in `Scratch.termFound`). */
interface PostingsRun {
  readonly current: number;
  count: number;
}

/** What BM25 reads of a term in one field, besides each posting's frequency and document. */
interface FieldScoring {
  readonly field: number;
  /** Term boost times field boost. */
  readonly weight: number;
  /** Documents the term is in, in this field. */
  readonly matching: number;
  readonly total: number;
  readonly average: number;
  /** Field lengths by slot. */
  readonly lengths: Uint32Array;
  readonly params: BM25Params;
}

/**
 * Adds the weighted BM25 of postings `from…to` of `docs`/`freqs` to their documents' scores for the
 * term under way, by slot (`slotBase` plus the posting's document), skipping a slot `ordinalOf` has
 * removed (-1): the one loop both an index's own postings and an overlay's added ones go through.
 */
function scoreRun(
  scratch: Scratch,
  run: PostingsRun,
  bm25: FieldScoring,
  docs: Int32Array,
  freqs: Uint16Array | Uint32Array,
  from: number,
  to: number,
  slotBase: number,
  ordinalOf: Int32Array | null,
): void {
  const { termOf, termScore, termFound } = scratch;
  const { field, weight, matching, total, average, lengths, params } = bm25;
  const current = run.current;
  let count = run.count;
  for (let i = from; i < to; i++) {
    const slot = slotBase + (docs[i] ?? 0);
    if (ordinalOf !== null && (ordinalOf[slot] ?? -1) < 0) continue;
    const weighted = weight * bm25Score(freqs[i] ?? 0, matching, total, lengths[FIELDS * slot + field] ?? 0, average, params);
    if (termOf[slot] === current) termScore[slot] = (termScore[slot] ?? 0) + weighted;
    else {
      termOf[slot] = current;
      termScore[slot] = weighted;
      termFound[count++] = slot;
    }
  }
  run.count = count;
}

/**
 * BM25 over passages, with the archive's term ids, stored flat: every posting of every term in a
 * few typed arrays (CSR), instead of MiniSearch's Map of Maps per term. At BBC ×10 MiniSearch's
 * index took 2.3 KB a passage and rebuilding its Maps from a snapshot took most of a start; these
 * arrays take about a tenth and are read back as they are. Scores are MiniSearch's to the last bit
 * (its field lengths, averages, BM25 and OR combination, with a title boost), a property test
 * compares them with MiniSearch's `search`. Documents are numbered by ordinal; an update renumbers.
 */
export class PostingsIndex {
  #count = 0;
  readonly #totals: [number, number] = [0, 0];
  #lengths: Uint32Array = new Uint32Array(0);
  #starts: Uint32Array = new Uint32Array(1);
  #docs: Int32Array = new Int32Array(0);
  #freqs: Uint16Array | Uint32Array = new Uint16Array(0);
  /** Postings added since the arrays were last merged: group, document, frequency. */
  #pending = { groups: new Ints(), docs: new Ints(), freqs: new Ints() };
  /** Documents added since the last merge: ordinal, title length, text length. */
  #pendingLengths = new Ints();
  /** Per term id: the document field it was last counted for, and its count there (scratch of {@link #addDocument}). */
  #seen = new Int32Array(0);
  #counts = new Int32Array(0);
  readonly #scratch = new Scratch();
  /** An update searched through but not yet merged into the arrays, if any. */
  #overlay: Overlay | null = null;

  /**
   * An index of `data`, as a snapshot kept it. Throws unless its shape adds up: whole groups whose
   * starts never go back and end at the last posting, a field length per document, and field
   * lengths that sum to the totals. That its postings name documents of the index is
   * {@link checkPostings}'s to check, a frame at a time as they are read.
   */
  constructor(data?: PostingsData) {
    if (data === undefined) return;
    const groups = data.starts.length - 1;
    if (
      groups % FIELDS !== 0 ||
      data.lengths.length !== FIELDS * data.documentCount ||
      data.docs.length !== data.freqs.length ||
      data.starts[groups] !== data.docs.length ||
      !ascending(data.starts) ||
      !sumsTo(data.lengths, data.totals)
    ) {
      throw new Error('the postings do not add up');
    }
    this.#count = data.documentCount;
    this.#totals[0] = data.totals[0];
    this.#totals[1] = data.totals[1];
    this.#lengths = data.lengths;
    this.#starts = data.starts;
    this.#docs = data.docs;
    this.#freqs = data.freqs;
  }

  get documentCount(): number {
    return this.#count + this.#pendingLengths.length / 3;
  }

  /** The index as plain data (merging what was added first); read it before the index next changes. */
  data(): PostingsData {
    this.#settle();
    this.#merge(null, this.documentCount);
    return {
      documentCount: this.#count,
      totals: [this.#totals[0], this.#totals[1]],
      lengths: this.#lengths,
      starts: this.#starts,
      docs: this.#docs,
      freqs: this.#freqs,
    };
  }

  /**
   * Adds documents numbered by ordinal, after those already in: how a fresh build fills the index.
   * Their postings wait in a list until {@link merge}, or the next search or update, merges them in.
   */
  addAll(documents: readonly PostingsDocument[]): void {
    this.#settle();
    for (const document of documents) this.#addDocument(document);
  }

  /** Merges the documents added into the flat arrays, and lets go of the list they waited in (about twice their size). */
  merge(): void {
    this.#merge(null, this.documentCount);
  }

  /**
   * Keeps the documents `renumber` keeps (`renumber[old]` is the new ordinal, -1 for a removed one)
   * and adds `added` (with their new ordinals); `count` is how many documents there are after.
   */
  update(renumber: Int32Array, added: readonly PostingsDocument[], count: number, removed?: readonly PostingsDocument[]): void {
    const steps = this.updating(renumber, added, count, removed);
    for (;;) {
      const step = steps.next();
      if (step.done === true) {
        step.value();
        return;
      }
    }
  }

  /** Counts one document's fields into the pending postings, as MiniSearch's `add` counted them. */
  #addDocument(document: PostingsDocument): void {
    this.#pendingLengths.push(document.id);
    const fields = [document.title, document.text];
    for (let field = 0; field < FIELDS; field++) {
      const ids = fields[field] ?? [];
      // Field lengths as MiniSearch counted the strings the archive gave it: distinct tokens. The
      // title's words were joined by spaces (an empty title was one empty token); each text word
      // was followed by a space, so the empty token after the last one counted too.
      let distinct = 0;
      const stamp = ++this.#stamp;
      for (const id of ids) {
        if (id < 0) continue;
        this.#fitTerms(id + 1);
        if (this.#seen[id] === stamp) this.#counts[id] = (this.#counts[id] ?? 0) + 1;
        else {
          this.#seen[id] = stamp;
          this.#counts[id] = 1;
          distinct++;
        }
      }
      const length = field === 0 ? Math.max(1, distinct) : distinct + 1;
      this.#pendingLengths.push(length);
      this.#totals[field] = (this.#totals[field] ?? 0) + length;
      for (const id of ids) {
        if (id < 0 || this.#seen[id] !== stamp) continue;
        // Each term once, at its first token, with its full count; then it is marked done.
        this.#seen[id] = -1;
        this.#pending.groups.push(FIELDS * id + field);
        this.#pending.docs.push(document.id);
        this.#pending.freqs.push(this.#counts[id] ?? 0);
      }
    }
  }

  #stamp = 0;

  #fitTerms(size: number): void {
    if (this.#seen.length >= size) return;
    const length = Math.max(size, 2 * this.#seen.length, 1024);
    const seen = new Int32Array(length);
    seen.set(this.#seen);
    this.#seen = seen;
    const counts = new Int32Array(length);
    counts.set(this.#counts);
    this.#counts = counts;
  }

  /**
   * Merges the pending postings into the flat arrays, renumbering the documents already in
   * (`renumber`, removed ones dropped) when given; `count` documents after.
   */
  #merge(renumber: Int32Array | null, count: number): void {
    if (renumber === null && this.#pendingLengths.length === 0) return;
    const steps = this.#merging(renumber, count, this);
    for (;;) {
      const step = steps.next();
      if (step.done === true) {
        step.value();
        return;
      }
    }
  }

  /**
   * {@link update} a step at a time: works out the new arrays beside the ones searched now, yielding
   * every {@link POSTINGS_PER_STEP} postings or so, and returns the function that swaps them in, at
   * once. Until it is called the index answers as before, so a caller can let questions in between
   * the steps (at BBC ×10 the arrays hold about ten million postings, and an update walks them all).
   * The index must not change between the first step and the swap.
   */
  *updating(
    renumber: Int32Array,
    added: readonly PostingsDocument[],
    count: number,
    removed?: readonly PostingsDocument[],
  ): Generator<void, () => void> {
    this.#settle();
    this.#merge(null, this.documentCount);
    const baseCount = this.#count;
    const dropped = countRemoved(renumber, baseCount);
    if (removed?.length !== dropped || renumber.length !== baseCount) {
      const delta = new PostingsIndex();
      delta.#fitTerms(this.#seen.length);
      delta.addAll(added);
      yield;
      return yield* this.#merging(renumber, count, delta);
    }
    // Told the removed documents' postings: searches see the update at once through an overlay, and
    // the arrays are merged later ({@link settling}), so an update costs what changed, not the
    // ten million postings of BBC ×10.
    const delta = new PostingsIndex();
    delta.#fitTerms(this.#seen.length);
    // A few hundred documents a step: 100 changed articles' passages took one step 20 ms at BBC ×10 (load 4).
    for (let from = 0; from < added.length; from += DOCUMENTS_PER_STEP) {
      const batch = added.slice(from, from + DOCUMENTS_PER_STEP);
      delta.addAll(batch.map((document, i) => ({ id: from + i, title: document.title, text: document.text })));
      yield;
    }
    delta.merge();
    yield;
    const ordinalOf = new Int32Array(baseCount + added.length);
    ordinalOf.set(renumber);
    added.forEach((document, slot) => {
      ordinalOf[baseCount + slot] = document.id;
    });
    const lengths = new Uint32Array(FIELDS * (baseCount + added.length));
    lengths.set(this.#lengths.subarray(0, FIELDS * baseCount));
    lengths.set(delta.#lengths, FIELDS * baseCount);
    const baseTotals: [number, number] = [this.#totals[0], this.#totals[1]];
    const totals: [number, number] = [baseTotals[0] + delta.#totals[0], baseTotals[1] + delta.#totals[1]];
    takeRemovedLengths(totals, this.#lengths, renumber, baseCount);
    const groups = this.#starts.length - 1;
    const removedIn = new Uint32Array(groups);
    for (const document of removed) {
      const fields = [document.title, document.text];
      for (let field = 0; field < FIELDS; field++) {
        for (const id of new Set(fields[field])) {
          const g = FIELDS * id + field;
          if (id >= 0 && g < groups) removedIn[g] = (removedIn[g] ?? 0) + 1;
        }
      }
    }
    const overlay: Overlay = { baseCount, baseTotals, renumber, added, ordinalOf, lengths, removedIn, delta };
    return () => {
      this.#overlay = overlay;
      this.#count = count;
      this.#totals[0] = totals[0];
      this.#totals[1] = totals[1];
    };
  }

  /**
   * Merges an update searches see through an overlay into the flat arrays, a step at a time, as
   * {@link updating} without its removed documents would have; returns the function that swaps the
   * arrays in (nothing to do when there is no overlay, or it was merged meanwhile). Searches give
   * the same results before and after.
   */
  *settling(): Generator<void, () => void> {
    const overlay = this.#overlay;
    if (overlay === null) return () => undefined;
    const delta = new PostingsIndex();
    delta.#fitTerms(this.#seen.length);
    // A few hundred documents a step, as the update added them: 100 changed articles' passages in
    // one step held answering up for 80 ms at BBC ×10 (load 8), after the swap.
    for (let from = 0; from < overlay.added.length; from += DOCUMENTS_PER_STEP) {
      delta.addAll(overlay.added.slice(from, from + DOCUMENTS_PER_STEP));
      yield;
    }
    yield;
    const swap = yield* this.#merging(overlay.renumber, this.#count, delta, { count: overlay.baseCount, totals: overlay.baseTotals });
    return () => {
      if (this.#overlay !== overlay) return;
      swap();
      this.#overlay = null;
    };
  }

  /** {@link settling} in one go. */
  #settle(): void {
    if (this.#overlay === null) return;
    const steps = this.settling();
    for (;;) {
      const step = steps.next();
      if (step.done === true) {
        step.value();
        return;
      }
    }
  }

  /**
   * Works out the flat arrays with `from`'s pending postings merged in (this index's own, or those
   * of the documents an update adds), renumbering the documents already in (`renumber`, removed
   * ones dropped) when given; `count` documents after. Returns the function that swaps them in.
   */
  *#merging(
    renumber: Int32Array | null,
    count: number,
    from: PostingsIndex,
    base: { readonly count: number; readonly totals: readonly [number, number] } = { count: this.#count, totals: this.#totals },
  ): Generator<void, () => void> {
    const pending = from.#pending;
    const added = pending.groups.length;
    const totals: [number, number] = [base.totals[0], base.totals[1]];
    if (from !== this) {
      totals[0] += from.#totals[0];
      totals[1] += from.#totals[1];
    }
    const oldGroups = this.#starts.length - 1;
    let groups = oldGroups;
    for (let i = 0; i < added; i++) groups = Math.max(groups, (pending.groups.values[i] ?? 0) + 1);
    groups = Math.ceil(groups / FIELDS) * FIELDS;
    const oldStarts = this.#starts;
    const oldDocs = this.#docs;
    const oldFreqs = this.#freqs;
    // Sizes first (shifted by one), then summed into starts in place.
    const starts = new Uint32Array(groups + 1);
    let walked = 0;
    for (let g = 0; g < oldGroups; g++) {
      const from = oldStarts[g] ?? 0;
      const to = oldStarts[g + 1] ?? 0;
      if (renumber === null) starts[g + 1] = to - from;
      else {
        let kept = 0;
        for (let i = from; i < to; i++) if ((renumber[oldDocs[i] ?? 0] ?? -1) >= 0) kept++;
        starts[g + 1] = kept;
        walked += to - from;
        if (walked >= POSTINGS_PER_STEP) {
          walked = 0;
          yield;
        }
      }
    }
    let wide = oldFreqs instanceof Uint32Array;
    for (let i = 0; i < added; i++) {
      const g = pending.groups.values[i] ?? 0;
      starts[g + 1] = (starts[g + 1] ?? 0) + 1;
      if ((pending.freqs.values[i] ?? 0) > 0xffff) wide = true;
    }
    sumInPlace(starts, groups);
    const total = starts[groups] ?? 0;
    const docs = new Int32Array(total);
    const freqs = wide ? new Uint32Array(total) : new Uint16Array(total);
    const cursor = starts.slice(0, groups);
    yield;
    for (let g = 0; g < oldGroups; g++) {
      const from = oldStarts[g] ?? 0;
      const to = oldStarts[g + 1] ?? 0;
      let at = cursor[g] ?? 0;
      if (renumber === null) {
        docs.set(oldDocs.subarray(from, to), at);
        freqs.set(oldFreqs.subarray(from, to), at);
        at += to - from;
      } else {
        for (let i = from; i < to; i++) {
          const doc = renumber[oldDocs[i] ?? 0] ?? -1;
          if (doc < 0) continue;
          docs[at] = doc;
          freqs[at++] = oldFreqs[i] ?? 0;
        }
        walked += to - from;
        if (walked >= POSTINGS_PER_STEP) {
          walked = 0;
          yield;
        }
      }
      cursor[g] = at;
    }
    for (let i = 0; i < added; i++) {
      const g = pending.groups.values[i] ?? 0;
      const at = cursor[g] ?? 0;
      docs[at] = pending.docs.values[i] ?? 0;
      freqs[at] = pending.freqs.values[i] ?? 0;
      cursor[g] = at + 1;
    }
    // Field lengths by ordinal: the kept documents' at their new ordinals (the removed ones' come
    // off the totals), then the added ones'.
    const lengths = new Uint32Array(FIELDS * count);
    if (renumber === null) lengths.set(this.#lengths);
    else {
      for (let old = 0; old < base.count; old++) {
        const doc = renumber[old] ?? -1;
        for (let f = 0; f < FIELDS; f++) {
          const length = this.#lengths[FIELDS * old + f] ?? 0;
          if (doc >= 0) lengths[FIELDS * doc + f] = length;
          else totals[f] = (totals[f] ?? 0) - length;
        }
      }
    }
    const placed = from.#pendingLengths;
    for (let i = 0; i < placed.length; i += 3) {
      const doc = placed.values[i] ?? 0;
      lengths[FIELDS * doc] = placed.values[i + 1] ?? 0;
      lengths[FIELDS * doc + 1] = placed.values[i + 2] ?? 0;
    }
    return () => {
      this.#count = count;
      this.#totals[0] = totals[0];
      this.#totals[1] = totals[1];
      this.#lengths = lengths;
      this.#starts = starts;
      this.#docs = docs;
      this.#freqs = freqs;
      if (from === this) {
        this.#pending = { groups: new Ints(), docs: new Ints(), freqs: new Ints() };
        this.#pendingLengths = new Ints();
      }
    };
  }

  /**
   * The documents whose text holds term id `term`, ascending (a view: read it before the index next
   * changes). Through an update's overlay, as searches read it: merging the overlay in one go here
   * held answering up 70–90 ms of CPU at BBC ×10 whenever a question asked this between an update's
   * swap and the end of its merge, which runs a step at a time beside answering ({@link settling}).
   */
  textDocuments(term: number): Int32Array {
    this.#merge(null, this.documentCount);
    const group = FIELDS * term + 1;
    const kept =
      term < 0 || group + 1 >= this.#starts.length
        ? NO_DOCUMENTS
        : this.#docs.subarray(this.#starts[group] ?? 0, this.#starts[group + 1] ?? 0);
    const overlay = this.#overlay;
    if (overlay === null) return kept;
    // The arrays' documents through the renumbering (removed ones dropped), merged with the added
    // ones': both ascending, as an update keeps the documents it keeps in their order and adds its
    // own in ordinal order.
    const { ordinalOf, baseCount, delta } = overlay;
    const added =
      term < 0 || group + 1 >= delta.#starts.length
        ? NO_DOCUMENTS
        : delta.#docs.subarray(delta.#starts[group] ?? 0, delta.#starts[group + 1] ?? 0);
    const out = new Int32Array(kept.length + added.length);
    let count = 0;
    let j = 0;
    for (const slot of kept) {
      const ordinal = ordinalOf[slot] ?? -1;
      if (ordinal < 0) continue;
      for (
        let next = ordinalOf[baseCount + (added[j] ?? 0)] ?? -1;
        j < added.length && next < ordinal;
        next = ordinalOf[baseCount + (added[j] ?? 0)] ?? -1
      ) {
        out[count++] = next;
        j++;
      }
      out[count++] = ordinal;
    }
    for (; j < added.length; j++) out[count++] = ordinalOf[baseCount + (added[j] ?? 0)] ?? -1;
    return out.subarray(0, count);
  }

  /**
   * Searches with term ids (the caller has expanded fuzzy and prefix variants), OR-combined and
   * scored by BM25, best first, equal scores in ordinal order: what MiniSearch's `search` gave for
   * the same terms (`combineWith: 'OR'`, `boostTerm`, `bm25`, a title boost), to the last bit.
   * `boosts[i]` weighs `terms[i]` (1 when absent); a repeated term adds its score again but counts
   * once among the terms a document matched, as MiniSearch does.
   *
   * @example index.searchTerms([syriaId, warId], [2, 1])[0]?.id
   */
  searchTerms(
    terms: readonly number[],
    boosts?: readonly number[],
    scoring?: { readonly bm25?: BM25Params; readonly titleBoost?: number },
  ): TextMatch[] {
    this.#merge(null, this.documentCount);
    if (terms.length === 0) return [];
    const params = scoring?.bm25 ?? DEFAULT_BM25;
    // As MiniSearch read its boosts: a field's own, or 1 for none (or 0).
    const fieldBoosts = [(scoring?.titleBoost ?? TITLE_BOOST) || 1, 1];
    const total = this.#count;
    const averages = [total === 0 ? 0 : this.#totals[0] / total, total === 0 ? 0 : this.#totals[1] / total];
    // Through an update's overlay (see {@link updating}), documents are counted by slot: the
    // arrays' postings less the removed documents', then the added documents' (numbered after the
    // arrays' by `baseCount`), each given its ordinal at the end. Every number BM25 reads (documents
    // matching, their count, field lengths and averages) is what the merged arrays give, so the
    // scores are the same to the last bit. Without one, a slot is the ordinal and nothing is added.
    const overlay = this.#overlay;
    const ordinalOf = overlay === null ? null : overlay.ordinalOf;
    const removedIn = overlay === null ? null : overlay.removedIn;
    const lengths = overlay === null ? this.#lengths : overlay.lengths;
    const baseCount = overlay === null ? total : overlay.baseCount;
    const delta = overlay === null ? NO_POSTINGS : overlay.delta;
    const starts = this.#starts;
    const addedStarts = delta.#starts;
    const groups = starts.length - 1;
    const addedGroups = addedStarts.length - 1;
    const scratch = this.#scratch;
    scratch.fit(ordinalOf === null ? total : ordinalOf.length);
    const search = ++scratch.search;
    const { searchOf, score, termScore, matched, found, termFound } = scratch;
    let foundCount = 0;
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t] ?? -1;
      if (term < 0 || (FIELDS * term >= groups && FIELDS * term >= addedGroups)) continue;
      const repeated = terms.indexOf(term) < t;
      const termBoost = boosts?.[t] ?? 1;
      const run: PostingsRun = { current: ++scratch.term, count: 0 };
      for (let field = 0; field < FIELDS; field++) {
        const g = FIELDS * term + field;
        const from = g < groups ? (starts[g] ?? 0) : 0;
        const to = g < groups ? (starts[g + 1] ?? 0) : 0;
        const addedFrom = g < addedGroups ? (addedStarts[g] ?? 0) : 0;
        const addedTo = g < addedGroups ? (addedStarts[g + 1] ?? 0) : 0;
        const removed = removedIn !== null && g < groups ? (removedIn[g] ?? 0) : 0;
        const bm25: FieldScoring = {
          field,
          // MiniSearch multiplied term weight (1), term boost, field boost, document boost (1) and the score, in that order.
          weight: termBoost * (fieldBoosts[field] ?? 1),
          matching: to - from - removed + (addedTo - addedFrom),
          total,
          average: averages[field] ?? 0,
          lengths,
          params,
        };
        scoreRun(scratch, run, bm25, this.#docs, this.#freqs, from, to, 0, ordinalOf);
        scoreRun(scratch, run, bm25, delta.#docs, delta.#freqs, addedFrom, addedTo, baseCount, null);
      }
      // OR: each term's score per document is added to the sum of the terms before, in term order.
      for (let i = 0; i < run.count; i++) {
        const slot = termFound[i] ?? 0;
        if (searchOf[slot] === search) {
          score[slot] = (score[slot] ?? 0) + (termScore[slot] ?? 0);
          if (!repeated) matched[slot] = (matched[slot] ?? 0) + 1;
        } else {
          searchOf[slot] = search;
          score[slot] = termScore[slot] ?? 0;
          matched[slot] = 1;
          found[foundCount++] = slot;
        }
      }
    }
    const results = new Array<TextMatch>(foundCount);
    for (let i = 0; i < foundCount; i++) {
      const slot = found[i] ?? 0;
      // MiniSearch multiplied each score by how many of the terms the document matched.
      results[i] = { id: ordinalOf === null ? slot : (ordinalOf[slot] ?? -1), score: (score[slot] ?? 0) * (matched[slot] ?? 1) };
    }
    // Best first, equal scores in ordinal order: the same whatever order documents came in.
    return results.sort((a, b) => b.score - a.score || a.id - b.id);
  }
}

// Loops over every document or group, in plain functions: inside the generators that call them
// (run once an update), they ran unoptimised, the first update after a start most of all.

/** How many of the first `count` documents `renumber` removes (-1). */
function countRemoved(renumber: Int32Array, count: number): number {
  let removed = 0;
  for (let old = 0; old < count; old++) if ((renumber[old] ?? -1) < 0) removed++;
  return removed;
}

/** Takes the field lengths of the documents `renumber` removes off `totals`. */
function takeRemovedLengths(totals: [number, number], lengths: Uint32Array, renumber: Int32Array, count: number): void {
  for (let old = 0; old < count; old++) {
    if ((renumber[old] ?? -1) >= 0) continue;
    for (let f = 0; f < FIELDS; f++) totals[f] = (totals[f] ?? 0) - (lengths[FIELDS * old + f] ?? 0);
  }
}

/** Sizes shifted by one (`starts[g + 1]` is group g's) summed in place into the groups' starts. */
function sumInPlace(starts: Uint32Array, groups: number): void {
  for (let g = 0; g < groups; g++) starts[g + 1] = (starts[g + 1] ?? 0) + (starts[g] ?? 0);
}

/** No documents, for {@link PostingsIndex.textDocuments} of a term no document holds. */
const NO_DOCUMENTS = new Int32Array(0);

/** The added postings of a search without an overlay: none. */
const NO_POSTINGS = new PostingsIndex();
