/**
 * The REST routes the fake answers: users and application, command registration, interaction
 * callbacks and webhooks (with the 3 s deadline and double-acknowledgement errors), channels,
 * messages, reactions, threads and guilds.
 */
import {
  ChannelType,
  GatewayIntentBits,
  InteractionType,
  MessageFlags,
  type APIMessage,
  type APIThreadChannel,
  type APIUser,
} from 'discord.js';
import type { BotMessages } from './bot-messages.ts';
import type { FakeGateway } from './gateway.ts';
import {
  DiscordErrors,
  NO_CHANNEL_FLAGS,
  NO_CONTENT,
  archiveDuration,
  discordError,
  isRecord,
  json,
  nowIso,
  snowflake,
} from './protocol.ts';
import type { FakeRest, IncomingRequest } from './rest.ts';
import type { FakeGuild, FakeResponse } from './types.ts';
import type { FakeWorld, InteractionState } from './world.ts';

export class DiscordRoutes {
  readonly #world: FakeWorld;
  readonly #gateway: FakeGateway;
  readonly #messages: BotMessages;
  /** Initial interaction responses later than this fail with 10062 (null: never). */
  readonly #interactionDeadlineMs: number | null;

  constructor(world: FakeWorld, gateway: FakeGateway, messages: BotMessages, interactionDeadlineMs: number | null) {
    this.#world = world;
    this.#gateway = gateway;
    this.#messages = messages;
    this.#interactionDeadlineMs = interactionDeadlineMs;
  }

