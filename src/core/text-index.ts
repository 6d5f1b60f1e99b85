import MiniSearch from 'minisearch';
import { processTerm, rawTokens } from './text.ts';

/** A document as the index sees it: a numeric id into our own arrays, a title and a body. */
export interface IndexedDocument {
  readonly id: number;
  readonly title: string;
  readonly text: string;
}

export interface TextMatch {
  readonly id: number;
  readonly score: number;
}

export const TITLE_BOOST = 2;

/**
 * The one place that fixes how Factdesk uses MiniSearch: its fields, tokenizer, term processing and
 * title weight. The passage index and the article index are both one of these.
 */
export class TextIndex {
  readonly #search = new MiniSearch<IndexedDocument>({
    fields: ['title', 'text'],
    storeFields: [],
    tokenize: rawTokens,
    processTerm: (term) => processTerm(term) ?? false,
    searchOptions: { boost: { title: TITLE_BOOST } },
  });

  addAll(documents: readonly IndexedDocument[]): void {
    this.#search.addAll(documents);
  }

  get documentCount(): number {
    return this.#search.documentCount;
  }

  /**
   * Searches with already-processed terms (the caller has expanded fuzzy and prefix matches),
   * OR-combined and scored by BM25, best first.
   *
   * @example index.searchTerms(['syria', 'war'], new Map([['syria', 2]]))[0]?.id
   */
  searchTerms(terms: readonly string[], boost?: ReadonlyMap<string, number>): TextMatch[] {
    if (terms.length === 0) return [];
    return this.#search
      .search(terms.join(' '), {
        tokenize: (text) => text.split(' '),
        processTerm: (term) => term,
        combineWith: 'OR',
        fuzzy: false,
        prefix: false,
        boostTerm: (term) => boost?.get(term) ?? 1,
      })
      .map((result) => ({ id: result.id as number, score: result.score }));
  }

  /**
   * Searches titles the way a person types into an autocomplete box: fuzzy for longer words,
   * and the last word may be unfinished.
   */
  searchTitles(text: string): TextMatch[] {
    return this.#search
      .search(text, {
        fields: ['title'],
        combineWith: 'AND',
        fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
        prefix: (term, index, all) => index === all.length - 1 && term.length >= 2,
      })
      .map((result) => ({ id: result.id as number, score: result.score }));
  }
}
