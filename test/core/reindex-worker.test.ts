import { link, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answerQuestion } from '../../src/core/answer.ts';
import { Archive } from '../../src/core/archive.ts';
import { Library, ReindexFailedError, SNAPSHOT_FILE } from '../../src/core/library.ts';
import { startPreparer } from '../../src/core/preparer.ts';
import { writeSnapshotBytes, WRITE_PIECE_BYTES } from '../../src/core/snapshot.ts';
import type { IndexProgress } from '../../src/core/progress.ts';
import { REPO_ROOT, builtWorker } from '../support/harness.ts';
import { builtFile } from '../support/build.ts';

const run = promisify(execFile);
let dir: string;
/**
 * The compiled worker, as dist/ starts it, where a test is about the worker's life, not what it
 * builds: starting one from the sources, through tsx's loader, takes about five times the CPU. The
 * tests of what it builds start it from the sources, as the snapshot a compiled worker writes has
 * the compiled core's version, which the sources do not read back.
 */
const compiled = builtWorker('src/core/prepare-worker.ts');
/**
 * The worker from the sources, for the tests of what it builds: loading them through tsx's loader
 * in the worker can outlast the 15 s a production start allows on a busy 2-core machine (the reindex
 * then ran in this thread, and the test failed for the wrong reason), so its start, and those tests
 * ({@link SLOW}), wait for its first message for as long as a test that starts a process does.
 */
const FROM_SOURCES_MS = 40_000;
const fromSources = (): ReturnType<typeof startPreparer> => startPreparer(undefined, { startTimeoutMs: FROM_SOURCES_MS });
const SLOW = { timeout: FROM_SOURCES_MS };
const at = new Date('2026-01-01T12:00:00Z');

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-worker-'));
  await writeFile(path.join(dir, 'a.txt'), 'Rovers sign striker\n\nRovers signed a striker for £3m.');
  await writeFile(path.join(dir, 'b.txt'), 'United lose\n\nUnited lost 2-1 at home.');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Edits a.txt (the fee £3m becomes £4m), reindexes, and checks that the reindex saw it and the archive answers from it. */
async function reindexTheNewFee(library: Library): Promise<void> {
  await writeFile(path.join(dir, 'a.txt'), 'Rovers sign striker\n\nRovers signed a striker for £4m.');
  expect(await library.reindex()).toMatchObject({ changed: ['a'] });
  expect(answerQuestion(library.archive, 'How much did Rovers pay for the striker?').answer).toBe('£4m');
}

/** A library reindexing in a worker that `start` starts, and how many times it was called. */
async function countingStarts(
  start: () => ReturnType<typeof startPreparer>,
  log?: (line: string) => void,
): Promise<{ library: Library; starts: () => number }> {
  let starts = 0;
  const library = await Library.open({
    seedsDir: dir,
    now: () => at,
    reindexInWorker: true,
    ...(log === undefined ? {} : { log }),
    startWorker: () => {
      starts++;
      return start();
    },
  });
  return { library, starts: () => starts };
}

/**
 * Starts the compiled reindex worker in a node process run with `flags` then `script` (the file
 * the code is written to, or the code itself after --eval); what it printed: whether it started,
 * and whether the process has gc().
 */
async function startPreparerIn(flags: readonly string[], as: 'file' | 'eval'): Promise<unknown> {
  const preparer = pathToFileURL(builtFile(REPO_ROOT, 'src/core/preparer.ts')).href;
  const code = [
    `const { startPreparer } = await import(${JSON.stringify(preparer)});`,
    'const started = await startPreparer();',
    "console.log(JSON.stringify({ started: 'alive' in started ? started.alive : started.unavailable, gc: typeof globalThis.gc }));",
    "if ('close' in started) await started.close();",
  ].join('\n');
  const starter = path.join(dir, 'start-preparer.mjs');
  await writeFile(starter, code);
  const script = as === 'file' ? [starter] : ['--eval', code];
  const { stdout } = await run(process.execPath, [...flags, ...script], { cwd: REPO_ROOT });
  return JSON.parse(stdout);
}

