import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

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
  /** `json` (default): one JSON object per line; `pretty`: pino-pretty's readable lines. */
  readonly format?: 'json' | 'pretty';
  /** Colour the pretty lines (a terminal without NO_COLOR). */
  readonly colorize?: boolean;
}

/**
 * The structured logger. Logs go to stderr so the console's answers on stdout stay clean. Every
 * line is scrubbed of the secrets it is given and of anything token-shaped before it is written,
 * whatever field or message carries it; fields that could hold the token are redacted by name too.
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const target = options.destination ?? process.stderr;
  const secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  // Prettified in this process, after scrubbing, so the pretty lines are as clean as the JSON ones.
  const format =
    options.format === 'pretty'
      ? prettyFactory({ colorize: options.colorize ?? false, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,app' })
      : (line: string) => line;
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
