/**
 * Answering a question as a reply: shared by /ask, the "Ask Factdesk" message command and the
 * channel questions of the Discord edge, so all three answer alike.
 */
import { answerWithDates } from './core/date-preference.ts';
import { articleKey } from './core/browse.ts';
import type { Answer } from './core/types.ts';
import { customId, type ButtonHandler, type CommandContext } from './command.ts';
import { UserError } from './errors.ts';
import type { Reply, ReplyButton } from './replies.ts';

/** Passages per answer, and per press of "More passages". */
export const PAGE_SIZE = 3;

/** Custom id prefixes of the buttons under an answer (their handlers live with /ask and /article). */
export const ANSWER_BUTTONS = { morePassages: 'more', fullArticle: 'full' } as const;

/** The reply to a question, with "More passages" and "Full article" buttons where they apply. */
export function answerReply(
  question: string,
  context: Pick<CommandContext, 'library' | 'answerPages' | 'now'>,
  ephemeral: boolean,
  offset = 0,
): Reply {
  // "latest", "in 2023", "last week"… are read against today's date, which the front end passes in.
  const answer: Answer = answerWithDates(context.library.archive, question, context.now(), { top: PAGE_SIZE, offset });
  const buttons: ReplyButton[] = [];
  if (answer.answered) {
    if (answer.morePassages) {
      const id = customId(ANSWER_BUTTONS.morePassages, context.answerPages.remember(question), offset + PAGE_SIZE);
      buttons.push({ label: 'More passages', customId: id });
    } else if (offset > 0) {
      // The last page of a paged answer keeps "More passages", disabled, so the buttons keep their
      // places (the console's /1 stays "More passages" and /2 "Full article").
      buttons.push({ label: 'More passages', customId: customId(ANSWER_BUTTONS.morePassages, 'end'), disabled: true });
    }
    const best = answer.passages[0]?.passage.articleId;
    if (best !== undefined) buttons.push({ label: 'Full article', customId: customId(ANSWER_BUTTONS.fullArticle, articleKey(best)) });
  }
  return { kind: 'answer', answer, ephemeral, buttons };
}

/** "More passages": the next page of the remembered question's answer, to the presser only. */
export const morePassages: ButtonHandler = (args, context) => {
  const [key = '', offsetText = '0'] = args;
  const question = context.answerPages.recall(key);
  if (question === undefined) throw new UserError('expired', 'This answer is too old to page through. Ask the question again.');
  const offset = Math.max(0, Number.parseInt(offsetText, 10) || 0);
  return { ...answerReply(question, context, true, offset), update: false };
};
