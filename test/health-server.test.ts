import { afterEach, describe, expect, it } from 'vitest';
import { healthReport, startHealthServer, type HealthServer } from '../src/health-server.ts';
import { Metrics, type HealthProbe } from '../src/metrics.ts';

const LOADED = { articles: 2225, passages: 13613, figures: 16967 };

function probe(index: HealthProbe['index'] extends () => infer T ? T : never, ready: boolean): HealthProbe {
  return { index: () => index, gatewayReady: () => ready };
}

describe('healthReport', () => {
  it('is 503 while the index is loading, and while the gateway is not connected', () => {
    expect(healthReport(probe(null, false))).toEqual({
      status: 503,
      body: '{"status":"unavailable","index":"loading","gateway":"not connected"}\n',
    });
    expect(healthReport(probe(LOADED, false))).toEqual({
      status: 503,
      body: '{"status":"unavailable","index":"loaded","articles":2225,"gateway":"not connected"}\n',
    });
    expect(healthReport(probe(null, true)).status).toBe(503);
  });

  it('is 200 with the index loaded and the gateway connected', () => {
    expect(healthReport(probe(LOADED, true))).toEqual({
      status: 200,
      body: '{"status":"ok","index":"loaded","articles":2225,"gateway":"connected"}\n',
    });
  });
});

describe('startHealthServer', () => {
  let server: HealthServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('serves /healthz, /metrics with the gauges read live, and 404/405 for anything else', async () => {
    let ready = false;
    const live: HealthProbe = { index: () => LOADED, gatewayReady: () => ready };
    server = await startHealthServer({ host: '127.0.0.1', port: 0, probe: live, metrics: new Metrics(live) });
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('\nfactdesk_gateway_connected 1\n');
    expect(metrics).toContain('\nfactdesk_index_size{kind="passages"} 13613\n');
    expect(metrics).toContain('\nfactdesk_questions_answered_total 0\n');
    const missing = await fetch(`${base}/`);
    expect([missing.status, await missing.text()]).toEqual([404, 'Not found: try /healthz or /metrics\n']);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('rejects when the port is taken', async () => {
    const live = probe(null, false);
    server = await startHealthServer({ host: '127.0.0.1', port: 0, probe: live, metrics: new Metrics(live) });
    await expect(startHealthServer({ host: '127.0.0.1', port: server.port, probe: live, metrics: new Metrics(live) })).rejects.toThrow(
      /EADDRINUSE/u,
    );
  });
});
