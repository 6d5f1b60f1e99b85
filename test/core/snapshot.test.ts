import { cp, link, mkdir, mkdtemp, open as openFile, readFile, readdir, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answerQuestion } from '../../src/core/answer.ts';
import { Archive, type IndexedPassage } from '../../src/core/archive.ts';
import {
  BodyChecksum,
  decodeSnapshot,
  decodeSnapshotSliced,
  encodeSnapshot,
  snapshotFrames,
  SNAPSHOT_VERSION,
  SnapshotRejected,
} from '../../src/core/archive-codec.ts';
import { Library } from '../../src/core/library.ts';
import {
  MAX_TOLD_NAMES,
  packBasis,
  packListing,
  readSnapshot,
  removeStaleTemporaries,
  scanChanges,
  STALE_TEMPORARY_MS,
  statListing,
  statNamed,
  unpackBasis,
  unpackListing,
  withChanges,
  withTold,
  writeSnapshot,
  type SnapshotFs,
  type SnapshotHandle,
} from '../../src/core/snapshot.ts';
import { fingerprintOf } from '../../src/core/snapshot.ts';
import { loadArticles } from '../../src/core/corpus.ts';

let dir: string;
let seeds: string;
let snapshotFile: string;
const at = new Date('2026-01-01T12:00:00Z');

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-snapshot-'));
  seeds = path.join(dir, 'seeds');
  snapshotFile = path.join(dir, 'data', 'archive.snapshot');
  await import('node:fs/promises').then((fs) => fs.mkdir(seeds));
  await writeFile(path.join(seeds, 'a.txt'), 'Rovers sign striker\n\nRovers signed a striker for £3m on 2 May 2025.');
  await writeFile(path.join(seeds, 'b.txt'), 'United lose\n\nUnited lost 2-1 at home. Smith scored.');
  await writeFile(path.join(seeds, 'c.txt'), 'date 2026-02-31 Bad date.');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = (): Promise<Library> => Library.open({ seedsDir: seeds, snapshotFile, now: () => at });
const question = 'How much did Rovers pay for the striker?';

/** Rewrites a.txt with another price, and a modification time that tells a reindex it changed. */
async function edit(price: string, day: string): Promise<void> {
  await writeFile(path.join(seeds, 'a.txt'), `Rovers sign striker\n\nRovers signed a striker for ${price}.`);
  await utimes(path.join(seeds, 'a.txt'), new Date(day), new Date(day));
}

/** node:fs/promises, with each opened file's handle wrapped by `wrap`. */
function nodeFs(wrap: (handle: SnapshotHandle) => SnapshotHandle = (handle) => handle): SnapshotFs {
  return { mkdir, rename, rm, open: async (file, flags) => wrap(await openFile(file, flags)) };
}

/**
 * node:fs/promises where the next snapshot opened after `holdNext()` is held at its first write
 * until released; `renamed` resolves once that snapshot is renamed into place.
 */
function holdingFs(): {
  fs: SnapshotFs;
  holdNext(): { release(): void; renamed: Promise<void> };
  /** Each snapshot file opened and renamed into place, in order: `open held` and `rename held` for the held one. */
  events: string[];
} {
  let hold: { gate: Promise<void>; temporary: string | null; renamed: () => void } | null = null;
  const events: string[] = [];
  const fs: SnapshotFs = {
    mkdir,
    rm,
    open: async (file, flags) => {
      const handle = await openFile(file, flags);
      const held = hold?.temporary === null ? hold : null;
      events.push(held === null ? 'open' : 'open held');
      if (held === null) return handle;
      held.temporary = file;
      return {
        write: async (buffer, offset, length, position) => {
          await held.gate;
          return handle.write(buffer, offset, length, position);
        },
        close: () => handle.close(),
      };
    },
    rename: async (from, to) => {
      await rename(from, to);
      events.push(from === hold?.temporary ? 'rename held' : 'rename');
      if (from === hold?.temporary) hold.renamed();
    },
  };
  return {
    fs,
    events,
    holdNext() {
      let release = (): void => undefined;
      let renamed = (): void => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const done = new Promise<void>((resolve) => (renamed = resolve));
      hold = { gate, temporary: null, renamed };
      return { release, renamed: done };
    },
  };
}

