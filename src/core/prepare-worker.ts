/**
 * The worker thread of a reindex: reads, parses and works out the passages and figures of one file
 * at a time, so a slow or hostile file costs this thread, never the one answering questions.
 * Started by {@link startPreparer}; each answer carries the article and its prepared passages in
 * one message, so they arrive as one object graph.
 */
import { parentPort } from 'node:worker_threads';
import { prepareArticle } from './archive.ts';
import { loadFile, type FileJob } from './corpus.ts';
import type { PreparedFile } from './preparer.ts';

const port = parentPort;
if (port === null) throw new Error('prepare-worker.ts runs as a worker thread');
port.on('message', (request: { readonly id: number; readonly job: FileJob }) => {
  void (async (): Promise<void> => {
    let reply: PreparedFile;
    try {
      const outcome = await loadFile(request.job);
      reply = 'id' in outcome ? { outcome, prepared: prepareArticle(outcome, request.job.budgetMs) } : { outcome, prepared: null };
    } catch (error) {
      reply = { outcome: { file: request.job.file, reason: `the file could not be read (${String(error)})` }, prepared: null };
    }
    port.postMessage({ id: request.id, reply });
  })();
});
port.postMessage({ ready: true });
