import type { Answer } from '../core/types.ts';
import type { EvalQuestion } from './datasets.ts';

/** A hit counts only for a passage of at most this many characters, so whole articles can't game it. */
export const MAX_HIT_PASSAGE = 1200;
/** A direct answer must be short to count: a sentence is not an answer. */
export const MAX_DIRECT_ANSWER = 80;

/** The outcome of one question, reduced to what the metrics need. */
export interface Outcome {
  readonly question: EvalQuestion;
  readonly answered: boolean;
  /** 1-based rank of the first passage holding an answer, or null. */
  readonly hitRank: number | null;
  readonly figureHit: boolean;
  /** A direct answer was shown and it is right: see {@link directMatches}. */
  readonly directHit: boolean;
  /** How long answering took, once per timed pass. */
  readonly ms: readonly number[];
  readonly first: string | null;
  readonly direct: string | null;
}

function contains(text: string, answers: readonly string[]): boolean {
  return answers.some((a) => a.length > 0 && text.includes(a));
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

/**
 * Whether a direct answer is right: it holds an expected answer ("half a million people" for "half
 * a million"), or is a whole-word part of one ("5 million" of "more than 5 million Syrians"), but
 * never a digit inside a longer number ("2" of "25").
 */
export function directMatches(direct: string, answers: readonly string[]): boolean {
  if (direct.length === 0 || direct.length >= MAX_DIRECT_ANSWER) return false;
  if (contains(direct, answers)) return true;
  const inside = new RegExp(`(?<![\\p{L}\\p{N}])${escape(direct)}(?![\\p{L}\\p{N}])`, 'u');
  return answers.some((a) => inside.test(a));
}

/** 1-based rank of the first of `texts` that holds an answer, or null. */
export function hitRank(texts: readonly string[], answers: readonly string[]): number | null {
  const index = texts.findIndex((t) => t.length <= MAX_HIT_PASSAGE && contains(t, answers));
  return index < 0 ? null : index + 1;
}

/** Judges one answer against a question's expected answer strings. */
export function judge(
  question: EvalQuestion,
  answer: Pick<Answer, 'answered' | 'answer' | 'passages' | 'figures'>,
  ms: number | readonly number[],
): Outcome {
  return {
    question,
    answered: answer.answered,
    hitRank: hitRank(
      answer.passages.map((p) => p.passage.text),
      question.answers,
    ),
    figureHit: answer.figures.slice(0, 3).some((f) => contains(f.text, question.answers)),
    directHit: answer.answer !== null && directMatches(answer.answer, question.answers),
    ms: typeof ms === 'number' ? [ms] : ms,
    first: answer.passages[0]?.passage.text ?? null,
    direct: answer.answer,
  };
}

/** The value at quantile q (0–1) of a list of numbers, nearest-rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? 0;
}

/** part / whole, or null when there is no whole. */
export const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
