/**
 * Connects Factdesk to Discord: the client, its listeners and its lifecycle. Everything the bot
 * does is in the interaction and message handlers; this file wires them and logs what happens.
 */
import {
  Client,
  Events,
  GatewayCloseCodes,
  GatewayIntentBits,
  Partials,
  RESTEvents,
  type ClientOptions,
  type Interaction,
  type Message,
} from 'discord.js';
import type { Services } from '../command.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { describeError, redactSecrets } from '../errors.ts';
import { createInteractionHandler } from './interactions.ts';
import { discordHost, explainConnectError, type ConnectFailure } from './connect-errors.ts';
import { createMessageHandler } from './messages.ts';
import { formatDuration } from '../core/durations.ts';

export interface BotOptions {
  /** Connection attempts at start-up and the pauses between them (default 8 attempts, 1 s doubling to 30 s). */
  readonly retry?: { readonly attempts?: number; readonly firstDelayMs?: number; readonly maxDelayMs?: number };
  /**
   * Called after READY when Discord closes the gateway for good (a refused token, say), with the close
   * code; it has been logged at fatal. The caller should exit non-zero so a supervisor restarts or alerts.
   */
  readonly onFatal?: (code: number) => void;
  /** How long to wait for the gateway's READY before giving up (default 60 s). */
  readonly readyTimeoutMs?: number;
  /** The shards this process connects (a cluster's share of them) and how many there are in all. */
  readonly shards?: ShardSet;
}

/** Some shards of a sharded bot: their ids, and the total count. */
export interface ShardSet {
  readonly ids: readonly number[];
  readonly count: number;
}

export interface Bot {
  readonly client: Client;
  /** Disconnects and destroys the client. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The client options: the intents the handlers need, the Channel partial (DM channels are not
 * cached, and without it DMs are dropped), no mentions by default, and the REST base URL when one
 * is set (the gateway URL then comes from that server's `GET /gateway/bot`). Message Content is
 * only needed to read questions in ask channels; mentions, DMs and forum titles work without it.
 */
export function clientOptions(config: Pick<Config, 'apiUrl'>, messageContent = true, shards?: ShardSet): ClientOptions {
  return {
    // Always given: without them discord.js reads SHARDS from the environment (its own sharding
    // manager's variable, and ours too), and JSON.parse('auto') or a blank value would throw.
    shards: shards === undefined ? [0] : [...shards.ids],
    shardCount: shards?.count ?? 1,
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.DirectMessages,
      ...(messageContent ? [GatewayIntentBits.MessageContent] : []),
    ],
    partials: [Partials.Channel],
    allowedMentions: { parse: [], repliedUser: false },
    ...(config.apiUrl === null ? {} : { rest: { api: config.apiUrl } }),
  };
}

// Gateway close codes after which discord.js gives up instead of reconnecting.
const FATAL_CLOSE_CODES: Readonly<Record<number, string>> = {
  [GatewayCloseCodes.AuthenticationFailed]: 'Discord refused the token',
  [GatewayCloseCodes.InvalidShard]: 'invalid shard',
  [GatewayCloseCodes.ShardingRequired]: 'Discord requires sharding for this bot',
  [GatewayCloseCodes.InvalidAPIVersion]: 'invalid gateway version',
  [GatewayCloseCodes.InvalidIntents]: 'invalid intents',
  [GatewayCloseCodes.DisallowedIntents]: 'a privileged intent is not enabled for this bot in the Developer Portal',
};

const DISALLOWED_INTENTS: number = GatewayCloseCodes.DisallowedIntents;

/** What an operator can do about a fatal close code. */
const FATAL_ADVICE: Readonly<Record<number, string>> = {
  [GatewayCloseCodes.AuthenticationFailed]:
    'Reset the token in the Developer Portal (Bot → Reset Token), put it in DISCORD_TOKEN and start Factdesk again.',
  [GatewayCloseCodes.DisallowedIntents]:
    'Turn on the Message Content intent in the Developer Portal (Bot → Privileged Gateway Intents), or leave ASK_CHANNEL_IDS empty, and start Factdesk again.',
  [GatewayCloseCodes.ShardingRequired]: 'The bot is in too many servers for one connection: Factdesk does not shard yet.',
};

/** Connecting failed for good: the failure says why and what to do. */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  readonly failure: ConnectFailure;
  constructor(failure: ConnectFailure, options?: ErrorOptions) {
    super(failure.message, options);
    this.failure = failure;
  }
}

