import { access, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Archive } from '../core/archive.ts';
import { loadArticles } from '../core/corpus.ts';
import type { Article } from '../core/types.ts';
import { prepareSquad, readJsonlQuestions, type EvalQuestion } from './datasets.ts';
import { splitByArticle, type Part } from './protocol.ts';

/** A question with where it comes from and which part of the protocol it belongs to. */
export interface PlacedQuestion extends EvalQuestion {
  readonly source: string;
  readonly part: Part;
  /** Its fold in the tuning part; -1 when held out. */
  readonly fold: number;
}

/** A corpus with its archive and the development questions asked of it. */
export interface DevCorpus {
  readonly name: string;
  readonly articles: readonly Article[];
  readonly archive: Archive;
  readonly questions: PlacedQuestion[];
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** The first of some folders that exists: the shared data sits beside the main checkout or one level up. */
export async function firstExisting(candidates: readonly string[]): Promise<string> {
  for (const c of candidates) if (await exists(c)) return c;
  return candidates[0] ?? '';
}

/** Places a development set's questions by the protocol. */
export function placed(source: string, questions: readonly EvalQuestion[], options: { heldOutShare?: number } = {}): PlacedQuestion[] {
  const placements = splitByArticle(source, questions, options);
  return questions.map((q) => {
    const p = placements.get(q.id) ?? { part: 'tuning' as const, fold: 0 };
    return { ...q, source, part: p.part, fold: p.fold };
  });
}

/**
 * A tuning set of `bench/questions/` (more questions written to fit on, unlike the frozen held-out
 * files there), or none when it is absent.
 */
async function readTuningSet(root: string, name: string, log: (line: string) => void): Promise<EvalQuestion[]> {
  const file = path.join(root, 'bench/questions', `${name}.jsonl`);
  if (await exists(file)) return readJsonlQuestions(file);
  log(`Skipping ${path.relative(root, file)}: absent.`);
  return [];
}

/**
 * Loads the seed article, the SQuAD articles and the BBC corpus, each with its development
 * questions placed by the protocol; a corpus whose files are absent is skipped, saying so.
 * `close` removes the temporary SQuAD folder.
 */
export async function loadDevCorpora(
  root: string,
  dirs: { evalDir: string; bbcDir: string },
  log: (line: string) => void = console.log,
): Promise<{ corpora: DevCorpus[]; close: () => Promise<void> }> {
  const build = async (name: string, dir: string): Promise<DevCorpus> => {
    const loaded = await loadArticles(dir);
    const started = performance.now();
    const archive = await Archive.build(loaded.articles);
    log(
      `${name}: ${loaded.articles.length} articles, ${archive.stats.passages} passages, built in ${(performance.now() - started).toFixed(0)} ms`,
    );
    return { name, articles: loaded.articles, archive, questions: [] };
  };
  const corpora: DevCorpus[] = [];
  const seeds = await build('seeds', path.join(root, 'seeds'));
  // The seed questions are all about one article, so the article split cannot hold any out: all tune.
  const seedQuestions = await readJsonlQuestions(path.join(root, 'bench/seed-questions.jsonl'));
  seeds.questions.push(...seedQuestions.map((q) => ({ ...q, source: 'seed-questions', part: 'tuning' as const, fold: 0 })));
  for (const q of await readTuningSet(root, 'seed-tuning-2', log))
    seeds.questions.push({ ...q, source: 'seed-tuning-2', part: 'tuning', fold: 0 });
  corpora.push(seeds);

  let squadDir: string | null = null;
  const squadFile = path.join(dirs.evalDir, 'squad-dev.json');
  if (await exists(squadFile)) {
    squadDir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-squad-'));
    const questions = await prepareSquad(squadFile, squadDir);
    const squad = await build('squad', squadDir);
    squad.questions.push(...placed('squad-dev', questions));
    corpora.push(squad);
  } else log(`Skipping SQuAD: ${squadFile} is absent.`);

  if (await exists(dirs.bbcDir)) {
    const bbc = await build('bbc', dirs.bbcDir);
    for (const source of ['bbc-dev-questions', 'bbc-dev-2']) {
      const file = path.join(dirs.evalDir, `${source}.jsonl`);
      if (await exists(file)) bbc.questions.push(...placed(source, await readJsonlQuestions(file)));
      else log(`Skipping ${file}: absent.`);
    }
    // Written for tuning after the held-out part was frozen: every article tunes, dealt into folds.
    for (const source of ['bbc-tuning-3', 'bbc-tuning-4', 'bbc-tuning-5'])
      bbc.questions.push(...placed(source, await readTuningSet(root, source, log), { heldOutShare: 0 }));
    corpora.push(bbc);
  } else log(`Skipping BBC: ${dirs.bbcDir} is absent.`);

  const close = async (): Promise<void> => {
    if (squadDir !== null) await rm(squadDir, { recursive: true, force: true });
  };
  return { corpora, close };
}

/** The data folders by default: beside the checkout, or one level further up. */
export async function defaultDirs(root: string): Promise<{ evalDir: string; bbcDir: string }> {
  return {
    evalDir: await firstExisting([path.resolve(root, '../shared/eval'), path.resolve(root, '../../shared/eval')]),
    bbcDir: await firstExisting([path.resolve(root, '../shared/corpora/bbc-news'), path.resolve(root, '../../shared/corpora/bbc-news')]),
  };
}