describe('snapshot', () => {
  it('removes at start-up the temporary files killed writers left, and only those', async () => {
    const data = path.dirname(snapshotFile);
    await mkdir(data, { recursive: true });
    const uuid = (n: number): string => `${String(n).repeat(8)}-1111-4111-8111-111111111111`;
    const stale = `archive.snapshot.${uuid(1)}.tmp`;
    const fresh = `archive.snapshot.${uuid(2)}.tmp`;
    const otherFile = `notes.txt.${uuid(3)}.tmp`;
    const notUuid = 'archive.snapshot.backup.tmp';
    const folder = `archive.snapshot.${uuid(4)}.tmp`;
    for (const name of [stale, fresh, otherFile, notUuid]) await writeFile(path.join(data, name), 'partial');
    await mkdir(path.join(data, folder));
    const now = Date.now();
    const old = new Date(now - STALE_TEMPORARY_MS - 60_000);
    for (const name of [stale, otherFile, notUuid, folder]) await utimes(path.join(data, name), old, old);
    // Written a minute ago: another process sharing the folder may be writing it now.
    const recent = new Date(now - 60_000);
    await utimes(path.join(data, fresh), recent, recent);

    const library = await open();
    expect(library.startup).toMatchObject({ source: 'build', staleTemporariesRemoved: 1 });
    expect((await readdir(data)).sort()).toEqual(['archive.snapshot', fresh, folder, notUuid, otherFile].sort());
    expect(await removeStaleTemporaries(snapshotFile, now + STALE_TEMPORARY_MS)).toBe(1);
    expect((await readdir(data)).sort()).toEqual(['archive.snapshot', folder, notUuid, otherFile].sort());
    expect(await removeStaleTemporaries(path.join(dir, 'absent', 'archive.snapshot'))).toBe(0);
  });

  it('is written after a build and loaded at the next start when no file changed', async () => {
    const built = await open();
    expect(built.startup).toMatchObject({ source: 'build', snapshotRejected: 'there is no snapshot yet', snapshotError: null });
    const restarted = await open();
    expect(restarted.startup).toMatchObject({ source: 'snapshot', snapshotRejected: null });
    expect(restarted.archive.stats).toEqual(built.archive.stats);
    expect(restarted.problems).toEqual(built.problems);
    expect(answerQuestion(restarted.archive, question)).toEqual(answerQuestion(built.archive, question));
    expect(answerQuestion(restarted.archive, 'Who scored for United?')).toEqual(answerQuestion(built.archive, 'Who scored for United?'));
    // Written atomically: no temporary file is left beside it.
    expect(await readdir(path.dirname(snapshotFile))).toEqual(['archive.snapshot']);
  });

  it('is not used when a file changed, was added or was removed since', async () => {
    await open();
    await writeFile(path.join(seeds, 'a.txt'), 'Rovers sign striker\n\nRovers signed a striker for £4m.');
    await utimes(path.join(seeds, 'a.txt'), new Date('2030-01-01'), new Date('2030-01-01'));
    const changed = await open();
    expect(changed.startup).toMatchObject({ source: 'build', snapshotRejected: '1 files changed since it was written' });
    expect(answerQuestion(changed.archive, question).answer).toBe('£4m');

    await writeFile(path.join(seeds, 'd.txt'), 'City win\n\nCity won the cup.');
    await rm(path.join(seeds, 'b.txt'));
    expect((await open()).startup).toMatchObject({ source: 'build', snapshotRejected: '2 files changed since it was written' });
    expect((await open()).startup?.source).toBe('snapshot');
  });

  it('means a rebuild, not a crash, when the file is damaged or cut short', async () => {
    await open();
    const bytes = await readFile(snapshotFile);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    await writeFile(snapshotFile, bytes);
    const damaged = await open();
    expect(damaged.startup).toMatchObject({ source: 'build', snapshotRejected: 'the snapshot is damaged (checksum mismatch)' });
    expect(answerQuestion(damaged.archive, question).answer).toBe('£3m');

    await writeFile(snapshotFile, (await readFile(snapshotFile)).subarray(0, 20));
    expect((await open()).startup).toMatchObject({ source: 'build', snapshotRejected: 'the snapshot is damaged (checksum mismatch)' });
    await writeFile(snapshotFile, (await readFile(snapshotFile)).subarray(0, 10));
    expect((await open()).startup).toMatchObject({ source: 'build', snapshotRejected: 'not a snapshot file' });
    await writeFile(snapshotFile, 'hello');
    expect((await open()).startup).toMatchObject({ source: 'build', snapshotRejected: 'not a snapshot file' });
  });

  it('is read a frame at a time, in another thread with its checksum when large, which finds damage too', async () => {
    const library = await open();
    for (const workerFrom of [0, Number.MAX_SAFE_INTEGER]) {
      const back = await readSnapshot(snapshotFile, workerFrom);
      if ('rejected' in back) throw new Error(back.rejected);
      expect(back.archive.passages).toEqual(library.archive.passages);
      expect(back.archive.articles).toEqual(library.archive.articles);
      expect(answerQuestion(back.archive, question)).toEqual(answerQuestion(library.archive, question));
      // The arrays read back sit in buffers of their own, one per frame, none of them the file's size.
      expect(back.archive.passages[0]?.termIds.buffer.byteLength).toBeLessThan((await readFile(snapshotFile)).length);
    }
    const bytes = await readFile(snapshotFile);
    for (const at of [bytes.length - 10, 40, 20]) {
      const damaged = Buffer.from(bytes);
      damaged[at] = (damaged[at] ?? 0) ^ 0xff;
      const file = path.join(dir, `damaged-${at}.snapshot`);
      await writeFile(file, damaged);
      for (const workerFrom of [0, Number.MAX_SAFE_INTEGER]) {
        expect(await readSnapshot(file, workerFrom)).toEqual({ rejected: 'the snapshot is damaged (checksum mismatch)' });
      }
    }
    await writeFile(path.join(dir, 'cut.snapshot'), bytes.subarray(0, bytes.length - 3));
    expect(await readSnapshot(path.join(dir, 'cut.snapshot'), 0)).toEqual({ rejected: 'the snapshot is damaged (checksum mismatch)' });
    expect(await readSnapshot(path.join(dir, 'absent.snapshot'))).toEqual({ rejected: 'there is no snapshot yet' });
    expect(await readSnapshot(dir)).toEqual({ rejected: 'the snapshot cannot be read (EISDIR)' });
  });

  it('is not used for another folder', async () => {
    await open();
    const other = path.join(dir, 'other');
    await cp(seeds, other, { recursive: true, preserveTimestamps: true });
    const library = await Library.open({ seedsDir: other, snapshotFile });
    expect(library.startup).toMatchObject({ source: 'build', snapshotRejected: `it is of another folder, ${seeds}` });
  });

  it('means a rebuild when it is of another format version', async () => {
    await open();
    const bytes = await readFile(snapshotFile);
    bytes.writeUInt32BE((SNAPSHOT_VERSION + 1) % 2 ** 32, 7);
    await writeFile(snapshotFile, bytes);
    expect((await open()).startup).toMatchObject({
      source: 'build',
      snapshotRejected: `the snapshot is format ${(SNAPSHOT_VERSION + 1) % 2 ** 32}, this version reads ${SNAPSHOT_VERSION}`,
    });
    expect((await open()).startup?.source).toBe('snapshot');
  });

  it('reads back the same archive from msgpack and from JSON', async () => {
    const library = await open();
    const snapshot = { root: seeds, archive: library.archive, files: [], problems: library.problems };
    for (const encoding of ['msgpack', 'json'] as const) {
      const back = decodeSnapshot(encodeSnapshot(snapshot, encoding)).archive;
      expect(back.passages).toEqual(library.archive.passages);
      expect(back.articles).toEqual(library.archive.articles);
      expect(answerQuestion(back, question)).toEqual(answerQuestion(library.archive, question));
    }
  });

  it('reads back NaN, the infinities and -0 as they were, from msgpack and from JSON', async () => {
    await writeFile(path.join(seeds, 'd.txt'), 'Fees\n\nRovers paid £3m, United £4m, City £5m and Town £6m in May.');
    const library = await open();
    const figures = library.archive.passages.flatMap((p) => p.figures);
    const valued = figures.flatMap((f, i) => (f.value === null ? [] : [i]));
    const special = [NaN, Infinity, -Infinity, -0];
    expect(valued.length).toBeGreaterThanOrEqual(special.length);
    // No text gives these today; a figure's value is a number, and the snapshot must keep any.
    special.forEach((value, i) => Object.assign(figures[valued[i] ?? -1] ?? {}, { value }));
    const snapshot = { root: seeds, archive: library.archive, files: [], problems: library.problems };
    for (const encoding of ['msgpack', 'json'] as const) {
      const back = decodeSnapshot(encodeSnapshot(snapshot, encoding)).archive;
      const values = back.passages.flatMap((p) => p.figures).map((f) => f.value);
      special.forEach((value, i) => {
        const read = values[valued[i] ?? -1];
        expect(Object.is(read, value), `${encoding}: ${String(read)} for ${String(value)}`).toBe(true);
      });
      expect(back.passages).toEqual(library.archive.passages);
    }
  });

  it("reads its typed arrays into buffers of their own, so the file's bytes can go, aligned or not", async () => {
    const library = await open();
    const bytes = encodeSnapshot({ root: seeds, archive: library.archive, files: [], problems: library.problems });
    const aligned = decodeSnapshot(bytes).archive;
    const own = aligned.passages[0]?.termIds.buffer;
    expect(own).not.toBe(bytes.buffer);
    // Its frame's arrays only, not the file.
    expect(own?.byteLength).toBeLessThan(bytes.length);
    expect(aligned.passages).toEqual(library.archive.passages);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const unaligned = decodeSnapshot(shifted.subarray(1)).archive;
    expect(unaligned.passages[0]?.termIds.buffer).not.toBe(shifted.buffer);
    expect(unaligned.passages).toEqual(library.archive.passages);
    expect(answerQuestion(unaligned, question)).toEqual(answerQuestion(library.archive, question));
  });

  it('rejects a payload of the wrong shape, with a sound header and checksum, as malformed', () => {
    const head = { kind: 'head', articleCount: 1, passageCount: 0, wordCount: 0, fileCount: 0 };
    const frames = [head, { kind: 'articles', rows: 1, columns: { article: 'not a column' } }].map((frame) => {
      const json = Buffer.from(JSON.stringify(frame));
      const out = Buffer.alloc(8 + Math.ceil(json.length / 8) * 8);
      out.writeUInt32BE(out.length - 4, 0);
      out.writeUInt32BE(json.length, 4);
      json.copy(out, 8);
      return out;
    });
    const body = Buffer.concat(frames);
    const header = Buffer.alloc(16);
    header.write('FDSNAP', 'latin1');
    header.writeUInt8(2, 6); // JSON
    header.writeUInt32BE(SNAPSHOT_VERSION, 7);
    new BodyChecksum().update(body).digest().copy(header, 11);
    expect(() => decodeSnapshot(Buffer.concat([header, body]))).toThrow(new SnapshotRejected("the snapshot's value column is malformed"));
  });

  it('means a rebuild when its postings, checksum and all, name no document or do not add up', async () => {
    await open();
    // The snapshot as written, fingerprint and all, so that only its postings are wrong.
    const written = decodeSnapshot(await readFile(snapshotFile));
    const tampered: { what: string; tamper: (archive: Archive) => () => void }[] = [
      {
        what: 'a passage posting beyond the last passage',
        tamper: (archive) => {
          const { docs, documentCount } = archive.parts.passageIndex.data();
          const was = docs[0] ?? 0;
          docs[0] = documentCount;
          return () => {
            docs[0] = was;
          };
        },
      },
      {
        what: 'group starts that go back',
        tamper: (archive) => {
          const { starts } = archive.parts.passageIndex.data();
          const g = starts.findIndex((start, i) => i > 0 && start > 0);
          const was = starts[g] ?? 0;
          starts[g] = 0;
          starts[g - 1] = was;
          return () => {
            starts[g - 1] = 0;
            starts[g] = was;
          };
        },
      },
    ];
    expect((await open()).startup?.source).toBe('snapshot');
    for (const { what, tamper } of tampered) {
      const undo = tamper(written.archive);
      await writeFile(snapshotFile, encodeSnapshot(written));
      undo();
      const library = await open();
      expect(library.startup, what).toMatchObject({
        source: 'build',
        snapshotRejected: expect.stringMatching(/index|postings/u) as unknown,
      });
      expect(answerQuestion(library.archive, question).answer, what).toBe('£3m');
    }
  });

  it('says why it could not write the snapshot, and still serves', async () => {
    await writeFile(path.join(dir, 'data'), 'a file where the folder should be');
    const library = await open();
    expect(library.startup?.snapshotError).toMatch(/EEXIST|ENOTDIR/u);
    expect(answerQuestion(library.archive, question).answer).toBe('£3m');
  });

  it('waits for a snapshot still being written before writing the next, so the last one written is the archive served', async () => {
    const disk = holdingFs();
    const library = await Library.open({ seedsDir: seeds, snapshotFile, now: () => at, snapshotFs: disk.fs });
    const held = disk.holdNext();
    await edit('£4m', '2030-01-01');
    await library.reindex();
    await edit('£5m', '2030-01-02');
    // A full reindex builds a new archive and does not wait for the snapshot of the one before.
    await library.reindex({ full: true });
    expect(answerQuestion(library.archive, question).answer).toBe('£5m');
    held.release();
    await held.renamed;
    expect(await library.snapshotWritten()).toBeNull();
    // The second snapshot was begun only once the first was in place: had it not waited, it would
    // have been renamed into place first, and the first (of £4m) renamed over it.
    expect(disk.events.slice(-4)).toEqual(['open held', 'rename held', 'open', 'rename']);
    const restarted = await open();
    expect(restarted.startup?.source).toBe('snapshot');
    expect(answerQuestion(restarted.archive, question).answer).toBe('£5m');
    expect(await readdir(path.dirname(snapshotFile))).toEqual(['archive.snapshot']);
  });

  it('lets an update commit only once the snapshot before it is written: a commit changes the indexes in place', async () => {
    const disk = holdingFs();
    const library = await Library.open({ seedsDir: seeds, snapshotFile, now: () => at, snapshotFs: disk.fs });
    const held = disk.holdNext();
    await edit('£4m', '2030-01-01');
    await library.reindex();
    await edit('£5m', '2030-01-02');
    // The held snapshot is released as soon as the update is worked out; had the commit not waited
    // for it to be written, it would run at once, before the snapshot's remaining writes and rename.
    const renamedAtCommit: boolean[] = [];
    const prepareUpdate = Object.getOwnPropertyDescriptor(Archive.prototype, 'prepareUpdate')?.value as Archive['prepareUpdate'];
    const spy = vi.spyOn(Archive.prototype, 'prepareUpdate').mockImplementation(async function (this: Archive, ...args) {
      const update = await prepareUpdate.apply(this, args);
      held.release();
      const committing = function* (): Generator<void, () => Archive> {
        const apply = yield* update.committing();
        return () => {
          renamedAtCommit.push(disk.events.includes('rename held'));
          return apply();
        };
      };
      return {
        prepared: update.prepared,
        committing,
        commit: () => {
          renamedAtCommit.push(disk.events.includes('rename held'));
          return update.commit();
        },
      };
    });
    try {
      await library.reindex();
    } finally {
      spy.mockRestore();
    }
    expect(renamedAtCommit).toEqual([true]);
    expect(answerQuestion(library.archive, question).answer).toBe('£5m');
    expect(await library.snapshotWritten()).toBeNull();
    const restarted = await open();
    expect(restarted.startup?.source).toBe('snapshot');
    expect(answerQuestion(restarted.archive, question).answer).toBe('£5m');
  });

  it('writes every byte when the file system takes fewer bytes than it is given', async () => {
    const library = await open();
    const snapshot = { root: seeds, archive: library.archive, files: [], problems: library.problems };
    const file = path.join(dir, 'short', 'archive.snapshot');
    const writes: number[] = [];
    // Each write takes at most half of what it is given (and at most 1,000 bytes), as a short pwrite may.
    const short = nodeFs((handle) => ({
      write: async (buffer, offset, length, position) => {
        const { bytesWritten } = await handle.write(buffer, offset, Math.min(Math.ceil(length / 2), 1_000), position);
        writes.push(bytesWritten);
        return { bytesWritten };
      },
      close: () => handle.close(),
    }));
    const size = await writeSnapshot(file, snapshot, short);
    expect((await readFile(file)).length).toBe(size);
    expect(writes.length).toBeGreaterThan(10);
    const back = await readSnapshot(file);
    if ('rejected' in back) throw new Error(back.rejected);
    expect(back.archive.passages).toEqual(library.archive.passages);
    expect(answerQuestion(back.archive, question)).toEqual(answerQuestion(library.archive, question));
  });

  it('writes the bytes an encoding in memory gives, frames packed in its reused buffer or, too large for what is left, in their own', async () => {
    const library = await open();
    const snapshot = { root: seeds, archive: library.archive, files: [], problems: library.problems };
    const encoded = encodeSnapshot(snapshot);
    for (const chunkBytes of [undefined, 2_000, 200]) {
      const file = path.join(dir, `chunk-${chunkBytes ?? 'default'}`, 'archive.snapshot');
      expect(await writeSnapshot(file, snapshot, undefined, chunkBytes)).toBe(encoded.length);
      expect((await readFile(file)).equals(encoded)).toBe(true);
    }
  });

  it('fails, leaving no temporary file, when the file system takes no bytes at all', async () => {
    const library = await open();
    const snapshot = { root: seeds, archive: library.archive, files: [], problems: library.problems };
    const file = path.join(dir, 'stuck', 'archive.snapshot');
    const stuck = nodeFs((handle) => ({ write: () => Promise.resolve({ bytesWritten: 0 }), close: () => handle.close() }));
    await expect(writeSnapshot(file, snapshot, stuck)).rejects.toThrow('writing the snapshot made no progress at byte 16');
    expect(await readdir(path.dirname(file))).toEqual([]);
  });

  it('is written in many small frames that read back as the same archive', async () => {
    // 30 articles of 15 paragraphs: more passages than one frame holds.
    for (let i = 0; i < 30; i++) {
      const paragraphs = Array.from({ length: 15 }, (_, p) => `Club ${i} signed player ${p} for £${i + p}m in May.`);
      await writeFile(path.join(seeds, `club-${i}.txt`), `Club ${i} signings\n\n${paragraphs.join('\n\n')}`);
    }
    const library = await open();
    const snapshot = { root: seeds, archive: library.archive, files: [], problems: library.problems };
    expect(library.archive.stats.passages).toBeGreaterThan(450);
    const frames = [...snapshotFrames(snapshot)];
    expect(frames.length).toBeGreaterThan(4);
    const back = decodeSnapshot(encodeSnapshot(snapshot)).archive;
    expect(back.passages).toEqual(library.archive.passages);
    expect(back.articles).toEqual(library.archive.articles);
    for (const q of ['How much did Club 7 pay for player 12?', question]) {
      expect(answerQuestion(back, q)).toEqual(answerQuestion(library.archive, q));
    }
    expect(back.searchPassages(['club', 'player'])).toEqual(library.archive.searchPassages(['club', 'player']));
  });

  it('read back beside the archive serving, takes its objects only where they hold what the fresh build holds', async () => {
    for (let i = 0; i < 6; i++) {
      const body = `Club ${i} signed a striker for £${i + 2}m in May. The fee rose to £${i + 3}m.\n\nAbout ${i + 1},000 fans cheered.`;
      await writeFile(path.join(seeds, `club-${i}.txt`), `Club ${i} signings\n\n${body}`);
    }
    const built = await open();
    const bytes = encodeSnapshot({ root: seeds, archive: built.archive, files: [], problems: built.problems });
    const pause = (): Promise<void> => Promise.resolve();
    // The archive serving: the same archive read back on its own, so no object is shared to begin with.
    const unspoiled = decodeSnapshot(bytes).archive;
    const fromUnspoiled = (await decodeSnapshotSliced(bytes, pause, { previous: unspoiled })).archive;
    expect(fromUnspoiled.articles.every((a, i) => a === unspoiled.articles[i])).toBe(true);
    expect(fromUnspoiled.passages.every((p, i) => p === unspoiled.passages[i])).toBe(true);
    expect(fromUnspoiled.passageIndex.data().docs).toBe(unspoiled.passageIndex.data().docs);
    expect(fromUnspoiled.term(5)).toBe(unspoiled.term(5));
    // Its vocabulary too, lookups and all, when it holds the same words, counts and lookups; not
    // when its live terms' tree has lost a live term.
    expect(fromUnspoiled.parts.vocabulary).toBe(unspoiled.parts.vocabulary);
    const lost = decodeSnapshot(bytes).archive;
    await lost.warmTerms(pause);
    (lost.parts.vocabulary as unknown as { live: { delete(word: string): void } }).live.delete('striker');
    expect(lost.prefixTerms('strik', 5)).toEqual([]);
    const fromLost = (await decodeSnapshotSliced(bytes, pause, { previous: lost })).archive;
    expect(fromLost.parts.vocabulary).not.toBe(lost.parts.vocabulary);
    expect(fromLost.prefixTerms('strik', 5)).toEqual(built.archive.prefixTerms('strik', 5));
    expect(fromLost.prefixTerms('strik', 5)).not.toEqual([]);

    // Made stale in places, as a bug or a change an incremental reindex missed would leave it.
    const old = decodeSnapshot(bytes).archive;
    const set = (value: object | undefined, key: string, to: unknown): void => {
      (value as Record<string, unknown>)[key] = to;
    };
    const [first, second] = old.articles;
    set(second?.article, 'title', 'A stale title');
    const passages = old.passages.filter((p) => p.article > 1 && p.figures.length > 0 && p.sentences.length > 0);
    const [textStale, termStale, sentenceStale, figureStale] = passages;
    set(textStale?.passage, 'text', 'A stale text');
    termStale?.termIds.fill(7);
    set(sentenceStale?.sentences[0], 'end', 1);
    set(figureStale?.figures[0], 'value', 99);
    (old.parts.vocabulary.passageDf as number[])[5] = (old.parts.vocabulary.passageDf[5] ?? 0) + 1;
    const freqs = old.passageIndex.data().freqs;
    freqs[freqs.length - 1] = (freqs[freqs.length - 1] ?? 0) + 1;
    const sliced = await decodeSnapshotSliced(bytes, pause, { previous: old });
    // Value for value the fresh build, to the byte.
    expect(encodeSnapshot(sliced)).toEqual(bytes);
    const { archive } = sliced;
    // An old object that holds the same is taken; a stale one, or a row holding one, is not.
    expect(archive.articles[0]).toBe(first);
    expect(archive.articles[1]).not.toBe(second);
    expect(archive.articles[1]?.article).not.toBe(second?.article);
    expect(archive.articles[1]?.terms).toBe(second?.terms);
    const at = (p: IndexedPassage | undefined): IndexedPassage | undefined => archive.passages[p?.ordinal ?? -1];
    expect(at(textStale)).not.toBe(textStale);
    expect(at(textStale)?.passage).not.toBe(textStale?.passage);
    expect(at(textStale)?.termIds).toBe(textStale?.termIds);
    expect(at(termStale)?.termIds).not.toBe(termStale?.termIds);
    expect(at(termStale)?.passage).toBe(termStale?.passage);
    expect(at(sentenceStale)?.sentences).not.toBe(sentenceStale?.sentences);
    expect(at(figureStale)?.figures).not.toBe(figureStale?.figures);
    expect(archive.passageIndex.data().freqs).not.toBe(freqs);
    expect(archive.parts.vocabulary).not.toBe(old.parts.vocabulary);
    expect(answerQuestion(archive, 'How much did Club 3 pay for the striker?')).toEqual(
      answerQuestion(built.archive, 'How much did Club 3 pay for the striker?'),
    );
  });

  it('read back beside a stale archive whose passages agree with their stale article, takes neither', async () => {
    await writeFile(path.join(seeds, 'club.txt'), 'Club signings\n\nThe club thanked its loyal fans. The club signed a striker for £5m.');
    const built = await open();
    const bytes = encodeSnapshot({ root: seeds, archive: built.archive, files: [], problems: built.problems });
    const old = decodeSnapshot(bytes).archive;
    // A stale article, and its passages cut from it as the article was then: the passages' frame,
    // which holds them as places in their article's paragraphs, is then the same bytes as the fresh one's.
    const row = old.articles.find((a) => a.article.id === 'club');
    const paragraphs = row?.article.paragraphs.map((p) => p.replace('thanked', 'blanked')) ?? [];
    (row as { article: unknown }).article = { ...row?.article, paragraphs };
    const stale = (row?.passages ?? []).map((ordinal) => old.passages[ordinal]);
    for (const passage of stale) {
      const text = paragraphs[(passage?.passage.paragraph ?? 0) - 1]?.slice(passage?.passage.start, passage?.passage.end);
      (passage as { passage: unknown }).passage = { ...passage?.passage, text };
    }
    expect(stale[0]?.passage.text).toContain('blanked');
    const sliced = await decodeSnapshotSliced(bytes, () => Promise.resolve(), { previous: old });
    expect(encodeSnapshot(sliced)).toEqual(bytes);
    for (const passage of stale) expect(sliced.archive.passages[passage?.ordinal ?? -1]?.passage).not.toBe(passage?.passage);
    expect(sliced.archive.passages[stale[0]?.ordinal ?? -1]?.passage.text).toContain('thanked');
  });

  it('is read back a step at a time, pausing between slices, as the same archive', async () => {
    const built = await open();
    const bytes = encodeSnapshot({ root: seeds, archive: built.archive, files: [], problems: built.problems });
    let pauses = 0;
    const later = new Date('2026-01-02T08:00:00Z');
    const sliced = await decodeSnapshotSliced(
      bytes,
      () => {
        pauses += 1;
        return Promise.resolve();
      },
      { sliceMs: -1, builtAt: later },
    );
    // A pause after every step: each frame, each index piece, the vocabulary.
    expect(pauses).toBeGreaterThan([...snapshotFrames({ root: seeds, archive: built.archive, files: [], problems: [] })].length);
    expect(sliced.archive.stats).toEqual({ ...built.archive.stats, builtAt: later });
    expect(sliced.problems).toEqual(built.problems);
    expect(answerQuestion(sliced.archive, question)).toEqual(answerQuestion(built.archive, question));
    expect(sliced.archive.titleIndex.searchTyped('rovers strik')).toEqual(built.archive.titleIndex.searchTyped('rovers strik'));
  });
});

