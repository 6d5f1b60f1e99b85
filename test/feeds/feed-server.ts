/**
 * A loopback HTTP server for the feed tests: each path answers with a small literal response that a
 * test sets, changes or removes, and every request is recorded (with its conditional headers).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export type Route = FixtureResponse | ((req: IncomingMessage, res: ServerResponse) => void);

export interface RecordedFeedRequest {
  readonly path: string;
  readonly ifNoneMatch: string | null;
  readonly ifModifiedSince: string | null;
}

export class FeedServer {
  readonly routes = new Map<string, Route>();
  readonly requests: RecordedFeedRequest[] = [];
  readonly #server = http.createServer((req, res) => {
    this.#handle(req, res);
  });
  readonly #sockets = new Set<import('node:net').Socket>();
  #port = 0;

  async start(): Promise<void> {
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  get port(): number {
    return this.#port;
  }

  /** The full URL of a path on this server. */
  url(path: string): string {
    return `http://127.0.0.1:${this.#port}${path}`;
  }

  /** Requests made for one path. */
  requestsFor(path: string): RecordedFeedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.#server.close(() => {
        resolve();
      }),
    );
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '/';
    const header = (name: string): string | null => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : null;
    };
    this.requests.push({ path, ifNoneMatch: header('if-none-match'), ifModifiedSince: header('if-modified-since') });
    const route = this.routes.get(path);
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (typeof route === 'function') {
      route(req, res);
      return;
    }
    res.writeHead(route.status ?? 200, route.headers ?? {}).end(route.body ?? '');
  }
}

export const RSS = { 'content-type': 'application/rss+xml; charset=utf-8' } as const;
export const ATOM = { 'content-type': 'application/atom+xml' } as const;
export const JSON_FEED = { 'content-type': 'application/feed+json' } as const;
export const HTML = { 'content-type': 'text/html; charset=utf-8' } as const;

/** An RSS 2.0 document with these `<item>` bodies. */
export function rss(title: string, items: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>${title}</title><link>https://news.example/</link><description>Test feed</description>
${items.map((item) => `<item>${item}</item>`).join('\n')}
</channel></rss>`;
}
