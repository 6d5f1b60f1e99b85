import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../src/feeds/address-policy.ts';
import { FetchError, parseRetryAfter, safeFetch, type FetchPolicy } from '../../src/feeds/safe-fetch.ts';
import { FeedServer, HTML, RSS } from './feed-server.ts';

const server = new FeedServer();
beforeAll(() => server.start());
afterAll(() => server.close());

const ALLOW: FetchPolicy = { allowPrivate: true };
const FEED_TYPES = ['application/rss+xml'];

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FetchError) return error;
    throw error;
  }
  throw new Error('expected a FetchError');
}

describe('isPublicAddress', () => {
  it.each([
    ['93.184.216.34', true],
    ['8.8.8.8', true],
    ['2606:4700::1111', true],
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:8.8.8.8', true],
    ['not-an-ip', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('refuses every address in 10/8, 127/8 and 169.254/16', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(fc.constantFrom('10', '127', '169.254'), octet, octet, octet, (prefix, a, b, c) => {
        const address = prefix === '169.254' ? `169.254.${a}.${b}` : `${prefix}.${a}.${b}.${c}`;
        return !isPublicAddress(address) && !isPublicAddress(`::ffff:${address}`);
      }),
    );
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2024-03-01T12:00:00Z');
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['Fri, 01 Mar 2024 12:05:00 GMT', 300_000],
    ['Fri, 01 Mar 2024 11:00:00 GMT', 0],
    ['999999999', 86_400_000],
    ['soon', null],
  ])('%s → %s', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('safeFetch', () => {
  it('returns the body, content type and validators of a 200', async () => {
    server.routes.set('/ok', { headers: { ...RSS, etag: '"v1"', 'last-modified': 'Wed, 01 Nov 2023 10:00:00 GMT' }, body: '<rss/>' });
    const result = await safeFetch({ url: server.url('/ok'), accept: FEED_TYPES }, ALLOW);
    expect(result).toEqual({
      status: 200,
      url: server.url('/ok'),
      body: Buffer.from('<rss/>'),
      contentType: 'application/rss+xml',
      charset: 'utf-8',
      etag: '"v1"',
      lastModified: 'Wed, 01 Nov 2023 10:00:00 GMT',
    });
  });

  it('sends If-None-Match and If-Modified-Since, and returns a 304 as such', async () => {
    server.routes.set('/cond', (req, res) => {
      res.writeHead(req.headers['if-none-match'] === '"v1"' ? 304 : 200, RSS).end('<rss/>');
    });
    const result = await safeFetch(
      { url: server.url('/cond'), accept: FEED_TYPES, etag: '"v1"', lastModified: 'Wed, 01 Nov 2023 10:00:00 GMT' },
      ALLOW,
    );
    expect(result).toEqual({ status: 304, url: server.url('/cond') });
    expect(server.requestsFor('/cond')).toEqual([{ path: '/cond', ifNoneMatch: '"v1"', ifModifiedSince: 'Wed, 01 Nov 2023 10:00:00 GMT' }]);
  });

  it('decompresses gzip', async () => {
    server.routes.set('/gz', { headers: { ...RSS, 'content-encoding': 'gzip' }, body: gzipSync('<rss>zipped</rss>') });
    const result = await safeFetch({ url: server.url('/gz'), accept: FEED_TYPES }, ALLOW);
    expect(result.status === 200 && result.body.toString()).toBe('<rss>zipped</rss>');
  });

  it('follows a redirect and reports the final URL', async () => {
    server.routes.set('/moved', { status: 301, headers: { location: '/ok' } });
    const result = await safeFetch({ url: server.url('/moved'), accept: FEED_TYPES }, ALLOW);
    expect(result.url).toBe(server.url('/ok'));
  });

  it('gives up on a redirect loop', async () => {
    server.routes.set('/loop-a', { status: 302, headers: { location: '/loop-b' } });
    server.routes.set('/loop-b', { status: 302, headers: { location: '/loop-a' } });
    const error = await failure(safeFetch({ url: server.url('/loop-a'), accept: FEED_TYPES }, { ...ALLOW, maxRedirects: 3 }));
    expect([error.kind, error.message]).toEqual(['too-many-redirects', 'more than 3 redirects']);
    expect(server.requestsFor('/loop-a').length + server.requestsFor('/loop-b').length).toBe(4);
  });

  it('refuses a body over the size cap, declared or not', async () => {
    server.routes.set('/big', { headers: RSS, body: 'x'.repeat(5000) });
    server.routes.set('/big-chunked', (_req, res) => {
      res.writeHead(200, RSS);
      for (let i = 0; i < 10; i++) res.write('y'.repeat(1000));
      res.end();
    });
    server.routes.set('/big-zipped', { headers: { ...RSS, 'content-encoding': 'gzip' }, body: gzipSync('z'.repeat(100_000)) });
    for (const route of ['/big', '/big-chunked', '/big-zipped']) {
      const error = await failure(safeFetch({ url: server.url(route), accept: FEED_TYPES }, { ...ALLOW, maxBytes: 4096 }));
      expect([route, error.kind, error.message]).toEqual([route, 'too-large', 'the body is over 4 KB']);
    }
  });

  it('times out on a server that never finishes its body', async () => {
    server.routes.set('/slow', (_req, res) => {
      res.writeHead(200, RSS);
      res.write('<rss>');
    });
    const error = await failure(safeFetch({ url: server.url('/slow'), accept: FEED_TYPES }, { ...ALLOW, timeoutMs: 300 }));
    expect([error.kind, error.message]).toEqual(['timeout', 'no complete answer within 300 ms']);
  });

  it('reads Retry-After on 429 and 503', async () => {
    server.routes.set('/busy', { status: 429, headers: { 'retry-after': '600' } });
    server.routes.set('/down', { status: 503, headers: { 'retry-after': 'Fri, 01 Mar 2024 13:00:00 GMT' } });
    const now = (): Date => new Date('2024-03-01T12:00:00Z');
    const busy = await failure(safeFetch({ url: server.url('/busy'), accept: FEED_TYPES }, ALLOW, now));
    const down = await failure(safeFetch({ url: server.url('/down'), accept: FEED_TYPES }, ALLOW, now));
    expect([busy.status, busy.retryAfterMs, down.status, down.retryAfterMs]).toEqual([429, 600_000, 503, 3_600_000]);
  });

  it('refuses an unexpected content type', async () => {
    server.routes.set('/page', { headers: HTML, body: '<html></html>' });
    const error = await failure(safeFetch({ url: server.url('/page'), accept: FEED_TYPES }, ALLOW));
    expect([error.kind, error.message]).toEqual(['content-type', 'unexpected content type "text/html"']);
  });

  it('refuses other schemes and credentials in the URL', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/feed', 'http://user:pw@example.com/feed']) {
      expect((await failure(safeFetch({ url, accept: FEED_TYPES }, ALLOW))).kind).toBe('bad-url');
    }
  });

  it('refuses loopback without FEEDS_ALLOW_PRIVATE, before connecting', async () => {
    const before = server.requests.length;
    const error = await failure(safeFetch({ url: server.url('/ok'), accept: FEED_TYPES }, { allowPrivate: false }));
    expect([error.kind, error.message]).toEqual([
      'blocked-address',
      '127.0.0.1 resolves to 127.0.0.1, a private or local address; set FEEDS_ALLOW_PRIVATE=true to allow it',
    ]);
    expect(server.requests.length).toBe(before);
  });

  it('checks every resolved address of a host name, not just the first', async () => {
    const resolve = (): Promise<{ address: string; family: number }[]> =>
      Promise.resolve([
        { address: '93.184.216.34', family: 4 },
        { address: '169.254.169.254', family: 4 },
      ]);
    const error = await failure(safeFetch({ url: 'http://metadata.test/latest', accept: FEED_TYPES }, { allowPrivate: false, resolve }));
    expect(error.message).toBe(
      'metadata.test resolves to 169.254.169.254, a private or local address; set FEEDS_ALLOW_PRIVATE=true to allow it',
    );
  });

  it('refuses a redirect to a private address without the flag', async () => {
    // Treat this loopback server as the public internet; everything else private stays refused.
    const policy: FetchPolicy = { allowPrivate: false, addressAllowed: (address) => address === '127.0.0.1' };
    server.routes.set('/to-private', { status: 302, headers: { location: 'http://10.0.0.7/admin' } });
    server.routes.set('/to-ipv6-loopback', { status: 307, headers: { location: 'http://[::1]:80/' } });
    for (const route of ['/to-private', '/to-ipv6-loopback']) {
      const error = await failure(safeFetch({ url: server.url(route), accept: FEED_TYPES }, policy));
      expect(error.kind).toBe('blocked-address');
    }
  });

  it('connects to the address it checked, asking DNS once per hop (no rebinding between check and connect)', async () => {
    const answers = ['127.0.0.1', '10.9.9.9'];
    let calls = 0;
    const resolve = (): Promise<{ address: string; family: number }[]> =>
      Promise.resolve([{ address: answers[Math.min(calls++, 1)] ?? '10.9.9.9', family: 4 }]);
    const policy: FetchPolicy = { allowPrivate: false, resolve, addressAllowed: (address) => address === '127.0.0.1' };
    const result = await safeFetch({ url: `http://rebind.test:${server.port}/ok`, accept: FEED_TYPES }, policy);
    expect([result.status, calls]).toEqual([200, 1]);
  });
});
