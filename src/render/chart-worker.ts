/**
 * The chart worker thread: draws timeline charts (Vega-Lite → Vega → SVG → resvg → PNG), which
 * takes 0.3–1 s of CPU per chart and about a second more to load Vega the first time, so the thread
 * answering questions and Discord's heartbeats never waits on it. Started by {@link startChartWorker}.
 */
import { parentPort } from 'node:worker_threads';
import type { Timeline } from '../core/timeline.ts';
import type { ChartReply, ChartRequest } from './chart-renderer.ts';
import { timelineChartPng } from './timeline-chart.ts';

const port = parentPort;
if (port === null) throw new Error('chart-worker.ts runs as a worker thread');
port.on('message', (request: ChartRequest) => {
  void (async (): Promise<void> => {
    let reply: ChartReply;
    try {
      reply = { id: request.id, png: await timelineChartPng(request.timeline satisfies Timeline) };
    } catch (error) {
      reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
    }
    // About 40 KB: copied rather than transferred.
    port.postMessage(reply);
  })();
});
port.postMessage({ ready: true });
