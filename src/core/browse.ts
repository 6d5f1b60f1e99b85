import { createHash } from 'node:crypto';
import type { Archive, IndexedArticle } from './archive.ts';
import { Citations, declineReason } from './answer.ts';
import { applyDateRange, isOpen, type DateRange } from './date-range.ts';
import { figureTime } from './figure-time.ts';
import { figureSentence, rankPassages } from './rank.ts';
import { truncateAtWord } from './text.ts';
import { citeTimeline, figureTimeline, type Timeline } from './timeline.ts';
import type { Article, Citation, CitedFigure, Figure } from './types.ts';

/** An article found by a search, with a one-line snippet. */
export interface ArticleHit {
  readonly articleId: string;
  readonly key: string;
  readonly title: string;
  readonly date: string | null;
  readonly url: string | null;
  readonly snippet: string;
  /** Ids of the other articles with word for word the same text (a story filed twice), shown as one hit. */
  readonly copies: readonly string[];
}

export interface FiguresResult {
  readonly topic: string;
  readonly figures: readonly CitedFigure[];
  readonly citations: readonly Citation[];
  /** Why nothing was found, when nothing was. */
  readonly reason: string | null;
  /** The same figure reported by several dated articles, in date order (see {@link figureTimeline}); else null. */
  readonly timeline: Timeline | null;
}

/** One page of an article, for reading it in full. */
export interface ArticlePage {
  readonly article: Article;
  readonly key: string;
  /** 1-based. */
  readonly page: number;
  readonly pages: number;
  readonly paragraphs: readonly { readonly n: number; readonly text: string }[];
}

export interface Choice {
  readonly name: string;
  readonly value: string;
}

export const SNIPPET_LENGTH = 160;
const OPEN_RANGE: DateRange = { after: null, before: null };
/** Best passages read for a figure timeline. */
const TIMELINE_PASSAGES = 30;
/** Least weighted share of the topic's words a passage holds for its figures to be timeline points. */
const TIMELINE_COVERAGE = 0.5;
/** Characters of article text per page: leaves room under Discord's 4,096-character description once escaped. */
export const PAGE_CHARS = 2800;
export const MAX_CHOICES = 25;
export const MAX_CHOICE_NAME = 100;

/**
 * A short, stable key for an article id, for places with tight length limits (button ids).
 *
 * @example articleKey('business/001') // 'k3Hx…' (12 characters)
 */
export function articleKey(id: string): string {
  return createHash('sha256').update(id).digest('base64url').slice(0, 12);
}

/** Finds an article by id or by {@link articleKey}. */
export function findArticle(archive: Archive, idOrKey: string): IndexedArticle | undefined {
  const wanted = idOrKey.trim();
  return archive.article(wanted) ?? archive.articles.find((a) => articleKey(a.article.id) === wanted);
}

/**
 * Lists the articles that match a query best, each with a one-line snippet.
 *
 * @example searchArticles(archive, 'Assad Turkey')[0]?.articleId // '000_ebfcda1f30342ff9'
 */
export function searchArticles(archive: Archive, query: string, limit = 10, range: DateRange = OPEN_RANGE): ArticleHit[] {
  const ranking = rankPassages(archive, query);
  const seen = new Set<number>();
  const hits: ArticleHit[] = [];
  // With a date range, every hit is collected first and the range applied after ranking.
  const collect = isOpen(range) ? limit : Number.POSITIVE_INFINITY;
  const add = (article: IndexedArticle, snippetSource: string): void => {
    if (seen.has(article.ordinal) || hits.length >= collect) return;
    seen.add(article.ordinal);
    const copies = copiesOf(archive, article);
    for (const copy of copies) seen.add(copy.ordinal);
    const { id, title, date, url } = article.article;
    hits.push({
      articleId: id,
      key: articleKey(id),
      title,
      date,
      url,
      snippet: truncateAtWord(snippetSource.replace(/\s+/gu, ' '), SNIPPET_LENGTH),
      copies: copies.map((c) => c.article.id),
    });
  };
  for (const scored of ranking.passages) {
    const article = archive.articles[scored.passage.article];
    if (article && scored.coverage > 0) add(article, scored.passage.passage.text);
  }
  for (const article of ranking.articles) add(article, article.article.paragraphs[0] ?? '');
  return applyDateRange(hits, (hit) => hit.date, range).slice(0, limit);
}

