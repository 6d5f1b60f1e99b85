import { SlashCommandBuilder } from 'discord.js';
import { figuresAbout } from '../src/core/browse.ts';
import { MAX_QUESTION_LENGTH } from '../src/core/question-analysis.ts';
import type { Command } from '../src/command.ts';
import { normaliseQuestion } from '../src/question-text.ts';

export const figures: Command = {
  data: new SlashCommandBuilder()
    .setName('figures')
    .setDescription('The figures the articles cite about a topic, each with its sentence and source')
    .addStringOption((o) =>
      o.setName('topic').setDescription('What the figures are about').setRequired(true).setMaxLength(MAX_QUESTION_LENGTH),
    )
    .toJSON(),
  usage: '/figures topic:<text>',
  execute(options, context) {
    const topic = normaliseQuestion(options.requiredString('topic'), 'topic');
    return Promise.resolve({ kind: 'figures', result: figuresAbout(context.library.archive, topic), ephemeral: false });
  },
};