describe('reindex in a worker thread', () => {
  it('loads and prepares the changed files in the worker, and gives the archive a reindex here gives', SLOW, async () => {
    const logged: string[] = [];
    const startWorker = fromSources;
    const library = await Library.open({ seedsDir: dir, now: () => at, reindexInWorker: true, log: (m) => logged.push(m), startWorker });
    const here = await Library.open({ seedsDir: dir, now: () => at });
    try {
      await writeFile(path.join(dir, 'a.txt'), 'Rovers sign striker\n\nRovers signed a striker for £4m.');
      await writeFile(path.join(dir, 'c.md'), '---\ntitle: City win\n---\nCity won the cup, and 30,000 fans cheered.');
      await writeFile(path.join(dir, 'd.txt'), '');
      const summary = await library.reindex();
      expect(logged).toEqual([]);
      expect(summary).toMatchObject({ added: ['c'], changed: ['a'], problems: [{ file: 'd.txt', reason: 'the file is empty' }] });
      expect(await here.reindex()).toMatchObject({ added: ['c'], changed: ['a'] });
      for (const question of ['How much did Rovers pay for the striker?', 'How many fans cheered City?']) {
        expect(answerQuestion(library.archive, question)).toEqual(answerQuestion(here.archive, question));
      }
      expect(answerQuestion(library.archive, 'How many fans cheered City?').answer).toBe('30,000 fans');
      // Files read in the worker count as read, as they do in this thread (the progress shown on /reindex).
      const progress: IndexProgress[] = [];
      await library.reindex({ full: true, onProgress: (p) => progress.push(p) });
      expect(library.archive.stats).toMatchObject({ articles: 3, passages: here.archive.stats.passages });
      expect(progress.filter((p) => p.phase === 'reading')).toEqual([1, 2, 3, 4].map((read) => ({ phase: 'reading', read, files: 4 })));
    } finally {
      await library.close();
    }
  });

  it('checks every file in the worker when not told which changed: finds an edit no watcher names, and reads only the changed file', async () => {
    await link(path.join(dir, 'a.txt'), path.join(dir, '..', `${path.basename(dir)}-other-name.txt`));
    const library = await Library.open({ seedsDir: dir, now: () => at, reindexInWorker: true, startWorker: () => startPreparer(compiled) });
    try {
      await writeFile(
        path.join(dir, '..', `${path.basename(dir)}-other-name.txt`),
        'Rovers sign striker\n\nRovers signed a striker for £5m.',
      );
      const progress: IndexProgress[] = [];
      expect(await library.reindex({ onProgress: (p) => progress.push(p) })).toMatchObject({ added: [], changed: ['a'], removed: [] });
      expect(progress.filter((p) => p.phase === 'reading')).toEqual([{ phase: 'reading', read: 1, files: 1 }]);
      expect(answerQuestion(library.archive, 'How much did Rovers pay for the striker?').answer).toBe('£5m');
      await rm(path.join(dir, 'b.txt'));
      expect(await library.reindex()).toMatchObject({ added: [], changed: [], removed: ['b'] });
      expect(await library.reindex()).toMatchObject({ added: [], changed: [], removed: [], articles: 1 });
    } finally {
      await library.close();
      await rm(path.join(dir, '..', `${path.basename(dir)}-other-name.txt`), { force: true });
    }
  });

  it('starts whatever flags this process runs with (a heap limit, --expose-gc), which a worker refuses when given them', async () => {
    const script = "import { parentPort } from 'node:worker_threads'; parentPort.postMessage({ ready: true });";
    const url = new URL(`data:text/javascript,${encodeURIComponent(script)}`);
    const flags = ['--max-old-space-size=256', '--max-semi-space-size=16', '--expose-gc'];
    for (const flag of flags) {
      expect(await startPreparer({ url, execArgv: [flag] })).toMatchObject({
        unavailable: expect.stringContaining('invalid execArgv') as unknown,
      });
    }
    // The reindex worker inherits its process's flags instead, which Node accepts; it used to be
    // given them with the heap limits taken out, and --expose-gc made it fail to start. Node reads
    // the flags a process started with, not process.execArgv, so a process started with them starts it.
    expect(await startPreparerIn(flags, 'file')).toEqual({ started: true, gc: 'function' });
  });

  it('starts from a process run with --input-type and --eval, whose flags a worker started from a file refuses', async () => {
    // Node refuses to start a worker from a file with --input-type inherited: the reindex then fell
    // back to the answering thread. The flags that say what the main script is are left out now,
    // and so are those a worker refuses when given them (--expose-gc here), which hold in it anyway.
    expect(await startPreparerIn(['--input-type=module', '--expose-gc'], 'eval')).toEqual({ started: true, gc: 'function' });
  });

  it('starts the worker ahead when asked, and the first reindex uses it instead of starting one', async () => {
    const { library, starts } = await countingStarts(() => startPreparer(compiled));
    try {
      await Promise.all([library.startWorker(), library.startWorker()]);
      expect(starts()).toBe(1);
      await reindexTheNewFee(library);
      expect(starts()).toBe(1);
    } finally {
      await library.close();
    }
  });

  it('starts the worker after a delay, unless cancelled or closed first', async () => {
    const { library, starts } = await countingStarts(() => Promise.resolve({ unavailable: 'not in this test' }));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      library.startWorkerAfter(10_000);
      await library.close();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(starts()).toBe(0);
      const cancel = library.startWorkerAfter(10_000);
      cancel();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(starts()).toBe(0);
      library.startWorkerAfter(10_000);
      await vi.advanceTimersByTimeAsync(9_999);
      expect(starts()).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(starts()).toBe(1);
    } finally {
      vi.useRealTimers();
      await library.close();
    }
  });

  it('takes a worker start that throws for one that cannot start: the reindex runs in this thread, and the next one tries again', async () => {
    const logged: string[] = [];
    const { library, starts } = await countingStarts(
      () => Promise.reject(new Error('no threads left')),
      (line) => logged.push(line),
    );
    try {
      await expect(library.startWorker()).resolves.toBeUndefined();
      expect(logged).toEqual(['reindexing in the answering thread: the reindex worker could not start (no threads left)']);
      await reindexTheNewFee(library);
      expect(starts()).toBe(2);
    } finally {
      await library.close();
    }
  });

  it('says why when the worker cannot start, so the reindex runs in this thread', async () => {
    const started = await startPreparer({ url: new URL('./no-such-worker.js', import.meta.url), execArgv: [] });
    expect(started).toMatchObject({ unavailable: expect.stringContaining('no-such-worker.js') as unknown });
  });

  it('stops a worker that never answers: that reindex fails, the old archive keeps serving, the next reindex starts a new worker', async () => {
    // A worker that starts, then never answers: what one stuck in a loop looks like from here.
    const script =
      "import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => {}); parentPort.postMessage({ ready: true });";
    const hanging = new URL(`data:text/javascript,${encodeURIComponent(script)}`);
    let starts = 0;
    const library = await Library.open({
      seedsDir: dir,
      now: () => at,
      reindexInWorker: true,
      startWorker: () => (starts++ < 2 ? startPreparer({ url: hanging, execArgv: [] }, { replyTimeoutMs: 100 }) : startPreparer(compiled)),
    });
    try {
      await writeFile(path.join(dir, 'a.txt'), 'Rovers sign striker\n\nRovers signed a striker for £4m.');
      // Told the file, the worker is asked to read it; not told, first to check every file.
      const failed = library.reindex({ files: ['a.txt'] });
      await expect(failed).rejects.toThrow(ReindexFailedError);
      await expect(failed).rejects.toThrow(
        'the reindex worker did not finish a.txt within 100 ms and was stopped; still serving the previous index.',
      );
      expect(library.reindexing).toBe(false);
      expect(answerQuestion(library.archive, 'How much did Rovers pay for the striker?').answer).toBe('£3m');
      const unnamed = library.reindex();
      await expect(unnamed).rejects.toThrow(
        "the reindex worker did not finish checking the folder's files within 100 ms and was stopped; still serving the previous index.",
      );
      expect(library.reindexing).toBe(false);
      expect(answerQuestion(library.archive, 'How much did Rovers pay for the striker?').answer).toBe('£3m');
      expect(await library.reindex()).toMatchObject({ changed: ['a'] });
      expect(starts).toBe(3);
      expect(answerQuestion(library.archive, 'How much did Rovers pay for the striker?').answer).toBe('£4m');
    } finally {
      await library.close();
    }
  });

  it('stops a worker that hangs while writing the snapshot, and removes the temporary file it was writing', async () => {
    // A worker that hands over the bytes, starts the snapshot's temporary file, then never answers again.
    const temporary = path.join(dir, 'archive.snapshot.1234.tmp');
    const script = `import { parentPort } from 'node:worker_threads';
      import { writeFileSync } from 'node:fs';
      parentPort.on('message', (m) => {
        parentPort.postMessage({ id: m.id, built: { kind: 'built', bytes: new Uint8Array(1) } });
        parentPort.postMessage({ id: m.id, writing: ${JSON.stringify(temporary)} });
        writeFileSync(${JSON.stringify(temporary)}, 'half a snapshot');
      });
      parentPort.postMessage({ ready: true });`;
    const url = new URL(`data:text/javascript,${encodeURIComponent(script)}`);
    const preparer = await startPreparer({ url, execArgv: [] }, { replyTimeoutMs: 100 });
    if ('unavailable' in preparer) throw new Error(preparer.unavailable);
    const built = await preparer.build({ seedsDir: dir, nowMs: at.getTime() }, path.join(dir, 'archive.snapshot'), undefined);
    if (built.kind !== 'built') throw new Error(built.kind);
    expect(await built.written).toBe('the reindex worker went 100 ms without a sign of progress and was stopped');
    expect(await readdir(dir)).toEqual(['a.txt', 'b.txt']);
    expect(preparer.alive).toBe(false);
  });

  it('writes the snapshot a piece at a time, saying so after each, and names its temporary file first', async () => {
    const events: string[] = [];
    const file = path.join(dir, 'data', 'archive.snapshot');
    const bytes = new Uint8Array(2 * WRITE_PIECE_BYTES + 1).fill(7);
    await writeSnapshotBytes(file, bytes, {
      temporary: (name) => events.push(`temporary ${path.dirname(name) === path.dirname(file) && name.endsWith('.tmp')}`),
      working: () => events.push('working'),
    });
    expect(events).toEqual(['temporary true', 'working', 'working', 'working']);
    const back = await readFile(file);
    expect([back.length, back.equals(bytes)]).toEqual([bytes.length, true]);
    expect(await readdir(path.dirname(file))).toEqual(['archive.snapshot']);
  });

  it(
    'repairs in a full reindex what the archive serving got wrong, keeping only the old objects that hold what the fresh build holds',
    SLOW,
    async () => {
      const library = await Library.open({ seedsDir: dir, now: () => at, reindexInWorker: true, startWorker: fromSources });
      try {
        const [rovers, united] = library.archive.articles;
        const passage = library.archive.passages[rovers?.passages[0] ?? -1];
        // Stale, as a bug in an incremental reindex could leave them: a paragraph, and a passage's text.
        const stale = { ...rovers?.article, paragraphs: ['Rovers signed a striker for £9m.'] };
        (rovers as { article: unknown }).article = stale;
        (passage as { passage: unknown }).passage = { ...passage?.passage, text: 'Rovers signed a striker for £9m.' };
        expect(library.archive.passages[0]?.passage.text).toContain('£9m');
        await library.reindex({ full: true });
        const fresh = await Library.open({ seedsDir: dir, now: () => at });
        expect(library.archive.articles).toEqual(fresh.archive.articles);
        expect(library.archive.passages).toEqual(fresh.archive.passages);
        expect(library.archive.passageIndex.data()).toEqual(fresh.archive.passageIndex.data());
        expect(library.archive.passages[0]?.passage.text).toContain('£3m');
        expect(library.archive.articles[0]?.article).not.toBe(stale);
        expect(library.archive.passages[0]?.passage).not.toBe(passage?.passage);
        // The article nothing was wrong with is the old archive's row, whole.
        expect(library.archive.articles[1]).toBe(united);
      } finally {
        await library.close();
      }
    },
  );

  it('builds a full reindex in the worker, which writes the snapshot: this thread only reads back what it hands over', SLOW, async () => {
    const snapshotFile = path.join(`${dir}.data`, SNAPSHOT_FILE);
    const startWorker = fromSources;
    const library = await Library.open({ seedsDir: dir, now: () => at, reindexInWorker: true, snapshotFile, startWorker });
    library.warmUp();
    try {
      await library.snapshotWritten();
      await writeFile(path.join(dir, 'a.txt'), 'Rovers sign striker\n\nRovers signed a striker for £4m.');
      await writeFile(path.join(dir, 'c.md'), '---\ntitle: City win\n---\nCity won the cup, and 30,000 fans cheered.');
      await writeFile(path.join(dir, 'd.txt'), '');
      const build = vi.spyOn(Archive, 'build');
      const progress: IndexProgress['phase'][] = [];
      const summary = await library.reindex({ full: true, onProgress: (p) => progress.push(p.phase) });
      expect(build).not.toHaveBeenCalled();
      build.mockRestore();
      // Its lookups were made before it was swapped in: no question makes them in one go.
      expect(library.archive.lookupsMade).toBe(true);
      expect(summary).toMatchObject({
        added: ['c'],
        changed: ['a'],
        removed: [],
        articles: 3,
        problems: [{ file: 'd.txt', reason: 'the file is empty' }],
      });
      expect(progress).toContain('reading');
      expect(progress.at(-1)).toBe('indexing');
      expect(await library.snapshotWritten()).toBeNull();
      const here = await Library.open({ seedsDir: dir, now: () => at });
      expect(library.archive.stats).toMatchObject({
        articles: 3,
        passages: here.archive.stats.passages,
        figures: here.archive.stats.figures,
      });
      expect(library.problems).toEqual(here.problems);
      for (const question of ['How much did Rovers pay for the striker?', 'How many fans cheered City?']) {
        expect(answerQuestion(library.archive, question)).toEqual(answerQuestion(here.archive, question));
      }
      // The snapshot the worker wrote is what a restart loads.
      const restarted = await Library.open({ seedsDir: dir, now: () => at, snapshotFile });
      expect(restarted.startup?.source).toBe('snapshot');
      expect(answerQuestion(restarted.archive, 'How many fans cheered City?').answer).toBe('30,000 fans');
      // And an incremental reindex after it updates the archive read back, reading only the changed
      // file and the one that was a problem: the worker handed back its listing with the archive.
      await writeFile(path.join(dir, 'b.txt'), 'United lose\n\nUnited lost 3-1 at home.');
      const reading: IndexProgress[] = [];
      expect(await library.reindex({ onProgress: (p) => reading.push(p) })).toMatchObject({ changed: ['b'], added: [], removed: [] });
      expect(reading.filter((p) => p.phase === 'reading')).toEqual([1, 2].map((read) => ({ phase: 'reading', read, files: 2 })));
      // A full build with nothing to index, or of a folder gone, fails; the archive keeps serving.
      for (const file of ['a.txt', 'b.txt', 'c.md']) await writeFile(path.join(dir, file), '');
      await expect(library.reindex({ full: true })).rejects.toThrow(
        `Nothing to index in ${dir}: none of its 4 files could be loaded; still serving the previous index.`,
      );
      await rm(dir, { recursive: true });
      await expect(library.reindex({ full: true })).rejects.toThrow(`the folder ${dir} does not exist; still serving the previous index.`);
      expect(answerQuestion(library.archive, 'How many fans cheered City?').answer).toBe('30,000 fans');
    } finally {
      await library.close();
      await rm(`${dir}.data`, { recursive: true, force: true });
    }
  });
});
