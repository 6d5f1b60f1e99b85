import MiniSearch, { type BM25Params } from 'minisearch';
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

export interface TextMatch {
  readonly id: number;
  readonly score: number;
}

/** How much more a title match counts than a body match. */
export const TITLE_BOOST = 2;

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

/** MiniSearch's own plain-object form of an index, as a snapshot keeps it. */
export type TextIndexData = ReturnType<MiniSearch['toJSON']>;

export class TextIndex {
  readonly #search: MiniSearch<IndexedDocument>;

  constructor(data?: TextIndexData) {
    this.#search = data === undefined ? new MiniSearch<IndexedDocument>(OPTIONS) : MiniSearch.loadJS<IndexedDocument>(data, OPTIONS);
  }

  /** The index as plain data, for a snapshot; `new TextIndex(data)` reads it back. */
  toData(): TextIndexData {
    return this.#search.toJSON();
  }

  addAll(documents: readonly IndexedDocument[]): void {
    this.#search.addAll(documents);
  }

  get documentCount(): number {
    return this.#search.documentCount;
  }

  /**
   * Searches with processed terms (the caller has expanded fuzzy and prefix variants),
   * OR-combined and scored by BM25, best first.
   *
   * @example index.searchTerms(['syria', 'war'], new Map([['syria', 2]]))[0]?.id
   */
  searchTerms(
    terms: readonly string[],
    boost?: ReadonlyMap<string, number>,
    scoring?: { readonly bm25?: BM25Params; readonly titleBoost?: number },
  ): TextMatch[] {
    if (terms.length === 0) return [];
    // MiniSearch's results already carry a numeric id and a score; copying thousands of them into
    // new objects would only feed the garbage collector on the answer path.
    return this.#search.search(terms.join(' '), {
      tokenize: splitTerms,
      processTerm: keepTerm,
      combineWith: 'OR',
      fuzzy: false,
      prefix: false,
      boostTerm: (term) => boost?.get(term) ?? 1,
      ...(scoring?.bm25 ? { bm25: scoring.bm25 } : {}),
      ...(scoring?.titleBoost === undefined ? {} : { boost: { title: scoring.titleBoost } }),
    });
  }

  /**
   * Searches the way a person types into an autocomplete box: every word must match, longer
   * words fuzzily, and the last word may be unfinished.
   */
  searchTyped(text: string): TextMatch[] {
    return this.#search
      .search(text, {
        tokenize: rawTokens,
        processTerm: (term) => processTerm(term) ?? false,
        combineWith: 'AND',
        fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
        prefix: (term, index, all) => index === all.length - 1 && term.length >= 2,
      })
      .map((result) => ({ id: result.id as number, score: result.score }));
  }
}
