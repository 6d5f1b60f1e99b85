import { DEFAULT_MAX_ARCHIVE_MB } from './core/archive-limits.ts';
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/u, 'must be a Discord id (17 to 20 digits)');

const idList = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(/[\s,]+/u).filter((id) => id.length > 0))
  .pipe(z.array(snowflake));

const flag = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return fallback;
      const v = value.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    });

const feedUrl = z.url({ protocol: /^https?$/u, error: 'must list http(s) URLs, comma-separated' });

const urlList = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(/[\s,]+/u).filter((url) => url.length > 0))
  .pipe(z.array(feedUrl));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The environment Factdesk reads, and nothing else. Blank values count as unset. */
const EnvSchema = z.object({
  DISCORD_TOKEN: z.string().regex(/^\S+$/u, 'must not contain spaces').min(20, 'is too short to be a bot token').optional(),
  DISCORD_CLIENT_ID: snowflake.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  SEEDS_DIR: z.string().default('seeds'),
  DATA_DIR: z.string().default('data'),
  WATCH_SEEDS: flag(false),
  ASK_CHANNEL_IDS: idList,
  ANSWER_ON_MENTION: flag(true),
  ADMIN_ROLE_IDS: idList,
  ADMIN_USER_IDS: idList,
  COOLDOWN_SECONDS: z
    .string()
    .optional()
    .transform((value) => (value === undefined ? 5 : Number(value)))
    .pipe(
      z
        .number({ error: 'must be a number' })
        .int('must be a whole number of seconds')
        .min(0, 'must be 0 or more')
        .max(3600, 'must be at most 3600'),
    ),
  MAX_ARCHIVE_MB: z
    .string()
    .optional()
    .transform((value) => (value === undefined ? DEFAULT_MAX_ARCHIVE_MB : Number(value)))
    .pipe(
      z
        .number({ error: 'must be a number' })
        .int('must be a whole number of megabytes')
        .min(1, 'must be 1 or more')
        .max(65_536, 'must be at most 65536'),
    ),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  LOG_FORMAT: z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).optional(),
  HEALTH_PORT: z
    .string()
    .optional()
    .transform((value) => (value === undefined ? undefined : Number(value)))
    .pipe(
      z
        .number({ error: 'must be a port number' })
        .int('must be a whole number')
        .min(1, 'must be a port from 1 to 65535')
        .max(65535, 'must be a port from 1 to 65535')
        .optional(),
    ),
  HEALTH_HOST: z.string().default('127.0.0.1'),
  NO_COLOR: z.string().optional(),
  FEEDS: urlList,
  FEED_INTERVAL_MINUTES: z
    .string()
    .optional()
    .transform((value) => (value === undefined ? 15 : Number(value)))
    .pipe(
      z
        .number({ error: 'must be a number' })
        .int('must be a whole number of minutes')
        .min(1, 'must be at least 1')
        .max(1440, 'must be at most 1440 (a day)'),
    ),
  FEEDS_ALLOW_PRIVATE: flag(false),
  FEED_ANNOUNCE_CHANNEL_ID: snowflake.optional(),
  DISCORD_API_URL: z.url({ protocol: /^https?$/u, error: 'must be an http(s) URL, like http://127.0.0.1:8080/api' }).optional(),
  SHARDS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return null;
      if (value.toLowerCase() === 'auto') return 'auto' as const;
      const count = Number(value);
      if (Number.isInteger(count) && count >= 1 && count <= 10_000) return count;
      ctx.addIssue({ code: 'custom', message: 'must be auto or a whole number of shards from 1 to 10000' });
      return z.NEVER;
    }),
  SHARDS_PER_CLUSTER: z
    .string()
    .optional()
    .transform((value) => (value === undefined ? undefined : Number(value)))
    .pipe(
      z
        .number({ error: 'must be a number' })
        .int('must be a whole number of shards')
        .min(1, 'must be 1 or more')
        .max(10_000, 'must be at most 10000')
        .optional(),
    ),
});

/** The environment, with the rules between variables. */
const ConfigSchema = EnvSchema.refine((env) => env.SHARDS_PER_CLUSTER === undefined || env.SHARDS !== null, {
  // Clusters only exist with SHARDS: alone, SHARDS_PER_CLUSTER would be silently ignored.
  path: ['SHARDS_PER_CLUSTER'],
  error: 'is set but SHARDS is not, so it would do nothing: set SHARDS too (a number of shards, or auto), or unset it',
  // Only once both parsed: a SHARDS_PER_CLUSTER that is not a number has been named already.
  when: (payload) => !payload.issues.some((issue) => ['SHARDS', 'SHARDS_PER_CLUSTER'].includes(String(issue.path?.[0]))),
});

/** A variable Factdesk reads. */
export type ConfigVariable = keyof typeof EnvSchema.shape;

/** Every variable Factdesk reads, in the order README's table lists them. */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = EnvSchema.keyof().options;

