/**
 * The one interaction handler: slash commands, the "Ask Factdesk" message command, autocomplete
 * and buttons. It turns Discord's interaction into a {@link CommandContext} and option values,
 * runs the shared dispatcher, and renders the reply; every failure is answered or logged here.
 */
import {
  ApplicationCommandOptionType,
  DiscordAPIError,
  MessageFlags,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type APIInteractionGuildMember,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type GuildMember,
  type Interaction,
  type MessageContextMenuCommandInteraction,
  type PermissionsBitField,
  type RepliableInteraction,
} from 'discord.js';
import {
  MESSAGE_ARGUMENT,
  SUBCOMMAND_ARGUMENT,
  type CommandContext,
  type Invoker,
  type Services,
  type OptionValue,
  type OptionValues,
} from '../command.ts';
import { pressButton, runCommand } from '../dispatch.ts';
import { describeError, reportFailure, UserError } from '../errors.ts';
import { ProgressEdits } from './progress-edits.ts';
import { renderChoices, renderError, renderReply, type DiscordPayload } from '../render/discord/replies.ts';

/** The parts of discord.js's `CommandInteractionOption` that carry values. */
export interface OptionLike {
  readonly name: string;
  readonly type?: ApplicationCommandOptionType | undefined;
  readonly value?: string | number | boolean | null | undefined;
  readonly options?: readonly OptionLike[] | undefined;
}

/**
 * Option values by name from `interaction.options.data`. Subcommand and group options are
 * flattened (their own entries carry no value), and a subcommand's name is kept under
 * {@link SUBCOMMAND_ARGUMENT}; the command checks them against its definition.
 *
 * @example optionsFrom([{ name: 'question', value: 'Who?' }]).get('question') // 'Who?'
 */
export function optionsFrom(data: readonly OptionLike[]): OptionValues {
  const values = new Map<string, OptionValue>();
  const walk = (options: readonly OptionLike[]): void => {
    for (const option of options) {
      if (option.type === ApplicationCommandOptionType.Subcommand) values.set(SUBCOMMAND_ARGUMENT, option.name);
      if (option.value !== undefined && option.value !== null) values.set(option.name, option.value);
      if (option.options) walk(option.options);
    }
  };
  walk(data);
  return values;
}

/**
 * Who runs an interaction. Manage Server comes from the member's computed permissions
 * (Administrator implies it); outside a guild there are none.
 */
export function invokerFrom(
  userId: string,
  member: GuildMember | APIInteractionGuildMember | null,
  permissions: Readonly<PermissionsBitField> | null,
): Invoker {
  const roleIds = member === null ? [] : Array.isArray(member.roles) ? [...member.roles] : [...member.roles.cache.keys()];
  return { id: userId, roleIds, canManageGuild: permissions?.has(PermissionFlagsBits.ManageGuild) ?? false, local: false };
}

/** Errors that mean "too late" or "not allowed here": logged, never answered (an answer would fail too). */
export function isUnanswerableApiError(error: unknown): error is DiscordAPIError {
  return (
    error instanceof DiscordAPIError &&
    (error.code === RESTJSONErrorCodes.UnknownInteraction ||
      error.code === RESTJSONErrorCodes.MissingPermissions ||
      error.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged)
  );
}

/** The payload without `flags`: an edit or update cannot change whether a message is ephemeral. */
export function withoutFlags(payload: DiscordPayload): Omit<DiscordPayload, 'flags'> {
  const { flags: _flags, ...rest } = payload;
  return rest;
}

function logFields(interaction: Interaction): Record<string, unknown> {
  const what =
    interaction.isCommand() || interaction.isAutocomplete()
      ? { command: interaction.commandName }
      : interaction.isButton()
        ? { customId: interaction.customId }
        : {};
  return {
    interactionId: interaction.id,
    ...what,
    userId: interaction.user.id,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
  };
}

function contextFor(interaction: Interaction, services: Services): CommandContext {
  return { ...services, invoker: invokerFrom(interaction.user.id, interaction.member, interaction.memberPermissions) };
}

async function runSlash(
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  services: Services,
): Promise<void> {
  const command = services.commands.get(interaction.commandName);
  if (!command)
    throw new UserError(
      'unknown-command',
      `Factdesk has no command called "${interaction.commandName}" any more. Ask an admin to redeploy the commands.`,
    );
  if (command.defer !== undefined) await interaction.deferReply(command.defer === 'ephemeral' ? { flags: MessageFlags.Ephemeral } : {});
  const options = interaction.isMessageContextMenuCommand()
    ? new Map([[MESSAGE_ARGUMENT, interaction.targetMessage.content]])
    : optionsFrom(interaction.options.data);
  const late = deferWhenLate(interaction, options.get('private') === true);
  // A deferred command's reply shows its progress (a reindex's files read, articles indexed) until the outcome.
  const progress =
    command.defer === undefined
      ? null
      : new ProgressEdits({
          edit: (payload) => interaction.editReply(withoutFlags(payload)),
          logger: services.logger,
          fields: logFields(interaction),
        });
  try {
    const started = performance.now();
    const context = { ...contextFor(interaction, services), acknowledge: late.deferNow };
    const reply = await runCommand(command, options, progress === null ? context : { ...context, progress: progress.update });
    services.observer?.observeReply(reply, (performance.now() - started) / 1000);
    await progress?.stop();
    await late.settle();
    await sendReply(interaction, renderReply(reply));
    answered.add(interaction);
  } finally {
    // Before an error reply too: a progress edit landing after it would hide it.
    await progress?.stop();
    await late.settle();
  }
}

/**
 * Discord drops an interaction that is not acknowledged within 3 s of its creation. Past this age
 * (it arrived late, or its answer is slow) the bot defers it first and edits the answer in.
 */
