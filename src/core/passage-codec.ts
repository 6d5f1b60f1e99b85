/**
 * The snapshot's passages, sentences and figures as numbers, not objects: a passage is its
 * article's paragraph from `start` to `end`, a sentence a pair of offsets, a figure its offsets,
 * value, unit and kind; texts, ids and sentences are cut from the article's paragraphs again when
 * read back. At BBC ×10 these objects were most of the snapshot's bytes and of its decoding time
 * (and every figure's sentence came back as a string of its own, where cutting makes it share the
 * paragraph's). Whatever does not come back exactly from the numbers (a passage or figure not made
 * the way this file expects) is stored whole, so a read-back archive always equals the one written.
 */
import type { IndexedPassage } from './archive.ts';
import type { Article, Figure, FigureKind, Passage, Span } from './types.ts';

/** One frame's passages, sentences and figures. */
export interface PassageTexts {
  readonly paragraph: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** Passages that do not come back from their numbers, stored whole, else null. */
  readonly passages: readonly (Passage | null)[];
  /** Sentences: passage i's are the pairs `sentenceOffsets[i]…sentenceOffsets[i + 1]` of `sentenceSpans` (start, end). */
  readonly sentenceOffsets: Uint32Array;
  readonly sentenceSpans: Uint32Array;
  /** Passages whose sentences are not plain `{ start, end }` pairs, stored whole, else null. */
  readonly sentences: readonly (readonly Span[] | null)[];
  /** Figures: passage i's are `figureOffsets[i]…figureOffsets[i + 1]` of the columns below. */
  readonly figureOffsets: Uint32Array;
  readonly figureStart: Int32Array;
  readonly figureEnd: Int32Array;
  readonly value: Float64Array;
  /** 1 when the value is null. */
  readonly noValue: Uint8Array;
  /** Index into `words` of the unit, kind and currency; -1 for none. */
  readonly unit: Int32Array;
  readonly kind: Int32Array;
  readonly currency: Int32Array;
  readonly words: readonly string[];
  /** Figures that do not come back from their numbers, stored whole, else null. */
  readonly figures: readonly (Figure | null)[];
}

/** Where passages run in their paragraphs: the part number of the next passage follows from the one before. */
export class PartCounter {
  #article = -1;
  #paragraph = -1;
  #part = 0;

  /** Whether `other` has counted to the same place: the next passage then gets the same part number from both. */
  same(other: PartCounter): boolean {
    return this.#article === other.#article && this.#paragraph === other.#paragraph && this.#part === other.#part;
  }

