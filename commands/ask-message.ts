import { ApplicationCommandType, type RESTPostAPIContextMenuApplicationCommandsJSONBody } from 'discord.js';
import { answerReply } from '../src/answering.ts';
import { defineCommand } from '../src/command.ts';
import { UserError } from '../src/errors.ts';
import { normaliseQuestion } from '../src/question-text.ts';

const data = {
  type: ApplicationCommandType.Message,
  name: 'Ask Factdesk',
} as const satisfies RESTPostAPIContextMenuApplicationCommandsJSONBody;

export const askMessage = defineCommand({
  data,
  cooldown: true,
  execute(args, context) {
    if (args.message.trim().length === 0) throw new UserError('empty-question', 'That message has no text to ask about.');
    return answerReply(normaliseQuestion(args.message), context, true);
  },
});
