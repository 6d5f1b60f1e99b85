/**
 * Before any test file: brings the compiled copy that child-process tests start up to date
 * (test/support/build.ts), so they run what the sources say now.
 */
import { buildForTests } from './build.ts';
import { REPO_ROOT } from './harness.ts';

export default async function setup(): Promise<void> {
  await buildForTests(REPO_ROOT);
}
