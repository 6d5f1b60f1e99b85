/**
 * Timeline charts drawn off the answering thread. Drawing one (Vega-Lite → Vega → SVG → resvg →
 * PNG) takes 0.3–1 s of CPU, and loading Vega about a second more the first time: in the thread
 * that answers, that held up every other question, Discord's heartbeats and the timer that defers
 * a late interaction. A worker thread ({@link startChartWorker}) draws them instead, started at the
 * first chart and kept, idle and unreferenced, for the next. When it cannot start, charts are drawn
 * in this thread after a logged warning, as before.
 */
import type { Worker } from 'node:worker_threads';
import type { Timeline } from '../core/timeline.ts';
import { startWorkerThread, workerEntry, type WorkerEntry } from '../core/worker-start.ts';
import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { MIN_CHART_POINTS } from './timeline-text.ts';
import { formatDuration } from '../core/durations.ts';

/** What the chart worker is asked: draw this timeline. */
export interface ChartRequest {
  readonly id: number;
  readonly timeline: Timeline;
}

/** What it answers: the PNG (null for too few points), or why it could not be drawn. */
export type ChartReply =
  | { readonly id: number; readonly png: Uint8Array | null; readonly error?: undefined }
  | { readonly id: number; readonly error: string; readonly png?: undefined };

/** Draws a timeline's chart: PNG bytes, or null for fewer than {@link MIN_CHART_POINTS} points. */
export type DrawChart = (timeline: Timeline) => Promise<Uint8Array | null>;

/** A running chart worker. */
export interface ChartWorker {
  readonly draw: DrawChart;
  /** False once it has died or been stopped: start another. */
  readonly alive: boolean;
  close(): Promise<void>;
}

/** How long one chart may take in the worker before the worker is taken for hung and stopped. */
export const CHART_TIMEOUT_MS = 30_000;

/** The chart worker failed to draw a chart: it hung, died, or the drawing threw. */
export class ChartError extends Error {
  override readonly name = 'ChartError';
}

/**
 * Starts the chart worker (`chart-worker.ts` from sources, `chart-worker.js` from `dist/`).
 * Resolves to why not, as a sentence, when it cannot start.
 */
export async function startChartWorker(
  entry: WorkerEntry = workerEntry('chart-worker', import.meta.url),
  timeoutMs = CHART_TIMEOUT_MS,
): Promise<ChartWorker | { readonly unavailable: string }> {
  const started = await startWorkerThread(entry);
  if ('unavailable' in started) return started;
  const worker: Worker = started;
  // Idle, it must not keep the process alive; referenced only while it draws.
  worker.unref();
  const pending = new Map<number, { resolve: (png: Uint8Array | null) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: ChartError | null = null;
  // The worker draws one chart at a time, in the order asked: the watchdog times the oldest
  // pending chart from when the one before it was done, so charts queued behind others do not
  // count their wait.
  let watchdog: NodeJS.Timeout | null = null;
  const watch = (): void => {
    if (watchdog !== null) clearTimeout(watchdog);
    watchdog =
      pending.size === 0 || failure !== null
        ? null
        : setTimeout(() => {
            fail(new ChartError(`the chart worker did not draw a chart within ${formatDuration(timeoutMs)} and was stopped`));
            void worker.terminate();
          }, timeoutMs);
  };
  const fail = (error: ChartError): void => {
    failure ??= error;
    for (const waiting of pending.values()) waiting.reject(failure);
    pending.clear();
    watch();
  };
  worker.on('message', (reply: ChartReply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    watch();
    if (pending.size === 0) worker.unref();
    if (reply.error === undefined) waiting?.resolve(reply.png);
    else waiting?.reject(new ChartError(`the chart could not be drawn (${reply.error})`));
  });
  worker.on('error', (error) => {
    fail(new ChartError(`the chart worker failed (${error.message})`));
  });
  worker.on('exit', (code) => {
    fail(new ChartError(`the chart worker exited with code ${code}`));
  });
  return {
    draw: async (timeline) => {
      if (failure !== null) throw failure;
      const id = nextId++;
      return new Promise<Uint8Array | null>((resolve, reject) => {
        const first = pending.size === 0;
        if (first) worker.ref();
        pending.set(id, { resolve, reject });
        if (first) watch();
        worker.postMessage({ id, timeline } satisfies ChartRequest);
      });
    },
    get alive() {
      return failure === null;
    },
    async close() {
      fail(new ChartError('the chart worker was stopped'));
      await worker.terminate();
    },
  };
}

/** Draws charts, in the chart worker when it runs. Built once in app.ts and passed to the commands. */
export interface ChartRenderer {
  /** The timeline's chart as PNG bytes, or null for fewer than {@link MIN_CHART_POINTS} points; rejects when it cannot be drawn. */
  readonly draw: DrawChart;
  /** Stops the worker, if one runs. */
  close(): Promise<void>;
}

export interface ChartRendererOptions {
  readonly logger: Logger;
  /** Starts the worker ({@link startChartWorker}); tests pass one that cannot start. */
  readonly startWorker?: () => Promise<ChartWorker | { readonly unavailable: string }>;
  /** Draws in this thread, when the worker cannot start (the renderer's own `timelineChartPng`, loaded then). */
  readonly drawHere?: DrawChart;
}

/**
 * Draws a chart in this thread. Vega and resvg take about a second to load: only when a chart is
 * drawn here, never at start-up.
 */
export const drawInThisThread: DrawChart = async (timeline) => (await import('./timeline-chart.ts')).timelineChartPng(timeline);

/**
 * A chart renderer that starts the chart worker at the first chart worth drawing, and a new one
 * after a worker died. If the worker cannot start, it says why once, as a warning, and draws every
 * chart in this thread from then on (slow, but the reply still has its chart).
 */
export function chartRenderer(options: ChartRendererOptions): ChartRenderer {
  const startWorker = options.startWorker ?? (() => startChartWorker());
  const drawHere = options.drawHere ?? drawInThisThread;
  let worker: Promise<ChartWorker | null> | null = null;
  const current = async (): Promise<ChartWorker | null> => {
    const starting = worker;
    if (starting !== null) {
      const running = await starting;
      if (running === null || running.alive) return running;
      // Died: start another, unless another chart already did while this one waited.
      if (worker !== starting) return current();
    }
    worker = startWorker().then(
      (started) => {
        if (!('unavailable' in started)) return started;
        options.logger.warn(`drawing charts in the answering thread: the chart worker could not start (${started.unavailable})`);
        return null;
      },
      (error: unknown) => {
        options.logger.warn({ error: describeError(error) }, 'drawing charts in the answering thread: the chart worker could not start');
        return null;
      },
    );
    return worker;
  };
  return {
    draw: async (timeline) => {
      if (timeline.points.length < MIN_CHART_POINTS) return null;
      const running = await current();
      return running === null ? drawHere(timeline) : running.draw(timeline);
    },
    close: async () => {
      const running = await worker;
      await running?.close();
    },
  };
}
