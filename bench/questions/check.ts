/**
 * Validates the question sets in this folder: the frozen held-out sets and the tuning sets.
 *
 *   npx tsx bench/questions/check.ts [BBC_DIR] [EVAL_DIR]
 *
 * BBC_DIR is the BBC corpus (not in the repository, © BBC); EVAL_DIR holds the development sets
 * (default: BBC_DIR/../../eval, as in the shared layout). Without the corpus the BBC checks are
 * skipped, saying so; the seed and off-topic checks always run. No BBC set may use an article used
 * by, or a copy of an article used by, the development sets; the tuning sets must also keep clear of
 * the held-out set's articles, and each later tuning set of the earlier ones. Exits 1 on any error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const here = dirname(fileURLToPath(import.meta.url));
const seedsDir = resolve(here, '../../seeds');

const figureTypes = ['count', 'money', 'percent', 'year', 'date', 'duration', 'age', 'score', 'quantity'] as const;

const questionSchema = z
  .object({
    id: z.string(),
    file: z.string().min(1).nullable(),
    question: z.string().trim().min(1),
    // Answers of one or two characters match too many unrelated passages to mean anything.
    answer: z.string().min(3).nullable(),
    alternates: z.array(z.string().min(3)),
    paragraph: z.number().int().nonnegative().nullable(),
    kind: z.enum(['figure', 'fact', 'none']),
    figure_type: z.enum(figureTypes).nullable(),
  })
  .strict();
type Question = z.infer<typeof questionSchema>;

interface QuestionSet {
  name: string;
  idPattern: RegExp;
  source: 'bbc' | 'seed' | 'none';
  /** Sets in this folder whose articles (and copies of them) this set must not use, besides the development sets. */
  avoid?: string[];
}

const sets: QuestionSet[] = [
  { name: 'bbc-heldout.jsonl', idPattern: /^h3-\d{3}$/, source: 'bbc' },
  { name: 'seed-heldout.jsonl', idPattern: /^hs-\d{3}$/, source: 'seed' },
  { name: 'off-topic.jsonl', idPattern: /^ho-\d{3}$/, source: 'none' },
  { name: 'bbc-tuning-3.jsonl', idPattern: /^t3-\d{3}$/, source: 'bbc', avoid: ['bbc-heldout.jsonl'] },
  { name: 'seed-tuning-2.jsonl', idPattern: /^ts-\d{3}$/, source: 'seed' },
  {
    name: 'bbc-tuning-4.jsonl',
    idPattern: /^t4-\d{3}$/,
    source: 'bbc',
    avoid: ['bbc-heldout.jsonl', 'bbc-tuning-3.jsonl'],
  },
  {
    name: 'bbc-tuning-5.jsonl',
    idPattern: /^t5-\d{3}$/,
    source: 'bbc',
    avoid: ['bbc-heldout.jsonl', 'bbc-tuning-3.jsonl', 'bbc-tuning-4.jsonl'],
  },
];

const devSets = ['bbc-dev-questions.jsonl', 'bbc-dev-2.jsonl'];

