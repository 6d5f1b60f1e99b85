/**
 * Factdesk, started by its entrypoint (src/main.ts) with what it is given there. With DISCORD_TOKEN
 * set it connects to Discord; without, it runs the local console over the same commands.
 */
import { existsSync } from 'node:fs';
import { GatewayCloseCodes, Status } from 'discord.js';
import path from 'node:path';
import type { Services } from './command.ts';
import { ConfigError, parseConfig, type Config } from './config.ts';
import { runLocalConsole } from './console.ts';
import { sanitiseForTerminal } from './render/terminal.ts';
import { Cooldown } from './cooldown.ts';
import { CorpusError } from './core/corpus.ts';
import { Library, SNAPSHOT_FILE, type LibraryOptions } from './core/library.ts';
import type { ProgressListener } from './core/progress.ts';
import { ProgressLine } from './render/progress.ts';
import { chartRenderer } from './render/chart-renderer.ts';
import type { Bot, ShardSet } from './bot/bot.ts';
import type { HealthServer } from './health-server.ts';
import { exitOnCrash } from './errors.ts';
import { formatDuration } from './core/durations.ts';
import { createLogger, prettyLines, type Logger } from './logger.ts';
import type { HealthProbe, Metrics } from './metrics.ts';
import { FeedPoller, type NewStory } from './feeds/feed-poller.ts';
import { libraryIndexer } from './feeds/library-indexer.ts';
import { AnswerPages } from './answer-pages.ts';
import { watchSeeds } from './seeds-watch.ts';

/** How long after start-up the reindex worker is started, ahead of the first reindex. */
const WORKER_AHEAD_MS = 10_000;

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : 'unknown error');

function readConfig(): Config {
  // Node reads .env itself; variables already set in the environment win over the file.
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(
      `Factdesk cannot start: the configuration is invalid.\n${error.message.replace(/^/gmu, '  ')}\nSee .env.example for every variable.\n`,
    );
    process.exit(1);
  }
}

/** The bot's log line for the end of reading; the others are 'index built' and 'ready in N s'. */
function logPhases(logger: Logger, startedAt: Date): ProgressListener {
  return (progress) => {
    if (progress.phase === 'reading' && progress.read === progress.files)
      logger.info({ files: progress.files, seconds: secondsSince(startedAt) }, 'articles read');
  };
}

/** Seconds since `start`, to one decimal: `6.2` (a log field for machines). */
function secondsSince(start: Date): number {
  return Math.round((Date.now() - start.getTime()) / 100) / 10;
}

async function startHealth(config: Config, probe: HealthProbe, metrics: Metrics, logger: Logger): Promise<HealthServer> {
  const { healthHost: host, healthPort: port } = config;
  const { startHealthServer } = await import('./health-server.ts');
  try {
    const server = await startHealthServer({ host, port: port ?? 0, probe, metrics });
    logger.info({ url: `http://${host.includes(':') ? `[${host}]` : host}:${server.port}` }, 'serving /healthz and /metrics');
    return server;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `Factdesk cannot start: HEALTH_PORT ${port ?? ''} on ${host} cannot be used (${why}). Pick a free port, or unset HEALTH_PORT.\n`,
    );
    process.exit(1);
  }
}

/**
 * Stops what is running and exits 0 on SIGTERM or SIGINT, from the first moment of a bot's start:
 * a signal while the articles load or the gateway connects must not kill it with status 143.
 */
function stopOnSignals(logger: Logger, running: readonly (() => unknown)[]): void {
  // on, not once: a signal to the whole process group reaches this process twice (directly, and
  // relayed by tsx), and a second SIGTERM with no listener left would kill it with status 143.
  let shuttingDown = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (shuttingDown) return;
      shuttingDown = true;
      logger.info({ signal }, 'shutting down');
      void Promise.allSettled(running.toReversed().map((stop) => Promise.resolve().then(stop))).finally(() => process.exit(0));
    });
  }
}

/** What the entrypoint passes in (dependencies passed in, not reached for). */
export interface FactdeskDependencies {
  /** The file each cluster of a sharded bot runs: the entrypoint itself. */
  readonly entry: string;
  /** The commands (commands/index.ts): only the entrypoint imports commands/. */
  readonly loadCommands: () => Services['commands'];
  /**
   * Starts the library's reindex worker; unset, the real one. An end-to-end test's entrypoint
   * passes one whose reindexes it can hold while they run (test/support/held-reindex-bot.ts).
   */
  readonly startWorker?: LibraryOptions['startWorker'];
}

