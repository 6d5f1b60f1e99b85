import { beforeAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/core/articles.ts';
import { Archive } from '../../src/core/archive.ts';
import { articleKey, articlePage, figuresAbout, findArticle, searchArticles, suggestArticles } from '../../src/core/browse.ts';
import { loadArticles } from '../../src/core/corpus.ts';

let seeds: Archive;

beforeAll(async () => {
  seeds = await Archive.build((await loadArticles('seeds')).articles);
});

describe('searchArticles', () => {
  it('lists matching articles with a one-line snippet', () => {
    const [hit] = searchArticles(seeds, 'Erdogan soft drinks');
    expect(hit).toMatchObject({ articleId: '000_ebfcda1f30342ff9', date: '2023-11-06', key: articleKey('000_ebfcda1f30342ff9') });
    expect(hit?.snippet).toMatch(/^In the interview, Assad made a pointed accusation/u);
    expect(hit?.snippet.length).toBeLessThanOrEqual(160);
  });

  it('shows a story filed twice word for word once, naming its copies', async () => {
    const body = 'A woman is suing over ink cartridges that stop working early.\n\nHer lawyers say the chips are set to fail.';
    const archive = await Archive.build([
      parseArticle('tech/037.txt', `US woman sues over cartridges\n\n${body}`),
      parseArticle('tech/100.txt', 'Printer makers face court\n\nA woman is suing over ink cartridges.\n\nThe case is new.'),
      parseArticle('tech/333.txt', `US woman sues over ink cartridges\n\n${body}`),
    ]);
    const hits = searchArticles(archive, 'woman suing ink cartridges');
    // The better-ranked copy (its title has "ink") stands for both.
    expect(hits.map((h) => [h.articleId, h.copies])).toEqual([
      ['tech/333', ['tech/037']],
      ['tech/100', []],
    ]);
  });

  it('finds nothing for words no article has', () => {
    expect(searchArticles(seeds, 'kangaroo')).toEqual([]);
  });
});

describe('figuresAbout', () => {
  it('gives the figures the best passages cite, each with its sentence and citation', () => {
    const result = figuresAbout(seeds, 'Syrian war refugees');
    expect(result.figures.map((f) => f.text).slice(0, 2)).toEqual(['more than 5 million Syrians', 'half a million people']);
    expect(result.figures[0]?.sentence).toBe(
      'The conflict has reached a stalemate in recent years, with more than 5 million Syrians seeking refuge in neighboring countries.',
    );
    expect(result.citations.map((c) => c.n)).toEqual([1]);
  });

  it('lists the timeline’s figures when only passages past the listed ones hold the series, instead of "no figures" above a chart', async () => {
    const md = (id: string, date: string | null, body: string) =>
      parseArticle(`${id}.md`, `---\ntitle: Harbour ${id}\n${date === null ? '' : `date: ${date}\n`}---\n${body}`);
    // Nine undated passages that say the topic's words over and over, with no figure: the best eight.
    const talk = ['union', 'guild', 'club', 'board', 'council', 'society', 'league', 'circle', 'forum'].map((group, i) =>
      md(
        `talk/${i}`,
        null,
        `The dredging backlog at Kessel harbour is the talk of the quays again, dredging backlog or not, say pilots at Kessel harbour. The pilots' ${group} met about the dredging backlog at Kessel harbour.`,
      ),
    );
    const update = (id: string, date: string, barges: number, month: string) =>
      md(id, date, `Elsewhere in the region, ferries ran late.\n\nAt Kessel the dredging backlog stood at ${barges} barges in ${month}.`);
    const archive = await Archive.build([
      ...talk,
      update('news/a', '2023-02-01', 40, 'February'),
      update('news/b', '2023-08-01', 55, 'August'),
      update('news/c', '2024-02-01', 30, 'February'),
    ]);
    const result = figuresAbout(archive, 'dredging backlog at Kessel harbour');
    expect(result.timeline?.points.map((p) => [p.date, p.figure.text, p.figure.citation])).toEqual([
      ['2023-02-01', '40 barges', 1],
      ['2023-08-01', '55 barges', 2],
      ['2024-02-01', '30 barges', 3],
    ]);
    expect(result.reason).toBeNull();
    expect(result.figures.map((f) => [f.text, f.citation])).toEqual([
      ['40 barges', 1],
      ['55 barges', 2],
      ['30 barges', 3],
    ]);
  });

  it('says why when the topic is not covered', () => {
    expect(figuresAbout(seeds, 'kangaroos in Tasmania')).toMatchObject({
      figures: [],
      reason: 'The articles don\'t mention "kangaroos" and "Tasmania".',
    });
  });
});

describe('articlePage and suggestions', () => {
  const long = (id: string, title: string, paragraphs: number) =>
    parseArticle(
      `${id}.txt`,
      `${title}\n\n${Array.from({ length: paragraphs }, (_, i) => `Paragraph ${i + 1} ${'tells the story further. '.repeat(20)}`).join('\n\n')}`,
    );

  it('pages a long article by whole paragraphs and clamps the page number', async () => {
    const archive = await Archive.build([long('world/long', 'A long read', 12)]);
    const first = articlePage(archive, 'world/long', 1);
    const last = articlePage(archive, 'world/long', 99);
    expect(first?.pages).toBeGreaterThan(1);
    expect(first?.paragraphs[0]?.n).toBe(1);
    expect(last?.page).toBe(first?.pages);
    expect(articlePage(archive, articleKey('world/long'))?.article.id).toBe('world/long');
    expect(articlePage(archive, 'nope')).toBeUndefined();
  });

  it('suggests at most 25 titles matching what is typed, names at most 100 characters with the date kept', async () => {
    const articles = Array.from({ length: 40 }, (_, i) =>
      parseArticle(
        `m${i}.md`,
        `---\ntitle: Markets report number ${i} ${'and a very long tail '.repeat(6)}\ndate: 2024-01-${String((i % 28) + 1).padStart(2, '0')}\n---\nBody.`,
      ),
    );
    const archive = await Archive.build(articles);
    const choices = suggestArticles(archive, 'market');
    expect(choices).toHaveLength(25);
    for (const choice of choices) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.name).toMatch(/… \(2024-01-\d\d\)$/u);
    }
    expect(suggestArticles(archive, 'm3')[0]?.value).toBe('m3');
    expect(findArticle(archive, articleKey('m7'))?.article.id).toBe('m7');
  });
});
