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
   * Flags to start it with; absent, it inherits this process's (less {@link SCRIPT_FLAGS}). Node refuses
   * many flags given to a worker (`--expose-gc`, `--max-old-space-size`, `--trace-gc`, `--stack-size`…)
   * but accepts them inherited, so Factdesk's own workers inherit.
   */
  readonly execArgv?: readonly string[];
  /** For the tsx entry: the TypeScript file it loads. */
  readonly workerData?: { readonly entry: string };
}

/**
 * Flags that say what this process's main script is, each with whether a value follows it (unless
 * written `--flag=value`). A worker started from a file has no use for them, and Node refuses to
 * start one that inherits `--input-type`.
 */
const SCRIPT_FLAGS: ReadonlyMap<string, boolean> = new Map([
  ['--eval', true],
  ['-e', true],
  ['--print', true],
  ['-p', true],
  ['-pe', true],
  ['--input-type', true],
  ['--interactive', false],
  ['-i', false],
]);

/**
 * `execArgv` less the flags that say what the main script is ({@link SCRIPT_FLAGS}) and their
 * values: what a worker, or a child process started from a file, is to be given of this process's.
 */
export function withoutScriptFlags(execArgv: readonly string[]): readonly string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i] ?? '';
    const name = flag.split('=', 1)[0] ?? flag;
    const takesValue = SCRIPT_FLAGS.get(name);
    if (takesValue === undefined) kept.push(flag);
    // `--print --eval code`: the print flag's value is the eval flag's.
    else if (takesValue && name === flag && !SCRIPT_FLAGS.has(execArgv[i + 1] ?? '')) i++;
  }
  return kept;
}

/**
 * `flags` less those Node names in `error` as refused in a worker (it names each as given), or
 * null when that takes none out. They are the flags of the whole process (V8's, and Node's
 * per-process ones), which hold in its workers anyway.
 */
function withoutRefused(flags: readonly string[], error: unknown): string[] | null {
  if (!(error instanceof Error) || (error as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') return null;
  const listed = error.message.slice(error.message.indexOf(':') + 1).split(',');
  const refused = new Set(listed.map((flag) => flag.trim()));
  const kept = flags.filter((flag) => !refused.has(flag));
  return kept.length < flags.length ? kept : null;
}

/**
 * A worker of `entry` with this process's flags: inherited, which Node accepts whatever they are,
 * unless some say what the main script is; then given all but those, and given again without any
 * Node then refuses.
 */
function inheritingWorker(entry: WorkerEntry): Worker {
  const options = { workerData: entry.workerData };
  const flags = withoutScriptFlags(process.execArgv);
  if (flags.length === process.execArgv.length) return new Worker(entry.url, options);
  try {
    return new Worker(entry.url, { ...options, execArgv: [...flags] });
  } catch (error) {
    const kept = withoutRefused(flags, error);
    if (kept === null) throw error;
    return new Worker(entry.url, { ...options, execArgv: kept });
  }
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
    worker =
      entry.execArgv === undefined
        ? inheritingWorker(entry)
        : new Worker(entry.url, { execArgv: [...entry.execArgv], workerData: entry.workerData });
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
