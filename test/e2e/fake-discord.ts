/**
 * A protocol-level fake of Discord for end-to-end tests: the real discord.js client connects to
 * it like to Discord (REST under /api/v10 + a JSON, uncompressed Gateway), on 127.0.0.1 only.
 *
 *   const fake = new FakeDiscord();
 *   const { restUrl } = await fake.start();
 *   const client = new Client({ intents, rest: { api: restUrl } });   // restUrl = http://127.0.0.1:PORT/api
 *   client.once('ready', ...);  await client.login('any-token');
 *   const i = fake.slashCommand({ name: 'ask', options: { question: 'why?' } });
 *   const req = await fake.waitForRequest(routes.callback(i));
 *   ...
 *   await client.destroy();  await fake.close();
 *
 * What it models (learned against discord.js 14.28.1):
 *   - GET /gateway/bot points the client at the fake gateway; HELLO, IDENTIFY -> READY + one
 *     GUILD_CREATE per guild (else READY waits `waitGuildTimeout`, 15 s), heartbeats, RESUME with
 *     replay of missed dispatches and RESUMED, server-side closes.
 *   - intents: MESSAGE_CREATE needs GuildMessages; without MessageContent the content, embeds,
 *     attachments and components of other users' messages are blanked unless the bot is mentioned.
 *   - interactions: a response after `interactionDeadlineMs` (3 s, as on Discord) or a second
 *     response fail with 10062 / 40060; editReply/followUp work through the interaction token.
 *   - messages the bot creates are echoed back as MESSAGE_CREATE (as Discord does, so a bot that
 *     does not ignore its own messages shows it), edits as MESSAGE_UPDATE.
 * Payloads carry the fields discord.js needs (INTERACTION_CREATE without `entitlements` and
 * `authorizing_integration_owners` is dropped silently; a MESSAGE_CREATE in a channel the guild
 * did not list is dropped too).
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
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
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
  EmbedType,
  ForumLayoutType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  MessageReferenceType,
  ThreadAutoArchiveDuration,
  type APIActionRowComponent,
  type ApplicationFlags,
  type ChannelFlags,
  type GuildMemberFlags,
  type GuildSystemChannelFlags,
  type RoleFlags,
  type UserFlags,
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIButtonComponentWithCustomId,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIEmbed,
  type APIGuildCategoryChannel,
  type APIGuildForumChannel,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageApplicationCommandGuildInteraction,
  type APIMessageComponentButtonInteraction,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type GatewayMessageCreateDispatchData,
  type GatewayReadyDispatchData,
  type GatewayThreadCreateDispatchData,
} from 'discord.js';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface FakeDiscordOptions {
  /** HELLO heartbeat_interval in ms (default 45000). */
  readonly heartbeatIntervalMs?: number;
  /** When set, REST Authorization (`Bot <token>`), IDENTIFY and RESUME must use this token. */
  readonly token?: string;
  /** Number of guilds (default 1); all share the same layout, `fake.guild` is the first one. */
  readonly guildCount?: number;
  /** Initial interaction responses later than this fail with 10062 (default 3000; null: never). */
  readonly interactionDeadlineMs?: number | null;
  /** Echo messages the bot creates/edits/deletes as MESSAGE_CREATE/UPDATE/DELETE (default true). */
  readonly echoBotMessages?: boolean;
  /** Name of the bot user (default "Factdesk"). */
  readonly botName?: string;
}

export interface FakeDiscordEndpoints {
  readonly restPort: number;
  readonly gatewayPort: number;
  /** Base for discord.js: `new Client({ rest: { api: restUrl } })`, e.g. http://127.0.0.1:1234/api */
  readonly restUrl: string;
  readonly gatewayUrl: string;
}

export interface RecordedFile {
  readonly field: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly data: Buffer;
}

/** One HTTP request the client sent (GET /gateway/bot excluded), with the fake's answer. */
export interface RecordedRequest {
  /** 1-based order of arrival; compare with `fake.mark()`. */
  readonly seq: number;
  readonly at: number;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Decoded route path without the /api/vN prefix and query, e.g. `/webhooks/1/tok/messages/@original`. */
  readonly path: string;
  /** The path as received (with prefix, still percent-encoded, without query). */
  readonly rawPath: string;
  readonly apiVersion: number | null;
  readonly query: Readonly<Record<string, string>>;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string | null;
  /** Parsed JSON body; for multipart the parsed `payload_json`; undefined when there was none. */
  readonly body: unknown;
  readonly rawBody: Buffer;
  /** Non-file multipart fields (including payload_json as text). */
  readonly formFields: Readonly<Record<string, string>>;
  readonly files: readonly RecordedFile[];
  readonly response: { readonly status: number; readonly body: unknown };
}

export interface FakeResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Answer only after this many ms (to simulate a slow Discord). */
  readonly delayMs?: number;
}

export type RequestPredicate = (req: RecordedRequest) => boolean;
/**
 * A predicate, or method + path. A string path is exact (decoded) unless it contains `:name` or
 * `{name}` segments, which match one path segment each (`/interactions/:id/:token/callback`).
 */
export type RequestMatcher = RequestPredicate | { readonly method?: string; readonly path?: string | RegExp };

export interface WaitOptions {
  readonly timeoutMs?: number;
  /** Only consider requests with seq greater than this (see `mark()`); default 0 = all. */
  readonly after?: number;
}

export interface GatewayDispatch<D = unknown> {
  readonly op: 0;
  readonly t: string;
  readonly s: number;
  readonly d: D;
}

export interface ReceivedGatewayOp {
  readonly at: number;
  readonly op: number;
  readonly d: unknown;
  /** Which socket (1-based connection counter). */
  readonly connection: number;
}

export interface ResumeRecord {
  readonly at: number;
  readonly sessionId: string;
  readonly seq: number;
  readonly replayed: number;
  readonly url: string;
}

export type FakeActor = 'member' | 'moderator' | 'admin';

export interface InteractionContextOptions {
  /** Channel the interaction happens in (default: the first guild's `general`). */
  readonly channelId?: string;
  /** Which fake user acts (default 'member'); sets user, roles and permissions. */
  readonly as?: FakeActor;
  /** A custom user instead of a fake one. */
  readonly user?: APIUser;
  readonly roles?: readonly string[];
  /** Computed member permissions (bitfield); default from `as`. */
  readonly permissions?: bigint | string;
  /** The bot's permissions in the channel (default: the bot role's). */
  readonly appPermissions?: bigint | string;
  readonly locale?: Locale;
}

export type SlashOptionValue = string | number | boolean;
export type SlashOptions = Readonly<Record<string, SlashOptionValue>> | readonly APIApplicationCommandInteractionDataBasicOption[];

export interface SlashCommandOptions extends InteractionContextOptions {
  readonly name: string;
  /** `{ question: 'why?', limit: 3 }` (string -> STRING, integer -> INTEGER, other number -> NUMBER, boolean -> BOOLEAN) or raw options. */
  readonly options?: SlashOptions;
  readonly commandId?: string;
}

export interface AutocompleteOptions extends InteractionContextOptions {
  readonly name: string;
  readonly focused: { readonly name: string; readonly value: string | number };
  readonly options?: Readonly<Record<string, SlashOptionValue>>;
  readonly commandId?: string;
}

export interface ButtonPressOptions extends InteractionContextOptions {
  readonly customId: string;
  /** The message carrying the button (default: a new bot message with that button). */
  readonly message?: APIMessage;
}

export interface MessageCommandOptions extends InteractionContextOptions {
  readonly name: string;
  /** The targeted message (default: a new message by `targetAuthor` with `targetContent`). */
  readonly target?: APIMessage;
  readonly targetContent?: string;
  readonly targetAuthor?: MessageAuthor;
  readonly commandId?: string;
}

export type MessageAuthor = FakeActor | 'otherBot' | 'self' | APIUser;

export interface UserMessageOptions {
  readonly content: string;
  /** Default: the first guild's `general`. Threads and forum posts work too. */
  readonly channelId?: string;
  /** Default 'member'; 'otherBot' is another bot, 'self' the bot itself. */
  readonly author?: MessageAuthor;
  /** Makes this a webhook message: author is the webhook (a bot-flagged pseudo user). */
  readonly webhookId?: string;
  /** Prefix `<@bot>` (if missing) and add the bot to `mentions`. */
  readonly mentionBot?: boolean;
  readonly mentions?: readonly APIUser[];
  readonly embeds?: readonly APIEmbed[];
  /** Makes this a reply to that message. */
  readonly replyTo?: APIMessage;
}

