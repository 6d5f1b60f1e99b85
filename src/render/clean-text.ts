/**
 * One place that decides which characters of article text, file names and questions may reach a
 * reader: Discord and the terminal both use it. Article files are untrusted: a file named
 * `\x1b]0;PWNED\x07\x1b[2J.txt` must not retitle or clear an operator's terminal, and a bidi
 * override must not reorder what a reader sees.
 */

/** Zero-width, bidi-control and tag characters: invisible, used to dodge filters or reorder text. */
export const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/gu;

/** C0 and C1 control characters except the newline: ESC, BEL, CSI… start terminal escape sequences. */
export const CONTROL = /[^\P{Cc}\n]/gu;

/** Half of a surrogate pair on its own: not text, and Discord rejects it. */
const LONE_SURROGATE = /\p{Cs}/gu;

/**
 * Removes invisible and control characters and broken surrogates; tabs become spaces; newlines stay.
 *
 * @example cleanText('\x1b]0;PWNED\x07a\tb\u202e') // ']0;PWNEDa b'
 */
export function cleanText(text: string): string {
  return text.replaceAll('\t', ' ').replace(INVISIBLE, '').replace(CONTROL, '').replace(LONE_SURROGATE, '');
}

/** {@link cleanText} on one line: runs of whitespace, newlines included, become one space. */
export function oneLine(text: string): string {
  return cleanText(text).replace(/\s+/gu, ' ').trim();
}
