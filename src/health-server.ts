/**
 * The optional HTTP endpoint for orchestrators and Prometheus (HEALTH_PORT): `GET /healthz` and
 * `GET /metrics`. It listens on loopback unless HEALTH_HOST says otherwise.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthProbe, Metrics } from './metrics.ts';

export interface HealthServer {
  /** The port it listens on (the one asked for, or the one the system chose for port 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** The /healthz body and status: 200 once the index is loaded and the gateway is ready, else 503. */
export function healthReport(probe: HealthProbe): { status: 200 | 503; body: string } {
  const index = probe.index();
  const gateway = probe.gatewayReady() ? 'connected' : 'not connected';
  const ok = index !== null && gateway === 'connected';
  const body = {
    status: ok ? 'ok' : 'unavailable',
    index: index === null ? 'loading' : 'loaded',
    ...(index === null ? {} : { articles: index.articles }),
    gateway,
  };
  return { status: ok ? 200 : 503, body: `${JSON.stringify(body)}\n` };
}

/** Starts the server; resolves once it listens, rejects if the port cannot be bound. */
export async function startHealthServer(options: {
  readonly host: string;
  readonly port: number;
  readonly probe: HealthProbe;
  readonly metrics: Metrics;
}): Promise<HealthServer> {
  const { probe, metrics } = options;
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method not allowed\n');
      return;
    }
    if (path === '/healthz') {
      const { status, body } = healthReport(probe);
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
      return;
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => {
          response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
        },
        () => {
          response.writeHead(500, { 'content-type': 'text/plain' }).end('Could not collect the metrics\n');
        },
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: try /healthz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
