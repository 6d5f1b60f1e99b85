import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { MAX_QUESTION_LENGTH } from '../src/core/question-analysis.ts';
import { ANSWER_BUTTONS, answerReply, morePassages } from '../src/answering.ts';
import { defineCommand } from '../src/command.ts';
import { normaliseQuestion } from '../src/question-text.ts';

const data = {
  type: ApplicationCommandType.ChatInput,
  name: 'ask',
  description: 'Ask the news archive a question; the answer quotes and cites the articles',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'question',
      description: 'Your question',
      required: true,
      max_length: MAX_QUESTION_LENGTH,
    },
    { type: ApplicationCommandOptionType.Boolean, name: 'private', description: 'Show the answer to you only', required: false },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const ask = defineCommand({
  data,
  usage: '/ask question:<text> [private:true]',
  cooldown: true,
  execute(args, context) {
    return answerReply(normaliseQuestion(args.question), context, args.private ?? false);
  },
  buttons: { [ANSWER_BUTTONS.morePassages]: morePassages },
});
