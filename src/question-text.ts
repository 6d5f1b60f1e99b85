import { UserError } from './errors.ts';
import { MAX_QUESTION_LENGTH } from './core/question-analysis.ts';

// Zero-width and bidi control characters: invisible, and only ever used to dodge filters.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/gu;
// Discord's syntax for user, role, channel and command mentions and custom emoji: not words of the
// question. Left in, the id would read as a number of the question that no article holds, and the
// question would go unanswered.
const DISCORD_MENTION = /<(?:@[!&]?\d{1,20}|#\d{1,20}|\/[^<>:\n]{1,100}:\d{1,20}|a?:\w{1,32}:\d{1,20})>/gu;

/**
 * Cleans a question typed by a user and checks its length: empty and over-long questions are
 * refused with a {@link UserError} that says what to do. Mentions (`<@id>`, `<#id>`, `<:emoji:id>`…)
 * are removed; `@everyone` is only a word.
 *
 * @example normaliseQuestion('  How many?\u200b ') // 'How many?'
 * @example normaliseQuestion('<@123456789012345678> who won?') // 'who won?'
 */
export function normaliseQuestion(raw: string, what = 'question'): string {
  const text = raw.replace(INVISIBLE, '').replace(DISCORD_MENTION, ' ').replace(/\s+/gu, ' ').trim();
  if (text.length === 0) throw new UserError('empty-question', `The ${what} is empty: type a few words to look for.`);
  if (text.length > MAX_QUESTION_LENGTH) {
    throw new UserError(
      'question-too-long',
      `The ${what} is ${text.length} characters long; the limit is ${MAX_QUESTION_LENGTH}. Shorten it and try again.`,
    );
  }
  return text;
}
