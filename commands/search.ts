import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { searchArticles } from '../src/core/browse.ts';
import { MAX_QUESTION_LENGTH } from '../src/core/question-analysis.ts';
import { defineCommand } from '../src/command.ts';
import { normaliseQuestion } from '../src/question-text.ts';
import { DATE_OPTIONS, dateRangeFrom } from '../src/date-options.ts';

export const SEARCH_LIMIT = 10;

const data = {
  type: ApplicationCommandType.ChatInput,
  name: 'search',
  description: 'List the articles that match some words',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'query',
      description: 'Words to look for',
      required: true,
      max_length: MAX_QUESTION_LENGTH,
    },
    ...DATE_OPTIONS,
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const search = defineCommand({
  data,
  usage: '/search query:<text> [after:<date>] [before:<date>]',
  execute(args, context) {
    const query = normaliseQuestion(args.query, 'search');
    const range = dateRangeFrom(args, context.now());
    return { kind: 'search', query, hits: searchArticles(context.library.archive, query, SEARCH_LIMIT, range), ephemeral: false };
  },
});
