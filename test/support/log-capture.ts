/** A JSON logger whose lines a test reads back, parsed. */
import { PassThrough } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.ts';

/** A logger at `level` writing into memory, and the lines it has written so far, parsed. */
export function captureLog(level: Parameters<typeof createLogger>[0] = 'info'): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
} {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const lines = (): Record<string, unknown>[] =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger: createLogger(level, { destination: stream }), lines };
}
