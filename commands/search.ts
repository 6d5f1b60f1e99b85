import { SlashCommandBuilder } from 'discord.js';
import { searchArticles } from '../src/core/browse.ts';
import { MAX_QUESTION_LENGTH } from '../src/core/question-analysis.ts';
import type { Command } from '../src/command.ts';
import { normaliseQuestion } from '../src/question-text.ts';

export const SEARCH_LIMIT = 10;

export const search: Command = {
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('List the articles that match some words')
    .addStringOption((o) => o.setName('query').setDescription('Words to look for').setRequired(true).setMaxLength(MAX_QUESTION_LENGTH))
    .toJSON(),
  usage: '/search query:<text>',
  execute(options, context) {
    const query = normaliseQuestion(options.requiredString('query'), 'search');
    return Promise.resolve({ kind: 'search', query, hits: searchArticles(context.library.archive, query, SEARCH_LIMIT), ephemeral: false });
  },
};
