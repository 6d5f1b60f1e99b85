import { describe, expect, it } from 'vitest';
import { ArticleError, articleIdFor, parseArticle, splitParagraphs, titleFromBody } from '../../src/core/articles.ts';

describe('parseArticle', () => {
  it('reads the seed format: a date, then the body on the same line, paragraphs split by blank lines', () => {
    const article = parseArticle(
      '000_seed.txt',
      ' date 2023-11-06 Syrian President Bashar Assad has accused Turkey of being responsible for the recent surge in violence in Syria. He spoke on TV.\n\nAssad, backed by Russia and Iran, has reclaimed most of the territory.\n',
    );
    expect(article).toMatchObject({
      id: '000_seed',
      format: 'seed',
      date: '2023-11-06',
      title: 'Syrian President Bashar Assad has accused Turkey of being responsible for the recent surge in…',
      url: null,
      paragraphs: [
        'Syrian President Bashar Assad has accused Turkey of being responsible for the recent surge in violence in Syria. He spoke on TV.',
        'Assad, backed by Russia and Iran, has reclaimed most of the territory.',
      ],
    });
  });

  it('reads the headline format: headline on line 1, then paragraphs, no date', () => {
    const article = parseArticle(
      'business/001.txt',
      'Ad sales boost Time Warner profit\n\nQuarterly profits at US media giant TimeWarner jumped 76%.\n\nThe firm benefited from sales.\n',
    );
    expect(article).toMatchObject({
      id: 'business/001',
      format: 'headline',
      title: 'Ad sales boost Time Warner profit',
      date: null,
      paragraphs: ['Quarterly profits at US media giant TimeWarner jumped 76%.', 'The firm benefited from sales.'],
    });
  });

  it('decodes the HTML character references text saved from a web page keeps, and only terminated ones', () => {
    const article = parseArticle(
      'sport/216.txt',
      'Caf&eacute; owner fined &#163;5m\n\nThe headline read "se volvi&#243; loco" &lt;sic&gt;.\n\nAT&T and Procter &amp Gamble &#x20AC;3bn\n',
    );
    expect(article.title).toBe('Café owner fined £5m');
    expect(article.paragraphs).toEqual(['The headline read "se volvió loco" <sic>.', 'AT&T and Procter &amp Gamble €3bn']);
    // The seed format too; a Markdown file's references are its parser's to decode, as written.
    expect(parseArticle('a.txt', 'date 2023-11-06 Prices rose &#189; a point.').paragraphs).toEqual(['Prices rose ½ a point.']);
    expect(parseArticle('a.md', '# Rates\n\nUp &frac12; a point, &amp;c.').paragraphs).toEqual(['Up ½ a point, &c.']);
  });

  it('reads Markdown with front matter and strips the markup from the body', () => {
    const article = parseArticle(
      'world/summit.md',
      '---\ntitle: "Summit ends"\ndate: 2024-03-01\nurl: https://example.com/summit\nsource: Example News\nauthor: A. Writer\n---\n# Ignored heading\n\nLeaders **agreed** on [a plan](https://example.com/plan).\n\n- First point\n- Second `point`\n',
    );
    expect(article).toMatchObject({
      id: 'world/summit',
      format: 'markdown',
      title: 'Summit ends',
      date: '2024-03-01',
      url: 'https://example.com/summit',
      source: 'Example News',
      author: 'A. Writer',
      paragraphs: ['Leaders agreed on a plan.', 'First point', 'Second point'],
    });
  });

  it('reads GitHub Flavored Markdown: tables as rows of named cells, footnotes and code as passages of their own', () => {
    const article = parseArticle(
      'bridge.md',
      [
        '# Bridge reopens',
        '',
        'The bridge reopened after two years of works[^1], ~~late~~ on time and ~5% over budget.',
        '',
        '| Year | Daily crossings |',
        '| ---- | --------------: |',
        '| 2004 | 1,200 |',
        '| 2024 | |',
        '',
        'Engineers used a monitoring script during the works:',
        '',
        '```python',
        'for sensor in sensors:',
        '    print(sensor.strain)',
        '```',
        '',
        '- [x] inspected',
        '',
        '[^1]: The works began in March 2022 and cost £4m.',
      ].join('\n'),
    );
    expect(article.paragraphs).toEqual([
      'The bridge reopened after two years of works, late on time and ~5% over budget.',
      'Year: 2004, Daily crossings: 1,200.\nYear: 2024.',
      'Engineers used a monitoring script during the works:',
      'for sensor in sensors:\nprint(sensor.strain)',
      'inspected',
      'The works began in March 2022 and cost £4m.',
    ]);
  });

  it('takes a Markdown title from a leading heading when the front matter has none', () => {
    expect(parseArticle('a.md', '# Rates rise\n\nThe bank raised rates.').title).toBe('Rates rise');
  });

  it('explains each kind of bad article', () => {
    const reason = (file: string, text: string): string => {
      try {
        parseArticle(file, text);
        return 'loaded';
      } catch (error) {
        return error instanceof ArticleError ? error.message : 'other error';
      }
    };
    expect(reason('a.txt', '  \n\n ')).toBe('the file is empty');
    expect(reason('a.txt', 'date 2023-13-45 Body text.')).toBe('malformed date "2023-13-45": is not a calendar date');
    expect(reason('a.txt', 'date 2023/11/06 Body text.')).toBe('malformed date "2023/11/06": must be YYYY-MM-DD');
    expect(reason('a.txt', 'Headline only\n')).toBe('the article has no body text');
    // A whole clause with the place in the file, not js-yaml's first line cut before its excerpt.
    expect(reason('a.md', '---\ntitle: [unclosed\n---\nBody.')).toBe(
      'malformed front matter: unexpected end of the stream within a flow collection at line 3, column 1',
    );
    expect(reason('a.md', '---\ntitle: A\ndate: 2024-01-01\nsource: X\n  b: c\n---\nBody.')).toBe(
      'malformed front matter: bad indentation of a mapping entry at line 5, column 4',
    );
    expect(reason('a.md', '---\ndate: someday\n---\nBody.')).toBe('malformed date "someday": must be YYYY-MM-DD');
    expect(reason('a.md', '---\nurl: ftp://example.com/x\n---\nBody.')).toBe('malformed url "ftp://example.com/x": must be an http(s) URL');
    expect(reason('a.md', '---js\n{ title: (() => "pwned")() }\n---\nBody.')).toBe('front matter in an executable language is not allowed');
  });

  it('does not read a headline that starts with the word "date" as the seed format', () => {
    expect(parseArticle('a.txt', 'Date rape drug warning\n\nPolice warned clubbers.').format).toBe('headline');
  });
});

