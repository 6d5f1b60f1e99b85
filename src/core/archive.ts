import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import SearchableMap from 'minisearch/SearchableMap';
import { extractFigures } from './figures.ts';
import { buildPassages } from './passages.ts';
import { sentenceSpans } from './sentences.ts';
import { TextIndex } from './text-index.ts';
import { tokenize } from './text.ts';
import type { Article, Figure, Passage, Span } from './types.ts';

/** A passage with what the answer path needs precomputed at index time. */
export interface IndexedPassage {
  readonly ordinal: number;
  readonly passage: Passage;
  readonly article: number;
  /** Term id of each token, -1 for a stop word. */
  readonly termIds: Int32Array;
  /** `[start, end)` of each token, flattened: token i spans `spans[2i]` to `spans[2i + 1]`. */
  readonly spans: Uint32Array;
  /** Sentence number of each token. */
  readonly sentenceOf: Uint16Array;
  readonly sentences: readonly Span[];
  readonly figures: readonly Figure[];
}

export interface IndexedArticle {
  readonly ordinal: number;
  readonly article: Article;
  readonly passages: readonly number[];
  /** Term ids found anywhere in the article, title included. */
  readonly terms: ReadonlySet<number>;
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
}

class Vocabulary {
  readonly ids = new Map<string, number>();
  readonly words: string[] = [];
  readonly passageDf: number[] = [];
  readonly articleDf: number[] = [];
  /** Occurrences not at the start of a sentence, and how many of those were capitalised. */
  readonly midSentence: number[] = [];
  readonly capitalised: number[] = [];

  idFor(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(term, id);
      this.words.push(term);
      this.passageDf.push(0);
      this.articleDf.push(0);
      this.midSentence.push(0);
      this.capitalised.push(0);
    }
    return id;
  }
}

/**
 * An immutable, searchable snapshot of a corpus: articles, passages, figures and the indexes over
 * them. A reindex builds a new Archive and swaps it in whole, so readers never see a half-built one.
 */
export class Archive {
  readonly articles: readonly IndexedArticle[];
  readonly passages: readonly IndexedPassage[];
  readonly stats: ArchiveStats;
  readonly passageIndex: TextIndex;
  readonly articleIndex: TextIndex;
  readonly #vocabulary: Vocabulary;
  readonly #terms: SearchableMap<number>;
  readonly #byId: ReadonlyMap<string, IndexedArticle>;

  private constructor(parts: {
    articles: IndexedArticle[];
    passages: IndexedPassage[];
    vocabulary: Vocabulary;
    passageIndex: TextIndex;
    articleIndex: TextIndex;
    stats: ArchiveStats;
  }) {
    this.articles = parts.articles;
    this.passages = parts.passages;
    this.#vocabulary = parts.vocabulary;
    this.passageIndex = parts.passageIndex;
    this.articleIndex = parts.articleIndex;
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
    const articleIndex = new TextIndex();
    let figureCount = 0;

    for (let start = 0; start < articles.length; start += batchSize) {
      const batch = articles.slice(start, start + batchSize);
      const passageDocs = [];
      const articleDocs = [];
      for (const article of batch) {
        const ordinal = indexedArticles.length;
        const articleTerms = new Set<number>();
        const titleTerms = new Set<number>();
        for (const token of tokenize(article.title)) {
          if (token.term === null) continue;
          const id = vocabulary.idFor(token.term);
          titleTerms.add(id);
          articleTerms.add(id);
        }
        const passageOrdinals: number[] = [];
        for (const passage of buildPassages(article)) {
          const indexed = indexPassage(passage, ordinal, indexedPassages.length, vocabulary);
          for (const id of new Set(indexed.termIds)) {
            if (id < 0) continue;
            vocabulary.passageDf[id] = (vocabulary.passageDf[id] ?? 0) + 1;
            articleTerms.add(id);
          }
          figureCount += indexed.figures.length;
          passageOrdinals.push(indexed.ordinal);
          indexedPassages.push(indexed);
          passageDocs.push({ id: indexed.ordinal, title: article.title, text: passage.text });
        }
        for (const id of articleTerms) vocabulary.articleDf[id] = (vocabulary.articleDf[id] ?? 0) + 1;
        indexedArticles.push({ ordinal, article, passages: passageOrdinals, terms: articleTerms, titleTerms });
        articleDocs.push({ id: ordinal, title: article.title, text: article.paragraphs.join('\n\n') });
      }
      passageIndex.addAll(passageDocs);
      articleIndex.addAll(articleDocs);
      if (start + batchSize < articles.length) await yieldToEventLoop();
    }

    return new Archive({
      articles: indexedArticles,
      passages: indexedPassages,
      vocabulary,
      passageIndex,
      articleIndex,
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

  /** In how many articles a term occurs. */
  articleFrequency(id: number): number {
    return this.#vocabulary.articleDf[id] ?? 0;
  }

  /** Whether the corpus mostly writes this term with a capital mid-sentence: a name, not a word. */
  isNameLike(id: number): boolean {
    const mid = this.#vocabulary.midSentence[id] ?? 0;
    return mid > 0 && (this.#vocabulary.capitalised[id] ?? 0) / mid >= 0.6;
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

function indexPassage(passage: Passage, article: number, ordinal: number, vocabulary: Vocabulary): IndexedPassage {
  const tokens = tokenize(passage.text);
  const sentences = sentenceSpans(passage.text);
  const termIds = new Int32Array(tokens.length);
  const spans = new Uint32Array(tokens.length * 2);
  const sentenceOf = new Uint16Array(tokens.length);
  let sentence = 0;
  let previousSentence = -1;
  tokens.forEach((token, i) => {
    while (sentence < sentences.length - 1 && token.start >= (sentences[sentence]?.end ?? 0)) sentence++;
    sentenceOf[i] = sentence;
    spans[2 * i] = token.start;
    spans[2 * i + 1] = token.end;
    const id = token.term === null ? -1 : vocabulary.idFor(token.term);
    termIds[i] = id;
    const opensSentence = sentence !== previousSentence;
    previousSentence = sentence;
    if (id >= 0 && !opensSentence && /^\p{L}/u.test(passage.text[token.start] ?? '')) {
      vocabulary.midSentence[id] = (vocabulary.midSentence[id] ?? 0) + 1;
      if (/^\p{Lu}/u.test(passage.text[token.start] ?? '')) vocabulary.capitalised[id] = (vocabulary.capitalised[id] ?? 0) + 1;
    }
  });
  const figures: Figure[] = extractFigures(passage.text).map((match) => {
    const holder = sentences.find((s) => match.start >= s.start && match.start < s.end) ?? { start: 0, end: passage.text.length };
    return {
      ...match,
      passageId: passage.id,
      articleId: passage.articleId,
      paragraph: passage.paragraph,
      sentence: passage.text.slice(holder.start, holder.end),
    };
  });
  return { ordinal, passage, article, termIds, spans, sentenceOf, sentences, figures };
}
