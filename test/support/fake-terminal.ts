/**
 * A terminal for tests: a readline-ready fake TTY (keys in, bytes out) whose output is played into
 * a headless xterm, so a test reads exactly what a person would see on the screen, line by line,
 * after the cursor moves, line refreshes and wrapping that readline and the program did.
 */
import { PassThrough } from 'node:stream';
import xterm from '@xterm/headless';

export interface FakeTerminal {
  /** Give to the program as its stdin: a TTY in raw mode. */
  readonly input: PassThrough & { readonly isTTY: true; setRawMode(mode: boolean): unknown };
  /** Give to the program as its stdout: a TTY of the current size. */
  readonly output: PassThrough & { readonly isTTY: true; columns: number; rows: number };
  /** Types keys as one chunk (as a fast typist or a paste), then lets the program react. */
  type(keys: string): Promise<void>;
  /**
   * Resizes the window: the screen reflows as xterm does, and the program gets 'resize'. Resolves
   * once `settleMs` (the program's wait for a resize to settle) has passed too: a timer of the same
   * length started after the program's fires after it, so whatever the program does once the size
   * has settled is done, however slow the machine.
   */
  resize(columns: number, settleMs?: number): Promise<void>;
  /** Everything written to the terminal so far, escape codes included (to see what was drawn and then erased). */
  raw(): string;
  /** Every line on the screen and in its scrollback, without trailing spaces (a written space looks like an empty cell) or blank lines at the end. */
  screen(): Promise<string>;
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

export function fakeTerminal(columns: number, rows = 24): FakeTerminal {
  const input = Object.assign(new PassThrough(), {
    isTTY: true as const,
    setRawMode: (): unknown => input,
  });
  const output = Object.assign(new PassThrough(), { isTTY: true as const, columns, rows });
  // convertEol: a real terminal's line discipline turns "\n" into "\r\n" (onlcr).
  const term = new xterm.Terminal({ cols: columns, rows, scrollback: 5000, convertEol: true, allowProposedApi: true });
  let written: Promise<void> = Promise.resolve();
  let raw = '';
  output.on('data', (chunk: Buffer) => {
    raw += chunk.toString();
    written = written.then(
      () =>
        new Promise((resolve) => {
          term.write(chunk, resolve);
        }),
    );
  });
  return {
    input,
    output,
    async type(keys) {
      input.write(keys);
      await settle();
    },
    async resize(width, settleMs = 0) {
      await written;
      term.resize(width, rows);
      output.columns = width;
      output.emit('resize');
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      await settle();
    },
    raw: () => raw,
    async screen() {
      await settle();
      await written;
      const buffer = term.buffer.active;
      const lines: string[] = [];
      for (let y = 0; y < buffer.length; y++) lines.push((buffer.getLine(y)?.translateToString(true) ?? '').trimEnd());
      while (lines.length > 0 && lines.at(-1) === '') lines.pop();
      return lines.join('\n');
    },
  };
}