export interface ForumPostOptions {
  readonly title: string;
  readonly content: string;
  /** Default: the first guild's forum. */
  readonly forumId?: string;
  readonly author?: MessageAuthor;
  /** Tag ids or names of the forum's available tags. */
  readonly tags?: readonly string[];
}

export interface ForumPost {
  readonly thread: GatewayThreadCreateDispatchData;
  readonly message: GatewayMessageCreateDispatchData;
}

export interface FakeGuildIds {
  readonly guild: string;
  readonly channels: {
    readonly category: string;
    readonly general: string;
    /** A text channel that holds `thread`. */
    readonly threadParent: string;
    readonly forum: string;
    /** An active public thread in `threadParent`, listed in GUILD_CREATE.threads. */
    readonly thread: string;
  };
  readonly roles: { readonly everyone: string; readonly admin: string; readonly moderator: string; readonly bot: string };
  readonly forumTags: { readonly question: string; readonly answered: string };
}

export interface FakeGuild {
  readonly ids: FakeGuildIds;
  readonly name: string;
  readonly roles: APIRole[];
  readonly members: APIGuildMember[];
  readonly channels: (APITextChannel | APIGuildCategoryChannel | APIGuildForumChannel)[];
  readonly threads: APIThreadChannel[];
}

export interface FakeUsers {
  readonly bot: APIUser;
  readonly member: APIUser;
  readonly moderator: APIUser;
  readonly admin: APIUser;
  readonly otherBot: APIUser;
}

// ---------------------------------------------------------------------------------------------
// Helpers exported for tests
// ---------------------------------------------------------------------------------------------

const DISCORD_EPOCH = 1_420_070_400_000n;
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

interface InteractionRef {
  readonly id: string;
  readonly token: string;
  readonly application_id: string;
}

/** Matchers for the requests a bot makes in answer to things. */
export const routes = {
  /** Initial response: reply (4), defer (5), deferUpdate (6), update (7), autocomplete (8), modal (9). */
  callback: (i: InteractionRef): RequestMatcher => ({ method: 'POST', path: `/interactions/${i.id}/${i.token}/callback` }),
  /** editReply */
  editOriginal: (i: InteractionRef): RequestMatcher => ({
    method: 'PATCH',
    path: `/webhooks/${i.application_id}/${i.token}/messages/@original`,
  }),
  /** deleteReply */
  deleteOriginal: (i: InteractionRef): RequestMatcher => ({
    method: 'DELETE',
    path: `/webhooks/${i.application_id}/${i.token}/messages/@original`,
  }),
  /** followUp */
  followUp: (i: InteractionRef): RequestMatcher => ({ method: 'POST', path: `/webhooks/${i.application_id}/${i.token}` }),
  /** Anything done with this interaction's id or token. */
  anyFor:
    (i: InteractionRef): RequestMatcher =>
    (req) =>
      req.path.includes(i.token) || req.path.includes(`/interactions/${i.id}/`),
  /** channel.send / message.reply */
  createMessage: (channelId: string): RequestMatcher => ({ method: 'POST', path: `/channels/${channelId}/messages` }),
  editMessage: (channelId: string, messageId: string): RequestMatcher => ({
    method: 'PATCH',
    path: `/channels/${channelId}/messages/${messageId}`,
  }),
  typing: (channelId: string): RequestMatcher => ({ method: 'POST', path: `/channels/${channelId}/typing` }),
  /** message.react (any emoji unless given; emoji as decoded in the path, e.g. "👍" or "name:id") */
  react: (channelId: string, messageId: string, emoji?: string): RequestMatcher =>
    emoji === undefined
      ? { method: 'PUT', path: new RegExp(`^/channels/${channelId}/messages/${messageId}/reactions/[^/]+/@me$`) }
      : { method: 'PUT', path: `/channels/${channelId}/messages/${messageId}/reactions/${emoji}/@me` },
  /** application.commands.set() (global) */
  setGlobalCommands: (applicationId: string): RequestMatcher => ({ method: 'PUT', path: `/applications/${applicationId}/commands` }),
  /** guild.commands.set() */
  setGuildCommands: (applicationId: string, guildId: string): RequestMatcher => ({
    method: 'PUT',
    path: `/applications/${applicationId}/guilds/${guildId}/commands`,
  }),
} as const;

