/**
 * Sharding through discord-hybrid-sharding, for a bot in more servers than one gateway connection
 * may serve (Discord requires shards past 2,500). With `SHARDS` set, `npm start` is a launcher: it
 * brings the index snapshot up to date once, then starts clusters (child processes running this
 * same entrypoint with {@link CLUSTER_ARGUMENT}), each connecting `SHARDS_PER_CLUSTER` shards and
 * loading the snapshot instead of building the index again. Shards in one cluster share one process
 * and one archive in memory, which is why this library and not discord.js's ShardingManager (one
 * process, and one archive, per shard).
 */
import { ClusterClient, ClusterManager, getInfo, type Cluster } from 'discord-hybrid-sharding';
import { REST, Routes, type Client, type RESTGetAPIGatewayBotResult } from 'discord.js';
import path from 'node:path';
import type { ShardSet } from './bot/bot.ts';
import { ClusterBackoff } from './cluster-backoff.ts';
import type { Config } from './config.ts';
import { formatDuration } from './core/durations.ts';
import { Library, SNAPSHOT_FILE } from './core/library.ts';
import { withoutScriptFlags } from './core/worker-start.ts';
import type { Logger } from './logger.ts';

/** The argument the launcher starts each cluster with, so the entrypoint knows it is one. */
export const CLUSTER_ARGUMENT = '--factdesk-cluster';

/** How long a cluster may take to connect all its shards before the launcher gives up (ms per cluster). */
const CLUSTER_READY_TIMEOUT_MS = 10 * 60_000;

/** How long a cluster told to stop may take before it is killed (ms). */
const STOP_GRACE_MS = 10_000;

/** Whether this process is a cluster the launcher started. */
export function isCluster(argv: readonly string[] = process.argv): boolean {
  return argv.includes(CLUSTER_ARGUMENT);
}

/** This cluster's number and shards, as the launcher handed them over. */
export function clusterShards(): ShardSet & { readonly cluster: number } {
  const info = getInfo();
  return { ids: info.SHARD_LIST, count: info.TOTAL_SHARDS, cluster: info.CLUSTER };
}

/** Tells the launcher this cluster's shards are connected, so it starts the next cluster. */
export function reportReady(client: Client): void {
  new ClusterClient(client).triggerReady();
}

/** How many shards Discord recommends for this bot (`GET /gateway/bot`), through `DISCORD_API_URL` when set. */
export async function recommendedShards(config: Pick<Config, 'token' | 'apiUrl'>): Promise<number> {
  if (config.token === null) throw new Error('SHARDS=auto needs DISCORD_TOKEN');
  const rest = new REST(config.apiUrl === null ? {} : { api: config.apiUrl }).setToken(config.token);
  const gateway = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  return Math.max(1, gateway.shards);
}

/** How many shards, in how many clusters, the launcher started. */
export interface Launched {
  readonly shards: number;
  readonly clusters: number;
}

/**
 * Kills a cluster's process and resolves once it has exited: told to stop (SIGTERM), then killed
 * (SIGKILL) if it has not exited after {@link STOP_GRACE_MS}.
 */
