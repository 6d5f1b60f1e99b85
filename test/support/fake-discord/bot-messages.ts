/**
 * Messages the bot creates, edits and deletes over REST (interaction responses, webhooks,
 * channel messages), echoed back over the gateway as Discord does.
 */
import { EmbedType, MessageFlags, MessageType, type APIEmbed, type APIMessage } from 'discord.js';
import type { FakeGateway } from './gateway.ts';
import { isRecord, messageFlags, nowIso, snowflake } from './protocol.ts';
import type { IncomingRequest } from './rest.ts';
import type { FakeWorld, InteractionState } from './world.ts';

export class BotMessages {
  readonly #world: FakeWorld;
  readonly #gateway: FakeGateway;
  /** Echo messages the bot creates/edits/deletes as MESSAGE_CREATE/UPDATE/DELETE. */
  readonly #echo: boolean;

  constructor(world: FakeWorld, gateway: FakeGateway, echo: boolean) {
    this.#world = world;
    this.#gateway = gateway;
    this.#echo = echo;
  }

  create(
    channelId: string,
    req: Pick<IncomingRequest, 'body' | 'files'>,
    extra: { interaction?: InteractionState; replyTo?: APIMessage; id?: string },
  ): APIMessage {
    const body = isRecord(req.body) ? req.body : {};
    const flags = typeof body.flags === 'number' ? body.flags : 0;
    const message = this.#world.buildMessage({
      channelId,
      author: this.#world.users.bot,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: Array.isArray(body.embeds) ? (body.embeds as APIEmbed[]).map((e) => ({ ...e, type: e.type ?? EmbedType.Rich })) : [],
      flags,
      ...(extra.replyTo ? { replyTo: extra.replyTo } : {}),
      ...(extra.interaction
        ? {
            webhookId: this.#world.applicationId,
            type: extra.interaction.commandName === null ? MessageType.Default : MessageType.ChatInputCommand,
          }
        : {}),
    });
    if (extra.id !== undefined) message.id = extra.id;
    if (Array.isArray(body.components)) message.components = body.components as NonNullable<APIMessage['components']>;
    message.attachments = req.files.map((file) => {
      const attachmentId = snowflake();
      return {
        id: attachmentId,
        filename: file.filename,
        size: file.size,
        url: `https://cdn.fake-discord.invalid/attachments/${channelId}/${attachmentId}/${file.filename}`,
        proxy_url: `https://media.fake-discord.invalid/attachments/${channelId}/${attachmentId}/${file.filename}`,
        content_type: file.contentType,
      };
    });
    if (extra.interaction) {
      message.application_id = this.#world.applicationId;
      message.interaction_metadata = {
        id: extra.interaction.id,
        type: extra.interaction.type,
        user: extra.interaction.user,
        authorizing_integration_owners: {},
      } as NonNullable<APIMessage['interaction_metadata']>;
    }
    this.#world.storeMessage(message);
    const ephemeral = (flags & MessageFlags.Ephemeral) !== 0;
    if (this.#echo && !ephemeral && this.#gateway.session) {
      const found = this.#world.findChannel(channelId);
      const member = found ? this.#world.memberOf(found.guild, this.#world.users.bot.id) : undefined;
      this.#gateway.dispatchMessageCreate({
        ...message,
        mentions: [],
        ...(found ? { guild_id: found.guild.ids.guild } : {}),
        ...(member ? { member: this.#world.partialMember(member) } : {}),
      });
    }
    return message;
  }

  edit(message: APIMessage, req: Pick<IncomingRequest, 'body' | 'files'>): APIMessage {
    const body = isRecord(req.body) ? req.body : {};
    if (typeof body.content === 'string' || body.content === null) message.content = body.content ?? '';
    if (Array.isArray(body.embeds)) message.embeds = (body.embeds as APIEmbed[]).map((e) => ({ ...e, type: e.type ?? EmbedType.Rich }));
    if (Array.isArray(body.components)) message.components = body.components as NonNullable<APIMessage['components']>;
    let flags: number = message.flags ?? 0;
    if (typeof body.flags === 'number') flags = (flags & MessageFlags.Ephemeral) | body.flags;
    message.flags = messageFlags(flags & ~MessageFlags.Loading);
    message.edited_timestamp = nowIso();
    if (this.#echo && ((message.flags ?? 0) & MessageFlags.Ephemeral) === 0) {
      this.#gateway.dispatchIfSession('MESSAGE_UPDATE', { ...message, ...this.#world.guildIdOf(message.channel_id) });
    }
    return message;
  }

  delete(message: APIMessage): void {
    this.#world.messages.delete(message.id);
    if (this.#echo) {
      this.#gateway.dispatchIfSession('MESSAGE_DELETE', {
        id: message.id,
        channel_id: message.channel_id,
        ...this.#world.guildIdOf(message.channel_id),
      });
    }
  }
}