/** The listing and fingerprint of a load of the folder now, as a reindex keeps them. */
async function lastLoad(): Promise<{
  listed: Awaited<ReturnType<typeof statListing>>['listed'];
  files: ReturnType<typeof fingerprintOf>;
}> {
  const { listed, stats } = await statListing(seeds);
  return { listed, files: fingerprintOf(stats, await loadArticles(seeds)) };
}

describe('statNamed', () => {
  it('gives the listing and stats a full check gives, having looked at the named files only', async () => {
    await mkdir(path.join(seeds, 'news'));
    await writeFile(path.join(seeds, 'news', 'd.txt'), 'Storm hits coast\n\nA storm hit the coast.');
    const previous = await lastLoad();
    await writeFile(path.join(seeds, 'a.txt'), 'Rovers sign two strikers\n\nRovers signed two strikers.');
    await utimes(path.join(seeds, 'a.txt'), new Date('2030-01-01'), new Date('2030-01-01'));
    await rm(path.join(seeds, 'b.txt'));
    await writeFile(path.join(seeds, 'news', 'aa.md'), 'New one\n\nA new article.');
    await writeFile(path.join(seeds, 'notes.json'), '{}');
    const named = statNamed(seeds, previous, ['a.txt', 'b.txt', 'news/aa.md', 'notes.json', '.hidden.txt', 'news/.draft.md']);
    const full = await statListing(seeds);
    expect(named?.listed).toEqual(full.listed);
    expect([...(named?.stats ?? [])].sort()).toEqual([...full.stats].sort());
  });

  it('takes an unnamed file as it was, even if it changed', async () => {
    const previous = await lastLoad();
    await writeFile(path.join(seeds, 'b.txt'), 'United win\n\nUnited won.');
    expect(statNamed(seeds, previous, [])?.stats.get('b.txt')).toEqual({
      size: previous.files.find((f) => f.file === 'b.txt')?.size,
      mtimeMs: previous.files.find((f) => f.file === 'b.txt')?.mtimeMs,
    });
  });

  it('leaves it to a full check when a name is a folder, was the folder of known files, or leaves the folder', async () => {
    await mkdir(path.join(seeds, 'news'));
    await writeFile(path.join(seeds, 'news', 'd.txt'), 'Storm hits coast\n\nA storm hit the coast.');
    const previous = await lastLoad();
    expect(statNamed(seeds, previous, ['news'])).toBeNull();
    expect(statNamed(seeds, previous, ['../elsewhere.txt'])).toBeNull();
    await rm(path.join(seeds, 'news'), { recursive: true });
    expect(statNamed(seeds, previous, ['news'])).toBeNull();
    expect(statNamed(seeds, previous, ['news/d.txt'])).toBeNull();
  });

  it('leaves a burst of names to a full check, which pauses between slices', async () => {
    const previous = await lastLoad();
    const names = Array.from({ length: MAX_TOLD_NAMES }, (_, i) => `new-${i}.txt`);
    expect(statNamed(seeds, previous, names)).not.toBeNull();
    expect(statNamed(seeds, previous, [...names, 'one-more.txt'])).toBeNull();
  });

  it('leaves it to a full check when the folder holds a link, whose target can change under another name', async () => {
    await symlink(path.join(seeds, 'a.txt'), path.join(seeds, 'link.txt'));
    expect(statNamed(seeds, await lastLoad(), ['b.txt'])).toBeNull();
  });
});

