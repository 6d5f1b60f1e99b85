/**
 * The worker thread of a reindex: reads, parses and works out the passages and figures of one file
 * at a time, so a slow or hostile file costs this thread, never the one answering questions; and
 * for a full reindex builds the whole archive here and hands it over as snapshot bytes.
 * Started by {@link startPreparer}; each answer for one file carries the article and its prepared
 * passages in one message, so they arrive as one object graph.
 */
import { parentPort } from 'node:worker_threads';
import { prepareArticle } from './archive.ts';
import { loadFile, type FileJob } from './corpus.ts';
import { buildSnapshotBytes, type FullBuildJob } from './full-build.ts';
import type { PreparedFile, WorkerReply } from './preparer.ts';
import { scanChanges, unpackBasis, writeSnapshotBytes, type PackedBasis } from './snapshot.ts';

const port = parentPort;
if (port === null) throw new Error('prepare-worker.ts runs as a worker thread');

/** How often a build says it is still working while it encodes, for the watchdog. */
const WORKING_EVERY_MS = 1_000;

async function prepareFile(job: FileJob): Promise<PreparedFile> {
  try {
    const outcome = await loadFile(job);
    return 'id' in outcome ? { outcome, prepared: prepareArticle(outcome, job.budgetMs) } : { outcome, prepared: null };
  } catch (error) {
    return { outcome: { file: job.file, reason: `the file could not be read (${String(error)})` }, prepared: null };
  }
}

async function build(id: number, job: FullBuildJob, snapshotFile: string | null): Promise<void> {
  const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []): void => {
    port?.postMessage({ id, ...reply }, transfer);
  };
  let saidAt = 0;
  const working = (): void => {
    if (performance.now() - saidAt < WORKING_EVERY_MS) return;
    saidAt = performance.now();
    send({ working: true });
  };
  const built = await buildSnapshotBytes(
    job,
    (progress) => {
      send({ progress });
    },
    working,
  );
  if (built.kind !== 'built') {
    send({ built });
    return;
  }
  // The bytes are shared, not copied: the answering thread reads them while this one writes them to the file.
  send({ built });
  let written: string | null = null;
  if (snapshotFile !== null) {
    // The watchdog watches the write too (a large archive's can take long under load): it is told
    // the temporary file first, to remove if it stops this thread midway, and hears it working.
    const temporary = (file: string): void => {
      send({ writing: file });
    };
    written = await writeSnapshotBytes(snapshotFile, built.bytes, { temporary, working }).then(
      () => null,
      (error: unknown) => (error instanceof Error ? error.message : 'unknown error'),
    );
  }
  send({ written });
}

port.on(
  'message',
  (request: {
    readonly id: number;
    readonly job?: FileJob;
    readonly build?: FullBuildJob;
    readonly snapshotFile?: string | null;
    readonly scan?: { readonly root: string; readonly basis: PackedBasis };
  }) => {
    void (async (): Promise<void> => {
      if (request.scan !== undefined) {
        const scanned = await scanChanges(request.scan.root, unpackBasis(request.scan.basis)).catch(() => null);
        port.postMessage({ id: request.id, scanned });
        return;
      }
      if (request.build !== undefined) {
        await build(request.id, request.build, request.snapshotFile ?? null);
        return;
      }
      if (request.job !== undefined) port.postMessage({ id: request.id, reply: await prepareFile(request.job) });
    })();
  },
);
port.postMessage({ ready: true });
