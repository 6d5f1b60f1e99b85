import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/core/answer.ts';
import { decodeSnapshot, encodeSnapshot } from '../../src/core/archive-codec.ts';
import { Archive, capitalOf, sentenceOfToken } from '../../src/core/archive.ts';
import { loadArticles } from '../../src/core/corpus.ts';
import { Library, ReindexFailedError, SNAPSHOT_FILE, type ReindexSummary } from '../../src/core/library.ts';

let dir: string;
const at = new Date('2026-01-01T12:00:00Z');

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-incremental-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Articles that share words, names, a whole paragraph (a wire story twice) and title words. */
const CONTENTS = [
  'Rovers sign striker\n\nRovers signed a striker for £3m on Monday. The striker, Jon Dale, scored 12 goals last season.\n\nThe club said the deal was done.',
  'United lose at home\n\nUnited lost 2-1 at home to Rovers. About 40,000 fans watched.\n\nThe club said the deal was done.',
  'City win the cup\n\nCity won the cup final 3-0. Manager Ann Hale praised the striker.',
  'Rates rise again\n\nThe bank raised rates by 0.5% to 4.25%. Prices rose 6% in a year.\n\nRovers fans were not amused by the rates.',
  'Storm hits coast\n\nA storm hit the coast on Tuesday, and 300 homes lost power. Dale Council opened a shelter.',
  'The club said the deal was done\n\nThe club said the deal was done.',
  '',
];
const FILES = ['a.txt', 'b.txt', 'c.md', 'c.txt', 'news/d.txt', 'news/e.txt'];
const QUESTIONS = [
  'How much did Rovers pay for the striker?',
  'Who praised the striker?',
  'How many homes lost power?',
  'What did the bank do to rates?',
  'Did the club say the deal was done?',
  'How many fans watched United?',
];

/**
 * Everything an archive holds and answers, with term ids spelt out as words: two archives of the
 * same articles must dump equal however they were made (term ids and MiniSearch's own ids may differ).
 */
function dump(archive: Archive): unknown {
  const word = (id: number): string | null => (id < 0 ? null : archive.term(id));
  const live = archive.prefixTerms('', Number.MAX_SAFE_INTEGER).map(word);
  return {
    stats: { ...archive.stats, builtAt: null, buildMs: null },
    problems: archive.problems,
    articles: archive.articles.map((a) => ({
      ordinal: a.ordinal,
      article: a.article,
      passages: a.passages,
      terms: Array.from(a.terms, word).sort(),
      titleTerms: Array.from(a.titleTerms, word).sort(),
    })),
    passages: archive.passages.map((p) => ({
      ...p,
      termIds: Array.from(p.termIds, word),
      spans: Array.from(p.spans),
      sentenceOf: Array.from(p.termIds, (_, i) => sentenceOfToken(p, i)),
      capitalised: Array.from(p.termIds, (_, i) => capitalOf(p, i)),
    })),
    vocabulary: live.map((w) => {
      const id = archive.termId(w ?? '') ?? -1;
      return [w, archive.passageFrequency(id), archive.isNameLike(id), archive.couldBeName(id)];
    }),
    fuzzy: ['strikr', 'rovrs', 'dales'].map((t) => archive.fuzzyTerms(t, 2).map(([id, d]) => [word(id), d])),
    search: live.map((w) => archive.searchPassages([w ?? '']).map((m) => [m.id, m.score])),
    together: archive.searchPassages(live.map((w) => w ?? '')).map((m) => [m.id, m.score]),
    titles: ['rov', 'strike', 'the cup', 'rates'].map((t) => archive.titleIndex.searchTyped(t)),
    answers: QUESTIONS.map((q) => answerQuestion(archive, q)),
  };
}

async function freshDump(): Promise<unknown> {
  return (await freshBuild()).dump;
}

/** A fresh load and build of `dir`: its dump, and the problems a library reports for it (the load's, then the build's). */
async function freshBuild(): Promise<{ dump: unknown; problems: unknown }> {
  const loaded = await loadArticles(dir);
  const archive = await Archive.build(loaded.articles, { now: () => at });
  return { dump: dump(archive), problems: [...loaded.problems, ...archive.problems] };
}

type Edit = { readonly op: 'write'; readonly file: string; readonly content: number } | { readonly op: 'delete'; readonly file: string };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('write' as const), file: fc.constantFrom(...FILES), content: fc.nat(CONTENTS.length - 1) }),
  fc.record({ op: fc.constant('delete' as const), file: fc.constantFrom(...FILES) }),
);

