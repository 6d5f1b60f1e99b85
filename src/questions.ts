import { UserError } from './errors.ts';
import { MAX_QUESTION_LENGTH } from './core/question.ts';

// Zero-width and bidi control characters: invisible, and only ever used to dodge filters.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/gu;

/**
 * Cleans a question typed by a user and checks its length: empty and over-long questions are
 * refused with a {@link UserError} that says what to do.
 *
 * @example normaliseQuestion('  How many?\u200b ') // 'How many?'
 */
export function normaliseQuestion(raw: string, what = 'question'): string {
  const text = raw.replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
  if (text.length === 0) throw new UserError('empty-question', `The ${what} is empty: type a few words to look for.`);
  if (text.length > MAX_QUESTION_LENGTH) {
    throw new UserError('question-too-long', `The ${what} is ${text.length} characters long; the limit is ${MAX_QUESTION_LENGTH}. Shorten it and try again.`);
  }
  return text;
}
