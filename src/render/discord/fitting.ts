/**
 * Fitting text to Discord's limits. Article text is held as raw text in {@link Inline} segments and
 * only escaped when rendered, so every length is measured on the escaped result. Our own Markdown
 * (bold, links, code, citation markers) is added around the escaped text by the segment renderer,
 * and a segment is either emitted whole or cut *before* escaping — so a cut can never split an
 * escape, leave `**` open, or break a `[text](url)` link.
 */
import { oneLine } from '../clean-text.ts';
import { escapeText, neutraliseMentions, safeUrl } from './escaping.ts';

/** Discord's limits, in characters. Lengths are measured in UTF-16 units, never fewer than Discord counts. */
export const LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  fields: 25,
  customId: 100,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  /** Bytes of one attached file: Discord's smallest upload limit (a server without boosts) is 10 MiB; 8 MiB leaves room. */
  attachmentBytes: 8 * 1024 * 1024,
} as const;

export const ELLIPSIS = '…';
/** Below this many characters, a line that does not fit is dropped rather than shown as a stub. */
export const MIN_PARTIAL = 24;

/** A piece of one line. `raw` is cleaned, one-line text; `md` is trusted Markdown, never cut. */
export type Inline =
  | { readonly kind: 'text'; readonly raw: string; readonly channels?: boolean }
  | { readonly kind: 'bold'; readonly raw: string }
  | { readonly kind: 'link'; readonly raw: string; readonly url: string }
  | { readonly kind: 'md'; readonly md: string };

export type Line = readonly Inline[];

/** Untrusted text, escaped when rendered. */
export const text = (raw: string): Inline => ({ kind: 'text', raw: oneLine(raw) });
/** Untrusted text in bold. */
export const bold = (raw: string): Inline => ({ kind: 'bold', raw: oneLine(raw) });
/** Our own Markdown, shown as written. */
export const md = (markdown: string): Inline => ({ kind: 'md', md: markdown });

/** A masked link when the URL is usable, else plain text. */
export function linked(raw: string, url: string | null): Inline {
  const safe = safeUrl(url);
  return safe === null ? text(raw) : { kind: 'link', raw: oneLine(raw), url: safe };
}

// What ids and file names are made of; anything else is shown as escaped text instead of code.
const CODE_SAFE = /^[\p{L}\p{N}_./:\- ]{1,200}$/u;

/**
 * Inline code, so an id can be copied exactly. Only for id-like text (or our own usage lines):
 * nothing inside code is escaped, so anything unusual is shown as escaped text instead.
 */
export function code(raw: string, trusted = false): Inline {
  const clean = oneLine(raw);
  const usable = trusted ? clean.length > 0 && clean.length <= 200 && !clean.includes('`') : CODE_SAFE.test(clean);
  return usable ? md(`\`${neutraliseMentions(clean)}\``) : text(clean);
}

function rawLength(segment: Inline): number {
  return segment.kind === 'md' ? segment.md.length : segment.raw.length;
}

/** Renders a segment (with `raw` in place of its own text, for cuts). Text inside `**` or `[…]` never starts a line. */
function renderWith(segment: Inline, raw: string, startsLine: boolean): string {
  switch (segment.kind) {
    case 'md':
      return segment.md;
    case 'text':
      return escapeText(raw, { allowChannelMentions: segment.channels === true, startsLine });
    case 'bold':
      return raw.length === 0 ? '' : `**${escapeText(raw, { startsLine: false })}**`;
    case 'link':
      return raw.length === 0 ? '' : `[${escapeText(raw, { startsLine: false })}](${segment.url})`;
  }
}

// Only quote markers and spaces before it: Markdown still reads what follows as a line start.
const LINE_START = /^[\s>]*$/u;

