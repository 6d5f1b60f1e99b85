import { answerQuestion } from './answer.ts';
import { Archive } from './archive.ts';
import { CorpusError, loadArticles, type LoadOptions } from './corpus.ts';
import type { Article, Problem } from './types.ts';

/** The articles the archive holds: the loaded ones, less any it had to leave out. */
function indexed(articles: readonly Article[], archive: Archive): readonly Article[] {
  return archive.problems.length === 0 ? articles : archive.articles.map((a) => a.article);
}

/** What a reindex changed, for the admin who ran it. */
export interface ReindexSummary {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly articles: number;
  readonly passages: number;
  readonly figures: number;
  readonly problems: readonly Problem[];
  readonly ms: number;
  readonly finishedAt: Date;
}

/** A reindex was asked for while another was still running. */
export class ReindexBusyError extends Error {
  override readonly name = 'ReindexBusyError';
  constructor() {
    super('A reindex is already running.');
  }
}

/** A reindex could not produce a usable archive; the old one keeps serving. */
export class ReindexFailedError extends Error {
  override readonly name = 'ReindexFailedError';
  readonly problems: readonly Problem[];
  constructor(message: string, problems: readonly Problem[] = []) {
    super(message);
    this.problems = problems;
  }
}

export interface LibraryOptions {
  readonly seedsDir: string;
  /** Most megabytes of article files loaded in all (`MAX_ARCHIVE_MB`). */
  readonly maxArchiveMb?: number;
  readonly now?: () => Date;
}

/**
 * Holds the archive being served and rebuilds it on demand. A rebuild happens beside the live
 * archive and replaces it in one assignment, so every question is answered from a complete archive:
 * the old one until the new one is ready, and the old one for good if the rebuild fails.
 */
export class Library {
  readonly seedsDir: string;
  readonly #loadOptions: LoadOptions;
  readonly #now: () => Date;
  #archive: Archive;
  #articles: readonly Article[];
  #problems: readonly Problem[];
  #running: Promise<ReindexSummary> | null = null;
  #lastReindex: ReindexSummary | null = null;

  private constructor(
    seedsDir: string,
    loadOptions: LoadOptions,
    now: () => Date,
    archive: Archive,
    articles: readonly Article[],
    problems: readonly Problem[],
  ) {
    this.seedsDir = seedsDir;
    this.#loadOptions = loadOptions;
    this.#now = now;
    this.#archive = archive;
    this.#articles = articles;
    this.#problems = problems;
  }

  /**
   * Loads and indexes `seedsDir`. Throws a {@link CorpusError} when the folder cannot be read;
   * bad files only become problems.
   *
   * @example const library = await Library.open({ seedsDir: 'seeds' });
   */
  static async open(options: LibraryOptions): Promise<Library> {
    const now = options.now ?? (() => new Date());
    const loadOptions: LoadOptions = options.maxArchiveMb === undefined ? {} : { maxArchiveMb: options.maxArchiveMb };
    const { articles, problems } = await loadArticles(options.seedsDir, loadOptions);
    const archive = await Archive.build(articles, { now });
    return new Library(options.seedsDir, loadOptions, now, archive, indexed(articles, archive), [...problems, ...archive.problems]);
  }

  /**
   * Answers a few questions made from the archive's own headlines, untimed and unseen, so the
   * first people to ask don't wait while the JavaScript engine compiles the answer path.
   */
  warmUp(questions = 40): void {
    const { articles } = this.#archive;
    const step = Math.max(1, Math.floor(articles.length / questions));
    for (let i = 0; i < articles.length; i += step) answerQuestion(this.#archive, `What happened: ${articles[i]?.article.title ?? ''}?`);
  }

  /** The archive to answer from. Read it once per request: a reindex may replace it at any time. */
  get archive(): Archive {
    return this.#archive;
  }

  get problems(): readonly Problem[] {
    return this.#problems;
  }

  get lastReindex(): ReindexSummary | null {
    return this.#lastReindex;
  }

  get reindexing(): boolean {
    return this.#running !== null;
  }

  /**
   * Rebuilds the archive from `seedsDir` and swaps it in. Throws {@link ReindexBusyError} if a
   * rebuild is already running, and {@link ReindexFailedError} if the folder is unreadable or holds
   * no loadable article; in both cases the current archive stays.
   */
  reindex(): Promise<ReindexSummary> {
    if (this.#running) return Promise.reject(new ReindexBusyError());
    const running = this.#rebuild().finally(() => {
      this.#running = null;
    });
    this.#running = running;
    return running;
  }

  async #rebuild(): Promise<ReindexSummary> {
    const started = performance.now();
    let loaded;
    try {
      loaded = await loadArticles(this.seedsDir, this.#loadOptions);
    } catch (error) {
      if (error instanceof CorpusError) throw new ReindexFailedError(`${error.message}; still serving the previous index.`);
      throw error;
    }
    const { articles: loadedArticles, problems: loadProblems } = loaded;
    if (loadedArticles.length === 0) {
      const why = loadProblems.length > 0 ? `none of its ${loadProblems.length} files could be loaded` : 'it holds no articles';
      throw new ReindexFailedError(`Nothing to index in ${this.seedsDir}: ${why}; still serving the previous index.`, loadProblems);
    }
    const archive = await Archive.build(loadedArticles, { now: this.#now });
    const articles = indexed(loadedArticles, archive);
    const problems = [...loadProblems, ...archive.problems];
    const before = new Map(this.#articles.map((a) => [a.id, a.hash]));
    const after = new Set(articles.map((a) => a.id));
    const summary: ReindexSummary = {
      added: articles.filter((a) => !before.has(a.id)).map((a) => a.id),
      changed: articles.filter((a) => before.has(a.id) && before.get(a.id) !== a.hash).map((a) => a.id),
      removed: this.#articles.filter((a) => !after.has(a.id)).map((a) => a.id),
      articles: archive.stats.articles,
      passages: archive.stats.passages,
      figures: archive.stats.figures,
      problems,
      ms: performance.now() - started,
      finishedAt: this.#now(),
    };
    this.#archive = archive;
    this.#articles = articles;
    this.#problems = problems;
    this.#lastReindex = summary;
    return summary;
  }
}
