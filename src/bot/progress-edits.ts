/**
 * Progress of deferred work (a /reindex) shown in its deferred reply: the reply is edited with the
 * latest progress, at most once per {@link PROGRESS_EDIT_MS} and never while an edit is under way,
 * until the outcome replaces it.
 */
import type { IndexProgress, ProgressListener } from '../core/progress.ts';
import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { renderProgress, type DiscordPayload } from '../render/discord/replies.ts';

/**
 * The least time from the end of one progress edit to the start of the next. Discord limits how
 * often one message may be edited (discord.js waits out a 429 rather than failing), and a person
 * reads a number that changes every second or two; more edits would only queue up.
 */
export const PROGRESS_EDIT_MS = 1_500;

export interface ProgressEditsOptions {
  /** Edits the deferred reply (`interaction.editReply`). */
  readonly edit: (payload: DiscordPayload) => Promise<unknown>;
  readonly logger: Logger;
  /** Fields that name the interaction in a log line. */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** Milliseconds, monotonic; `performance.now()` unless a test gives its own. */
  readonly clock?: () => number;
}

/**
 * Edits a deferred reply with progress as it comes. The first report is shown at once (it replaces
 * "thinking…"), later ones at most every {@link PROGRESS_EDIT_MS}, and the latest report wins: one
 * that arrives too soon is shown when the wait is over, if no newer one came. {@link stop} ends the
 * edits and waits for one under way, so the outcome edited in after it is never overwritten.
 */
export class ProgressEdits {
  readonly #options: ProgressEditsOptions;
  readonly #clock: () => number;
  readonly #started: number;
  #latest: IndexProgress | null = null;
  #lastEditEnd = Number.NEGATIVE_INFINITY;
  #editing: Promise<void> | null = null;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: ProgressEditsOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => performance.now());
    this.#started = this.#clock();
  }

  /** The listener to give the work: cheap, and never throws. */
  readonly update: ProgressListener = (progress) => {
    if (this.#stopped) return;
    this.#latest = progress;
    this.#schedule();
  };

  /** No more edits; resolves once an edit under way has ended (it never rejects). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#editing;
  }

  #schedule(): void {
    if (this.#stopped || this.#editing !== null || this.#timer !== undefined || this.#latest === null) return;
    const wait = this.#lastEditEnd + PROGRESS_EDIT_MS - this.#clock();
    if (wait > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#schedule();
      }, wait);
      // A timer left behind must not keep the process alive.
      this.#timer.unref();
      return;
    }
    const progress = this.#latest;
    this.#latest = null;
    this.#editing = this.#options.edit(renderProgress(progress, this.#clock() - this.#started)).then(
      () => {
        this.#lastEditEnd = this.#clock();
        this.#editing = null;
        this.#schedule();
      },
      (error: unknown) => {
        // Progress is a courtesy: the outcome is still edited in (and reports its own failure).
        this.#stopped = true;
        this.#editing = null;
        this.#options.logger.warn(
          { ...this.#options.fields, error: describeError(error) },
          'could not show progress; showing the outcome only',
        );
      },
    );
  }
}
