import { createHash } from 'node:crypto';

/**
 * The questions behind answers that can be paged: recent questions under short keys, so a "More passages" button (whose id is capped at
 * 100 characters) can name a question of up to 500. Bounded: the oldest keys are forgotten first.
 */
export class AnswerPages {
  readonly #questions = new Map<string, string>();
  readonly #capacity: number;

  constructor(capacity = 2000) {
    this.#capacity = capacity;
  }

  /** Stores a question and returns its key (12 URL-safe characters). */
  remember(question: string): string {
    const key = createHash('sha256').update(question).digest('base64url').slice(0, 12);
    this.#questions.delete(key);
    this.#questions.set(key, question);
    if (this.#questions.size > this.#capacity) {
      const oldest = this.#questions.keys().next();
      if (oldest.done !== true) this.#questions.delete(oldest.value);
    }
    return key;
  }

  recall(key: string): string | undefined {
    return this.#questions.get(key);
  }
}