describe('articleIdFor', () => {
  it('is the relative path without its extension, with forward slashes', () => {
    expect(articleIdFor('business/001.txt')).toBe('business/001');
    expect(articleIdFor('world\\2024\\summit.md')).toBe('world/2024/summit');
  });
});

describe('splitParagraphs', () => {
  it('splits on blank lines and tidies spaces, keeping line breaks inside a paragraph', () => {
    expect(splitParagraphs('One  two\n\n\n - a\n - b \r\n\r\nThree')).toEqual(['One two', '- a\n- b', 'Three']);
  });
});

describe('titleFromBody', () => {
  it('is the first sentence when it is short', () => {
    expect(titleFromBody('Markets fell. Traders worried.')).toBe('Markets fell.');
  });
});

describe('front-matter dates', () => {
  const dateOf = (front: string): string => {
    try {
      return parseArticle('a.md', `---\n${front}\n---\nBody.`).date ?? 'none';
    } catch (error) {
      return error instanceof ArticleError ? error.message : 'other error';
    }
  };

  it('refuses impossible calendar dates instead of rolling them over', () => {
    expect(dateOf('date: 2023-02-30')).toBe('malformed date "2023-02-30": is not a calendar date');
    expect(dateOf('date: 2023-13-45')).toBe('malformed date "2023-13-45": is not a calendar date');
    expect(dateOf('date: 0000-00-00')).toBe('malformed date "0000-00-00": is not a calendar date');
  });

  it("keeps the article's own calendar day whatever its time zone", () => {
    expect(dateOf('date: 2023-12-31T23:30-05:00')).toBe('2023-12-31');
    expect(dateOf('date: 2024-01-01T00:30+09:00')).toBe('2024-01-01');
    expect(dateOf('date: 2024-02-29')).toBe('2024-02-29');
    expect(dateOf('date: "2024-03-01"')).toBe('2024-03-01');
  });

  it('refuses custom YAML types', () => {
    expect(dateOf('title: !!js/function "function () { return 1 }"')).toMatch(/^malformed front matter: unknown tag/u);
  });
});
