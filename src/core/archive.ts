import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import SearchableMap from 'minisearch/SearchableMap';
import { extractFigures } from './figures/index.ts';
import { buildPassages } from './passages.ts';
import { sentenceSpans } from './sentences.ts';
import { TextIndex, type IndexedDocument } from './text-index.ts';
import { forEachToken, processTerm, terms } from './text.ts';
import type { Article, Figure, Passage, Problem, Span } from './types.ts';

/** A build yields to the event loop once it has run this long, so questions keep being answered. */
const SLICE_MS = 10;

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
  /** `[start, end)` of each token, flattened: token i spans `spans[2i]` to `spans[2i + 1]`. */
  readonly spans: Uint32Array;
  /** Sentence number of each token. */
  readonly sentenceOf: Uint16Array;
  /** Per token: {@link CAPITAL_MID} or {@link CAPITAL_START} when it starts with a capital letter, else 0. */
  readonly capitalised: Uint8Array;
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
  /** Term ids found anywhere in the article, title included, each with how many passages hold it. */
  readonly terms: ReadonlyMap<number, number>;
  readonly titleTerms: ReadonlySet<number>;
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
}

/** The archive's terms and what the corpus says about each, in term-id order: what a snapshot keeps. */
export interface VocabularyParts {
  readonly words: readonly string[];
  /** In how many passages each term occurs. */
  readonly passageDf: readonly number[];
  /** Occurrences not at the start of a sentence, and how many of those were capitalised. */
  readonly midSentence: readonly number[];
  readonly capitalised: readonly number[];
}

class Vocabulary implements VocabularyParts {
  readonly ids = new Map<string, number>();
  readonly words: string[];
  readonly passageDf: number[];
  readonly midSentence: number[];
  readonly capitalised: number[];

  constructor(parts?: VocabularyParts) {
    this.words = parts ? Array.from(parts.words) : [];
    this.passageDf = parts ? Array.from(parts.passageDf) : [];
    this.midSentence = parts ? Array.from(parts.midSentence) : [];
    this.capitalised = parts ? Array.from(parts.capitalised) : [];
    this.words.forEach((word, id) => this.ids.set(word, id));
  }

  /** Term id of a raw token, or -1 for a stop word; remembers raw tokens, since news repeats its words. */
  idForRaw(raw: string, allowAcronyms: boolean): number {
    const key = allowAcronyms ? raw : `\u0000${raw}`;
    let id = this.#rawIds.get(key);
    if (id === undefined) {
      const term = processTerm(raw, allowAcronyms);
      id = term === null ? -1 : this.idFor(term);
      this.#rawIds.set(key, id);
    }
    return id;
  }

  readonly #rawIds = new Map<string, number>();

  idFor(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(term, id);
      this.words.push(term);
      this.passageDf.push(0);
      this.midSentence.push(0);
      this.capitalised.push(0);
    }
    return id;
  }
}

/** Everything an archive is made of: what the snapshot codec writes and reads back. */
export interface ArchiveParts {
  readonly articles: readonly IndexedArticle[];
  readonly passages: readonly IndexedPassage[];
  readonly problems: readonly Problem[];
  readonly vocabulary: VocabularyParts;
  readonly passageIndex: TextIndex;
  readonly titleIndex: TextIndex;
  readonly stats: ArchiveStats;
}

/**
 * An immutable, searchable snapshot of a corpus: articles, passages, figures and the indexes over
 * them. A reindex builds a new Archive and swaps it in whole, so readers never see a half-built one.
 */
export class Archive {
  readonly articles: readonly IndexedArticle[];
  readonly passages: readonly IndexedPassage[];
  /** Articles left out because their passages or figures failed or took too long, and why. */
  readonly problems: readonly Problem[];
  readonly stats: ArchiveStats;
  readonly passageIndex: TextIndex;
  /** Article titles alone, for autocomplete. */
  readonly titleIndex: TextIndex;
  readonly #vocabulary: Vocabulary;
  readonly #terms: SearchableMap<number>;
  readonly #byId: ReadonlyMap<string, IndexedArticle>;

  private constructor(parts: ArchiveParts & { readonly vocabulary: Vocabulary }) {
    this.articles = parts.articles;
    this.passages = parts.passages;
    this.problems = parts.problems;
    this.#vocabulary = parts.vocabulary;
    this.passageIndex = parts.passageIndex;
    this.titleIndex = parts.titleIndex;
    this.stats = parts.stats;
    this.#terms = new SearchableMap<number>();
    for (const [term, id] of parts.vocabulary.ids) this.#terms.set(term, id);
    this.#byId = new Map(parts.articles.map((a) => [a.article.id, a]));
  }

