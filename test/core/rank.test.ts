import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/core/articles.ts';
import { Archive } from '../../src/core/archive.ts';
import { answerQuestion } from '../../src/core/answer.ts';
import { showingEveryAnswer } from '../../src/core/answer-confidence.ts';
import { analyseQuestion } from '../../src/core/question-analysis.ts';
import { LIGHT_VERB, SURFACE, countedPhrase, derivedForms, resolveQuery, surfaceForm } from '../../src/core/rank-query.ts';
import { rankPassages } from '../../src/core/rank.ts';

const article = (id: string, title: string, ...paragraphs: string[]) => parseArticle(`${id}.txt`, `${title}\n\n${paragraphs.join('\n\n')}`);
const build = (...articles: ReturnType<typeof article>[]): Promise<Archive> => Archive.build(articles);
/** The direct-answer gate open: these tests check which answer extraction picks. */
const extraction = { models: showingEveryAnswer() };

describe('rankPassages: the answer beside the question', () => {
  it("puts a passage holding a figure of the wanted kind beside the question's terms above one that only repeats the story", async () => {
    const archive = await build(
      article(
        'a',
        'Ashworth gives Greens £2m',
        'Science minister Lord Ashworth has made a £2m donation to the Green Party for its election fund.',
        'It is the latest donation by the billionaire, who has given more than £10m in total since 2001.',
      ),
      article('b', 'Parties count their funds', 'The Green Party and the Conservatives have both reported higher donations this year.'),
    );
    const ranking = rankPassages(archive, 'How much has Lord Ashworth given the Green Party in total since 2001?');
    const [first, second] = ranking.passages;
    expect(first?.passage.passage.id).toBe('a#2.0');
    expect(second?.passage.passage.id).toBe('a#1.0');
    // Both hold money beside the story's names; only one beside "in total since 2001".
    expect(first?.features.figureNear).toBeGreaterThan(second?.features.figureNear ?? 1);
    expect(answerQuestion(archive, 'How much has Lord Ashworth given the Green Party in total since 2001?').answer).toBe('more than £10m');
  });

  it("offers the name the question's terms surround, and the gate withholds one they do not", async () => {
    const archive = await build(
      article(
        'a',
        'Hain attacked over council tax',
        'Peter Hain said council tax would go on rising.',
        'The chairman of the Northern Housing Rights Forum, Dariusz Kowalczyk, said the forum attacked Peter Hain over council tax.',
        'Rights groups in Leeds were also critical.',
      ),
    );
    expect(
      answerQuestion(archive, 'Who chairs the Northern Housing Rights Forum that attacked Peter Hain over council tax?', extraction).answer,
    ).toBe('Dariusz Kowalczyk');
    // Extraction offers the only name near (a place, for "who"); the committed gate does not show it.
    expect(answerQuestion(archive, 'Who was critical of the rights groups?', extraction).answer).toBe('Leeds');
    expect(answerQuestion(archive, 'Who was critical of the rights groups?').answer).toBeNull();
  });

  it('takes a qualifier of the noun a "what kind of" question asks about as its answer', async () => {
    const archive = await build(
      article(
        'a',
        'Gothic architecture',
        'Gothic architecture spread to England and Italy, where arches and spires were built.',
        'Gothic architecture was characterised by pointed arches and tall windows.',
      ),
    );
    expect(rankPassages(archive, 'What kind of arches is Gothic architecture known for?').passages[0]?.passage.passage.id).toBe('a#2.0');
  });

  it('ranks an article lacking a name the question gives below one that has it, whatever figures it holds', async () => {
    const archive = await build(
      article('a', 'Rovers sign striker', 'Rovers have signed a striker for a fee of £3m.'),
      article('b', 'United sign striker', 'United have signed a striker for a fee of £5m, the club said on Monday.'),
    );
    expect(rankPassages(archive, 'How much did Rovers pay for the striker?').passages[0]?.passage.article).toBe(0);
  });
});