/** The gateway closed for good while connecting. */
export class GatewayClosedError extends Error {
  override readonly name = 'GatewayClosedError';
  readonly code: number;
  constructor(code: number) {
    super(`Discord closed the gateway (${code}): ${FATAL_CLOSE_CODES[code] ?? 'unknown reason'}`);
    this.code = code;
  }
}

function waitForReady(client: Client, ms: number): { promise: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`Discord did not report the bot ready within ${formatDuration(ms)}`));
    }, ms);
    client.once(Events.ClientReady, () => {
      clearTimeout(timer);
      resolve();
    });
    // Without this, an unrecoverable close (bad intents, say) would only end in the timeout.
    client.on(Events.ShardDisconnect, (event) => {
      if (FATAL_CLOSE_CODES[event.code] === undefined) return;
      clearTimeout(timer);
      reject(new GatewayClosedError(event.code));
    });
  });
  // Login may fail first; then nobody awaits this promise, and it must not surface as unhandled.
  promise.catch(() => undefined);
  return {
    promise,
    cancel: () => {
      clearTimeout(timer);
    },
  };
}

interface Listeners {
  readonly onInteraction: (interaction: Interaction) => Promise<void>;
  readonly onMessage: (message: Message) => Promise<void>;
}

function attach(client: Client, listeners: Listeners, logger: Logger, redact: (text: string) => string): void {
  client.on(Events.InteractionCreate, (interaction) => {
    void listeners.onInteraction(interaction);
  });
  client.on(Events.MessageCreate, (message) => {
    void listeners.onMessage(message);
  });
  client.once(Events.ClientReady, (ready) => {
    logger.info({ user: ready.user.tag, userId: ready.user.id, guilds: ready.guilds.cache.size }, 'connected to Discord');
  });
  client.on(Events.Error, (error) => {
    logger.error({ error: describeError(error) }, 'Discord client error');
  });
  client.on(Events.ShardError, (error, shardId) => {
    logger.error({ shardId, error: describeError(error) }, 'gateway connection error');
  });
  client.on(Events.Warn, (message) => {
    logger.warn({ detail: redact(message) }, 'Discord client warning');
  });
  client.on(Events.ShardDisconnect, (event, shardId) => {
    logger.warn({ shardId, code: event.code }, 'gateway disconnected');
  });
  client.on(Events.ShardReconnecting, (shardId) => {
    logger.info({ shardId }, 'gateway reconnecting');
  });
  client.on(Events.ShardResume, (shardId, replayed) => {
    logger.info({ shardId, replayed }, 'gateway resumed');
  });
  if (logger.isLevelEnabled('debug')) {
    client.on(Events.Debug, (message) => {
      logger.debug({ detail: redact(message) }, 'discord.js');
    });
  }
  // discord.js emits rateLimited only when it holds a request back itself; a 429 that Discord sends
  // (retry_after on an interaction callback, say) shows only in debug text. Log those from the response.
  client.rest.on(RESTEvents.Response, (request, response) => {
    if (response.status !== 429) return;
    const retryAfter = Number(response.headers.get('retry-after'));
    logger.warn(
      {
        route: request.route,
        method: request.method.toUpperCase(),
        global: response.headers.has('x-ratelimit-global'),
        scope: response.headers.get('x-ratelimit-scope') ?? 'user',
        retryAfterMs: Number.isFinite(retryAfter) ? Math.round(retryAfter * 1000) : null,
      },
      'rate limited by Discord (429)',
    );
  });
  client.rest.on(RESTEvents.RateLimited, (info) => {
    // Not info.url: for interaction replies it holds the interaction token.
    logger.warn(
      { route: info.route, method: info.method, global: info.global, retryAfterMs: info.retryAfter, limit: info.limit },
      'rate limited by Discord',
    );
  });
}

/**
 * Logs in to Discord, with every listener attached first, and resolves once the bot is ready.
 * When the Message Content intent is not enabled for the bot, it connects again without it (and
 * says what stops working). Rejects, after destroying the client, when the token is refused or
 * READY never comes. The token is never logged: discord.js's debug and warning text is redacted.
 */
