/**
 * The one Discord renderer: turns a platform-neutral {@link Reply} into a discord.js reply payload
 * of plain JSON (content, embeds, button rows), always within Discord's size limits and always
 * with mentions disabled.
 *
 * Safety works in two layers. Article text (passages, sentences, titles, snippets) is held as raw
 * text in {@link Inline} segments and only escaped when rendered, so every length is measured on
 * the escaped result. Our own Markdown (bold, links, code, citation markers) is added around the
 * escaped text by the segment renderer, and a segment is either emitted whole or cut *before*
 * escaping — so a cut can never split an escape, leave `**` open, or break a `[text](url)` link.
 */
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  escapeMarkdown,
  type APIActionRowComponent,
  type APIApplicationCommandOptionChoice,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import type { Choice } from '../core/browse.ts';
import type { Answer, ArticleRef, Citation, CitedFigure, Span } from '../core/types.ts';
import type { IndexStatus, Reply, ReplyButton } from '../replies.ts';
import { cleanText, oneLine } from './clean-text.ts';

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
} as const;

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** A reply as discord.js takes it. Plain JSON, so it is the same for reply, editReply, update and message.reply. */
export interface DiscordPayload {
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  allowedMentions: { parse: [] };
  flags?: MessageFlags.Ephemeral;
}

const ELLIPSIS = '…';
/** Below this many characters, a line that does not fit is dropped rather than shown as a stub. */
const MIN_PARTIAL = 24;
/** Kept free for the description while fields are laid out, so fields can never crowd it out. */
const DESCRIPTION_RESERVE = 2000;
const MAX_FOOTER = 512;
const FIGURES_SHOWN = 5;

const COLOR = { answer: 0x3b82f6, unanswered: 0x9ca3af, ok: 0x16a34a, error: 0xdc2626, info: 0x6b7280 } as const;

// ---------------------------------------------------------------------------------------------
// Cleaning and escaping
// ---------------------------------------------------------------------------------------------

export { cleanText, oneLine } from './clean-text.ts';

const ZWSP = '\u200b';

/**
 * Breaks mention-like syntax with a zero-width space, so text can neither ping nor render a
 * mention, channel, command, emoji or timestamp: `@everyone`, `@here`, `<@…>`, `<@&…>`, `<#…>`,
 * `</…>`, `<:…>`, `<a:…>`, `<t:…>`, `<id:…>`. Channel mentions survive when allowed (our own help
 * text names the ask channels; they never ping).
 */
export function neutraliseMentions(text: string, allowChannelMentions = false): string {
  const tags = allowChannelMentions ? /<(?=[@/:]|a:|t:|id:|#(?!\d{1,20}>))/giu : /<(?=[@#/:]|a:|t:|id:)/giu;
  return text.replace(tags, `<${ZWSP}`).replace(/@(?=everyone|here)/giu, `@${ZWSP}`);
}

export interface EscapeOptions {
  /** Let `<#id>` channel mentions through (they link, never ping): for our own help text only. */
  readonly allowChannelMentions?: boolean;
  /**
   * The text may begin a Markdown line (default true), so a leading `#`, `-`, `>` or `1.` must be
   * escaped too. False for text that follows other text on its line, where they are literal anyway.
   */
  readonly startsLine?: boolean;
}

// Italic and underline are left to escapeRemaining(), which escapes every `*` and `_`: escapeMarkdown
// skips them inside URL-like text, and its look-behinds there are quadratic in long words.
const LINE_ESCAPES = { italic: false, underline: false, heading: true, bulletedList: true, numberedList: true } as const;
const INLINE_ESCAPES = { italic: false, underline: false, heading: false, bulletedList: false, numberedList: false } as const;
const ALWAYS_ESCAPED = new Set(['*', '_', '~', '|', '`', '[', ']']);
const LINE_START_ESCAPED = new Set(['>', '#', '-']);

/**
 * Escapes what `escapeMarkdown` leaves alone: it skips `*`/`_` inside URL-like and emoji-like text,
 * single `|`/`~`, brackets (masked links) and `>`/`-#` line starts. Input is `escapeMarkdown`
 * output, where every backslash already starts an escape pair, so pairs are copied untouched and
 * nothing is escaped twice.
 */
function escapeRemaining(text: string, startsLine: boolean): string {
  let out = '';
  let lineStart = startsLine;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (c === '\\') {
      const next = text.charAt(i + 1);
      out += next === '' ? '\\\\' : `\\${next}`;
      i += 1;
      lineStart = false;
    } else if (c === '\n') {
      out += c;
      lineStart = true;
    } else if (lineStart && c === ' ') {
      out += c;
    } else {
      out += ALWAYS_ESCAPED.has(c) || (lineStart && LINE_START_ESCAPED.has(c)) ? `\\${c}` : c;
      lineStart = false;
    }
  }
  return out;
}

