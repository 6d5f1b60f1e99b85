import type { Answer } from '../core/types.ts';

/** The CLI's `--json` shape for one answer: a stable contract that tooling outside the project reads. */
export interface AnswerJson {
  question: string;
  answered: boolean;
  answer: string | null;
  passages: {
    rank: number;
    articleId: string;
    title: string;
    date: string | null;
    paragraph: number;
    text: string;
    score: number;
    citation: number;
  }[];
  figures: {
    text: string;
    /** Null for a vague quantity ("millions of tonnes"). */
    value: number | null;
    unit: string | null;
    kind: string;
    currency: string | null;
    articleId: string;
    paragraph: number;
    sentence: string;
    citation: number;
  }[];
  citations: { n: number; articleId: string; title: string; date: string | null; url: string | null; source: string | null }[];
  closest: { articleId: string; title: string; date: string | null; url: string | null }[];
  reason: string | null;
}

/** Flattens an {@link Answer} into the CLI's JSON contract. */
export function answerToJson(answer: Answer): AnswerJson {
  return {
    question: answer.question,
    answered: answer.answered,
    answer: answer.answer,
    passages: answer.passages.map((p) => ({
      rank: p.rank,
      articleId: p.passage.articleId,
      title: p.title,
      date: p.date,
      paragraph: p.passage.paragraph,
      text: p.passage.text,
      score: p.score,
      citation: p.citation,
    })),
    figures: answer.figures.map((f) => ({
      text: f.text,
      value: f.value,
      unit: f.unit,
      kind: f.kind,
      currency: f.currency ?? null,
      articleId: f.articleId,
      paragraph: f.paragraph,
      sentence: f.sentence,
      citation: f.citation,
    })),
    citations: answer.citations.map((c) => ({ ...c })),
    closest: answer.closest.map((c) => ({ ...c })),
    reason: answer.reason,
  };
}
