/**
 * Before any test file: brings the compiled copy that child-process tests start up to date
 * (test/support/build.ts), so they run what the sources say now, and the test entrypoints with them.
 */
import { buildForTests } from './build.ts';
import { HELD_REINDEX_BOT, REPO_ROOT } from './harness.ts';

export default async function setup(): Promise<void> {
  await buildForTests(REPO_ROOT, [HELD_REINDEX_BOT]);
}
