/**
 * Progress of loading and indexing for people: one line, redrawn in place on a terminal while the
 * work runs and cleared when it ends, so what stays on screen is the outcome.
 */
import { clearLine, cursorTo } from 'node:readline';
import type { IndexProgress } from '../core/progress.ts';
import { terminalColumns } from './terminal-wrap.ts';
import { formatDuration } from '../core/durations.ts';

const count = (n: number, noun: string): string => `${n.toLocaleString('en-US')} ${n === 1 ? noun : `${noun}s`}`;

/**
 * One progress line: what has been done, and the seconds since the work started.
 *
 * @example progressText({ phase: 'reading', read: 1200, files: 2225 }, 3100) // 'Reading articles: 1,200 of 2,225 files · 3.1 s'
 */
export function progressText(progress: IndexProgress, elapsedMs: number): string {
  const seconds = formatDuration(elapsedMs);
  if (progress.phase === 'reading')
    return `Reading articles: ${progress.read.toLocaleString('en-US')} of ${count(progress.files, 'file')} · ${seconds}`;
  return [
    `Indexing: ${progress.indexed.toLocaleString('en-US')} of ${count(progress.articles, 'article')}`,
    count(progress.passages, 'passage'),
    count(progress.figures, 'figure'),
    seconds,
  ].join(' · ');
}

/** Redraws at most this often: a terminal cannot show more, and each redraw costs a write. */
const REDRAW_MS = 100;

/**
 * A progress line on a terminal, redrawn in place. It redraws at most every 100 ms, and at once
 * when the phase changes; {@link clear} erases it before the outcome is printed. Give it only a
 * terminal: on a pipe or in a file, redrawn lines would pile up.
 */
export class ProgressLine {
  readonly #stream: NodeJS.WritableStream;
  readonly #clock: () => number;
  readonly #started: number;
  #drawnAt = Number.NEGATIVE_INFINITY;
  #phase: IndexProgress['phase'] | null = null;
  #shown = false;

  constructor(stream: NodeJS.WritableStream, clock: () => number = () => performance.now()) {
    this.#stream = stream;
    this.#clock = clock;
    this.#started = clock();
  }

  /** Shows `progress`, unless the line was redrawn less than 100 ms ago in the same phase. */
  readonly update = (progress: IndexProgress): void => {
    const now = this.#clock();
    if (progress.phase === this.#phase && now - this.#drawnAt < REDRAW_MS) return;
    this.#phase = progress.phase;
    this.#drawnAt = now;
    // One column short of the width, so the line never wraps (a wrapped line cannot be redrawn).
    const columns = terminalColumns(this.#stream) ?? 80;
    const text = progressText(progress, now - this.#started).slice(0, Math.max(1, columns - 1));
    cursorTo(this.#stream, 0);
    clearLine(this.#stream, 0);
    this.#stream.write(text);
    this.#shown = true;
  };

  /** Erases the line, leaving the cursor at its start. */
  clear(): void {
    if (!this.#shown) return;
    cursorTo(this.#stream, 0);
    clearLine(this.#stream, 0);
    this.#shown = false;
  }
}
