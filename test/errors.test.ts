import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { exitOnCrash, reportFailure, type CrashableProcess } from '../src/errors.ts';
import { captureLog } from './support/log-capture.ts';

const TOKEN_SHAPED = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.abcdefghijklmnopqrstuvwxyz0123';

describe('reportFailure', () => {
  it('logs the error once, redacted, with an id that the apology it returns quotes', () => {
    const { logger, lines } = captureLog();
    const error = new Error(`POST /webhooks/1/secret-webhook-token/messages failed for ${TOKEN_SHAPED}`);
    const apology = reportFailure(error, { logger, what: 'console command failed', fields: { line: '/ask x' } });
    const [logged, ...rest] = lines();
    expect(rest).toEqual([]);
    expect(logged).toMatchObject({ level: 50, msg: 'console command failed', line: '/ask x' });
    expect(apology).toBe(`Sorry, something went wrong (error ${String(logged?.errorId)}). Please try again later.`);
    expect(logged?.errorId).toMatch(/^[0-9a-f]{8}$/u);
    const text = JSON.stringify(logged);
    expect(text).not.toContain('secret-webhook-token');
    expect(text).not.toContain(TOKEN_SHAPED);
    expect(text).toContain('/webhooks/1/[redacted]/messages');
  });

  it('gives each failure its own id', () => {
    const { logger } = captureLog();
    const first = reportFailure(new Error('a'), { logger, what: 'x' });
    const second = reportFailure(new Error('a'), { logger, what: 'x' });
    expect(first).not.toBe(second);
  });
});

describe('exitOnCrash', () => {
  function fakeProcess(): CrashableProcess & EventEmitter & { codes: number[] } {
    const emitter = new EventEmitter();
    const codes: number[] = [];
    return Object.assign(emitter, {
      codes,
      exit(code: number) {
        codes.push(code);
      },
    });
  }

  it('logs an unhandled rejection or an uncaught exception at fatal level, redacted, and exits 1', () => {
    const { logger, lines } = captureLog();
    const proc = fakeProcess();
    exitOnCrash(logger, proc);
    proc.emit('unhandledRejection', new Error(`rejected with ${TOKEN_SHAPED}`));
    proc.emit('uncaughtException', new TypeError('thrown'));
    expect(proc.codes).toEqual([1, 1]);
    expect(lines().map((l) => [l.level, l.msg])).toEqual([
      [60, 'unhandled promise rejection; exiting'],
      [60, 'uncaught exception; exiting'],
    ]);
    expect(JSON.stringify(lines())).not.toContain(TOKEN_SHAPED);
    expect(lines()[1]?.error).toMatchObject({ type: 'TypeError', message: 'thrown' });
  });
});