/**
 * Makes untrusted text inert in Discord Markdown: cleans it, breaks mentions, then escapes every
 * formatting character (discord.js `escapeMarkdown`, then {@link escapeRemaining}). The result
 * renders as the original text and is never shorter than the cleaned input.
 *
 * @example escapeText('**hi** @everyone') // '\\*\\*hi\\*\\* @\u200beveryone' (the @ is followed by a zero-width space)
 */
export function escapeText(text: string, options: EscapeOptions = {}): string {
  const neutral = neutraliseMentions(cleanText(text), options.allowChannelMentions === true);
  const startsLine = options.startsLine ?? true;
  return escapeRemaining(escapeMarkdown(neutral, startsLine ? LINE_ESCAPES : INLINE_ESCAPES), startsLine);
}

/**
 * An http(s) URL safe to put in `[text](url)` or an embed's `url`, or null. Characters that could
 * end the link early, and the `@` of `@everyone`/`@here`, are percent-encoded; credentials are refused.
 */
export function safeUrl(url: string | null | undefined): string | null {
  if (url === null || url === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(cleanText(url).trim());
  } catch {
    return null;
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.username !== '' || parsed.password !== '') return null;
  const encode = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  const href = parsed.href.replace(/[()<>\s\\]/gu, encode).replace(/@(?=everyone|here)/giu, encode);
  return href.length <= 2048 ? href : null;
}

// ---------------------------------------------------------------------------------------------
// Segments, lines and fitting
// ---------------------------------------------------------------------------------------------

/** A piece of one line. `raw` is cleaned, one-line text; `md` is trusted Markdown, never cut. */
export type Inline =
  | { readonly kind: 'text'; readonly raw: string; readonly channels?: boolean }
  | { readonly kind: 'bold'; readonly raw: string }
  | { readonly kind: 'link'; readonly raw: string; readonly url: string }
  | { readonly kind: 'md'; readonly md: string };

export type Line = readonly Inline[];

const text = (raw: string): Inline => ({ kind: 'text', raw: oneLine(raw) });
const bold = (raw: string): Inline => ({ kind: 'bold', raw: oneLine(raw) });
const md = (markdown: string): Inline => ({ kind: 'md', md: markdown });

/** A masked link when the URL is usable, else plain text. */
function linked(raw: string, url: string | null): Inline {
  const safe = safeUrl(url);
  return safe === null ? text(raw) : { kind: 'link', raw: oneLine(raw), url: safe };
}

// What ids and file names are made of; anything else is shown as escaped text instead of code.
const CODE_SAFE = /^[\p{L}\p{N}_./:\- ]{1,200}$/u;

/**
 * Inline code, so an id can be copied exactly. Only for id-like text (or our own usage lines):
 * nothing inside code is escaped, so anything unusual is shown as escaped text instead.
 */
