import { access } from 'node:fs/promises';
import path from 'node:path';

/** Where the BBC corpus sits beside this checkout, when it is there at all. */
export const DEFAULT_CORPUS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../shared/corpora/bbc-news');

/** Whether a file or folder exists. */
export async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The corpus folder a benchmark should read: the one given, or the BBC corpus beside the checkout.
 * When it is absent the benchmark says so and exits 0: the corpus is not part of the repository.
 */
export async function corpusOrSkip(given: string | undefined, script: string): Promise<string> {
  const corpus = path.resolve(given ?? DEFAULT_CORPUS);
  if (!(await exists(corpus))) {
    console.log(`Skipping: the corpus folder ${corpus} is absent. Pass its path: npm run ${script} -- DIR`);
    process.exit(0);
  }
  return corpus;
}
