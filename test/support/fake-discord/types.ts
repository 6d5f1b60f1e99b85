/** The fake Discord's public types: what tests pass in and what it records. */
import type {
  APIApplicationCommandInteractionDataOption,
  APIEmbed,
  APIGuildCategoryChannel,
  APIGuildForumChannel,
  APIGuildMember,
  APIMessage,
  APIRole,
  APITextChannel,
  APIThreadChannel,
  APIUser,
  GatewayMessageCreateDispatchData,
  GatewayThreadCreateDispatchData,
  Locale,
} from 'discord.js';

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
  /**
   * Shards GET /gateway/bot recommends (default 1), which is also its max_concurrency, so a sharded
   * client identifies its shards at once instead of 5 s apart.
   */
  readonly shards?: number;
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
  /**
   * How old the interaction already is when dispatched (default 0): its id is dated that far back,
   * and its 3 s deadline runs from then, as when a bot receives an interaction late.
   */
  readonly ageMs?: number;
}

export type SlashOptionValue = string | number | boolean;
/** Values by name, or raw options (subcommands with their own options included). */
export type SlashOptions = Readonly<Record<string, SlashOptionValue>> | readonly APIApplicationCommandInteractionDataOption[];

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