/** The segment rendered, or null when it needs more than `room` (decided without escaping huge text). */
function renderWithin(segment: Inline, room: number, startsLine: boolean): string | null {
  // Rendering only ever adds characters to the raw text, so raw length is a lower bound.
  if (rawLength(segment) > room) return null;
  const rendered = segment.kind === 'md' ? segment.md : renderWith(segment, segment.raw, startsLine);
  if (rendered.length <= room) return rendered;
  // A link whose URL does not fit still shows its whole text.
  const plain = segment.kind === 'link' ? escapeText(segment.raw, { startsLine }) : null;
  return plain !== null && plain.length <= room ? plain : null;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Largest value among ascending `candidates` for which `fits` holds (checked), or 0. */
function largestFitting(candidates: readonly number[], fits: (n: number) => boolean): number {
  let lo = 0;
  let hi = candidates.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const n = candidates[mid] ?? 0;
    if (fits(n)) {
      best = n;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/**
 * The longest rendering of a prefix of `raw` within `room`: cut at a word boundary, or, when that
 * would lose more than half (one very long word, a URL), at a character boundary that never
 * splits a surrogate pair. Escaping happens after the cut, so no escape is ever split.
 */
function renderPrefix(raw: string, room: number, render: (prefix: string) => string): string {
  if (room <= 0) return '';
  const limit = Math.min(raw.length, room);
  const prefix = (n: number): string => raw.slice(0, n).trimEnd();
  const fits = (n: number): boolean => {
    const p = prefix(n);
    return p.length > 0 && render(p).length <= room;
  };
  const wordCuts: number[] = [];
  for (let i = 1; i <= limit; i += 1) {
    if ((i === raw.length || /\s/u.test(raw.charAt(i))) && !/\s/u.test(raw.charAt(i - 1))) wordCuts.push(i);
  }
  const word = largestFitting(wordCuts, fits);
  const charCuts: number[] = [];
  for (let i = 1; i <= limit; i += 1) if (!isHighSurrogate(raw.charCodeAt(i - 1))) charCuts.push(i);
  const hard = word > 0 && word * 2 >= limit ? 0 : largestFitting(charCuts, fits);
  const cut = word > 0 && word * 2 >= hard ? word : hard;
  return cut > 0 ? render(prefix(cut)) : '';
}

function renderCut(segment: Inline, room: number, startsLine: boolean): string {
  switch (segment.kind) {
    case 'md':
      return '';
    case 'text':
    case 'bold':
      return renderPrefix(segment.raw, room, (p) => renderWith(segment, p, startsLine));
    case 'link':
      return (
        renderPrefix(segment.raw, room, (p) => renderWith(segment, p, startsLine)) ||
        renderPrefix(segment.raw, room, (p) => escapeText(p, { startsLine }))
      );
  }
}

interface Fitted {
  readonly text: string;
  readonly complete: boolean;
}

/** Renders a line within `budget`; a line that does not fit is cut at a segment or word boundary, with an ellipsis. */
export function fitLine(line: Line, budget: number): Fitted {
  let out = '';
  for (const segment of line) {
    const startsLine = LINE_START.test(out);
    const whole = renderWithin(segment, budget - out.length, startsLine);
    if (whole !== null) {
      out += whole;
      continue;
    }
    const part = renderCut(segment, budget - out.length - ELLIPSIS.length, startsLine);
    const cut = out + part;
    return { text: cut.length + ELLIPSIS.length <= budget ? cut + ELLIPSIS : cut, complete: false };
  }
  return { text: out, complete: true };
}

/** Entries (each one or more lines) joined by a separator, within a budget. */
interface Packed {
  readonly text: string;
  /** Entries of which at least a part is shown. */
  readonly shown: number;
  readonly complete: boolean;
}

function pack(entries: readonly (readonly Line[])[], budget: number, separator: string): Packed {
  let out = '';
  for (const [index, entry] of entries.entries()) {
    let block = index === 0 ? '' : separator;
    for (const [i, line] of entry.entries()) {
      const sep = i === 0 ? '' : '\n';
      const room = budget - out.length - block.length - sep.length;
      const fitted = room > 0 ? fitLine(line, room) : { text: '', complete: false };
      if (fitted.complete) {
        block += sep + fitted.text;
        continue;
      }
      // A stub of a few characters says nothing: drop it, unless it is all there is.
      const nothingYet = out.length === 0 && block.trim().length === 0;
      if (room >= MIN_PARTIAL || (nothingYet && fitted.text.length > 0)) block += sep + fitted.text;
      return { text: (out + block).trimEnd(), shown: block.trim().length > 0 ? index + 1 : index, complete: false };
    }
    out += block;
  }
  return { text: out.trimEnd(), shown: entries.length, complete: true };
}

/**
 * Packs entries within `budget`. When some do not fit and `more` is given, ends with its line
 * (“…and 3 more”), room for which is reserved up front so the total stays within the budget.
 */
export function fitEntries(
  entries: readonly (readonly Line[])[],
  budget: number,
  options: { readonly separator?: string; readonly more?: (hidden: number) => string } = {},
): string {
  const separator = options.separator ?? '\n';
  const all = pack(entries, budget, separator);
  if (all.complete || options.more === undefined) return all.text;
  const reserve = separator.length + options.more(entries.length).length;
  const some = pack(entries, budget - reserve, separator);
  const hidden = entries.length - some.shown;
  if (hidden <= 0) return some.text;
  const more = options.more(hidden);
  const withMore = some.text.length === 0 ? more : `${some.text}${separator}${more}`;
  return withMore.length <= budget ? withMore : some.text;
}

/** Plain text (footers, labels, choice names: places Discord shows without Markdown) cut at a word. */
export function fitPlain(raw: string, budget: number): string {
  const clean = neutraliseMentions(oneLine(raw));
  if (clean.length <= budget) return clean;
  const cut = renderPrefix(clean, budget - ELLIPSIS.length, (p) => p);
  return cut.length > 0 ? cut + ELLIPSIS : '';
}
