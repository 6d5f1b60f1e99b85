import { sentenceSpans } from './sentences.ts';
import type { Article, Passage, Span } from './types.ts';

/** Paragraphs up to this length are one passage; longer ones are cut at sentence boundaries. */
export const MAX_PASSAGE_LENGTH = 700;
export const MIN_PASSAGE_LENGTH = 300;
/** A single sentence longer than this is cut at a clause or word boundary, so no passage balloons. */
const HARD_LIMIT = 1000;

/**
 * Groups consecutive sentences into chunks of about MIN–MAX characters. The chunk count is fixed
 * first and the cuts balanced, so a 750-character paragraph becomes two halves rather than 700 + 50.
 */
function chunkSentences(text: string, sentences: readonly Span[]): Span[] {
  const total = text.length;
  const count = Math.max(1, Math.ceil(total / MAX_PASSAGE_LENGTH));
  const target = total / count;
  const chunks: Span[] = [];
  let chunkStart = sentences[0]?.start ?? 0;
  let chunkEnd = chunkStart;
  for (const sentence of sentences) {
    const length = chunkEnd - chunkStart;
    const grown = sentence.end - chunkStart;
    const overTarget = Math.abs(grown - target) > Math.abs(length - target) && length >= MIN_PASSAGE_LENGTH;
    if (length > 0 && (grown > MAX_PASSAGE_LENGTH || overTarget)) {
      chunks.push({ start: chunkStart, end: chunkEnd });
      chunkStart = sentence.start;
    }
    chunkEnd = sentence.end;
  }
  if (chunkEnd > chunkStart) chunks.push({ start: chunkStart, end: chunkEnd });
  return chunks.flatMap((chunk) => hardSplit(text, chunk));
}

/** Cuts an over-long span at the last clause break (`;`, `,`) or space before the limit. */
function hardSplit(text: string, span: Span): Span[] {
  const pieces: Span[] = [];
  let start = span.start;
  while (span.end - start > HARD_LIMIT) {
    const window = text.slice(start, start + MAX_PASSAGE_LENGTH);
    const clause = Math.max(window.lastIndexOf('; '), window.lastIndexOf(', '));
    const space = window.lastIndexOf(' ');
    const cut = clause > MIN_PASSAGE_LENGTH ? clause + 1 : space > MIN_PASSAGE_LENGTH ? space : MAX_PASSAGE_LENGTH;
    pieces.push({ start, end: start + cut });
    start += cut;
    while (start < span.end && /\s/u.test(text[start] ?? '')) start++;
  }
  pieces.push({ start, end: span.end });
  return pieces;
}

/**
 * Cuts an article into passages: one per paragraph, or sentence-aligned slices of a paragraph
 * longer than {@link MAX_PASSAGE_LENGTH}. Offsets are relative to the paragraph.
 *
 * @example buildPassages(article)[0]?.id // 'business/001#1.0'
 */
export function buildPassages(article: Article): Passage[] {
  const passages: Passage[] = [];
  article.paragraphs.forEach((text, index) => {
    const paragraph = index + 1;
    const spans = text.length <= MAX_PASSAGE_LENGTH ? [{ start: 0, end: text.length }] : chunkSentences(text, sentenceSpans(text));
    spans.forEach((span, part) => {
      passages.push(passageOf(article, paragraph, part, span));
    });
  });
  return passages;
}

/**
 * Part `part` of paragraph `paragraph` (1-based) of an article, at `span` of the paragraph: made
 * here alone, so a passage a build worker sent as numbers is made again as {@link buildPassages} makes it.
 */
export function passageOf(article: Article, paragraph: number, part: number, span: Span): Passage {
  const text = article.paragraphs[paragraph - 1] ?? '';
  return {
    id: `${article.id}#${paragraph}.${part}`,
    articleId: article.id,
    paragraph,
    start: span.start,
    end: span.end,
    text: text.slice(span.start, span.end),
  };
}
