import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { BM25Params } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import { extractFigures, figureMatch } from './figures/index.ts';
import { buildPassages, passageOf } from './passages.ts';
import type { ProgressListener } from './progress.ts';
import { sentenceSpans } from './sentences.ts';
import { PostingsIndex, type PostingsDocument, type TextMatch } from './postings-index.ts';
import { TextIndex, type IndexedDocument } from './text-index.ts';
import { computeTerm, forEachToken, terms } from './text.ts';
import type { Article, Figure, FigureKind, FigureMatch, Passage, Problem, Span } from './types.ts';
import { formatDuration } from './durations.ts';

/** A build yields to the event loop once it has run this long, so questions keep being answered. */
const SLICE_MS = 10;
/** Articles, and passages, a commit works through between its steps. */
const STEP_ARTICLES = 2_000;
const STEP_PASSAGES = 10_000;
/** Articles put in a new archive's map by id between two steps of an update. */
const STEP_BY_ID = 10_000;

/** A capitalised token mid-sentence: a name, usually. */
export const CAPITAL_MID = 1;
/** A capitalised token opening a sentence: a name only if the corpus capitalises it elsewhere too. */
export const CAPITAL_START = 2;

/** A passage with what the answer path needs precomputed at index time. */
export interface IndexedPassage {
  readonly ordinal: number;
  readonly passage: Passage;
  readonly article: number;
  /** Ordinal of the first passage with the same text, its own if none: news archives carry a wire story twice. */
  readonly original: number;
  /** Term id of each token, -1 for a stop word. */
  readonly termIds: Int32Array;
  /**
   * `[start, end)` of each token, flattened: token i spans `spans[2i]` to `spans[2i + 1]`. 16 bits
   * are enough: a passage is at most a thousand characters (passages.ts cuts longer ones). A
   * token's sentence ({@link sentenceOfToken}) and capital ({@link capitalOf}) are worked out from
   * these and the text when asked, not stored: two more typed arrays per passage took 120 bytes a
   * passage more than their contents, about 50 MB at BBC ×10.
   */
  readonly spans: Uint16Array;
  readonly sentences: readonly Span[];
  readonly figures: readonly Figure[];
  /**
   * Token of a personal pronoun ("he", "she", "his", "her", "him") in the passage's first sentence,
   * or -1: a paragraph that opens by referring back is about someone the paragraph before names.
   */
  readonly pronoun: number;
}

export interface IndexedArticle {
  readonly ordinal: number;
  readonly article: Article;
  readonly passages: readonly number[];
  /**
   * Term ids found anywhere in the article, title included, ascending, each once: look one up with
   * {@link hasTerm}. A flat typed array takes a tenth of the memory a Map or Set of them did.
   */
  readonly terms: Int32Array;
  /** The title's term ids, ascending, each once. */
  readonly titleTerms: Int32Array;
}

/** Whether an ascending list of term ids ({@link IndexedArticle.terms}, `titleTerms`) holds `id`. */
export function hasTerm(ids: Int32Array, id: number): boolean {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = ids[mid] ?? 0;
    if (at === id) return true;
    if (at < id) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/** What a token's sentence and capital are worked out from. */
export type TokenPlaces = Pick<IndexedPassage, 'termIds' | 'spans' | 'sentences' | 'passage'>;

/**
 * Sentence number of a passage's token (an index into its `sentences`): the first sentence that
 * ends after the token starts, the last if none does, as the tokens were numbered when indexed.
 */
export function sentenceOfToken(passage: Pick<IndexedPassage, 'spans' | 'sentences'>, token: number): number {
  const { sentences } = passage;
  const start = passage.spans[2 * token] ?? 0;
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (start < (sentences[mid]?.end ?? 0)) hi = mid;
    else lo = mid + 1;
  }
  return Math.max(0, lo);
}

/**
 * {@link CAPITAL_MID} or {@link CAPITAL_START} for a search term written with a capital letter
 * (ASCII: nearly all of it) mid-sentence or first in its sentence, else 0.
 */
export function capitalOf(passage: TokenPlaces, token: number): number {
  if ((passage.termIds[token] ?? -1) < 0) return 0;
  const first = passage.passage.text.charCodeAt(passage.spans[2 * token] ?? 0);
  if (!(first >= 65 && first <= 90)) return 0;
  return token === 0 || sentenceOfToken(passage, token) !== sentenceOfToken(passage, token - 1) ? CAPITAL_START : CAPITAL_MID;
}

/** Distinct ids, ascending, as a typed array. */
const sortedIds = (ids: Iterable<number>): Int32Array => Int32Array.from(new Set(ids)).sort();

/**
 * Per term id, the walk that last met it ({@link newWalk}): a walk over a passage's or an
 * article's ids meets each once without a Set of its own (a Set per passage was a tenth of a
 * build's garbage). Walks are synchronous, one at a time.
 */
let metIn = new Int32Array(1 << 16);
let walk = 0;

/** Starts a walk over term ids below `ids`; returns its stamp for {@link metIn}. */
function newWalk(ids: number): number {
  if (ids > metIn.length) {
    const grown = new Int32Array(Math.max(ids, 2 * metIn.length));
    grown.set(metIn);
    metIn = grown;
  }
  if (walk >= 0x7fffffff) {
    metIn.fill(0);
    walk = 0;
  }
  return ++walk;
}

export interface ArchiveStats {
  readonly articles: number;
  readonly passages: number;
  readonly figures: number;
  readonly terms: number;
  readonly builtAt: Date;
  readonly buildMs: number;
}

export interface BuildOptions {
  /** The clock, so tests can fix "now". */
  readonly now?: () => Date;
  /** Articles processed between yields to the event loop, so a rebuild never stalls live questions. */
  readonly batchSize?: number;
  /** Longest one article's passages and figures may take before it is left out as a problem. */
  readonly fileBudgetMs?: number;
  /** Told after each batch of articles and at the end, for a progress line. */
  readonly onProgress?: ProgressListener;
  /** An article's passages and figures, when they were worked out elsewhere (a worker thread). */
  readonly prepared?: (article: Article) => PreparedArticle | Problem | undefined;
}

/** The archive's terms and what the corpus says about each, in term-id order: what a snapshot keeps. */
export interface VocabularyParts {
  readonly words: readonly string[];
  /** In how many passages each term occurs. */
  readonly passageDf: readonly number[];
  /** In how many article titles each term occurs. */
  readonly titleDf: readonly number[];
  /** Occurrences not at the start of a sentence, and how many of those were capitalised. */
  readonly midSentence: readonly number[];
  readonly capitalised: readonly number[];
}

/** Vocabularies made so far, to number them. */
let vocabularies = 0;

/**
 * A value made by steps (a generator) when first asked for ({@link get}), or ahead of that with
 * `pause` awaited between steps ({@link warm}), so questions are answered meanwhile. Once made it is
 * kept, and its owner updates it in place ({@link made}); one made ahead while its source changed
 * ({@link changed}) is let go, and the next {@link get} makes it whole.
 */
class MadeWhenAsked<T> {
  readonly #steps: () => Generator<void, T>;
  #value: T | null;
  /** Changes to the source so far: a value being made in steps meanwhile is out of date. */
  #changes = 0;

  constructor(steps: () => Generator<void, T>, made: T | null = null) {
    this.#steps = steps;
    this.#value = made;
  }

  /** The value if it is made, for its owner to keep up to date; null if no one has asked for it yet. */
  get made(): T | null {
    return this.#value;
  }

  /** The value; made now, in one go, if no one has asked for it before. */
  get(): T {
    if (this.#value === null) {
      const steps = this.#steps();
      let step = steps.next();
      while (step.done !== true) step = steps.next();
      this.#value = step.value;
    }
    return this.#value;
  }