describe('scanChanges', () => {
  it('finds every file that came, changed or went, and nothing else: with them the listing and stats of the last load become those of the folder now', async () => {
    await mkdir(path.join(seeds, 'news'));
    await writeFile(path.join(seeds, 'news', 'd.txt'), 'Storm hits coast\n\nA storm hit the coast.');
    await writeFile(path.join(seeds, 'news', 'e.txt'), 'Storm passes\n\nThe storm passed.');
    const previous = await lastLoad();
    await writeFile(path.join(seeds, 'a.txt'), 'Rovers sign two strikers\n\nRovers signed two strikers.');
    await utimes(path.join(seeds, 'a.txt'), new Date('2030-01-01'), new Date('2030-01-01'));
    await rm(path.join(seeds, 'b.txt'));
    await rm(path.join(seeds, 'news'), { recursive: true });
    await mkdir(path.join(seeds, 'more'));
    await writeFile(path.join(seeds, 'more', 'aa.md'), 'New one\n\nA new article.');
    await writeFile(path.join(seeds, 'notes.json'), '{}');
    const changes = await scanChanges(seeds, previous);
    expect(new Set(changes?.keys())).toEqual(new Set(['a.txt', 'b.txt', 'news/d.txt', 'news/e.txt', 'more/aa.md']));
    expect(changes?.get('b.txt')).toBeNull();
    // Put into the last load's listing and stats, they give what a full listing and stat gives now.
    const now = withTold(previous, changes ?? new Map());
    const full = await statListing(seeds);
    expect(now.listed).toEqual(full.listed);
    expect([...now.stats].sort()).toEqual([...full.stats].sort());
    // Nothing changed: nothing found.
    expect(await scanChanges(seeds, await lastLoad())).toEqual(new Map());
  });

  it('sees an edit under another name (a hard link) and through a link, which no watcher event names', async () => {
    await link(path.join(seeds, 'a.txt'), path.join(dir, 'elsewhere.txt'));
    await symlink(path.join(seeds, 'b.txt'), path.join(seeds, 'link.txt'));
    const previous = await lastLoad();
    await writeFile(path.join(dir, 'elsewhere.txt'), 'Rovers sign two strikers\n\nRovers signed two strikers for £9m.');
    await utimes(path.join(dir, 'elsewhere.txt'), new Date('2030-01-01'), new Date('2030-01-01'));
    await writeFile(path.join(seeds, 'b.txt'), 'United win at last\n\nUnited won 3-1 at home.');
    await utimes(path.join(seeds, 'b.txt'), new Date('2030-01-02'), new Date('2030-01-02'));
    const changes = await scanChanges(seeds, previous);
    expect([...(changes?.keys() ?? [])].sort()).toEqual(['a.txt', 'b.txt', 'link.txt']);
    expect(changes?.get('link.txt')).toMatchObject({ listed: { file: 'link.txt', link: true } });
  });

  it('finds the same packed for the worker as not', async () => {
    await symlink(path.join(seeds, 'b.txt'), path.join(seeds, 'link.txt'));
    const previous = await lastLoad();
    await edit('£5m', '2030-01-01');
    await rm(path.join(seeds, 'c.txt'));
    const packed = packBasis(previous);
    expect(packed).not.toBeNull();
    const unpacked = unpackBasis(
      packed ?? { names: '', sizes: new Float64Array(0), mtimes: new Float64Array(0), links: new Uint8Array(0) },
    );
    expect(unpacked.listed).toEqual(previous.listed);
    expect(unpacked.files).toEqual(previous.files.map((f) => ({ ...f, hash: null })));
    const changes = await scanChanges(seeds, unpacked);
    expect(changes).toEqual(await scanChanges(seeds, previous));
    expect([...(changes?.keys() ?? [])].sort()).toEqual(['a.txt', 'c.txt']);
  });

  it("hands a full build's listing from the worker back as it was: links, refused files and their reasons, in order", async () => {
    await symlink(path.join(seeds, 'b.txt'), path.join(seeds, 'link.txt'));
    const { listed } = await loadArticles(seeds);
    const listing = [
      ...listed,
      { file: 'sub', refused: 'the folder cannot be read (EACCES); its files were not loaded' },
      { file: 'z.txt', refused: 'a FIFO (named pipe), not an article file' },
    ];
    expect(listing.some((entry) => entry.link === true)).toBe(true);
    expect(unpackListing(structuredClone(packListing(listing)))).toEqual(listing);
    expect(unpackListing(packListing([]))).toEqual([]);
  });

  it('leaves it to a whole load when the folder cannot be listed, or the listing refuses a file', async () => {
    const previous = await lastLoad();
    expect(await scanChanges(path.join(dir, 'gone'), previous)).toBeNull();
    const refused = {
      listed: [...previous.listed, { file: 'z.txt', refused: 'a FIFO (named pipe), not an article file' }],
      files: [...previous.files, { file: 'z.txt', size: 0, mtimeMs: 0, hash: null }],
    };
    expect(await scanChanges(seeds, refused)).toBeNull();
    expect(packBasis(refused)).toBeNull();
    // A listing and fingerprint of two different loads.
    expect(await scanChanges(seeds, { listed: previous.listed, files: previous.files.slice(1) })).toBeNull();
  });
});

