/**
 * Sharding through discord-hybrid-sharding, for a bot in more servers than one gateway connection
 * may serve (Discord requires shards past 2,500). With `SHARDS` set, `npm start` is a launcher: it
 * brings the index snapshot up to date once, then starts clusters (child processes running this
 * same entrypoint with {@link CLUSTER_ARGUMENT}), each connecting `SHARDS_PER_CLUSTER` shards and
 * loading the snapshot instead of building the index again. Shards in one cluster share one process
 * and one archive in memory, which is why this library and not discord.js's ShardingManager (one
 * process, and one archive, per shard).
 */
import { ClusterClient, ClusterManager, getInfo } from 'discord-hybrid-sharding';
import { REST, Routes, type Client, type RESTGetAPIGatewayBotResult } from 'discord.js';
import path from 'node:path';
import type { ShardSet } from './bot/bot.ts';
import type { Config } from './config.ts';
import { Library, SNAPSHOT_FILE } from './core/library.ts';
import type { Logger } from './logger.ts';

/** The argument the launcher starts each cluster with, so the entrypoint knows it is one. */
export const CLUSTER_ARGUMENT = '--factdesk-cluster';

/** How long a cluster may take to connect all its shards before the launcher gives up (ms per cluster). */
const CLUSTER_READY_TIMEOUT_MS = 10 * 60_000;

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

/** The running clusters, to stop on a signal. */
export interface Launched {
  readonly shards: number;
  readonly clusters: number;
  stop(): Promise<void>;
}

/**
 * Refreshes the snapshot (loads it, or builds the index and writes it), lets that archive go, and
 * starts the clusters; resolves once they are all spawned. `entry` is the file each cluster runs.
 */
export async function launchClusters(config: Config, logger: Logger, entry: string, onFatal: (status: number) => void): Promise<Launched> {
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

  const manager = new ClusterManager(entry, {
    token,
    totalShards: shards,
    shardsPerClusters: perCluster,
    mode: 'process',
    shardArgs: [CLUSTER_ARGUMENT],
    // Sources run under tsx's loader, which a child does not get unless told; dist/ needs nothing.
    execArgv: [...process.execArgv],
    respawn: true,
  });
  manager.on('clusterCreate', (cluster) => {
    logger.info({ cluster: cluster.id, shards: cluster.shardList }, 'starting a cluster');
    cluster.on('death', (_cluster, thread) => {
      const code = thread && 'exitCode' in thread ? thread.exitCode : null;
      logger.warn({ cluster: cluster.id, code }, 'a cluster exited');
      // A refused token or intents (78) needs a person: restarting the cluster cannot help.
      if (code === 78) onFatal(78);
    });
  });
  const clusters = Math.ceil(shards / perCluster);
  logger.info({ shards, clusters, shardsPerCluster: perCluster }, 'starting the clusters');
  await manager.spawn({ amount: shards, timeout: CLUSTER_READY_TIMEOUT_MS });
  logger.info({ shards, clusters }, 'all clusters started');
  return {
    shards,
    clusters,
    async stop() {
      manager.respawn = false;
      await Promise.all(
        [...manager.clusters.values()].map(
          (cluster) =>
            new Promise<void>((resolve) => {
              const child = cluster.thread?.process;
              // Killing drops the library's listeners on the child: listen for its exit after.
              cluster.kill({ force: true, reason: 'the launcher is stopping' });
              if (!child || !('exitCode' in child) || child.exitCode !== null) {
                resolve();
                return;
              }
              const timer = setTimeout(resolve, 10_000);
              child.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
            }),
        ),
      );
    },
  };
}