  next(article: number, paragraph: number): number {
    if (article === this.#article && paragraph === this.#paragraph) return ++this.#part;
    this.#article = article;
    this.#paragraph = paragraph;
    this.#part = 0;
    return 0;
  }
}

function passageFrom(article: Article | undefined, paragraph: number, part: number, start: number, end: number): Passage | null {
  const text = article?.paragraphs[paragraph - 1];
  if (article === undefined || text === undefined) return null;
  return { id: `${article.id}#${paragraph}.${part}`, articleId: article.id, paragraph, start, end, text: text.slice(start, end) };
}

function figureFrom(
  passage: Passage,
  sentences: readonly Span[],
  start: number,
  end: number,
  value: number | null,
  unit: string | null,
  kind: FigureKind,
  currency: string | undefined,
): Figure {
  const holder = sentences.find((s) => start >= s.start && start < s.end) ?? { start: 0, end: passage.text.length };
  const text = passage.text.slice(start, end);
  const sentence = passage.text.slice(holder.start, holder.end);
  const { id: passageId, articleId, paragraph } = passage;
  // Keys in the order extraction gives them, so a figure read back prints as the one written.
  return currency === undefined
    ? { text, start, end, value, unit, kind, passageId, articleId, paragraph, sentence }
    : { text, start, end, value, unit, kind, currency, passageId, articleId, paragraph, sentence };
}

/** Whether `value` has exactly these own keys, in this order. */
export function hasKeys(value: object, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && own.every((key, i) => key === keys[i]);
}

const SPAN_KEYS = ['start', 'end'];
const plainSpans = (spans: readonly Span[]): boolean => spans.every((s) => hasKeys(s, SPAN_KEYS));

/**
 * Whether `passage` is exactly what {@link passageFrom} makes of these numbers, worked out without
 * making it: a writer asks it of every passage, and a full reindex's read-back writes the archive
 * serving a frame at a time to compare, where a passage made to be compared is garbage at once (and
 * V8, having seen a start's decode keep every passage {@link passageFrom} made, makes them where
 * long-lived objects go).
 */
function isPassageFrom(
  passage: Passage,
  article: Article | undefined,
  paragraph: number,
  part: number,
  start: number,
  end: number,
): boolean {
  const text = article?.paragraphs[paragraph - 1];
  if (article === undefined || text === undefined || !hasKeys(passage, PASSAGE_KEYS)) return false;
  return (
    passage.id === `${article.id}#${paragraph}.${part}` &&
    passage.articleId === article.id &&
    Object.is(passage.paragraph, paragraph) &&
    Object.is(passage.start, start) &&
    Object.is(passage.end, end) &&
    passage.text === text.slice(start, end)
  );
}

/** The keys {@link passageFrom} and {@link figureFrom} write, in their order. */
const PASSAGE_KEYS = ['id', 'articleId', 'paragraph', 'start', 'end', 'text'];
const FIGURE_KEYS = ['text', 'start', 'end', 'value', 'unit', 'kind', 'passageId', 'articleId', 'paragraph', 'sentence'];
const CURRENCY_FIGURE_KEYS = [
  'text',
  'start',
  'end',
  'value',
  'unit',
  'kind',
  'currency',
  'passageId',
  'articleId',
  'paragraph',
  'sentence',
];

/** Whether `figure` is exactly what {@link figureFrom} makes of its own numbers in `passage`, worked out without making it (as {@link isPassageFrom}). */
function isFigureFrom(figure: Figure, passage: Passage, sentences: readonly Span[]): boolean {
  if (!hasKeys(figure, figure.currency === undefined ? FIGURE_KEYS : CURRENCY_FIGURE_KEYS)) return false;
  const { start, end } = figure;
  const holder = sentences.find((s) => start >= s.start && start < s.end);
  return (
    figure.text === passage.text.slice(start, end) &&
    figure.sentence === passage.text.slice(holder?.start ?? 0, holder?.end ?? passage.text.length) &&
    figure.passageId === passage.id &&
    figure.articleId === passage.articleId &&
    Object.is(figure.paragraph, passage.paragraph)
  );
}

/** A frame's passages as numbers; `parts` carries on from the frame before. */
export function encodePassageTexts(
  rows: readonly IndexedPassage[],
  articles: readonly { readonly article: Article }[],
  parts: PartCounter,
): PassageTexts {
  const words = new Map<string, number>();
  const word = (w: string | null | undefined): number => {
    if (w === null || w === undefined) return -1;
    let id = words.get(w);
    if (id === undefined) words.set(w, (id = words.size));
    return id;
  };
  const figureCount = rows.reduce((sum, row) => sum + row.figures.length, 0);
  const sentenceCount = rows.reduce((sum, row) => sum + row.sentences.length, 0);
  const out = {
    paragraph: new Int32Array(rows.length),
    start: new Int32Array(rows.length),
    end: new Int32Array(rows.length),
    passages: [] as (Passage | null)[],
    sentenceOffsets: new Uint32Array(rows.length + 1),
    sentenceSpans: new Uint32Array(2 * sentenceCount),
    sentences: [] as (readonly Span[] | null)[],
    figureOffsets: new Uint32Array(rows.length + 1),
    figureStart: new Int32Array(figureCount),
    figureEnd: new Int32Array(figureCount),
    value: new Float64Array(figureCount),
    noValue: new Uint8Array(figureCount),
    unit: new Int32Array(figureCount),
    kind: new Int32Array(figureCount),
    currency: new Int32Array(figureCount),
    words: [] as string[],
    figures: [] as (Figure | null)[],
  };
  let s = 0;
  let f = 0;
  rows.forEach((row, i) => {
    const { passage } = row;
    out.paragraph[i] = passage.paragraph;
    out.start[i] = passage.start;
    out.end[i] = passage.end;
    const part = parts.next(row.article, passage.paragraph);
    const again = isPassageFrom(passage, articles[row.article]?.article, passage.paragraph, part, passage.start, passage.end);
    out.passages.push(again ? null : passage);
    const plain = plainSpans(row.sentences);
    out.sentences.push(plain ? null : row.sentences);
    if (plain) {
      for (const span of row.sentences) {
        out.sentenceSpans[s++] = span.start;
        out.sentenceSpans[s++] = span.end;
      }
    }
    out.sentenceOffsets[i + 1] = s / 2;
    for (const figure of row.figures) {
      out.figureStart[f] = figure.start;
      out.figureEnd[f] = figure.end;
      out.value[f] = figure.value ?? 0;
      out.noValue[f] = figure.value === null ? 1 : 0;
      out.unit[f] = word(figure.unit);
      out.kind[f] = word(figure.kind);
      out.currency[f] = word(figure.currency);
      out.figures.push(isFigureFrom(figure, passage, row.sentences) ? null : figure);
      f++;
    }
    out.figureOffsets[i + 1] = f;
  });
  out.words = [...words.keys()];
  return { ...out, sentenceSpans: out.sentenceSpans.subarray(0, s) };
}

/** What a passage row gets back from {@link PassageTexts}. */
export interface PassageParts {
  readonly passage: Passage;
  readonly sentences: readonly Span[];
  readonly figures: readonly Figure[];
}

/**
 * A frame's passages, sentences and figures back from their numbers, with the rows' articles
 * (`articleOf(i)`); `parts` carries on from the frame before. Throws on data that does not add up.
 */
export function decodePassageTexts(
  data: PassageTexts,
  rows: number,
  articleOf: (row: number) => number,
  articles: readonly { readonly article: Article }[],
  parts: PartCounter,
): PassageParts[] {
  const out: PassageParts[] = [];
  if (data.paragraph.length !== rows || data.sentenceOffsets.length !== rows + 1 || data.figureOffsets.length !== rows + 1) {
    throw new Error('passage rows do not add up');
  }
  for (let i = 0; i < rows; i++) {
    const article = articleOf(i);
    const paragraph = data.paragraph[i] ?? 0;
    const part = parts.next(article, paragraph);
    const passage = data.passages[i] ?? passageFrom(articles[article]?.article, paragraph, part, data.start[i] ?? 0, data.end[i] ?? 0);
    if (passage === null) throw new Error('a passage has no paragraph');
    let sentences = data.sentences[i] ?? null;
    if (sentences === null) {
      const spans: Span[] = [];
      for (let s = data.sentenceOffsets[i] ?? 0; s < (data.sentenceOffsets[i + 1] ?? 0); s++) {
        spans.push({ start: data.sentenceSpans[2 * s] ?? 0, end: data.sentenceSpans[2 * s + 1] ?? 0 });
      }
      sentences = spans;
    }
    const figures: Figure[] = [];
    for (let f = data.figureOffsets[i] ?? 0; f < (data.figureOffsets[i + 1] ?? 0); f++) {
      const whole = data.figures[f];
      if (whole !== undefined && whole !== null) {
        figures.push(whole);
        continue;
      }
      const kind = data.words[data.kind[f] ?? -1];
      if (kind === undefined) throw new Error('a figure has no kind');
      const currency = data.words[data.currency[f] ?? -1];
      const value = data.noValue[f] === 1 ? null : (data.value[f] ?? 0);
      figures.push(
        figureFrom(
          passage,
          sentences,
          data.figureStart[f] ?? 0,
          data.figureEnd[f] ?? 0,
          value,
          data.words[data.unit[f] ?? -1] ?? null,
          kind as FigureKind,
          currency,
        ),
      );
    }
    out.push({ passage, sentences, figures });
  }
  return out;
}
