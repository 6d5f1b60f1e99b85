import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { figuresAbout } from '../src/core/browse.ts';
import { MAX_QUESTION_LENGTH } from '../src/core/question-analysis.ts';
import { defineCommand } from '../src/command.ts';
import { normaliseQuestion } from '../src/question-text.ts';
import { DATE_OPTIONS, dateRangeFrom } from '../src/date-options.ts';

const data = {
  type: ApplicationCommandType.ChatInput,
  name: 'figures',
  description: 'The figures the articles cite about a topic, each with its sentence and source',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'topic',
      description: 'What the figures are about',
      required: true,
      max_length: MAX_QUESTION_LENGTH,
    },
    ...DATE_OPTIONS,
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const figures = defineCommand({
  data,
  usage: '/figures topic:<text> [after:<date>] [before:<date>]',
  execute(args, context) {
    const topic = normaliseQuestion(args.topic, 'topic');
    const range = dateRangeFrom(args, context.now());
    return { kind: 'figures', result: figuresAbout(context.library.archive, topic, undefined, range), ephemeral: false };
  },
});
