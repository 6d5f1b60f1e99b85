import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeSnapshot } from '../../src/core/archive-codec.ts';
import { Archive } from '../../src/core/archive.ts';
import { buildCold, type ColdBuild } from '../../src/core/cold-build.ts';
import { loadWithFingerprint } from '../../src/core/full-build.ts';
import { statListing } from '../../src/core/snapshot.ts';
import type { IndexProgress } from '../../src/core/progress.ts';
import { builtWorker } from '../support/harness.ts';

const run = promisify(execFile);
const at = new Date('2026-01-01T12:00:00Z');
const now = (): Date => at;
/** The compiled worker, as dist/ starts it (from the sources it loads through tsx's loader, at about five times the CPU). */
const worker = builtWorker('src/core/build-worker.ts');
let dir: string;
let seeds: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-cold-'));
  seeds = path.join(dir, 'seeds');
  await mkdir(path.join(seeds, 'sport'), { recursive: true });
  // Enough articles for several batches each way, with figures, long paragraphs cut into parts,
  // names, and terms that only some articles share.
  const long = Array.from({ length: 12 }, (_, i) => `Sentence ${i + 1} says the club paid £${i + 2}m for player ${i}.`).join(' ');
  for (let i = 0; i < 90; i++) {
    const folder = i % 3 === 0 ? 'sport' : '';
    const body = [
      `Rovers deal ${i} agreed`,
      '',
      `Rovers signed striker Lindqvist${i % 7} for £${i + 1}m on 3 May 2024, a fee ${i % 5}% above the last one.`,
      '',
      i % 4 === 0 ? long : `United lost ${i % 4}-1 at home before ${1000 + i} fans; manager Okafor${i % 11} said little.`,
    ].join('\n');
    await writeFile(path.join(seeds, folder, `${String(i).padStart(3, '0')}.txt`), body);
  }
  await writeFile(path.join(seeds, 'CAPS.txt'), 'BANK RAISES RATES\n\nTHE BANK OF ENGLAND RAISED RATES TO 5% ON THURSDAY.');
  await writeFile(path.join(seeds, 'notes.md'), '# Budget notes\n\nThe budget adds £2bn for **schools** over 3 years.');
  // Problems: an empty file, a binary one, an id another file has, a link to a file outside the folder.
  await writeFile(path.join(seeds, 'empty.txt'), '');
  await writeFile(path.join(seeds, 'binary.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]));
  await writeFile(path.join(seeds, '001.md'), '# Another 001\n\nSame id as 001.txt, which sorts after it and is left out.');
  await writeFile(path.join(dir, 'secret.txt'), 'Outside\n\nThe folder never reads this.');
  await symlink(path.join(dir, 'secret.txt'), path.join(seeds, 'zz-link.txt'));
  // Hostile files the blocking reads must refuse as the loader's promises do: a link to an
  // environment file, to a system file, to nowhere, and a file over the 1 MiB cap.
  await writeFile(path.join(seeds, '.env'), 'DISCORD_TOKEN=never-read');
  await symlink(path.join(seeds, '.env'), path.join(seeds, 'zz-env.txt'));
  await symlink('/etc/hostname', path.join(seeds, 'zz-host.txt'));
  await symlink(path.join(seeds, 'nowhere.txt'), path.join(seeds, 'zz-dangling.txt'));
  await writeFile(path.join(seeds, 'zz-huge.txt'), `Huge\n\n${'word '.repeat(220_000)}`);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The build of one thread alone, as Library.open made it before: the yardstick. */
async function alone(): Promise<ColdBuild> {
  const { loaded, files } = await loadWithFingerprint(seeds, {}, null);
  return {
    loaded,
    files,
    archive: await Archive.build(loaded.articles, { now }),
    share: { here: loaded.outcomes.size, workers: 0, waitedMs: 0, workersIdleMs: 0 },
  };
}

/** A build's snapshot bytes, its build time taken out (the one thing two builds of the same files differ in). */
function bytesOf(build: ColdBuild): Buffer {
  const archive = build.archive;
  Object.defineProperty(archive, 'stats', { value: { ...archive.stats, buildMs: 0 } });
  return encodeSnapshot({ root: seeds, archive, files: build.files, problems: [...build.loaded.problems, ...archive.problems] });
}

function expectSame(built: ColdBuild, yardstick: ColdBuild): void {
  expect(built.loaded.articles.map((a) => a.file)).toEqual(yardstick.loaded.articles.map((a) => a.file));
  expect(built.loaded.problems).toEqual(yardstick.loaded.problems);
  expect(built.archive.problems).toEqual(yardstick.archive.problems);
  expect([...built.loaded.outcomes.keys()]).toEqual([...yardstick.loaded.outcomes.keys()]);
  expect(built.loaded.listed).toEqual(yardstick.loaded.listed);
  expect(built.files).toEqual(yardstick.files);
  expect(built.archive.stats).toMatchObject({ ...yardstick.archive.stats, buildMs: expect.any(Number) as number });
  expect(bytesOf(built).equals(bytesOf(yardstick))).toBe(true);
}

describe('buildCold', () => {
  it('gives, with a worker thread, the load, fingerprint and archive a build in one thread gives, byte for byte', async () => {
    const progress: IndexProgress[] = [];
    const onProgress = (p: IndexProgress): void => {
      progress.push(p);
    };
    // This thread waits for the worker rather than helping it, so the worker is known to have done every file.
    const built = await buildCold(seeds, { now, workers: 1, minFilesForWorkers: 0, workerEntry: worker, helpWorkers: false, onProgress });
    const yardstick = await alone();
    expectSame(built, yardstick);
    expect(built.share).toMatchObject({ here: 0, workers: built.loaded.listed.length });
    // The link out of the folder is a problem, and what it points at was never read.
    expect(built.loaded.problems.find((p) => p.file === 'zz-link.txt')?.reason).toMatch(/outside the articles folder/u);
    expect(built.archive.passages.some((p) => p.passage.text.includes('never reads'))).toBe(false);
    expect(built.loaded.problems.map((p) => p.file)).toEqual(
      expect.arrayContaining(['empty.txt', 'binary.txt', '001.txt', 'zz-env.txt', 'zz-host.txt', 'zz-dangling.txt', 'zz-huge.txt']),
    );
    expect(built.archive.passages.some((p) => p.passage.text.includes('never-read'))).toBe(false);
    // Indexing goes on beside reading: its progress tells both, and reading tells only its end.
    const files = built.loaded.listed.length;
    expect(progress.filter((p) => p.phase === 'reading')).toEqual([{ phase: 'reading', read: files, files }]);
    expect(progress.at(-1)).toMatchObject({ phase: 'indexing', indexed: built.archive.stats.articles });
  });

  it('gives the same with two workers, and with none (small folders are built in this thread)', async () => {
    const yardstick = await alone();
    expectSame(await buildCold(seeds, { now, workers: 2, minFilesForWorkers: 0, workerEntry: worker }), yardstick);
    expectSame(await buildCold(seeds, { now, workers: 0 }), yardstick);
    expectSame(await buildCold(seeds, { now, workers: 1 }), yardstick);
  });

  it('does the files of a worker that fails, or never starts, in this thread', async () => {
    const failing = path.join(dir, 'failing-worker.mjs');
    await writeFile(
      failing,
      [
        "import { parentPort } from 'node:worker_threads';",
        'parentPort.postMessage({ ready: true });',
        "parentPort.on('message', () => { throw new Error('the worker broke'); });",
      ].join('\n'),
    );
    const yardstick = await alone();
    const broken = { url: pathToFileURL(failing), execArgv: [] };
    const options = { now, workers: 1, minFilesForWorkers: 0, helpWorkers: false };
    const afterFailing = await buildCold(seeds, { ...options, workerEntry: broken });
    expectSame(afterFailing, yardstick);
    expect(afterFailing.share.workers).toBe(0);
    const missing = { url: pathToFileURL(path.join(dir, 'no-such-worker.mjs')), execArgv: [] };
    expectSame(await buildCold(seeds, { ...options, workerEntry: missing }), yardstick);
  });

  it('reads the listing and stats it is given, so the fingerprint stands for exactly the files it loaded', async () => {
    const taken = await statListing(seeds);
    // A file written after the folder was listed is the next reindex's, both ways of building.
    await writeFile(path.join(seeds, 'late.txt'), 'Late news\n\nRovers sold Lindqvist3 for £9m.');
    for (const workers of [0, 1]) {
      const built = await buildCold(seeds, { now, workers, minFilesForWorkers: 0, workerEntry: worker, taken });
      expect(built.archive.article('late')).toBeUndefined();
      expect(built.files.map((f) => f.file)).toEqual([...taken.stats.keys()]);
      expect(built.loaded.listed).toEqual(taken.listed);
    }
    // Not given them, it lists the folder itself, and the new file is in.
    expect((await buildCold(seeds, { now, workers: 0 })).archive.article('late')).toBeDefined();
  });

  it('starts from the compiled worker beside it in dist/, with no tsx loader', async () => {
    const code = [
      `const { buildCold } = await import(${JSON.stringify(pathToFileURL(path.join(path.dirname(worker.url.pathname), 'cold-build.js')).href)});`,
      `const built = await buildCold(${JSON.stringify(seeds)}, { workers: 1, minFilesForWorkers: 0, helpWorkers: false });`,
      'console.log(JSON.stringify([built.archive.stats.articles, built.share]));',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', code]);
    const yardstick = await alone();
    expect(JSON.parse(stdout)).toEqual([
      yardstick.archive.stats.articles,
      {
        here: 0,
        workers: yardstick.loaded.listed.length,
        waitedMs: expect.any(Number) as number,
        workersIdleMs: expect.any(Number) as number,
      },
    ]);
  });
});
