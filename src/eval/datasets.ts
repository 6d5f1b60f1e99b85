import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** One evaluation question. `answers` is empty for a question the articles cannot answer. */
export interface EvalQuestion {
  readonly id: string;
  readonly question: string;
  /** `figure`, `fact` or `none` for the BBC and seed sets; `squad` for SQuAD. */
  readonly kind: string;
  readonly answers: readonly string[];
  readonly figureType: string | null;
  /** The article the question is about (its file, or its SQuAD title); null for an unanswerable question. */
  readonly article: string | null;
}

const JsonlQuestion = z.object({
  id: z.string(),
  question: z.string().min(1),
  file: z.string().nullable().default(null),
  answer: z.string().nullable(),
  alternates: z.array(z.string()).default([]),
  kind: z.enum(['figure', 'fact', 'none']),
  figure_type: z.string().nullable().default(null),
});

/** Reads a JSON-lines question file in the format of `bbc-dev-questions.jsonl`. */
export async function readJsonlQuestions(file: string): Promise<EvalQuestion[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, i) => {
      const parsed = JsonlQuestion.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.message}`);
      const q = parsed.data;
      return {
        id: q.id,
        question: q.question,
        kind: q.kind,
        answers: q.answer === null ? [] : [q.answer, ...q.alternates],
        figureType: q.figure_type,
        article: q.file,
      };
    });
}

const Squad = z.object({
  data: z.array(
    z.object({
      title: z.string(),
      paragraphs: z.array(
        z.object({
          context: z.string(),
          qas: z.array(
            z.object({
              id: z.string(),
              question: z.string(),
              is_impossible: z.boolean().default(false),
              answers: z.array(z.object({ text: z.string() })),
            }),
          ),
        }),
      ),
    }),
  ),
});

/**
 * Turns a SQuAD v2 file into a folder of headline-format articles (title, blank line, paragraphs)
 * and returns its answerable questions.
 */
export async function prepareSquad(file: string, outDir: string): Promise<EvalQuestion[]> {
  const squad = Squad.parse(JSON.parse(await readFile(file, 'utf8')));
  await mkdir(outDir, { recursive: true });
  const questions: EvalQuestion[] = [];
  for (const [index, article] of squad.data.entries()) {
    const title = article.title.replace(/_/gu, ' ');
    const body = article.paragraphs.map((p) => p.context.replace(/\s*\n\s*/gu, ' ').trim()).join('\n\n');
    await writeFile(path.join(outDir, `${String(index).padStart(3, '0')}.txt`), `${title}\n\n${body}\n`);
    for (const paragraph of article.paragraphs) {
      for (const qa of paragraph.qas) {
        if (qa.is_impossible || qa.answers.length === 0) continue;
        questions.push({
          id: qa.id,
          question: qa.question,
          kind: 'squad',
          answers: [...new Set(qa.answers.map((a) => a.text.trim()))],
          figureType: null,
          article: title,
        });
      }
    }
  }
  return questions;
}