  /** Makes the value a step at a time with `pause` awaited between; resolves at once when it is made already. */
  async warm(pause: () => Promise<unknown>): Promise<void> {
    if (this.#value !== null) return;
    const changes = this.#changes;
    const steps = this.#steps();
    let step = steps.next();
    while (step.done !== true) {
      await pause();
      step = steps.next();
    }
    // Asked for meanwhile, it was made in one go then: that one stays.
    if (this.#changes === changes) this.#value ??= step.value;
  }

  /** Says the source changed, so a value being made in steps now is not kept. */
  changed(): void {
    this.#changes++;
  }
}

/**
 * The archive's terms. A term keeps its id for good; it is live while some passage or title holds
 * it, and only live terms are found (by {@link Archive.termId}, fuzzy or prefix), so an archive
 * updated in place finds exactly the terms a fresh build of the same articles would.
 */
class Vocabulary implements VocabularyParts {
  /** Tells this vocabulary from every other made in this process. */
  readonly serial = ++vocabularies;
  readonly ids = new Map<string, number>();
  readonly words: string[];
  readonly passageDf: number[];
  readonly titleDf: number[];
  readonly midSentence: number[];
  readonly capitalised: number[];
  /**
   * The live terms, for fuzzy and prefix lookups: a radix tree of Maps, made when first asked for
   * ({@link live}, {@link warmLive}) and kept up to date after, so neither a build nor a start from
   * a snapshot makes it (at BBC ×10, 142,000 terms: a quarter of a second and more, with the
   * garbage collection of its objects, on a start). A term coming alive or dying is a change.
   */
  readonly #live = new MadeWhenAsked(() => this.#liveSteps());
  /** How many terms are live (SearchableMap counts its entries by walking them all). */
  liveCount = 0;

  /** Whether the live terms' tree is made: a fuzzy or prefix lookup then waits for nothing. */
  get liveMade(): boolean {
    return this.#live.made !== null;
  }

  /** With `lookups` false, the caller runs {@link lookingUp} itself (in slices). */
  constructor(parts?: VocabularyParts, lookups = true) {
    this.words = parts ? Array.from(parts.words) : [];
    this.passageDf = parts ? Array.from(parts.passageDf) : [];
    this.titleDf = parts ? Array.from(parts.titleDf) : [];
    this.midSentence = parts ? Array.from(parts.midSentence) : [];
    this.capitalised = parts ? Array.from(parts.capitalised) : [];
    if (!lookups) return;
    const steps = this.lookingUp();
    while (steps.next().done !== true) continue;
  }

  /** Fills the lookups (term ids, the live count) from the words, yielding every few thousand words. */
  *lookingUp(): Generator<void, void> {
    for (let id = 0; id < this.words.length; id++) {
      this.ids.set(this.words[id] ?? '', id);
      if (this.isLive(id)) this.liveCount++;
      if (id % 5_000 === 4_999) yield;
    }
  }

  /**
   * Whether this vocabulary holds exactly `parts` (the same words under the same ids, the same
   * counts) and its lookups agree with them: every word found under its id, the live count right,
   * and the live terms' tree, if made, holding exactly the live words. So a full reindex's archive
   * may keep it, lookups and all, and still be the fresh build. Yields every few thousand words.
   */
  *holdsExactly(parts: VocabularyParts): Generator<void, boolean> {
    const n = this.words.length;
    const columns = [
      [this.passageDf, parts.passageDf],
      [this.titleDf, parts.titleDf],
      [this.midSentence, parts.midSentence],
      [this.capitalised, parts.capitalised],
    ] as const;
    if (parts.words.length !== n || this.ids.size !== n || columns.some(([mine, theirs]) => mine.length !== n || theirs.length !== n)) {
      return false;
    }
    const live = this.#live.made;
    let liveCount = 0;
    for (let id = 0; id < n; id++) {
      const word = this.words[id] ?? '';
      if (word !== parts.words[id] || this.ids.get(word) !== id || columns.some(([mine, theirs]) => mine[id] !== theirs[id])) return false;
      if (this.isLive(id)) {
        liveCount++;
        if (live !== null && live.get(word) !== id) return false;
      }
      if (id % 5_000 === 4_999) yield;
    }
    return liveCount === this.liveCount && (live === null || live.size === liveCount);
  }

  /** The live terms' tree; made now if no one has asked for it before. */
  get live(): SearchableMap<number> {
    return this.#live.get();
  }

  /**
   * Makes the live terms' tree ahead of the first fuzzy or prefix lookup, a few thousand terms at a
   * time with `pause` awaited between; one made while terms came alive or died is let go (the
   * next lookup makes it whole).
   */
  warmLive(pause: () => Promise<unknown>): Promise<void> {
    return this.#live.warm(pause);
  }

  *#liveSteps(): Generator<void, SearchableMap<number>> {
    const live = new SearchableMap<number>();
    for (let id = 0; id < this.words.length; id++) {
      if (this.isLive(id)) live.set(this.words[id] ?? '', id);
      if (id % 5_000 === 4_999) yield;
    }
    return live;
  }

  isLive(id: number): boolean {
    return (this.passageDf[id] ?? 0) + (this.titleDf[id] ?? 0) > 0;
  }

  idFor(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(term, id);
      this.words.push(term);
      this.passageDf.push(0);
      this.titleDf.push(0);
      this.midSentence.push(0);
      this.capitalised.push(0);
    }
    return id;
  }

  /** Adds `delta` to a document frequency, and finds or forgets the term as it comes alive or dies. */
  adjust(counts: number[], id: number, delta: number): void {
    const wasLive = this.isLive(id);
    counts[id] = (counts[id] ?? 0) + delta;
    const live = this.isLive(id);
    if (live === wasLive) return;
    const word = this.words[id] ?? '';
    if (live) this.#live.made?.set(word, id);
    else this.#live.made?.delete(word);
    this.liveCount += live ? 1 : -1;
    this.#live.changed();
  }
}

/** Everything an archive is made of: what the snapshot codec writes and reads back. */
export interface ArchiveParts {
  readonly articles: readonly IndexedArticle[];
  readonly passages: readonly IndexedPassage[];
  readonly problems: readonly Problem[];
  readonly vocabulary: VocabularyParts;
  readonly passageIndex: PostingsIndex;
  readonly stats: ArchiveStats;
}

/** A passage worked out on its own: term ids are local to its article's {@link PreparedArticle.words}. */
type PreparedPassage = Omit<IndexedPassage, 'ordinal' | 'article' | 'original'>;

/** One article's passages and figures, worked out apart from any archive, so no archive is touched until they are. */
export interface PreparedArticle {
  readonly article: Article;
  readonly titleWords: readonly string[];
  /** The article's terms, by local id. */
  readonly words: readonly string[];
  readonly passages: readonly PreparedPassage[];
}

/** An article and its passages and figures, or why they could not be worked out: what {@link Archive.buildPrepared} indexes. */
export interface PreparedItem {
  readonly article: Article;
  readonly prepared: PreparedArticle | Problem;
}

/** An article the build left out, with the content it was left out for. */
interface Failure {
  readonly hash: string;
  readonly problem: Problem;
}

/**
 * An update worked out beside a live archive. {@link commit} applies it in one synchronous step:
 * it hands the old archive's indexes over to the new one, so the old archive must not be read after.
 */