function code(raw: string, trusted = false): Inline {
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

// ---------------------------------------------------------------------------------------------
// Embeds
// ---------------------------------------------------------------------------------------------

interface FieldSpec {
  readonly name: Line;
  readonly entries: readonly (readonly Line[])[];
  readonly more?: (hidden: number) => string;
}

interface EmbedSpec {
  readonly color: number;
  readonly title?: Line;
  readonly url?: string | null;
  readonly description?: readonly (readonly Line[])[];
  readonly descriptionSeparator?: string;
  readonly descriptionMore?: (hidden: number) => string;
  readonly fields?: readonly FieldSpec[];
  readonly footer?: string;
}

/** The characters Discord counts towards an embed's 6,000: title, description, field names and values, footer, author. */
export function embedLength(embed: APIEmbed): number {
  let total =
    (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  return total;
}

/**
 * Lays out one embed against a shared 6,000-character budget: title and footer first (short), then
 * fields with room held back for the description, then the description with whatever is left.
 * Every part is fitted to `min(its own limit, what is left)`, so the sum cannot exceed 6,000.
 */
function buildEmbed(spec: EmbedSpec): APIEmbed {
  let left: number = LIMITS.embedTotal;
  const room = (limit: number, reserve = 0): number => Math.max(0, Math.min(limit, left - reserve));
  const embed: APIEmbed = { color: spec.color };

  if (spec.title) {
    const title = fitLine(spec.title, room(LIMITS.title)).text;
    if (title.length > 0) {
      embed.title = title;
      left -= title.length;
    }
  }
  const url = safeUrl(spec.url);
  if (url !== null && embed.title !== undefined) embed.url = url;
  if (spec.footer !== undefined) {
    const footer = fitPlain(spec.footer, room(Math.min(LIMITS.footer, MAX_FOOTER)));
    if (footer.length > 0) {
      embed.footer = { text: footer };
      left -= footer.length;
    }
  }

  const reserve = spec.description ? DESCRIPTION_RESERVE : 0;
  const fields: APIEmbedField[] = [];
  for (const field of spec.fields ?? []) {
    if (fields.length >= LIMITS.fields) break;
    const name = fitLine(field.name, room(LIMITS.fieldName, reserve)).text;
    const valueRoom = room(LIMITS.fieldValue, reserve + name.length);
    if (name.length === 0 || valueRoom < MIN_PARTIAL) continue;
    const value = fitEntries(field.entries, valueRoom, field.more ? { more: field.more } : {});
    if (value.trim().length === 0) continue;
    fields.push({ name, value });
    left -= name.length + value.length;
  }
  if (fields.length > 0) embed.fields = fields;

  if (spec.description) {
    const options = { separator: spec.descriptionSeparator ?? '\n', ...(spec.descriptionMore ? { more: spec.descriptionMore } : {}) };
    const description = fitEntries(spec.description, room(LIMITS.description), options);
    if (description.trim().length > 0) embed.description = description;
  }
  return embed;
}

const moreLine =
  (hint = '') =>
  (hidden: number): string =>
    `…and ${hidden} more${hint}`;

// ---------------------------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------------------------

/**
 * Splits a passage into plain and bold segments along its highlight spans. Spans are clamped,
 * merged, trimmed of whitespace, and dropped inside URLs (bold markers would break the link).
 */
export function highlightSegments(passage: string, spans: readonly Span[]): Inline[] {
  const urls = [...passage.matchAll(/https?:\/\/\S+/giu)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const usable = spans
    .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= passage.length && s.start < s.end)
    .filter((s) => !urls.some((u) => s.start < u.end && u.start < s.end))
    .toSorted((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const span of usable) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ start: span.start, end: span.end });
  }
  const segments: Inline[] = [];
  let at = 0;
  const plain = (from: number, to: number): void => {
    // Keep single spaces at the edges: oneLine() would trim them and glue words to the bold ones.
    const chunk = cleanText(passage.slice(from, to)).replace(/\s+/gu, ' ');
    if (chunk.length > 0) segments.push({ kind: 'text', raw: chunk });
  };
  for (const span of merged) {
    let { start, end } = span;
    while (start < end && /\s/u.test(passage.charAt(start))) start += 1;
    while (end > start && /\s/u.test(passage.charAt(end - 1))) end -= 1;
    const inner = oneLine(passage.slice(start, end));
    if (inner.length === 0) continue;
    plain(at, start);
    segments.push({ kind: 'bold', raw: inner });
    at = end;
  }
  plain(at, passage.length);
  // The passage's own leading and trailing whitespace.
  const first = segments[0];
  if (first?.kind === 'text') segments[0] = { kind: 'text', raw: first.raw.trimStart() };
  const last = segments.at(-1);
  if (last?.kind === 'text') segments[segments.length - 1] = { kind: 'text', raw: last.raw.trimEnd() };
  return segments.filter((s) => s.kind === 'md' || s.raw.length > 0);
}

