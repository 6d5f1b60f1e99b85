/**
 * The world the fake keeps: users, guilds with their roles, members, channels and threads, the
 * messages it knows, the commands registered and the interactions dispatched.
 */
import {
  ApplicationCommandType,
  ChannelType,
  ForumLayoutType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  InteractionType,
  Locale,
  MessageReferenceType,
  MessageType,
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIGuildCategoryChannel,
  type APIGuildForumChannel,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  type GatewayGuildCreateDispatchData,
} from 'discord.js';
import {
  BOT_PERMISSIONS,
  MEMBER_PERMISSIONS,
  MODERATOR_PERMISSIONS,
  NO_CHANNEL_FLAGS,
  NO_MEMBER_FLAGS,
  NO_ROLE_FLAGS,
  NO_SYSTEM_CHANNEL_FLAGS,
  messageFlags,
  nowIso,
  snowflake,
} from './protocol.ts';
import type { FakeGuild, FakeGuildIds, FakeUsers, MessageAuthor } from './types.ts';

/** What the fake remembers about a dispatched interaction. */
export interface InteractionState {
  readonly id: string;
  readonly token: string;
  readonly type: InteractionType;
  readonly createdAt: number;
  readonly channelId: string;
  readonly guildId: string;
  readonly user: APIUser;
  readonly commandName: string | null;
  /** The message of a component interaction. */
  readonly sourceMessageId: string | null;
  acknowledged: number | null;
  originalMessageId: string | null;
}

export interface ChannelLookup {
  readonly guild: FakeGuild;
  readonly channel: FakeGuild['channels'][number] | APIThreadChannel;
}

export class FakeWorld {
  readonly users: FakeUsers;
  readonly guilds: readonly FakeGuild[];
  readonly applicationId: string;
  readonly botName: string;
  /** Messages known to the fake (created by helpers or by the bot), by id. */
  readonly messages = new Map<string, APIMessage>();
  /** Commands registered through PUT .../commands: key 'global' or a guild id. */
  readonly commands = new Map<string, Record<string, unknown>[]>();
  /** Dispatched interactions by id. */
  readonly interactions = new Map<string, InteractionState>();
  readonly #commandIds = new Map<string, string>();