export interface PendingUpdate {
  /** How many articles had to be worked out again (added or changed). */
  readonly prepared: number;
  commit(): Archive;
  /**
   * {@link commit} in steps: the work that grows with the archive is done at each `next()`, beside
   * the archive, which answers as before meanwhile (so a caller may let questions in between); the
   * function it ends with applies the update in one short step and returns the new archive. The
   * archive must not change between the first step and that function (no other update, no snapshot
   * being read of it); after the function, only the new archive may be read.
   */
  committing(): Generator<void, () => Archive>;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * A search term as the raw tokens that spell it meet it while articles are prepared: its local id
 * in the article being prepared, and its id in the last vocabulary that adopted it. One map from
 * raw token to slot replaces a map of raw tokens and one of terms per article, and a
 * vocabulary lookup per term and article (at BBC x10, 8.5 million tokens, 4.8 million first in
 * their article: these lookups were a fifth of a build).
 */
interface TermSlot {
  readonly term: string;
  /** The {@link preparing} stamp of the article that last met it, and its local id there. */
  article: number;
  local: number;
  /** The {@link Vocabulary.serial} of the vocabulary that last adopted it (a number, so no old vocabulary stays alive for it), and its id there. */
  vocabulary: number;
  id: number;
  /** The {@link wireSession} in which a build worker last sent it, and its number in that session ({@link packPrepared}). */
  session: number;
  wire: number;
}

/** Slots by raw token (null for a stop word), apart for texts written all in capitals (no acronyms). */
const slotsByRaw = new Map<string, TermSlot | null>();
const slotsByCapsRaw = new Map<string, TermSlot | null>();
const slotsByTerm = new Map<string, TermSlot>();
/** Raw tokens remembered before the slots are let go (between two articles); a few hundred thousand at BBC x30. */
const MAX_SLOTS = 2_000_000;
/** Counts the articles prepared, to stamp the slots an article met. */
let preparing = 0;
/** The slots of each article prepared here, in local id order: its words, for {@link adopt}; one cloned from a worker has none. */
const slotsOf = new WeakMap<PreparedArticle, readonly TermSlot[]>();

/**
 * Lets go of the index-time term lookups once a build, or an update's preparing, is done: they pay
 * off within one (its articles share most of their tokens), but kept they held the heap of the
 * thread that built for good (at BBC ×10, 306,000 raw tokens and terms, 28 MB of the answering
 * thread's heap after a start that built). An article prepared before keeps its slots
 * ({@link slotsOf}) for its adoption.
 */
function releaseTermSlots(): void {
  slotsByRaw.clear();
  slotsByCapsRaw.clear();
  slotsByTerm.clear();
}

/** How many raw tokens and terms the index-time term lookups hold: none once a build or an update's preparing is done. */
export function termSlotsHeld(): number {
  return slotsByRaw.size + slotsByCapsRaw.size + slotsByTerm.size;
}

function slotFor(term: string): TermSlot {
  let slot = slotsByTerm.get(term);
  if (slot === undefined) {
    slot = { term, article: 0, local: -1, vocabulary: -1, id: -1, session: 0, wire: -1 };
    slotsByTerm.set(term, slot);
  }
  return slot;
}

/**
 * Works out one article's passages and figures under a guard and a time budget: an article that
 * throws or takes too long becomes a problem, and the archive holds nothing of it.
 */
export function prepareArticle(article: Article, budgetMs: number): PreparedArticle | Problem {
  const started = performance.now();
  let prepared: PreparedArticle;
  try {
    if (slotsByRaw.size + slotsByCapsRaw.size >= MAX_SLOTS) {
      slotsByRaw.clear();
      slotsByCapsRaw.clear();
      slotsByTerm.clear();
    }
    const stamp = ++preparing;
    const words: string[] = [];
    const slots: TermSlot[] = [];
    const idForRaw = (raw: string, allowAcronyms: boolean): number => {
      const cache = allowAcronyms ? slotsByRaw : slotsByCapsRaw;
      let slot = cache.get(raw);
      if (slot === undefined) {
        const term = computeTerm(raw, allowAcronyms);
        slot = term === null ? null : slotFor(term);
        cache.set(raw, slot);
      }
      if (slot === null) return -1;
      if (slot.article !== stamp) {
        slot.article = stamp;
        slot.local = words.length;
        words.push(slot.term);
        slots.push(slot);
      }
      return slot.local;
    };
    let tokens = 0;
    const worked = buildPassages(article).map((passage) => {
      const done = indexPassage(passage, idForRaw, tokens);
      tokens += done.count;
      return done;
    });
    // One buffer for the whole article, all its term ids then all its spans: a buffer of its own
    // per passage cost a hundred bytes and more of bookkeeping each. An article comes and goes whole.
    const buffer = new ArrayBuffer(8 * tokens);
    new Int32Array(buffer, 0, tokens).set(scratchIds.subarray(0, tokens));
    new Uint16Array(buffer, 4 * tokens, 2 * tokens).set(scratchSpans.subarray(0, 2 * tokens));
    const passages = worked.map(({ from, count, ...rest }): PreparedPassage => ({
      ...rest,
      termIds: new Int32Array(buffer, 4 * from, count),
      spans: new Uint16Array(buffer, 4 * tokens + 4 * from, 2 * count),
    }));
    prepared = { article, titleWords: terms(article.title), words, passages };
    slotsOf.set(prepared, slots);
  } catch (error) {
    return { file: article.file, reason: `its passages and figures could not be worked out (${describe(error)})` };
  }
  const took = performance.now() - started;
  if (took > budgetMs) {
    return {
      file: article.file,
      reason: `indexing it took ${formatDuration(took)}, over the ${formatDuration(budgetMs)} budget for one file`,
    };
  }
  return prepared;
}

/**
 * A prepared article as a build worker sends it: numbers in typed arrays wherever it can, so the
 * message costs the thread that indexes little to read; {@link unpackPrepared} makes the article's
 * passages and figures again, with the same code a build in that thread uses.
 */
export interface PackedPrepared {
  readonly article: Article;
  /** The article's terms (its local ids in order) and its title's, by their numbers in the worker's session. */
  readonly words: Int32Array;
  readonly titleWords: Int32Array;
  /** Terms the session had not sent before, numbered from `firstTerm` on in this order. */
  readonly firstTerm: number;
  readonly newTerms: readonly string[];
  /** Per passage: paragraph, part, start, end, tokens, sentences, figures, pronoun ({@link PASSAGE_FIELDS} numbers each). */
  readonly layout: Int32Array;
  /** Every passage's sentences as start and end, in passage order. */
  readonly sentences: Int32Array;
  /** Per figure: start, end, value (NaN for none), then unit, kind and currency as indexes of `strings` (-1 for none). */
  readonly figures: Float64Array;
  readonly strings: readonly string[];
  /** The term ids, then the spans, of all the article's tokens (the buffer a build in one thread would make). */
  readonly tokens: ArrayBuffer;
}

const PASSAGE_FIELDS = 8;
const FIGURE_FIELDS = 6;

/** Numbers build workers' term sessions: a session numbers the terms it sends from 0 on. */
let wireSession = 0;
let wireNext = 0;

/** Starts a new numbering of the terms this thread sends ({@link packPrepared}), for a new build's indexing thread. */
export function startWireSession(): void {
  wireSession++;
  wireNext = 0;
}

/**
 * An article prepared in this thread, packed to send to the thread that indexes it: each term is
 * sent as a string once per session, then as its number.
 */
export function packPrepared(prepared: PreparedArticle): PackedPrepared {
  const slots = slotsOf.get(prepared) ?? prepared.words.map(slotFor);
  const firstTerm = wireNext;
  const newTerms: string[] = [];
  const numberOf = (slot: TermSlot): number => {
    if (slot.session !== wireSession) {
      slot.session = wireSession;
      slot.wire = wireNext++;
      newTerms.push(slot.term);
    }
    return slot.wire;
  };
  const words = Int32Array.from(slots, numberOf);
  const titleWords = Int32Array.from(prepared.titleWords, (word) => numberOf(slotFor(word)));
  const { passages } = prepared;
  const layout = new Int32Array(PASSAGE_FIELDS * passages.length);
  let sentenceCount = 0;
  let figureCount = 0;
  for (const p of passages) {
    sentenceCount += p.sentences.length;
    figureCount += p.figures.length;
  }
  const sentences = new Int32Array(2 * sentenceCount);
  const figures = new Float64Array(FIGURE_FIELDS * figureCount);
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const indexOf = (value: string | null | undefined): number => {
    if (value === null || value === undefined) return -1;
    let at = stringIndex.get(value);
    if (at === undefined) {
      at = strings.length;
      strings.push(value);
      stringIndex.set(value, at);
    }
    return at;
  };
  let sentence = 0;
  let figure = 0;
  let part = 0;
  passages.forEach((p, i) => {
    const previous = passages[i - 1];
    part = previous?.passage.paragraph === p.passage.paragraph ? part + 1 : 0;
    let at = PASSAGE_FIELDS * i;
    layout[at++] = p.passage.paragraph;
    layout[at++] = part;
    layout[at++] = p.passage.start;
    layout[at++] = p.passage.end;
    layout[at++] = p.termIds.length;
    layout[at++] = p.sentences.length;
    layout[at++] = p.figures.length;
    layout[at] = p.pronoun;
    for (const span of p.sentences) {
      sentences[sentence++] = span.start;
      sentences[sentence++] = span.end;
    }
    for (const f of p.figures) {
      figures[figure++] = f.start;
      figures[figure++] = f.end;
      figures[figure++] = f.value ?? Number.NaN;
      figures[figure++] = indexOf(f.unit);
      figures[figure++] = indexOf(f.kind);
      figures[figure++] = indexOf(f.currency);
    }
  });
  // One buffer holds every passage's tokens (prepareArticle makes it), never a shared one.
  const tokens = (passages[0]?.termIds.buffer as ArrayBuffer | undefined) ?? new ArrayBuffer(0);
  return { article: prepared.article, words, titleWords, firstTerm, newTerms, layout, sentences, figures, strings, tokens };
}

/** The terms a build worker has sent this session, as slots, by their numbers ({@link unpackPrepared} fills it). */
export type WireTerms = TermSlot[];

/**
 * A packed article made again as {@link prepareArticle} makes it in this thread, with the
 * worker's terms as slots of their own, so adopting it looks up each term once per build.
 */
export function unpackPrepared(packed: PackedPrepared, terms: WireTerms): PreparedArticle {
  packed.newTerms.forEach((term, i) => {
    terms[packed.firstTerm + i] = { term, article: 0, local: -1, vocabulary: -1, id: -1, session: 0, wire: -1 };
  });
  const slotOf = (n: number): TermSlot => {
    const slot = terms[n];
    if (slot === undefined) throw new Error(`a build worker sent term ${n} before its text`);
    return slot;
  };
  const slots = Array.from(packed.words, slotOf);
  const { article, layout, sentences: flatSentences, figures: flatFigures, strings } = packed;
  const count = layout.length / PASSAGE_FIELDS;
  let tokens = 0;
  for (let i = 0; i < count; i++) tokens += layout[PASSAGE_FIELDS * i + 4] ?? 0;
  const stringAt = (at: number): string | null => (at < 0 ? null : (strings[at] ?? null));
  // Copied into this thread's own buffer: one moved from a worker is counted in the worker's
  // memory figures, not this thread's (process.memoryUsage() missed 40 MB of BBC ×10's), and a copy is cheap.
  const buffer = packed.tokens.slice(0);
  const passages: PreparedPassage[] = [];
  let from = 0;
  let sentence = 0;
  let figure = 0;
  for (let i = 0; i < count; i++) {
    const field = (k: number): number => layout[PASSAGE_FIELDS * i + k] ?? 0;
    const passage = passageOf(article, field(0), field(1), { start: field(2), end: field(3) });
    const sentences: Span[] = [];
    for (let k = field(5); k > 0; k--, sentence += 2)
      sentences.push({ start: flatSentences[sentence] ?? 0, end: flatSentences[sentence + 1] ?? 0 });
    const matches: FigureMatch[] = [];
    for (let k = field(6); k > 0; k--, figure += FIGURE_FIELDS) {
      const at = (j: number): number => flatFigures[figure + j] ?? 0;
      const value = at(2);
      matches.push(
        figureMatch(
          passage.text,
          at(0),
          at(1),
          Number.isNaN(value) ? null : value,
          stringAt(at(3)),
          stringAt(at(4)) as FigureKind,
          stringAt(at(5)) ?? undefined,
        ),
      );
    }
    const tokenCount = field(4);
    passages.push({
      passage,
      sentences,
      figures: tieFigures(matches, passage, sentences),
      pronoun: field(7),
      termIds: new Int32Array(buffer, 4 * from, tokenCount),
      spans: new Uint16Array(buffer, 4 * tokens + 4 * from, 2 * tokenCount),
    });
    from += tokenCount;
  }
  const prepared: PreparedArticle = {
    article,
    titleWords: Array.from(packed.titleWords, (n) => slotOf(n).term),
    words: slots.map((slot) => slot.term),
    passages,
  };
  slotsOf.set(prepared, slots);
  return prepared;
}

/** A prepared article's passages as the archive's, at `firstOrdinal` on: term ids made global, in place. */
function adopt(
  prepared: PreparedArticle,
  vocabulary: Vocabulary,
  ordinal: number,
  firstOrdinal: number,
  originalOf: (text: string, ordinal: number) => number,
): { article: IndexedArticle; passages: IndexedPassage[] } {
  const slots = slotsOf.get(prepared);
  const globalIds = prepared.words.map((word, i) => {
    const slot = slots?.[i];
    if (slot === undefined) return vocabulary.idFor(word);
    if (slot.vocabulary !== vocabulary.serial) {
      slot.vocabulary = vocabulary.serial;
      slot.id = vocabulary.idFor(word);
    }
    return slot.id;
  });
  const titleTerms = sortedIds(prepared.titleWords.map((word) => vocabulary.idFor(word)));
  // Every global id of the article once: its local ids are its words, each met once.
  const articleTerms: number[] = [];
  const met = newWalk(vocabulary.words.length);
  for (const id of titleTerms) {
    metIn[id] = met;
    articleTerms.push(id);
  }
  for (const id of globalIds) {
    if (metIn[id] === met) continue;
    metIn[id] = met;
    articleTerms.push(id);
  }
  const passages = prepared.passages.map((local, i): IndexedPassage => {
    const { termIds } = local;
    for (let t = 0; t < termIds.length; t++) {
      const id = termIds[t] ?? -1;
      if (id >= 0) termIds[t] = globalIds[id] ?? -1;
    }
    const self = firstOrdinal + i;
    // Written out field by field, always in this order: a spread (`{ ...local, ordinal }`) gave
    // every passage a hidden class of its own, so at BBC ×10 every read of a passage's field missed
    // V8's inline caches (walking 139,000 passages took 90–190 ms instead of about 10) and 139,000
    // hidden classes took memory besides.
    return {
      ordinal: self,
      passage: local.passage,
      article: ordinal,
      original: originalOf(local.passage.text, self),
      termIds,
      spans: local.spans,
      sentences: local.sentences,
      figures: local.figures,
      pronoun: local.pronoun,
    };
  });
  const article = {
    ordinal,
    article: prepared.article,
    passages: passages.map((p) => p.ordinal),
    terms: Int32Array.from(articleTerms).sort(),
    titleTerms,
  };
  return { article, passages };
}

/** What {@link countArticle} counts into: the vocabulary, or {@link CountChanges} summing beside it. */
type ArticleCounts = Pick<Vocabulary, 'titleDf' | 'passageDf' | 'midSentence' | 'capitalised' | 'words' | 'adjust'>;

/**
 * What articles that come and go change in the vocabulary's counts, summed beside it while an
 * update works in steps; the sums are then applied in the update's synchronous step, only for the
 * terms whose counts changed (an edited article's words mostly cancel out). Counted there article
 * by article, 100 changed articles took that step 13 ms of CPU at BBC ×10 (load 4).
 */
class CountChanges implements ArticleCounts {
  readonly titleDf: number[] = [];
  readonly passageDf: number[] = [];
  readonly midSentence: number[] = [];
  readonly capitalised: number[] = [];
  readonly words: string[];

