import { beforeAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/core/articles.ts';
import { Archive } from '../../src/core/archive.ts';
import { answerQuestion } from '../../src/core/answer.ts';
import {
  ANSWER_MODELS,
  ANSWERABILITY_FEATURES,
  DIRECT_FEATURES,
  GIVEN_FEATURES,
  NAME_DIRECT_FEATURES,
  answerabilityFeatures,
  concentrationOf,
  figureVerdict,
  holdsWantedFigure,
  directCandidate,
  evidenceBeyondChance,
  figureMargins,
  givenFeatures,
  probability,
  sameFigure,
  sentenceWeight,
  showingEveryAnswer,
  type AnswerModels,
} from '../../src/core/answer-confidence.ts';
import committed from '../../src/core/answer-models.json' with { type: 'json' };
import { namedEntities } from '../../src/core/entities.ts';
import { figureOffers } from '../../src/core/answer-extraction.ts';
import { extractFigures } from '../../src/core/figures/index.ts';
import { loadArticles } from '../../src/core/corpus.ts';
import { rankPassages } from '../../src/core/rank.ts';

let seeds: Archive;

beforeAll(async () => {
  seeds = await Archive.build((await loadArticles('seeds')).articles);
});

const article = (id: string, title: string, ...paragraphs: string[]) => parseArticle(`${id}.txt`, `${title}\n\n${paragraphs.join('\n\n')}`);

describe('probability', () => {
  it('is the logistic of the bias plus the weighted features', () => {
    const model = { bias: -1, weights: { a: 2, b: -0.5 }, threshold: 0.5 };
    expect(probability(model, { a: 0.5, b: 0 })).toBe(0.5);
    expect(probability(model, { a: 1, b: 2 })).toBeCloseTo(1 / (1 + Math.exp(0)), 12);
    expect(probability(model, { a: 1, b: 0 })).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });
});

describe('the committed models', () => {
  it('weigh every feature they declare, and have thresholds between 0 and 1', () => {
    // The file as training wrote it: a feature added or renamed without refitting would be read as
    // weight 0 by the loader, so the file's own keys are what tell.
    expect(Object.keys(committed.answerable.weights)).toEqual([...ANSWERABILITY_FEATURES]);
    expect(Object.keys(committed.directFigure.weights)).toEqual([...DIRECT_FEATURES]);
    expect(Object.keys(committed.directName.weights)).toEqual([...NAME_DIRECT_FEATURES]);
    expect(Object.keys(committed.figureGiven.weights)).toEqual([...GIVEN_FEATURES]);
    expect(Object.keys(ANSWER_MODELS.answerable.weights)).toEqual([...ANSWERABILITY_FEATURES]);
    expect(Object.keys(ANSWER_MODELS.directFigure.weights)).toEqual([...DIRECT_FEATURES]);
    for (const model of [ANSWER_MODELS.answerable, ANSWER_MODELS.directFigure, ANSWER_MODELS.directName, ANSWER_MODELS.figureGiven]) {
      expect(model.threshold).toBeGreaterThan(0);
      expect(model.threshold).toBeLessThanOrEqual(1);
    }
  });
});

describe('the direct-answer gate', () => {
  const never: AnswerModels = {
    ...ANSWER_MODELS,
    directFigure: { ...ANSWER_MODELS.directFigure, threshold: 1.01 },
    directName: { ...ANSWER_MODELS.directName, threshold: 1.01 },
  };

  it('shows what extraction offers when open, and nothing when shut, while the passages and figures stand', () => {
    const question = 'When was Assad at the Arab League summit?';
    const open = answerQuestion(seeds, question, { models: showingEveryAnswer() });
    const shut = answerQuestion(seeds, question, { models: never });
    expect(open.answer).toBe('in May');
    expect(shut.answer).toBeNull();
    expect(shut.answered).toBe(true);
    expect(shut.passages.map((p) => p.passage.id)).toEqual(open.passages.map((p) => p.passage.id));
    expect(shut.figures.map((f) => f.text)).toContain('in May');
  });

  it('shows a bold answer with the committed models when the top passage leaves no doubt', () => {
    expect(answerQuestion(seeds, 'When was Assad at the Arab League summit?').answer).toBe('in May');
  });
});

describe('the direct figure features', () => {
  it('say when a figure counts something other than what the question counts, or is a year for a date or a date for a year', async () => {
    const archive = await Archive.build([
      article('a', 'Brindle auction', 'At the Brindle auction, 40 tractors changed hands.', 'The Harwick mill first opened in 1887.'),
      article('b', 'Ferry service', 'About 120 farmers crossed on the Ousby ferry.', 'The Ousby ferry first sailed on 12 March 1903.'),
    ]);
    const features = (question: string) => {
      const candidate = directCandidate(rankPassages(archive, question, 5), archive, showingEveryAnswer());
      return candidate && [candidate.text, candidate.features.countsOther, candidate.features.otherTimeKind];
    };
    // "How many sheep" counts sheep; tractors are something else.
    expect(features('How many sheep changed hands at the Brindle auction?')).toEqual(['40 tractors', 1, 0]);
    expect(features('How many farmers crossed on the Ousby ferry?')).toEqual(['About 120 farmers', 0, 0]);
    // "When" wants a date first, a year next: the year is the other time kind, the day not.
    expect(features('When did the Harwick mill first open?')).toEqual(['1887', 0, 1]);
    expect(features('When did the Ousby ferry first sail?')).toEqual(['12 March 1903', 0, 0]);
    // "What year" wants a year first.
    expect(features('What year did the Ousby ferry first sail?')).toEqual(['12 March 1903', 0, 1]);
    expect(features('What year did the Harwick mill first open?')).toEqual(['1887', 0, 0]);
  });
});

describe('the direct figure margins', () => {
  /** The one figure a made-up phrase states. */
  const figure = (text: string) => {
    const [found] = extractFigures(text);
    if (!found) throw new Error(`no figure in ${text}`);
    return found;
  };

  it('take the same kind and amount in other words, or the same words without an amount, for the same figure', () => {
    expect(sameFigure(figure('£2m'), figure('£2 million'))).toBe(true);
    expect(sameFigure(figure('£2m'), figure('$2m'))).toBe(false);
    expect(sameFigure(figure('£2m'), figure('£5m'))).toBe(false);
    expect(sameFigure(figure('dozens of people'), figure('dozens of people'))).toBe(true);
    expect(sameFigure(figure('dozens of people'), figure('40 people'))).toBe(false);
    // A year and a count of the same number are different figures.
    expect(sameFigure(figure('in 1998'), figure('1,998 people'))).toBe(false);
  });

  it('tell figures of the same amount apart by what they measure, and scores by both numbers', () => {
    expect(sameFigure(figure('3 years'), figure('3 months'))).toBe(false);
    expect(sameFigure(figure('5 miles'), figure('5km'))).toBe(false);
    expect(sameFigure(figure('5 kilometres'), figure('5km'))).toBe(true);
    expect(sameFigure(figure('40 people'), figure('40 cars'))).toBe(false);
    expect(sameFigure(figure('forty people'), figure('40 people'))).toBe(true);
    // A bare count may be the same count with its noun dropped.
    expect(sameFigure(figure('40'), figure('40 people'))).toBe(true);
    expect(sameFigure(figure('won 3-1'), figure('won 3-0'))).toBe(false);
    expect(sameFigure(figure('won 3-1'), figure('won 3–1'))).toBe(true);
    expect(sameFigure(figure('Dozens of people'), figure('dozens of people'))).toBe(true);
  });

  it("sum the shares of the passages whose answer is the same figure, and take the best other figure's value anywhere", () => {
    const answer = figure('£2m');
    const margins = figureMargins(answer, [
      { share: 0.5, answer, figures: [{ figure: answer, value: 0.75 }] },
      { share: 0.125, answer: figure('£5m'), figures: [{ figure: figure('£5m'), value: 0.25 }] },
      {
        share: 0.25,
        answer: figure('£2 million'),
        figures: [
          { figure: figure('£2 million'), value: 0.5 },
          { figure: figure('$3m'), value: 0.375 },
        ],
      },
      // Past the passages read for an answer: its figures may be rivals, its share never agrees.
      { share: 0.125, answer: null, figures: [{ figure: figure('£2m'), value: 0.875 }] },
    ]);
    expect(margins).toEqual({ share: 0.75, rival: 0.375 });
    expect(figureMargins(answer, [{ share: 1, answer, figures: [{ figure: answer, value: 0.5 }] }])).toEqual({ share: 1, rival: 0 });
  });

  it("are the answer's passages' ranking share and another passage's figure as a rival", async () => {
    const archive = await Archive.build([
      article('a', 'Brindle bridge opens', 'The new Brindle footbridge cost £2m to build, the council said.'),
      article('b', 'Brindle tunnel delayed', 'The Brindle road tunnel will cost £5m to build, the council said.'),
      article('c', 'Harwick fete', 'The Harwick fete raised money for the church roof.'),
    ]);
    const ranking = rankPassages(archive, 'How much did the new Brindle footbridge cost to build?', 5);
    const candidate = directCandidate(ranking, archive, showingEveryAnswer());
    expect(candidate?.text).toBe('£2m');
    const [first, second] = ranking.passages;
    expect(first?.passage.passage.text).toContain('£2m');
    expect(second?.passage.passage.text).toContain('£5m');
    const scores = ranking.passages.slice(0, 5).map((p) => p.score);
    const top = Math.max(...scores);
    const share = Math.exp((first?.score ?? 0) - top) / scores.reduce((sum, s) => sum + Math.exp(s - top), 0);
    expect(candidate?.features.topShare).toBe(share);
    const rival = second ? figureOffers(ranking.query, second, ranking.params) : [];
    expect(rival.map((o) => o.text)).toEqual(['£5m']);
    expect(candidate?.features.rival).toBe(rival[0]?.value);
    expect(candidate?.features.rival).toBeGreaterThan(0);
  });
});

describe('answerability', () => {
  it('measures the best article and passage against the question, each feature in [0, 1]', () => {
    const features = answerabilityFeatures(rankPassages(seeds, 'Who is blamed by Assad for the drug trade?', 5), seeds);
    expect(features).not.toBeNull();
    for (const name of ANSWERABILITY_FEATURES) {
      expect(features?.[name]).toBeGreaterThanOrEqual(0);
      expect(features?.[name]).toBeLessThanOrEqual(1);
    }
    expect(features?.knownShare).toBe(1);
    expect(features?.essentialMissing).toBe(0);
  });

  it('weighs the wanted figure only for a figure question: near the terms, or absent from the best passages', async () => {
    const archive = await Archive.build([
      article('a', 'Rovers sign striker', 'Rovers have signed striker Tom Smith from United.', 'Smith said he was delighted.'),
      article('b', 'City sell keeper', 'City sold keeper Jon Dale to Town for £2m.', 'Dale joined City in 2019.'),
    ]);
    const pick = (question: string): number[] | undefined => {
      const f = answerabilityFeatures(rankPassages(archive, question, 5), archive);
      return f === null ? undefined : [f.wantsFigure, f.figureNear > 0 ? 1 : 0, f.figureAbsent];
    };
    expect(pick('How much did Rovers pay for Tom Smith?')).toEqual([1, 0, 1]);
    expect(pick('How much did Town pay City for keeper Jon Dale?')).toEqual([1, 1, 0]);
    expect(pick('Who did Rovers sign from United?')).toEqual([0, 0, 0]);
  });

  it('counts rare words the best article and passage share with the question beyond chance, and common ones not', async () => {
    const towns = ['Alford', 'Brigg', 'Caistor', 'Epworth', 'Horncastle', 'Louth'];
    const archive = await Archive.build(
      towns.map((town, i) =>
        article(
          `t${i}`,
          `${town} council meets`,
          i === 0
            ? `${town} council said the lighthouse keeper would retire in spring.`
            : `${town} council said the budget would rise in spring.`,
          `The council said more on Tuesday.`,
        ),
      ),
    );
    const features = (question: string) => answerabilityFeatures(rankPassages(archive, question, 5), archive);
    const rare = features('When will the lighthouse keeper retire?');
    const common = features('What did the council say in spring?');
    expect(rare?.articleSurprise).toBeGreaterThan(0);
    expect(common?.articleSurprise).toBe(0);
    expect(rare?.passageEvidence).toBeGreaterThan(0);
    expect(common?.passageEvidence).toBe(0);
    // One article: which article holds the words tells nothing.
    expect(answerabilityFeatures(rankPassages(seeds, 'Who is blamed by Assad for the drug trade?', 5), seeds)?.articleSurprise).toBe(0);
  });

  it('takes the best passage over its article for concentration, in [0, 1], and 0 for an article holding none of the question', () => {
    expect(concentrationOf(0.3, 0.6)).toBe(0.5);
    expect(concentrationOf(0.6, 0.6)).toBe(1);
    expect(concentrationOf(0.7, 0.6)).toBe(1);
    expect(concentrationOf(0, 0)).toBe(0);
  });

  it("says whether the best article's title holds the question, and its one paragraph or several", async () => {
    const archive = await Archive.build([
      article(
        'a',
        'Lighthouse keeper retires',
        'The lighthouse keeper at Alford retires in spring after forty years.',
        'The harbour board thanked him.',
      ),
      article(
        'b',
        'Harbour board meets',
        'The harbour board met on Tuesday.',
        'Forty boats moored at Brigg.',
        'A ferry sailed from Caistor.',
      ),
      article('c', 'Town budget rises', 'The town budget rises in spring.', 'The council met on Monday.'),
    ]);
    const features = (question: string) => answerabilityFeatures(rankPassages(archive, question, 5), archive);
    const keeper = features('When does the lighthouse keeper retire?');
    expect(keeper?.titleCoverage).toBe(1);
    expect(keeper?.concentration).toBe(1);
    const scattered = features('Did the ferry from Caistor pass boats moored at Brigg?');
    expect(scattered?.titleCoverage).toBe(0);
    // The harbour story holds five of the six terms, three (boats, moored, Brigg) in one paragraph and two in the next: 0.5 / (5/6).
    expect(scattered?.concentration).toBeCloseTo(0.6, 12);
  });

  it('declines by the model, naming what no article has', () => {
    const strict: AnswerModels = { ...ANSWER_MODELS, answerable: { ...ANSWER_MODELS.answerable, threshold: 1.01 } };
    const answer = answerQuestion(seeds, 'Who is blamed by Assad for the drug trade?', { models: strict });
    expect(answer.answered).toBe(false);
    expect(answer.reason).toBe('No passage answers the question closely enough.');
    expect(answer.closest.map((a) => a.articleId)).toEqual(['000_ebfcda1f30342ff9']);
  });

  it("names the words the closest article lacks as its own, not the archive's, when others have them", async () => {
    const archive = await Archive.build([
      article('a', 'Harbour wall repairs', 'The harbour wall in Alford was repaired after the winter storms.'),
      article('b', 'Fete opens', 'The summer fete will open at noon on the village green.'),
    ]);
    const strict: AnswerModels = { ...ANSWER_MODELS, answerable: { ...ANSWER_MODELS.answerable, threshold: 1.01 } };
    const answer = answerQuestion(archive, 'When will the Alford harbour wall open?', { models: strict });
    expect(answer.answered).toBe(false);
    expect(answer.reason).toBe('The closest article doesn\'t mention "open".');
    expect(answer.closest.map((a) => a.articleId)).toEqual(['a', 'b']);
  });
});

describe('the figure-given features', () => {
  /** Four passages: a term in one of them weighs ln(1 + 3.5 / 1.5), BM25's idf, and one chance match ln 4. */
  const harbours = () =>
    Archive.build([
      article(
        'a',
        'Harbour crane',
        'The Ousby harbour board bought a new crane on Monday after a long search.',
        'The deal was signed in the spring. It cost £2m, the treasurer said.',
      ),
      article(
        'b',
        'Mooring fees',
        'Mooring fees at Alford rose to £40 a night this summer.',
        'Boat owners said they would sail elsewhere.',
      ),
    ]);
  const rare = Math.log(1 + 3.5 / 1.5);

  it('say whether the figure comes from a passage below the best, and how much of the question its sentence holds beyond chance', async () => {
    const archive = await harbours();
    const features = (question: string) => {
      const ranking = rankPassages(archive, question, 5);
      const candidate = directCandidate(ranking, archive, showingEveryAnswer());
      const given = givenFeatures(ranking, archive, candidate);
      return [candidate?.text, candidate?.rank, given?.answerBelowBest, given?.figureEvidence];
    };
    // The best passage is the crane's purchase, with no figure; the next gives the cost in a
    // sentence that holds none of the question's words.
    expect(features('How much did the Ousby harbour board pay for the new crane?')).toEqual(['£2m', 1, 1, 0]);
    // "mooring" and "fees" are in the figure's sentence, "quay" in no passage: two rare words, less one chance match.
    expect(features('How much are the mooring fees at the quay?')).toEqual(['£40 a night', 0, 0, (2 * rare - Math.log(4)) / Math.log(4)]);
  });

  it('are 0 without a figure on offer', async () => {
    const archive = await harbours();
    const given = givenFeatures(rankPassages(archive, 'How much are the mooring fees at the quay?', 5), archive, null);
    expect([given?.answerBelowBest, given?.figureEvidence]).toEqual([0, 0]);
  });

  it('weigh a sentence by the question terms it holds, and count evidence from one chance match up to twice that', async () => {
    const archive = await harbours();
    const ranking = rankPassages(archive, 'How much are the mooring fees at the quay?', 5);
    const best = ranking.passages[0]?.passage;
    expect(best?.passage.text).toBe('Mooring fees at Alford rose to £40 a night this summer.');
    if (best === undefined) return;
    expect(sentenceWeight(ranking.query, best, 0)).toBe(2 * rare);
    expect(sentenceWeight(ranking.query, best, -1)).toBe(0);
    expect(evidenceBeyondChance(Math.log(4), 4)).toBe(0);
    expect(evidenceBeyondChance(1.5 * Math.log(4), 4)).toBeCloseTo(0.5, 12);
    expect(evidenceBeyondChance(3 * Math.log(4), 4)).toBe(1);
    // An archive of one passage counts as two: ln 1 would divide by 0.
    expect(evidenceBeyondChance(Math.log(2), 1)).toBe(0);
  });
});

describe('a figure the articles do not give', () => {
  /** A story of a signing that gives no fee, with a second paragraph. */
  const rovers = (second: string) =>
    Archive.build([article('a', 'Rovers sign striker', 'Rovers have signed striker Tom Smith from United on a long contract.', second)]);
  /** The gate open, and a figure-given model that doubts every figure. */
  const DOUBTING: AnswerModels = { ...showingEveryAnswer(), figureGiven: { ...ANSWER_MODELS.figureGiven, threshold: 1.01 } };
  it('says the topic is covered but not that figure, with no bold answer, and still shows the passages', async () => {
    const archive = await rovers('Smith said he was delighted.');
    const answer = answerQuestion(archive, 'How much did Rovers pay for striker Tom Smith?');
    expect(answer.answered).toBe(true);
    expect(answer.answer).toBeNull();
    expect(answer.reason).toBe('The articles cover this topic, but none of the passages found gives an amount of money for it.');
    expect(answer.passages[0]?.passage.text).toBe('Rovers have signed striker Tom Smith from United on a long contract.');
  });

  it('says nothing of the kind when a passage gives such a figure', () => {
    expect(answerQuestion(seeds, 'What death toll has the Syrian war reached?').reason).toBeNull();
  });

  it('says the passages may not give it when the figure-given model doubts the figure they hold, and shows no bold answer', async () => {
    const archive = await rovers('The club made £1.2m from season tickets last summer.');
    const question = 'How much did Rovers pay for striker Tom Smith?';
    const trusting = answerQuestion(archive, question, { models: showingEveryAnswer() });
    const doubted = answerQuestion(archive, question, { models: DOUBTING });
    expect(trusting.answer).toBe('£1.2m');
    expect(trusting.reason).toBeNull();
    expect(doubted.answer).toBeNull();
    expect(doubted.reason).toBe("The articles cover this topic, but the passages found don't clearly give an amount of money for it.");
    expect(doubted.passages.map((p) => p.passage.id)).toEqual(trusting.passages.map((p) => p.passage.id));
    expect(doubted.figures.map((f) => f.text)).toEqual(['£1.2m']);
    const ranking = rankPassages(archive, question);
    expect(figureVerdict(ranking, archive, null, DOUBTING)).toBe('doubted');
    expect(figureVerdict(ranking, archive, null, showingEveryAnswer())).toBe('given');
  });

  it('doubts nothing when no passage holds a figure of the wanted kind: the answer says plainly that none is given', async () => {
    const archive = await rovers('Smith said he was delighted.');
    const ranking = rankPassages(archive, 'How much did Rovers pay for striker Tom Smith?');
    expect(holdsWantedFigure(ranking)).toBe(false);
    expect(figureVerdict(ranking, archive, null, DOUBTING)).toBe('absent');
    expect(answerQuestion(archive, 'How much did Rovers pay for striker Tom Smith?', { models: DOUBTING }).reason).toBe(
      'The articles cover this topic, but none of the passages found gives an amount of money for it.',
    );
  });

  it('doubts no figure of a question that asks for none: its name answer stands', async () => {
    const archive = await rovers('The club made £1.2m from season tickets last summer.');
    const question = 'Who did Rovers sign from United?';
    // DOUBTING doubts everything: were name questions judged by it, the name would lose its bold.
    expect(answerQuestion(archive, question, { models: showingEveryAnswer() }).answer).toBe('Tom Smith');
    const answer = answerQuestion(archive, question, { models: DOUBTING });
    expect(answer.answer).toBe('Tom Smith');
    expect(answer.reason).toBeNull();
    expect(figureVerdict(rankPassages(archive, question), archive, null, DOUBTING)).toBeNull();
  });
});

describe('namedEntities', () => {
  it('finds people and places with their character ranges', () => {
    const text = 'William II won at Hastings.';
    const entities = namedEntities(text);
    expect(entities.map((e) => [e.kind, text.slice(e.start, e.end)])).toEqual([
      ['person', 'William II'],
      ['place', 'Hastings'],
    ]);
  });
});