export async function startBot(services: Services, options: BotOptions = {}): Promise<Bot> {
  const token = services.config.token;
  if (token === null) throw new Error('startBot needs DISCORD_TOKEN; without it Factdesk runs the local console.');
  const logger = services.logger.child({ component: 'discord' });
  const redact = (text: string): string => redactSecrets(text.replaceAll(token, '[redacted]'));
  // One set of handlers, whichever connection attempt succeeds.
  const edge: Services = { ...services, logger };
  const listeners: Listeners = { onInteraction: createInteractionHandler(edge), onMessage: createMessageHandler(edge) };

  const connect = async (messageContent: boolean): Promise<Client> => {
    const client = new Client(clientOptions(services.config, messageContent, options.shards));
    attach(client, listeners, logger, redact);
    const ready = waitForReady(client, options.readyTimeoutMs ?? 60_000);
    try {
      await client.login(token);
      await ready.promise;
      return client;
    } catch (error) {
      ready.cancel();
      await client.destroy().catch(() => undefined);
      if (error instanceof GatewayClosedError) throw error;
      // @discordjs/ws rejects the login itself on 4014, before discord.js reports the close code.
      if (error instanceof Error && /disallowed intents/iu.test(error.message)) throw new GatewayClosedError(DISALLOWED_INTENTS);
      throw error instanceof Error ? new Error(redact(error.message), { cause: error }) : error;
    }
  };

  const connectOnce = async (): Promise<Client> => {
    try {
      return await connect(true);
    } catch (error) {
      if (!(error instanceof GatewayClosedError && error.code === DISALLOWED_INTENTS)) throw error;
      logger.warn(
        { askChannels: services.config.askChannelIds.length },
        'the Message Content intent is not enabled for this bot (Developer Portal → Bot → Privileged Gateway Intents); ' +
          'connecting without it: mentions, DMs and forum post titles still work, questions in ask channels without a mention do not',
      );
      return connect(false);
    }
  };

  // The network or Discord may be down for a while when the bot starts (a reboot, an outage):
  // try again with growing pauses, but never with a token Discord refused.
  const retry = { attempts: 8, firstDelayMs: 1_000, maxDelayMs: 30_000, ...options.retry };
  const host = discordHost(services.config.apiUrl);
  let client: Client | null = null;
  for (let attempt = 1; client === null; attempt++) {
    try {
      client = await connectOnce();
    } catch (error) {
      const failure = explainConnectError(error, host);
      const last = !failure.retry || attempt >= retry.attempts;
      const delayMs = Math.min(retry.firstDelayMs * 2 ** (attempt - 1), retry.maxDelayMs);
      logger.error(
        { kind: failure.kind, attempt, ...(last ? {} : { retryInMs: delayMs }), error: describeError(error) },
        `could not connect to Discord: ${failure.message}${last ? '' : ` Trying again in ${formatDuration(delayMs)}.`}`,
      );
      if (last) throw new ConnectError(failure, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }

  let current: Client = client;
  let stopping: Promise<void> | null = null;
  // After READY, discord.js gives up on a fatal close code and leaves nothing running, so the process
  // would end with status 0 and a supervisor would not restart it. Without the Message Content intent
  // it can go on (as at start-up); for anything else, say what to do and let the caller exit non-zero.
  const watch = (watched: Client, messageContent: boolean): void => {
    watched.on(Events.ShardDisconnect, (event) => {
      const why = FATAL_CLOSE_CODES[event.code];
      if (why === undefined || stopping !== null || watched !== current) return;
      if (event.code === DISALLOWED_INTENTS && messageContent) {
        logger.warn(
          { code: event.code },
          'Discord refused the Message Content intent after connecting (Developer Portal → Bot → Privileged Gateway Intents); ' +
            'reconnecting without it: questions in ask channels without a mention are not answered',
        );
        void watched.destroy().catch(() => undefined);
        connect(false).then(
          (next) => {
            current = next;
            watch(next, false);
          },
          (error: unknown) => {
            logger.fatal(
              { code: event.code, error: describeError(error) },
              'could not reconnect to Discord without the Message Content intent',
            );
            options.onFatal?.(event.code);
          },
        );
        return;
      }
      logger.fatal(
        { code: event.code },
        `Discord closed the gateway for good (${event.code}): ${why}. ${FATAL_ADVICE[event.code] ?? ''}`.trim(),
      );
      options.onFatal?.(event.code);
    });
  };
  watch(client, client.options.intents.has(GatewayIntentBits.MessageContent));
  return {
    get client() {
      return current;
    },
    stop() {
      stopping ??= current.destroy().then(() => {
        logger.info('disconnected from Discord');
      });
      return stopping;
    },
  };
}
