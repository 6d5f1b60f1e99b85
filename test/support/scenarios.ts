/**
 * What the end-to-end files over a fake Discord share: per-scenario bookkeeping (the spec check of
 * every request a scenario caused, the bot's stderr when one fails, errors provoked on purpose),
 * the check that a file's scenarios exercised every kind of request they should, teardown in
 * reverse order, and the expected texts of the seed article's answer.
 */
import { afterAll, afterEach, beforeEach, expect, type RunnerTestFile, type RunnerTestSuite, type TestContext } from 'vitest';
import type { FakeDiscord, RecordedRequest, RequestMatcher } from './fake-discord/index.ts';
import type { BotProcess } from './harness.ts';
import { withoutBold } from './payloads.ts';
import { assertValidRequests, validateRecordedRequest } from './spec.ts';

export const EPHEMERAL = 64;
export const NO_MENTIONS = { parse: [] };
/** Generous: answers take milliseconds, but CI machines can be slow and busy. */
export const WAIT_MS = 5_000;
/** Starting a process takes 1–3 s here, several at once on a busy 2-core machine up to ~10 s. */
export const SETUP_MS = 40_000;
export const READY_MS = 30_000;

export const SYRIA_QUESTION = 'What death toll has the Syrian war reached?';
/**
 * The passage that answers it, first of the embed's passages, bold marks removed. Above it the
 * direct-answer gate (src/core/answer-confidence.ts) may show its figure in bold.
 */
export const SYRIA_PASSAGE =
  '> The Syrian war has caused immense human suffering, resulting in the death of half a million people, over a million injuries, ' +
  'and displacement of half of the country’s prewar population. The conflict has reached a stalemate in recent years, with more ' +
  'than 5 million Syrians seeking refuge in neighboring countries. Assad acknowledged the protracted nature of the war, stating, ' +
  '“We knew since the start of the war that it is going to be long.” [1]';
/** The first passage (a quoted block) of an embed's description, bold marks removed. */
export const firstBlock = (description: string | undefined): string =>
  withoutBold((description ?? '').split('\n\n').find((block) => block.startsWith('> ')) ?? '');

export interface Scenario {
  /** The seq of the last request before the scenario began. */
  readonly start: () => number;
  /** The first matching request since the scenario began (waiting up to `timeoutMs`). */
  readonly waitFor: (matcher: RequestMatcher, timeoutMs?: number) => Promise<RecordedRequest>;
  /** Lets the request with this seq fail: the scenario made Discord refuse it. */
  readonly allowErrors: (seq: number) => void;
}

/**
 * The per-scenario bookkeeping of a describe block: the seq at which each scenario began, the spec
 * check of everything sent since (each operation recorded in `operationsSeen`), the bot's stderr
 * when a scenario fails, and the error answers a scenario provoked on purpose.
 */
export function trackScenarios(get: () => { fake: FakeDiscord; bot: BotProcess | null }, operationsSeen: Set<string>): Scenario {
  let start = 0;
  const allowed = new Set<number>();
  beforeEach((context: TestContext) => {
    const { fake, bot } = get();
    start = fake.mark();
    allowed.clear();
    context.onTestFailed(() => {
      if (bot) console.error(`--- bot stderr (last lines) ---\n${bot.stderrTail(40)}`);
    });
  });
  afterEach(() => {
    const sent = get().fake.requests.filter((r) => r.seq > start);
    recordOperations(sent, operationsSeen);
    assertValidRequests(sent);
    // Discord answered every request with success, except where a scenario injected an error.
    const failed = sent.filter((r) => r.response.status >= 400 && !allowed.has(r.seq));
    expect(failed.map((r) => `${r.method} ${r.path} -> ${r.response.status} ${JSON.stringify(r.response.body)}`)).toEqual([]);
  });
  return {
    start: () => start,
    waitFor: (matcher, timeoutMs = WAIT_MS) => get().fake.waitForRequest(matcher, { after: start, timeoutMs }),
    allowErrors: (seq) => {
      allowed.add(seq);
    },
  };
}

/** Adds the spec operation of each request to `operationsSeen`. */
export function recordOperations(requests: readonly RecordedRequest[], operationsSeen: Set<string>): void {
  for (const req of requests) operationsSeen.add(validateRecordedRequest(req).operationId ?? `unknown ${req.method} ${req.path}`);
}

/** Whether every test under the suite ran (none filtered out with -t, skipped or todo). */
function everyTestRan(suite: Readonly<RunnerTestSuite | RunnerTestFile>): boolean {
  return suite.tasks.every((task) => (task.type === 'suite' ? everyTestRan(task) : task.mode === 'run' && task.result?.state !== 'skip'));
}

/**
 * At the end of the file, when every test in it ran: its scenarios made each of `operations`, so
 * the spec checks covered every kind of request they are about.
 */
export function expectOperationsCovered(operationsSeen: ReadonlySet<string>, operations: readonly string[]): void {
  // eslint-disable-next-line no-empty-pattern -- vitest passes the file second and requires a destructuring pattern first
  afterAll(({}, file) => {
    if (!everyTestRan(file)) return;
    for (const op of operations) expect(operationsSeen, op).toContain(op);
  });
}

/** Undoes what a file started (fakes, seeds folders, processes) at its end, in reverse order. */
export function teardownAtEnd(): (undo: () => Promise<unknown>) => void {
  const teardowns: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const teardown of teardowns.toReversed()) await teardown();
  });
  return (undo) => {
    teardowns.push(undo);
  };
}
