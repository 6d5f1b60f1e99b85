import { SlashCommandBuilder } from 'discord.js';
import { answerQuestion } from '../src/core/answer.ts';
import { articleKey } from '../src/core/browse.ts';
import { MAX_QUESTION_LENGTH } from '../src/core/question-analysis.ts';
import type { Answer } from '../src/core/types.ts';
import { customId, type ButtonHandler, type Command, type CommandContext } from '../src/command.ts';
import { UserError } from '../src/errors.ts';
import { normaliseQuestion } from '../src/question-text.ts';
import type { Reply, ReplyButton } from '../src/replies.ts';

export const PAGE_SIZE = 3;

/** The reply to a question, with "More passages" and "Full article" buttons where they apply. */
export function answerReply(question: string, context: CommandContext, ephemeral: boolean, offset = 0): Reply {
  const answer: Answer = answerQuestion(context.library.archive, question, { top: PAGE_SIZE, offset });
  const buttons: ReplyButton[] = [];
  if (answer.answered) {
    if (answer.morePassages)
      buttons.push({ label: 'More passages', customId: customId('more', context.memo.remember(question), offset + PAGE_SIZE) });
    const best = answer.passages[0]?.passage.articleId;
    if (best !== undefined) buttons.push({ label: 'Full article', customId: customId('full', articleKey(best)) });
  }
  return { kind: 'answer', answer, ephemeral, buttons };
}

const more: ButtonHandler = (args, context) => {
  const [key = '', offsetText = '0'] = args;
  const question = context.memo.recall(key);
  if (question === undefined) throw new UserError('expired', 'This answer is too old to page through. Ask the question again.');
  const offset = Math.max(0, Number.parseInt(offsetText, 10) || 0);
  return { ...answerReply(question, context, true, offset), update: false };
};

export const ask: Command = {
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask the news archive a question; the answer quotes and cites the articles')
    .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true).setMaxLength(MAX_QUESTION_LENGTH))
    .addBooleanOption((o) => o.setName('private').setDescription('Show the answer to you only'))
    .toJSON(),
  usage: '/ask question:<text> [private:true]',
  cooldown: true,
  execute(options, context) {
    const question = normaliseQuestion(options.requiredString('question'));
    return Promise.resolve(answerReply(question, context, options.boolean('private') ?? false));
  },
  buttons: { more },
};