/** Reads a text file as UTF-8, or as Windows-1252 when it is not valid UTF-8 (one BBC article is Latin-1). */
function readText(path: string): string {
  const bytes = readFileSync(path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Paragraphs separated by blank lines; for the BBC corpus the headline is paragraph 0. */
function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Seed articles have no headline: `date YYYY-MM-DD` starts the first body paragraph, numbered 1. */
function seedParagraphs(text: string): string[] {
  return ['', ...paragraphs(text.replace(/^\s*date \d{4}-\d{2}-\d{2}\s*/, ''))];
}

const normalise = (text: string): string => text.replace(/\s+/g, ' ').trim();

const errors: string[] = [];
const fail = (where: string, message: string): void => {
  errors.push(`${where}: ${message}`);
};

function checkShape(where: string, q: Question, set: QuestionSet): void {
  if (!set.idPattern.test(q.id)) fail(where, `id ${q.id} does not match ${String(set.idPattern)}`);
  const unanswerable = q.kind === 'none';
  if (set.source === 'none' && !unanswerable) fail(where, 'off-topic questions must be kind none');
  if (unanswerable) {
    if (q.file !== null || q.answer !== null || q.paragraph !== null || q.alternates.length > 0 || q.figure_type !== null) {
      fail(where, 'kind none needs file, answer, paragraph and figure_type null and no alternates');
    }
    return;
  }
  if (q.file === null || q.answer === null || q.paragraph === null) fail(where, `kind ${q.kind} needs file, answer and paragraph`);
  if (q.kind === 'figure' && q.figure_type === null) fail(where, 'kind figure needs a figure_type');
  if (q.kind === 'fact' && q.figure_type !== null) fail(where, 'kind fact takes no figure_type');
}

function checkQuotes(where: string, q: Question, article: string, paras: string[]): void {
  if (q.answer === null || q.paragraph === null) return;
  const paragraph = paras[q.paragraph];
  if (paragraph === undefined || paragraph === '') {
    fail(where, `paragraph ${q.paragraph} does not exist`);
    return;
  }
  for (const quote of [q.answer, ...q.alternates]) {
    if (!article.includes(quote)) fail(where, `"${quote}" is not in ${q.file ?? ''}`);
    else if (!paragraph.includes(quote)) fail(where, `"${quote}" is not in paragraph ${q.paragraph}`);
  }
}

function readSet(set: QuestionSet): Question[] {
  const path = join(here, set.name);
  if (!existsSync(path)) {
    fail(set.name, 'missing');
    return [];
  }
  const questions: Question[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      const where = `${set.name}:${index + 1}`;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        fail(where, 'not valid JSON');
        return;
      }
      const parsed = questionSchema.safeParse(json);
      if (!parsed.success) {
        fail(where, parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; '));
        return;
      }
      checkShape(where, parsed.data, set);
      questions.push(parsed.data);
    });
  return questions;
}

interface Articles {
  files: Set<string>;
  texts: Set<string>;
}

/** Files named by the given question files and their whitespace-normalised texts, so other sets can avoid them and their copies. */
function articlesOf(bbcDir: string, paths: string[]): Articles | undefined {
  const files = new Set<string>();
  for (const path of paths) {
    if (!existsSync(path)) return undefined;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        continue; // reported by readSet when the file is one of ours
      }
      const parsed = z.object({ file: z.string().nullable() }).safeParse(json);
      if (parsed.success && parsed.data.file !== null) files.add(parsed.data.file);
    }
  }
  const texts = new Set([...files].filter((file) => existsSync(join(bbcDir, file))).map((file) => normalise(readText(join(bbcDir, file)))));
  return { files, texts };
}

/** Files and texts the development sets use. */
function devArticles(bbcDir: string, evalDir: string): Articles | undefined {
  return articlesOf(
    bbcDir,
    devSets.map((name) => join(evalDir, name)),
  );
}

const bbcArg = process.argv[2];
const bbcDir = bbcArg === undefined ? undefined : resolve(bbcArg);
const evalDir = resolve(process.argv[3] ?? join(bbcDir ?? '.', '../../eval'));
const haveBbc = bbcDir !== undefined && existsSync(bbcDir);
if (!haveBbc) console.log(`BBC corpus ${bbcDir ?? '(not given)'} not found: skipping the BBC article checks.`);
const dev = haveBbc ? devArticles(bbcDir, evalDir) : undefined;
if (haveBbc && dev === undefined) console.log(`Development sets not found in ${evalDir}: skipping the overlap check.`);

const avoidedCache = new Map<string, Articles>();
/** Articles of another set in this folder (read once); a missing file is reported by readSet. */
function avoidedArticles(name: string): Articles {
  let articles = avoidedCache.get(name);
  if (articles === undefined) {
    articles = (bbcDir === undefined ? undefined : articlesOf(bbcDir, [join(here, name)])) ?? { files: new Set(), texts: new Set() };
    avoidedCache.set(name, articles);
  }
  return articles;
}

const seenIds = new Set<string>();
const counts = new Map<string, number>();
for (const set of sets) {
  const questions = readSet(set);
  questions.forEach((q) => {
    const where = `${set.name} ${q.id}`;
    if (seenIds.has(q.id)) fail(where, 'duplicate id');
    seenIds.add(q.id);
    const key = `${set.name} ${q.kind}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (q.file === null) return;
    if (set.source === 'seed') {
      const path = join(seedsDir, q.file);
      if (!existsSync(path)) fail(where, `seed ${q.file} not found`);
      else checkQuotes(where, q, readText(path), seedParagraphs(readText(path)));
    } else if (haveBbc) {
      const path = join(bbcDir, q.file);
      if (!existsSync(path)) {
        fail(where, `${q.file} not found in ${bbcDir}`);
        return;
      }
      const text = readText(path);
      checkQuotes(where, q, text, paragraphs(text));
      if (dev?.files.has(q.file) === true) fail(where, `${q.file} is used by a development set`);
      else if (dev?.texts.has(normalise(text)) === true) fail(where, `${q.file} is a copy of a development article`);
      for (const name of set.avoid ?? []) {
        const avoided = avoidedArticles(name);
        if (avoided.files.has(q.file)) fail(where, `${q.file} is used by ${name}`);
        else if (avoided.texts.has(normalise(text))) fail(where, `${q.file} is a copy of an article used by ${name}`);
      }
    }
  });
}

for (const [key, count] of counts) console.log(`${key}: ${count}`);
if (errors.length > 0) {
  for (const error of errors) console.error(error);
  console.error(`${errors.length} error(s)`);
  process.exit(1);
}
console.log(`OK: ${seenIds.size} questions`);
