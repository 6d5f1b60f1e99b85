import { DiscordAPIError, HTTPError } from 'discord.js';
import { scrubSecrets, type Logger } from './logger.ts';
import { onUncaught, type CrashableProcess } from './uncaught.ts';

export type { CrashableProcess } from './uncaught.ts';

/** Expected failures a user can act on. Anything else thrown is a bug. */
export type UserErrorCode =
  | 'empty-question'
  | 'question-too-long'
  | 'bad-option'
  | 'not-allowed'
  | 'reindex-running'
  | 'reindex-failed'
  | 'unknown-article'
  | 'article-removed'
  | 'expired'
  | 'cooldown'
  | 'unknown-command'
  | 'feeds-off'
  | 'feed-list';

/** An expected error, shown to the user as it is (ephemerally, on Discord). */
export class UserError extends Error {
  override readonly name = 'UserError';
  readonly code: UserErrorCode;

  constructor(code: UserErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** A short id to quote to a user and find in the logs. */
export function newErrorId(): string {
  return crypto.randomUUID().slice(0, 8);
}

/**
 * Hides webhook and interaction tokens in URLs, and anything shaped like a bot token.
 *
 * @example redactSecrets('POST /webhooks/9/abc/messages') // 'POST /webhooks/9/[redacted]/messages'
 */
export function redactSecrets(text: string): string {
  return scrubSecrets(text.replace(/(\/(?:webhooks|interactions)\/\d+\/)[^/?\s]+/gu, '$1[redacted]'), []);
}

/**
 * An error as a plain object for the log (under `error`, not pino's `err`, whose serializer would
 * copy every property, interaction-token URLs included): name, message, stack, and the HTTP facts
 * of Discord errors, with secrets redacted.
 */
export function describeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: redactSecrets(String(error)) };
  const out: Record<string, unknown> = { type: error.name, message: redactSecrets(error.message) };
  if (error.stack !== undefined) out.stack = redactSecrets(error.stack);
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    Object.assign(out, { status: error.status, method: error.method, url: redactSecrets(error.url) });
  }
  if ('code' in error && (typeof error.code === 'string' || typeof error.code === 'number')) out.code = error.code;
  if (error.cause !== undefined && depth < 3) out.cause = describeError(error.cause, depth + 1);
  return out;
}

/** Where a failure happened, for its log line. */
export interface FailureContext {
  readonly logger: Logger;
  /** The log message, such as "interaction failed". */
  readonly what: string;
  /** Facts that find the failure again (ids of the interaction, message, user, channel…). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/**
 * The one place an unexpected error is handled: logs it at error level with secrets redacted and
 * a fresh error id, and returns the short apology to show the user, which quotes that id.
 *
 * @example reportFailure(new Error('boom'), { logger, what: 'console command failed' }) // 'Sorry, something went wrong (error 1a2b3c4d). Please try again later.'
 */
export function reportFailure(error: unknown, context: FailureContext): string {
  const errorId = newErrorId();
  context.logger.error({ ...context.fields, errorId, error: describeError(error) }, context.what);
  return `Sorry, something went wrong (error ${errorId}). Please try again later.`;
}

/**
 * The end of a crash: the error logged at fatal level as `what` (redacted, with a fresh error id),
 * `tell` given one short line for a person that quotes the id, and exit status 1.
 */
export function crashAndExit(
  error: unknown,
  what: string,
  logger: Logger,
  proc: Pick<CrashableProcess, 'exit'>,
  tell?: (message: string) => void,
): void {
  const errorId = newErrorId();
  logger.fatal({ errorId, error: describeError(error) }, what);
  tell?.(`Sorry, something went wrong (error ${errorId}), and it stopped.`);
  proc.exit(1);
}

/**
 * Ends the process on an error nothing caught: logs it at fatal level (redacted, with a fresh error
 * id) and exits 1, so a supervisor restarts a clean process instead of one in an unknown state.
 * With `tell`, a person is also told, in one short line that quotes the id. Returns the same
 * handler, for an error the caller caught at its top level.
 */
export function exitOnCrash(logger: Logger, proc: CrashableProcess = process, tell?: (message: string) => void): (error: unknown) => void {
  return onUncaught(proc, (error, what) => {
    crashAndExit(error, what, logger, proc, tell);
  });
}
