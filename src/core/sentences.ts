import type { Span } from './types.ts';

// Abbreviations after which a full stop does not end a sentence. Lowercased, without the dot.
const ABBREVIATIONS: ReadonlySet<string> = new Set([
  'mr',
  'mrs',
  'ms',
  'messrs',
  'dr',
  'prof',
  'sir',
  'st',
  'mt',
  'ft',
  'rev',
  'fr',
  'hon',
  'gen',
  'col',
  'lt',
  'maj',
  'capt',
  'cpl',
  'sgt',
  'adm',
  'cmdr',
  'brig',
  'gov',
  'sen',
  'rep',
  'pres',
  'jr',
  'sr',
  'inc',
  'ltd',
  'co',
  'corp',
  'plc',
  'bros',
  'vs',
  'v',
  'etc',
  'al',
  'approx',
  'est',
  'dept',
  'univ',
  'assn',
  'ave',
  'rd',
  'blvd',
  'no',
  'nos',
  'vol',
  'pp',
  'fig',
  'cf',
  'ca',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
]);

/**
 * Spans of text inside closed quotations; an unclosed quote protects nothing.
 *
 * Straight quotes are told apart by their neighbours: one after a space opens, one before a space
 * closes. News copy often opens a quote per paragraph and closes only the last, so an opening quote
 * met while a quote is open restarts it rather than closing it.
 */
function quotationSpans(text: string): Span[] {
  const spans: Span[] = [];
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '"' && ch !== '“' && ch !== '”') continue;
    const before = text[i - 1];
    const after = text[i + 1];
    const opens =
      ch === '“' || (ch === '"' && (before === undefined || /[\s([]/u.test(before)) && after !== undefined && /\S/u.test(after));
    if (opens) open = i;
    else if (open >= 0) {
      spans.push({ start: open, end: i + 1 });
      open = -1;
    }
  }
  return spans;
}

function wordBefore(text: string, dot: number): string {
  let i = dot;
  while (i > 0 && /[\p{L}.]/u.test(text[i - 1] ?? '')) i--;
  return text.slice(i, dot);
}

/** True when the full stop at `dot` belongs to an abbreviation, an initial or an acronym. */
function isAbbreviationDot(text: string, dot: number): boolean {
  const word = wordBefore(text, dot);
  if (word.length === 0) return false;
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) return true; // U.S, e.g, i.e
  if (/^\p{Lu}$/u.test(word)) return true; // an initial: J. K. Rowling
  return ABBREVIATIONS.has(word.toLowerCase());
}

/**
 * Splits text into sentences, returned as spans with surrounding whitespace trimmed.
 *
 * A sentence ends at `.`, `!` or `?` (with any closing quotes or brackets) followed by space and
 * a capital, digit or opening quote, and at a line break before a bullet (`- `, `• `). It does not
 * end at `U.S.`, `Mr.`, `No. 10`, `$1.13bn`, `2.5%`, an ellipsis, or inside a closed quotation.
 *
 * @example sentenceSpans('Mr. Assad spoke. He left.').length // 2
 */
export function sentenceSpans(text: string): Span[] {
  const quotes = quotationSpans(text);
  const spans: Span[] = [];
  let lineStart = 0;
  for (const bullet of text.matchAll(/\n(?=[ \t]*[-•*][ \t])/gu)) {
    splitLine(text, lineStart, bullet.index, quotes, spans);
    lineStart = bullet.index + 1;
  }
  splitLine(text, lineStart, text.length, quotes, spans);
  return spans;
}

const BOUNDARY = /([.!?]+)(["”’')\]]*)(\s+)(?=["“‘'([]?[\p{Lu}\p{N}])/gu;

function splitLine(text: string, from: number, to: number, quotes: readonly Span[], into: Span[]): void {
  const insideQuote = (i: number): boolean => quotes.some((q) => i > q.start && i < q.end);
  let start = from;
  BOUNDARY.lastIndex = from;
  for (let match = BOUNDARY.exec(text); match !== null && match.index < to; match = BOUNDARY.exec(text)) {
    const marks = match[1] ?? '';
    const at = match.index;
    const end = at + marks.length + (match[2]?.length ?? 0);
    if (marks.startsWith('..')) continue; // an ellipsis trails off; it does not end a sentence
    if (marks === '.' && isAbbreviationDot(text, at)) continue;
    if (insideQuote(end)) continue;
    pushTrimmed(text, start, end, into);
    start = end + (match[3]?.length ?? 0);
  }
  pushTrimmed(text, start, to, into);
}

function pushTrimmed(text: string, start: number, end: number, into: Span[]): void {
  let s = start;
  let e = end;
  while (s < e && /\s/u.test(text[s] ?? '')) s++;
  while (e > s && /\s/u.test(text[e - 1] ?? '')) e--;
  if (e > s) into.push({ start: s, end: e });
}

/** Splits text into sentence strings. */
export function splitSentences(text: string): string[] {
  return sentenceSpans(text).map((s) => text.slice(s.start, s.end));
}
