import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The byte layout's own number: bump it for a change of layout alone (the hash below sees the rest). */
const LAYOUT = 3;

/**
 * The snapshot format version: a hash of {@link LAYOUT} and of every file of the core folder as it
 * runs (TypeScript under tsx and the tests, JavaScript from `dist/`), read once at start-up.
 *
 * A snapshot holds what the core worked out from the articles: passages, figures, terms, the index.
 * A hand-bumped number was forgotten when extraction changed, and old snapshots were then served
 * with stale figures. A hash of the code that does the work cannot be forgotten. It errs on the safe
 * side: any edit to the core (a ranking tweak, a comment) also costs one rebuild at the next start,
 * and so does switching between `npm run dev` and `npm start`. Dependencies are pinned by the lock file.
 * The machine's byte order is part of it too: typed arrays are stored as their raw bytes, so a
 * snapshot copied to a machine of the other order is a rebuild, not a misreading.
 *
 * @example snapshotVersion() // 2873401156
 */
export function snapshotVersion(
  folder: string = path.dirname(fileURLToPath(import.meta.url)),
  byteOrder: 'BE' | 'LE' = os.endianness(),
): number {
  const hash = createHash('sha256').update(`layout ${LAYOUT}\nbyte order ${byteOrder}\n`);
  const files = readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
  for (const file of files) hash.update(`${file}\n`).update(readFileSync(path.join(folder, file)));
  return hash.digest().readUInt32BE(0);
}
