/**
 * Plain data shared by the whole core. Nothing here knows about Discord or the terminal:
 * renderers turn these values into whatever a front end needs.
 */

export type ArticleFormat = 'seed' | 'headline' | 'markdown';

export interface Article {
  /** Path relative to the corpus folder, without extension, with `/` separators: `business/001`. */
  readonly id: string;
  /** Path relative to the corpus folder, with extension. */
  readonly file: string;
  readonly format: ArticleFormat;
  readonly title: string;
  /** ISO `YYYY-MM-DD`, when the article has one. */
  readonly date: string | null;
  readonly url: string | null;
  readonly source: string | null;
  readonly author: string | null;
  /** Body paragraphs as plain text (Markdown stripped). Paragraph n (1-based) is `paragraphs[n - 1]`. */
  readonly paragraphs: readonly string[];
  /** Content hash, used to tell changed articles from unchanged ones on reindex. */
  readonly hash: string;
}

/** A file that could not be loaded, and why. */
export interface Problem {
  readonly file: string;
  readonly reason: string;
}

export interface LoadResult {
  readonly articles: Article[];
  readonly problems: Problem[];
}

/** A half-open character range `[start, end)`. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A passage: a paragraph, or a sentence-aligned slice of a long one. */
export interface Passage {
  /** `articleId#paragraph.part`, unique within an index. */
  readonly id: string;
  readonly articleId: string;
  /** 1-based paragraph number within the article body (a headline, if any, is paragraph 0). */
  readonly paragraph: number;
  /** Offsets of the passage within its paragraph. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export type FigureKind = 'count' | 'percent' | 'money' | 'year' | 'date' | 'duration' | 'age' | 'score' | 'quantity';

/** A figure as found in a piece of text, before it is tied to an article. */
export interface FigureMatch {
  /** Exactly as written: always `text.slice(start, end)` of the text it was found in. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /**
   * Normalised value: 500000 for "half a million", 1.13e9 for "$1.13bn", 2016 for "2016"; null for
   * a vague quantity ("millions of tonnes", "dozens of people"), which states no exact number.
   */
  readonly value: number | null;
  /** The unit or counted noun ("people", "subscribers", "%", "years"), or null when there is none. */
  readonly unit: string | null;
  readonly kind: FigureKind;
  /** ISO 4217 code for money: USD, GBP, EUR, JPY… */
  readonly currency?: string;
}

/** A figure tied to its passage, sentence and article. */
export interface Figure extends FigureMatch {
  readonly passageId: string;
  readonly articleId: string;
  readonly paragraph: number;
  /** The sentence of the passage that holds the figure. */
  readonly sentence: string;
}

export interface Citation {
  /** 1-based citation number, as shown in `[n]` markers. */
  readonly n: number;
  readonly articleId: string;
  readonly title: string;
  readonly date: string | null;
  readonly url: string | null;
  readonly source: string | null;
}

export interface RankedPassage {
  readonly rank: number;
  /** Number of the citation (in `Answer.citations`) for this passage's article. */
  readonly citation: number;
  readonly passage: Passage;
  readonly title: string;
  readonly date: string | null;
  readonly score: number;
  /** Ranges of `passage.text` that match the question's terms. */
  readonly highlights: readonly Span[];
}

export interface CitedFigure extends Figure {
  readonly citation: number;
}

export interface ArticleRef {
  readonly articleId: string;
  readonly title: string;
  readonly date: string | null;
  readonly url: string | null;
}

export interface Answer {
  readonly question: string;
  readonly answered: boolean;
  /** A short direct answer, quoted from a passage, when the engine can name one. */
  readonly answer: string | null;
  readonly passages: readonly RankedPassage[];
  /** Whether ranked passages exist beyond the ones returned (for "More passages"). */
  readonly morePassages: boolean;
  readonly figures: readonly CitedFigure[];
  readonly citations: readonly Citation[];
  /** When unanswered: the closest articles, best first. */
  readonly closest: readonly ArticleRef[];
  /**
   * When unanswered: why, in words a reader understands. When answered: what the passages lack, if
   * the question asks for a kind of figure none of the best passages gives (the topic is covered,
   * that figure is not); else null.
   */
  readonly reason: string | null;
  /** The figure kinds the question asks for, if any. */
  readonly wanted: readonly FigureKind[];
  /**
   * What the question's date words did to the passages, when they did anything ("latest", "in
   * 2023"): `Newest articles first, then undated ones.` Absent otherwise.
   */
  readonly dateNote?: string;
}