export const DEFER_AFTER_MS = 2_000;

/**
 * Defers `interaction` once it is {@link DEFER_AFTER_MS} old, unless it was answered by then: at
 * once when it arrives that old, else on a timer. `deferNow` defers at once (a command about to do
 * slow work) and waits for it. `settle` stops the timer and waits for a deferral under way, whose
 * failure (10062: too late after all) it throws.
 */
export function deferWhenLate(
  interaction: RepliableInteraction,
  ephemeral: boolean,
  now = Date.now(),
): { deferNow: () => Promise<void>; settle: () => Promise<void> } {
  let deferring: Promise<void> | null = null;
  let failure: { error: unknown } | null = null;
  const defer = (): void => {
    // Once only: discord.js marks the interaction deferred when Discord has answered, not before.
    if (deferring !== null || interaction.deferred || interaction.replied) return;
    deferring = interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {}).then(
      () => undefined,
      (error: unknown) => {
        failure = { error };
      },
    );
  };
  const wait = DEFER_AFTER_MS - (now - interaction.createdTimestamp);
  const timer = wait <= 0 ? undefined : setTimeout(defer, wait);
  if (timer === undefined) defer();
  return {
    deferNow: async () => {
      clearTimeout(timer);
      defer();
      // A failure is kept for settle to throw, where the reply would have gone.
      await deferring;
    },
    settle: async () => {
      clearTimeout(timer);
      await deferring;
      const settled: { error: unknown } | null = failure;
      failure = null;
      if (settled !== null) throw settled.error;
    },
  };
}

/**
 * Sends the reply, or edits it into a deferred one (not yet edited). A deferral fixed whether the
 * message is ephemeral; when the reply differs, it goes as a follow-up and the deferred message is
 * deleted.
 */
async function sendReply(interaction: RepliableInteraction, payload: DiscordPayload): Promise<void> {
  if (!interaction.deferred) {
    await interaction.reply(payload);
    return;
  }
  if ((payload.flags === MessageFlags.Ephemeral) === (interaction.ephemeral ?? false)) {
    await interaction.editReply(withoutFlags(payload));
    return;
  }
  await interaction.followUp(payload);
  await interaction.deleteReply();
}

async function runButton(interaction: ButtonInteraction, services: Services): Promise<void> {
  const source = { ephemeral: interaction.message.flags.has(MessageFlags.Ephemeral) };
  const reply = await pressButton(services.commands, interaction.customId, contextFor(interaction, services), source);
  const payload = renderReply(reply);
  if (reply.update) await interaction.update(withoutFlags(payload));
  else await interaction.reply(payload);
}

async function runAutocomplete(interaction: AutocompleteInteraction, services: Services): Promise<void> {
  let choices: ReturnType<typeof renderChoices> = [];
  try {
    const command = services.commands.get(interaction.commandName);
    const focused = interaction.options.getFocused(true);
    choices = renderChoices(command?.autocomplete?.(focused.name, focused.value, contextFor(interaction, services)) ?? []);
  } catch (error) {
    services.logger.warn({ ...logFields(interaction), error: describeError(error) }, 'autocomplete failed; offering no choices');
  }
  try {
    await interaction.respond(choices);
  } catch (error) {
    // Usually 10062: the user typed on and Discord dropped this request. Nothing to tell anyone.
    services.logger.debug({ ...logFields(interaction), error: describeError(error) }, 'autocomplete response not delivered');
  }
}

/**
 * Slash commands whose outcome was sent. discord.js counts a deferred reply edited with progress as
 * `replied` too, but until the outcome is sent an error belongs in that reply, in place of the
 * progress, not in a follow-up below a "Reindexing…" that would then stay for good.
 */
const answered = new WeakSet<RepliableInteraction>();

/** Answers with an error, whatever state the interaction is in. */
async function sendError(interaction: RepliableInteraction, payload: DiscordPayload): Promise<void> {
  if (interaction.replied && (answered.has(interaction) || !interaction.deferred)) await interaction.followUp(payload);
  else await sendReply(interaction, payload);
}

async function fail(interaction: Interaction, error: unknown, services: Services): Promise<void> {
  const fields = logFields(interaction);
  if (isUnanswerableApiError(error)) {
    const why = error.code === RESTJSONErrorCodes.MissingPermissions ? 'missing permissions' : 'interaction expired or already answered';
    services.logger.warn({ ...fields, code: error.code, error: describeError(error) }, `could not answer an interaction: ${why}`);
    return;
  }
  let payload: DiscordPayload;
  if (error instanceof UserError) {
    services.logger.info({ ...fields, code: error.code }, 'refused with a user error');
    payload = renderError(error.message);
  } else {
    payload = renderError(reportFailure(error, { logger: services.logger, what: 'interaction failed', fields }));
  }
  if (!interaction.isRepliable()) return;
  try {
    await sendError(interaction, payload);
  } catch (sendFailure) {
    services.logger.warn({ ...fields, error: describeError(sendFailure) }, 'could not send the error reply');
  }
}

/**
 * Creates the `interactionCreate` listener. The returned function never rejects: every error
 * is answered (ephemerally) or logged, so nothing escapes as an unhandled rejection.
 */
export function createInteractionHandler(services: Services): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    try {
      if (interaction.isAutocomplete()) await runAutocomplete(interaction, services);
      else if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) await runSlash(interaction, services);
      else if (interaction.isButton()) await runButton(interaction, services);
      else services.logger.debug(logFields(interaction), 'ignored an interaction type Factdesk does not use');
    } catch (error) {
      try {
        await fail(interaction, error, services);
      } catch (failure) {
        // Only a broken logger gets here; there is nobody left to tell.
        services.logger.error({ error: describeError(failure) }, 'interaction error handling failed');
      }
    }
  };
}
