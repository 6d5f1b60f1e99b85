import { createHash } from 'node:crypto';
import type { EvalQuestion } from './datasets.ts';

/**
 * The evaluation protocol: every development set is split by article, never by question, so that
 * no article lends its wording to both the part we tune on and the part we estimate with.
 *
 * - The held-out part is about {@link HELD_OUT_SHARE} of each set's articles, chosen by a hash of the
 *   set's name and the article's key: fixed for good, whatever code or weights change.
 * - The rest, the tuning part, is dealt into {@link FOLDS} folds by the same hash, for
 *   cross-validation: weights fitted on the other folds are scored on each fold in turn.
 * - An unanswerable question has no article; its own id stands in for one.
 */
export const HELD_OUT_SHARE = 0.3;
export const FOLDS = 5;

export type Part = 'tuning' | 'held-out';

/** Where a question falls: the tuning part (with its fold) or the held-out part. */
export interface Placement {
  readonly part: Part;
  /** 0 to folds − 1 for the tuning part; -1 for the held-out part. */
  readonly fold: number;
}

/** The key a question is split by: its article, or for an unanswerable question its own id. */
export function articleKey(question: EvalQuestion): string {
  return question.article ?? `question:${question.id}`;
}

/** A stable number for a key, so every run and every machine splits alike. */
function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Splits one set's questions by article: the articles are ordered by the hash of `set` and their
 * key, the first `heldOutShare` of them (at least one, when there are two or more) are held out,
 * and the rest are dealt into folds in that order. With fewer tuning articles than folds, each
 * tuning article is its own fold.
 *
 * @example splitByArticle('squad', questions).get(questions[0].id) // { part: 'tuning', fold: 1 }
 */
export function splitByArticle(
  set: string,
  questions: readonly EvalQuestion[],
  options: { heldOutShare?: number; folds?: number } = {},
): Map<string, Placement> {
  const share = options.heldOutShare ?? HELD_OUT_SHARE;
  const keys = [...new Set(questions.map(articleKey))].sort((a, b) => {
    const ha = hashOf(`${set}\u0000${a}`);
    const hb = hashOf(`${set}\u0000${b}`);
    return ha < hb ? -1 : ha > hb ? 1 : 0;
  });
  const heldOut = keys.length < 2 || share === 0 ? 0 : Math.max(1, Math.round(keys.length * share));
  const folds = Math.max(1, Math.min(options.folds ?? FOLDS, keys.length - heldOut));
  const byKey = new Map<string, Placement>();
  keys.forEach((key, i) => {
    byKey.set(key, i < heldOut ? { part: 'held-out', fold: -1 } : { part: 'tuning', fold: (i - heldOut) % folds });
  });
  const placements = new Map<string, Placement>();
  for (const q of questions) placements.set(q.id, byKey.get(articleKey(q)) ?? { part: 'tuning', fold: 0 });
  return placements;
}

/** How many folds a split uses. */
export function foldCount(placements: ReadonlyMap<string, Placement>): number {
  let max = -1;
  for (const p of placements.values()) if (p.fold > max) max = p.fold;
  return max + 1;
}
