import { cp, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/core/answer.ts';
import { decodeSnapshot, encodeSnapshot, snapshotFrames, SNAPSHOT_VERSION, SnapshotRejected } from '../../src/core/archive-codec.ts';
import { Library } from '../../src/core/library.ts';

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

describe('snapshot', () => {
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
    expect((await open()).startup).toMatchObject({ source: 'build', snapshotRejected: 'not a snapshot file' });
    await writeFile(snapshotFile, 'hello');
    expect((await open()).startup).toMatchObject({ source: 'build', snapshotRejected: 'not a snapshot file' });
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

  it('rejects a payload of the wrong shape, with a sound header and checksum, as malformed', () => {
    const head = { kind: 'head', articleCount: 1, passageCount: 0, wordCount: 0, fileCount: 0 };
    const frames = [head, { kind: 'articles', rows: 1, columns: { article: 'not a column' } }].map((frame) => {
      const json = Buffer.from(JSON.stringify(frame));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(json.length);
      return Buffer.concat([length, json]);
    });
    const body = Buffer.concat(frames);
    const header = Buffer.alloc(43);
    header.write('FDSNAP', 'latin1');
    header.writeUInt8(2, 6); // JSON
    header.writeUInt32BE(SNAPSHOT_VERSION, 7);
    createHash('sha256').update(body).digest().copy(header, 11);
    expect(() => decodeSnapshot(Buffer.concat([header, body]))).toThrow(new SnapshotRejected("the snapshot's value column is malformed"));
  });

  it('says why it could not write the snapshot, and still serves', async () => {
    await writeFile(path.join(dir, 'data'), 'a file where the folder should be');
    const library = await open();
    expect(library.startup?.snapshotError).toMatch(/EEXIST|ENOTDIR/u);
    expect(answerQuestion(library.archive, question).answer).toBe('£3m');
  });

  it('is written after a reindex returns, in order, and the last one written is the archive served', async () => {
    const library = await open();
    await writeFile(path.join(seeds, 'a.txt'), 'Rovers sign striker\n\nRovers signed a striker for £4m.');
    await utimes(path.join(seeds, 'a.txt'), new Date('2030-01-01'), new Date('2030-01-01'));
    await library.reindex();
    await writeFile(path.join(seeds, 'a.txt'), 'Rovers sign striker\n\nRovers signed a striker for £5m.');
    await utimes(path.join(seeds, 'a.txt'), new Date('2030-01-02'), new Date('2030-01-02'));
    // The second reindex commits only once the first one's snapshot is written.
    await library.reindex();
    expect(await library.snapshotWritten()).toBeNull();
    const restarted = await open();
    expect(restarted.startup?.source).toBe('snapshot');
    expect(answerQuestion(restarted.archive, question).answer).toBe('£5m');
    expect(await readdir(path.dirname(snapshotFile))).toEqual(['archive.snapshot']);
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
    expect(back.passageIndex.searchTerms(['club', 'player'])).toEqual(library.archive.passageIndex.searchTerms(['club', 'player']));
  });
});