  constructor(vocabulary: Vocabulary) {
    this.words = vocabulary.words;
  }

  adjust(counts: number[], id: number, delta: number): void {
    counts[id] = (counts[id] ?? 0) + delta;
  }

  /** Applies the sums to `vocabulary`, terms coming alive or dying as they would counted one by one. */
  applyTo(vocabulary: Vocabulary): void {
    const each = (sums: number[], apply: (id: number, delta: number) => void): void => {
      // The sums are sparse (term ids up to the vocabulary's size): their keys, not every index.
      for (const key of Object.keys(sums)) {
        const delta = sums[Number(key)] ?? 0;
        if (delta !== 0) apply(Number(key), delta);
      }
    };
    each(this.titleDf, (id, delta) => {
      vocabulary.adjust(vocabulary.titleDf, id, delta);
    });
    each(this.passageDf, (id, delta) => {
      vocabulary.adjust(vocabulary.passageDf, id, delta);
    });
    each(this.midSentence, (id, delta) => (vocabulary.midSentence[id] = (vocabulary.midSentence[id] ?? 0) + delta));
    each(this.capitalised, (id, delta) => (vocabulary.capitalised[id] = (vocabulary.capitalised[id] ?? 0) + delta));
  }
}

/**
 * Adds (`sign` 1) or takes back (-1) what an article tells the vocabulary: document frequencies,
 * and how often each term is capitalised mid-sentence, read back from its passages' own arrays.
 */
function countArticle(vocabulary: ArticleCounts, article: IndexedArticle, passages: readonly IndexedPassage[], sign: 1 | -1): void {
  for (const id of article.titleTerms) vocabulary.adjust(vocabulary.titleDf, id, sign);
  for (const passage of passages) {
    const { termIds, spans, sentences } = passage;
    const text = passage.passage.text;
    const met = newWalk(vocabulary.words.length);
    for (const id of termIds) {
      if (id < 0 || metIn[id] === met) continue;
      metIn[id] = met;
      vocabulary.adjust(vocabulary.passageDf, id, sign);
    }
    // Each token's sentence, walked forward as {@link sentenceOfToken} would find it.
    const last = sentences.length - 1;
    let sentence = 0;
    let previous = -1;
    for (let i = 0; i < termIds.length; i++) {
      const start = spans[2 * i] ?? 0;
      while (sentence < last && start >= (sentences[sentence]?.end ?? 0)) sentence++;
      const sameSentence = sentence === previous;
      previous = sentence;
      const id = termIds[i] ?? -1;
      if (id < 0 || i === 0 || !sameSentence) continue;
      // Capitalisation mid-sentence tells names from words; ASCII letters cover nearly all of it cheaply.
      const first = text.charCodeAt(spans[2 * i] ?? 0);
      if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) continue;
      vocabulary.midSentence[id] = (vocabulary.midSentence[id] ?? 0) + sign;
      if (first <= 90) vocabulary.capitalised[id] = (vocabulary.capitalised[id] ?? 0) + sign;
    }
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };

/**
 * An archive's own article or passage, to renumber while an update hands the archive over: the
 * arrays and objects are built by this file (or the codec) as plain mutable values, readonly only to readers.
 */
function renumbered(value: IndexedArticle): Mutable<IndexedArticle>;
function renumbered(value: IndexedPassage): Mutable<IndexedPassage>;
function renumbered(value: IndexedPassage | undefined): Mutable<IndexedPassage> | undefined;
function renumbered(value: IndexedArticle | IndexedPassage | undefined): Mutable<IndexedArticle> | Mutable<IndexedPassage> | undefined {
  return value as Mutable<IndexedArticle> | Mutable<IndexedPassage> | undefined;
}

/** What an update's renumbering is worked out from: the archive's articles and passages, and their new numbers. */
interface Renumbering {
  readonly oldArticles: readonly IndexedArticle[];
  readonly oldPassages: readonly IndexedPassage[];
  readonly articleRenumber: Int32Array;
  readonly passageRenumber: Int32Array;
  /** Per new passage, the original looked for again (its text came or went), or -1. */
  readonly originalOf: Int32Array;
}

/**
 * The commit's and the update plan's loops over every article or passage run in plain functions
 * like these, a batch at a time: inside the generator or async function, called once an update,
 * they ran unoptimised (at BBC ×10, 37 ms of a one-file update's prepare and 41 ms of its commit
 * by the profiler's samples, at load 13), where a function called again and again is compiled.
 */

/**
 * Puts into `plan` the articles of `articles` from `from` on that `archive` holds as they are
 * (same hash, same file), up to the first it does not; returns that one's index, or the length.
 */
function planKept(archive: Archive, articles: readonly Article[], from: number, plan: (IndexedArticle | PreparedArticle)[]): number {
  let at = from;
  for (; at < articles.length; at++) {
    const article = articles[at];
    if (article === undefined) break;
    const kept = archive.article(article.id);
    if (kept?.article.hash !== article.hash || kept.article.file !== article.file) break;
    plan.push(kept);
  }
  return at;
}

/** 1 for each old article the plan keeps, by its old number. */
function markKept(plan: readonly (IndexedArticle | PreparedArticle)[], oldCount: number): Uint8Array {
  const kept = new Uint8Array(oldCount);
  for (const entry of plan) if ('ordinal' in entry) kept[entry.ordinal] = 1;
  return kept;
}

/** The old numbers of the articles the plan does not keep. */
function notKept(kept: Uint8Array): number[] {
  const gone: number[] = [];
  for (let ordinal = 0; ordinal < kept.length; ordinal++) if (kept[ordinal] !== 1) gone.push(ordinal);
  return gone;
}

/** The commit's new order as it is put together from the plan: kept articles' passages go in as runs of the old list. */
interface KeptRun {
  readonly oldPassages: readonly IndexedPassage[];
  readonly passageRenumber: Int32Array;
  readonly articleRenumber: Int32Array;
  readonly pieces: IndexedPassage[][];
  readonly articles: IndexedArticle[];
  passageCount: number;
  /** The run of old passages being gathered, `[runFrom, runTo)`, or runFrom -1. */
  runFrom: number;
  runTo: number;
  firstMovedArticle: number;
  firstMovedPassage: number;
}

/** Ends the run of old passages being gathered, putting it among the pieces. */
function endRun(run: KeptRun): void {
  if (run.runFrom >= 0) run.pieces.push(run.oldPassages.slice(run.runFrom, run.runTo));
  run.runFrom = -1;
}

/**
 * Puts the kept articles of `plan[from, to)` in their new places, with their passages' new
 * numbers, up to the first added one; returns its index, or `to`. An article's passages are
 * numbered one after another, so they join the run of old passages being gathered.
 */
function renumberKept(plan: readonly (IndexedArticle | PreparedArticle)[], from: number, to: number, run: KeptRun): number {
  const { oldPassages, passageRenumber, articleRenumber, articles } = run;
  let at = from;
  for (; at < to; at++) {
    const entry = plan[at];
    if (entry === undefined || !('ordinal' in entry)) break;
    const ordinal = articles.length;
    articleRenumber[entry.ordinal] = ordinal;
    const own = entry.passages;
    const first = own[0] ?? -1;
    if (first >= 0 && own.length > 0 && own[own.length - 1] === first + own.length - 1) {
      if (run.runFrom < 0 || first !== run.runTo) {
        endRun(run);
        run.runFrom = first;
      }
      run.runTo = first + own.length;
      for (let i = 0; i < own.length; i++) passageRenumber[first + i] = run.passageCount + i;
      run.passageCount += own.length;
    } else if (own.length > 0) {
      // Not numbered one after another (never built so, but cheap to allow): passage by passage.
      endRun(run);
      const piece: IndexedPassage[] = [];
      for (const old of own) {
        const passage = oldPassages[old];
        if (passage === undefined) continue;
        passageRenumber[old] = run.passageCount++;
        piece.push(passage);
      }
      run.pieces.push(piece);
      run.firstMovedPassage = Math.min(run.firstMovedPassage, first);
      run.firstMovedArticle = Math.min(run.firstMovedArticle, entry.ordinal);
    }
    if (entry.ordinal !== ordinal) run.firstMovedArticle = Math.min(run.firstMovedArticle, entry.ordinal);
    articles.push(entry);
  }
  return at;
}

/**
 * What an updated archive keeps of {@link Archive.articleFrequency}'s answers (`known`, plus one by
 * term id, 0 for unknown): a term's count changes only if an article that came or went holds it, so
 * those terms are forgotten and the rest kept, for `terms` ids. Null when nothing was asked.
 */
function keptArticleDf(
  known: Int32Array | null,
  terms: number,
  removed: readonly { readonly article: IndexedArticle }[],
  added: readonly { readonly article: IndexedArticle }[],
): Int32Array | null {
  if (known === null) return null;
  const kept = new Int32Array(Math.max(terms, known.length));
  kept.set(known);
  for (const { article } of [...removed, ...added]) for (const id of article.terms) if (id >= 0 && id < kept.length) kept[id] = 0;
  return kept;
}

/** The first old passage before `upTo` whose number changes, else `upTo`. */
function firstRenumbered(passageRenumber: Int32Array, upTo: number): number {
  for (let old = 0; old < upTo && old < passageRenumber.length; old++) if (passageRenumber[old] !== old) return old;
  return upTo;
}

/** Whether every article from `from` on has the id the old article in its place had (the lengths are equal). */
function sameIdsFrom(oldArticles: readonly IndexedArticle[], articles: readonly IndexedArticle[], from: number): boolean {
  for (let ordinal = Math.min(from, articles.length); ordinal < articles.length; ordinal++) {
    if (oldArticles[ordinal]?.article.id !== articles[ordinal]?.article.id) return false;
  }
  return true;
}

/**
 * Puts copies with their new numbers in place of the kept articles of `articles[from, to)` whose
 * number or passages' numbers change (added ones are numbered already); returns the first new
 * number of a passage of an article that moved, from which passages may need new numbers too.
 */
function copyMovedArticles(articles: IndexedArticle[], from: number, to: number, numbers: Renumbering): number {
  const { oldArticles, passageRenumber } = numbers;
  let fromPassage = Number.MAX_SAFE_INTEGER;
  for (let ordinal = from; ordinal < to; ordinal++) {
    const entry = articles[ordinal];
    if (entry === undefined || oldArticles[entry.ordinal] !== entry) continue;
    const own: number[] = [];
    let same = entry.ordinal === ordinal;
    for (const old of entry.passages) {
      const now = passageRenumber[old] ?? -1;
      own.push(now);
      if (now !== old) same = false;
      if (entry.ordinal !== ordinal) fromPassage = Math.min(fromPassage, now);
    }
    if (same) continue;
    articles[ordinal] = { ordinal, article: entry.article, passages: own, terms: entry.terms, titleTerms: entry.titleTerms };
  }
  return fromPassage;
}

/**
 * Puts copies with their new numbers (ordinal, article, original) in place of the kept passages of
 * `passages[from, to)` whose numbers change; gives added ones (this update's own) their originals.
 */
function copyMovedPassages(passages: IndexedPassage[], from: number, to: number, numbers: Renumbering): void {
  const { oldPassages, articleRenumber, passageRenumber, originalOf } = numbers;
  for (let ordinal = from; ordinal < to; ordinal++) {
    const passage = passages[ordinal];
    if (passage === undefined) continue;
    const looked = originalOf[ordinal] ?? -1;
    const original = looked >= 0 ? looked : (passageRenumber[passage.original] ?? ordinal);
    if (oldPassages[passage.ordinal] !== passage) renumbered(passage).original = original;
    else {
      const article = articleRenumber[passage.article] ?? -1;
      if (passage.ordinal !== ordinal || passage.article !== article || passage.original !== original) {
        passages[ordinal] = movedPassage(passage, ordinal, article, original);
      }
    }
  }
}

/** A kept passage with new numbers, its fields written in the order {@link adopt} writes them (one hidden class for all). */
const movedPassage = (passage: IndexedPassage, ordinal: number, article: number, original: number): IndexedPassage => ({
  ordinal,
  passage: passage.passage,
  article,
  original,
  termIds: passage.termIds,
  spans: passage.spans,
  sentences: passage.sentences,
  figures: passage.figures,
  pronoun: passage.pronoun,
});

/** What the passage index holds of a passage: its article's title term ids (with repeats) and its own. */
const passageDocument = (passage: IndexedPassage, titleIds: readonly number[]): PostingsDocument => ({
  id: passage.ordinal,
  title: titleIds,
  text: passage.termIds,
});

/** A title's term ids, in order, with repeats: what its words count in the passage index. */
const titleIdsOf = (titleWords: readonly string[], vocabulary: Vocabulary): number[] => titleWords.map((word) => vocabulary.idFor(word));

const titleTextOf = (article: Article): string => terms(article.title).join(' ');

/** Titles added to the title index between two steps of {@link titleIndexSteps}. */
const TITLES_PER_STEP = 500;

/** The title index of `articles` (each numbered by its place), made a batch of titles per step, as a fresh build makes it. */
function* titleIndexSteps(articles: readonly IndexedArticle[]): Generator<void, TextIndex> {
  const index = new TextIndex();
  for (let start = 0; start < articles.length; start += TITLES_PER_STEP) {
    if (start > 0) yield;
    const batch = articles.slice(start, start + TITLES_PER_STEP);
    index.addAll(batch.map((a, i): IndexedDocument => ({ id: start + i, title: titleTextOf(a.article), text: '' })));
  }
  return index;
}

/**
 * An immutable, searchable snapshot of a corpus: articles, passages, figures and the indexes over
 * them. A reindex builds a new Archive, or updates this one's indexes into a new one, and swaps it
 * in whole, so readers never see a half-built one.
 */
export class Archive {
  readonly articles: readonly IndexedArticle[];
  readonly passages: readonly IndexedPassage[];
  /** Articles left out because their passages or figures failed or took too long, and why. */
  readonly problems: readonly Problem[];
  readonly stats: ArchiveStats;
  /** BM25 over passages, by term id: search it with {@link searchPassages}. */
  readonly passageIndex: PostingsIndex;
  /**
   * Article titles alone, for autocomplete: made from the articles' titles when first asked for
   * ({@link titleIndex}, {@link warmTitleIndex}), as a fresh build of them would make it, so
   * neither a build nor a start from a snapshot waits for it (at BBC ×10 a snapshot's title index
   * took longer to read back than to make again from the titles), and a snapshot does not keep it.
   */
  readonly #titleIndex: MadeWhenAsked<TextIndex>;
  readonly #vocabulary: Vocabulary;
  /**
   * Each article's ordinal by id: numbers, not the articles, so an update that moves no article
   * (an edit) hands the same map on, where a map of the articles had to be made again for the
   * copies of the moved ones (22,250 entries at BBC ×10, the dearest part of a one-file commit).
   */
  readonly #ordinalById: ReadonlyMap<string, number>;
  /** Articles left out, by id, so an update does not work them out again while they are unchanged. */
  readonly #failures: ReadonlyMap<string, Failure>;
  /** Scratch marks, one per article, for {@link articleFrequency}: all 0 between calls. */
  #articleMarks: Uint8Array | null = null;
  /** {@link articleFrequency}'s answers so far, plus one (0: not yet asked), by term id. */
  #articleDf: Int32Array | null = null;

