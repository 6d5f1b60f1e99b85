/**
 * Date-aware questions, as a small step after ranking: a question that says "latest" or "now"
 * puts the newest of the most relevant passages first, and one that names a time ("in 2023",
 * "this year", "last week") keeps to the passages of that time. Undated articles are never
 * dropped by either, only placed after the dated ones. The ranker's scores are not touched.
 */
import type { Archive } from './archive.ts';
import { answerQuestion, articleRef, type AnswerOptions } from './answer.ts';
import { dateIntent, type DateIntent } from './date-intent.ts';
import { parseDateBound, type DateRange } from './date-range.ts';
import { MAX_ANALYSED_LENGTH } from './question-analysis.ts';
import { humanDate, periodEnd, resolveRelativeDates } from './dates.ts';
import { figurePeriod } from './figure-time.ts';
import type { Ranking, ScoredPassage } from './rank.ts';
import type { Answer, ArticleRef, CitedFigure } from './types.ts';

/** Passages ranked before the date step, so that it has dated candidates to choose from. */
export const DATED_DEPTH = 40;
/** For "latest": passages with at least this share of the best passage's coverage count as relevant, and their dates decide. */
const RELEVANT_COVERAGE = 0.5;
/** Closest articles listed when no article of the dates asked for answers (as answerQuestion lists). */
const CLOSEST_LIMIT = 3;

const within = (day: string, range: DateRange): boolean =>
  (range.after === null || day >= range.after) && (range.before === null || day < range.before);

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The days a passage speaks of besides its article's date: its relative dates resolved against the
 * article's ("in May" in a June 2023 story is May 2023) and the years and dates it states ("in
 * 1971"), each as the first day of its period.
 */
function daysSpokenOf(passage: ScoredPassage['passage'], articleDate: string | null, today: Date): string[] {
  const days: string[] = [];
  for (const resolved of resolveRelativeDates(passage.passage.text, articleDate)) {
    const day = parseDateBound(resolved.resolved.replace(/^(?:week|weekend) of /u, ''), today);
    if (day !== null) days.push(day);
  }
  for (const figure of passage.figures) {
    if (figure.value === null) continue;
    if (figure.kind === 'year') days.push(`${String(figure.value)}-01-01`);
    if (figure.kind === 'date' && figure.value >= 10_000_000) {
      const v = figure.value;
      days.push(`${String(Math.floor(v / 10_000))}-${pad(Math.max(1, Math.floor(v / 100) % 100))}-${pad(Math.max(1, v % 100))}`);
    }
  }
  return days;
}

/**
 * Applies what a question says about time to a ranking: with a range, the passages of articles
 * dated in it or that speak of a day in it, in rank order, then the undated ones, in rank order
 * (dated passages of other times are left out); for "latest", the relevant passages (coverage
 * at least half the best one's) newest first, then the relevant undated ones, then the rest in rank order.
 * The ranking's articles (the closest ones when declining) are kept to the range the same way.
 */
export function preferDates(ranking: Ranking, archive: Archive, intent: DateIntent, today: Date): Ranking {
  const dateOf = (s: ScoredPassage): string | null => archive.articles[s.passage.article]?.article.date ?? null;
  let passages = [...ranking.passages];
  let articles = [...ranking.articles];
  const { range } = intent;
  if (range !== null) {
    const inRange: ScoredPassage[] = [];
    const undated: ScoredPassage[] = [];
    for (const scored of passages) {
      const date = dateOf(scored);
      if (date !== null && within(date, range)) inRange.push(scored);
      else if (daysSpokenOf(scored.passage, date, today).some((day) => within(day, range))) inRange.push(scored);
      else if (date === null) undated.push(scored);
    }
    passages = [...inRange, ...undated];
    const datedIn = articles.filter((a) => a.article.date !== null && within(a.article.date, range));
    articles = [...datedIn, ...articles.filter((a) => a.article.date === null)];
  }
  if (intent.recent) {
    const best = passages[0]?.coverage ?? 0;
    const relevant = passages.filter((s) => s.coverage > 0 && s.coverage >= best * RELEVANT_COVERAGE);
    // Newest first; on one date, the passage that covers more of the question (then rank order: the sort is stable).
    const newest = relevant
      .filter((s) => dateOf(s) !== null)
      .sort((a, b) => (dateOf(b) ?? '').localeCompare(dateOf(a) ?? '') || b.coverage - a.coverage);
    const relevantUndated = relevant.filter((s) => dateOf(s) === null);
    passages = [...newest, ...relevantUndated, ...passages.filter((s) => !relevant.includes(s))];
    const datedArticles = articles.filter((a) => a.article.date !== null);
    articles = [
      ...datedArticles.sort((a, b) => (b.article.date ?? '').localeCompare(a.article.date ?? '')),
      ...articles.filter((a) => a.article.date === null),
    ];
  }
  return { ...ranking, passages, articles, candidates: range === null ? ranking.candidates : passages.length };
}

/** Whether any article of the archive is dated; remembered per archive. */
const datedArchives = new WeakMap<Archive, boolean>();
function hasDates(archive: Archive): boolean {
  let dated = datedArchives.get(archive);
  if (dated === undefined) {
    dated = archive.articles.some((a) => a.article.date !== null);
    datedArchives.set(archive, dated);
  }
  return dated;
}

