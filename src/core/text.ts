import { stemmer } from 'stemmer';
import type { Span } from './types.ts';
import { SEARCH_STOP_WORDS } from './word-lists.ts';

/** A word or number as it stands in a text, with its processed search term. */
export interface Token extends Span {
  /** The processed term (folded, lowercased, stemmed), or null for a stop word. */
  readonly term: string | null;
}

// A number keeps its decimal point and suffix (`1.13bn`, `2.5`) and loses thousands separators.
// Words may hold an inner apostrophe; a hyphen splits them (`Wi-Fi` is `wi` and `fi`, so a question's
// `wifi` does not match it); dotted acronyms (`U.S.`) are one token.
const TOKEN = /(?:\p{L}\.){2,}|\p{N}+(?:[.,]\p{N}+)*\p{L}*|[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const THOUSANDS = /,(?=\d{3}(?:\D|$))/g;
const COMBINING_MARKS = /\p{M}+/gu;

/** Lowercases and strips diacritics: `Crème Brûlée` → `creme brulee`. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
}

/**
 * Turns one raw token into its search term, or null when it carries no meaning.
 *
 * Numbers are kept as they are written, without thousands separators (`464,000` → `464000`,
 * `1.13bn` stays `1.13bn`). An all-capital acronym (`US`, `IT`, `U.S.`) is kept unstemmed even
 * when it spells a stop word, because in news it names something.
 *
 * @example processTerm('Subscribers') // 'subscrib'
 */
export function processTerm(raw: string, allowAcronyms = true): string | null {
  const key = allowAcronyms ? raw : `\u0000${raw}`;
  const cached = termCache.get(key);
  if (cached !== undefined) return cached;
  if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
  const term = computeTerm(raw, allowAcronyms);
  termCache.set(key, term);
  return term;
}

// Stemming dominates indexing time, and news text repeats its words: remember recent results.
const TERM_CACHE_LIMIT = 500_000;
const termCache = new Map<string, string | null>();

/** {@link processTerm} without its cache, for a caller that remembers terms itself (indexing does). */
export function computeTerm(raw: string, allowAcronyms: boolean): string | null {
  const folded = fold(raw);
  if (/^\d/.test(folded)) return folded.replace(THOUSANDS, '');
  const isAcronym = allowAcronyms && raw.length >= 2 && raw === raw.toUpperCase() && /\p{Lu}/u.test(raw);
  const word = folded.replace(/['’]s$/u, '').replace(/['’.]/gu, '');
  if (isAcronym) return word.length >= 2 ? word : null;
  if (word.length < 2 || SEARCH_STOP_WORDS.has(word)) return null;
  return stemmer(word);
}

/** Splits text into tokens with their spans and processed terms. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  forEachToken(text, (raw, start, allowAcronyms) => {
    tokens.push({ start, end: start + raw.length, term: processTerm(raw, allowAcronyms) });
  });
  return tokens;
}

/**
 * Calls `visit` with each raw token of a text and where it starts; the hot loop of indexing, so it
 * allocates no token objects. `allowAcronyms` is what to pass on to {@link processTerm}.
 */
export function forEachToken(text: string, visit: (raw: string, start: number, allowAcronyms: boolean) => void): void {
  // In a text written all in capitals, capitals say nothing about acronyms.
  const allowAcronyms = text !== text.toUpperCase();
  // exec from a position kept here, not matchAll: its iterator and result objects cost a third of
  // this loop at index time. lastIndex is set before each exec, so a visit may tokenise too.
  let from = 0;
  for (;;) {
    TOKEN.lastIndex = from;
    const match = TOKEN.exec(text);
    if (match === null) return;
    from = TOKEN.lastIndex;
    visit(match[0], match.index, allowAcronyms);
  }
}

/** The processed terms of a text, in order, stop words removed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) if (token.term !== null) out.push(token.term);
  return out;
}

/** Splits raw tokens out of a text, for MiniSearch's `tokenize` option. */
export function rawTokens(text: string): string[] {
  return Array.from(text.matchAll(TOKEN), (m) => m[0]);
}

/**
 * Cuts text to at most `max` characters at a word boundary, adding an ellipsis when it cuts.
 *
 * @example truncateAtWord('Syrian President Bashar Assad', 20) // 'Syrian President…'
 */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, Math.max(0, max - 1));
  const lastSpace = room.search(/\s\S*$/u);
  const cut = lastSpace > max / 2 ? room.slice(0, lastSpace) : room;
  return `${cut.replace(/[\s,;:.–—-]+$/u, '')}…`;
}