  private constructor(
    parts: ArchiveParts & {
      readonly vocabulary: Vocabulary;
      readonly failures: ReadonlyMap<string, Failure>;
      /** The title index, when the archive this one updates had made it (it is updated, not made again). */
      readonly titleIndex?: TextIndex | null;
      /** The articles' ordinals by id, when worked out already (an update's commit does it in its steps, or hands on the one before). */
      readonly ordinalById?: ReadonlyMap<string, number>;
      /** {@link articleFrequency}'s answers still true of this archive, as {@link #articleDf} holds them (an update hands on the one before's). */
      readonly articleDf?: Int32Array | null;
    },
  ) {
    this.articles = parts.articles;
    this.passages = parts.passages;
    this.problems = parts.problems;
    this.#vocabulary = parts.vocabulary;
    this.passageIndex = parts.passageIndex;
    this.#titleIndex = new MadeWhenAsked(() => titleIndexSteps(this.articles), parts.titleIndex ?? null);
    this.stats = parts.stats;
    this.#ordinalById = parts.ordinalById ?? new Map(parts.articles.map((a, ordinal) => [a.article.id, ordinal]));
    this.#failures = parts.failures;
    this.#articleDf = parts.articleDf ?? null;
  }

  /**
   * Builds an archive from loaded articles: passages, figures, and both indexes. Yields to the event
   * loop between batches, so questions keep being answered from the old archive meanwhile.
   *
   * @example const archive = await Archive.build((await loadArticles('seeds')).articles);
   */
  static async build(articles: readonly Article[], options: BuildOptions = {}): Promise<Archive> {
    return Archive.#build(articles, articles.length, options);
  }

