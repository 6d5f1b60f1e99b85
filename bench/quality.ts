/**
 * Answer-quality benchmark, by the protocol of `src/eval/protocol.ts`: the development sets are
 * pooled and split by article into a tuning part (in folds) and a frozen held-out part.
 *
 *   npm run bench:quality -- [--bbc DIR] [--eval DIR] [--verbose]
 *   npm run bench:quality -- --held-out --why "what this look is for"
 *
 * By default only the tuning part is scored. `--held-out` scores the held-out part too, with the
 * frozen sets of `bench/questions/`, and appends a row to `bench/results/held-out-log.md`: look
 * rarely, and say why.
 *
 * For each corpus, part and question kind it prints Hit@1 and Hit@3 of the real answer path, of
 * BM25 over Factdesk's own term processing and of plain MiniSearch; our wins and losses against
 * BM25 at Hit@1; direct-answer precision and how often one is given; declines of answerable,
 * unanswerable and off-topic questions (the other corpus's questions); latency beside plain
 * MiniSearch, measured in the same run.
 */
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import type { Archive } from '../src/core/archive.ts';
import { answerQuestion } from '../src/core/answer.ts';
import { rankPassages } from '../src/core/rank.ts';
import { DEFAULT_RANK_PARAMS } from '../src/core/rank-params.ts';
import fitted from '../src/core/rank-weights.json' with { type: 'json' };
import { terms } from '../src/core/text.ts';
import type { Article } from '../src/core/types.ts';
import { readJsonlQuestions, type EvalQuestion } from '../src/eval/datasets.ts';
import { defaultDirs, loadDevCorpora, type PlacedQuestion } from '../src/eval/dev-sets.ts';
import { hitRank, judge, quantile, share } from '../src/eval/metrics.ts';
import type { Part } from '../src/eval/protocol.ts';
import { collectGroup, crossValidatedRanks, type Group } from '../src/eval/train.ts';
import { exists } from './corpus.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '..');

