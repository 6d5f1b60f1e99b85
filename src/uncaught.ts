/**
 * Where an error nothing caught goes. Kept apart from errors.ts, which brings discord.js, so that
 * the CLI can register its handlers without loading it.
 */

/** The parts of `process` that crash handling uses, so tests can pass their own. */
export interface CrashableProcess {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  exit(code: number): void;
}

/**
 * Sends an unhandled rejection or an uncaught exception to `crash`, with what it was, and returns
 * the same handler for an error the caller caught at its top level.
 */
export function onUncaught(proc: CrashableProcess, crash: (error: unknown, what: string) => void): (error: unknown) => void {
  proc.on('unhandledRejection', (reason) => {
    crash(reason, 'unhandled promise rejection; exiting');
  });
  proc.on('uncaughtException', (error) => {
    crash(error, 'uncaught exception; exiting');
  });
  return (error) => {
    crash(error, 'uncaught exception; exiting');
  };
}
