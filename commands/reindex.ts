import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { ReindexBusyError, ReindexFailedError } from '../src/core/library.ts';
import { defineCommand } from '../src/command.ts';
import { UserError } from '../src/errors.ts';

const PROBLEMS_SHOWN = 10;

const data = {
  type: ApplicationCommandType.ChatInput,
  name: 'reindex',
  description: 'Re-read the articles folder and swap in a fresh index (admins only)',
  // Discord hides the command from members without Manage Server; it is checked again when it runs.
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: ApplicationCommandOptionType.Boolean,
      name: 'full',
      description: 'Re-read and rebuild everything, even files that look unchanged',
      required: false,
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const reindex = defineCommand({
  data,
  usage: '/reindex [full:true]',
  admin: true,
  defer: 'ephemeral',
  async execute(args, context) {
    try {
      const progress = context.progress === undefined ? {} : { onProgress: context.progress };
      return { kind: 'reindex', summary: await context.library.reindex({ full: args.full === true, ...progress }), ephemeral: true };
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
});
