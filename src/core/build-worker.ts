/**
 * A cold build's worker thread: reads, parses and prepares the files it is sent, a batch at a
 * time, and sends each back packed ({@link packPrepared}), its buffers moved rather than copied.
 * Started by {@link buildCold}; it keeps the build's term numbering for as long as it runs.
 */
import { parentPort } from 'node:worker_threads';
import { packPrepared, prepareArticle, startWireSession } from './archive.ts';
import type { BuildReply, BuildRequest, BuiltFile } from './cold-build.ts';
import { loadFileSync, type FileJob } from './corpus.ts';
import type { Article, Problem } from './types.ts';

const port = parentPort;
if (port === null) throw new Error('build-worker.ts runs as a worker thread');

/** Reads with blocking calls: this thread has nothing else to do meanwhile, and they cost a fifth of the CPU of promises. */
function load(job: FileJob): Article | Problem {
  try {
    return loadFileSync(job);
  } catch (error) {
    return { file: job.file, reason: `the file could not be read (${String(error)})` };
  }
}

/** Prepares and packs a loaded file; in the order of the batch, so a term's text goes out with the first file that uses it. */
function build(outcome: Article | Problem, job: FileJob): BuiltFile {
  if (!('id' in outcome)) return { problem: outcome };
  const prepared = prepareArticle(outcome, job.budgetMs);
  return 'article' in prepared ? { packed: packPrepared(prepared) } : { article: outcome, failed: prepared };
}

startWireSession();
// Batches are done one at a time, in the order they come: a term's text goes out before its number is used.
let queue = Promise.resolve();
/** Batches not yet done, and when the worker last ran out of them: how long it waited for work is told back. */
let pending = 0;
let idleSince = performance.now();
port.on('message', (request: BuildRequest) => {
  const idleMs = pending === 0 ? performance.now() - idleSince : 0;
  pending++;
  queue = queue.then(() => {
    const files = request.jobs.map((job) => build(load(job), job));
    const moved: ArrayBuffer[] = [];
    for (const file of files) {
      if (!('packed' in file)) continue;
      const { words, titleWords, layout, sentences, figures, tokens } = file.packed;
      moved.push(tokens, ...[words, titleWords, layout, sentences, figures].map((array) => array.buffer as ArrayBuffer));
    }
    const reply: BuildReply = { batch: request.batch, files, idleMs };
    port.postMessage(reply, moved);
    if (--pending === 0) idleSince = performance.now();
  });
});
port.postMessage({ ready: true });
