/**
 * Escaping untrusted text for Discord (after ../clean-text.ts removes invisible and control characters):
 * mentions broken, Markdown escaped so it shows as typed, and only http(s) links let through.
 */
import { escapeMarkdown } from 'discord.js';
import { cleanText } from '../clean-text.ts';

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