/** Articles by their body's first and last paragraphs and length: where word-for-word copies are looked for. */
const bodyIndexes = new WeakMap<Archive, Map<string, IndexedArticle[]>>();

function bodyKey(article: Article): string {
  const { paragraphs } = article;
  return `${paragraphs.length}\u0000${paragraphs[0] ?? ''}\u0000${paragraphs.at(-1) ?? ''}`;
}

/**
 * The other articles whose text is word for word this one's, paragraph by paragraph (titles may
 * differ: a wire story filed twice), in archive order. The lookup is built once per archive.
 */
export function copiesOf(archive: Archive, article: IndexedArticle): IndexedArticle[] {
  let index = bodyIndexes.get(archive);
  if (index === undefined) {
    index = new Map();
    for (const a of archive.articles) {
      const key = bodyKey(a.article);
      const same = index.get(key);
      if (same === undefined) index.set(key, [a]);
      else same.push(a);
    }
    bodyIndexes.set(archive, index);
  }
  const body = article.article.paragraphs;
  return (index.get(bodyKey(article.article)) ?? []).filter(
    (other) => other !== article && other.article.paragraphs.every((p, i) => p === body[i]),
  );
}

/**
 * Collects the figures the best passages on a topic cite, each with its sentence and citation.
 *
 * @example figuresAbout(archive, 'Syrian war casualties').figures[0]?.text // 'half a million people'
 */
export function figuresAbout(archive: Archive, topic: string, limit = 10, range: DateRange = OPEN_RANGE): FiguresResult {
  // Only the best passages are read, so only they need exact scores: eight for the list, or more
  // when a date range may leave out some of them, and more for a timeline.
  const read = isOpen(range) ? 8 : 40;
  const ranking = rankPassages(archive, topic, Math.max(read, TIMELINE_PASSAGES));
  const declined = declineReason(ranking, archive);
  if (declined !== null) return { topic, figures: [], citations: [], reason: declined, timeline: null };
  const citations = new Citations(archive);
  const dateOf = (figure: Figure): string | null => archive.article(figure.articleId)?.article.date ?? null;
  const ordered: { figure: Figure; order: number }[] = [];
  const series: Figure[] = [];
  const passageOf = new Map<Figure, { readonly text: string; readonly figures: readonly Figure[] }>();
  ranking.passages.slice(0, Math.max(read, TIMELINE_PASSAGES)).forEach(({ passage, bestSentence, coverage }, rank) => {
    if (coverage === 0) return;
    for (const figure of passage.figures) {
      if (rank < read) ordered.push({ figure, order: rank + (figureSentence(passage, figure) === bestSentence ? 0 : 0.5) });
      // A timeline's points come from passages about the topic, not ones that share a word with it.
      if (coverage >= TIMELINE_COVERAGE) {
        series.push(figure);
        passageOf.set(figure, { text: passage.passage.text, figures: passage.figures });
      }
    }
  });
  ordered.sort((a, b) => a.order - b.order);
  const inRange = applyDateRange(ordered, ({ figure }) => dateOf(figure), range);
  const listed = inRange.slice(0, limit).map(({ figure }) => ({ ...figure, citation: citations.numberFor(figure.articleId) }));
  // Each figure at the time its sentence says it is of ("5.1% in 2019"), else at its article's date.
  const found = figureTimeline(
    applyDateRange(series, dateOf, range),
    (articleId) => archive.article(articleId)?.article.date ?? null,
    (figure, articleDate) => figureTime(figure, passageOf.get(figure) ?? { text: '', figures: [] }, articleDate),
  );
  // Cited after the list, so the list's numbers come first.
  const timeline = found === null ? null : citeTimeline(found, (figure) => citations.numberFor(figure.articleId));
  // The timeline reads further down the ranking than the list: when only passages past the listed
  // ones hold the series, its figures are the list, rather than "no figures" above a timeline.
  const figures = listed.length === 0 && timeline !== null ? timeline.points.slice(0, limit).map((p) => p.figure) : listed;
  const none = isOpen(range) ? 'The passages on this topic cite no figures.' : 'The passages on this topic cite no figures in these dates.';
  return { topic, figures, timeline, citations: citations.list, reason: figures.length === 0 ? none : null };
}

