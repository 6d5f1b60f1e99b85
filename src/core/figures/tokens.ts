/**
 * The figure tokenizer: numerals, words and single symbols, with their offsets, and the word shapes
 * the matchers ask about.
 */

export type TokenType = 'num' | 'word' | 'sym';

/** A numeral, a word or a single symbol, with its offsets in the text. */
export interface Token {
  readonly type: TokenType;
  readonly text: string;
  readonly lower: string;
  readonly start: number;
  readonly end: number;
}

const LETTER = /\p{L}/u;

/** JavaScript's `\s`: the separators the tokenizer skips. */
export function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Whether a UTF-16 code unit is an ASCII digit. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Length of the letter at `i` (2 for an astral letter), or 0 when it is not a letter. */
export function letterLength(text: string, i: number): number {
  const cp = text.codePointAt(i);
  if (cp === undefined) return 0;
  if ((cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90)) return 1;
  if (cp < 128) return 0;
  return LETTER.test(String.fromCodePoint(cp)) ? (cp > 0xffff ? 2 : 1) : 0;
}

/** End of a numeral starting at `i`: "7", "7,000", "1.13", "2,225.5". */
export function numeralEnd(text: string, i: number): number {
  let j = i;
  while (isDigit(text.charCodeAt(j))) j++;
  // Thousands groups only after one to three leading digits, and only in threes.
  if (j - i <= 3) {
    let k = j;
    while (
      text.charCodeAt(k) === 44 &&
      isDigit(text.charCodeAt(k + 1)) &&
      isDigit(text.charCodeAt(k + 2)) &&
      isDigit(text.charCodeAt(k + 3)) &&
      !isDigit(text.charCodeAt(k + 4))
    )
      k += 4;
    j = k;
  }
  if (text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) {
    j++;
    while (isDigit(text.charCodeAt(j))) j++;
  }
  return j;
}

/** End of a word starting at `i`: letters, with inner apostrophes ("Syria's", "Syria’s"). */
export function wordEnd(text: string, i: number): number {
  let j = i;
  for (;;) {
    const n = letterLength(text, j);
    if (n > 0) {
      j += n;
      continue;
    }
    const c = text.charCodeAt(j);
    if ((c === 39 || c === 0x2019) && letterLength(text, j + 1) > 0) {
      j++;
      continue;
    }
    return j;
  }
}

/**
 * Splits text into numerals, words and single symbols, skipping whitespace. Written by hand
 * rather than with one regex because it runs over every character of every passage, and
 * regex match objects made up most of the garbage.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    let end: number;
    let type: TokenType;
    if (isDigit(c)) {
      end = numeralEnd(text, i);
      type = 'num';
    } else if (letterLength(text, i) > 0) {
      end = wordEnd(text, i);
      type = 'word';
    } else {
      // One symbol, keeping surrogate pairs whole.
      end = i + ((text.codePointAt(i) ?? c) > 0xffff ? 2 : 1);
      type = 'sym';
    }
    const raw = text.slice(i, end);
    tokens.push({ type, text: raw, lower: type === 'word' ? raw.toLowerCase() : raw, start: i, end });
    i = end;
  }
  return tokens;
}

/** Whether a word starts with a capital letter. */
export function isCapitalised(word: string): boolean {
  const c = word.charAt(0);
  return c !== c.toLowerCase();
}

/** Whether a word ends in a possessive "'s". */
export function isPossessive(word: string): boolean {
  return word.endsWith("'s") || word.endsWith('’s');
}
