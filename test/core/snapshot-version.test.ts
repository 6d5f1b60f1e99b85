import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SNAPSHOT_VERSION } from '../../src/core/archive-codec.ts';
import { snapshotVersion } from '../../src/core/snapshot-version.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-version-'));
  await mkdir(path.join(dir, 'figures'));
  await writeFile(path.join(dir, 'archive.ts'), 'export const a = 1;\n');
  await writeFile(path.join(dir, 'figures', 'scan.ts'), 'export const b = 2;\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('snapshot format version', () => {
  it('is the hash of the core folder the codec runs from', () => {
    expect(SNAPSHOT_VERSION).toBe(snapshotVersion(path.resolve('src/core')));
  });

  it('stays the same for the same files, and changes when any file of the folder, nested too, changes', async () => {
    const before = snapshotVersion(dir);
    expect(snapshotVersion(dir)).toBe(before);
    await writeFile(path.join(dir, 'figures', 'scan.ts'), 'export const b = 3;\n');
    const edited = snapshotVersion(dir);
    expect(edited).not.toBe(before);
    await writeFile(path.join(dir, 'figures', 'units.ts'), '');
    expect(snapshotVersion(dir)).not.toBe(edited);
  });

  it("changes with the machine's byte order, which typed arrays are stored in", () => {
    expect(snapshotVersion(dir, 'LE')).not.toBe(snapshotVersion(dir, 'BE'));
    expect(snapshotVersion(dir)).toBe(snapshotVersion(dir, os.endianness()));
  });

  it('changes when a file is renamed with the same contents', async () => {
    const before = snapshotVersion(dir);
    await rm(path.join(dir, 'archive.ts'));
    await writeFile(path.join(dir, 'archives.ts'), 'export const a = 1;\n');
    expect(snapshotVersion(dir)).not.toBe(before);
  });
});
