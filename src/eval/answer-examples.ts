/**
 * Training examples for the answerability, direct-answer and figure-given models
 * (src/core/answer-confidence.ts), collected from the tuning part of the development questions only.
 */
import {
  ANSWERABILITY_FEATURES,
  DIRECT_FEATURES,
  GIVEN_FEATURES,
  NAME_DIRECT_FEATURES,
  answerabilityFeatures,
  directCandidate,
  givenFeatures,
  holdsWantedFigure,
  showingEveryAnswer,
} from '../core/answer-confidence.ts';
import type { RankParams } from '../core/rank-params.ts';
import { rankPassages } from '../core/rank.ts';
import type { DevCorpus } from './dev-sets.ts';
import { directMatches } from './metrics.ts';
import type { Example } from './train.ts';

/** Examples for each model. */
export interface AnswerExamples {
  /** Positive: an answerable question asked of its own corpus. Negative: an unanswerable one, or another corpus's question. */
  readonly answerable: Example[];
  /** Positive: the direct answer extraction offers is right. */
  readonly directFigure: Example[];
  readonly directName: Example[];
  /** Positive: a figure question asked of its own corpus that it answers. Negative: one it does not. */
  readonly figureGiven: Example[];
}

/** Every name is tagged: the features collected must not depend on the models being fitted. */
const SHOW_ALL = showingEveryAnswer();

/** How many passages the features read: as many as an answer ranks exactly. */
const DEPTH = 5;

/**
 * Asks every tuning question of its own corpus and every tuning answerable question of each other
 * corpus (which cannot answer it: a cross-corpus negative), and records the models' features.
 */
export function collectAnswerExamples(corpora: readonly DevCorpus[], params: RankParams): AnswerExamples {
  const out: AnswerExamples = { answerable: [], directFigure: [], directName: [], figureGiven: [] };
  for (const corpus of corpora) {
    for (const asked of corpora) {
      const own = asked === corpus;
      for (const q of asked.questions) {
        if (q.part !== 'tuning' || (!own && q.answers.length === 0)) continue;
        const ranking = rankPassages(corpus.archive, q.question, DEPTH, params);
        const answerable = own && q.answers.length > 0;
        const base = { id: own ? q.id : `${q.id}@${corpus.name}`, corpus: corpus.name, fold: q.fold };
        const features = answerabilityFeatures(ranking, corpus.archive);
        const group = own ? `${corpus.name} ${answerable ? 'answerable' : 'unanswerable'}` : `${asked.name}@${corpus.name}`;
        if (features !== null)
          out.answerable.push({ ...base, group, x: ANSWERABILITY_FEATURES.map((f) => features[f]), label: answerable });
        // Direct answers are judged on the questions a corpus is asked about, as the benchmark does.
        if (!own) continue;
        const candidate = directCandidate(ranking, corpus.archive, SHOW_ALL);
        // The figure-given model only weighs questions whose passages hold a figure of the wanted
        // kind (figureVerdict): without one, the answer says plainly that none is given.
        const given = holdsWantedFigure(ranking) ? givenFeatures(ranking, corpus.archive, candidate) : null;
        if (given !== null)
          out.figureGiven.push({
            ...base,
            group: `${corpus.name} ${answerable ? 'answerable' : 'unanswerable'}`,
            x: GIVEN_FEATURES.map((f) => given[f]),
            label: answerable,
          });
        if (candidate === null) continue;
        const example = {
          ...base,
          x: (candidate.kind === 'figure' ? DIRECT_FEATURES : NAME_DIRECT_FEATURES).map((f) => candidate.features[f]),
          label: answerable && directMatches(candidate.text, q.answers),
        };
        (candidate.kind === 'figure' ? out.directFigure : out.directName).push(example);
      }
    }
  }
  return out;
}
