import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, prettyLines, scrubSecrets } from '../src/logger.ts';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB';
// What discord.js emits at debug level when it logs in: the first two parts in clear.
const CENSORED = `Provided token: MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.${'*'.repeat(38)}`;

function capture(secrets: readonly string[]): { logger: ReturnType<typeof createLogger>; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { logger: createLogger('debug', { destination: stream, secrets }), text: () => chunks.join('') };
}

describe('createLogger', () => {
  it('scrubs the censored token discord.js logs at debug level: neither its id part nor its timestamp part', () => {
    const { logger, text } = capture([TOKEN]);
    logger.debug({ detail: CENSORED }, 'discord.js');
    logger.info(`login with ${TOKEN}`);
    logger.warn({ nested: { why: `part ${TOKEN.split('.')[0] ?? ''} alone` } }, 'odd');
    const out = text();
    for (const part of TOKEN.split('.')) expect(out).not.toContain(part);
    expect(out).toContain('Provided token: [redacted]');
    expect(out.split('\n').filter((l) => l.length > 0)).toHaveLength(3);
  });

  it('scrubs token-shaped text even when it was not told the token', () => {
    const { logger, text } = capture([]);
    logger.debug({ detail: CENSORED }, 'discord.js');
    logger.error(`bad ${TOKEN}`);
    const out = text();
    expect(out).not.toContain('MTIzNDU2Nzg5MDEyMzQ1Njc4OQ');
    expect(out).not.toContain('GaBcDe');
  });

  it('redacts fields named token whatever their value', () => {
    const { logger, text } = capture([]);
    logger.info({ config: { token: 'short' } }, 'config');
    expect(JSON.parse(text())).toMatchObject({ config: { token: '[redacted]' }, msg: 'config' });
  });
});

describe('createLogger with format pretty', () => {
  it('writes one readable line per entry, without colour unless asked, and still scrubs the token', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    const logger = createLogger('info', { destination: stream, secrets: [TOKEN], format: await prettyLines(false) });
    logger.warn({ file: 'blob.md' }, `skipped article: the file is binary, not text ${TOKEN}`);
    const out = chunks.join('');
    expect(out).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: skipped article: the file is binary, not text \[redacted\]\n {4}file: "blob.md"\n$/u,
    );
    expect(out).not.toContain('\u001b[');
    for (const part of TOKEN.split('.')) expect(out).not.toContain(part);
  });
});

describe('scrubSecrets', () => {
  it('leaves text without secrets alone', () => {
    expect(scrubSecrets('indexed 2,225 articles in 3.1 s', [TOKEN])).toBe('indexed 2,225 articles in 3.1 s');
  });

  it('replaces the whole token and each long part of it', () => {
    expect(scrubSecrets(`a ${TOKEN} b GaBcDe c`, [TOKEN])).toBe('a [redacted] b [redacted] c');
  });
});
