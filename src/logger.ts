import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Anything shaped like a Discord bot token, whole or in the censored form discord.js prints at debug
 * level (`Provided token: <id in base64>.<timestamp>.*****`): the first two parts are not secret
 * alone, but they name the bot and date the token, so they are never written either.
 */
const TOKEN_SHAPED = /[\w-]{23,28}\.[\w-]{6,7}\.(?:[\w-]{27,}|\*+)/gu;

/**
 * Removes secrets from a line of log text: each secret whole, each dot-separated part of it of six
 * characters or more (a token's id and timestamp parts), and anything token-shaped.
 *
 * @example scrubSecrets('bot GaBcDe1', ['MTIzNDU2.GaBcDe1.xyz']) // 'bot [redacted]'
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text.replace(TOKEN_SHAPED, '[redacted]');
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    out = out.replaceAll(secret, '[redacted]');
    for (const part of secret.split('.')) if (part.length >= 6) out = out.replaceAll(part, '[redacted]');
  }
  return out;
}

export interface LoggerOptions {
  /** Where log lines go (default stderr). */
  readonly destination?: NodeJS.WritableStream;
  /** Values that must never reach a log line, the bot token above all. */
  readonly secrets?: readonly string[];
  /** Turns each JSON line into what is written, after scrubbing: see {@link prettyLines}. Default: the JSON line. */
  readonly format?: (line: string) => string;
}

/**
 * pino-pretty's readable lines (`[12:00:01.234] WARN: skipped article: …` and the fields below),
 * coloured when asked. Loaded only when wanted, so that JSON logging does not pay for it.
 */
export async function prettyLines(colorize: boolean): Promise<(line: string) => string> {
  const { prettyFactory } = await import('pino-pretty');
  return prettyFactory({ colorize, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,app' });
}

/**
 * The structured logger. Logs go to stderr so the console's answers on stdout stay clean. Every
 * line is scrubbed of the secrets it is given and of anything token-shaped before it is written,
 * whatever field or message carries it; fields that could hold the token are redacted by name too.
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const target = options.destination ?? process.stderr;
  const secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  // Formatted after scrubbing, so pretty lines are as clean as the JSON ones.
  const format = options.format ?? ((line: string) => line);
  const destination: DestinationStream = {
    write(line: string) {
      target.write(format(scrubSecrets(line, secrets)));
    },
  };
  return pino(
    {
      level,
      base: { app: 'factdesk' },
      redact: { paths: ['token', '*.token', 'config.token', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}
