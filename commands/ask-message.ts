import { ApplicationCommandType, ContextMenuCommandBuilder } from 'discord.js';
import type { Command } from '../src/command.ts';
import { UserError } from '../src/errors.ts';
import { normaliseQuestion } from '../src/question-text.ts';
import { answerReply } from './ask.ts';

/** The option name under which the Discord edge passes the target message's text. */
export const MESSAGE_TEXT_OPTION = 'message';

export const askMessage: Command = {
  data: new ContextMenuCommandBuilder().setName('Ask Factdesk').setType(ApplicationCommandType.Message).toJSON(),
  cooldown: true,
  execute(options, context) {
    const text = options.string(MESSAGE_TEXT_OPTION) ?? '';
    if (text.trim().length === 0) throw new UserError('empty-question', 'That message has no text to ask about.');
    return Promise.resolve(answerReply(normaliseQuestion(text), context, true));
  },
};
