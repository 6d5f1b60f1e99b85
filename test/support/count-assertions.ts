/**
 * Counts the assertions the suite executes, for comparing the suite before and after a change
 * (not part of `npm test`):
 *
 *   rm -rf node_modules/.cache/assertions && npx vitest run --config test/support/count-assertions.config.ts
 *   cat node_modules/.cache/assertions/* | awk '{ a += $1; t += $2 } END { print a, "assertions in", t, "tests" }'
 *
 * Each test's count is vitest's own `assertionCalls` (every matcher run, `expect.soft` and
 * `expect.poll` included); assertions in file-level hooks are not counted. End-to-end tests that
 * poll may still vary by a few.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

// Property tests assert once per generated case, and some per generated item: one seed makes the
// count the same from run to run, so two versions of the suite can be compared.
fc.configureGlobal({ seed: 20261203 });

const DIR = new URL('../../node_modules/.cache/assertions/', import.meta.url);
let assertions = 0;
let tests = 0;

beforeAll(() => {
  assertions = 0;
  tests = 0;
});

afterEach(() => {
  assertions += expect.getState().assertionCalls;
  tests += 1;
});

afterAll(() => {
  mkdirSync(DIR, { recursive: true });
  appendFileSync(new URL(`${process.pid}.txt`, DIR), `${assertions} ${tests} ${expect.getState().testPath ?? ''}\n`);
});