  /**
   * {@link build} from articles prepared as they come (`count` of them, for progress lines), in
   * the order a build of them would take them: a build whose articles are read and prepared in
   * worker threads indexes each here as soon as it and those before it are in, and gives the same
   * archive.
   */
  static buildPrepared(
    source: AsyncIterable<PreparedItem>,
    count: number,
    options: Omit<BuildOptions, 'prepared' | 'fileBudgetMs'> = {},
  ): Promise<Archive> {
    return Archive.#build(source, count, options);
  }

  /** Builds from articles, prepared here (or by `options.prepared`) as their turn comes, or prepared already. */
  static async #build(source: Iterable<Article> | AsyncIterable<PreparedItem>, count: number, options: BuildOptions): Promise<Archive> {
    const now = options.now ?? (() => new Date());
    const batchSize = options.batchSize ?? 64;
    const started = performance.now();
    const vocabulary = new Vocabulary();
    const indexedArticles: IndexedArticle[] = [];
    const indexedPassages: IndexedPassage[] = [];
    const passageIndex = new PostingsIndex();
    let figureCount = 0;
    const firstWithText = new Map<string, number>();
    const originalOf = (text: string, ordinal: number): number => {
      const first = firstWithText.get(text);
      if (first !== undefined) return first;
      firstWithText.set(text, ordinal);
      return ordinal;
    };

    const budgetMs = options.fileBudgetMs ?? 2_000;
    const problems: Problem[] = [];
    const failures = new Map<string, Failure>();
    let passageDocs: PostingsDocument[] = [];
    let batched = 0;
    let sliceStarted = performance.now();
    const flush = (): void => {
      passageIndex.addAll(passageDocs);
      passageDocs = [];
      batched = 0;
      options.onProgress?.({
        phase: 'indexing',
        indexed: indexedArticles.length,
        articles: count,
        passages: indexedPassages.length,
        figures: figureCount,
      });
    };
    const items: Iterator<Article> | AsyncIterator<PreparedItem> =
      Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
    for (;;) {
      // Articles are not awaited: an await per article would be a pause per article.
      const next = items.next();
      const item = next instanceof Promise ? await next : next;
      if (item.done === true) break;
      // Yield after a batch, or sooner once a slice of time is used up (one long article can fill it).
      if (batched >= batchSize || performance.now() - sliceStarted > SLICE_MS) {
        flush();
        await yieldToEventLoop();
        sliceStarted = performance.now();
      }
      batched++;
      const given = item.value;
      const article = 'prepared' in given ? given.article : given;
      const prepared = 'prepared' in given ? given.prepared : (options.prepared?.(article) ?? prepareArticle(article, budgetMs));
      if (!('article' in prepared)) {
        problems.push(prepared);
        failures.set(article.id, { hash: article.hash, problem: prepared });
        continue;
      }
      const adopted = adopt(prepared, vocabulary, indexedArticles.length, indexedPassages.length, originalOf);
      countArticle(vocabulary, adopted.article, adopted.passages, 1);
      const titleIds = titleIdsOf(prepared.titleWords, vocabulary);
      for (const indexed of adopted.passages) {
        figureCount += indexed.figures.length;
        indexedPassages.push(indexed);
        passageDocs.push(passageDocument(indexed, titleIds));
      }
      indexedArticles.push(adopted.article);
    }
    releaseTermSlots();
    flush();
    // The postings added wait in growable lists until merged: merged now, the archive holds only the flat arrays.
    passageIndex.merge();

    return new Archive({
      articles: indexedArticles,
      passages: indexedPassages,
      problems,
      failures,
      vocabulary,
      passageIndex,
      stats: {
        articles: indexedArticles.length,
        passages: indexedPassages.length,
        figures: figureCount,
        terms: vocabulary.liveCount,
        builtAt: now(),
        buildMs: performance.now() - started,
      },
    });
  }

  /**
   * Works out, beside this archive, what it takes to make it hold `articles` (in the order a fresh
   * build would get them): only articles that are new or whose content changed are parsed into
   * passages and figures, yielding to the event loop as a build does. Nothing of this archive is
   * touched until {@link PendingUpdate.commit}, which renumbers, updates the vocabulary's counts and
   * MiniSearch (discard and add) and returns an archive identical to a fresh build of `articles`.
   */
  async prepareUpdate(articles: readonly Article[], options: BuildOptions = {}): Promise<PendingUpdate> {
    const started = performance.now();
    const now = options.now ?? (() => new Date());
    const budgetMs = options.fileBudgetMs ?? 2_000;
    const plan: (IndexedArticle | PreparedArticle)[] = [];
    const problems: Problem[] = [];
    const failures = new Map<string, Failure>();
    let prepared = 0;
    let sliceStarted = performance.now();
    for (let at = 0; ;) {
      // The kept articles, nearly all of them, go into the plan in a plain function (see planKept).
      at = planKept(this, articles, at, plan);
      const article = articles[at++];
      if (article === undefined) break;
      const failed = this.#failures.get(article.id);
      if (failed?.hash === article.hash && failed.problem.file === article.file) {
        problems.push(failed.problem);
        failures.set(article.id, failed);
        continue;
      }
      if (performance.now() - sliceStarted > SLICE_MS) {
        await yieldToEventLoop();
        sliceStarted = performance.now();
      }
      prepared++;
      const outcome = options.prepared?.(article) ?? prepareArticle(article, budgetMs);
      if ('article' in outcome) plan.push(outcome);
      else {
        problems.push(outcome);
        failures.set(article.id, { hash: article.hash, problem: outcome });
      }
    }
    releaseTermSlots();
    let committed = false;
    const committing = (): Generator<void, () => Archive> => {
      if (committed) throw new Error('an update commits once');
      committed = true;
      return this.#committing(plan, problems, failures, { started, now });
    };
    return {
      prepared,
      committing,
      commit: () => {
        const steps = committing();
        for (;;) {
          const step = steps.next();
          if (step.done === true) return step.value();
        }
      },
    };
  }

