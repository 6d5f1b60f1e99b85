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
  readonly directHit: boolean;
  /** How long answering took, once per timed pass. */
  readonly ms: readonly number[];
  readonly first: string | null;
  readonly direct: string | null;
}

function contains(text: string, answers: readonly string[]): boolean {
  return answers.some((a) => a.length > 0 && text.includes(a));
}

/** Judges one answer against a question's expected answer strings. */
export function judge(
  question: EvalQuestion,
  answer: Pick<Answer, 'answered' | 'answer' | 'passages' | 'figures'>,
  ms: number | readonly number[],
): Outcome {
  const hitIndex = answer.passages.findIndex((p) => p.passage.text.length <= MAX_HIT_PASSAGE && contains(p.passage.text, question.answers));
  return {
    question,
    answered: answer.answered,
    hitRank: hitIndex < 0 ? null : hitIndex + 1,
    figureHit: answer.figures.slice(0, 3).some((f) => contains(f.text, question.answers)),
    directHit: answer.answer !== null && answer.answer.length < MAX_DIRECT_ANSWER && contains(answer.answer, question.answers),
    ms: typeof ms === 'number' ? [ms] : ms,
    first: answer.passages[0]?.passage.text ?? null,
    direct: answer.answer,
  };
}

export interface Summary {
  readonly count: number;
  readonly hit1: number;
  readonly hit3: number;
  readonly mrr10: number;
  /** Share of figure questions whose expected figure is among the top 3 figures (null: none asked). */
  readonly figureAccuracy: number | null;
  readonly directAccuracy: number | null;
  /** Share of unanswerable questions declined (null: none asked). */
  readonly declined: number | null;
  /** Share of answerable questions wrongly declined. */
  readonly wronglyDeclined: number | null;
  readonly p50: number;
  readonly p99: number;
}

/** The value at quantile q (0–1) of a list of numbers, nearest-rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? 0;
}

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** Aggregates outcomes into the harness's metrics. Hit metrics cover answerable questions only. */
export function summarise(outcomes: readonly Outcome[]): Summary {
  const answerable = outcomes.filter((o) => o.question.answers.length > 0);
  const unanswerable = outcomes.filter((o) => o.question.answers.length === 0);
  const figures = answerable.filter((o) => o.question.kind === 'figure');
  const n = answerable.length;
  const rr = answerable.reduce((sum, o) => sum + (o.hitRank !== null && o.hitRank <= 10 ? 1 / o.hitRank : 0), 0);
  return {
    count: outcomes.length,
    hit1: share(answerable.filter((o) => o.hitRank === 1).length, n) ?? 0,
    hit3: share(answerable.filter((o) => o.hitRank !== null && o.hitRank <= 3).length, n) ?? 0,
    mrr10: n === 0 ? 0 : rr / n,
    figureAccuracy: share(figures.filter((o) => o.figureHit).length, figures.length),
    directAccuracy: share(figures.filter((o) => o.directHit).length, figures.length),
    declined: share(unanswerable.filter((o) => !o.answered).length, unanswerable.length),
    wronglyDeclined: share(answerable.filter((o) => !o.answered).length, n),
    p50: quantile(
      outcomes.flatMap((o) => o.ms),
      0.5,
    ),
    p99: quantile(
      outcomes.flatMap((o) => o.ms),
      0.99,
    ),
  };
}