describe("rankPassages: the question's own numbers", () => {
  it('puts a passage that repeats a number the question states as a detail above one with another', async () => {
    const archive = await build(
      article(
        'a',
        'Texas and the Union',
        'The Land Act of 1839 was passed by the State Legislature and signed by the governor.',
        'Instead, the Settlement of 1845 was passed, and Texas joined the Union as a state.',
      ),
    );
    const ranking = rankPassages(archive, 'Which act did lawmakers pass in 1845?');
    expect(ranking.passages[0]?.passage.passage.id).toBe('a#2.0');
  });

  it("answers with a count of another noun that shares a value with the question's count", async () => {
    const archive = await build(
      article('a', 'Trains collide near Leeds', 'Two people were hurt when 2 trains collided near Leeds on Sunday, police said.'),
    );
    expect(answerQuestion(archive, 'How many people were hurt when 2 trains collided near Leeds?', extraction).answer).toBe('Two people');
    // The question's own count is still context, not the answer, though nothing names what is counted.
    expect(answerQuestion(archive, 'How many were hurt when 2 trains collided near Leeds?', extraction).answer).toBe('Two people');
  });

  it('never answers with a sum the question states without its currency', async () => {
    const archive = await build(
      article('a', 'Port grant cut', 'The council had asked for £40m from the harbour fund but in the end was granted £15m.'),
    );
    const answer = answerQuestion(archive, 'how much did the council get from the harbour fund, not the 40m it asked for', extraction);
    expect(answer.answer).toBe('£15m');
    // Without that, the sum asked for is the better fit: it stands beside "asked for" and "fund".
    expect(answerQuestion(archive, 'how much did the council ask for from the harbour fund', extraction).answer).toBe('£40m');
  });
});

describe('resolveQuery', () => {
  it("lets a name's initials stand for it when the archive writes them as a name", async () => {
    const archive = await build(
      article(
        'a',
        'Commission attacks minister',
        'NHRF chairman Dariusz Kowalczyk accused the minister.',
        'The NHRF said it would appeal.',
      ),
    );
    const query = resolveQuery(archive, analyseQuestion('Who chairs the Northern Housing Rights Forum?'));
    const name = query.terms.find((t) => t.word === 'Northern Housing Rights Forum');
    expect(name?.essential).toBe(true);
    expect([...(name?.variants.keys() ?? [])]).toContain(archive.termId('nhrf'));
  });

  it('takes what "how many" counts from its noun phrase, not from the verb after it', async () => {
    const archive = await build(article('a', 'Poll', 'Just under 4,000 votes went to the party.'));
    const counted = (question: string): string[] => [...resolveQuery(archive, analyseQuestion(question)).countedHead];
    expect(counted('How many farmers voted for the party?')).toEqual(['farmer']);
    expect(counted('How many Welsh rugby league caps did he win?')).toEqual(['welsh', 'rugbi', 'leagu', 'cap']);
    expect(counted('How many times did the club win?')).toEqual(['time']);
    expect(countedPhrase('how many ferries really need to be repaired')).toBe('ferries');
    expect(countedPhrase('how many royal family members attended the wedding')).toBe('royal family members');
    expect(countedPhrase('how many hospital beds were closed')).toBe('hospital beds');
    expect(countedPhrase('how many new seed banks opened')).toBe('new seed banks');
    // Ranking still weighs the verb's noun: a passage of votes bears on the question.
    expect([...resolveQuery(archive, analyseQuestion('How many farmers voted for the party?')).countedNouns]).toContain('vote');
  });

  it('answers "how many" with a count of what it asks to count, not of its verb\'s noun', async () => {
    const archive = await build(
      article('a', 'Poll', 'The party won 4,000 votes from farmers in the valley, and 1,500 farmers took part in all.'),
    );
    expect(answerQuestion(archive, 'How many farmers voted for the party?', extraction).answer).toBe('1,500 farmers');
  });

  it('answers "how many" with a count of what it asks to count before a bare number nearer its words', async () => {
    const archive = await build(
      article('a', 'Virus', 'The virus hit 98 in its first week and 4,000 laptops by the end of the month, the firm said.'),
    );
    expect(answerQuestion(archive, 'How many laptops did the virus hit?', extraction).answer).toBe('4,000 laptops');
  });
});