  /**
   * Builds an archive from loaded articles: passages, figures, and both indexes. Yields to the event
   * loop between batches, so questions keep being answered from the old archive meanwhile.
   *
   * @example const archive = await Archive.build((await loadArticles('seeds')).articles);
   */
  static async build(articles: readonly Article[], options: BuildOptions = {}): Promise<Archive> {
    const now = options.now ?? (() => new Date());
    const batchSize = options.batchSize ?? 64;
    const started = performance.now();
    const vocabulary = new Vocabulary();
    const indexedArticles: IndexedArticle[] = [];
    const indexedPassages: IndexedPassage[] = [];
    const passageIndex = new TextIndex();
    const titleIndex = new TextIndex();
    let figureCount = 0;
    const firstWithText = new Map<string, number>();

    const budgetMs = options.fileBudgetMs ?? 2_000;
    const problems: Problem[] = [];
    let passageDocs: IndexedDocument[] = [];
    let titleDocs: IndexedDocument[] = [];
    let batched = 0;
    let sliceStarted = performance.now();
    const flush = (): void => {
      passageIndex.addAll(passageDocs);
      titleIndex.addAll(titleDocs);
      passageDocs = [];
      titleDocs = [];
      batched = 0;
    };
    for (const article of articles) {
      // Yield after a batch, or sooner once a slice of time is used up (one long article can fill it).
      if (batched >= batchSize || performance.now() - sliceStarted > SLICE_MS) {
        flush();
        await yieldToEventLoop();
        sliceStarted = performance.now();
      }
      batched++;
      const ordinal = indexedArticles.length;
      const articleTerms = new Map<number, number>();
      const titleTerms = new Set<number>();
      const titleWords = terms(article.title);
      const titleText = titleWords.join(' ');
      for (const term of titleWords) {
        const id = vocabulary.idFor(term);
        titleTerms.add(id);
        articleTerms.set(id, 0);
      }
      // Passages and figures are worked out first, under a guard and a time budget: an article that
      // throws or takes too long is left out as a problem, and the archive holds nothing of it.
      let prepared: IndexedPassage[];
      const articleStarted = performance.now();
      try {
        prepared = [];
        const ownTexts = new Map<string, number>();
        for (const passage of buildPassages(article)) {
          const self = indexedPassages.length + prepared.length;
          const original = firstWithText.get(passage.text) ?? ownTexts.get(passage.text) ?? self;
          if (original === self) ownTexts.set(passage.text, self);
          prepared.push(indexPassage(passage, ordinal, indexedPassages.length + prepared.length, original, vocabulary));
        }
      } catch (error) {
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        problems.push({ file: article.file, reason: `its passages and figures could not be worked out (${detail})` });
        continue;
      }
      const took = performance.now() - articleStarted;
      if (took > budgetMs) {
        const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
        problems.push({ file: article.file, reason: `indexing it took ${secs(took)}, over the ${secs(budgetMs)} budget for one file` });
        continue;
      }
      const passageOrdinals: number[] = [];
      for (const indexed of prepared) {
        if (indexed.original === indexed.ordinal) firstWithText.set(indexed.passage.text, indexed.ordinal);
        for (const id of new Set(indexed.termIds)) {
          if (id < 0) continue;
          vocabulary.passageDf[id] = (vocabulary.passageDf[id] ?? 0) + 1;
          articleTerms.set(id, (articleTerms.get(id) ?? 0) + 1);
        }
        figureCount += indexed.figures.length;
        passageOrdinals.push(indexed.ordinal);
        indexedPassages.push(indexed);
        let words = '';
        for (const id of indexed.termIds) if (id >= 0) words += `${vocabulary.words[id] ?? ''} `;
        passageDocs.push({ id: indexed.ordinal, title: titleText, text: words });
      }
      indexedArticles.push({ ordinal, article, passages: passageOrdinals, terms: articleTerms, titleTerms });
      titleDocs.push({ id: ordinal, title: titleText, text: '' });
    }
    flush();

    return new Archive({
      articles: indexedArticles,
      passages: indexedPassages,
      problems,
      vocabulary,
      passageIndex,
      titleIndex,
      stats: {
        articles: indexedArticles.length,
        passages: indexedPassages.length,
        figures: figureCount,
        terms: vocabulary.words.length,
        builtAt: now(),
        buildMs: performance.now() - started,
      },
    });
  }