const { values: args } = parseArgs({
  options: {
    bbc: { type: 'string' },
    eval: { type: 'string' },
    out: { type: 'string', default: path.join(root, 'bench/results/quality.json') },
    'held-out': { type: 'boolean', default: false },
    why: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
if (args['held-out'] && (args.why === undefined || args.why.trim().length === 0)) {
  console.error('A look at the held-out part needs a reason: --why "…". It is logged in bench/results/held-out-log.md.');
  process.exit(2);
}
const defaults = await defaultDirs(root);
const evalDir = args.eval ?? defaults.evalDir;
const bbcDir = args.bbc ?? defaults.bbcDir;
const HELD_OUT_LOG = path.join(root, 'bench/results/held-out-log.md');
const FROZEN = path.join(root, 'bench/questions');

type Question = PlacedQuestion;

interface Corpus {
  readonly name: string;
  readonly archive: Archive;
  /** Plain MiniSearch 7.2 with default options, one document per paragraph, searched with the raw question. */
  readonly plain: (question: string) => string[];
  /** BM25 (MiniSearch's defaults) over Factdesk's own passages and term processing. */
  readonly bm25: (question: string) => string[];
  readonly questions: Question[];
}

/** One question's results, as the tables and the JSON output need them. */
interface Result {
  readonly id: string;
  readonly corpus: string;
  readonly source: string;
  readonly kind: string;
  readonly part: Part;
  readonly fold: number;
  /** Asked of the other corpus: should be declined. */
  readonly offTopic: boolean;
  readonly answerable: boolean;
  readonly rank: number | null;
  /** The rank of the first passage holding the answer in the ranking itself, whether or not the answer declined. */
  readonly rankedRank: number | null;
  /** Its rank under weights fitted without its fold (tuning part), or null. */
  readonly cvRank: number | null;
  readonly bm25Rank: number | null;
  readonly plainRank: number | null;
  readonly answered: boolean;
  /** Answered, but saying the figure asked for is not in the passages found. */
  readonly notGiven: boolean;
  readonly direct: string | null;
  readonly directHit: boolean;
  readonly ms: number;
  readonly plainMs: number;
}

function plainSearch(articles: readonly Article[]): (question: string) => string[] {
  const paragraphs = articles.flatMap((a) => a.paragraphs.map((text) => ({ title: a.title, text })));
  const search = new MiniSearch<{ id: number; title: string; text: string }>({ fields: ['title', 'text'] });
  search.addAll(paragraphs.map((p, id) => ({ id, ...p })));
  return (question) =>
    search
      .search(question)
      .slice(0, 10)
      .map((r) => paragraphs[r.id as number]?.text ?? '');
}

function bm25Search(archive: Archive): (question: string) => string[] {
  return (question) => {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const match of archive.searchPassages(terms(question))) {
      const text = archive.passages[match.id]?.passage.text;
      if (text === undefined || seen.has(text)) continue;
      seen.add(text);
      out.push(text);
      if (out.length >= 10) break;
    }
    return out;
  };
}

/** A frozen held-out set: every question is held out. */
const frozen = (source: string, questions: readonly EvalQuestion[]): Question[] =>
  questions.map((q) => ({ ...q, source, part: 'held-out' as const, fold: -1 }));

function ask(corpus: Corpus, q: Question, offTopic: boolean): Result {
  // The first call warms the JIT and caches up; the second is timed. Plain MiniSearch is timed on
  // its first call: over the BBC corpus it is the slow one, and the machine is shared.
  answerQuestion(corpus.archive, q.question, { top: 10 });
  const t0 = performance.now();
  const answer = answerQuestion(corpus.archive, q.question, { top: 10 });
  const ms = performance.now() - t0;
  const outcome = judge(q, answer, ms);
  let plainMs = 0;
  let plainTexts: string[] = [];
  if (!offTopic) {
    const t1 = performance.now();
    plainTexts = corpus.plain(q.question);
    plainMs = performance.now() - t1;
  }
  return {
    id: q.id,
    corpus: corpus.name,
    source: q.source,
    kind: offTopic ? 'off-topic' : q.kind,
    part: q.part,
    fold: q.fold,
    offTopic,
    answerable: !offTopic && q.answers.length > 0,
    rank: outcome.hitRank,
    rankedRank: offTopic
      ? null
      : hitRank(
          rankPassages(corpus.archive, q.question, 10)
            .passages.slice(0, 10)
            .map((p) => p.passage.passage.text),
          q.answers,
        ),
    cvRank: cvRanks.get(q.id) ?? null,
    bm25Rank: offTopic ? null : hitRank(corpus.bm25(q.question), q.answers),
    plainRank: offTopic ? null : hitRank(plainTexts, q.answers),
    answered: answer.answered,
    notGiven: answer.answered && answer.reason !== null,
    direct: answer.answer,
    directHit: outcome.directHit,
    ms,
    plainMs,
  };
}

const pct = (x: number | null): string => (x === null ? '—' : (x * 100).toFixed(1));
const hitShare = (rs: readonly Result[], get: (r: Result) => number | null, k: number): number | null =>
  share(rs.filter((r) => (get(r) ?? Infinity) <= k).length, rs.length);

interface Row {
  /** Cross-validated Hit@1 and Hit@3 of the learned ranker (tuning part only): see `crossValidatedRanks`. */
  readonly cvHit1: number | null;
  readonly cvHit3: number | null;
  readonly corpus: string;
  readonly part: Part;
  readonly kind: string;
  readonly n: number;
  readonly hit1: number | null;
  readonly hit3: number | null;
  readonly bm25Hit1: number | null;
  readonly bm25Hit3: number | null;
  readonly plainHit1: number | null;
  readonly plainHit3: number | null;
  readonly wins: number;
  readonly losses: number;
  /** Right direct answers among those given (given on an unanswerable question counts as wrong). */
  readonly directPrecision: number | null;
  /** Share of answerable figure questions given a direct answer. */
  readonly directGiven: number | null;
  readonly answerableDeclined: number | null;
  readonly unanswerableDeclined: number | null;
  readonly unanswerableNoDirect: number | null;
  /** Unanswerables declined, or answered with "that figure is not given". */
  readonly unanswerableDeclinedOrNotGiven: number | null;
  /** Answerable questions wrongly told their figure is not given. */
  readonly answerableNotGiven: number | null;
  readonly offTopicDeclined: number | null;
  readonly p50: number;
  readonly p99: number;
  readonly plainP50: number;
  readonly plainP99: number;
}

/** Cross-validated ranks of the tuning part's answerable questions, by id. */
const cvRanks = new Map<string, number | null>();

function row(corpus: string, part: Part, kind: string, rs: readonly Result[]): Row {
  const answerable = rs.filter((r) => r.answerable);
  const unanswerable = rs.filter((r) => !r.answerable && !r.offTopic);
  const offTopic = rs.filter((r) => r.offTopic);
  const onTopic = rs.filter((r) => !r.offTopic);
  const given = onTopic.filter((r) => r.direct !== null);
  const figures = answerable.filter((r) => r.kind === 'figure');
  const crossValidated = part === 'tuning' ? answerable.filter((r) => cvRanks.has(r.id)) : [];
  return {
    cvHit1: hitShare(crossValidated, (r) => cvRanks.get(r.id) ?? null, 1),
    cvHit3: hitShare(crossValidated, (r) => cvRanks.get(r.id) ?? null, 3),
    corpus,
    part,
    kind,
    n: rs.length,
    hit1: hitShare(answerable, (r) => r.rank, 1),
    hit3: hitShare(answerable, (r) => r.rank, 3),
    bm25Hit1: hitShare(answerable, (r) => r.bm25Rank, 1),
    bm25Hit3: hitShare(answerable, (r) => r.bm25Rank, 3),
    plainHit1: hitShare(answerable, (r) => r.plainRank, 1),
    plainHit3: hitShare(answerable, (r) => r.plainRank, 3),
    wins: answerable.filter((r) => r.rank === 1 && r.bm25Rank !== 1).length,
    losses: answerable.filter((r) => r.rank !== 1 && r.bm25Rank === 1).length,
    directPrecision: share(given.filter((r) => r.answerable && r.directHit).length, given.length),
    directGiven: share(figures.filter((r) => r.direct !== null).length, figures.length),
    answerableDeclined: share(answerable.filter((r) => !r.answered).length, answerable.length),
    unanswerableDeclined: share(unanswerable.filter((r) => !r.answered).length, unanswerable.length),
    unanswerableNoDirect: share(unanswerable.filter((r) => r.direct === null).length, unanswerable.length),
    unanswerableDeclinedOrNotGiven: share(unanswerable.filter((r) => !r.answered || r.notGiven).length, unanswerable.length),
    answerableNotGiven: share(answerable.filter((r) => r.notGiven).length, answerable.length),
    offTopicDeclined: share(offTopic.filter((r) => !r.answered).length, offTopic.length),
    p50: quantile(
      rs.map((r) => r.ms),
      0.5,
    ),
    p99: quantile(
      rs.map((r) => r.ms),
      0.99,
    ),
    plainP50: quantile(
      onTopic.map((r) => r.plainMs),
      0.5,
    ),
    plainP99: quantile(
      onTopic.map((r) => r.plainMs),
      0.99,
    ),
  };
}

function rows(results: readonly Result[]): Row[] {
  const out: Row[] = [];
  const keys = new Map(results.map((r) => [`${r.corpus}/${r.part}`, { corpus: r.corpus, part: r.part }]));
  for (const { corpus, part } of keys.values()) {
    const group = results.filter((r) => r.corpus === corpus && r.part === part);
    const onTopic = group.filter((r) => !r.offTopic);
    out.push(row(corpus, part, 'all', onTopic));
    const kinds = [...new Set(group.map((r) => r.kind))];
    if (kinds.length > 1 || kinds[0] === 'off-topic')
      for (const kind of kinds)
        out.push(
          row(
            corpus,
            part,
            kind,
            group.filter((r) => r.kind === kind),
          ),
        );
  }
  return out;
}

function printTable(table: readonly Row[]): void {
  const header = [
    'corpus',
    'part',
    'kind',
    'n',
    'CV Hit@1',
    'CV Hit@3',
    'Hit@1',
    'BM25',
    'plain',
    'Hit@3',
    'BM25',
    'plain',
    'W/L vs BM25',
    'direct prec',
    'direct given',
    'declined: answerable',
    'unanswerable',
    'no direct',
    'or not given',
    'answerable told not given',
    'off-topic',
    'p50 ms',
    'p99 ms',
    'plain p50',
    'plain p99',
  ];
  const lines = table.map((r) => [
    r.corpus,
    r.part,
    r.kind,
    String(r.n),
    pct(r.cvHit1),
    pct(r.cvHit3),
    pct(r.hit1),
    pct(r.bm25Hit1),
    pct(r.plainHit1),
    pct(r.hit3),
    pct(r.bm25Hit3),
    pct(r.plainHit3),
    r.hit1 === null ? '—' : `+${r.wins} −${r.losses}`,
    pct(r.directPrecision),
    pct(r.directGiven),
    pct(r.answerableDeclined),
    pct(r.unanswerableDeclined),
    pct(r.unanswerableNoDirect),
    pct(r.unanswerableDeclinedOrNotGiven),
    pct(r.answerableNotGiven),
    pct(r.offTopicDeclined),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    r.plainP50.toFixed(2),
    r.plainP99.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
  const format = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(`\n${format(header)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const line of lines) console.log(format(line));
  console.log(
    '\nPercentages. Hit@k over answerable questions. "BM25": MiniSearch BM25 over our passages and term processing; "plain": MiniSearch 7.2\n' +
      'with default options over raw paragraphs. W/L: questions we get at Hit@1 and BM25 does not, and the reverse. "direct prec": right\n' +
      'bold answers among those given; "direct given": share of answerable figure questions given one. Declines: of answerable questions\n' +
      '(should be low), of unanswerable ones, unanswerables shown no direct answer, unanswerables declined or told "that figure is not\n' +
      'given", answerable questions wrongly told so, and the other corpus\'s questions ("off-topic").',
  );
}

/**
 * Hit@1 per question set: the held-out part holds only the issue's own sets, while the tuning part
 * also holds questions the team wrote, which can be easier; comparing like with like says whether
 * the cross-validated figures carry over. "ranked" is the ranking alone, before any decline.
 */
function printBySource(results: readonly Result[]): void {
  const answerable = results.filter((r) => r.answerable);
  const keys = [...new Set(answerable.map((r) => `${r.corpus}|${r.part}|${r.source}|${r.kind}`))].sort();
  const lines = [
    '| corpus | part | question set | kind | n | CV Hit@1 | ranked Hit@1 | Hit@1 | declined | BM25 Hit@1 | CV Hit@3 | ranked Hit@3 | Hit@3 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const key of keys) {
    const [corpus, part, source, kind] = key.split('|');
    const rs = answerable.filter((r) => `${r.corpus}|${r.part}|${r.source}|${r.kind}` === key);
    const cv = rs.filter((r) => cvRanks.has(r.id));
    const cells = [
      corpus,
      part,
      source,
      kind,
      String(rs.length),
      pct(hitShare(cv, (r) => r.cvRank, 1)),
      pct(hitShare(rs, (r) => r.rankedRank, 1)),
      pct(hitShare(rs, (r) => r.rank, 1)),
      pct(share(rs.filter((r) => !r.answered).length, rs.length)),
      pct(hitShare(rs, (r) => r.bm25Rank, 1)),
      pct(hitShare(cv, (r) => r.cvRank, 3)),
      pct(hitShare(rs, (r) => r.rankedRank, 3)),
      pct(hitShare(rs, (r) => r.rank, 3)),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  console.log(`\nBy question set (answerable questions; percentages):\n${lines.join('\n')}`);
}

function printWinsAndLosses(results: readonly Result[]): void {
  const keys = [...new Set(results.map((r) => `${r.corpus}/${r.part}`))];
  for (const key of keys) {
    const group = results.filter((r) => `${r.corpus}/${r.part}` === key && r.answerable);
    const wins = group.filter((r) => r.rank === 1 && r.bm25Rank !== 1).map((r) => r.id);
    const losses = group.filter((r) => r.rank !== 1 && r.bm25Rank === 1).map((r) => r.id);
    console.log(`${key}: ${wins.length} wins over BM25: ${wins.join(' ') || '—'}`);
    console.log(`${key}: ${losses.length} losses to BM25: ${losses.join(' ') || '—'}`);
  }
}

/** The figures a held-out look logs: Hit@1/Hit@3 and declines per corpus and kind. */
function logFigures(table: readonly Row[]): string {
  return table
    .filter((r) => r.part === 'held-out')
    .map((r) => {
      if (r.kind === 'off-topic') return `${r.corpus} off-topic declined ${pct(r.offTopicDeclined)} (n ${r.n})`;
      if (r.kind === 'none')
        return `${r.corpus} none declined ${pct(r.unanswerableDeclined)}, declined or not given ${pct(r.unanswerableDeclinedOrNotGiven)}, no direct ${pct(r.unanswerableNoDirect)} (n ${r.n})`;
      const direct = r.directPrecision === null ? '' : `, direct prec ${pct(r.directPrecision)} given ${pct(r.directGiven)}`;
      return `${r.corpus} ${r.kind} H@1 ${pct(r.hit1)} (BM25 ${pct(r.bm25Hit1)}) H@3 ${pct(r.hit3)}${direct}, answerable declined ${pct(r.answerableDeclined)}, told not given ${pct(r.answerableNotGiven)} (n ${r.n})`;
    })
    .join('; ');
}

async function readFrozen(file: string): Promise<EvalQuestion[]> {
  const full = path.join(FROZEN, file);
  if (!(await exists(full))) return [];
  try {
    return await readJsonlQuestions(full);
  } catch (error) {
    console.log(`Skipping ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}

async function main(): Promise<void> {
  const heldOut = args['held-out'];
  const wanted = (q: Question): boolean => heldOut || q.part === 'tuning';
  const loaded = await loadDevCorpora(root, { evalDir, bbcDir });
  const corpora: Corpus[] = loaded.corpora.map((c) => ({
    name: c.name,
    archive: c.archive,
    plain: plainSearch(c.articles),
    bm25: bm25Search(c.archive),
    questions: c.questions,
  }));
  const seeds = corpora.find((c) => c.name === 'seeds');
  // The frozen held-out sets are read only on a logged look.
  const offTopicFrozen: Question[] = [];
  if (heldOut) {
    const bbc = corpora.find((c) => c.name === 'bbc');
    if (bbc) bbc.questions.push(...frozen('bbc-heldout', await readFrozen('bbc-heldout.jsonl')));
    seeds?.questions.push(...frozen('seed-heldout', await readFrozen('seed-heldout.jsonl')));
    offTopicFrozen.push(...frozen('off-topic', await readFrozen('off-topic.jsonl')));
  }

  // Cross-validation: each tuning fold ranked by weights fitted, with the committed L2 penalties (both stages), on the others.
  const groups: Group[] = [];
  for (const corpus of corpora) {
    for (const q of corpus.questions) {
      if (q.part === 'tuning' && q.answers.length > 0)
        groups.push(collectGroup(corpus.archive, q, q.fold, corpus.name, DEFAULT_RANK_PARAMS));
    }
  }
  for (const [id, rank] of crossValidatedRanks(groups, fitted.l2, fitted.withinL2)) cvRanks.set(id, rank);

  const results: Result[] = [];
  try {
    for (const corpus of corpora) {
      for (const q of corpus.questions) if (wanted(q)) results.push(ask(corpus, q, false));
      // Off-topic: the other corpus's answerable questions, which this corpus cannot answer.
      const others = corpora.filter((c) => c !== corpus && c.name !== 'seeds' && corpus.name !== 'seeds');
      for (const other of others)
        for (const q of other.questions) if (wanted(q) && q.answers.length > 0) results.push(ask(corpus, q, true));
      if (corpus.name !== 'squad') for (const q of offTopicFrozen) results.push(ask(corpus, q, true));
    }
  } finally {
    await loaded.close();
  }

  const table = rows(results);
  printTable(table);
  printBySource(results);
  if (args.verbose) printWinsAndLosses(results);
  await mkdir(path.dirname(args.out), { recursive: true });
  await writeFile(
    args.out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows: table, results }, null, 2)}\n`,
  );
  console.log(`Results written to ${path.relative(process.cwd(), args.out)}`);
  if (heldOut) {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim()
      ? '+changes'
      : '';
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const why = (args.why ?? '').replace(/\|/gu, '/').replace(/\s+/gu, ' ').trim();
    const log = await readFile(HELD_OUT_LOG, 'utf8');
    await appendFile(HELD_OUT_LOG, `${log.endsWith('\n') ? '' : '\n'}| ${when} | ${commit}${dirty} | ${why} | ${logFigures(table)} |\n`);
    console.log(`Logged this look in ${path.relative(process.cwd(), HELD_OUT_LOG)}.`);
  }
}

await main();