describe('nameAnswer', () => {
  it('offers no name for a figure question or one that does not ask for a name', async () => {
    const archive = await build(article('a', 'Rovers sign striker', 'Rovers have signed Tom Smith for a fee of £3m.'));
    expect(answerQuestion(archive, 'How much did Rovers pay for Tom Smith?', extraction).answer).toBe('£3m');
    expect(answerQuestion(archive, 'Why did Rovers sign a striker?', extraction).answer).toBeNull();
  });

  it("offers a name absent from the question, not the question's own", async () => {
    const archive = await build(article('a', 'Rovers sign striker', 'Rovers manager Jim Brown has signed striker Tom Smith from United.'));
    expect(answerQuestion(archive, 'Who did Rovers manager Jim Brown sign?', extraction).answer).toBe('Tom Smith');
  });
});

describe('rankPassages: one copy of a repeated passage', () => {
  it('shows a paragraph two articles share once, so the next best passage moves up', async () => {
    const story = "Tony Blair has backed Gordon Brown's spending report.";
    const archive = await build(
      article('a', 'Blair backs Brown', story, 'Labour will campaign on the economy.'),
      article('b', 'Blair backs Brown', story, 'Labour will campaign on the economy.'),
    );
    const ranking = rankPassages(archive, "Did Tony Blair back Gordon Brown's report?", 2);
    const texts = ranking.passages.map((p) => p.passage.passage.text);
    expect(texts.filter((t) => t === story)).toHaveLength(1);
    expect(new Set(texts).size).toBe(texts.length);
    expect(archive.passages.map((p) => p.original)).toEqual([0, 1, 0, 1]);
  });
});

describe('resolveQuery: forms of a word', () => {
  it('relates a noun in "-ity" to the adjective it comes from, but not a short one', () => {
    expect(derivedForms('densiti')).toEqual(['dens']);
    expect(derivedForms('citi')).toEqual([]);
    expect(derivedForms('dens')).toEqual([]);
  });

  it('finds "densely" for "density"', async () => {
    const archive = await build(article('a', 'Tasmania', 'Tasmania is the most densely wooded state.'));
    const query = resolveQuery(archive, analyseQuestion('How does Tasmania compare for forest density?'));
    const density = query.terms.find((t) => t.word === 'density');
    expect([...(density?.variants.keys() ?? [])].map((id) => archive.term(id))).toContain('dens');
  });

  it('weighs a verb that only frames the question less', async () => {
    const archive = await build(article('a', 'Boulder City', 'Boulder City is located in southern Nevada.', 'The desert town is popular.'));
    const query = resolveQuery(archive, analyseQuestion('Which region is Boulder City located in?'));
    const q = query.terms.findIndex((t) => t.word === 'located');
    const region = query.terms.find((t) => t.word === 'region');
    expect(query.terms[q]?.weight).toBeCloseTo((region?.weight ?? 0) * LIGHT_VERB.weight);
  });
});

describe("rankPassages: the question's own word", () => {
  it('compares words in lower case, folded, without a possessive', () => {
    expect(surfaceForm("Normandy's")).toBe('normandy');
    expect(surfaceForm('Crème')).toBe('creme');
    expect(surfaceForm('populated')).toBe('populated');
  });

  it("counts a word that only shares the question word's stem less than the word itself", async () => {
    const archive = await build(article('a', 'San Diego', 'The San Diego area is heavily populated.', 'San Diego has a large population.'));
    const ranking = rankPassages(archive, 'What is the population of San Diego?');
    const byId = new Map(ranking.passages.map((p) => [p.passage.passage.id, p]));
    expect(byId.get('a#2.0')?.coverage).toBeCloseTo(1);
    const populated = byId.get('a#1.0');
    expect(populated?.coverage).toBeLessThan(1);
    const population = ranking.query.terms.find((t) => t.word === 'population');
    expect(populated?.coverage).toBeCloseTo(1 - ((population?.weight ?? 0) * (1 - SURFACE.stemOnly)) / ranking.query.totalWeight);
    expect(ranking.passages[0]?.passage.passage.id).toBe('a#2.0');
  });
});

