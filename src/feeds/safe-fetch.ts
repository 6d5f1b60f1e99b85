import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import zlib from 'node:zlib';
import { isPublicAddress } from './address-policy.ts';
import { charsetOf } from './decode-text.ts';
import { formatDuration } from '../core/durations.ts';

/** Why a fetch was refused or failed; `message` is safe to show an admin. */
export type FetchErrorKind =
  'bad-url' | 'blocked-address' | 'dns' | 'network' | 'timeout' | 'too-large' | 'too-many-redirects' | 'content-type' | 'http-status';

/** A fetch that did not produce a usable body. Expected for feeds on the open web: it is a value for the feed's state. */
export class FetchError extends Error {
  override readonly name = 'FetchError';
  readonly kind: FetchErrorKind;
  readonly status: number | null;
  /** Milliseconds the server asked us to wait (`Retry-After` on 429 and 503), else null. */
  readonly retryAfterMs: number | null;
  constructor(kind: FetchErrorKind, message: string, extra: { status?: number; retryAfterMs?: number | null } = {}) {
    super(message);
    this.kind = kind;
    this.status = extra.status ?? null;
    this.retryAfterMs = extra.retryAfterMs ?? null;
  }
}

/** Resolves a host name to its addresses, like `dns.lookup(host, { all: true })`. */
export type Resolver = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

export interface FetchPolicy {
  /** Allow private, loopback and link-local addresses (tests, or feeds on the local network). */
  readonly allowPrivate: boolean;
  /** Total time for one request, body included (default 15 s). */
  readonly timeoutMs?: number;
  /** Largest body, after decompression (default 5 MB). */
  readonly maxBytes?: number;
  /** Redirects followed before giving up (default 5). */
  readonly maxRedirects?: number;
  readonly resolve?: Resolver;
  /** Overrides the address check (tests only): true lets the address be connected to. */
  readonly addressAllowed?: (address: string) => boolean;
  readonly userAgent?: string;
}

export interface FetchRequest {
  readonly url: string;
  /** Content types accepted (lower case, without parameters). */
  readonly accept: readonly string[];
  readonly etag?: string | null;
  readonly lastModified?: string | null;
}

export type FetchResult =
  | { readonly status: 304; readonly url: string }
  | {
      readonly status: 200;
      /** The URL after redirects. */
      readonly url: string;
      readonly body: Buffer;
      readonly contentType: string;
      /** The Content-Type's `charset` parameter, as sent, or null (see decodeBody). */
      readonly charset: string | null;
      readonly etag: string | null;
      readonly lastModified: string | null;
    };

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

const defaultResolve: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Parses a `Retry-After` header (seconds, or an HTTP date) into milliseconds from `now`, capped at a day.
 *
 * @example parseRetryAfter('120', new Date()) // 120000
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/u.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return null;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Resolves the URL's host and checks every address it resolves to; returns the one to connect to.
 * Checking all of them (not just the first) means a host cannot hide a private address behind a public one.
 */
async function checkedAddress(url: URL, policy: FetchPolicy): Promise<{ address: string; family: number }> {
  const host = url.hostname.replace(/^\[|\]$/gu, '');
  const allowed = policy.addressAllowed ?? ((address: string) => policy.allowPrivate || isPublicAddress(address));
  let addresses: readonly { address: string; family: number }[];
  if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await (policy.resolve ?? defaultResolve)(host);
    } catch {
      throw new FetchError('dns', `cannot resolve ${host}`);
    }
  }
  const first = addresses[0];
  if (first === undefined) throw new FetchError('dns', `${host} has no address`);
  const refused = addresses.find((a) => !allowed(a.address));
  if (refused !== undefined)
    throw new FetchError(
      'blocked-address',
      `${host} resolves to ${refused.address}, a private or local address; set FEEDS_ALLOW_PRIVATE=true to allow it`,
    );
  return first;
}