function stopCluster(cluster: Cluster, graceMs: number): Promise<void> {
  const child = cluster.thread?.process;
  // Killing drops the library's listeners on the child: listen for its exit after.
  cluster.kill({ force: true, reason: 'the launcher is stopping' });
  if (!child || !('exitCode' in child) || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * The launcher's clusters. {@link start} refreshes the index snapshot (loads it, or builds the index
 * and writes it), lets that archive go, and spawns the clusters; {@link stop} may come at any
 * moment, while the snapshot is built or a cluster is being spawned included, and kills every
 * cluster spawned or being spawned and spawns no more. A cluster that exits is started again after
 * a wait that doubles with each quick death ({@link ClusterBackoff}); after too many in a row, or
 * one refused for good (78), `onFatal` is told the exit status to stop with.
 */
export class Clusters {
  readonly #config: Config;
  readonly #logger: Logger;
  readonly #entry: string;
  readonly #onFatal: (status: number) => void;
  readonly #backoff: ClusterBackoff;
  readonly #graceMs: number;
  #manager: ClusterManager | null = null;
  #stopping = false;
  /** Set once every cluster has been spawned: a death before that fails the start instead. */
  #spawned = false;
  readonly #respawns = new Set<NodeJS.Timeout>();
  /** When each cluster's current process started, to tell a quick death from a fault after a while. */
  readonly #startedAt = new Map<number, number>();

  /** `entry` is the file each cluster runs; `onFatal` is told the status to exit with. */
  constructor(
    config: Config,
    logger: Logger,
    entry: string,
    onFatal: (status: number) => void,
    options: { readonly backoff?: ClusterBackoff; readonly graceMs?: number } = {},
  ) {
    this.#config = config;
    this.#logger = logger;
    this.#entry = entry;
    this.#onFatal = onFatal;
    this.#backoff = options.backoff ?? new ClusterBackoff();
    this.#graceMs = options.graceMs ?? STOP_GRACE_MS;
  }

  /** Resolves once every cluster is spawned, or to null when {@link stop} came first. */
  async start(): Promise<Launched | null> {
    const config = this.#config;
    const logger = this.#logger;
    const token = config.token;
    if (token === null) throw new Error('sharding needs DISCORD_TOKEN');
    const shards = config.shards === 'auto' ? await recommendedShards(config) : (config.shards ?? 1);
    const perCluster = Math.min(config.shardsPerCluster ?? shards, shards);

    const snapshotFile = path.join(config.dataDir, SNAPSHOT_FILE);
    logger.info({ seedsDir: config.seedsDir, snapshotFile }, 'bringing the index snapshot up to date for the clusters');
    let library: Library | null = await Library.open({ seedsDir: config.seedsDir, maxArchiveMb: config.maxArchiveMb, snapshotFile });
    const written = await library.snapshotWritten();
    const { startup } = library;
    if (startup?.snapshotError) logger.warn({ snapshotFile }, `could not write the index snapshot: ${startup.snapshotError}`);
    else if (written !== null) logger.warn({ snapshotFile }, `could not write the index snapshot: ${written}`);
    logger.info({ ...library.archive.stats, from: startup?.source, ms: Math.round(startup?.ms ?? 0) }, 'index snapshot ready');
    await library.close();
    // The launcher only supervises: each cluster holds its own archive, this one need not stay.
    library = null;
    if (this.#stopped()) return null;

    const manager = new ClusterManager(this.#entry, {
      token,
      totalShards: shards,
      shardsPerClusters: perCluster,
      mode: 'process',
      shardArgs: [CLUSTER_ARGUMENT],
      // Sources run under tsx's loader, which a child does not get unless told; dist/ needs nothing.
      // Not --eval and the like: a child given them would run that code instead of this file.
      execArgv: [...withoutScriptFlags(process.execArgv)],
      // Started again here, with a backoff: the library would respawn a dying cluster at once.
      respawn: false,
    });
    this.#manager = manager;
    manager.on('clusterCreate', (cluster) => {
      logger.info({ cluster: cluster.id, shards: cluster.shardList }, 'starting a cluster');
      cluster.on('spawn', (child) => {
        this.#startedAt.set(cluster.id, performance.now());
        logger.info({ cluster: cluster.id, pid: child && 'pid' in child ? child.pid : undefined }, 'cluster process started');
      });
      cluster.on('death', (_cluster, thread) => {
        this.#died(cluster, thread && 'exitCode' in thread ? thread.exitCode : null);
      });
    });
    const clusters = Math.ceil(shards / perCluster);
    logger.info({ shards, clusters, shardsPerCluster: perCluster }, 'starting the clusters');
    try {
      await manager.spawn({ amount: shards, timeout: CLUSTER_READY_TIMEOUT_MS });
    } catch (error) {
      // Stopped meanwhile: the cluster being spawned was killed, which is what failed the spawn.
      if (this.#stopped()) return null;
      await this.stop();
      throw error;
    }
    if (this.#stopped()) return null;
    this.#spawned = true;
    logger.info({ shards, clusters }, 'all clusters started');
    return { shards, clusters };
  }

  /** Whether {@link stop} was called (a method, so a check after an await is not taken for the one before it). */
  #stopped(): boolean {
    return this.#stopping;
  }

  #died(cluster: Cluster, code: number | null): void {
    if (this.#stopping) return;
    const logger = this.#logger;
    logger.warn({ cluster: cluster.id, code }, 'a cluster exited');
    // A refused token or intents (78) needs a person: restarting the cluster cannot help.
    if (code === 78) {
      logger.fatal({ cluster: cluster.id, status: 78 }, 'a cluster cannot connect and restarting it cannot help: stopping');
      this.#onFatal(78);
      return;
    }
    // While the clusters are first spawned, a death fails the start (the spawn rejects).
    if (!this.#spawned) return;
    const next = this.#backoff.afterDeath(cluster.id, performance.now() - (this.#startedAt.get(cluster.id) ?? 0));
    if ('giveUp' in next) {
      logger.fatal(
        { cluster: cluster.id, quickDeaths: next.quickDeaths },
        `cluster ${cluster.id} exited ${next.quickDeaths} times in a row soon after starting: giving up and stopping (its log lines above say why)`,
      );
      this.#onFatal(1);
      return;
    }
    logger.warn(
      { cluster: cluster.id, inMs: next.respawnInMs },
      `starting cluster ${cluster.id} again in ${formatDuration(next.respawnInMs)}`,
    );
    const timer = setTimeout(() => {
      this.#respawns.delete(timer);
      if (this.#stopping) return;
      // Its death, if it dies again, is handled above; the spawn's own rejection says only that.
      cluster.spawn(CLUSTER_READY_TIMEOUT_MS).catch((error: unknown) => {
        logger.debug({ cluster: cluster.id, error: error instanceof Error ? error.message : String(error) }, 'cluster restart failed');
      });
    }, next.respawnInMs);
    this.#respawns.add(timer);
  }

  /** Kills every cluster spawned or being spawned, waits for them to exit, and spawns no more. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#respawns) clearTimeout(timer);
    this.#respawns.clear();
    const manager = this.#manager;
    if (manager === null) return;
    // No cluster after the one being spawned, if any.
    manager.queue.stop();
    await Promise.all([...manager.clusters.values()].map((cluster) => stopCluster(cluster, this.#graceMs)));
  }
}
