import { describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/core/answer.ts';
import { parseArticle } from '../../src/core/articles.ts';
import { Archive } from '../../src/core/archive.ts';
import { articlePage, figuresAbout, searchArticles } from '../../src/core/browse.ts';
import type { Reply } from '../../src/replies.ts';
import { cleanText } from '../../src/render/clean-text.ts';
import { renderReplyText } from '../../src/render/terminal.ts';

/** What a hostile file name or article smuggles in: retitle the terminal, clear it, reorder text. */
const EVIL = '\u001b]0;PWNED\u0007\u001b[2J\u009b31m\u202e';
/** Any control character but the newline, or a bidi override. */
const UNSAFE = /[^\P{Cc}\n]|[\u202a-\u202e\u2066-\u2069]/u;

async function hostileArchive(): Promise<Archive> {
  const article = parseArticle('news/rovers.md', '---\ndate: 2024-02-14\n---\nRovers signed.\n');
  return Archive.build([
    {
      ...article,
      id: `${EVIL}news/${EVIL}rovers`,
      file: `${EVIL}news/${EVIL}rovers.md`,
      title: `${EVIL}Rovers sign striker`,
      url: `https://example.com/${EVIL}`,
      source: `${EVIL}Gazette`,
      author: `${EVIL}Mara`,
      paragraphs: [`Rovers ${EVIL}signed a striker for £3m on Friday.`, `The striker ${EVIL}scored 12 goals last season.`],
    },
  ]);
}

describe('the terminal renderer', () => {
  it('the shared cleaner strips escape sequences, controls and bidi overrides, and keeps newlines', () => {
    expect(cleanText(`a${EVIL}b\nc\td`)).toBe('a]0;PWNED[2J31mb\nc d');
  });

  it('prints nothing from a hostile article or file name that could drive the terminal, in any reply', async () => {
    const archive = await hostileArchive();
    const id = archive.articles[0]?.article.id ?? '';
    const page = articlePage(archive, id);
    if (page === undefined) throw new Error('the article must load');
    const replies: Reply[] = [
      { kind: 'answer', answer: answerQuestion(archive, `How much did Rovers pay for the striker? ${EVIL}`), ephemeral: false },
      { kind: 'answer', answer: answerQuestion(archive, `Who won the ${EVIL} election?`), ephemeral: false },
      { kind: 'search', query: `striker ${EVIL}`, hits: searchArticles(archive, 'striker'), ephemeral: false },
      { kind: 'figures', result: figuresAbout(archive, `striker goals ${EVIL}`), ephemeral: false },
      { kind: 'article', page, ephemeral: false },
      {
        kind: 'reindex',
        summary: {
          added: [id],
          changed: [],
          removed: [id],
          articles: 1,
          passages: 2,
          figures: 2,
          problems: [{ file: `${EVIL}bad.txt`, reason: `the file is binary ${EVIL}` }],
          ms: 10,
          finishedAt: new Date(0),
        },
        ephemeral: true,
      },
      { kind: 'notice', tone: 'error', text: `No article matches "${EVIL}"`, ephemeral: true },
    ];
    for (const reply of replies) {
      const plain = renderReplyText(reply);
      expect(plain).toContain('PWNED');
      expect(plain).not.toMatch(UNSAFE);
      // With colour on, the only escape sequences are the renderer's own bold on and off.
      const coloured = renderReplyText(reply, { color: true }).replaceAll('\u001b[1m', '').replaceAll('\u001b[22m', '');
      expect(coloured).not.toMatch(UNSAFE);
    }
  });
});

describe('renderReplyText: search', () => {
  it('says how many word-for-word copies a hit stands for, and names them', () => {
    const hit = { key: 'k', title: 'US woman sues over cartridges', date: null, url: null, snippet: 'A woman is suing.' };
    const text = renderReplyText({
      kind: 'search',
      query: 'ink',
      ephemeral: false,
      hits: [
        { ...hit, articleId: 'tech/037', copies: ['tech/333'] },
        { ...hit, articleId: 'tech/100', copies: [] },
      ],
    });
    expect(text.split('\n').filter((l) => l.includes('id: '))).toEqual([
      '   id: tech/037 — 2 copies word for word (also tech/333)',
      '   id: tech/100',
    ]);
  });
});
