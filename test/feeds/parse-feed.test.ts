import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/core/articles.ts';
import { articleMarkdown, canonicalUrl, escapeMarkdown, slug, storyHash } from '../../src/feeds/feed-article.ts';
import { defuseMentions, extractArticleParagraphs, htmlToParagraphs } from '../../src/feeds/html-text.ts';
import { FeedParseError, parseFeed } from '../../src/feeds/parse-feed.ts';
import { rss } from './feed-server.ts';

const BASE = 'https://news.example/feed.xml';

describe('parseFeed', () => {
  it('reads RSS 2.0: guid, relative link, date, author, content:encoded, description', () => {
    const feed = parseFeed(
      rss('Harbour &amp; Coast News', [
        `<title>Port &lt;b&gt;reopens&lt;/b&gt;</title><link>/port</link><guid isPermaLink="false">p-1</guid>
         <pubDate>Mon, 06 Nov 2023 23:30:00 -0500</pubDate><dc:creator>Ana Ruiz</dc:creator>
         <description>Short.</description>
         <content:encoded><![CDATA[<p>The port reopened on <b>Tuesday</b>.</p><script>alert(1)</script><p>Ships @everyone <@123456789012345678> waited.</p>]]></content:encoded>`,
      ]),
      BASE,
    );
    expect(feed).toEqual({
      kind: 'rss',
      title: 'Harbour & Coast News',
      items: [
        {
          guid: 'p-1',
          title: 'Port reopens',
          link: 'https://news.example/port',
          date: '2023-11-07',
          author: 'Ana Ruiz',
          content: ['The port reopened on Tuesday.', 'Ships @\u2060everyone waited.'],
          summary: ['Short.'],
        },
      ],
    });
  });

  it('takes a permalink guid as the link when there is no <link>', () => {
    const feed = parseFeed(rss('T', ['<title>A</title><guid>https://news.example/a</guid>']), BASE);
    expect(feed.items[0]?.link).toBe('https://news.example/a');
  });

  it('reads Atom: alternate link, published date, html content, author name', () => {
    const feed = parseFeed(
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Valley Post</title>
       <entry><id>tag:valley,2023:1</id><title type="html">Dam &amp;amp; river</title>
       <link rel="self" href="https://valley.example/self"/><link rel="alternate" href="https://valley.example/dam"/>
       <published>2023-05-02T08:00:00Z</published><updated>2023-05-03T08:00:00Z</updated>
       <author><name>Li Wei</name></author>
       <summary type="text">Water levels.</summary>
       <content type="html">&lt;p&gt;The dam held.&lt;/p&gt;&lt;p&gt;Levels fell 2 metres.&lt;/p&gt;</content></entry></feed>`,
      BASE,
    );
    expect(feed).toEqual({
      kind: 'atom',
      title: 'Valley Post',
      items: [
        {
          guid: 'tag:valley,2023:1',
          title: 'Dam & river',
          link: 'https://valley.example/dam',
          date: '2023-05-02',
          author: 'Li Wei',
          content: ['The dam held.', 'Levels fell 2 metres.'],
          summary: ['Water levels.'],
        },
      ],
    });
  });

  it('reads JSON Feed 1.1', () => {
    const feed = parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'Metro Daily',
        items: [
          {
            id: 42,
            url: 'https://metro.example/rail',
            title: 'Rail fares rise',
            content_text: 'Fares rose 4%.\n\nThe change starts in May.',
            date_published: '2024-01-15T10:00:00+01:00',
            authors: [{ name: 'Sam Okoro' }],
          },
        ],
      }),
      BASE,
    );
    expect(feed).toEqual({
      kind: 'json',
      title: 'Metro Daily',
      items: [
        {
          guid: '42',
          title: 'Rail fares rise',
          link: 'https://metro.example/rail',
          date: '2024-01-15',
          author: 'Sam Okoro',
          content: ['Fares rose 4%.', 'The change starts in May.'],
          summary: [],
        },
      ],
    });
  });

  it.each([
    ['<rss version="2.0"><channel><item><title>A</title></channel></rss>', /^malformed XML at line 1: /u],
    ['{"version": "https://jsonfeed.org/version/1.1", "items": [', /^the JSON is malformed$/u],
    ['{"items": []}', /^not a JSON Feed/u],
    ['<html><body>hi</body></html>', /^neither RSS, Atom nor JSON Feed$/u],
  ])('refuses %s', (body, message) => {
    expect(() => parseFeed(body, BASE)).toThrow(FeedParseError);
    expect(() => parseFeed(body, BASE)).toThrow(message);
  });

  it('refuses an XML entity bomb', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE rss [${Array.from({ length: 30 }, (_, i) => `<!ENTITY e${i} "${'x'.repeat(10)}">`).join('')}]><rss version="2.0"><channel><title>&e1;</title></channel></rss>`;
    expect(() => parseFeed(bomb, BASE)).toThrow(FeedParseError);
  });
});

describe('html to text', () => {
  it('keeps text only, one paragraph per block', () => {
    expect(htmlToParagraphs('<div>One &amp; <i>two</i><br>three</div><ul><li>four</li><li>five</li></ul><style>p{}</style>')).toEqual([
      'One & two',
      'three',
      'four',
      'five',
    ]);
  });

  it('never lets a mention through', () => {
    expect(defuseMentions('Hi @everyone and @here, <@123456789012345678> <@&123456789012345678> <#123456789012345678>')).toBe(
      'Hi @\u2060everyone and @\u2060here,   ',
    );
  });

  it('escaped text comes back as the same words, with no tags', () => {
    const escapeHtml = (s: string): string => s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), (s) => {
        const expected = defuseMentions(s)
          // eslint-disable-next-line no-control-regex -- the same characters the cleaner drops
          .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/gu, '')
          .replace(/\s+/gu, ' ')
          .trim();
        expect(htmlToParagraphs(`<p>${escapeHtml(s)}</p>`).join(' ')).toBe(expected);
      }),
    );
  });

  it('extracts an article body from a page with Readability, and gives up on a page without one', () => {
    const sentence = 'The council said 1,200 homes were flooded after the river burst its banks on Tuesday night. ';
    const page = `<html><head><title>Floods</title></head><body><nav><a href="/">Home</a> <a href="/x">World</a></nav>
      <article><p>${sentence.repeat(3)}</p><p>${sentence.repeat(2)}</p></article><footer>© Example</footer></body></html>`;
    expect(extractArticleParagraphs(page, 'https://news.example/floods')).toEqual([sentence.repeat(3).trim(), sentence.repeat(2).trim()]);
    expect(extractArticleParagraphs('<html><body></body></html>', 'https://news.example/empty')).toBeNull();
  });
});

