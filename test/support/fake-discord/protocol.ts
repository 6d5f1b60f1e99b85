/**
 * Discord's vocabulary as the fake speaks it: snowflakes, error answers, gateway opcodes, flag
 * and permission constants, and small value helpers.
 */
import {
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
  type ApplicationFlags,
  type ChannelFlags,
  type GuildMemberFlags,
  type GuildSystemChannelFlags,
  type MessageFlags,
  type RoleFlags,
  type UserFlags,
} from 'discord.js';
import type { FakeResponse } from './types.ts';

/** Discord's epoch (1 Jan 2015) in ms, as a bigint for snowflake arithmetic. */
export const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeIncrement = 0n;

/** A fresh, increasing, realistic snowflake string. */
export function snowflake(at: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

/** A Discord JSON error answer. */
export function discordError(status: number, code: number, message: string, errors?: unknown): FakeResponse {
  return { status, body: errors === undefined ? { code, message } : { code, message, errors } };
}

export const DiscordErrors = {
  unknownInteraction: discordError(404, 10062, 'Unknown interaction'),
  alreadyAcknowledged: discordError(400, 40060, 'Interaction has already been acknowledged.'),
  unknownMessage: discordError(404, 10008, 'Unknown Message'),
  unknownChannel: discordError(404, 10003, 'Unknown Channel'),
  unknownWebhook: discordError(404, 10015, 'Unknown Webhook'),
  missingAccess: discordError(403, 50001, 'Missing Access'),
  missingPermissions: discordError(403, 50013, 'Missing Permissions'),
  emptyMessage: discordError(400, 50006, 'Cannot send an empty message'),
  serverError: discordError(500, 0, '500: Internal Server Error'),
} as const satisfies Record<string, FakeResponse>;

/** A 429 answer that discord.js honours (it waits `retryAfterSeconds` and retries). */
export function rateLimited(retryAfterSeconds: number, global = false): FakeResponse {
  return {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global },
    headers: {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
      'x-ratelimit-scope': global ? 'global' : 'user',
      ...(global ? { 'x-ratelimit-global': 'true' } : {}),
    },
  };
}

export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);
export const MEMBER_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak;
export const MODERATOR_PERMISSIONS =
  PermissionFlagsBits.ManageMessages |
  PermissionFlagsBits.ManageThreads |
  PermissionFlagsBits.KickMembers |
  PermissionFlagsBits.ModerateMembers;
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis;
export const NO_CONTENT: FakeResponse = { status: 204 };
/* eslint-disable @typescript-eslint/no-unsafe-enum-assignment -- discord-api-types types bitfields as
   enums without a zero member; Discord sends plain integers (0 = no flags). The only number->flags casts. */
export const NO_CHANNEL_FLAGS = 0 as ChannelFlags;
export const NO_ROLE_FLAGS = 0 as RoleFlags;
export const NO_MEMBER_FLAGS = 0 as GuildMemberFlags;
export const NO_SYSTEM_CHANNEL_FLAGS = 0 as GuildSystemChannelFlags;
export const NO_USER_FLAGS = 0 as UserFlags;
export const NO_APPLICATION_FLAGS = 0 as ApplicationFlags;
export function messageFlags(bits: number): MessageFlags {
  return bits;
}
/* eslint-enable @typescript-eslint/no-unsafe-enum-assignment */

/** Gateway opcodes as plain numbers (payloads arrive as numbers). */
export const OP = {
  dispatch: 0,
  heartbeat: 1,
  identify: 2,
  resume: 6,
  reconnect: 7,
  requestGuildMembers: 8,
  invalidSession: 9,
  hello: 10,
  heartbeatAck: 11,
} as const;
export const json = (body: unknown, status = 200): FakeResponse => ({ status, body });

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringify(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

export function archiveDuration(value: unknown): ThreadAutoArchiveDuration {
  const byMinutes: Partial<Record<number, ThreadAutoArchiveDuration>> = {
    60: ThreadAutoArchiveDuration.OneHour,
    1440: ThreadAutoArchiveDuration.OneDay,
    4320: ThreadAutoArchiveDuration.ThreeDays,
    10080: ThreadAutoArchiveDuration.OneWeek,
  };
  return byMinutes[Number(value)] ?? ThreadAutoArchiveDuration.OneDay;
}

export function permissionString(value: bigint | string): string {
  return typeof value === 'bigint' ? value.toString() : value;
}

export function nowIso(): string {
  return new Date().toISOString();
}