  /** An archive from the parts {@link parts} gave, as read back from a snapshot. */
  static restore(parts: ArchiveParts): Archive {
    return new Archive({ ...parts, vocabulary: new Vocabulary(parts.vocabulary) });
  }

  /** What this archive is made of, for the snapshot codec. */
  get parts(): ArchiveParts {
    return {
      articles: this.articles,
      passages: this.passages,
      problems: this.problems,
      vocabulary: this.#vocabulary,
      passageIndex: this.passageIndex,
      titleIndex: this.titleIndex,
      stats: this.stats,
    };
  }

  article(id: string): IndexedArticle | undefined {
    return this.#byId.get(id);
  }

  termId(term: string): number | undefined {
    return this.#vocabulary.ids.get(term);
  }

  term(id: number): string {
    return this.#vocabulary.words[id] ?? '';
  }

  /** In how many passages a term occurs. */
  passageFrequency(id: number): number {
    return this.#vocabulary.passageDf[id] ?? 0;
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

  /** Terms within `distance` edits of `term`, with their distance: for misspelt question words. */
  fuzzyTerms(term: string, distance: number): [id: number, distance: number][] {
    return Array.from(this.#terms.fuzzyGet(term, distance).values());
  }

  /** Terms that start with `prefix`. */
  prefixTerms(prefix: string, limit: number): number[] {
    const ids: number[] = [];
    for (const id of this.#terms.atPrefix(prefix).values()) {
      ids.push(id);
      if (ids.length >= limit) break;
    }
    return ids;
  }
}

/** Third-person singular pronouns: they stand for a person named before. */
const PERSONAL_PRONOUNS = new Set(['he', 'she', 'his', 'her', 'him']);

function indexPassage(passage: Passage, article: number, ordinal: number, original: number, vocabulary: Vocabulary): IndexedPassage {
  const { text } = passage;
  const sentences = sentenceSpans(text);
  const ids: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const sentenceNumbers: number[] = [];
  const capitals: number[] = [];
  let sentence = 0;
  let previousSentence = -1;
  let pronoun = -1;
  forEachToken(text, (raw, start, allowAcronyms) => {
    while (sentence < sentences.length - 1 && start >= (sentences[sentence]?.end ?? 0)) sentence++;
    const id = vocabulary.idForRaw(raw, allowAcronyms);
    if (pronoun < 0 && sentence === 0 && id < 0 && PERSONAL_PRONOUNS.has(raw.toLowerCase())) pronoun = ids.length;
    ids.push(id);
    starts.push(start);
    ends.push(start + raw.length);
    sentenceNumbers.push(sentence);
    const opensSentence = sentence !== previousSentence;
    previousSentence = sentence;
    const first = raw.charCodeAt(0);
    // Capitalisation mid-sentence tells names from words; ASCII letters cover nearly all of it cheaply.
    const midSentenceWord = id >= 0 && !opensSentence && ((first >= 65 && first <= 90) || (first >= 97 && first <= 122));
    capitals.push(id >= 0 && first >= 65 && first <= 90 ? (opensSentence ? CAPITAL_START : CAPITAL_MID) : 0);
    if (midSentenceWord) {
      vocabulary.midSentence[id] = (vocabulary.midSentence[id] ?? 0) + 1;
      if (first <= 90) vocabulary.capitalised[id] = (vocabulary.capitalised[id] ?? 0) + 1;
    }
  });
  const spans = new Uint32Array(ids.length * 2);
  for (let i = 0; i < ids.length; i++) {
    spans[2 * i] = starts[i] ?? 0;
    spans[2 * i + 1] = ends[i] ?? 0;
  }
  const figures: Figure[] = extractFigures(text).map((match) => {
    const holder = sentences.find((s) => match.start >= s.start && match.start < s.end) ?? { start: 0, end: text.length };
    return {
      ...match,
      passageId: passage.id,
      articleId: passage.articleId,
      paragraph: passage.paragraph,
      sentence: text.slice(holder.start, holder.end),
    };
  });
  return {
    ordinal,
    passage,
    article,
    original,
    termIds: Int32Array.from(ids),
    spans,
    sentenceOf: Uint16Array.from(sentenceNumbers),
    capitalised: Uint8Array.from(capitals),
    sentences,
    figures,
    pronoun,
  };
}