export interface Config {
  /** Absent: Factdesk runs as a local console instead of connecting to Discord. */
  readonly token: string | null;
  readonly clientId: string | null;
  readonly guildId: string | null;
  readonly seedsDir: string;
  /** Where Factdesk keeps what it writes itself (index snapshot, console history, feed state); git ignores it. */
  readonly dataDir: string;
  /** Reindex by itself when files in the articles folder change (`WATCH_SEEDS`). */
  readonly watchSeeds: boolean;
  readonly askChannelIds: readonly string[];
  readonly answerOnMention: boolean;
  readonly adminRoleIds: readonly string[];
  readonly adminUserIds: readonly string[];
  readonly cooldownSeconds: number;
  /** Most megabytes of article files loaded in all; the files past it are reported as one problem. */
  readonly maxArchiveMb: number;
  /** Null when unset: the bot then logs at info, the console only warnings. */
  readonly logLevel: LogLevel | null;
  /**
   * `json`: one pino JSON object per line, for machines; `pretty`: coloured lines for people
   * (pino-pretty). Null when unset: JSON for the bot, pretty for the console on a terminal.
   */
  readonly logFormat: 'json' | 'pretty' | null;
  /** Serve /healthz and /metrics on this port; null: no health server. */
  readonly healthPort: number | null;
  /** The address the health server listens on; loopback unless set. */
  readonly healthHost: string;
  /** NO_COLOR is set (https://no-color.org): no colour in the console or in pretty logs, even on a terminal. */
  readonly noColor: boolean;
  /** REST base URL, for a REST proxy or a test fake; null for Discord itself. */
  readonly apiUrl: string | null;
  /** News feeds (RSS, Atom, JSON Feed) polled into `SEEDS_DIR/feeds/`, besides those admins add. */
  readonly feeds: readonly string[];
  readonly feedIntervalMinutes: number;
  /** Lets feeds reach private, loopback and link-local addresses (tests, or an intranet feed). */
  readonly feedsAllowPrivate: boolean;
  /** Where new feed stories are announced; null for nowhere. */
  readonly feedAnnounceChannelId: string | null;
  /**
   * Shards to connect with, through discord-hybrid-sharding's clusters (`SHARDS`): a number, or
   * `auto` for Discord's recommendation; null: one process, one connection, no launcher.
   */
  readonly shards: number | 'auto' | null;
  /** Shards each cluster (one process, one archive in memory) runs; null: all of them in one. */
  readonly shardsPerCluster: number | null;
}

/** A configuration problem, naming each bad variable and why, never its value (it may be a secret). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly variables: readonly string[];
  constructor(issues: readonly { variable: string; message: string }[]) {
    super(issues.map((i) => `${i.variable} ${i.message}`).join('\n'));
    this.variables = issues.map((i) => i.variable);
  }
}

/**
 * Parses the environment into a frozen config. Throws a {@link ConfigError} naming each bad variable.
 *
 * @example parseConfig({ COOLDOWN_SECONDS: '0' }).cooldownSeconds // 0
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const present: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const value = env[key]?.trim();
    if (value !== undefined && value !== '') present[key] = value;
  }
  const parsed = ConfigSchema.safeParse(present);
  if (!parsed.success) {
    // Messages only: zod issues may carry the input, and DISCORD_TOKEN must never be printed.
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? 'environment'), message: issue.message })),
    );
  }
  const e = parsed.data;
  return Object.freeze({
    token: e.DISCORD_TOKEN ?? null,
    clientId: e.DISCORD_CLIENT_ID ?? null,
    guildId: e.DISCORD_GUILD_ID ?? null,
    seedsDir: e.SEEDS_DIR,
    dataDir: e.DATA_DIR,
    watchSeeds: e.WATCH_SEEDS,
    askChannelIds: Object.freeze(e.ASK_CHANNEL_IDS),
    answerOnMention: e.ANSWER_ON_MENTION,
    adminRoleIds: Object.freeze(e.ADMIN_ROLE_IDS),
    adminUserIds: Object.freeze(e.ADMIN_USER_IDS),
    cooldownSeconds: e.COOLDOWN_SECONDS,
    maxArchiveMb: e.MAX_ARCHIVE_MB,
    logLevel: e.LOG_LEVEL ?? null,
    logFormat: e.LOG_FORMAT ?? null,
    healthPort: e.HEALTH_PORT ?? null,
    healthHost: e.HEALTH_HOST,
    noColor: e.NO_COLOR !== undefined,
    apiUrl: e.DISCORD_API_URL ?? null,
    feeds: Object.freeze(e.FEEDS),
    feedIntervalMinutes: e.FEED_INTERVAL_MINUTES,
    feedsAllowPrivate: e.FEEDS_ALLOW_PRIVATE,
    shards: e.SHARDS,
    shardsPerCluster: e.SHARDS_PER_CLUSTER ?? null,
    feedAnnounceChannelId: e.FEED_ANNOUNCE_CHANNEL_ID ?? null,
  });
}