/** Splits an article into pages of whole passages, about {@link PAGE_CHARS} characters each. */
function paginate(archive: Archive, article: IndexedArticle): { n: number; text: string }[][] {
  const pages: { n: number; text: string }[][] = [[]];
  let size = 0;
  for (const ordinal of article.passages) {
    const passage = archive.passages[ordinal]?.passage;
    if (!passage) continue;
    const current = pages.at(-1) ?? [];
    if (size > 0 && size + passage.text.length > PAGE_CHARS) {
      pages.push([]);
      size = 0;
    }
    const page = pages.at(-1) ?? current;
    const last = page.at(-1);
    // Passages of one paragraph on the same page read as one paragraph again.
    if (last?.n === passage.paragraph) last.text = `${last.text} ${passage.text}`;
    else page.push({ n: passage.paragraph, text: passage.text });
    size += passage.text.length;
  }
  return pages;
}

/** One page of an article, clamped to the pages it has. Returns undefined for an unknown article. */
export function articlePage(archive: Archive, idOrKey: string, page = 1): ArticlePage | undefined {
  const article = findArticle(archive, idOrKey);
  if (!article) return undefined;
  const pages = paginate(archive, article);
  const index = Math.min(Math.max(1, Math.trunc(page)), pages.length);
  return {
    article: article.article,
    key: articleKey(article.article.id),
    page: index,
    pages: pages.length,
    paragraphs: pages[index - 1] ?? [],
  };
}

function choiceFor(article: Article): Choice {
  // Cut the title, not the label, so the date survives and an already-cut title is not cut twice.
  const date = article.date === null ? '' : ` (${article.date})`;
  const name = `${truncateAtWord(article.title, MAX_CHOICE_NAME - date.length)}${date}`;
  return { name, value: article.id.length <= 100 ? article.id : articleKey(article.id) };
}

/**
 * Autocomplete choices for an article id: titles that match what the user has typed so far
 * (at most 25, names at most 100 characters). With nothing typed, the newest articles.
 */
export function suggestArticles(archive: Archive, typed: string, limit = MAX_CHOICES): Choice[] {
  const text = typed.trim();
  const max = Math.min(limit, MAX_CHOICES);
  if (text.length === 0) {
    return [...archive.articles]
      .sort((a, b) => (b.article.date ?? '').localeCompare(a.article.date ?? '') || a.article.id.localeCompare(b.article.id))
      .slice(0, max)
      .map((a) => choiceFor(a.article));
  }
  const folded = text.toLowerCase();
  const byId = archive.articles.filter((a) => a.article.id.toLowerCase().startsWith(folded));
  const byTitle = archive.titleIndex.searchTyped(text).flatMap((m) => archive.articles[m.id] ?? []);
  const seen = new Set<number>();
  const choices: Choice[] = [];
  for (const article of [...byId, ...byTitle]) {
    if (seen.has(article.ordinal)) continue;
    seen.add(article.ordinal);
    choices.push(choiceFor(article.article));
    if (choices.length >= max) break;
  }
  return choices;
}