  constructor(botName: string, guildCount: number) {
    this.botName = botName;
    const user = (username: string, globalName: string | null, extra: Partial<APIUser> = {}): APIUser => ({
      id: snowflake(),
      username,
      discriminator: '0',
      global_name: globalName,
      avatar: null,
      ...extra,
    });
    this.users = {
      bot: user(botName.toLowerCase(), null, { username: botName, discriminator: '4242', bot: true }),
      member: user('alice', 'Alice'),
      moderator: user('carol', 'Carol (mod)'),
      admin: user('bob', 'Bob (admin)'),
      otherBot: user('OtherBot', null, { discriminator: '1337', bot: true }),
    };
    this.applicationId = this.users.bot.id;
    const createdAt = Date.now();
    this.guilds = Array.from({ length: guildCount }, (_, i) => this.#buildGuild(i, createdAt));
  }

  /** The first guild. */
  get guild(): FakeGuild {
    const first = this.guilds[0];
    if (!first) throw new Error('fake-discord: no guilds');
    return first;
  }

  #buildGuild(index: number, guildsCreatedAt: number): FakeGuild {
    // Created a millisecond apart, so consecutive guilds fall on different shards of a sharded client.
    const guildId = snowflake(guildsCreatedAt + index);
    const ids: FakeGuildIds = {
      guild: guildId,
      channels: { category: snowflake(), general: snowflake(), threadParent: snowflake(), forum: snowflake(), thread: snowflake() },
      roles: { everyone: guildId, admin: snowflake(), moderator: snowflake(), bot: snowflake() },
      forumTags: { question: snowflake(), answered: snowflake() },
    };
    const role = (id: string, name: string, permissions: bigint, position: number, managedByBot = false): APIRole => ({
      id,
      name,
      // APIRole still requires the deprecated `color`, and Discord still sends it.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position,
      permissions: permissions.toString(),
      managed: false,
      mentionable: false,
      flags: NO_ROLE_FLAGS,
      ...(managedByBot ? { managed: true, tags: { bot_id: this.users.bot.id } } : {}),
    });
    const roles = [
      role(ids.roles.everyone, '@everyone', MEMBER_PERMISSIONS, 0),
      role(ids.roles.moderator, 'Moderator', MODERATOR_PERMISSIONS, 1),
      role(ids.roles.admin, 'Admin', PermissionFlagsBits.Administrator, 2),
      role(ids.roles.bot, this.botName, BOT_PERMISSIONS, 3, true),
    ];
    const joinedAt = new Date(Date.now() - 86_400_000).toISOString();
    const member = (user: APIUser, memberRoles: string[]): APIGuildMember => ({
      user,
      nick: null,
      avatar: null,
      banner: null,
      roles: memberRoles,
      joined_at: joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: NO_MEMBER_FLAGS,
      pending: false,
      communication_disabled_until: null,
    });
    const members = [
      member(this.users.bot, [ids.roles.bot]),
      member(this.users.member, []),
      member(this.users.moderator, [ids.roles.moderator]),
      member(this.users.admin, [ids.roles.admin]),
      member(this.users.otherBot, []),
    ];
    const text = (id: string, name: string, position: number): APITextChannel => ({
      id,
      type: ChannelType.GuildText,
      guild_id: guildId,
      name,
      position,
      parent_id: ids.channels.category,
      topic: null,
      nsfw: false,
      last_message_id: null,
      last_pin_timestamp: null,
      rate_limit_per_user: 0,
      default_auto_archive_duration: ThreadAutoArchiveDuration.OneDay,
      default_thread_rate_limit_per_user: 0,
      permission_overwrites: [],
      flags: NO_CHANNEL_FLAGS,
    });
    const category: APIGuildCategoryChannel = {
      id: ids.channels.category,
      type: ChannelType.GuildCategory,
      guild_id: guildId,
      name: 'Factdesk',
      position: 0,
      parent_id: null,
      nsfw: false,
      permission_overwrites: [],
      flags: NO_CHANNEL_FLAGS,
    };
    const forum: APIGuildForumChannel = {
      id: ids.channels.forum,
      type: ChannelType.GuildForum,
      guild_id: guildId,
      name: 'ask-the-archive',
      position: 3,
      parent_id: ids.channels.category,
      topic: 'One question per post',
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      default_auto_archive_duration: ThreadAutoArchiveDuration.ThreeDays,
      default_thread_rate_limit_per_user: 0,
      permission_overwrites: [],
      flags: NO_CHANNEL_FLAGS,
      available_tags: [
        { id: ids.forumTags.question, name: 'question', moderated: false, emoji_id: null, emoji_name: null },
        { id: ids.forumTags.answered, name: 'answered', moderated: false, emoji_id: null, emoji_name: '✅' },
      ],
      default_reaction_emoji: null,
      default_sort_order: null,
      default_forum_layout: ForumLayoutType.NotSet,
    };
    const createdAt = joinedAt;
    const thread: APIThreadChannel = {
      id: ids.channels.thread,
      type: ChannelType.PublicThread,
      guild_id: guildId,
      parent_id: ids.channels.threadParent,
      owner_id: this.users.member.id,
      name: 'an existing thread',
      last_message_id: null,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      rate_limit_per_user: 0,
      flags: NO_CHANNEL_FLAGS,
      thread_metadata: {
        archived: false,
        auto_archive_duration: ThreadAutoArchiveDuration.OneDay,
        archive_timestamp: createdAt,
        locked: false,
        create_timestamp: createdAt,
      },
    };
    return {
      ids,
      name: index === 0 ? 'Fake Newsroom' : `Fake Newsroom ${index + 1}`,
      roles,
      members,
      channels: [category, text(ids.channels.general, 'general', 1), text(ids.channels.threadParent, 'research', 2), forum],
      threads: [thread],
    };
  }

