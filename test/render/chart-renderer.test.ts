import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Archive } from '../../src/core/archive.ts';
import { figuresAbout } from '../../src/core/browse.ts';
import { loadArticles } from '../../src/core/corpus.ts';
import type { Timeline } from '../../src/core/timeline.ts';
import { chartRenderer, startChartWorker, type ChartRenderer, type ChartWorker } from '../../src/render/chart-renderer.ts';
import { builtWorker } from '../support/harness.ts';
import { captureLog } from '../support/log-capture.ts';

let timeline: Timeline;

beforeAll(async () => {
  const loaded = await loadArticles('test/fixtures/dated-archive');
  const result = figuresAbout(await Archive.build(loaded.articles), 'container backlog at Port Lindqvist');
  if (result.timeline === null) throw new Error('no timeline');
  timeline = result.timeline;
});

const neverHere = (): Promise<Uint8Array | null> => {
  throw new Error('drawn in the answering thread');
};

/** A worker script that starts, then exits at the first chart it is asked for: a worker that dies. */
const dying = new URL(
  `data:text/javascript,${encodeURIComponent(
    "import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(3)); parentPort.postMessage({ ready: true });",
  )}`,
);

/** A worker script that draws each chart (a one-byte "PNG") in 200 ms of real time, one at a time, as the real worker does. */
const slow = new URL(
  `data:text/javascript,${encodeURIComponent(
    "import { parentPort } from 'node:worker_threads'; parentPort.on('message', ({ id }) => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); parentPort.postMessage({ id, png: new Uint8Array([1]) }); }); parentPort.postMessage({ ready: true });",
  )}`,
);

/** Runs `check` with a started slow worker whose watchdog allows 1 s, on the watchdog's clock faked. */
async function withSlowWorker(check: (worker: ChartWorker) => Promise<void>): Promise<void> {
  const worker = await startChartWorker({ url: slow, execArgv: [] }, 1000);
  if ('unavailable' in worker) throw new Error(worker.unavailable);
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    await check(worker);
  } finally {
    vi.useRealTimers();
    await worker.close();
  }
}

describe('the chart watchdog', () => {
  it('times each chart from when the worker can start it, not from when it was queued', () =>
    withSlowWorker(async (worker) => {
      const first = worker.draw(timeline);
      const second = worker.draw(timeline);
      // 900 ms (of the watchdog's clock) pass before the first chart is done…
      vi.advanceTimersByTime(900);
      await expect(first).resolves.toEqual(new Uint8Array([1]));
      // …and 600 more while the second is drawn: 1.5 s since it was asked for, 0.6 s of its own.
      vi.advanceTimersByTime(600);
      await expect(second).resolves.toEqual(new Uint8Array([1]));
      expect(worker.alive).toBe(true);
    }));

  it('stops the worker and fails a chart that takes too long', () =>
    withSlowWorker(async (worker) => {
      const chart = worker.draw(timeline);
      vi.advanceTimersByTime(1000);
      await expect(chart).rejects.toThrow('the chart worker did not draw a chart within 1 s and was stopped');
      expect(worker.alive).toBe(false);
    }));
});

describe('charts drawn in the chart worker', () => {
  let renderer: ChartRenderer;
  const log = captureLog('debug');
  let starts = 0;

  beforeAll(() => {
    renderer = chartRenderer({
      logger: log.logger,
      // The compiled chart worker, as dist/ starts it (a worker from the sources, through tsx's
      // loader: test/core/reindex-worker.test.ts).
      startWorker: () => {
        starts += 1;
        return startChartWorker(builtWorker('src/render/chart-worker.ts'));
      },
      // Anything drawn in this thread fails the test.
      drawHere: neverHere,
    });
  });

  afterAll(async () => {
    await renderer.close();
  });

  it('draws the PNG in the worker, not in this thread, and keeps the worker for the next chart', async () => {
    const bytes = await renderer.draw(timeline);
    expect(bytes?.subarray(1, 4)).toEqual(new TextEncoder().encode('PNG'));
    const png = PNG.sync.read(Buffer.from(bytes ?? new Uint8Array()));
    expect([png.width, png.height]).toEqual([1240, 598]);
    expect(bytes?.length).toBeGreaterThan(10_000);
    // A second chart of the same timeline, from the same worker: the same bytes.
    expect(await renderer.draw(timeline)).toEqual(bytes);
    expect(starts).toBe(1);
    expect(log.lines().filter((l) => l.level === 40)).toEqual([]);
  });

  it('starts no worker for a timeline too short for a chart', async () => {
    const lazy = chartRenderer({ logger: log.logger, startWorker: () => Promise.reject(new Error('started')), drawHere: neverHere });
    expect(await lazy.draw({ ...timeline, points: timeline.points.slice(0, 2), disagreements: [] })).toBeNull();
  });
});

describe('when the chart worker cannot start or dies', () => {
  it('draws in this thread after one warning saying why', async () => {
    const log = captureLog('info');
    const drawn: Timeline[] = [];
    const renderer = chartRenderer({
      logger: log.logger,
      startWorker: () => Promise.resolve({ unavailable: 'no threads here' }),
      drawHere: (t) => {
        drawn.push(t);
        return Promise.resolve(new Uint8Array([1, 2, 3]));
      },
    });
    expect(await renderer.draw(timeline)).toEqual(new Uint8Array([1, 2, 3]));
    expect(await renderer.draw(timeline)).toEqual(new Uint8Array([1, 2, 3]));
    expect(drawn).toEqual([timeline, timeline]);
    expect(log.lines().map((l) => [l.level, l.msg])).toEqual([
      [40, 'drawing charts in the answering thread: the chart worker could not start (no threads here)'],
    ]);
  });

  it('says why a worker whose file is missing could not start', async () => {
    const started = await startChartWorker({ url: new URL('./no-such-chart-worker.js', import.meta.url), execArgv: [] });
    expect(started).toMatchObject({ unavailable: expect.stringContaining('no-such-chart-worker.js') as unknown });
  });

  it('fails the chart of a worker that died, and starts a new worker for the next', async () => {
    const started: ChartWorker[] = [];
    const renderer = chartRenderer({
      logger: captureLog('info').logger,
      startWorker: async () => {
        const worker = await startChartWorker({ url: dying, execArgv: [] });
        if (!('unavailable' in worker)) started.push(worker);
        return worker;
      },
      drawHere: neverHere,
    });
    await expect(renderer.draw(timeline)).rejects.toThrow('the chart worker exited with code 3');
    expect(started.map((w) => w.alive)).toEqual([false]);
    await expect(renderer.draw(timeline)).rejects.toThrow('the chart worker exited with code 3');
    expect(started).toHaveLength(2);
    await renderer.close();
  });
});
