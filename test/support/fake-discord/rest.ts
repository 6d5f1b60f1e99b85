/**
 * The fake REST API's server side: records every request, answers with a test's override or the
 * matching route (see rest-routes.ts), checks the bot token, and delays answers on request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBody, readBody } from './http-body.ts';
import { matches } from './matchers.ts';
import { json } from './protocol.ts';
import type { ChangeFeed } from './waiting.ts';
import type { FakeDiscordEndpoints, FakeResponse, RecordedFile, RecordedRequest, RequestMatcher } from './types.ts';

interface Override {
  readonly matcher: RequestMatcher;
  readonly response: FakeResponse | ((req: RecordedRequest) => FakeResponse | undefined);
  remaining: number;
}

export interface IncomingRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly files: readonly RecordedFile[];
}

export type Handler = (req: IncomingRequest, params: Readonly<Record<string, string>>) => FakeResponse;

interface Route {
  readonly method: string;
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
  readonly auth: boolean;
}

export class FakeRest {
  /** Every recorded REST request, in order of arrival. */
  readonly requests: RecordedRequest[] = [];
  readonly #overrides: Override[] = [];
  readonly #routes: Route[] = [];
  readonly #tokenOk: (token: unknown) => boolean;
  readonly #changes: ChangeFeed;
  readonly #endpoints: () => FakeDiscordEndpoints;

  readonly #shards: number;

  constructor(tokenOk: (token: unknown) => boolean, changes: ChangeFeed, endpoints: () => FakeDiscordEndpoints, shards = 1) {
    this.#shards = shards;
    this.#tokenOk = tokenOk;
    this.#changes = changes;
    this.#endpoints = endpoints;
  }

  /**
   * Answers matching requests with `response` instead of the built-in behaviour (the request is
   * still recorded). A function may return undefined to fall through. Returns a remover.
   */
  override(
    matcher: RequestMatcher,
    response: FakeResponse | ((req: RecordedRequest) => FakeResponse | undefined),
    options: { readonly times?: number } = {},
  ): () => void {
    const entry: Override = { matcher, response, remaining: options.times ?? Number.POSITIVE_INFINITY };
    this.#overrides.push(entry);
    return () => {
      const index = this.#overrides.indexOf(entry);
      if (index >= 0) this.#overrides.splice(index, 1);
    };
  }

  clearOverrides(): void {
    this.#overrides.length = 0;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = (req.method ?? 'GET').toUpperCase();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      const versionMatch = /^\/api(?:\/v(\d+))?(\/.*)$/.exec(url.pathname);
      const routePath = versionMatch?.[2] ?? url.pathname;
      let path = routePath;
      try {
        path = decodeURIComponent(routePath);
      } catch {
        // keep it encoded
      }
      const query = Object.fromEntries(url.searchParams);
      if (method === 'GET' && (path === '/gateway/bot' || path === '/gateway')) {
        this.#send(res, this.#gatewayInfo(path === '/gateway/bot'));
        return;
      }
      const contentType = headers['content-type'] ?? null;
      const { body, formFields, files } = parseBody(raw, contentType);
      const incoming: IncomingRequest = { method, path, query, headers, body, files };
      const seq = this.requests.length + 1;
      const draft = {
        seq,
        at: Date.now(),
        method,
        path,
        rawPath: url.pathname,
        apiVersion: versionMatch?.[1] === undefined ? null : Number(versionMatch[1]),
        query,
        headers,
        contentType,
        body,
        rawBody: raw,
        formFields,
        files,
        response: { status: 0, body: undefined },
      } satisfies RecordedRequest;
      const response = this.#answer(incoming, draft);
      const recorded: RecordedRequest = { ...draft, response: { status: response.status, body: response.body } };
      this.requests.push(recorded);
      this.#changes.emit();
      if (response.delayMs !== undefined && response.delayMs > 0) {
        this.#changes.schedule(response.delayMs, () => {
          this.#send(res, response);
        });
      } else {
        this.#send(res, response);
      }
    } catch (error) {
      this.#send(res, json({ code: 0, message: `fake-discord internal error: ${String(error)}` }, 500));
    }
  }

  #send(res: ServerResponse, response: FakeResponse): void {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string> = { ...response.headers };
    if (response.status === 204 || response.body === undefined) {
      res.writeHead(response.status, headers).end();
      return;
    }
    headers['content-type'] = 'application/json';
    res.writeHead(response.status, headers).end(JSON.stringify(response.body));
  }

  #gatewayInfo(bot: boolean): FakeResponse {
    const url = this.#endpoints().gatewayUrl;
    if (!bot) return json({ url });
    const limit = { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: this.#shards };
    return json({ url, shards: this.#shards, session_start_limit: limit });
  }

  #answer(req: IncomingRequest, recorded: RecordedRequest): FakeResponse {
    for (const entry of this.#overrides) {
      if (entry.remaining <= 0 || !matches(entry.matcher, recorded)) continue;
      const response = typeof entry.response === 'function' ? entry.response(recorded) : entry.response;
      if (response === undefined) continue;
      entry.remaining -= 1;
      return response;
    }
    for (const route of this.#routes) {
      if (route.method !== req.method) continue;
      const m = route.regex.exec(req.path);
      if (!m) continue;
      if (route.auth && !this.#authorized(req.headers.authorization)) return json({ message: '401: Unauthorized', code: 0 }, 401);
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = m[i + 1] ?? '';
      });
      return route.handler(req, params);
    }
    return json({ message: `404: Not Found (fake-discord has no handler for ${req.method} ${req.path})`, code: 0 }, 404);
  }

  #authorized(header: string | undefined): boolean {
    if (header?.startsWith('Bot ') !== true) return false;
    return this.#tokenOk(header.slice(4));
  }

  route(method: string, template: string, handler: Handler, auth = true): void {
    const names: string[] = [];
    const pattern = template
      .split('/')
      .map((seg) => {
        if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(seg.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.#routes.push({ method, regex: new RegExp(`^${pattern}$`), names, handler, auth });
  }
}
