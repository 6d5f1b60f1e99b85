import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/core/articles.ts';
import { MAX_PASSAGE_LENGTH, buildPassages } from '../../src/core/passages.ts';

const sentence = (n: number): string => `Sentence number ${n} tells of the markets, the banks and the traders who moved them today.`;

describe('buildPassages', () => {
  it('makes one passage per short paragraph, with its article, paragraph number and offsets', () => {
    const article = parseArticle('business/001.txt', 'Headline\n\nFirst paragraph.\n\nSecond paragraph.');
    expect(buildPassages(article)).toEqual([
      { id: 'business/001#1.0', articleId: 'business/001', paragraph: 1, start: 0, end: 16, text: 'First paragraph.' },
      { id: 'business/001#2.0', articleId: 'business/001', paragraph: 2, start: 0, end: 17, text: 'Second paragraph.' },
    ]);
  });

  it('cuts a long paragraph at sentence boundaries into balanced passages of 300–700 characters', () => {
    const long = Array.from({ length: 12 }, (_, i) => sentence(i)).join(' ');
    const passages = buildPassages(parseArticle('a.txt', `Headline\n\n${long}`));
    expect(passages.length).toBe(2);
    for (const p of passages) {
      expect(p.text.length).toBeGreaterThanOrEqual(300);
      expect(p.text.length).toBeLessThanOrEqual(MAX_PASSAGE_LENGTH);
      expect(p.text.endsWith('today.')).toBe(true);
      expect(long.slice(p.start, p.end)).toBe(p.text);
    }
    expect(passages.map((p) => p.id)).toEqual(['a#1.0', 'a#1.1']);
  });

  it('never makes a passage longer than 1,000 characters, even from one endless sentence', () => {
    const endless = Array.from({ length: 300 }, (_, i) => `clause ${i}`).join(', ');
    const passages = buildPassages(parseArticle('a.txt', `Headline\n\n${endless}.`));
    expect(passages.length).toBeGreaterThan(2);
    for (const p of passages) expect(p.text.length).toBeLessThanOrEqual(1000);
  });

  it('keeps every passage an exact slice of its paragraph, and covers all its words, for any paragraph', () => {
    const word = fc.constantFrom('Markets', 'fell', '2.5%.', 'Mr.', 'Smith', 'said:', '"No.', 'Never."', 'U.S.', 'rates', 'rose.', '...');
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 400 }), (words) => {
        const paragraph = words.join(' ');
        const article = parseArticle('p.txt', `Headline\n\n${paragraph}`);
        const passages = buildPassages(article);
        const body = article.paragraphs[0] ?? '';
        for (const p of passages) {
          expect(body.slice(p.start, p.end)).toBe(p.text);
          expect(p.text.length).toBeLessThanOrEqual(1000);
        }
        expect(
          passages
            .map((p) => p.text)
            .join(' ')
            .replace(/\s/gu, ''),
        ).toBe(body.replace(/\s/gu, ''));
      }),
    );
  });
});