describe('figure extraction: which figure of a passage answers', () => {
  const ask = async (question: string, ...paragraphs: string[]): Promise<string | null> =>
    answerQuestion(await build(article('a', 'Story', ...paragraphs)), question, extraction).answer;

  it('offers where a change went, "from X to Y", unless the question asks where it started', async () => {
    const text = 'The water company cut its leakage rate from 30% to 18% over the winter, the regulator said.';
    expect(await ask('To what percentage did the water company cut its leakage rate?', text)).toBe('18%');
    expect(await ask('What percentage was the leakage rate of the water company before the cut?', text)).toBe('30%');
  });

  it('does not offer a length of time ago as how long something lasts', async () => {
    const text = 'The striker had an operation on his ankle six weeks ago and will miss another two months.';
    expect(await ask('How long will the ankle operation keep the striker out?', text)).toBe('two months');
  });

  it('offers a bare number after "at" as an age when the question asks one', async () => {
    const text =
      'Ms Vale worked in a farm shop, leaving it as a 16-year-old for an apprenticeship. The chain made her its head baker at 23.';
    const question = 'At what age did the chain make Ms Vale its head baker?';
    expect(await ask(question, text)).toBe('23');
    // Not a figure of the sort the list shows, it leads it all the same, cited.
    const answer = answerQuestion(await build(article('a', 'Story', text)), question, extraction);
    expect(answer.figures[0]).toMatchObject({ text: '23', citation: 1 });
  });
});

describe('figure extraction across the best passages', () => {
  it('reads the figure from the next passage when the best holds none of the sort asked for, and cites its article', async () => {
    const archive = await build(
      article(
        'a',
        'Porthcove harbour wall repairs will cost more than expected',
        'The harbour wall repairs in Porthcove will cost more than the council expected, its leader said on Monday.',
      ),
      article('b', 'Council budget', 'The council set aside £2.4m for repairs.'),
    );
    const answer = answerQuestion(archive, 'How much will the harbour wall repairs in Porthcove cost?', extraction);
    expect(answer.answer).toBe('£2.4m');
    const lead = answer.figures[0];
    expect(lead?.text).toBe('£2.4m');
    expect(answer.citations.find((c) => c.n === lead?.citation)?.articleId).toBe(archive.articles[1]?.article.id);
  });
});

describe('rankPassages: the wantedFigure feature', () => {
  it('is 1 for a passage holding a figure of a kind the question asks for and does not state, else 0', async () => {
    const archive = await build(
      article(
        'a',
        'Harbour Rovers sell their ground',
        'Harbour Rovers have agreed to sell their ground to a housing firm.',
        'The housing firm will pay £4m for the ground, the club said.',
        'Harbour Rovers were founded in 1901 and have played at the ground since.',
      ),
    );
    const features = (question: string) =>
      new Map(rankPassages(archive, question).passages.map((p) => [p.passage.passage.id, p.features.wantedFigure]));
    // Money is wanted: only the second paragraph has any; the year in the third is not money.
    expect(features('How much will the housing firm pay for the Harbour Rovers ground?')).toEqual(
      new Map([
        ['a#1.0', 0],
        ['a#2.0', 1],
        ['a#3.0', 0],
      ]),
    );
    // A question that asks for no figure: 0 everywhere.
    expect([...features('Who is buying the Harbour Rovers ground?').values()]).toEqual([0, 0, 0]);
    // A figure the question states itself is context, not an answer.
    expect(features('Will the housing firm pay £4m for the Harbour Rovers ground, and how much did the club want?').get('a#2.0')).toBe(0);
  });
});