describe('withChanges', () => {
  const entries = (...files: string[]): { file: string; v: number }[] => files.map((file) => ({ file, v: 0 }));

  it('puts entries in, replaces and takes them out, in path order, as a copy', () => {
    const sorted = entries('a', 'b/c', 'b/d', 'e', 'f');
    const changes = new Map<string, { file: string; v: number } | null>([
      ['f', null],
      ['0', { file: '0', v: 1 }],
      ['b/d', { file: 'b/d', v: 2 }],
      ['b/ca', { file: 'b/ca', v: 3 }],
      ['a', null],
      ['z', { file: 'z', v: 4 }],
      ['missing', null],
    ]);
    const changed = withChanges(sorted, changes);
    expect(changed).toEqual([
      { file: '0', v: 1 },
      { file: 'b/c', v: 0 },
      { file: 'b/ca', v: 3 },
      { file: 'b/d', v: 2 },
      { file: 'e', v: 0 },
      { file: 'z', v: 4 },
    ]);
    expect(sorted.map((e) => e.file)).toEqual(['a', 'b/c', 'b/d', 'e', 'f']);
    const unchanged = withChanges(sorted, new Map());
    expect(unchanged).toEqual(sorted);
    expect(unchanged).not.toBe(sorted);
  });

  it('takes thousands of changes at once', () => {
    const sorted = Array.from({ length: 50_000 }, (_, i) => ({ file: String(i).padStart(6, '0'), v: 0 }));
    const changes = new Map<string, { file: string; v: number } | null>(sorted.filter((_, i) => i % 2 === 0).map((e) => [e.file, null]));
    const changed = withChanges(sorted, changes);
    expect(changed).toHaveLength(25_000);
    expect(changed.every((e, i) => e.file === String(2 * i + 1).padStart(6, '0'))).toBe(true);
  });
});
