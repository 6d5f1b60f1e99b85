/**
 * The waiting machinery: every part of the fake announces a change here, and waits re-check
 * their condition on each change. It also owns the fake's timers, so closing clears them all.
 */
import { EventEmitter } from 'node:events';

export class ChangeFeed {
  readonly #events = new EventEmitter();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #describeState: () => string;
  #closed = false;

  /** `describeState` adds what the fake saw to timeout messages. */
  constructor(describeState: () => string) {
    this.#describeState = describeState;
    this.#events.setMaxListeners(0);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Wakes every pending wait to re-check its condition. */
  emit(): void {
    this.#events.emit('change');
  }

  /** Runs `run` after `ms` unless the fake closes first. */
  schedule(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    this.#timers.add(timer);
  }

  /** Rejects pending waits and clears every timer. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Resolves with the first defined value of `check`, now or after a change; rejects on timeout or close. */
  waitFor<T>(check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#closed) {
        reject(new Error(`fake-discord: closed, cannot wait for ${what()}`));
        return;
      }
      const initial = check();
      if (initial !== undefined) {
        resolve(initial);
        return;
      }
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#timers.delete(timer);
        this.#events.off('change', onChange);
      };
      const onChange = (): void => {
        if (this.#closed) {
          cleanup();
          reject(new Error(`fake-discord: closed while waiting for ${what()}`));
          return;
        }
        const value = check();
        if (value !== undefined) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${what()}.\n${this.#describeState()}`));
      }, timeoutMs);
      this.#timers.add(timer);
      this.#events.on('change', onChange);
    });
  }
}