describe('feed articles', () => {
  it('canonical URLs drop fragments, tracking parameters and a trailing slash', () => {
    expect(canonicalUrl('https://News.Example:443/a/b/?utm_source=rss&id=2&fbclid=x#top')).toBe('https://news.example/a/b/?id=2');
    expect(canonicalUrl('https://news.example/a/b/')).toBe('https://news.example/a/b');
    expect(canonicalUrl('javascript:alert(1)')).toBeNull();
  });

  it('the story hash ignores case, punctuation and spacing', () => {
    expect(storyHash(['The port reopened.', 'Ships waited.'])).toBe(storyHash(['the port  reopened', 'ships waited!']));
    expect(storyHash(['The port reopened.'])).not.toBe(storyHash(['The port closed.']));
  });

  it('slugs are safe path segments', () => {
    expect(slug('Sky News Arabia')).toBe('sky-news-arabia');
    expect(slug('../../etc/passwd')).toBe('etc-passwd');
    expect(slug('   ')).toBe('item');
    expect(slug('Éire — Ómra')).toBe('eire-omra');
  });

  it('writes Markdown the article loader reads back as the same title, date, URL, source and text', () => {
    const text = fc
      .string({ minLength: 1, maxLength: 80 })
      .map((s) => s.replace(/\s+/gu, ' ').trim())
      .filter((s) => s.length > 0);
    fc.assert(
      fc.property(text, fc.array(text, { minLength: 1, maxLength: 4 }), (title, paragraphs) => {
        const article = parseArticle(
          'feeds/x/a.md',
          articleMarkdown({ title, date: '2023-11-06', url: 'https://news.example/a', source: 'Harbour News', author: null, paragraphs }),
        );
        expect([article.title, article.date, article.url, article.source, article.paragraphs]).toEqual([
          title,
          '2023-11-06',
          'https://news.example/a',
          'Harbour News',
          paragraphs,
        ]);
      }),
      { numRuns: 40 },
    );
  });

  it('reads back a title YAML would take for a number, a boolean or null as the text it was', () => {
    const titles = ['08', 'true', '1e3', 'null', '0x1F', '~'];
    const read = titles.map(
      (title) =>
        parseArticle(
          'feeds/x/a.md',
          articleMarkdown({ title, date: null, url: null, source: 'Harbour News', author: null, paragraphs: ['Text.'] }),
        ).title,
    );
    expect(read).toEqual(titles);
  });

  it('escapes inline Markdown everywhere and block Markdown at the start of a line, nothing else', () => {
    expect(escapeMarkdown('# *a* [b](c) <d> & e_f, 3.5% - ok')).toBe('\\# \\*a\\* \\[b\\](c) \\<d\\> \\& e\\_f, 3.5% - ok');
    expect(escapeMarkdown('1. first')).toBe('1\\. first');
    expect(escapeMarkdown('---')).toBe('\\---');
  });

  it("keeps a long feed article under the loader's Markdown density limit", () => {
    const dense = Array.from({ length: 1000 }, (_, i) => `Item ${i}: *a* [b] <c> | d ~ e & f_g \\ h \`i\` (#${i}).`);
    const markdown = articleMarkdown({ title: 'Dense', date: null, url: null, source: 'Wire', author: null, paragraphs: dense });
    const article = parseArticle('feeds/wire/dense.md', markdown);
    expect(article.paragraphs.length).toBeGreaterThan(100);
    expect(article.paragraphs.length).toBeLessThan(1000);
    expect(article.paragraphs).toEqual(dense.slice(0, article.paragraphs.length));
  });
});