  guildCreate(guild: FakeGuild): GatewayGuildCreateDispatchData {
    return {
      id: guild.ids.guild,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.users.admin.id,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: GuildVerificationLevel.None,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.Disabled,
      roles: guild.roles,
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: GuildMFALevel.None,
      application_id: null,
      system_channel_id: guild.ids.channels.general,
      system_channel_flags: NO_SYSTEM_CHANNEL_FLAGS,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: GuildPremiumTier.None,
      premium_subscription_count: 0,
      preferred_locale: Locale.EnglishUS,
      public_updates_channel_id: null,
      nsfw_level: GuildNSFWLevel.Default,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      hub_type: null,
      incidents_data: null,
      max_members: 500_000,
      max_video_channel_users: 25,
      joined_at: new Date(Date.now() - 86_400_000).toISOString(),
      large: false,
      unavailable: false,
      member_count: guild.members.length,
      voice_states: [],
      members: guild.members,
      channels: guild.channels,
      threads: guild.threads.filter((t) => !t.thread_metadata?.archived),
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  channel(channelId: string): ChannelLookup {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((c) => c.id === channelId) ?? guild.threads.find((t) => t.id === channelId);
      if (channel) return { guild, channel };
    }
    throw new Error(`fake-discord: unknown channel ${channelId}`);
  }

  findChannel(channelId: string): ChannelLookup | null {
    try {
      return this.channel(channelId);
    } catch {
      return null;
    }
  }

  memberOf(guild: FakeGuild, userId: string): APIGuildMember | undefined {
    return guild.members.find((m) => m.user.id === userId);
  }

  partialMember(member: APIGuildMember): Omit<APIGuildMember, 'user'> {
    const { user: _user, ...rest } = member;
    return rest;
  }

  resolveAuthor(author: MessageAuthor): APIUser {
    if (typeof author !== 'string') return author;
    if (author === 'self') return this.users.bot;
    return this.users[author];
  }

  commandId(name: string, guildId: string): string {
    const registered = [...(this.commands.get(guildId) ?? []), ...(this.commands.get('global') ?? [])].find((c) => c.name === name);
    if (registered && typeof registered.id === 'string') return registered.id;
    let id = this.#commandIds.get(name);
    if (id === undefined) {
      id = snowflake();
      this.#commandIds.set(name, id);
    }
    return id;
  }

  buildMessage(input: {
    channelId: string;
    author: APIUser;
    content: string;
    mentions?: APIUser[];
    embeds?: APIEmbed[];
    components?: APIActionRowComponent<APIButtonComponentWithCustomId>[];
    webhookId?: string;
    replyTo?: APIMessage;
    type?: MessageType;
    flags?: number;
  }): APIMessage {
    const message: APIMessage = {
      id: snowflake(),
      channel_id: input.channelId,
      author: input.author,
      content: input.content,
      timestamp: nowIso(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: input.mentions ?? [],
      mention_roles: [],
      attachments: [],
      embeds: input.embeds ?? [],
      pinned: false,
      type: input.type ?? (input.replyTo ? MessageType.Reply : MessageType.Default),
      flags: messageFlags(input.flags ?? 0),
      components: input.components ?? [],
    };
    if (input.webhookId !== undefined) message.webhook_id = input.webhookId;
    if (input.replyTo) {
      message.message_reference = {
        type: MessageReferenceType.Default,
        message_id: input.replyTo.id,
        channel_id: input.replyTo.channel_id,
        ...this.guildIdOf(input.replyTo.channel_id),
      };
      message.referenced_message = input.replyTo;
    }
    return message;
  }

  guildIdOf(channelId: string): { guild_id?: string } {
    const found = this.findChannel(channelId);
    return found ? { guild_id: found.guild.ids.guild } : {};
  }

  storeMessage<M extends APIMessage>(message: M): M {
    this.messages.set(message.id, message);
    const found = this.findChannel(message.channel_id);
    if (found && 'last_message_id' in found.channel) found.channel.last_message_id = message.id;
    return message;
  }

  savedCommand(input: Record<string, unknown>, guildId: string | undefined): Record<string, unknown> {
    const name = typeof input.name === 'string' ? input.name : 'unnamed';
    const existing = this.#commandIds.get(name);
    const id = existing ?? snowflake();
    this.#commandIds.set(name, id);
    return {
      type: ApplicationCommandType.ChatInput,
      description: '',
      options: [],
      default_member_permissions: null,
      nsfw: false,
      contexts: null,
      integration_types: [0],
      ...input,
      id,
      application_id: this.applicationId,
      version: snowflake(),
      ...(guildId === undefined ? {} : { guild_id: guildId }),
    };
  }

  interactionByWebhook(params: Readonly<Record<string, string>>): InteractionState | undefined {
    if (params.appId !== this.applicationId) return undefined;
    const token = params.token;
    return [...this.interactions.values()].find((s) => s.token === token);
  }
}
