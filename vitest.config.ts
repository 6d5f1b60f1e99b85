import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // The compiled copy that the tests starting Factdesk as a process run (test/support/build.ts).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Test files share their worker's modules instead of each importing discord.js, zod and the
    // core afresh: that import was most of the suite's CPU time. No test mocks modules or changes
    // process-wide state that another file reads, so sharing them changes no outcome.
    isolate: false,
    // One worker per core, not vitest's default of one fewer (a single worker on a 2-core machine):
    // the end-to-end files spend most of their time waiting for the bot processes they start, which
    // do the work on another core, so a second worker runs unit tests meanwhile.
    maxWorkers: availableParallelism(),
  },
});
