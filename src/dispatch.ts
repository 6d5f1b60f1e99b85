import {
  CUSTOM_ID_SEPARATOR,
  isAdmin,
  type ButtonReply,
  type ButtonSource,
  type Command,
  type CommandContext,
  type OptionValues,
} from './command.ts';
import { UserError } from './errors.ts';
import type { Reply } from './replies.ts';
import { formatDuration } from './core/durations.ts';

/**
 * Runs a command for an invoker: checks admin rights and the cooldown, then calls its handler.
 * Shared by Discord and the console so both enforce the same rules.
 */
export async function runCommand(command: Command, values: OptionValues, context: CommandContext): Promise<Reply> {
  if (command.admin === true && !isAdmin(context.invoker, context.config)) {
    throw new UserError(
      'not-allowed',
      `Only members with Manage Server, or the admins Factdesk is configured with, can use /${command.data.name}.`,
    );
  }
  if (command.cooldown !== true) return command.execute(values, context);
  const waitMs = context.cooldown.take(context.invoker.id);
  if (waitMs > 0)
    throw new UserError('cooldown', `You're asking quickly: try again in ${formatDuration(Math.ceil(waitMs / 1000) * 1000)}.`);
  try {
    return await command.execute(values, context);
  } catch (error) {
    // A question refused as empty or too long was never answered: it should not cost a turn.
    if (error instanceof UserError) context.cooldown.giveBack(context.invoker.id);
    throw error;
  }
}

/**
 * Presses a button: finds the handler its custom id names (`prefix:arg:arg`) among all commands.
 * An unknown id means a button from an older version of the bot.
 */
export async function pressButton(
  commands: ReadonlyMap<string, Command>,
  id: string,
  context: CommandContext,
  source: ButtonSource,
): Promise<ButtonReply> {
  const [prefix = '', ...args] = id.split(CUSTOM_ID_SEPARATOR);
  for (const command of commands.values()) {
    const handler = command.buttons?.[prefix];
    if (handler) return handler(args, context, source);
  }
  throw new UserError('expired', 'This button no longer works. Run the command again.');
}
