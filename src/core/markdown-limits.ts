/**
 * Limits applied to Markdown before it is parsed, so that no article file, however hostile, can make
 * the parse slow or deep. micromark (under mdast-util-from-markdown) follows CommonMark exactly,
 * which is quadratic on long runs of unmatched delimiters within one paragraph (`*a` repeated, `[`
 * then `]`, `[a](` repeated, backticks) and recursive on nested containers (4,500 `>` or `- `
 * overflow the stack). Real articles never come near these caps; past them the markup is escaped,
 * so it shows as the literal characters it was written with, and nothing of the text is lost.
 */

/** Container markers (`>`, `-`, `*`, `+`, `1.`) honoured at the start of one line; deeper ones are text. */
export const MAX_MARKDOWN_NESTING = 8;

/**
 * Inline markup characters (`*`, `_`, `~`, `[`, `]`, `` ` ``, `<`) one block may hold before all of them in
 * that block are escaped: the parse's cost grows with their square within a block.
 */
export const MAX_INLINE_MARKS_PER_BLOCK = 48;

/** A line's container prefix: block quote markers and list markers, each with its following spaces. */
const CONTAINER_MARKER = /^(?:>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+)/u;
const INLINE_MARK = /[*_~[\]`<]/gu;

/**
 * Table cells one line may hold before the block is kept from being a table: a GFM table's parse
 * grows faster than its width (4,000 columns took 1.5–3.5 s), and no article's table is this wide.
 */
export const MAX_TABLE_COLUMNS = 64;
const PIPE = /\|/gu;
const BLANK_LINE = /^[ \t]*$/u;

/** Escapes the container markers past {@link MAX_MARKDOWN_NESTING} on one line. */
function capLineNesting(line: string): string {
  let at = line.search(/\S/u);
  if (at < 0) return line;
  let depth = 0;
  while (at < line.length) {
    const marker = CONTAINER_MARKER.exec(line.slice(at, at + 16));
    if (marker === null) return line;
    depth++;
    if (depth > MAX_MARKDOWN_NESTING) return `${line.slice(0, at)}\\${line.slice(at)}`;
    at += marker[0].length;
    while (line[at] === ' ' || line[at] === '\t') at++;
  }
  return line;
}

function escapeInlineMarks(block: string[]): string[] {
  let marks = 0;
  for (const line of block) marks += line.match(INLINE_MARK)?.length ?? 0;
  const escaped = marks <= MAX_INLINE_MARKS_PER_BLOCK ? block : block.map((line) => line.replace(INLINE_MARK, (mark) => `\\${mark}`));
  const wide = escaped.some((line) => (line.match(PIPE)?.length ?? 0) > MAX_TABLE_COLUMNS + 1);
  // Escaping each line's first pipe is enough to stop a table (its delimiter row no longer is one),
  // and cheap: escaping every pipe would cost the parse as much as the table did.
  return wide ? escaped.map((line) => line.replace('|', '\\|')) : escaped;
}

/**
 * Rewrites Markdown so that parsing it takes time linear in its length and bounded stack depth:
 * nesting past {@link MAX_MARKDOWN_NESTING}, the inline markup of any block with more than
 * {@link MAX_INLINE_MARKS_PER_BLOCK} marks, and the pipes of a table wider than
 * {@link MAX_TABLE_COLUMNS} columns are escaped. Ordinary Markdown comes back unchanged.
 *
 * @example defuseMarkdown('*a'.repeat(100)) // '\\*a\\*a…': shown as written, parsed in linear time
 */
export function defuseMarkdown(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let block: string[] = [];
  const flush = (): void => {
    if (block.length > 0) out.push(...escapeInlineMarks(block));
    block = [];
  };
  for (const line of lines) {
    if (BLANK_LINE.test(line)) {
      flush();
      out.push(line);
    } else block.push(capLineNesting(line));
  }
  flush();
  return out.join('\n');
}

/**
 * Most marks and lines one Markdown article may hold. The parse runs in one piece and its cost grows
 * with them: at this limit it took 1.5–6 s on this project's 2-core machine while it ran at a load
 * of 18 (a few tenths of a second when quiet), and a denser file would hold up every question while
 * it is read. News articles come nowhere near it.
 */
export const MAX_MARKDOWN_WEIGHT = 20_000;

const WEIGHED = /[\n*_[\]`<>\\!#|~&()-]/gu;

/** Markup characters plus lines: what a Markdown parse's cost grows with. */
export function markdownWeight(markdown: string): number {
  let weight = 0;
  WEIGHED.lastIndex = 0;
  while (WEIGHED.exec(markdown) !== null) weight++;
  return weight;
}