  /**
   * The commit, a step at a time: everything that walks the whole archive (renumbering, repeated
   * passages, the passage index's arrays) is worked out beside it, read-only, yielding every few
   * thousand passages; what is returned then applies it in one short synchronous step: the
   * vocabulary's counts of what came and went, the new numbers written into the passages and
   * articles, the title index's update, and the passage index's new arrays swapped in.
   */
  *#committing(
    plan: readonly (IndexedArticle | PreparedArticle)[],
    problems: readonly Problem[],
    failures: ReadonlyMap<string, Failure>,
    timing: { readonly started: number; readonly now: () => Date },
  ): Generator<void, () => Archive> {
    const vocabulary = this.#vocabulary;
    const oldArticles = this.articles;
    const oldPassages = this.passages;
    const keptOld = markKept(plan, oldArticles.length);

    // What leaves: its counts come off the vocabulary and its title out of MiniSearch when the
    // update is applied (its passages leave the passage index as the renumbering drops them).
    const removed: { article: IndexedArticle; passages: IndexedPassage[] }[] = [];
    const removedTitles: IndexedDocument[] = [];
    /** Texts of passages added or removed, with their term ids: only passages with one of them can change original. */
    const affected = new Map<string, Int32Array>();
    let figures = this.stats.figures;
    /** The first old article, and passage, whose number may change: those before keep theirs. */
    let firstMovedArticle = oldArticles.length;
    let firstMovedPassage = oldPassages.length;
    for (const ordinal of notKept(keptOld)) {
      const article = oldArticles[ordinal];
      if (article === undefined) continue;
      const passages = article.passages.map((o) => oldPassages[o]).filter((p) => p !== undefined);
      removed.push({ article, passages });
      for (const passage of passages) {
        affected.set(passage.passage.text, passage.termIds);
        figures -= passage.figures.length;
      }
      removedTitles.push({ id: article.ordinal, title: titleTextOf(article.article), text: '' });
      firstMovedArticle = Math.min(firstMovedArticle, ordinal);
      firstMovedPassage = Math.min(firstMovedPassage, article.passages[0] ?? firstMovedPassage);
    }

    // Everything in its new place, in the order a fresh build would give. Kept articles and passages
    // are renumbered in place when the update is applied, not copied; the passages list is put
    // together from runs of the old one (an article's passages are numbered one after another), so
    // a one-file update touches no passage object before the apply.
    const passageRenumber = new Int32Array(oldPassages.length).fill(-1);
    const articleRenumber = new Int32Array(oldArticles.length).fill(-1);
    const run: KeptRun = {
      oldPassages,
      passageRenumber,
      articleRenumber,
      pieces: [],
      articles: [],
      passageCount: 0,
      runFrom: -1,
      runTo: -1,
      firstMovedArticle,
      firstMovedPassage,
    };
    const { articles } = run;
    const added: { article: IndexedArticle; passages: IndexedPassage[] }[] = [];
    const addedDocs: PostingsDocument[] = [];
    const addedTitles: IndexedDocument[] = [];
    for (let at = 0; at < plan.length;) {
      // Kept articles a batch at a time in a plain function (see renumberKept), up to the next added one.
      const stop = renumberKept(plan, at, Math.min(plan.length, at + STEP_ARTICLES), run);
      if (stop > at) {
        at = stop;
        yield;
        continue;
      }
      const entry = plan[at++];
      if (entry === undefined || 'ordinal' in entry) continue;
      const ordinal = articles.length;
      endRun(run);
      run.firstMovedArticle = Math.min(run.firstMovedArticle, ordinal);
      run.firstMovedPassage = Math.min(run.firstMovedPassage, run.passageCount);
      // New terms get ids now, but count (come alive) only when the update is applied.
      const adopted = adopt(entry, vocabulary, ordinal, run.passageCount, (_text, self) => self);
      added.push(adopted);
      const titleText = entry.titleWords.join(' ');
      const titleIds = titleIdsOf(entry.titleWords, vocabulary);
      for (const passage of adopted.passages) {
        affected.set(passage.passage.text, passage.termIds);
        figures += passage.figures.length;
        addedDocs.push(passageDocument(passage, titleIds));
      }
      run.pieces.push(adopted.passages);
      run.passageCount += adopted.passages.length;
      articles.push(adopted.article);
      addedTitles.push({ id: ordinal, title: titleText, text: '' });
      // Each added article is worked out in a step of its own (at BBC ×10, 100 of them took 40 ms at load 4).
      yield;
    }
    endRun(run);
    const { pieces, firstMovedArticle: movedArticle } = run;
    firstMovedArticle = movedArticle;
    const passages = pieces.length === 1 ? (pieces[0] ?? []) : ([] as IndexedPassage[]).concat(...pieces);
    // Kept passages after the first change may have moved even when their article kept its number.
    firstMovedPassage = firstRenumbered(passageRenumber, run.firstMovedPassage);
    yield;

    // A passage's original is the first with its text. Where no passage with that text came or went,
    // it is the same passage as before, renumbered (when the update is applied); otherwise it is
    // looked for again among the passages with that text: the new ones, and the kept ones found
    // through the passage index's postings of the text's rarest term (or, for a text with no term,
    // by a walk over every passage).
    const originalOf = new Int32Array(passages.length).fill(-1);
    const withText = new Map<string, number[]>();
    for (const text of affected.keys()) withText.set(text, []);
    let walkAll = false;
    for (const [text, termIds] of affected) {
      let rarest = -1;
      for (const id of termIds) {
        if (id >= 0 && (rarest < 0 || (vocabulary.passageDf[id] ?? 0) < (vocabulary.passageDf[rarest] ?? 0))) rarest = id;
      }
      if (rarest < 0) {
        walkAll = true;
        continue;
      }
      const found = withText.get(text);
      for (const old of this.passageIndex.textDocuments(rarest)) {
        const now = passageRenumber[old] ?? -1;
        if (now >= 0 && oldPassages[old]?.passage.text === text) found?.push(now);
      }
    }
    if (walkAll) {
      for (let old = 0; old < oldPassages.length; old++) {
        const now = passageRenumber[old] ?? -1;
        const termIds = oldPassages[old]?.termIds;
        if (now < 0 || termIds === undefined || termIds.some((id) => id >= 0)) continue;
        withText.get(oldPassages[old]?.passage.text ?? '')?.push(now);
        if (old % STEP_PASSAGES === STEP_PASSAGES - 1) yield;
      }
    }
    for (const come of added) for (const passage of come.passages) withText.get(passage.passage.text)?.push(passage.ordinal);
    for (const ordinals of withText.values()) {
      let first = passages.length;
      for (const ordinal of ordinals) first = Math.min(first, ordinal);
      for (const ordinal of ordinals) originalOf[ordinal] = first;
    }
    yield;

    // Kept articles and passages whose numbers change are copied with their new numbers here, a
    // few thousand at a time, and the archive answering meanwhile keeps its own: renumbered in
    // place, shared with it, they had to be written in the one synchronous step that swaps the
    // update in (at BBC ×10 an edit near the start moves 95,000–139,000 passages: 12 ms on a quiet
    // machine, 50–240 ms under load, with nothing answered meanwhile). Added ones are this update's
    // own, numbered already. Passages of an article that moved can come before the first passage that did.
    // The copying runs in plain functions a batch at a time: loops inside this generator, called
    // once an update, ran unoptimised (the first one-file commit after a start took four times the
    // CPU of the later ones), where a function called again and again is compiled.
    const numbers: Renumbering = { oldArticles, oldPassages, articleRenumber, passageRenumber, originalOf };
    let fromPassage = firstMovedPassage;
    for (let at = Math.min(firstMovedArticle, articles.length); at < articles.length; at += STEP_ARTICLES) {
      fromPassage = Math.min(fromPassage, copyMovedArticles(articles, at, Math.min(articles.length, at + STEP_ARTICLES), numbers));
      yield;
    }
    for (let at = Math.min(fromPassage, passages.length); at < passages.length; at += STEP_PASSAGES) {
      copyMovedPassages(passages, at, Math.min(passages.length, at + STEP_PASSAGES), numbers);
      yield;
    }
    // The articles' ordinals by id: the same map when every article keeps its place (an edit),
    // else a new one beside the one answering now.
    let ordinalById = this.#ordinalById;
    const samePlaces = articles.length === oldArticles.length && sameIdsFrom(oldArticles, articles, firstMovedArticle);
    if (!samePlaces) {
      const made = new Map<string, number>();
      for (let ordinal = 0; ordinal < articles.length; ordinal++) {
        const entry = articles[ordinal];
        if (entry !== undefined) made.set(entry.article.id, ordinal);
        if (ordinal % STEP_BY_ID === STEP_BY_ID - 1) yield;
      }
      ordinalById = made;
    }
    yield;

    // The passage index is told the removed passages' postings too: it then updates at once, through
    // an overlay its searches read, and merges its arrays after the swap ({@link settling}).
    const removedDocs = removed.flatMap((gone) =>
      gone.passages.map((passage) => passageDocument(passage, Array.from(gone.article.titleTerms))),
    );
    const swapPostings = yield* this.passageIndex.updating(passageRenumber, addedDocs, passages.length, removedDocs);

    // What came and went is counted beside the vocabulary, an article a step; the sums are applied with the update.
    const counts = new CountChanges(vocabulary);
    for (const gone of removed) {
      countArticle(counts, gone.article, gone.passages, -1);
      yield;
    }
    for (const come of added) {
      countArticle(counts, come.article, come.passages, 1);
      yield;
    }

    return () => {
      const articleDf = keptArticleDf(this.#articleDf, vocabulary.words.length, removed, added);
      counts.applyTo(vocabulary);
      // Not made yet, it is made for the new articles when first asked for.
      this.#titleIndex.made?.update(removedTitles, addedTitles, articleRenumber, articles.length);
      swapPostings();
      return new Archive({
        articles,
        passages,
        problems,
        failures,
        vocabulary,
        passageIndex: this.passageIndex,
        titleIndex: this.#titleIndex.made,
        ordinalById,
        articleDf,
        stats: {
          articles: articles.length,
          passages: passages.length,
          figures,
          terms: vocabulary.liveCount,
          builtAt: timing.now(),
          buildMs: performance.now() - timing.started,
        },
      });
    };
  }

  /**
   * Merges what an update left for later into the passage index's flat arrays, a step at a time
   * (at BBC ×10 about ten million postings), the archive answering the same throughout; the last
   * step swaps them in. Run it after an update is swapped in, before the archive is next updated or
   * written out (either does it in one go otherwise).
   */
  *settling(): Generator<void, void> {
    const swap = yield* this.passageIndex.settling();
    swap();
  }

  /** An archive from the parts {@link parts} gave, as read back from a snapshot. */
  static restore(parts: ArchiveParts): Archive {
    const failures = new Map<string, Failure>();
    return new Archive({ ...parts, vocabulary: new Vocabulary(parts.vocabulary), failures });
  }

  /**
   * {@link restore} a step at a time: yields every few thousand terms of the vocabulary. With the
   * archive serving meanwhile (`previous`), its vocabulary, lookups and all, where it holds exactly
   * the vocabulary read back ({@link Vocabulary.holdsExactly}): at BBC ×10 its term ids and the live
   * terms' tree are 40 MB, made again for nothing when no term changed.
   */
  static *restoring(parts: ArchiveParts, previous?: Archive): Generator<void, Archive> {
    const old = previous === undefined ? undefined : previous.#vocabulary;
    let vocabulary: Vocabulary;
    if (old !== undefined && (yield* old.holdsExactly(parts.vocabulary))) vocabulary = old;
    else {
      vocabulary = new Vocabulary(parts.vocabulary, false);
      yield* vocabulary.lookingUp();
    }
    return new Archive({ ...parts, vocabulary, failures: new Map<string, Failure>() });
  }

  /** Article titles alone, for autocomplete; made now if no one has asked for them before. */
  get titleIndex(): TextIndex {
    return this.#titleIndex.get();
  }

  /**
   * Makes the title index ahead of the first autocomplete, a batch of titles at a time with
   * `pause` awaited between batches, so questions are answered meanwhile (at BBC ×30 it is a second
   * or more of work). Resolves at once when it is made already.
   */
  warmTitleIndex(pause: () => Promise<unknown>): Promise<void> {
    return this.#titleIndex.warm(pause);
  }

  /**
   * Makes the tree of live terms (fuzzy and prefix lookups) ahead of the first question that needs
   * it, in steps with `pause` awaited between; resolves at once when it is made already.
   */
  warmTerms(pause: () => Promise<unknown>): Promise<void> {
    return this.#vocabulary.warmLive(pause);
  }

  /** Whether the live terms' tree and the title index are made: a first lookup then waits for neither. */
  get lookupsMade(): boolean {
    return this.#vocabulary.liveMade && this.#titleIndex.made !== null;
  }

  /** What this archive is made of, for the snapshot codec. */
  get parts(): ArchiveParts {
    return {
      articles: this.articles,
      passages: this.passages,
      problems: this.problems,
      vocabulary: this.#vocabulary,
      passageIndex: this.passageIndex,
      stats: this.stats,
    };
  }

  /**
   * Passages by BM25 over `terms` (processed, fuzzy and prefix variants already expanded),
   * OR-combined, each weighed by its `boost` (1 when absent), best first, equal scores in ordinal
   * order: what MiniSearch's `search` gave over the same passages, to the last bit.
   *
   * @example archive.searchPassages(['syria', 'war'], new Map([['syria', 2]]))[0]?.id
   */
  searchPassages(
    terms: readonly string[],
    boost?: ReadonlyMap<string, number>,
    scoring?: { readonly bm25?: BM25Params; readonly titleBoost?: number },
  ): TextMatch[] {
    const ids = terms.map((term) => this.#vocabulary.ids.get(term) ?? -1);
    const boosts = terms.map((term) => boost?.get(term) ?? 1);
    return this.passageIndex.searchTerms(ids, boosts, scoring);
  }

  article(id: string): IndexedArticle | undefined {
    const ordinal = this.#ordinalById.get(id);
    return ordinal === undefined ? undefined : this.articles[ordinal];
  }

  /** The file of the article with this id, whether the archive holds it or left it out as a problem. */
  fileOf(id: string): string | undefined {
    return this.article(id)?.article.file ?? this.#failures.get(id)?.problem.file;
  }

  /** The id of a term some passage or title holds, else undefined. */
  termId(term: string): number | undefined {
    const id = this.#vocabulary.ids.get(term);
    return id !== undefined && this.#vocabulary.isLive(id) ? id : undefined;
  }

  term(id: number): string {
    return this.#vocabulary.words[id] ?? '';
  }

  /** In how many passages a term occurs. */
  passageFrequency(id: number): number {
    return this.#vocabulary.passageDf[id] ?? 0;
  }

  /**
   * In how many articles' passages a term occurs. Read from the term's postings (as many steps as
   * passages hold it) the first time a term is asked about, then kept: only the answerability score
   * asks, for a question's terms and their variants, and a common word's walk (3 ms for one in a
   * fifth of BBC ×10's passages) was repeated by every question that used it. An update makes a
   * new archive, which keeps the answers for terms no article that came or went holds (read afresh,
   * the first questions after every swap each walked their common words again).
   */
  articleFrequency(id: number): number {
    const known = (this.#articleDf ??= new Int32Array(this.#vocabulary.words.length))[id] ?? 0;
    if (known > 0) return known - 1;
    const count = this.#countArticles(id);
    if (id >= 0 && id < this.#articleDf.length) this.#articleDf[id] = count + 1;
    return count;
  }

  #countArticles(id: number): number {
    const passages = this.passageIndex.textDocuments(id);
    const seen = (this.#articleMarks ??= new Uint8Array(this.articles.length));
    let count = 0;
    for (const passage of passages) {
      const article = this.passages[passage]?.article ?? -1;
      if (seen[article] === 0) {
        seen[article] = 1;
        count++;
      }
    }
    // Cleared again the same way, so the marks are all 0 between calls without walking every article.
    for (const passage of passages) seen[this.passages[passage]?.article ?? -1] = 0;
    return count;
  }

  /** Whether the corpus mostly writes this term with a capital mid-sentence: a name, not a word. */
  isNameLike(id: number): boolean {
    const mid = this.#vocabulary.midSentence[id] ?? 0;
    return mid > 0 && (this.#vocabulary.capitalised[id] ?? 0) / mid >= 0.6;
  }

  /** Like {@link isNameLike}, but also true for a term the corpus only ever puts first in a sentence. */
  couldBeName(id: number): boolean {
    return (this.#vocabulary.midSentence[id] ?? 0) === 0 || this.isNameLike(id);
  }

  /**
   * Terms within `distance` edits of `term`, with their distance, nearest first then by spelling
   * (an order that does not depend on how the vocabulary grew): for misspelt question words.
   */
  fuzzyTerms(term: string, distance: number): [id: number, distance: number][] {
    return [...this.#vocabulary.live.fuzzyGet(term, distance)]
      .sort(([a, [, da]], [b, [, db]]) => da - db || byText(a, b))
      .map(([, match]) => match);
  }

  /** Terms that start with `prefix`, shortest first then by spelling, at most `limit`. */
  prefixTerms(prefix: string, limit: number): number[] {
    return [...this.#vocabulary.live.atPrefix(prefix)]
      .sort(([a], [b]) => a.length - b.length || byText(a, b))
      .slice(0, limit)
      .map(([, id]) => id);
  }
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Third-person singular pronouns: they stand for a person named before. */
const PERSONAL_PRONOUNS = new Set(['he', 'she', 'his', 'her', 'him']);

/**
 * Per-token scratch: a passage's term ids and spans are written here while it is tokenised, then
 * copied once into its article's buffer ({@link prepareArticle}). Reused across articles (a build
 * is synchronous per article), so tokenising allocates nothing per token.
 */
let scratchIds = new Int32Array(1 << 14);
let scratchSpans = new Uint16Array(1 << 15);

/** Room for `tokens` tokens in the scratch, keeping what is in it. */
function scratchRoom(tokens: number): void {
  if (tokens <= scratchIds.length) return;
  const ids = new Int32Array(Math.max(tokens, 2 * scratchIds.length));
  const spans = new Uint16Array(2 * ids.length);
  ids.set(scratchIds);
  spans.set(scratchSpans);
  scratchIds = ids;
  scratchSpans = spans;
}

/** A passage worked out, with its tokens in the scratch at `[from, from + count)`. */
type ScratchPassage = Omit<PreparedPassage, 'termIds' | 'spans'> & { readonly from: number; readonly count: number };

function indexPassage(passage: Passage, idForRaw: (raw: string, allowAcronyms: boolean) => number, from: number): ScratchPassage {
  const { text } = passage;
  if (text.length > 0xffff) throw new Error(`a passage of ${text.length} characters is longer than its offsets can hold`);
  const sentences = sentenceSpans(text);
  let count = 0;
  let sentence = 0;
  let pronoun = -1;
  forEachToken(text, (raw, start, allowAcronyms) => {
    while (sentence < sentences.length - 1 && start >= (sentences[sentence]?.end ?? 0)) sentence++;
    const id = idForRaw(raw, allowAcronyms);
    if (pronoun < 0 && sentence === 0 && id < 0 && PERSONAL_PRONOUNS.has(raw.toLowerCase())) pronoun = count;
    const at = from + count;
    scratchRoom(at + 1);
    scratchIds[at] = id;
    scratchSpans[2 * at] = start;
    scratchSpans[2 * at + 1] = start + raw.length;
    count++;
  });
  return { passage, from, count, sentences, figures: tieFigures(extractFigures(text), passage, sentences), pronoun };
}

/** A passage's figures tied to it: its ids, paragraph, and the sentence that holds each. */
function tieFigures(matches: readonly FigureMatch[], passage: Passage, sentences: readonly Span[]): Figure[] {
  const { text } = passage;
  return matches.map((match) => {
    const holder = sentences.find((s) => match.start >= s.start && match.start < s.end) ?? { start: 0, end: text.length };
    return {
      ...match,
      passageId: passage.id,
      articleId: passage.articleId,
      paragraph: passage.paragraph,
      sentence: text.slice(holder.start, holder.end),
    };
  });
}
