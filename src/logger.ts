import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The structured logger. Logs go to stderr so the console's answers on stdout stay clean. Any field
 * that could hold the token is redacted, as a second line of defence: nothing should log it at all.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      base: { app: 'factdesk' },
      redact: { paths: ['token', '*.token', 'config.token', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}