function sourceLine(c: Citation): Line {
  const line: Inline[] = [md(`[${c.n}] `), linked(c.title, c.url)];
  if (c.date !== null) line.push(md(' — '), text(c.date));
  if (c.source !== null && c.source.trim().length > 0) line.push(md(' · '), text(c.source));
  return line;
}

function refLine(ref: ArticleRef): Line {
  const line: Inline[] = [md('• '), linked(ref.title, ref.url)];
  if (ref.date !== null) line.push(md(' — '), text(ref.date));
  return line;
}

function sourcesField(citations: readonly Citation[]): FieldSpec[] {
  return citations.length === 0 ? [] : [{ name: [md('Sources')], entries: citations.map((c) => [sourceLine(c)]), more: moreLine() }];
}

function answerEmbed(answer: Answer): APIEmbed {
  const title: Line = [text(answer.question)];
  if (!answer.answered) {
    const description: Line[][] = [[[md('The articles don’t answer this question.')]]];
    if (answer.reason !== null && answer.reason.trim().length > 0) description.push([[text(answer.reason)]]);
    const fields: FieldSpec[] =
      answer.closest.length === 0
        ? []
        : [{ name: [md('Closest articles')], entries: answer.closest.map((r) => [refLine(r)]), more: moreLine() }];
    return buildEmbed({ color: COLOR.unanswered, title, description, descriptionSeparator: '\n\n', fields });
  }

  const description: Line[][] = [];
  if (answer.answer !== null) {
    const citation = answer.figures.find((f) => f.text === answer.answer)?.citation ?? answer.passages[0]?.citation;
    description.push([[bold(answer.answer), ...(citation === undefined ? [] : [md(` [${citation}]`)])]]);
  }
  for (const p of answer.passages)
    description.push([[md('> '), ...highlightSegments(p.passage.text, p.highlights), md(` [${p.citation}]`)]]);

  const seen = new Set<string>();
  const figures = answer.figures.filter((f) => {
    const key = `${f.text}\u0000${f.citation}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const fields: FieldSpec[] = [];
  if (figures.length > 0) {
    const shown = figures.slice(0, FIGURES_SHOWN).map((f): Line[] => [[md('• '), bold(f.text), md(` [${f.citation}]`)]]);
    const extra = figures.length - shown.length;
    fields.push({
      name: [md('Figures')],
      entries: extra > 0 ? [...shown, [[md(`…and ${extra} more: try /figures`)]]] : shown,
      more: moreLine(),
    });
  }
  fields.push(...sourcesField(answer.citations));
  return buildEmbed({
    color: COLOR.answer,
    title,
    description,
    descriptionSeparator: '\n\n',
    fields,
    footer: 'Quoted from the articles; [n] names the source.',
  });
}

/** A sentence with the figure in bold, where the sentence contains it. */
function figureLine(f: CitedFigure): Line {
  const sentence = f.sentence;
  const at = sentence.indexOf(f.text);
  if (at < 0 || f.text.length === 0) return [md('• '), bold(f.text), md(' — '), text(sentence), md(` [${f.citation}]`)];
  const before = cleanText(sentence.slice(0, at)).replace(/\s+/gu, ' ').trimStart();
  const after = cleanText(sentence.slice(at + f.text.length))
    .replace(/\s+/gu, ' ')
    .trimEnd();
  const line: Inline[] = [md('• ')];
  if (before.length > 0) line.push({ kind: 'text', raw: before });
  line.push(bold(f.text));
  if (after.length > 0) line.push({ kind: 'text', raw: after });
  line.push(md(` [${f.citation}]`));
  return line;
}

function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return m > 0 ? `${m}m ${s}s` : `${s}s`;
}

function timestamp(date: Date): string {
  const unix = Math.floor(date.getTime() / 1000);
  return Number.isFinite(unix) ? `<t:${unix}:R>` : 'unknown';
}

const count = (n: number, what: string): string => `**${n}** ${what}${n === 1 ? '' : 's'}`;

function statusEntries(status: IndexStatus): Line[][] {
  const lines: Line[][] = [
    [[md(`${count(status.articles, 'article')} · ${count(status.passages, 'passage')} · ${count(status.figures, 'figure')}`)]],
  ];
  if (status.problems > 0) lines.push([[md(`${status.problems} file${status.problems === 1 ? '' : 's'} skipped (see the logs)`)]]);
  lines.push([[md(`Index built ${timestamp(status.builtAt)}`)]]);
  lines.push([[md(`Last reindex: ${status.lastReindex === null ? 'none since start' : timestamp(status.lastReindex)}`)]]);
  lines.push([[md(`Up ${formatDuration(status.uptimeMs)}`)]]);
  return lines;
}

function idList(label: string, ids: readonly string[]): FieldSpec[] {
  return ids.length === 0
    ? []
    : [{ name: [md(`${label} (${ids.length})`)], entries: ids.map((id) => [[md('• '), code(id)]]), more: moreLine() }];
}

function embedFor(reply: Exclude<Reply, { readonly kind: 'notice' }>): APIEmbed {
  switch (reply.kind) {
    case 'answer':
      return answerEmbed(reply.answer);
    case 'search': {
      const title: Line = [md('Articles matching “'), text(reply.query), md('”')];
      if (reply.hits.length === 0)
        return buildEmbed({ color: COLOR.unanswered, title, description: [[[md('No articles match these words.')]]] });
      const entries = reply.hits.map((hit, i): Line[] => {
        const head: Inline[] = [md(`**${i + 1}.** `), linked(hit.title, hit.url)];
        if (hit.date !== null) head.push(md(' — '), text(hit.date));
        return [head, [text(hit.snippet)], [md('id: '), code(hit.articleId)]];
      });
      return buildEmbed({
        color: COLOR.answer,
        title,
        description: entries,
        descriptionSeparator: '\n\n',
        descriptionMore: moreLine(),
        footer: 'Read one with /article id:<id>',
      });
    }
    case 'figures': {
      const { result } = reply;
      const title: Line = [md('Figures about “'), text(result.topic), md('”')];
      if (result.figures.length === 0) {
        const description: Line[][] = [[[md('No figures found.')]]];
        if (result.reason !== null) description.push([[text(result.reason)]]);
        return buildEmbed({ color: COLOR.unanswered, title, description });
      }
      return buildEmbed({
        color: COLOR.answer,
        title,
        description: result.figures.map((f) => [figureLine(f)]),
        descriptionMore: moreLine(),
        fields: sourcesField(result.citations),
      });
    }
    case 'article': {
      const { page } = reply;
      const a = page.article;
      const meta = [a.date, a.author, a.source].filter((x): x is string => x !== null && x.trim().length > 0);
      const description: Line[][] = [];
      if (meta.length > 0) description.push([meta.flatMap((m, i) => (i === 0 ? [text(m)] : [md(' · '), text(m)]))]);
      for (const p of page.paragraphs) description.push([[md(`**¶${p.n}** `), text(p.text)]]);
      if (description.length === 0) description.push([[md('This page is empty.')]]);
      return buildEmbed({
        color: COLOR.info,
        title: [text(a.title)],
        url: a.url,
        description,
        descriptionSeparator: '\n\n',
        footer: `Page ${page.page} of ${page.pages} · id: ${a.id}`,
      });
    }
    case 'reindex': {
      const s = reply.summary;
      const description: Line[][] = [
        [[md(`${count(s.articles, 'article')} · ${count(s.passages, 'passage')} · ${count(s.figures, 'figure')} now in the index.`)]],
        [[md(`Added ${s.added.length} · changed ${s.changed.length} · removed ${s.removed.length}.`)]],
        [[md(`Took ${(s.ms / 1000).toFixed(2)} s.`)]],
      ];
      const byFile = new Map<string, string[]>();
      for (const p of s.problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p.reason]);
      const problems: FieldSpec[] =
        byFile.size === 0
          ? []
          : [
              {
                name: [md(`Problems (${s.problems.length})`)],
                entries: [...byFile].map(([file, reasons]): Line[] => [[md('• '), code(file), md(': '), text(reasons.join('; '))]]),
                more: moreLine(' files'),
              },
            ];
      return buildEmbed({
        color: s.problems.length > 0 ? COLOR.error : COLOR.ok,
        title: [md('Reindex finished')],
        description,
        fields: [...idList('Added', s.added), ...idList('Changed', s.changed), ...idList('Removed', s.removed), ...problems],
      });
    }
    case 'help':
      return buildEmbed({
        color: COLOR.info,
        title: [md('Factdesk')],
        description: [
          [[md('Answers questions from the news archive by quoting the articles, with a citation for every passage and figure.')]],
        ],
        fields: [
          {
            name: [md('Commands')],
            entries: reply.commands.map((c): Line[] => [[code(c.usage, true)], [text(c.description)]]),
            more: moreLine(),
          },
          {
            name: [md('When it answers')],
            entries: reply.triggers.map((t): Line[] => [[md('• '), { kind: 'text', raw: oneLine(t), channels: true }]]),
            more: moreLine(),
          },
          { name: [md('Index')], entries: statusEntries(reply.status) },
        ],
      });
  }
}

/** Button components: secondary style, unique custom ids of at most 100 characters, 5 per row, 5 rows. */
export function buttonRows(buttons: readonly ReplyButton[] = []): ButtonRow[] {
  const seen = new Set<string>();
  const usable: APIButtonComponentWithCustomId[] = [];
  for (const button of buttons) {
    if (button.customId.length === 0 || button.customId.length > LIMITS.customId || seen.has(button.customId)) continue;
    seen.add(button.customId);
    usable.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: fitPlain(button.label, LIMITS.buttonLabel) || '…',
      custom_id: button.customId,
      disabled: button.disabled === true,
    });
  }
  const rows: ButtonRow[] = [];
  for (let i = 0; i < usable.length && rows.length < LIMITS.rows; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: usable.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return rows;
}

/** Multi-line untrusted text as message content, each line escaped, within 2,000 characters. */
function contentOf(prefix: string, body: string): string {
  const lines = body.split('\n').map((line): Line[] => [[text(line)]]);
  const first = lines[0]?.[0];
  if (first) lines[0] = [[md(prefix), ...first]];
  // Discord refuses an empty message.
  return fitEntries(lines, LIMITS.content) || prefix.trim() || ELLIPSIS;
}

const ephemeralFlag = (ephemeral: boolean): { flags?: MessageFlags.Ephemeral } => (ephemeral ? { flags: MessageFlags.Ephemeral } : {});

/**
 * Renders any reply as a Discord payload: one embed (a notice is plain content), its buttons, no
 * mentions, and the Ephemeral flag when only the asker should see it.
 *
 * @example renderReply({ kind: 'notice', tone: 'info', text: 'Done.', ephemeral: true }).flags // MessageFlags.Ephemeral
 */
export function renderReply(reply: Reply): DiscordPayload {
  const base = { components: buttonRows(reply.buttons), allowedMentions: { parse: [] as [] }, ...ephemeralFlag(reply.ephemeral) };
  if (reply.kind === 'notice') return { ...base, content: contentOf(reply.tone === 'error' ? '⚠️ ' : '', reply.text), embeds: [] };
  return { ...base, embeds: [embedFor(reply)] };
}

/** An ephemeral error message, its text escaped (it may quote what the user typed). */
export function renderError(message: string): DiscordPayload {
  return { content: contentOf('⚠️ ', message), embeds: [], components: [], allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral };
}

/** Autocomplete choices: at most 25, names of 1–100 plain characters, values of at most 100. */
export function renderChoices(choices: readonly Choice[]): APIApplicationCommandOptionChoice<string>[] {
  const out: APIApplicationCommandOptionChoice<string>[] = [];
  for (const choice of choices) {
    if (out.length >= LIMITS.choices) break;
    const name = fitPlain(choice.name, LIMITS.choiceName);
    if (name.length === 0 || choice.value.length === 0 || choice.value.length > LIMITS.choiceValue) continue;
    out.push({ name, value: choice.value });
  }
  return out;
}
