/**
 * Starting a worker thread, from the sources (tests, `npm run dev`, under tsx) and from the
 * compiled `dist/` (`npm start`) alike: the reindex worker and the chart worker start through here.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { formatDuration } from './durations.ts';

/** A worker's entry file, the Node flags it starts with, and what its entry is given. */
export interface WorkerEntry {
  readonly url: URL;
  /**
   * Flags to start it with; absent, it inherits this process's. Node refuses many flags given to a
   * worker (`--expose-gc`, `--max-old-space-size`, `--trace-gc`, `--stack-size`…) but accepts them
   * inherited, so Factdesk's own workers inherit.
   */
  readonly execArgv?: readonly string[];
  /** For the tsx entry: the TypeScript file it loads. */
  readonly workerData?: { readonly entry: string };
}

/** How long a worker may take to start (send its first message) before the work is done without it. */
export const START_TIMEOUT_MS = 15_000;

/**
 * The entry of the worker whose file is `<name>.ts` beside `base` (the caller's `import.meta.url`):
 * from `dist/`, `<name>.js` itself; from sources, `tsx-worker.mjs`, which registers tsx's loader in
 * the worker (a worker thread does not inherit it from the command line) and then loads `<name>.ts`.
 */
export function workerEntry(name: string, base: string): WorkerEntry {
  if (path.extname(fileURLToPath(base)) !== '.ts') return { url: new URL(`./${name}.js`, base) };
  return { url: new URL('./tsx-worker.mjs', import.meta.url), workerData: { entry: new URL(`./${name}.ts`, base).href } };
}

/**
 * Starts a worker thread and waits for its first message, which says it has loaded. Resolves to
 * why not, as a sentence, when it cannot start, exits or errs first, or says nothing within
 * `startTimeoutMs` (the caller then does the work in this thread, and says so).
 */
export async function startWorkerThread(
  entry: WorkerEntry,
  startTimeoutMs = START_TIMEOUT_MS,
): Promise<Worker | { readonly unavailable: string }> {
  let worker: Worker;
  try {
    const flags = entry.execArgv === undefined ? {} : { execArgv: [...entry.execArgv] };
    worker = new Worker(entry.url, { ...flags, workerData: entry.workerData });
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message : String(error) };
  }
  // Only our own listeners are removed: a Worker keeps internal ones (removeAllListeners would cut
  // it off from its messages).
  const started = await new Promise<true | string>((resolve) => {
    const done = (outcome: true | string): void => {
      clearTimeout(timer);
      worker.off('message', onReady).off('error', onError).off('exit', onExit);
      resolve(outcome);
    };
    const onReady = (): void => {
      done(true);
    };
    const onError = (error: Error): void => {
      done(error.message);
    };
    const onExit = (code: number): void => {
      done(`it exited with code ${code}`);
    };
    const timer = setTimeout(() => {
      done(`it did not start within ${formatDuration(startTimeoutMs)}`);
    }, startTimeoutMs);
    worker.once('message', onReady).once('error', onError).once('exit', onExit);
  });
  if (started !== true) {
    await worker.terminate();
    return { unavailable: started };
  }
  return worker;
}