  /** Adds every route the fake answers to `rest`. */
  register(rest: FakeRest): void {
    const p = (params: Readonly<Record<string, string>>, name: string): string => params[name] ?? '';
    rest.route('GET', '/users/@me', () => json({ ...this.#world.users.bot, verified: true, mfa_enabled: false, flags: 0 }));
    rest.route('GET', '/users/:userId', (_req, params) => {
      const all: APIUser[] = [
        this.#world.users.bot,
        this.#world.users.member,
        this.#world.users.moderator,
        this.#world.users.admin,
        this.#world.users.otherBot,
      ];
      const user = all.find((u) => u.id === p(params, 'userId'));
      return user ? json(user) : discordError(404, 10013, 'Unknown User');
    });
    const application = (): FakeResponse =>
      json({
        id: this.#world.applicationId,
        name: this.#world.botName,
        icon: null,
        description: '',
        bot_public: false,
        bot_require_code_grant: false,
        verify_key: '0'.repeat(64),
        flags: 0,
        team: null,
        owner: this.#world.users.admin,
        bot: this.#world.users.bot,
      });
    rest.route('GET', '/applications/@me', application);
    rest.route('GET', '/oauth2/applications/@me', application);

    // Commands
    const setCommands =
      (key: string) =>
      (req: IncomingRequest, params: Readonly<Record<string, string>>): FakeResponse => {
        if (p(params, 'appId') !== this.#world.applicationId) return discordError(404, 10002, 'Unknown Application');
        if (!Array.isArray(req.body)) return discordError(400, 50035, 'Invalid Form Body');
        const guildId = key === 'guild' ? p(params, 'guildId') : undefined;
        const saved = (req.body as unknown[]).filter(isRecord).map((c) => this.#world.savedCommand(c, guildId));
        this.#world.commands.set(guildId ?? 'global', saved);
        return json(saved);
      };
    rest.route('PUT', '/applications/:appId/commands', setCommands('global'));
    rest.route('PUT', '/applications/:appId/guilds/:guildId/commands', setCommands('guild'));
    rest.route('GET', '/applications/:appId/commands', () => json(this.#world.commands.get('global') ?? []));
    rest.route('GET', '/applications/:appId/guilds/:guildId/commands', (_req, params) =>
      json(this.#world.commands.get(p(params, 'guildId')) ?? []),
    );
    const upsertCommand = (req: IncomingRequest, params: Readonly<Record<string, string>>): FakeResponse => {
      if (!isRecord(req.body)) return discordError(400, 50035, 'Invalid Form Body');
      const guildId = params.guildId;
      const key = guildId ?? 'global';
      const saved = this.#world.savedCommand(req.body, guildId);
      const list = (this.#world.commands.get(key) ?? []).filter((c) => c.name !== saved.name);
      this.#world.commands.set(key, [...list, saved]);
      return json(saved, 201);
    };
    rest.route('POST', '/applications/:appId/commands', upsertCommand);
    rest.route('POST', '/applications/:appId/guilds/:guildId/commands', upsertCommand);

    // Interactions
    rest.route(
      'POST',
      '/interactions/:id/:token/callback',
      (req, params) => this.#callback(req, p(params, 'id'), p(params, 'token')),
      false,
    );
    rest.route(
      'GET',
      '/webhooks/:appId/:token/messages/:messageId',
      (_req, params) => this.#onWebhookMessage(params, (message) => json(message)),
      false,
    );
    rest.route(
      'PATCH',
      '/webhooks/:appId/:token/messages/:messageId',
      (req, params) => this.#onWebhookMessage(params, (message) => json(this.#messages.edit(message, req))),
      false,
    );
    rest.route(
      'DELETE',
      '/webhooks/:appId/:token/messages/:messageId',
      (_req, params) =>
        this.#onWebhookMessage(params, (message) => {
          this.#messages.delete(message);
          return NO_CONTENT;
        }),
      false,
    );
    rest.route(
      'POST',
      '/webhooks/:appId/:token',
      (req, params) => {
        const state = this.#world.interactionByWebhook(params);
        if (!state) return DiscordErrors.unknownWebhook;
        if (state.acknowledged === null) return DiscordErrors.unknownWebhook;
        const message = this.#messages.create(state.channelId, req, { interaction: state });
        state.originalMessageId ??= message.id;
        return json(message);
      },
      false,
    );

    // Channels & messages
    rest.route('GET', '/channels/:channelId', (_req, params) => {
      const found = this.#world.findChannel(p(params, 'channelId'));
      return found ? json(found.channel) : DiscordErrors.unknownChannel;
    });
    rest.route('POST', '/channels/:channelId/messages', (req, params) => {
      const channelId = p(params, 'channelId');
      const found = this.#world.findChannel(channelId);
      if (!found) return DiscordErrors.unknownChannel;
      if (found.channel.type === ChannelType.GuildForum || found.channel.type === ChannelType.GuildCategory) {
        return discordError(400, 50008, 'Cannot send messages in a non-text channel');
      }
      const body = isRecord(req.body) ? req.body : {};
      const hasContent = ['content', 'embeds', 'components', 'sticker_ids', 'poll', 'attachments'].some((k) => {
        const v = body[k];
        return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && v !== '';
      });
      if (!hasContent && req.files.length === 0) return DiscordErrors.emptyMessage;
      const reference = isRecord(body.message_reference) ? body.message_reference : null;
      const referenced = reference && typeof reference.message_id === 'string' ? this.#world.messages.get(reference.message_id) : undefined;
      if (reference && !referenced && reference.fail_if_not_exists !== false) {
        return discordError(400, 50035, 'Invalid Form Body', {
          message_reference: { _errors: [{ code: 'REPLIES_UNKNOWN_MESSAGE', message: 'Unknown message' }] },
        });
      }
      return json(this.#messages.create(channelId, req, referenced ? { replyTo: referenced } : {}));
    });
    rest.route('GET', '/channels/:channelId/messages', (req, params) => {
      const channelId = p(params, 'channelId');
      if (!this.#world.findChannel(channelId)) return DiscordErrors.unknownChannel;
      const limit = Math.min(100, Number(req.query.limit ?? 50));
      const list = [...this.#world.messages.values()]
        .filter((m) => m.channel_id === channelId)
        .reverse()
        .slice(0, limit);
      return json(list);
    });
    rest.route('GET', '/channels/:channelId/messages/:messageId', (_req, params) => {
      const message = this.#world.messages.get(p(params, 'messageId'));
      return message?.channel_id === p(params, 'channelId') ? json(message) : DiscordErrors.unknownMessage;
    });
    rest.route('PATCH', '/channels/:channelId/messages/:messageId', (req, params) => {
      const message = this.#world.messages.get(p(params, 'messageId'));
      if (message?.channel_id !== p(params, 'channelId')) return DiscordErrors.unknownMessage;
      if (message.author.id !== this.#world.users.bot.id) return discordError(403, 50005, 'Cannot edit a message authored by another user');
      return json(this.#messages.edit(message, req));
    });
    rest.route('DELETE', '/channels/:channelId/messages/:messageId', (_req, params) => {
      const message = this.#world.messages.get(p(params, 'messageId'));
      if (message?.channel_id !== p(params, 'channelId')) return DiscordErrors.unknownMessage;
      this.#messages.delete(message);
      return NO_CONTENT;
    });
    rest.route('POST', '/channels/:channelId/typing', (_req, params) =>
      this.#world.findChannel(p(params, 'channelId')) ? NO_CONTENT : DiscordErrors.unknownChannel,
    );
    const reaction = (_req: IncomingRequest, params: Readonly<Record<string, string>>): FakeResponse => {
      const message = this.#world.messages.get(p(params, 'messageId'));
      if (!this.#world.findChannel(p(params, 'channelId'))) return DiscordErrors.unknownChannel;
      if (message && message.channel_id !== p(params, 'channelId')) return DiscordErrors.unknownMessage;
      return NO_CONTENT;
    };
    rest.route('PUT', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', reaction);
    rest.route('DELETE', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', reaction);
    rest.route('POST', '/channels/:channelId/threads', (req, params) => this.#createThread(req, p(params, 'channelId'), null));
    rest.route('POST', '/channels/:channelId/messages/:messageId/threads', (req, params) =>
      this.#createThread(req, p(params, 'channelId'), p(params, 'messageId')),
    );

    // Guilds
    const guildOf = (params: Readonly<Record<string, string>>): FakeGuild | undefined =>
      this.#world.guilds.find((g) => g.ids.guild === params.guildId);
    rest.route('GET', '/guilds/:guildId', (_req, params) => {
      const guild = guildOf(params);
      if (!guild) return discordError(404, 10004, 'Unknown Guild');
      const { members: _m, channels: _c, threads: _t, voice_states: _v, presences: _p, ...rest } = this.#world.guildCreate(guild);
      return json(rest);
    });
    rest.route('GET', '/guilds/:guildId/channels', (_req, params) => {
      const guild = guildOf(params);
      return guild ? json(guild.channels) : discordError(404, 10004, 'Unknown Guild');
    });
    rest.route('GET', '/guilds/:guildId/roles', (_req, params) => {
      const guild = guildOf(params);
      return guild ? json(guild.roles) : discordError(404, 10004, 'Unknown Guild');
    });
    rest.route('GET', '/guilds/:guildId/members/:userId', (_req, params) => {
      const guild = guildOf(params);
      if (!guild) return discordError(404, 10004, 'Unknown Guild');
      const member = this.#world.memberOf(guild, p(params, 'userId'));
      return member ? json(member) : discordError(404, 10007, 'Unknown Member');
    });
    rest.route('GET', '/guilds/:guildId/threads/active', (_req, params) => {
      const guild = guildOf(params);
      return guild
        ? json({ threads: guild.threads.filter((t) => !t.thread_metadata?.archived), members: [] })
        : discordError(404, 10004, 'Unknown Guild');
    });
  }

  /** Finds the message an interaction webhook route names, or answers as Discord does when it can't. */
  #onWebhookMessage(params: Readonly<Record<string, string>>, use: (message: APIMessage) => FakeResponse): FakeResponse {
    const state = this.#world.interactionByWebhook(params);
    if (!state) return DiscordErrors.unknownWebhook;
    const id = this.#webhookMessageId(state, params.messageId ?? '');
    const message = id === null ? undefined : this.#world.messages.get(id);
    return message ? use(message) : DiscordErrors.unknownMessage;
  }

  #webhookMessageId(state: InteractionState, messageId: string): string | null {
    return messageId === '@original' ? state.originalMessageId : messageId;
  }

  #callback(req: IncomingRequest, id: string, token: string): FakeResponse {
    const state = this.#world.interactions.get(id);
    if (state?.token !== token) return DiscordErrors.unknownInteraction;
    const deadline = this.#interactionDeadlineMs;
    if (state.acknowledged === null && deadline !== null && Date.now() - state.createdAt > deadline)
      return DiscordErrors.unknownInteraction;
    if (state.acknowledged !== null) return DiscordErrors.alreadyAcknowledged;
    const body = isRecord(req.body) ? req.body : {};
    const type = body.type;
    const data = isRecord(body.data) ? body.data : {};
    const allowed: Record<number, readonly number[]> = {
      [InteractionType.ApplicationCommand]: [4, 5, 9],
      [InteractionType.MessageComponent]: [4, 5, 6, 7, 9],
      [InteractionType.ApplicationCommandAutocomplete]: [8],
      [InteractionType.ModalSubmit]: [4, 5, 6, 7],
    };
    if (typeof type !== 'number' || !(allowed[state.type] ?? []).includes(type)) {
      return discordError(400, 50035, 'Invalid Form Body', {
        type: {
          _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: `Interaction response type ${String(type)} is not valid here` }],
        },
      });
    }
    let message: APIMessage | undefined;
    if (type === 4) {
      message = this.#messages.create(state.channelId, { ...req, body: data }, { interaction: state });
      state.originalMessageId = message.id;
    } else if (type === 5) {
      const flags = MessageFlags.Loading | (typeof data.flags === 'number' ? data.flags & MessageFlags.Ephemeral : 0);
      message = this.#messages.create(state.channelId, { ...req, body: { content: '', flags } }, { interaction: state });
      state.originalMessageId = message.id;
    } else if (type === 6 || type === 7) {
      state.originalMessageId = state.sourceMessageId;
      const source = state.sourceMessageId === null ? undefined : this.#world.messages.get(state.sourceMessageId);
      if (type === 7 && source) message = this.#messages.edit(source, { ...req, body: data });
      else message = source;
    }
    state.acknowledged = type;
    if (req.query.with_response !== 'true') return NO_CONTENT;
    return json({
      interaction: {
        id: state.id,
        type: state.type,
        response_message_id: message?.id,
        response_message_loading: type === 5,
        response_message_ephemeral: message ? ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0 : false,
      },
      resource: { type, ...(message ? { message } : {}) },
    });
  }

  #createThread(req: IncomingRequest, channelId: string, messageId: string | null): FakeResponse {
    const found = this.#world.findChannel(channelId);
    if (!found) return DiscordErrors.unknownChannel;
    const body = isRecord(req.body) ? req.body : {};
    if (typeof body.name !== 'string' || body.name === '') return discordError(400, 50035, 'Invalid Form Body');
    const isForum = found.channel.type === ChannelType.GuildForum;
    const id = messageId ?? snowflake();
    const at = nowIso();
    const thread: APIThreadChannel = {
      id,
      type: body.type === ChannelType.PrivateThread ? ChannelType.PrivateThread : ChannelType.PublicThread,
      guild_id: found.guild.ids.guild,
      parent_id: channelId,
      owner_id: this.#world.users.bot.id,
      name: body.name,
      last_message_id: null,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      rate_limit_per_user: 0,
      flags: NO_CHANNEL_FLAGS,
      ...(Array.isArray(body.applied_tags) ? { applied_tags: body.applied_tags as string[] } : {}),
      thread_metadata: {
        archived: false,
        auto_archive_duration: archiveDuration(body.auto_archive_duration),
        archive_timestamp: at,
        locked: false,
        create_timestamp: at,
      },
    };
    found.guild.threads.push(thread);
    if (this.#gateway.session && this.#gateway.hasIntent(GatewayIntentBits.Guilds))
      this.#gateway.dispatchIfSession('THREAD_CREATE', { ...thread, newly_created: true });
    if (isForum && isRecord(body.message)) {
      const starter = this.#messages.create(id, { body: body.message, files: req.files }, { id });
      return json({ ...thread, message: starter }, 201);
    }
    return json(thread, 201);
  }
}
