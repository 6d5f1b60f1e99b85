/**
 * A per-user cooldown between questions. `seconds` 0 turns it off. The clock is injected so tests
 * can move time instead of waiting.
 */
export class Cooldown {
  readonly #ms: number;
  readonly #now: () => Date;
  readonly #last = new Map<string, number>();
  /** What `#last` held before the latest take, so a refused question can be given back. */
  readonly #before = new Map<string, number | undefined>();

  constructor(seconds: number, now: () => Date = () => new Date()) {
    this.#ms = seconds * 1000;
    this.#now = now;
  }

  /**
   * Records a question by `userId` and returns 0, or, when the user asked too recently, returns
   * the milliseconds left and records nothing.
   */
  take(userId: string): number {
    if (this.#ms <= 0) return 0;
    const now = this.#now().getTime();
    const last = this.#last.get(userId);
    if (last !== undefined && now - last < this.#ms) return this.#ms - (now - last);
    this.#before.set(userId, last);
    this.#last.set(userId, now);
    if (this.#last.size > 10_000) this.#forgetExpired(now);
    return 0;
  }

  /** Undoes the user's latest take: a question refused as empty or too long should not cost a turn. */
  giveBack(userId: string): void {
    if (!this.#before.has(userId)) return;
    const before = this.#before.get(userId);
    this.#before.delete(userId);
    if (before === undefined) this.#last.delete(userId);
    else this.#last.set(userId, before);
  }

  #forgetExpired(now: number): void {
    for (const [user, at] of this.#last) {
      if (now - at >= this.#ms) {
        this.#last.delete(user);
        this.#before.delete(user);
      }
    }
  }
}
