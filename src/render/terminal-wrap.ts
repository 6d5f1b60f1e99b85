/**
 * Word-wrapping of terminal text to the terminal's width, with hanging indents: a line that starts
 * with a marker (`[1] `, `2. `, `  • `, `¶3 `, `Q: `) continues under the text after its marker, not
 * under the marker, so the markers stay readable down the left edge. The terminal renderer's text
 * is wrapped here by the console and the CLI when they write to a terminal; piped output is not.
 */
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/**
 * What starts a line the renderer writes: its indent, then an optional marker and one space.
 * Markers: `1.`, `[1]`, `[/1]`, `•`, `-`, `—`, `¶3`, `Q:`, `A:`, `Error:`.
 */
// eslint-disable-next-line no-control-regex -- a marker may be wrapped in the renderer's own bold codes
const HANGING = /^ *(?:(?:\u001b\[[0-9;]*m)*(?:\d+\.|\[\/?\d+\]|[•\-—]|¶\d+|[QA]:|Error:)(?:\u001b\[[0-9;]*m)* )?/u;

/** Below this many columns for the text, a hanging indent costs more than it helps. */
const MIN_TEXT_COLUMNS = 20;

/** Escape sequences (this renderer only adds SGR styles) take no room on screen. */
// eslint-disable-next-line no-control-regex -- ESC starts the codes that are measured out
const SGR = /\u001b\[[0-9;]*m/gu;

function wrapLine(line: string, columns: number): string {
  const [found = ''] = HANGING.exec(line) ?? [];
  // Markers are single-width characters, so the indent is the prefix's length without its styles.
  const width = found.replace(SGR, '').length;
  const [prefix, indent] = width <= columns - MIN_TEXT_COLUMNS ? [found, width] : ['', 0];
  const wrapped = wrapAnsi(line.slice(prefix.length), columns - indent, { hard: true, trim: true }).split('\n');
  return wrapped.map((part, i) => (i === 0 ? prefix : ' '.repeat(indent)) + part).join('\n');
}

/**
 * Wraps each line of `text` to at most `columns` columns, breaking between words (a word longer
 * than a line is cut), continuing each line under the text after its marker.
 *
 * @example wrapForTerminal('[1] The bridge opened in 2004 after years of delay', 30)
 * // '[1] The bridge opened in 2004\n    after years of delay'
 */
export function wrapForTerminal(text: string, columns: number): string {
  if (!Number.isFinite(columns) || columns < 1) return text;
  return text
    .split('\n')
    .map((line) => wrapLine(line, Math.floor(columns)))
    .join('\n');
}

/**
 * The width to wrap a stream's text to: its columns when it is a terminal, null when it is a pipe
 * or a file (their readers wrap for themselves). Read it at each write, so output written after the
 * window is resized fits the new width.
 */
export function terminalColumns(stream: NodeJS.WritableStream): number | null {
  if (!('isTTY' in stream) || stream.isTTY !== true) return null;
  return 'columns' in stream && typeof stream.columns === 'number' && stream.columns > 0 ? stream.columns : null;
}

/**
 * The rows `lines` take on a terminal `columns` wide that re-wraps lines when it is resized (as
 * xterm.js, VTE, iTerm2, kitty, tmux and Windows Terminal do): each line at least one row, a longer
 * one as many rows as it needs at that width. Escape codes take no room; wide characters take two.
 *
 * @example rowsOnScreen(['factdesk> hello', '', 'x'.repeat(81)], 80) // 4
 */
export function rowsOnScreen(lines: readonly string[], columns: number): number {
  const width = Math.max(1, Math.floor(columns));
  return lines.reduce((rows, line) => rows + Math.max(1, Math.ceil(stringWidth(line) / width)), 0);
}
