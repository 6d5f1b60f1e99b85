/**
 * Scenario builders: what users do (slash commands, autocomplete, buttons, message commands,
 * messages, forum posts), dispatched over the gateway with the payloads Discord sends.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  GatewayIntentBits,
  InteractionContextType,
  InteractionType,
  Locale,
  ThreadAutoArchiveDuration,
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteractionGuildMember,
  type APIMessageApplicationCommandGuildInteraction,
  type APIMessageComponentButtonInteraction,
  type APIThreadChannel,
  type GatewayMessageCreateDispatchData,
  type GatewayThreadCreateDispatchData,
} from 'discord.js';
import type { FakeGateway } from './gateway.ts';
import {
  ALL_PERMISSIONS,
  BOT_PERMISSIONS,
  MEMBER_PERMISSIONS,
  MODERATOR_PERMISSIONS,
  NO_CHANNEL_FLAGS,
  NO_MEMBER_FLAGS,
  nowIso,
  permissionString,
  snowflake,
  DISCORD_EPOCH,
} from './protocol.ts';
import type {
  AutocompleteOptions,
  ButtonPressOptions,
  ForumPost,
  ForumPostOptions,
  InteractionContextOptions,
  MessageCommandOptions,
  SlashCommandOptions,
  SlashOptions,
  SlashOptionValue,
  UserMessageOptions,
} from './types.ts';
import type { FakeWorld } from './world.ts';

function inferOption(name: string, value: SlashOptionValue): APIApplicationCommandInteractionDataBasicOption {
  if (typeof value === 'string') return { name, type: ApplicationCommandOptionType.String, value };
  if (typeof value === 'boolean') return { name, type: ApplicationCommandOptionType.Boolean, value };
  return Number.isInteger(value)
    ? { name, type: ApplicationCommandOptionType.Integer, value }
    : { name, type: ApplicationCommandOptionType.Number, value };
}

function toOptions(options: SlashOptions | undefined): APIApplicationCommandInteractionDataOption[] {
  if (options === undefined) return [];
  if (Array.isArray(options)) return [...(options as readonly APIApplicationCommandInteractionDataOption[])];
  return Object.entries(options as Readonly<Record<string, SlashOptionValue>>).map(([name, value]) => inferOption(name, value));
}

export class Scenarios {
  readonly #world: FakeWorld;
  readonly #gateway: FakeGateway;

  constructor(world: FakeWorld, gateway: FakeGateway) {
    this.#world = world;
    this.#gateway = gateway;
  }

  /** Dispatches a slash command (INTERACTION_CREATE type 2, data.type 1). */
  slashCommand(options: SlashCommandOptions): APIChatInputApplicationCommandGuildInteraction {
    const base = this.#interactionBase(options);
    const payload = {
      ...base,
      type: InteractionType.ApplicationCommand,
      data: {
        id: options.commandId ?? this.#world.commandId(options.name, base.guild_id),
        name: options.name,
        type: ApplicationCommandType.ChatInput,
        options: toOptions(options.options),
      },
    } satisfies APIChatInputApplicationCommandGuildInteraction;
    this.#trackInteraction(payload, options.name, null);
    this.#gateway.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /** Dispatches an autocomplete request (INTERACTION_CREATE type 4) with one focused option. */
  autocomplete(options: AutocompleteOptions): APIApplicationCommandAutocompleteGuildInteraction {
    const base = this.#interactionBase(options);
    const focusedValue = options.focused.value;
    const focused =
      typeof focusedValue === 'string'
        ? { name: options.focused.name, type: ApplicationCommandOptionType.String as const, value: focusedValue, focused: true }
        : {
            name: options.focused.name,
            type: Number.isInteger(focusedValue) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number,
            value: String(focusedValue),
            focused: true,
          };
    const payload = {
      ...base,
      type: InteractionType.ApplicationCommandAutocomplete,
      data: {
        id: options.commandId ?? this.#world.commandId(options.name, base.guild_id),
        name: options.name,
        type: ApplicationCommandType.ChatInput,
        options: [...toOptions(options.options), focused] as APIApplicationCommandInteractionDataBasicOption[],
      },
    } satisfies APIApplicationCommandAutocompleteGuildInteraction;
    this.#trackInteraction(payload, options.name, null);
    this.#gateway.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /** Dispatches a button press (INTERACTION_CREATE type 3, component_type 2). */
  buttonPress(options: ButtonPressOptions): APIMessageComponentButtonInteraction & { guild_id: string; member: APIInteractionGuildMember } {
    const base = this.#interactionBase(options);
    const message =
      options.message ??
      this.#world.storeMessage(
        this.#world.buildMessage({
          channelId: base.channel_id,
          author: this.#world.users.bot,
          content: 'A message with a button',
          components: [
            {
              type: ComponentType.ActionRow,
              components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, custom_id: options.customId, label: 'Press' }],
            },
          ],
        }),
      );
    if (!this.#world.messages.has(message.id)) this.#world.storeMessage(message);
    const payload = {
      ...base,
      type: InteractionType.MessageComponent,
      message,
      data: { custom_id: options.customId, component_type: ComponentType.Button },
    } satisfies APIMessageComponentButtonInteraction & { guild_id: string; member: APIInteractionGuildMember };
    this.#trackInteraction(payload, null, message.id);
    this.#gateway.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /** Dispatches a message context-menu command (type 2, data.type 3) targeting a message. */
  messageCommand(options: MessageCommandOptions): APIMessageApplicationCommandGuildInteraction {
    const base = this.#interactionBase(options);
    const target =
      options.target ??
      this.#world.storeMessage(
        this.#world.buildMessage({
          channelId: base.channel_id,
          author: this.#world.resolveAuthor(options.targetAuthor ?? 'member'),
          content: options.targetContent ?? 'Is this true?',
        }),
      );
    const payload = {
      ...base,
      type: InteractionType.ApplicationCommand,
      data: {
        id: options.commandId ?? this.#world.commandId(options.name, base.guild_id),
        name: options.name,
        type: ApplicationCommandType.Message,
        target_id: target.id,
        resolved: { messages: { [target.id]: target } },
      },
    } satisfies APIMessageApplicationCommandGuildInteraction;
    this.#trackInteraction(payload, options.name, null);
    this.#gateway.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /**
   * Dispatches a MESSAGE_CREATE from a user (or another bot, or a webhook) in a guild channel.
   * Returns the full message; without the GuildMessages intent nothing is delivered, and without
   * MessageContent the client receives it with content/embeds/attachments/components blanked.
   */
  userMessage(options: UserMessageOptions): GatewayMessageCreateDispatchData {
    const channelId = options.channelId ?? this.#world.guild.ids.channels.general;
    const { guild } = this.#world.channel(channelId);
    let author = this.#world.resolveAuthor(options.author ?? 'member');
    if (options.webhookId !== undefined) {
      author = { id: options.webhookId, username: 'Captain Hook', discriminator: '0000', global_name: null, avatar: null, bot: true };
    }
    const mentions = [...(options.mentions ?? [])];
    let content = options.content;
    if (options.mentionBot === true) {
      if (!content.includes(`<@${this.#world.users.bot.id}>`)) content = `<@${this.#world.users.bot.id}> ${content}`;
      if (!mentions.some((u) => u.id === this.#world.users.bot.id)) mentions.push(this.#world.users.bot);
    }
    const message = this.#world.buildMessage({
      channelId,
      author,
      content,
      mentions,
      embeds: [...(options.embeds ?? [])],
      ...(options.webhookId === undefined ? {} : { webhookId: options.webhookId }),
      ...(options.replyTo === undefined ? {} : { replyTo: options.replyTo }),
    });
    this.#world.storeMessage(message);
    const member = options.webhookId === undefined ? this.#world.memberOf(guild, author.id) : undefined;
    const data: GatewayMessageCreateDispatchData = {
      ...message,
      guild_id: guild.ids.guild,
      mentions: mentions.map((u) => {
        const m = this.#world.memberOf(guild, u.id);
        return m ? { ...u, member: this.#world.partialMember(m) } : u;
      }),
      ...(member ? { member: this.#world.partialMember(member) } : {}),
    };
    this.#gateway.dispatchMessageCreate(data);
    return data;
  }

  /** A new forum post: THREAD_CREATE (newly_created) then the starter MESSAGE_CREATE (same id). */
  forumPost(options: ForumPostOptions): ForumPost {
    const forumId = options.forumId ?? this.#world.guild.ids.channels.forum;
    const { guild, channel: forum } = this.#world.channel(forumId);
    if (forum.type !== ChannelType.GuildForum) throw new Error(`fake-discord: channel ${forumId} is not a forum`);
    const author = this.#world.resolveAuthor(options.author ?? 'member');
    const tags = (options.tags ?? []).map((t) => forum.available_tags.find((tag) => tag.id === t || tag.name === t)?.id ?? t);
    const id = snowflake();
    const createdAt = nowIso();
    const channel: APIThreadChannel = {
      id,
      type: ChannelType.PublicThread,
      guild_id: guild.ids.guild,
      parent_id: forumId,
      owner_id: author.id,
      name: options.title,
      last_message_id: id,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      rate_limit_per_user: 0,
      flags: NO_CHANNEL_FLAGS,
      applied_tags: tags,
      thread_metadata: {
        archived: false,
        auto_archive_duration: ThreadAutoArchiveDuration.ThreeDays,
        archive_timestamp: createdAt,
        locked: false,
        create_timestamp: createdAt,
      },
    };
    guild.threads.push(channel);
    const thread: GatewayThreadCreateDispatchData = { ...channel, newly_created: true };
    if (this.#gateway.hasIntent(GatewayIntentBits.Guilds)) this.#gateway.dispatch('THREAD_CREATE', thread);
    const member = this.#world.memberOf(guild, author.id);
    const message: GatewayMessageCreateDispatchData = {
      ...this.#world.storeMessage({ ...this.#world.buildMessage({ channelId: id, author, content: options.content }), id, position: 0 }),
      guild_id: guild.ids.guild,
      mentions: [],
      ...(member ? { member: this.#world.partialMember(member) } : {}),
    };
    this.#gateway.dispatchMessageCreate(message);
    return { thread, message };
  }

  #interactionBase(options: InteractionContextOptions) {
    const channelId = options.channelId ?? this.#world.guild.ids.channels.general;
    const { guild, channel } = this.#world.channel(channelId);
    const actor = options.as ?? 'member';
    const user = options.user ?? this.#world.users[actor];
    const defaultRoles = { member: [], moderator: [guild.ids.roles.moderator], admin: [guild.ids.roles.admin] }[actor];
    const defaultPermissions = {
      member: MEMBER_PERMISSIONS,
      moderator: MEMBER_PERMISSIONS | MODERATOR_PERMISSIONS,
      admin: ALL_PERMISSIONS,
    }[actor];
    const known = this.#world.memberOf(guild, user.id);
    const member: APIInteractionGuildMember = {
      user,
      nick: known?.nick ?? null,
      avatar: null,
      banner: null,
      joined_at: known?.joined_at ?? nowIso(),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: NO_MEMBER_FLAGS,
      pending: false,
      communication_disabled_until: null,
      roles: [...(options.roles ?? defaultRoles)],
      permissions: permissionString(options.permissions ?? defaultPermissions),
    };
    const locale = options.locale ?? Locale.EnglishUS;
    return {
      id: snowflake(Date.now() - (options.ageMs ?? 0)),
      application_id: this.#world.applicationId,
      token: `fake-interaction-token-${snowflake()}-${Math.random().toString(36).slice(2)}`,
      version: 1 as const,
      guild_id: guild.ids.guild,
      guild: { id: guild.ids.guild, locale: Locale.EnglishUS, features: [] },
      channel_id: channelId,
      channel,
      member,
      app_permissions: permissionString(options.appPermissions ?? MEMBER_PERMISSIONS | BOT_PERMISSIONS),
      locale,
      guild_locale: Locale.EnglishUS,
      entitlements: [],
      authorizing_integration_owners: {},
      context: InteractionContextType.Guild,
      attachment_size_limit: 10_485_760,
    };
  }

  #trackInteraction(
    payload: { id: string; token: string; type: InteractionType; channel_id: string; guild_id: string; member: APIInteractionGuildMember },
    commandName: string | null,
    sourceMessageId: string | null,
  ): void {
    this.#world.interactions.set(payload.id, {
      id: payload.id,
      token: payload.token,
      type: payload.type,
      // The time in the snowflake, which a test may have dated back (ageMs).
      createdAt: Number((BigInt(payload.id) >> 22n) + DISCORD_EPOCH),
      channelId: payload.channel_id,
      guildId: payload.guild_id,
      user: payload.member.user,
      commandName,
      sourceMessageId,
      acknowledged: null,
      originalMessageId: null,
    });
  }
}