export function matches(matcher: RequestMatcher, req: RecordedRequest): boolean {
  if (typeof matcher === 'function') return matcher(req);
  if (matcher.method !== undefined && matcher.method.toUpperCase() !== req.method) return false;
  const path = matcher.path;
  if (path === undefined) return true;
  if (path instanceof RegExp) return path.test(req.path);
  if (!/(^|\/)(:[^/]+|\{[^/]+\})(?=\/|$)/.test(path)) return path === req.path;
  const pattern = path
    .split('/')
    .map((seg) => (/^(:.+|\{.+\})$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`).test(req.path);
}

export function describeMatcher(matcher: RequestMatcher): string {
  if (typeof matcher === 'function') return matcher.name ? `predicate ${matcher.name}` : 'predicate';
  return `${matcher.method ?? 'ANY'} ${matcher.path === undefined ? '*' : String(matcher.path)}`;
}

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);
const MEMBER_PERMISSIONS =
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
const MODERATOR_PERMISSIONS =
  PermissionFlagsBits.ManageMessages |
  PermissionFlagsBits.ManageThreads |
  PermissionFlagsBits.KickMembers |
  PermissionFlagsBits.ModerateMembers;
const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis;

interface GatewaySession {
  readonly id: string;
  readonly token: string;
  readonly intents: number;
  seq: number;
  readonly log: GatewayDispatch[];
  socket: WebSocket | null;
}

interface InteractionState {
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

interface Override {
  readonly matcher: RequestMatcher;
  readonly response: FakeResponse | ((req: RecordedRequest) => FakeResponse | undefined);
  remaining: number;
}

interface ChannelLookup {
  readonly guild: FakeGuild;
  readonly channel: FakeGuild['channels'][number] | APIThreadChannel;
}

interface IncomingRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly files: readonly RecordedFile[];
}

type Handler = (req: IncomingRequest, params: Readonly<Record<string, string>>) => FakeResponse;

interface Route {
  readonly method: string;
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
  readonly auth: boolean;
}

const NO_CONTENT: FakeResponse = { status: 204 };
/* eslint-disable @typescript-eslint/no-unsafe-enum-assignment -- discord-api-types types bitfields as
   enums without a zero member; Discord sends plain integers (0 = no flags). The only number->flags casts. */
const NO_CHANNEL_FLAGS = 0 as ChannelFlags;
const NO_ROLE_FLAGS = 0 as RoleFlags;
const NO_MEMBER_FLAGS = 0 as GuildMemberFlags;
const NO_SYSTEM_CHANNEL_FLAGS = 0 as GuildSystemChannelFlags;
const NO_USER_FLAGS = 0 as UserFlags;
const NO_APPLICATION_FLAGS = 0 as ApplicationFlags;
function messageFlags(bits: number): MessageFlags {
  return bits;
}
/* eslint-enable @typescript-eslint/no-unsafe-enum-assignment */

/** Gateway opcodes as plain numbers (payloads arrive as numbers). */
const OP = {
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
const json = (body: unknown, status = 200): FakeResponse => ({ status, body });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringify(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function archiveDuration(value: unknown): ThreadAutoArchiveDuration {
  const byMinutes: Partial<Record<number, ThreadAutoArchiveDuration>> = {
    60: ThreadAutoArchiveDuration.OneHour,
    1440: ThreadAutoArchiveDuration.OneDay,
    4320: ThreadAutoArchiveDuration.ThreeDays,
    10080: ThreadAutoArchiveDuration.OneWeek,
  };
  return byMinutes[Number(value)] ?? ThreadAutoArchiveDuration.OneDay;
}

function permissionString(value: bigint | string): string {
  return typeof value === 'bigint' ? value.toString() : value;
}

function nowIso(): string {
  return new Date().toISOString();
}

function rawDataToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

interface MultipartPart {
  readonly name: string;
  readonly filename: string | null;
  readonly contentType: string;
  readonly data: Buffer;
}

/** A small multipart/form-data parser (enough for what undici's FormData produces). */
function parseMultipart(raw: Buffer, contentType: string): MultipartPart[] {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (boundary === undefined) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let index = raw.indexOf(delimiter);
  while (index !== -1) {
    const afterDelimiter = index + delimiter.length;
    if (raw.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const start = afterDelimiter + 2; // CRLF
    const next = raw.indexOf(delimiter, start);
    if (next === -1) break;
    const part = raw.subarray(start, next - 2); // without the CRLF before the next delimiter
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? (filename === null ? 'text/plain' : 'application/octet-stream');
    parts.push({ name, filename, contentType: type.trim(), data: Buffer.from(part.subarray(headerEnd + 4)) });
    index = next;
  }
  return parts;
}

function parseBody(raw: Buffer, contentType: string | null): { body: unknown; formFields: Record<string, string>; files: RecordedFile[] } {
  const formFields: Record<string, string> = {};
  const files: RecordedFile[] = [];
  if (raw.length === 0) return { body: undefined, formFields, files };
  const text = raw.toString('utf8');
  if (contentType?.startsWith('multipart/form-data')) {
    for (const part of parseMultipart(raw, contentType)) {
      if (part.filename === null) formFields[part.name] = part.data.toString('utf8');
      else
        files.push({ field: part.name, filename: part.filename, contentType: part.contentType, size: part.data.length, data: part.data });
    }
    const payload = formFields.payload_json;
    return { body: payload === undefined ? undefined : (JSON.parse(payload) as unknown), formFields, files };
  }
  if (contentType?.includes('json') ?? /^\s*[[{]/.test(text)) {
    try {
      return { body: JSON.parse(text) as unknown, formFields, files };
    } catch {
      return { body: text, formFields, files };
    }
  }
  return { body: text, formFields, files };
}

function inferOption(name: string, value: SlashOptionValue): APIApplicationCommandInteractionDataBasicOption {
  if (typeof value === 'string') return { name, type: ApplicationCommandOptionType.String, value };
  if (typeof value === 'boolean') return { name, type: ApplicationCommandOptionType.Boolean, value };
  return Number.isInteger(value)
    ? { name, type: ApplicationCommandOptionType.Integer, value }
    : { name, type: ApplicationCommandOptionType.Number, value };
}

function toOptions(options: SlashOptions | undefined): APIApplicationCommandInteractionDataBasicOption[] {
  if (options === undefined) return [];
  if (Array.isArray(options)) return [...(options as readonly APIApplicationCommandInteractionDataBasicOption[])];
  return Object.entries(options as Readonly<Record<string, SlashOptionValue>>).map(([name, value]) => inferOption(name, value));
}

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

export class FakeDiscord {
  readonly users: FakeUsers;
  readonly guilds: readonly FakeGuild[];
  readonly applicationId: string;
  /** Every recorded REST request, in order of arrival. */
  readonly requests: RecordedRequest[] = [];
  /** Every op the client sent over the gateway (heartbeats included). */
  readonly gatewayOps: ReceivedGatewayOp[] = [];
  /** Every dispatch sent (or queued for replay), across sessions. */
  readonly dispatches: GatewayDispatch[] = [];
  readonly resumes: ResumeRecord[] = [];
  /** Messages known to the fake (created by helpers or by the bot), by id. */
  readonly messages = new Map<string, APIMessage>();
  /** Commands registered through PUT .../commands: key 'global' or a guild id. */
  readonly commands = new Map<string, Record<string, unknown>[]>();

  readonly #options: Required<Omit<FakeDiscordOptions, 'token'>> & { token: string | null };
  readonly #events = new EventEmitter();
  readonly #interactions = new Map<string, InteractionState>();
  readonly #overrides: Override[] = [];
  readonly #routes: Route[] = [];
  readonly #sockets = new Set<WebSocket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #commandIds = new Map<string, string>();
  #session: GatewaySession | null = null;
  #identifyCount = 0;
  #connectionCount = 0;
  #rest: Server | null = null;
  #gatewayHttp: Server | null = null;
  #wss: WebSocketServer | null = null;
  #endpoints: FakeDiscordEndpoints | null = null;
  #closed = false;

  constructor(options: FakeDiscordOptions = {}) {
    this.#options = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 45_000,
      token: options.token ?? null,
      guildCount: options.guildCount ?? 1,
      interactionDeadlineMs: options.interactionDeadlineMs === undefined ? 3_000 : options.interactionDeadlineMs,
      echoBotMessages: options.echoBotMessages ?? true,
      botName: options.botName ?? 'Factdesk',
    };
    this.#events.setMaxListeners(0);
    const user = (username: string, globalName: string | null, extra: Partial<APIUser> = {}): APIUser => ({
      id: snowflake(),
      username,
      discriminator: '0',
      global_name: globalName,
      avatar: null,
      ...extra,
    });
    this.users = {
      bot: user(this.#options.botName.toLowerCase(), null, { username: this.#options.botName, discriminator: '4242', bot: true }),
      member: user('alice', 'Alice'),
      moderator: user('carol', 'Carol (mod)'),
      admin: user('bob', 'Bob (admin)'),
      otherBot: user('OtherBot', null, { discriminator: '1337', bot: true }),
    };
    this.applicationId = this.users.bot.id;
    this.guilds = Array.from({ length: this.#options.guildCount }, (_, i) => this.#buildGuild(i));
    this.#registerRoutes();
  }

  /** The first guild. */
  get guild(): FakeGuild {
    const first = this.guilds[0];
    if (!first) throw new Error('fake-discord: no guilds');
    return first;
  }

  /** Ids of the first guild plus the application/bot ids. */
  get ids(): FakeGuildIds & { readonly application: string; readonly bot: string } {
    return { ...this.guild.ids, application: this.applicationId, bot: this.users.bot.id };
  }

  get endpoints(): FakeDiscordEndpoints {
    if (!this.#endpoints) throw new Error('fake-discord: not started');
    return this.#endpoints;
  }

  /** Intents of the current gateway session (null before IDENTIFY). */
  get intents(): number | null {
    return this.#session?.intents ?? null;
  }

  /** Number of IDENTIFY ops received. */
  get identifyCount(): number {
    return this.#identifyCount;
  }

  /** The current gateway session id (null before IDENTIFY). */
  get sessionId(): string | null {
    return this.#session?.id ?? null;
  }

  /** Whether a client socket is attached to the session right now. */
  get connected(): boolean {
    return this.#session?.socket?.readyState === WebSocket.OPEN;
  }

  // ------------------------------------------------------------------------- lifecycle

  async start(): Promise<FakeDiscordEndpoints> {
    if (this.#endpoints) return this.#endpoints;
    const rest = createServer((req, res) => {
      void this.#onHttp(req, res);
    });
    const gatewayHttp = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('fake-discord gateway: WebSocket only');
    });
    const wss = new WebSocketServer({ server: gatewayHttp });
    wss.on('connection', (socket, request) => {
      this.#onConnection(socket, request);
    });
    const listen = (server: Server): Promise<number> =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          resolve((server.address() as AddressInfo).port);
        });
      });
    const [restPort, gatewayPort] = await Promise.all([listen(rest), listen(gatewayHttp)]);
    this.#rest = rest;
    this.#gatewayHttp = gatewayHttp;
    this.#wss = wss;
    this.#endpoints = {
      restPort,
      gatewayPort,
      restUrl: `http://127.0.0.1:${restPort}/api`,
      gatewayUrl: `ws://127.0.0.1:${gatewayPort}`,
    };
    return this.#endpoints;
  }

  /**
   * Stops everything: sockets, servers, timers and pending waits (which reject). Destroy the
   * client first, or it keeps trying to reconnect to the closed ports.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#emitChange();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const socket of this.#sockets) socket.terminate();
    this.#sockets.clear();
    const closeServer = (server: Server | null): Promise<void> =>
      new Promise((resolve) => {
        if (!server) {
          resolve();
          return;
        }
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
    await new Promise<void>((resolve) => {
      if (this.#wss)
        this.#wss.close(() => {
          resolve();
        });
      else resolve();
    });
    await Promise.all([closeServer(this.#rest), closeServer(this.#gatewayHttp)]);
  }

  // ------------------------------------------------------------------------- waiting & asserting

  /** The seq of the last recorded request; pass as `after` to look only at later requests. */
  mark(): number {
    return this.requests.length;
  }

  requestsMatching(matcher: RequestMatcher, after = 0): RecordedRequest[] {
    return this.requests.filter((r) => r.seq > after && matches(matcher, r));
  }

  /** Resolves with the first matching request (already recorded after `after`, or arriving later). */
  waitForRequest(matcher: RequestMatcher, options: number | WaitOptions = {}): Promise<RecordedRequest> {
    const { timeoutMs = 2_000, after = 0 } = typeof options === 'number' ? { timeoutMs: options } : options;
    return this.#waitFor(
      () => this.requests.find((r) => r.seq > after && matches(matcher, r)),
      timeoutMs,
      () => `request ${describeMatcher(matcher)}`,
    );
  }

  /** Resolves after `waitMs` if no matching request was recorded (after `after`); rejects at the first one. */
  async expectNoRequest(
    matcher: RequestMatcher,
    options: number | { readonly waitMs?: number; readonly after?: number } = {},
  ): Promise<void> {
    const { waitMs = 300, after = 0 } = typeof options === 'number' ? { waitMs: options } : options;
    const found = await this.#waitFor(
      () => this.requests.find((r) => r.seq > after && matches(matcher, r)),
      waitMs,
      () => '',
    ).catch(() => undefined);
    if (found) {
      throw new Error(
        `fake-discord: expected no request ${describeMatcher(matcher)}, got ${found.method} ${found.path} ${stringify(found.body)}`,
      );
    }
  }

  /** Resolves when a gateway session has sent READY and every GUILD_CREATE. */
  waitForSession(timeoutMs = 5_000): Promise<string> {
    return this.#waitFor(
      () => this.#session?.id,
      timeoutMs,
      () => 'IDENTIFY',
    );
  }

  /** Resolves with the next RESUME handled after this call (or the `index`-th overall, 0-based). */
  waitForResume(timeoutMs = 5_000, index: number = this.resumes.length): Promise<ResumeRecord> {
    return this.#waitFor(
      () => this.resumes[index],
      timeoutMs,
      () => `RESUME #${index + 1}`,
    );
  }

  /** Resolves with the first op `op` received after `afterIndex` (an index into `gatewayOps`). */
  waitForGatewayOp(op: number, timeoutMs = 5_000, afterIndex = 0): Promise<ReceivedGatewayOp> {
    return this.#waitFor(
      () => this.gatewayOps.find((o, i) => i >= afterIndex && o.op === op),
      timeoutMs,
      () => `gateway op ${op}`,
    );
  }

  // ------------------------------------------------------------------------- overrides

  /**
   * Answers matching requests with `response` instead of the built-in behaviour (the request is
   * still recorded). A function may return undefined to fall through. Returns a remover.
   */
  override(
    matcher: RequestMatcher,
    response: FakeResponse | ((req: RecordedRequest) => FakeResponse | undefined),
    options: { readonly times?: number } = {},
  ): () => void {
    const entry: Override = { matcher, response, remaining: options.times ?? Number.POSITIVE_INFINITY };
    this.#overrides.push(entry);
    return () => {
      const index = this.#overrides.indexOf(entry);
      if (index >= 0) this.#overrides.splice(index, 1);
    };
  }

  clearOverrides(): void {
    this.#overrides.length = 0;
  }

  // ------------------------------------------------------------------------- gateway control

  /** Sends a raw dispatch in the current session (queued for replay while disconnected). */
  dispatch<D>(t: string, d: D): GatewayDispatch<D> {
    const session = this.#requireSession();
    return this.#dispatchIn(session, t, d);
  }

  /**
   * Closes the client's gateway socket from the server side. 4000 (default) and most other codes
   * make discord.js resume (after its fixed 500 ms pause); `'abnormal'` drops the TCP connection
   * without a close frame (the client sees 1006 and resumes too). Beware (@discordjs/ws 1.2.3):
   * 1000, 4003, 4005, 4007 and 4008 make it start a new session (IDENTIFY, throttled ~5 s), and
   * 4004 and 4010-4014 are fatal.
   */
  closeGateway(code: number | 'abnormal' = 4000, reason = 'fake-discord: closed by server'): void {
    const socket = this.#session?.socket;
    if (!socket) throw new Error('fake-discord: no connected gateway socket');
    if (code === 'abnormal') socket.terminate();
    else socket.close(code, reason);
  }

  /** Sends op 7 RECONNECT (discord.js closes and resumes). */
  requestReconnect(): void {
    this.#requireSession().socket?.send(JSON.stringify({ op: OP.reconnect, d: null, s: null, t: null }));
  }

  /** Sends op 9 INVALID_SESSION; when not resumable the client re-identifies (throttled ~5 s). */
  invalidateSession(resumable = false): void {
    const session = this.#requireSession();
    session.socket?.send(JSON.stringify({ op: OP.invalidSession, d: resumable, s: null, t: null }));
    if (!resumable) this.#session = null;
  }

  // ------------------------------------------------------------------------- scenario helpers

  /** Dispatches a slash command (INTERACTION_CREATE type 2, data.type 1). */
  slashCommand(options: SlashCommandOptions): APIChatInputApplicationCommandGuildInteraction {
    const base = this.#interactionBase(options);
    const payload = {
      ...base,
      type: InteractionType.ApplicationCommand,
      data: {
        id: options.commandId ?? this.#commandId(options.name, base.guild_id),
        name: options.name,
        type: ApplicationCommandType.ChatInput,
        options: toOptions(options.options),
      },
    } satisfies APIChatInputApplicationCommandGuildInteraction;
    this.#trackInteraction(payload, options.name, null);
    this.dispatch('INTERACTION_CREATE', payload);
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
        id: options.commandId ?? this.#commandId(options.name, base.guild_id),
        name: options.name,
        type: ApplicationCommandType.ChatInput,
        options: [...toOptions(options.options), focused] as APIApplicationCommandInteractionDataBasicOption[],
      },
    } satisfies APIApplicationCommandAutocompleteGuildInteraction;
    this.#trackInteraction(payload, options.name, null);
    this.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /** Dispatches a button press (INTERACTION_CREATE type 3, component_type 2). */
  buttonPress(options: ButtonPressOptions): APIMessageComponentButtonInteraction & { guild_id: string; member: APIInteractionGuildMember } {
    const base = this.#interactionBase(options);
    const message =
      options.message ??
      this.#storeMessage(
        this.#buildMessage({
          channelId: base.channel_id,
          author: this.users.bot,
          content: 'A message with a button',
          components: [
            {
              type: ComponentType.ActionRow,
              components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, custom_id: options.customId, label: 'Press' }],
            },
          ],
        }),
      );
    if (!this.messages.has(message.id)) this.#storeMessage(message);
    const payload = {
      ...base,
      type: InteractionType.MessageComponent,
      message,
      data: { custom_id: options.customId, component_type: ComponentType.Button },
    } satisfies APIMessageComponentButtonInteraction & { guild_id: string; member: APIInteractionGuildMember };
    this.#trackInteraction(payload, null, message.id);
    this.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /** Dispatches a message context-menu command (type 2, data.type 3) targeting a message. */
  messageCommand(options: MessageCommandOptions): APIMessageApplicationCommandGuildInteraction {
    const base = this.#interactionBase(options);
    const target =
      options.target ??
      this.#storeMessage(
        this.#buildMessage({
          channelId: base.channel_id,
          author: this.#resolveAuthor(options.targetAuthor ?? 'member'),
          content: options.targetContent ?? 'Is this true?',
        }),
      );
    const payload = {
      ...base,
      type: InteractionType.ApplicationCommand,
      data: {
        id: options.commandId ?? this.#commandId(options.name, base.guild_id),
        name: options.name,
        type: ApplicationCommandType.Message,
        target_id: target.id,
        resolved: { messages: { [target.id]: target } },
      },
    } satisfies APIMessageApplicationCommandGuildInteraction;
    this.#trackInteraction(payload, options.name, null);
    this.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /**
   * Dispatches a MESSAGE_CREATE from a user (or another bot, or a webhook) in a guild channel.
   * Returns the full message; without the GuildMessages intent nothing is delivered, and without
   * MessageContent the client receives it with content/embeds/attachments/components blanked.
   */
  userMessage(options: UserMessageOptions): GatewayMessageCreateDispatchData {
    const channelId = options.channelId ?? this.guild.ids.channels.general;
    const { guild } = this.#channel(channelId);
    let author = this.#resolveAuthor(options.author ?? 'member');
    if (options.webhookId !== undefined) {
      author = { id: options.webhookId, username: 'Captain Hook', discriminator: '0000', global_name: null, avatar: null, bot: true };
    }
    const mentions = [...(options.mentions ?? [])];
    let content = options.content;
    if (options.mentionBot === true) {
      if (!content.includes(`<@${this.users.bot.id}>`)) content = `<@${this.users.bot.id}> ${content}`;
      if (!mentions.some((u) => u.id === this.users.bot.id)) mentions.push(this.users.bot);
    }
    const message = this.#buildMessage({
      channelId,
      author,
      content,
      mentions,
      embeds: [...(options.embeds ?? [])],
      ...(options.webhookId === undefined ? {} : { webhookId: options.webhookId }),
      ...(options.replyTo === undefined ? {} : { replyTo: options.replyTo }),
    });
    this.#storeMessage(message);
    const member = options.webhookId === undefined ? this.#memberOf(guild, author.id) : undefined;
    const data: GatewayMessageCreateDispatchData = {
      ...message,
      guild_id: guild.ids.guild,
      mentions: mentions.map((u) => {
        const m = this.#memberOf(guild, u.id);
        return m ? { ...u, member: this.#partialMember(m) } : u;
      }),
      ...(member ? { member: this.#partialMember(member) } : {}),
    };
    this.#dispatchMessageCreate(data);
    return data;
  }

  /** A new forum post: THREAD_CREATE (newly_created) then the starter MESSAGE_CREATE (same id). */
  forumPost(options: ForumPostOptions): ForumPost {
    const forumId = options.forumId ?? this.guild.ids.channels.forum;
    const { guild, channel: forum } = this.#channel(forumId);
    if (forum.type !== ChannelType.GuildForum) throw new Error(`fake-discord: channel ${forumId} is not a forum`);
    const author = this.#resolveAuthor(options.author ?? 'member');
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
    if (this.#hasIntent(GatewayIntentBits.Guilds)) this.dispatch('THREAD_CREATE', thread);
    const member = this.#memberOf(guild, author.id);
    const message: GatewayMessageCreateDispatchData = {
      ...this.#storeMessage({ ...this.#buildMessage({ channelId: id, author, content: options.content }), id, position: 0 }),
      guild_id: guild.ids.guild,
      mentions: [],
      ...(member ? { member: this.#partialMember(member) } : {}),
    };
    this.#dispatchMessageCreate(message);
    return { thread, message };
  }

  /** The state the fake keeps about a dispatched interaction (for assertions). */
  interactionState(id: string): Readonly<{ acknowledged: number | null; originalMessageId: string | null }> | undefined {
    const state = this.#interactions.get(id);
    return state ? { acknowledged: state.acknowledged, originalMessageId: state.originalMessageId } : undefined;
  }

  // ------------------------------------------------------------------------- world building

  #buildGuild(index: number): FakeGuild {
    const guildId = snowflake();
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
      role(ids.roles.bot, this.#options.botName, BOT_PERMISSIONS, 3, true),
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

  #guildCreate(guild: FakeGuild): GatewayGuildCreateDispatchData {
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

  #channel(channelId: string): ChannelLookup {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((c) => c.id === channelId) ?? guild.threads.find((t) => t.id === channelId);
      if (channel) return { guild, channel };
    }
    throw new Error(`fake-discord: unknown channel ${channelId}`);
  }

  #findChannel(channelId: string): ChannelLookup | null {
    try {
      return this.#channel(channelId);
    } catch {
      return null;
    }
  }

  #memberOf(guild: FakeGuild, userId: string): APIGuildMember | undefined {
    return guild.members.find((m) => m.user.id === userId);
  }

  #partialMember(member: APIGuildMember): Omit<APIGuildMember, 'user'> {
    const { user: _user, ...rest } = member;
    return rest;
  }

  #resolveAuthor(author: MessageAuthor): APIUser {
    if (typeof author !== 'string') return author;
    if (author === 'self') return this.users.bot;
    return this.users[author];
  }

  #commandId(name: string, guildId: string): string {
    const registered = [...(this.commands.get(guildId) ?? []), ...(this.commands.get('global') ?? [])].find((c) => c.name === name);
    if (registered && typeof registered.id === 'string') return registered.id;
    let id = this.#commandIds.get(name);
    if (id === undefined) {
      id = snowflake();
      this.#commandIds.set(name, id);
    }
    return id;
  }

  #interactionBase(options: InteractionContextOptions) {
    const channelId = options.channelId ?? this.guild.ids.channels.general;
    const { guild, channel } = this.#channel(channelId);
    const actor = options.as ?? 'member';
    const user = options.user ?? this.users[actor];
    const defaultRoles = { member: [], moderator: [guild.ids.roles.moderator], admin: [guild.ids.roles.admin] }[actor];
    const defaultPermissions = {
      member: MEMBER_PERMISSIONS,
      moderator: MEMBER_PERMISSIONS | MODERATOR_PERMISSIONS,
      admin: ALL_PERMISSIONS,
    }[actor];
    const known = this.#memberOf(guild, user.id);
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
      id: snowflake(),
      application_id: this.applicationId,
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
    this.#interactions.set(payload.id, {
      id: payload.id,
      token: payload.token,
      type: payload.type,
      createdAt: Date.now(),
      channelId: payload.channel_id,
      guildId: payload.guild_id,
      user: payload.member.user,
      commandName,
      sourceMessageId,
      acknowledged: null,
      originalMessageId: null,
    });
  }

  #buildMessage(input: {
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
        ...this.#guildIdOf(input.replyTo.channel_id),
      };
      message.referenced_message = input.replyTo;
    }
    return message;
  }

  #guildIdOf(channelId: string): { guild_id?: string } {
    const found = this.#findChannel(channelId);
    return found ? { guild_id: found.guild.ids.guild } : {};
  }

  #storeMessage<M extends APIMessage>(message: M): M {
    this.messages.set(message.id, message);
    const found = this.#findChannel(message.channel_id);
    if (found && 'last_message_id' in found.channel) found.channel.last_message_id = message.id;
    return message;
  }

  #hasIntent(bit: GatewayIntentBits): boolean {
    const intents = this.#session?.intents ?? 0;
    return (intents & bit) !== 0;
  }

  #dispatchMessageCreate(data: GatewayMessageCreateDispatchData): void {
    const session = this.#requireSession();
    if (data.guild_id !== undefined && !this.#hasIntent(GatewayIntentBits.GuildMessages)) return;
    const mentioned = data.mentions.some((u) => u.id === this.users.bot.id);
    const own = data.author.id === this.users.bot.id;
    if (!this.#hasIntent(GatewayIntentBits.MessageContent) && !mentioned && !own) {
      this.#dispatchIn(session, 'MESSAGE_CREATE', { ...data, content: '', embeds: [], attachments: [], components: [] });
      return;
    }
    this.#dispatchIn(session, 'MESSAGE_CREATE', data);
  }

  // ------------------------------------------------------------------------- gateway

  #requireSession(): GatewaySession {
    if (this.#closed) throw new Error('fake-discord: closed');
    if (!this.#session) throw new Error('fake-discord: no gateway session yet (wait for the client to be ready)');
    return this.#session;
  }

  #dispatchIn<D>(session: GatewaySession, t: string, d: D): GatewayDispatch<D> {
    session.seq += 1;
    const payload: GatewayDispatch<D> = { op: 0, t, s: session.seq, d };
    session.log.push(payload);
    this.dispatches.push(payload);
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(payload));
    this.#emitChange();
    return payload;
  }

  #onConnection(socket: WebSocket, request: IncomingMessage): void {
    this.#connectionCount += 1;
    const connection = this.#connectionCount;
    const url = `ws://127.0.0.1:${this.#endpoints?.gatewayPort ?? 0}${request.url ?? '/'}`;
    const query = new URL(url).searchParams;
    this.#sockets.add(socket);
    let session: GatewaySession | null = null;
    socket.on('close', () => {
      this.#sockets.delete(socket);
      if (session?.socket === socket) session.socket = null;
      this.#emitChange();
    });
    socket.on('error', () => {
      // The client vanished; 'close' follows.
    });
    if (query.get('encoding') !== null && query.get('encoding') !== 'json') {
      socket.close(4002, 'fake-discord supports encoding=json only');
      return;
    }
    if (query.get('compress') !== null) {
      socket.close(4002, 'fake-discord does not support transport compression');
      return;
    }
    socket.send(JSON.stringify({ op: OP.hello, d: { heartbeat_interval: this.#options.heartbeatIntervalMs }, s: null, t: null }));
    socket.on('message', (data) => {
      let payload: unknown;
      try {
        payload = JSON.parse(rawDataToString(data));
      } catch {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      if (!isRecord(payload) || typeof payload.op !== 'number') {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      const op = payload.op;
      const d = payload.d;
      this.gatewayOps.push({ at: Date.now(), op, d, connection });
      switch (op) {
        case OP.heartbeat:
          socket.send(JSON.stringify({ op: OP.heartbeatAck }));
          break;
        case OP.identify:
          if (session) {
            socket.close(4005, 'Already authenticated.');
            break;
          }
          session = this.#identify(socket, d);
          break;
        case OP.resume:
          if (session) {
            socket.close(4005, 'Already authenticated.');
            break;
          }
          session = this.#resume(socket, d, url);
          break;
        case OP.requestGuildMembers:
          if (!session) socket.close(4003, 'Not authenticated.');
          else this.#guildMembersChunk(session, d);
          break;
        default:
          if (!session) socket.close(4003, 'Not authenticated.');
      }
      this.#emitChange();
    });
  }

  #tokenOk(token: unknown): token is string {
    return typeof token === 'string' && token.length > 0 && (this.#options.token === null || token === this.#options.token);
  }

  #identify(socket: WebSocket, d: unknown): GatewaySession | null {
    this.#identifyCount += 1;
    if (!isRecord(d) || !this.#tokenOk(d.token)) {
      socket.close(4004, 'Authentication failed.');
      return null;
    }
    if (typeof d.intents !== 'number') {
      socket.close(4013, 'Invalid intent(s).');
      return null;
    }
    if (d.compress === true) {
      socket.close(4002, 'fake-discord does not support payload compression');
      return null;
    }
    const session: GatewaySession = {
      id: snowflake().slice(-12) + Math.random().toString(16).slice(2, 10),
      token: d.token,
      intents: d.intents,
      seq: 0,
      log: [],
      socket,
    };
    if (this.#session?.socket && this.#session.socket !== socket)
      this.#session.socket.close(4000, 'fake-discord: superseded by a new session');
    this.#session = null;
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: { ...this.users.bot, verified: true, mfa_enabled: false, flags: NO_USER_FLAGS },
      guilds: this.guilds.map((g) => ({ id: g.ids.guild, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: `${this.endpoints.gatewayUrl}/resume`,
      shard: [0, 1],
      application: { id: this.applicationId, flags: NO_APPLICATION_FLAGS, flags_new: '0' },
    };
    this.#dispatchIn(session, 'READY', ready);
    for (const guild of this.guilds) this.#dispatchIn(session, 'GUILD_CREATE', this.#guildCreate(guild));
    this.#session = session;
    return session;
  }

  #resume(socket: WebSocket, d: unknown, url: string): GatewaySession | null {
    const session = this.#session;
    if (!isRecord(d) || !session || d.session_id !== session.id || !this.#tokenOk(d.token) || d.token !== session.token) {
      socket.send(JSON.stringify({ op: OP.invalidSession, d: false, s: null, t: null }));
      return null;
    }
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    if (session.socket && session.socket !== socket) session.socket.close(4000, 'fake-discord: resumed elsewhere');
    session.socket = socket;
    const missed = session.log.filter((p) => p.s > seq);
    for (const payload of missed) socket.send(JSON.stringify(payload));
    this.#dispatchIn(session, 'RESUMED', null);
    this.resumes.push({ at: Date.now(), sessionId: session.id, seq, replayed: missed.length, url });
    return session;
  }

  #guildMembersChunk(session: GatewaySession, d: unknown): void {
    if (!isRecord(d) || typeof d.guild_id !== 'string') return;
    const guild = this.guilds.find((g) => g.ids.guild === d.guild_id);
    if (!guild) return;
    const ids = Array.isArray(d.user_ids) ? d.user_ids : typeof d.user_ids === 'string' ? [d.user_ids] : null;
    const query = typeof d.query === 'string' ? d.query.toLowerCase() : '';
    const members = guild.members.filter((m) => (ids ? ids.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query)));
    this.#dispatchIn(session, 'GUILD_MEMBERS_CHUNK', {
      guild_id: guild.ids.guild,
      members,
      chunk_index: 0,
      chunk_count: 1,
      ...(d.nonce === undefined ? {} : { nonce: d.nonce }),
    });
  }

  // ------------------------------------------------------------------------- REST

  async #onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = (req.method ?? 'GET').toUpperCase();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      const versionMatch = /^\/api(?:\/v(\d+))?(\/.*)$/.exec(url.pathname);
      const routePath = versionMatch?.[2] ?? url.pathname;
      let path = routePath;
      try {
        path = decodeURIComponent(routePath);
      } catch {
        // keep it encoded
      }
      const query = Object.fromEntries(url.searchParams);
      if (method === 'GET' && (path === '/gateway/bot' || path === '/gateway')) {
        this.#send(res, this.#gatewayInfo(path === '/gateway/bot'));
        return;
      }
      const contentType = headers['content-type'] ?? null;
      const { body, formFields, files } = parseBody(raw, contentType);
      const incoming: IncomingRequest = { method, path, query, headers, body, files };
      const seq = this.requests.length + 1;
      const draft = {
        seq,
        at: Date.now(),
        method,
        path,
        rawPath: url.pathname,
        apiVersion: versionMatch?.[1] === undefined ? null : Number(versionMatch[1]),
        query,
        headers,
        contentType,
        body,
        rawBody: raw,
        formFields,
        files,
        response: { status: 0, body: undefined },
      } satisfies RecordedRequest;
      const response = this.#answer(incoming, draft);
      const recorded: RecordedRequest = { ...draft, response: { status: response.status, body: response.body } };
      this.requests.push(recorded);
      this.#emitChange();
      if (response.delayMs !== undefined && response.delayMs > 0) {
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          this.#send(res, response);
        }, response.delayMs);
        this.#timers.add(timer);
      } else {
        this.#send(res, response);
      }
    } catch (error) {
      this.#send(res, json({ code: 0, message: `fake-discord internal error: ${String(error)}` }, 500));
    }
  }

  #send(res: ServerResponse, response: FakeResponse): void {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string> = { ...response.headers };
    if (response.status === 204 || response.body === undefined) {
      res.writeHead(response.status, headers).end();
      return;
    }
    headers['content-type'] = 'application/json';
    res.writeHead(response.status, headers).end(JSON.stringify(response.body));
  }

  #gatewayInfo(bot: boolean): FakeResponse {
    const url = this.endpoints.gatewayUrl;
    if (!bot) return json({ url });
    return json({ url, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 } });
  }

  #answer(req: IncomingRequest, recorded: RecordedRequest): FakeResponse {
    for (const entry of this.#overrides) {
      if (entry.remaining <= 0 || !matches(entry.matcher, recorded)) continue;
      const response = typeof entry.response === 'function' ? entry.response(recorded) : entry.response;
      if (response === undefined) continue;
      entry.remaining -= 1;
      return response;
    }
    for (const route of this.#routes) {
      if (route.method !== req.method) continue;
      const m = route.regex.exec(req.path);
      if (!m) continue;
      if (route.auth && !this.#authorized(req.headers.authorization)) return json({ message: '401: Unauthorized', code: 0 }, 401);
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = m[i + 1] ?? '';
      });
      return route.handler(req, params);
    }
    return json({ message: `404: Not Found (fake-discord has no handler for ${req.method} ${req.path})`, code: 0 }, 404);
  }

  #authorized(header: string | undefined): boolean {
    if (header?.startsWith('Bot ') !== true) return false;
    return this.#tokenOk(header.slice(4));
  }

  #route(method: string, template: string, handler: Handler, auth = true): void {
    const names: string[] = [];
    const pattern = template
      .split('/')
      .map((seg) => {
        if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(seg.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.#routes.push({ method, regex: new RegExp(`^${pattern}$`), names, handler, auth });
  }

  #registerRoutes(): void {
    const p = (params: Readonly<Record<string, string>>, name: string): string => params[name] ?? '';
    this.#route('GET', '/users/@me', () => json({ ...this.users.bot, verified: true, mfa_enabled: false, flags: 0 }));
    this.#route('GET', '/users/:userId', (_req, params) => {
      const all: APIUser[] = [this.users.bot, this.users.member, this.users.moderator, this.users.admin, this.users.otherBot];
      const user = all.find((u) => u.id === p(params, 'userId'));
      return user ? json(user) : discordError(404, 10013, 'Unknown User');
    });
    const application = (): FakeResponse =>
      json({
        id: this.applicationId,
        name: this.#options.botName,
        icon: null,
        description: '',
        bot_public: false,
        bot_require_code_grant: false,
        verify_key: '0'.repeat(64),
        flags: 0,
        team: null,
        owner: this.users.admin,
        bot: this.users.bot,
      });
    this.#route('GET', '/applications/@me', application);
    this.#route('GET', '/oauth2/applications/@me', application);

    // Commands
    const setCommands =
      (key: string) =>
      (req: IncomingRequest, params: Readonly<Record<string, string>>): FakeResponse => {
        if (p(params, 'appId') !== this.applicationId) return discordError(404, 10002, 'Unknown Application');
        if (!Array.isArray(req.body)) return discordError(400, 50035, 'Invalid Form Body');
        const guildId = key === 'guild' ? p(params, 'guildId') : undefined;
        const saved = (req.body as unknown[]).filter(isRecord).map((c) => this.#savedCommand(c, guildId));
        this.commands.set(guildId ?? 'global', saved);
        return json(saved);
      };
    this.#route('PUT', '/applications/:appId/commands', setCommands('global'));
    this.#route('PUT', '/applications/:appId/guilds/:guildId/commands', setCommands('guild'));
    this.#route('GET', '/applications/:appId/commands', () => json(this.commands.get('global') ?? []));
    this.#route('GET', '/applications/:appId/guilds/:guildId/commands', (_req, params) =>
      json(this.commands.get(p(params, 'guildId')) ?? []),
    );
    const upsertCommand = (req: IncomingRequest, params: Readonly<Record<string, string>>): FakeResponse => {
      if (!isRecord(req.body)) return discordError(400, 50035, 'Invalid Form Body');
      const guildId = params.guildId;
      const key = guildId ?? 'global';
      const saved = this.#savedCommand(req.body, guildId);
      const list = (this.commands.get(key) ?? []).filter((c) => c.name !== saved.name);
      this.commands.set(key, [...list, saved]);
      return json(saved, 201);
    };
    this.#route('POST', '/applications/:appId/commands', upsertCommand);
    this.#route('POST', '/applications/:appId/guilds/:guildId/commands', upsertCommand);

    // Interactions
    this.#route(
      'POST',
      '/interactions/:id/:token/callback',
      (req, params) => this.#callback(req, p(params, 'id'), p(params, 'token')),
      false,
    );
    this.#route(
      'GET',
      '/webhooks/:appId/:token/messages/:messageId',
      (_req, params) => this.#onWebhookMessage(params, (message) => json(message)),
      false,
    );
    this.#route(
      'PATCH',
      '/webhooks/:appId/:token/messages/:messageId',
      (req, params) => this.#onWebhookMessage(params, (message) => json(this.#editMessage(message, req))),
      false,
    );
    this.#route(
      'DELETE',
      '/webhooks/:appId/:token/messages/:messageId',
      (_req, params) =>
        this.#onWebhookMessage(params, (message) => {
          this.#deleteMessage(message);
          return NO_CONTENT;
        }),
      false,
    );
    this.#route(
      'POST',
      '/webhooks/:appId/:token',
      (req, params) => {
        const state = this.#interactionByWebhook(params);
        if (!state) return DiscordErrors.unknownWebhook;
        if (state.acknowledged === null) return DiscordErrors.unknownWebhook;
        const message = this.#createBotMessage(state.channelId, req, { interaction: state });
        state.originalMessageId ??= message.id;
        return json(message);
      },
      false,
    );

    // Channels & messages
    this.#route('GET', '/channels/:channelId', (_req, params) => {
      const found = this.#findChannel(p(params, 'channelId'));
      return found ? json(found.channel) : DiscordErrors.unknownChannel;
    });
    this.#route('POST', '/channels/:channelId/messages', (req, params) => {
      const channelId = p(params, 'channelId');
      const found = this.#findChannel(channelId);
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
      const referenced = reference && typeof reference.message_id === 'string' ? this.messages.get(reference.message_id) : undefined;
      if (reference && !referenced && reference.fail_if_not_exists !== false) {
        return discordError(400, 50035, 'Invalid Form Body', {
          message_reference: { _errors: [{ code: 'REPLIES_UNKNOWN_MESSAGE', message: 'Unknown message' }] },
        });
      }
      return json(this.#createBotMessage(channelId, req, referenced ? { replyTo: referenced } : {}));
    });
    this.#route('GET', '/channels/:channelId/messages', (req, params) => {
      const channelId = p(params, 'channelId');
      if (!this.#findChannel(channelId)) return DiscordErrors.unknownChannel;
      const limit = Math.min(100, Number(req.query.limit ?? 50));
      const list = [...this.messages.values()]
        .filter((m) => m.channel_id === channelId)
        .reverse()
        .slice(0, limit);
      return json(list);
    });
    this.#route('GET', '/channels/:channelId/messages/:messageId', (_req, params) => {
      const message = this.messages.get(p(params, 'messageId'));
      return message?.channel_id === p(params, 'channelId') ? json(message) : DiscordErrors.unknownMessage;
    });
    this.#route('PATCH', '/channels/:channelId/messages/:messageId', (req, params) => {
      const message = this.messages.get(p(params, 'messageId'));
      if (message?.channel_id !== p(params, 'channelId')) return DiscordErrors.unknownMessage;
      if (message.author.id !== this.users.bot.id) return discordError(403, 50005, 'Cannot edit a message authored by another user');
      return json(this.#editMessage(message, req));
    });
    this.#route('DELETE', '/channels/:channelId/messages/:messageId', (_req, params) => {
      const message = this.messages.get(p(params, 'messageId'));
      if (message?.channel_id !== p(params, 'channelId')) return DiscordErrors.unknownMessage;
      this.#deleteMessage(message);
      return NO_CONTENT;
    });
    this.#route('POST', '/channels/:channelId/typing', (_req, params) =>
      this.#findChannel(p(params, 'channelId')) ? NO_CONTENT : DiscordErrors.unknownChannel,
    );
    const reaction = (_req: IncomingRequest, params: Readonly<Record<string, string>>): FakeResponse => {
      const message = this.messages.get(p(params, 'messageId'));
      if (!this.#findChannel(p(params, 'channelId'))) return DiscordErrors.unknownChannel;
      if (message && message.channel_id !== p(params, 'channelId')) return DiscordErrors.unknownMessage;
      return NO_CONTENT;
    };
    this.#route('PUT', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', reaction);
    this.#route('DELETE', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', reaction);
    this.#route('POST', '/channels/:channelId/threads', (req, params) => this.#createThread(req, p(params, 'channelId'), null));
    this.#route('POST', '/channels/:channelId/messages/:messageId/threads', (req, params) =>
      this.#createThread(req, p(params, 'channelId'), p(params, 'messageId')),
    );

    // Guilds
    const guildOf = (params: Readonly<Record<string, string>>): FakeGuild | undefined =>
      this.guilds.find((g) => g.ids.guild === params.guildId);
    this.#route('GET', '/guilds/:guildId', (_req, params) => {
      const guild = guildOf(params);
      if (!guild) return discordError(404, 10004, 'Unknown Guild');
      const { members: _m, channels: _c, threads: _t, voice_states: _v, presences: _p, ...rest } = this.#guildCreate(guild);
      return json(rest);
    });
    this.#route('GET', '/guilds/:guildId/channels', (_req, params) => {
      const guild = guildOf(params);
      return guild ? json(guild.channels) : discordError(404, 10004, 'Unknown Guild');
    });
    this.#route('GET', '/guilds/:guildId/roles', (_req, params) => {
      const guild = guildOf(params);
      return guild ? json(guild.roles) : discordError(404, 10004, 'Unknown Guild');
    });
    this.#route('GET', '/guilds/:guildId/members/:userId', (_req, params) => {
      const guild = guildOf(params);
      if (!guild) return discordError(404, 10004, 'Unknown Guild');
      const member = this.#memberOf(guild, p(params, 'userId'));
      return member ? json(member) : discordError(404, 10007, 'Unknown Member');
    });
    this.#route('GET', '/guilds/:guildId/threads/active', (_req, params) => {
      const guild = guildOf(params);
      return guild
        ? json({ threads: guild.threads.filter((t) => !t.thread_metadata?.archived), members: [] })
        : discordError(404, 10004, 'Unknown Guild');
    });
  }

  #savedCommand(input: Record<string, unknown>, guildId: string | undefined): Record<string, unknown> {
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

  #interactionByWebhook(params: Readonly<Record<string, string>>): InteractionState | undefined {
    if (params.appId !== this.applicationId) return undefined;
    const token = params.token;
    return [...this.#interactions.values()].find((s) => s.token === token);
  }

  /** Finds the message an interaction webhook route names, or answers as Discord does when it can't. */
  #onWebhookMessage(params: Readonly<Record<string, string>>, use: (message: APIMessage) => FakeResponse): FakeResponse {
    const state = this.#interactionByWebhook(params);
    if (!state) return DiscordErrors.unknownWebhook;
    const id = this.#webhookMessageId(state, params.messageId ?? '');
    const message = id === null ? undefined : this.messages.get(id);
    return message ? use(message) : DiscordErrors.unknownMessage;
  }

  #webhookMessageId(state: InteractionState, messageId: string): string | null {
    return messageId === '@original' ? state.originalMessageId : messageId;
  }

  #callback(req: IncomingRequest, id: string, token: string): FakeResponse {
    const state = this.#interactions.get(id);
    if (state?.token !== token) return DiscordErrors.unknownInteraction;
    const deadline = this.#options.interactionDeadlineMs;
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
      message = this.#createBotMessage(state.channelId, { ...req, body: data }, { interaction: state });
      state.originalMessageId = message.id;
    } else if (type === 5) {
      const flags = MessageFlags.Loading | (typeof data.flags === 'number' ? data.flags & MessageFlags.Ephemeral : 0);
      message = this.#createBotMessage(state.channelId, { ...req, body: { content: '', flags } }, { interaction: state });
      state.originalMessageId = message.id;
    } else if (type === 6 || type === 7) {
      state.originalMessageId = state.sourceMessageId;
      const source = state.sourceMessageId === null ? undefined : this.messages.get(state.sourceMessageId);
      if (type === 7 && source) message = this.#editMessage(source, { ...req, body: data });
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

  #createBotMessage(
    channelId: string,
    req: Pick<IncomingRequest, 'body' | 'files'>,
    extra: { interaction?: InteractionState; replyTo?: APIMessage; id?: string },
  ): APIMessage {
    const body = isRecord(req.body) ? req.body : {};
    const flags = typeof body.flags === 'number' ? body.flags : 0;
    const message = this.#buildMessage({
      channelId,
      author: this.users.bot,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: Array.isArray(body.embeds) ? (body.embeds as APIEmbed[]).map((e) => ({ ...e, type: e.type ?? EmbedType.Rich })) : [],
      flags,
      ...(extra.replyTo ? { replyTo: extra.replyTo } : {}),
      ...(extra.interaction
        ? {
            webhookId: this.applicationId,
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
      message.application_id = this.applicationId;
      message.interaction_metadata = {
        id: extra.interaction.id,
        type: extra.interaction.type,
        user: extra.interaction.user,
        authorizing_integration_owners: {},
      } as NonNullable<APIMessage['interaction_metadata']>;
    }
    this.#storeMessage(message);
    const ephemeral = (flags & MessageFlags.Ephemeral) !== 0;
    if (this.#options.echoBotMessages && !ephemeral && this.#session) {
      const found = this.#findChannel(channelId);
      const member = found ? this.#memberOf(found.guild, this.users.bot.id) : undefined;
      this.#dispatchMessageCreate({
        ...message,
        mentions: [],
        ...(found ? { guild_id: found.guild.ids.guild } : {}),
        ...(member ? { member: this.#partialMember(member) } : {}),
      });
    }
    return message;
  }

  #editMessage(message: APIMessage, req: Pick<IncomingRequest, 'body' | 'files'>): APIMessage {
    const body = isRecord(req.body) ? req.body : {};
    if (typeof body.content === 'string' || body.content === null) message.content = body.content ?? '';
    if (Array.isArray(body.embeds)) message.embeds = (body.embeds as APIEmbed[]).map((e) => ({ ...e, type: e.type ?? EmbedType.Rich }));
    if (Array.isArray(body.components)) message.components = body.components as NonNullable<APIMessage['components']>;
    let flags: number = message.flags ?? 0;
    if (typeof body.flags === 'number') flags = (flags & MessageFlags.Ephemeral) | body.flags;
    message.flags = messageFlags(flags & ~MessageFlags.Loading);
    message.edited_timestamp = nowIso();
    if (this.#options.echoBotMessages && this.#session && ((message.flags ?? 0) & MessageFlags.Ephemeral) === 0) {
      this.#dispatchIn(this.#session, 'MESSAGE_UPDATE', { ...message, ...this.#guildIdOf(message.channel_id) });
    }
    return message;
  }

  #deleteMessage(message: APIMessage): void {
    this.messages.delete(message.id);
    if (this.#options.echoBotMessages && this.#session) {
      this.#dispatchIn(this.#session, 'MESSAGE_DELETE', {
        id: message.id,
        channel_id: message.channel_id,
        ...this.#guildIdOf(message.channel_id),
      });
    }
  }

  #createThread(req: IncomingRequest, channelId: string, messageId: string | null): FakeResponse {
    const found = this.#findChannel(channelId);
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
      owner_id: this.users.bot.id,
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
    if (this.#session && this.#hasIntent(GatewayIntentBits.Guilds))
      this.#dispatchIn(this.#session, 'THREAD_CREATE', { ...thread, newly_created: true });
    if (isForum && isRecord(body.message)) {
      const starter = this.#createBotMessage(id, { body: body.message, files: req.files }, { id });
      return json({ ...thread, message: starter }, 201);
    }
    return json(thread, 201);
  }

  // ------------------------------------------------------------------------- waiting machinery

  #emitChange(): void {
    this.#events.emit('change');
  }

  #waitFor<T>(check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#closed) {
        reject(new Error(`fake-discord: closed, cannot wait for ${what()}`));
        return;
      }
      const initial = check();
      if (initial !== undefined) {
        resolve(initial);
        return;
      }
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#timers.delete(timer);
        this.#events.off('change', onChange);
      };
      const onChange = (): void => {
        if (this.#closed) {
          cleanup();
          reject(new Error(`fake-discord: closed while waiting for ${what()}`));
          return;
        }
        const value = check();
        if (value !== undefined) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${what()}.\n${this.#summary()}`));
      }, timeoutMs);
      this.#timers.add(timer);
      this.#events.on('change', onChange);
    });
  }

  #summary(): string {
    const lines = this.requests.slice(-15).map((r) => `  #${r.seq} ${r.method} ${r.path} -> ${r.response.status}`);
    return lines.length === 0 ? 'No requests recorded.' : `Last recorded requests:\n${lines.join('\n')}`;
  }
}