/** A lookup that always answers the address already checked, so DNS cannot change its mind between check and connect. */
function pinnedLookup(address: string, family: number): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all === true) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function decoded(response: IncomingMessage): NodeJS.ReadableStream {
  const encoding = (header(response.headers, 'content-encoding') ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return response.pipe(zlib.createGunzip());
  if (encoding === 'deflate') return response.pipe(zlib.createInflate());
  if (encoding === 'br') return response.pipe(zlib.createBrotliDecompress());
  return response;
}

interface Hop {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer | null;
}

/** One request to one checked address: no redirects followed here. The body is read only for 200. */
function requestOnce(url: URL, pinned: { address: string; family: number }, request: FetchRequest, policy: FetchPolicy): Promise<Hop> {
  const maxBytes = policy.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = policy.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = {
    'user-agent': policy.userAgent ?? 'Factdesk feed reader (+https://github.com/)',
    accept: `${request.accept.join(', ')};q=1.0, */*;q=0.1`,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (request.etag) headers['if-none-match'] = request.etag;
  if (request.lastModified) headers['if-modified-since'] = request.lastModified;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Hop>((resolve, reject) => {
    let settled = false;
    const fail = (error: FetchError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    // One deadline for the whole exchange: a server that drips its body slowly cannot hold a poll open.
    const timer = setTimeout(() => {
      fail(new FetchError('timeout', `no complete answer within ${formatDuration(timeoutMs)}`));
    }, timeoutMs);
    const req = client.get(url, { headers, lookup: pinnedLookup(pinned.address, pinned.family), agent: false }, (response) => {
      const status = response.statusCode ?? 0;
      if (status !== 200) {
        response.resume();
        settled = true;
        clearTimeout(timer);
        resolve({ status, headers: response.headers, body: null });
        return;
      }
      const declared = Number(header(response.headers, 'content-length') ?? Number.NaN);
      if (Number.isFinite(declared) && declared > maxBytes) {
        fail(new FetchError('too-large', `the body is over ${formatBytes(maxBytes)}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const stream = decoded(response);
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) fail(new FetchError('too-large', `the body is over ${formatBytes(maxBytes)}`));
        else chunks.push(chunk);
      });
      stream.on('error', () => {
        fail(new FetchError('network', 'the body could not be read or decompressed'));
      });
      stream.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status, headers: response.headers, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      fail(new FetchError('network', `connection failed (${error.code ?? 'error'})`));
    });
  });
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}

function parseUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch {
    throw new FetchError('bad-url', 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new FetchError('bad-url', `only http and https are fetched, not ${url.protocol}`);
  if (url.username !== '' || url.password !== '') throw new FetchError('bad-url', 'URLs with a user name or password are not fetched');
  return url;
}

/**
 * Fetches a URL safely for a bot that fetches what users name: http(s) only; every hop's host is
 * resolved, every address checked against the private ranges, and the connection made to that
 * checked address; redirects, time and body size are capped; the content type must be one of
 * `request.accept`. Conditional headers are sent when given, and a 304 is returned as such.
 * Throws a {@link FetchError} for everything else.
 */
export async function safeFetch(request: FetchRequest, policy: FetchPolicy, now: () => Date = () => new Date()): Promise<FetchResult> {
  const maxRedirects = policy.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let url = parseUrl(request.url);
  for (let hop = 0; ; hop++) {
    const pinned = await checkedAddress(url, policy);
    const response = await requestOnce(url, pinned, request, policy);
    const { status, headers } = response;
    if (status >= 300 && status < 400 && status !== 304) {
      const location = header(headers, 'location');
      if (location === undefined) throw new FetchError('http-status', `HTTP ${status} without a Location`, { status });
      if (hop >= maxRedirects) throw new FetchError('too-many-redirects', `more than ${maxRedirects} redirects`, { status });
      url = parseUrl(location, url);
      continue;
    }
    if (status === 304) return { status: 304, url: url.href };
    if (status === 429 || status === 503) {
      throw new FetchError('http-status', `HTTP ${status}`, {
        status,
        retryAfterMs: parseRetryAfter(header(headers, 'retry-after'), now()),
      });
    }
    if (status !== 200 || response.body === null) throw new FetchError('http-status', `HTTP ${status}`, { status });
    const typeHeader = header(headers, 'content-type');
    const contentType = (typeHeader ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!request.accept.includes(contentType))
      throw new FetchError('content-type', `unexpected content type "${contentType === '' ? 'none' : contentType}"`);
    return {
      status: 200,
      url: url.href,
      body: response.body,
      contentType,
      charset: charsetOf(typeHeader),
      etag: header(headers, 'etag') ?? null,
      lastModified: header(headers, 'last-modified') ?? null,
    };
  }
}
