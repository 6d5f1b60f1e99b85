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
  | 'unknown-command';

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