/** Runs Factdesk: the bot, its launcher when sharded, or the local console. */
export async function runFactdesk(dependencies: FactdeskDependencies): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel ?? (config.token === null ? 'warn' : 'info'), {
    secrets: config.token === null ? [] : [config.token],
    // Unset, the bot logs JSON for machines, and the console on a terminal readable lines for its person.
    ...((config.logFormat ?? (config.token === null && process.stderr.isTTY ? 'pretty' : 'json')) === 'pretty'
      ? { format: await prettyLines(process.stderr.isTTY && !config.noColor) }
      : {}),
  });
  exitOnCrash(logger);
  const startedAt = new Date();
  // What to stop on SIGTERM or SIGINT, added as each part starts.
  const running: (() => unknown)[] = [];
  if (config.token !== null) stopOnSignals(logger, running);
  const now = (): Date => new Date();

  // SHARDS set: this process is the launcher, or one of the clusters it started (see src/shards.ts).
  const sharding = config.token !== null && config.shards !== null ? await import('./shards.ts') : null;
  if (sharding !== null && !sharding.isCluster()) {
    await launch(config, logger, running, sharding, dependencies.entry);
    return;
  }
  const cluster: (ShardSet & { readonly cluster: number }) | null = sharding?.clusterShards() ?? null;
  // Of several clusters, the first alone serves health and polls feeds: one port, one writer of the feed folders.
  const firstCluster = cluster === null || cluster.cluster === 0;

  // The health server starts first, so that /healthz answers 503 while the index is still building.
  let library: Library | null = null;
  let bot: Bot | null = null;
  const probe: HealthProbe = {
    index: () => library?.archive.stats ?? null,
    gatewayReady: () => bot?.client.ws.status === Status.Ready,
  };
  // prom-client is loaded only when there is a health server to serve its metrics.
  const metrics =
    config.token !== null && config.healthPort !== null && firstCluster ? new (await import('./metrics.ts')).Metrics(probe) : null;
  const health = metrics === null ? null : await startHealth(config, probe, metrics, logger);
  if (health) running.push(() => health.close());

  try {
    logger.info({ seedsDir: config.seedsDir }, 'loading the articles');
    // The console on a terminal shows a progress line; the bot logs a line when reading ends.
    const progressLine = config.token === null && process.stderr.isTTY ? new ProgressLine(process.stderr) : null;
    library = await Library.open({
      seedsDir: config.seedsDir,
      maxArchiveMb: config.maxArchiveMb,
      now,
      snapshotFile: path.join(config.dataDir, SNAPSHOT_FILE),
      onProgress: progressLine?.update ?? logPhases(logger, startedAt),
      // Reindexes read and parse in a worker thread, so answering never waits behind a hostile file.
      reindexInWorker: true,
      ...(dependencies.startWorker === undefined ? {} : { startWorker: dependencies.startWorker }),
      log: (message) => {
        logger.warn(message);
      },
    });
    progressLine?.clear();
  } catch (error) {
    if (!(error instanceof CorpusError)) throw error;
    logger.fatal({ seedsDir: config.seedsDir }, error.message);
    process.stderr.write(`Factdesk cannot start: ${error.message}. Set SEEDS_DIR to a folder of articles.\n`);
    process.exit(1);
  }
  // The console prints problems for people, as the CLI does; the bot logs them for machines.
  for (const problem of library.problems) {
    if (config.token === null)
      process.stderr.write(`skipped ${sanitiseForTerminal(problem.file)}: ${sanitiseForTerminal(problem.reason)}\n`);
    else logger.warn({ file: problem.file }, `skipped article: ${problem.reason}`);
  }
  const startup = library.startup;
  if (startup?.snapshotError) logger.warn({ file: library.snapshotFile }, `could not write the index snapshot: ${startup.snapshotError}`);
  logger.info(
    {
      ...library.archive.stats,
      ms: Math.round(startup?.ms ?? 0),
      from: startup?.source,
      rebuiltBecause: startup?.snapshotRejected ?? undefined,
      staleSnapshotTemporariesRemoved: (startup?.staleTemporariesRemoved ?? 0) > 0 ? startup?.staleTemporariesRemoved : undefined,
    },
    startup?.source === 'snapshot' ? 'index loaded from snapshot' : 'index built',
  );
  library.warmUp();
  // The reindex worker is started ahead, so the first reindex finds it running, but a while after
  // start-up, so its start (0.3 s of CPU) does not compete with connecting and the first answers.
  // Cancelled at shutdown: a stop within those seconds must not start it.
  const cancelWorkerAhead = library.startWorkerAfter(WORKER_AHEAD_MS);
  running.push(cancelWorkerAhead);
  const open = library;
  const stopWatching = config.watchSeeds
    ? watchSeeds({
        library: open,
        onReindex: (outcome) => {
          if ('error' in outcome) logger.warn({ seedsDir: config.seedsDir }, `watch reindex failed: ${errorMessage(outcome.error)}`);
          else if (outcome.summary.added.length + outcome.summary.changed.length + outcome.summary.removed.length > 0) {
            const { added, changed, removed, ms } = outcome.summary;
            logger.info(
              { added: added.length, changed: changed.length, removed: removed.length, ms: Math.round(ms) },
              'reindexed after a change',
            );
          }
        },
      })
    : () => undefined;
  running.push(stopWatching);

  let announce = (_stories: readonly NewStory[]): Promise<void> => Promise.resolve();
  const feeds = await FeedPoller.open({
    seedsDir: config.seedsDir,
    dataDir: config.dataDir,
    configured: config.feeds,
    intervalMinutes: config.feedIntervalMinutes,
    fetchPolicy: { allowPrivate: config.feedsAllowPrivate },
    indexer: libraryIndexer(library),
    logger,
    now,
    // Set once the bot is connected, when FEED_ANNOUNCE_CHANNEL_ID names a channel.
    onNewStories: (stories) => void announce(stories),
  });
  running.push(() => feeds.stop());
  const commands = dependencies.loadCommands();
  const charts = chartRenderer({ logger });
  running.push(() => charts.close());
  const services: Services = {
    library,
    config,
    now,
    startedAt,
    answerPages: new AnswerPages(),
    // The console has one user, who is never made to wait.
    cooldown: new Cooldown(config.token === null ? 0 : config.cooldownSeconds, now),
    commands,
    logger,
    ...(metrics === null ? {} : { observer: metrics }),
    feeds,
    charts,
  };

  if (config.token === null) {
    const context = { ...services, invoker: { id: 'console', roleIds: [], canManageGuild: true, local: true } };
    feeds.start();
    await runLocalConsole({
      input: process.stdin,
      output: process.stdout,
      errors: process.stderr,
      context,
      readyIn: formatDuration(Date.now() - startedAt.getTime()),
    });
    cancelWorkerAhead();
    await feeds.stop();
    await charts.close();
    stopWatching();
    return;
  }

  running.push(() => bot?.stop());
  const { startBot, ConnectError } = await import('./bot/bot.ts');
  try {
    logger.info(
      { api: config.apiUrl ?? 'discord.com', ...(cluster === null ? {} : { cluster: cluster.cluster, shards: cluster.ids }) },
      'connecting to Discord',
    );
    bot = await startBot(services, {
      ...(cluster === null ? {} : { shards: cluster }),
      onFatal: (code) => {
        // Logged at fatal by the bot. A refused token or intents need a person (78, as at start-up).
        const needsPerson: readonly number[] = [GatewayCloseCodes.AuthenticationFailed, GatewayCloseCodes.DisallowedIntents];
        const status = needsPerson.includes(code) ? 78 : 1;
        void Promise.all([bot?.stop(), health?.close()]).finally(() => process.exit(status));
      },
    });
  } catch (error) {
    // startBot has logged why (with secrets redacted); say it plainly too, and stop.
    process.stderr.write(`Factdesk could not connect to Discord: ${error instanceof Error ? error.message : 'unknown error'}\n`);
    await health?.close();
    // 78 (EX_CONFIG): starting again cannot help until someone fixes the token or the intents,
    // so the systemd unit does not restart on it (RestartPreventExitStatus=78).
    process.exit(error instanceof ConnectError && !error.failure.retry ? 78 : 1);
  }
  logger.info({ seconds: secondsSince(startedAt) }, `ready in ${formatDuration(Date.now() - startedAt.getTime())}`);
  const connected = bot;
  sharding?.reportReady(connected.client);
  // Polling starts once the bot is connected, so the first poll's stories can be announced.
  if (config.feedAnnounceChannelId !== null) {
    const { createAnnouncer } = await import('./bot/announce.ts');
    announce = createAnnouncer(connected.client, config.feedAnnounceChannelId, logger);
  }
  if (firstCluster) feeds.start();
}

/**
 * The launcher of a sharded bot: brings the snapshot up to date, starts the clusters (each runs this
 * file), and stops them on SIGTERM, even while they are being started; a cluster refused for good
 * (78), or one that keeps dying as it starts, stops them all with a non-zero status.
 */
async function launch(
  config: Config,
  logger: Logger,
  running: (() => unknown)[],
  sharding: typeof import('./shards.ts'),
  entry: string,
): Promise<void> {
  const clusters = new sharding.Clusters(config, logger, entry, (status) => {
    void clusters.stop().finally(() => process.exit(status));
  });
  // Before anything is spawned, so that a signal during the spawn stops what has started.
  running.push(() => clusters.stop());
  try {
    await clusters.start();
  } catch (error) {
    const why = errorMessage(error);
    logger.fatal({ seedsDir: config.seedsDir }, `could not start the clusters: ${why}`);
    process.stderr.write(`Factdesk could not start its clusters: ${why}\n`);
    process.exit(1);
  }
}
