import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { ReindexBusyError, ReindexFailedError } from '../src/core/library.ts';
import type { Command } from '../src/command.ts';
import { UserError } from '../src/errors.ts';

const PROBLEMS_SHOWN = 10;

export const reindex: Command = {
  data: new SlashCommandBuilder()
    .setName('reindex')
    .setDescription('Re-read the articles folder and swap in a fresh index (admins only)')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  usage: '/reindex',
  admin: true,
  defer: 'ephemeral',
  async execute(_options, context) {
    try {
      return { kind: 'reindex', summary: await context.library.reindex(), ephemeral: true };
    } catch (error) {
      if (error instanceof ReindexBusyError) {
        throw new UserError(
          'reindex-running',
          'A reindex is already running. Questions are still answered from the current index meanwhile.',
        );
      }
      if (error instanceof ReindexFailedError) {
        const problems = error.problems
          .slice(0, PROBLEMS_SHOWN)
          .map((p) => `\n• ${p.file}: ${p.reason}`)
          .join('');
        const more = error.problems.length > PROBLEMS_SHOWN ? `\n…and ${error.problems.length - PROBLEMS_SHOWN} more` : '';
        throw new UserError('reindex-failed', `Reindex failed: ${error.message}${problems}${more}`);
      }
      throw error;
    }
  },
};