/** The day before a `YYYY-MM-DD` day. */
function dayBefore(day: string): string {
  const at = new Date(`${day}T12:00:00Z`);
  at.setUTCDate(at.getUTCDate() - 1);
  return at.toISOString().slice(0, 10);
}

/** `dated 2023`, `dated May 2023`, `dated 18 Nov 2024 to 24 Nov 2024`, `dated from 1 Jan 2022 on`, for the decline reason. */
export function rangeWords(range: DateRange): string {
  const { after, before } = range;
  if (after === null) return `dated before ${humanDate(before ?? '')}`;
  if (before === null) return `dated from ${humanDate(after)} on`;
  const last = dayBefore(before);
  if (after.endsWith('-01-01') && last === `${after.slice(0, 4)}-12-31`) return `dated ${after.slice(0, 4)}`;
  if (after.endsWith('-01') && last.slice(0, 7) === after.slice(0, 7) && before.endsWith('-01'))
    return `dated ${humanDate(after).replace(/^1 /u, '')}`;
  return after === last ? `dated ${humanDate(after)}` : `dated ${humanDate(after)} to ${humanDate(last)}`;
}

/**
 * Answers a question, applying what it says about time ("latest", "in 2023", "last week",
 * relative to `today`) to the ranked passages; the date words themselves are not searched for
 * (articles rarely write "latest", and a dated article need not repeat its year). A question
 * without date words, or an archive without dated articles, is answered exactly as
 * {@link answerQuestion} answers it.
 *
 * @example answerWithDates(archive, 'What is the latest container backlog?', new Date('2024-12-01')).answer // '150 containers'
 */
export function answerWithDates(archive: Archive, question: string, today: Date, options: AnswerOptions = {}): Answer {
  // Only what question analysis reads is read here too, so any input takes bounded time.
  const read = question.slice(0, MAX_ANALYSED_LENGTH);
  const intent = dateIntent(read, today);
  if (intent === null || intent.rest.length === 0 || !hasDates(archive)) return answerQuestion(archive, question, options);
  // Whether the date step left no passage (set by the step, read after the answer).
  const step: { emptied: boolean; closest: readonly ArticleRef[] } = { emptied: false, closest: [] };
  const answer = answerQuestion(archive, intent.rest, {
    ...options,
    rerank: {
      depth: DATED_DEPTH,
      apply: (ranking) => {
        const preferred = preferDates(ranking, archive, intent, today);
        step.emptied = ranking.passages.length > 0 && preferred.passages.length === 0;
        step.closest = ranking.articles.slice(0, CLOSEST_LIMIT).map(articleRef);
        return preferred;
      },
    },
  });
  const shown = read.replace(/\s+/gu, ' ').trim();
  if (!answer.answered && step.emptied && intent.range !== null)
    return {
      ...answer,
      question: shown,
      reason: `No article ${rangeWords(intent.range)} answers this, and no undated one does; the closest articles are from other dates.`,
      // The closest articles of any date: the ones of the range answer nothing.
      closest: step.closest,
    };
  if (!answer.answered) return { ...answer, question: shown };
  const timely = intent.range === null ? answer : figuresOfTheTime(answer, archive, intent.range);
  return { ...timely, question: shown, dateNote: dateNote(intent) };
}

/**
 * Whether a figure is of a time within `range`: the month or year its sentence names ("5.1% in
 * 2019"), else its article's date; null when neither says (an undated article naming no time).
 */
function figureInRange(figure: CitedFigure, archive: Archive, range: DateRange): boolean | null {
  const article = archive.article(figure.articleId);
  const articleDate = article?.article.date ?? null;
  const passage = article?.passages.map((o) => archive.passages[o]).find((p) => p?.passage.id === figure.passageId);
  const period = passage === undefined ? null : figurePeriod(figure, { text: passage.passage.text, figures: passage.figures }, articleDate);
  if (period !== null) {
    // Any overlap counts: "in 2023" holds May 2023, and a figure of 2023 is one of May 2023's time.
    const end = periodEnd(period.from, period.precision);
    return (range.after === null || end > range.after) && (range.before === null || period.from < range.before);
  }
  return articleDate === null ? null : within(articleDate, range);
}

/**
 * "What was X in 2019": the answer's figures of that time first (a passage that speaks of 2019 may
 * give 2021's figure too), then those of no known time, then the rest, each group in the order the
 * answer had. The bold answer, the direct-answer model's call, is left as it is.
 */
function figuresOfTheTime(answer: Answer, archive: Archive, range: DateRange): Answer {
  const placed = answer.figures.map((figure) => ({ figure, inRange: figureInRange(figure, archive, range) }));
  const order = (inRange: boolean | null): number => (inRange === true ? 0 : inRange === null ? 1 : 2);
  const figures = [...placed].sort((a, b) => order(a.inRange) - order(b.inRange)).map((p) => p.figure);
  return { ...answer, figures };
}

/** What the date step did, in a sentence shown with the answer. */
export function dateNote(intent: Pick<DateIntent, 'recent' | 'range'>): string {
  if (intent.range === null) return 'Newest articles first, then undated ones.';
  return `Only articles ${rangeWords(intent.range)} or that speak of that time${intent.recent ? ', newest first' : ''}, then undated ones.`;
}