/**
 * The time limit of these tests. The property tests run dozens of reindexes and check every one
 * against a fresh build: CPU work with nothing else to wait on, 2–9 s on this 2-core machine at load
 * 3–18, and past the 20 s default when other suites load it further, which then failed a test whose
 * outcome does not depend on time. A hang still fails, at this limit.
 */
const LIMIT = { timeout: 60_000 };

describe('incremental reindex', LIMIT, () => {
  it('gives, after any sequence of added, changed and removed files, the archive a fresh build gives, told the files or not', async () => {
    let run = 0;
    // Each reindex checks the whole folder, or is told the files changed, as the folder watcher
    // tells it, sometimes with names besides that the loader never reads (a hidden file, another
    // kind); and after some, the library starts again from the snapshot it wrote.
    const step = fc.record({
      changes: fc.array(edit, { minLength: 1, maxLength: 3 }),
      told: fc.constantFrom('nothing' as const, 'the files' as const, 'the files and others' as const),
      restart: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), async (steps) => {
        const root = path.join(dir, `run-${run++}`);
        await mkdir(path.join(root, 'news'), { recursive: true });
        await writeFile(path.join(root, 'a.txt'), CONTENTS[0] ?? '');
        const open = (): Promise<Library> =>
          Library.open({ seedsDir: root, now: () => at, snapshotFile: path.join(`${root}.data`, SNAPSHOT_FILE) });
        let library = await open();
        // Every write gets its own modification time, as edits a second apart would.
        let clock = Date.parse('2030-01-01');
        /** Files changed since the last reindex that succeeded: what a caller tells a reindex. */
        let changed: string[] = [];
        for (const { changes, told, restart } of steps) {
          for (const change of changes) {
            const file = path.join(root, change.file);
            if (change.op === 'delete') await rm(file, { force: true });
            else {
              await writeFile(file, CONTENTS[change.content] ?? '');
              clock += 1000;
              await utimes(file, new Date(clock), new Date(clock));
            }
          }
          // The title index is updated in place when it was made, and made for the new articles when not.
          if (changes.length % 2 === 1) expect(library.archive.titleIndex.documentCount).toBe(library.archive.articles.length);
          changed.push(...changes.map((change) => change.file));
          const named = told === 'the files and others' ? [...changed, '.notes.txt', 'news/.draft.md', 'data.json', 'a.txt'] : changed;
          const before = new Map(library.archive.articles.map((a) => [a.article.id, a.article.hash]));
          let summary: ReindexSummary;
          try {
            summary = await library.reindex(told === 'nothing' ? {} : { files: named });
          } catch (error) {
            if (!(error instanceof ReindexFailedError)) throw error;
            continue; // Nothing loadable: the old archive stays, as the library tests check.
          }
          changed = [];
          // The summary says what came, changed and went, in path order.
          const after = library.archive.articles.map((a) => a.article);
          expect({ added: summary.added, changed: summary.changed, removed: summary.removed }).toEqual({
            added: after.filter((a) => !before.has(a.id)).map((a) => a.id),
            changed: after.filter((a) => before.has(a.id) && before.get(a.id) !== a.hash).map((a) => a.id),
            removed: [...before.keys()].filter((id) => library.archive.article(id) === undefined),
          });
          const previous = dir;
          dir = root;
          try {
            const incremental = dump(library.archive);
            const fresh = await freshBuild();
            expect(incremental).toEqual(fresh.dump);
            expect(library.problems).toEqual(fresh.problems);
            // And the snapshot of an updated archive reads back as the same archive.
            const bytes = encodeSnapshot({ root, archive: library.archive, files: [], problems: [] });
            expect(dump(decodeSnapshot(bytes).archive)).toEqual(incremental);
          } finally {
            dir = previous;
          }
          if (restart) {
            expect(await library.snapshotWritten()).toBeNull();
            library = await open();
            expect(library.startup?.source).toBe('snapshot');
          }
        }
        // The last reindex's snapshot is written after it returned: before the folder is removed.
        expect(await library.snapshotWritten()).toBeNull();
      }),
      { numRuns: 15 },
    );
  });

  it('answers as before at every step of a commit, until its last step applies it, which gives the fresh build', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (changes) => {
        const root = path.join(dir, `steps-${run++}`);
        await mkdir(path.join(root, 'news'), { recursive: true });
        for (const [i, file] of FILES.slice(0, 4).entries()) await writeFile(path.join(root, file), CONTENTS[i] ?? '');
        const archive = await Archive.build((await loadArticles(root)).articles, { now: () => at });
        const before = dump(archive);
        for (const change of changes) {
          const file = path.join(root, change.file);
          if (change.op === 'delete') await rm(file, { force: true });
          else await writeFile(file, CONTENTS[change.content] ?? '');
        }
        const loaded = await loadArticles(root);
        const steps = (await archive.prepareUpdate(loaded.articles, { now: () => at })).committing();
        let step = steps.next();
        while (step.done !== true) {
          expect(dump(archive)).toEqual(before);
          step = steps.next();
        }
        expect(dump(archive)).toEqual(before);
        const updated = step.value();
        const previous = dir;
        dir = root;
        try {
          expect(dump(updated)).toEqual(await freshDump());
        } finally {
          dir = previous;
        }
      }),
      { numRuns: 10 },
    );
  });

  it('gives the moved passages and articles new objects: the archive it updates keeps its own numbers', async () => {
    for (const [i, file] of FILES.slice(0, 4).entries()) await writeFile(path.join(dir, file), CONTENTS[i] ?? '');
    const archive = await Archive.build((await loadArticles(dir)).articles, { now: () => at });
    // The second article gains a paragraph: every passage after it moves up one.
    await writeFile(path.join(dir, FILES[1] ?? ''), `${CONTENTS[1] ?? ''}\n\nThe manager said the fans deserved better.`);
    const updated = (await archive.prepareUpdate((await loadArticles(dir)).articles, { now: () => at })).commit();
    expect(updated.passages.length).toBe(archive.passages.length + 1);
    expect(archive.passages.map((p) => p.ordinal)).toEqual(archive.passages.map((_, i) => i));
    expect(archive.articles.map((a) => a.passages.map((o) => archive.passages[o]?.article))).toEqual(
      archive.articles.map((a) => a.passages.map(() => a.ordinal)),
    );
    expect(updated.passages.map((p) => p.ordinal)).toEqual(updated.passages.map((_, i) => i));
    // The passages of the article before the change are the same objects; those after it are copies.
    expect(updated.passages[0]).toBe(archive.passages[0]);
    expect(updated.passages.at(-1)).not.toBe(archive.passages.at(-1));
    expect(updated.passages.at(-1)?.passage).toBe(archive.passages.at(-1)?.passage);
  });

  it('reads again only the files that changed, and reports added, changed and removed', async () => {
    await writeFile(path.join(dir, 'a.txt'), CONTENTS[0] ?? '');
    await writeFile(path.join(dir, 'b.txt'), CONTENTS[1] ?? '');
    await writeFile(path.join(dir, 'c.txt'), CONTENTS[2] ?? '');
    const library = await Library.open({ seedsDir: dir, now: () => at });
    const before = library.archive;
    const kept = before.article('a');
    await writeFile(path.join(dir, 'b.txt'), CONTENTS[3] ?? '');
    await rm(path.join(dir, 'c.txt'));
    await writeFile(path.join(dir, 'd.txt'), CONTENTS[4] ?? '');
    const summary = await library.reindex();
    expect(summary).toMatchObject({ added: ['d'], changed: ['b'], removed: ['c'], articles: 3 });
    // The unchanged article's data is the very same object: it was neither read nor worked out again.
    expect(library.archive.article('a')).toBe(kept);
    expect(library.archive).not.toBe(before);
    expect(answerQuestion(library.archive, 'How many homes lost power?').answer).toBe('300 homes');
  });

  it('remembers an edit to a file left out as a duplicate id, and loads the edit once the owner is gone', async () => {
    await writeFile(path.join(dir, 'c.md'), CONTENTS[0] ?? '');
    await writeFile(path.join(dir, 'c.txt'), CONTENTS[0] ?? '');
    const library = await Library.open({ seedsDir: dir, now: () => at });
    await writeFile(path.join(dir, 'c.txt'), CONTENTS[1] ?? '');
    await utimes(path.join(dir, 'c.txt'), new Date('2030-01-01'), new Date('2030-01-01'));
    expect(await library.reindex()).toMatchObject({
      changed: [],
      problems: [{ file: 'c.txt', reason: 'duplicate id "c": c.md already has it' }],
    });
    await rm(path.join(dir, 'c.md'));
    expect(await library.reindex()).toMatchObject({ changed: ['c'], problems: [] });
    expect(library.archive.article('c')?.article.title).toBe('United lose at home');
  });

  it('after a start from the snapshot, reads again the files that were problems: a duplicate id loads once its owner is gone, told or not', async () => {
    for (const told of [false, true]) {
      const seeds = path.join(dir, `seeds-${told}`);
      await mkdir(seeds);
      await writeFile(path.join(seeds, 'a.txt'), CONTENTS[2] ?? '');
      await writeFile(path.join(seeds, 'c.md'), CONTENTS[0] ?? '');
      await writeFile(path.join(seeds, 'c.txt'), CONTENTS[1] ?? '');
      const open = (): Promise<Library> =>
        Library.open({ seedsDir: seeds, now: () => at, snapshotFile: path.join(`${seeds}.data`, SNAPSHOT_FILE) });
      expect((await open()).problems).toEqual([{ file: 'c.txt', reason: 'duplicate id "c": c.md already has it' }]);
      const library = await open();
      expect(library.startup?.source).toBe('snapshot');
      // Told only of the owner's removal: c.txt, a problem the snapshot kept only the reason of, is read again.
      await rm(path.join(seeds, 'c.md'));
      expect(await library.reindex(told ? { files: ['c.md'] } : {})).toMatchObject({ changed: ['c'], problems: [] });
      expect(library.archive.article('c')?.article.title).toBe('United lose at home');
      // The reindex writes its snapshot after it returns: written, and before the folder is removed.
      expect(await library.snapshotWritten()).toBeNull();
    }
  });

  it('counts a problem file that grew against the archive cap, as a whole load does', async () => {
    await writeFile(path.join(dir, '0.txt'), Buffer.alloc(4));
    await writeFile(path.join(dir, 'a.txt'), CONTENTS[0] ?? '');
    const library = await Library.open({ seedsDir: dir, now: () => at, maxArchiveMb: 1 });
    // Still a problem for the same reason, but now 900 KB of the 1 MB the archive may hold.
    await writeFile(path.join(dir, '0.txt'), Buffer.alloc(900 * 1024));
    await library.reindex({ files: ['0.txt'] });
    await writeFile(path.join(dir, 'b.txt'), `Big story\n\n${'The striker scored again. '.repeat(13_000)}`);
    await library.reindex({ files: ['b.txt'] });
    const fresh = await loadArticles(dir, { maxArchiveMb: 1 });
    expect(fresh.articles.map((a) => a.id)).toEqual(['a']);
    expect(library.archive.article('b')).toBeUndefined();
    expect(library.problems).toEqual(fresh.problems);
  });

  it('after a start from the snapshot of a load the archive cap cut short, reads the files past it once the cap is raised', async () => {
    const seeds = path.join(dir, 'seeds');
    await mkdir(seeds);
    for (const [i, file] of ['a.txt', 'b.txt', 'c.txt'].entries()) await writeFile(path.join(seeds, file), CONTENTS[i] ?? '');
    const snapshotFile = path.join(dir, 'data', SNAPSHOT_FILE);
    // A cap that holds a.txt alone: b.txt is the problem line, c.txt neither an article nor a problem.
    const bytes = (CONTENTS[0] ?? '').length + 10;
    const capped = await Library.open({ seedsDir: seeds, now: () => at, snapshotFile, maxArchiveMb: bytes / (1024 * 1024) });
    expect(capped.archive.articles.map((a) => a.article.id)).toEqual(['a']);
    expect(await capped.snapshotWritten()).toBeNull();
    // Started again under the default cap, from that snapshot; then one file is added.
    const library = await Library.open({ seedsDir: seeds, now: () => at, snapshotFile });
    expect(library.startup?.source).toBe('snapshot');
    await writeFile(path.join(seeds, 'd.txt'), CONTENTS[4] ?? '');
    await library.reindex();
    const fresh = await loadArticles(seeds);
    expect(library.archive.articles.map((a) => a.article.id)).toEqual(fresh.articles.map((a) => a.id));
    expect(library.problems).toEqual(fresh.problems);
    expect(await library.snapshotWritten()).toBeNull();
  });

  it('rebuilds from scratch on a full reindex, to the same archive', async () => {
    await writeFile(path.join(dir, 'a.txt'), CONTENTS[0] ?? '');
    await writeFile(path.join(dir, 'b.txt'), CONTENTS[1] ?? '');
    const library = await Library.open({ seedsDir: dir, now: () => at });
    await writeFile(path.join(dir, 'b.txt'), CONTENTS[5] ?? '');
    await library.reindex();
    const incremental = dump(library.archive);
    const kept = library.archive.article('a');
    await library.reindex({ full: true });
    expect(library.archive.article('a')).not.toBe(kept);
    expect(dump(library.archive)).toEqual(incremental);
  });
});
