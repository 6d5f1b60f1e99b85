import { ButtonStyle, ComponentType, MessageFlags, type APIEmbed } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Timeline } from '../../src/core/timeline.ts';
import type { Answer, Article, Citation, CitedFigure, RankedPassage } from '../../src/core/types.ts';
import { embedLength } from '../../src/render/discord/embeds.ts';
import { escapeText, neutraliseMentions, safeUrl } from '../../src/render/discord/escaping.ts';
import { LIMITS, fitEntries, fitLine, fitPlain, type Line } from '../../src/render/discord/fitting.ts';
import {
  buttonRows,
  highlightSegments,
  renderChoices,
  renderError,
  renderProgress,
  renderReply,
  type DiscordPayload,
} from '../../src/render/discord/replies.ts';
import type { Reply } from '../../src/replies.ts';

const ZWSP = '\u200b';

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const citation = (n: number, over: Partial<Citation> = {}): Citation => ({
  n,
  articleId: `world/00${n}`,
  title: `Title ${n}`,
  date: '2017-01-05',
  url: null,
  source: null,
  ...over,
});

const passage = (text: string, over: Partial<RankedPassage> = {}): RankedPassage => ({
  rank: 1,
  citation: 1,
  passage: { id: 'world/001#1.0', articleId: 'world/001', paragraph: 1, start: 0, end: text.length, text },
  title: 'Title 1',
  date: '2017-01-05',
  score: 1,
  highlights: [],
  ...over,
});

const figure = (text: string, sentence: string, n = 1): CitedFigure => ({
  text,
  start: 0,
  end: text.length,
  value: 1,
  unit: null,
  kind: 'count',
  passageId: 'world/001#1.0',
  articleId: 'world/001',
  paragraph: 1,
  sentence,
  citation: n,
});

const answer = (over: Partial<Answer> = {}): Answer => ({
  question: 'How many people died?',
  answered: true,
  answer: null,
  passages: [],
  morePassages: false,
  figures: [],
  citations: [],
  closest: [],
  reason: null,
  wanted: [],
  ...over,
});

const article = (over: Partial<Article> = {}): Article => ({
  id: 'world/001',
  file: 'world/001.md',
  format: 'markdown',
  title: 'Floods in the north',
  date: '2017-01-05',
  url: null,
  source: null,
  author: null,
  paragraphs: [],
  hash: 'h',
  ...over,
});

const embedOf = (payload: DiscordPayload): APIEmbed => {
  expect(payload.embeds).toHaveLength(1);
  const [embed] = payload.embeds;
  if (!embed) throw new Error('no embed');
  return embed;
};

// ---------------------------------------------------------------------------------------------
// Invariants every payload must satisfy
// ---------------------------------------------------------------------------------------------

/** The texts Discord reads as Markdown (footers and labels are shown as they are). */
function markdownOf(payload: DiscordPayload): string[] {
  const texts = payload.content === undefined ? [] : [payload.content];
  for (const e of payload.embeds) {
    texts.push(e.title ?? '', e.description ?? '');
    for (const f of e.fields ?? []) texts.push(f.name, f.value);
  }
  return texts;
}

function textsOf(payload: DiscordPayload): string[] {
  return [...markdownOf(payload), ...payload.embeds.map((e) => e.footer?.text ?? '')];
}

/** Every Discord limit the renderer promises. */
function limitProblems(payload: DiscordPayload): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) problems.push(what);
  };
  check(JSON.stringify(payload.allowedMentions) === '{"parse":[]}', 'allowedMentions must be { parse: [] }');
  if (payload.content !== undefined)
    check(payload.content.length >= 1 && payload.content.length <= LIMITS.content, `content ${payload.content.length}`);
  check(payload.content !== undefined || payload.embeds.length > 0, 'empty message');
  let total = 0;
  for (const e of payload.embeds) {
    total += embedLength(e);
    check((e.title?.length ?? 0) <= LIMITS.title, `title ${e.title?.length}`);
    if (e.description !== undefined)
      check(e.description.length >= 1 && e.description.length <= LIMITS.description, `description ${e.description.length}`);
    check((e.footer?.text.length ?? 0) <= LIMITS.footer, 'footer');
    check((e.fields?.length ?? 0) <= LIMITS.fields, 'fields');
    for (const f of e.fields ?? []) {
      check(f.name.length >= 1 && f.name.length <= LIMITS.fieldName, `field name ${f.name.length}`);
      check(f.value.length >= 1 && f.value.length <= LIMITS.fieldValue, `field value ${f.value.length}`);
    }
    check(e.title !== undefined || e.description !== undefined || (e.fields?.length ?? 0) > 0, 'empty embed');
  }
  check(total <= LIMITS.embedTotal, `embeds total ${total}`);
  check(payload.components.length <= LIMITS.rows, 'rows');
  for (const row of payload.components) {
    check(row.components.length >= 1 && row.components.length <= LIMITS.buttonsPerRow, 'buttons per row');
    for (const b of row.components) {
      check(b.custom_id.length >= 1 && b.custom_id.length <= LIMITS.customId, 'custom_id');
      check((b.label?.length ?? 0) >= 1 && (b.label?.length ?? 0) <= LIMITS.buttonLabel, 'label');
    }
  }
  for (const t of textsOf(payload)) check(!/\p{Cs}/u.test(t), 'lone surrogate');
  for (const t of markdownOf(payload)) check(!/(?<!\\)(?:\\\\)*\\$/u.test(t), 'Markdown ends in a lone backslash');
  return problems;
}

/** Mention syntax Discord would render or ping. */
const MENTION = /<@!?&?\d+>|<#\d+>|@everyone|@here|<\/|<a?:\w|<t:/u;

/** Special characters not escaped by a backslash (escape pairs skipped). */
function unescapedSpecials(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (c === '\\') i += 1;
    else if ('*_~|`[]'.includes(c)) found.push(c);
  }
  return found;
}

/** What Discord shows for escaped text: escapes resolved, our zero-width spaces gone. */
function unescape(text: string): string {
  return text.replace(/\\(.)/gsu, '$1').replaceAll(ZWSP, '');
}

// Pieces that try to format, ping, link, hide or break things.
const HOSTILE = [
  '@everyone', '@here', '<@123456789012345678>', '<@!123456789012345678>', '<@&123456789012345678>', '<#123456789012345678>',
  '</ask:1>', '<t:1700000000:R>', '<:e:1>', '<a:e:1>', '**', '*', '_', '__', '~~', '~', '||', '|', '`', '```', '\\', '\\*',
  '[x](http://evil)', '[', ']', '(', ')', '# ', '## ', '-# ', '> ', '>>> ', '- ', '1. ', '\n', '\t', ' ', '  ', 'word', 'Syria',
  'https://example.com/a_b*c', '\u200b', '\u200d', '\u202e', '\u2066', '\ufeff', '\u0000', '\u001b[31m', '😀', 'é', '\ud83d',
]; // prettier-ignore

const hostile = (maxLength = 40): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
      ),
      { maxLength },
    )
    .map((parts) => parts.join(''));

/**
 * Sometimes huge: a hostile string repeated up to 300 times, up to ~30,000 characters, past every
 * Discord limit (6,000 an embed) several times over. Longer inputs took seconds and found nothing more.
 */
const sometimesHuge = fc.oneof(
  hostile(),
  fc.tuple(hostile(12), fc.integer({ min: 1, max: 300 })).map(([s, n]) => s.repeat(n)),
);
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null });
const url = fc.oneof(
  fc.constant(null),
  fc.webUrl(),
  hostile(10),
  fc.webUrl().map((u) => `${u}/${'x_(y)'.repeat(600)}`),
);

const citationArb = fc.record({
  n: fc.integer({ min: 1, max: 999 }),
  articleId: hostile(6),
  title: sometimesHuge,
  date: maybe(hostile(4)),
  url,
  source: maybe(hostile(4)),
});
const spanArb = fc.record({ start: fc.integer({ min: -5, max: 3000 }), end: fc.integer({ min: -5, max: 3000 }) });
const passageArb = fc.record({
  rank: fc.nat(5),
  citation: fc.integer({ min: 1, max: 99 }),
  passage: fc.record({
    id: fc.constant('a#1.0'),
    articleId: hostile(5),
    paragraph: fc.nat(50),
    start: fc.constant(0),
    end: fc.constant(0),
    text: sometimesHuge,
  }),
  title: hostile(5),
  date: maybe(hostile(3)),
  score: fc.double({ noNaN: true }),
  highlights: fc.array(spanArb, { maxLength: 30 }),
});
const figureArb = fc
  .record({ text: hostile(6), sentence: sometimesHuge, citation: fc.integer({ min: 1, max: 99 }) })
  .map((f) => figure(f.text, f.sentence, f.citation));
const manyFigures = fc.oneof(
  fc.array(figureArb, { maxLength: 8 }),
  fc
    .tuple(figureArb, fc.integer({ min: 0, max: 1000 }))
    .map(([f, n]) => Array.from({ length: n }, (_, i) => ({ ...f, text: `${f.text}${i}` }))),
);
/** A timeline of the first figures (the renderer takes what it is given; the core caps it at 12), the first two disputed. */
const timelineOf = (figures: readonly CitedFigure[]): Timeline => {
  // Every other point dated by its sentence, a year before its article, so the 'reported' note shows too.
  const points = figures.slice(0, 40).map((f, i) => {
    const year = 2010 + (i % 80);
    return { date: `${year}-01-01`, when: String(year), articleDate: `${year + (i % 2)}-01-01`, value: i, figure: f };
  });
  return {
    kind: 'count',
    unit: figures[0]?.text ?? null,
    currency: null,
    points,
    disagreements: [{ date: '2010-01-01', points: points.slice(0, 2) }],
  };
};
const refArb = fc.record({ articleId: hostile(5), title: sometimesHuge, date: maybe(hostile(3)), url });

const answerArb: fc.Arbitrary<Answer> = fc.record({
  question: sometimesHuge,
  answered: fc.boolean(),
  answer: maybe(sometimesHuge),
  passages: fc.array(passageArb, { maxLength: 4 }),
  morePassages: fc.boolean(),
  figures: manyFigures,
  citations: fc.array(citationArb, { maxLength: 30 }),
  closest: fc.array(refArb, { maxLength: 12 }),
  reason: maybe(sometimesHuge),
  wanted: fc.constant([]),
});

const buttonArb = fc.record({ label: sometimesHuge, customId: fc.string({ minLength: 0, maxLength: 120 }), disabled: fc.boolean() });
const withReplyFields = fc.record({ ephemeral: fc.boolean(), buttons: fc.array(buttonArb, { maxLength: 40 }) });

const replyArb: fc.Arbitrary<Reply> = fc.oneof(
  fc.tuple(answerArb, withReplyFields).map(([a, r]): Reply => ({ kind: 'answer', answer: a, ...r })),
  fc
    .tuple(
      sometimesHuge,
      fc.array(
        fc.record({
          articleId: hostile(6),
          key: hostile(3),
          title: sometimesHuge,
          date: maybe(hostile(3)),
          url,
          snippet: sometimesHuge,
          copies: fc.array(hostile(6), { maxLength: 8 }),
        }),
        { maxLength: 12 },
      ),
      withReplyFields,
    )
    .map(([query, hits, r]): Reply => ({ kind: 'search', query, hits, ...r })),
  fc
    .tuple(sometimesHuge, manyFigures, fc.array(citationArb, { maxLength: 30 }), maybe(sometimesHuge), withReplyFields, fc.boolean())
    .map(([topic, figures, citations, reason, r, withTimeline]): Reply => ({
      kind: 'figures',
      result: { topic, figures, citations, reason, timeline: withTimeline ? timelineOf(figures) : null },
      ...r,
    })),
  fc
    .tuple(
      fc.record({
        title: sometimesHuge,
        id: sometimesHuge,
        url,
        date: maybe(hostile(3)),
        author: maybe(sometimesHuge),
        source: maybe(hostile(5)),
      }),
      fc.array(fc.record({ n: fc.nat(99), text: sometimesHuge }), { maxLength: 12 }),
      fc.nat(9),
      fc.nat(9),
      withReplyFields,
    )
    .map(([a, paragraphs, page, pages, r]): Reply => ({
      kind: 'article',
      page: { article: article(a), key: 'k', page, pages, paragraphs },
      ...r,
    })),
  fc
    .tuple(
      fc.array(hostile(6), { maxLength: 400 }),
      fc.array(fc.record({ file: sometimesHuge, reason: sometimesHuge }), { maxLength: 60 }),
      withReplyFields,
    )
    .map(([ids, problems, r]): Reply => ({
      kind: 'reindex',
      summary: {
        added: ids,
        changed: ids.slice(1),
        removed: ids.slice(2),
        articles: 3,
        passages: 9,
        figures: 4,
        problems,
        ms: 1234.5,
        finishedAt: new Date(0),
      },
      ...r,
    })),
  fc
    .tuple(sometimesHuge, fc.constantFrom('info' as const, 'error' as const), withReplyFields)
    .map(([text, tone, r]): Reply => ({ kind: 'notice', tone, text, ...r })),
);

// ---------------------------------------------------------------------------------------------
// Escaping
// ---------------------------------------------------------------------------------------------

describe('escapeText', () => {
  it('escapes Markdown so it shows as typed', () => {
    expect(escapeText('**bold** _it_ ~~s~~ ||sp|| `c`')).toBe('\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\|\\|sp\\|\\| \\`c\\`');
  });

  it('escapes backslashes first, so an escape in the text stays literal', () => {
    expect(escapeText('\\*')).toBe('\\\\\\*');
  });

  it('escapes masked links, single pipes and tildes that escapeMarkdown leaves alone', () => {
    expect(escapeText('[x](http://evil) a|b ~c')).toBe('\\[x\\](http://evil) a\\|b \\~c');
  });

  it('escapes formatting inside URL-looking text too', () => {
    expect(escapeText('http://*italic*')).toBe('http://\\*italic\\*');
  });

  it('escapes headings, lists, subtext and quotes at the start of a line', () => {
    expect(escapeText('# h\n- item\n1. one\n-# small\n> quote')).toBe('\\# h\n\\- item\n1\\. one\n\\-# small\n\\> quote');
  });

  it('leaves line-start characters alone in text that continues a line', () => {
    expect(escapeText('-torn # 1. > x', { startsLine: false })).toBe('-torn # 1. > x');
  });

  it('breaks mentions with a zero-width space', () => {
    expect(escapeText('@everyone @here <@123> <@&4> <#5> </ask:6> <t:7>')).toBe(
      `@${ZWSP}everyone @${ZWSP}here <${ZWSP}@123> <${ZWSP}@&4> <${ZWSP}#5> <${ZWSP}/ask:6> <${ZWSP}t:7>`,
    );
  });

  it('lets channel mentions through only when asked to', () => {
    expect(escapeText('in <#123> or <@9>', { allowChannelMentions: true })).toBe(`in <#123> or <${ZWSP}@9>`);
  });

  it('removes zero-width, bidi and control characters', () => {
    expect(escapeText('a\u200bb\u202ec\u2066d\ufeffe\u0007f\u001b[0m')).toBe('abcdef\\[0m');
  });

  it('renders as the original text, for any input', () => {
    fc.assert(
      fc.property(hostile(60), (raw) => {
        const escaped = escapeText(raw);
        expect(unescapedSpecials(escaped)).toEqual([]);
        expect(escaped).not.toMatch(MENTION);
        expect(unescape(escaped)).toBe(
          raw
            .replaceAll('\t', ' ')
            .replace(
              /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]|[^\P{Cc}\n]|\p{Cs}/gu,
              '',
            ),
        );
      }),
    );
  });
});

describe('neutraliseMentions', () => {
  it('leaves e-mail addresses and ordinary angle brackets alone', () => {
    expect(neutraliseMentions('mail me@example.com if 3 < 4')).toBe('mail me@example.com if 3 < 4');
  });
});

describe('safeUrl', () => {
  it('keeps http(s) URLs and encodes characters that would end a Markdown link', () => {
    expect(safeUrl('https://example.com/a_(b)?q=@x&r=@everyone')).toBe('https://example.com/a_%28b%29?q=@x&r=%40everyone');
  });

  it('refuses other schemes, credentials and garbage', () => {
    expect([safeUrl('javascript:alert(1)'), safeUrl('https://user:pw@example.com/'), safeUrl('not a url'), safeUrl(null)]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Fitting
// ---------------------------------------------------------------------------------------------

const t = (raw: string): Line => [{ kind: 'text', raw }];

describe('fitLine', () => {
  it('keeps a line that fits as it is', () => {
    expect(fitLine(t('one two three'), 13)).toEqual({ text: 'one two three', complete: true });
  });

  it('cuts at a word boundary, with an ellipsis', () => {
    expect(fitLine(t('one two three'), 10)).toEqual({ text: 'one two…', complete: false });
  });

  it('measures after escaping and never splits an escape', () => {
    expect(fitLine(t('a_b c_d e_f'), 9)).toEqual({ text: 'a\\_b…', complete: false });
  });

  it('cuts one very long word at a character, never inside a surrogate pair', () => {
    expect(fitLine(t('😀😀😀😀'), 6)).toEqual({ text: '😀😀…', complete: false });
  });

  it('closes bold it cuts, and never cuts a link open', () => {
    const line: Line = [
      { kind: 'bold', raw: 'alpha beta gamma' },
      { kind: 'md', md: ' ' },
      { kind: 'link', raw: 'Title here', url: 'https://e.com' },
    ];
    expect(fitLine(line, 13).text).toBe('**alpha**…');
    expect(fitLine(line, 48).text).toBe('**alpha beta gamma** [Title here](https://e.com)');
    expect(fitLine(line, 31).text).toBe('**alpha beta gamma** Title here');
    expect(fitLine(line, 28).text).toBe('**alpha beta gamma** Title…');
  });

  it('shows a link’s whole text without the link when only the text fits', () => {
    expect(fitLine([{ kind: 'link', raw: 'Title here', url: 'https://example.com/long' }], 12)).toEqual({
      text: 'Title here',
      complete: true,
    });
  });

  it('never exceeds the budget and never leaves bold open, for any line and budget', () => {
    const segment = fc.oneof(
      hostile().map((raw) => ({ kind: 'text' as const, raw })),
      hostile().map((raw) => ({ kind: 'bold' as const, raw: raw.trim() })),
      hostile().map((raw) => ({ kind: 'link' as const, raw, url: 'https://e.com/x' })),
      fc.constantFrom(' [1]', '> ', '**¶2** ').map((m) => ({ kind: 'md' as const, md: m })),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), fc.integer({ min: 0, max: 300 }), (line, budget) => {
        const { text } = fitLine(
          line.map((s) => (s.kind === 'md' ? s : { ...s, raw: s.raw.replace(/\s+/gu, ' ') })),
          budget,
        );
        expect(text.length).toBeLessThanOrEqual(budget);
        const bolds = text.replace(/\\./gsu, '').match(/\*\*/gu) ?? [];
        expect(bolds.length % 2).toBe(0);
        expect(text).not.toMatch(/(?<!\\)(?:\\\\)*\\$/u);
      }),
    );
  });
});

describe('fitEntries', () => {
  const entries = ['alpha', 'beta', 'gamma', 'delta'].map((w) => [t(`${w} ${w}`)]);

  it('joins entries that fit', () => {
    expect(fitEntries(entries.slice(0, 2), 100)).toBe('alpha alpha\nbeta beta');
  });

  it('says how many entries it left out, within the budget', () => {
    const text = fitEntries(entries, 40, { more: (n) => `…and ${n} more` });
    expect(text).toBe('alpha alpha\nbeta beta\n…and 2 more');
  });

  it('drops a line rather than show a stub of a few characters', () => {
    expect(fitEntries(entries, 30)).toBe('alpha alpha\nbeta beta');
  });
});

describe('fitPlain', () => {
  it('cuts plain text at a word, without escaping it', () => {
    expect(fitPlain('page 1 of 3 · id: a_b', 14)).toBe('page 1 of 3 ·…');
  });
});

// ---------------------------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------------------------

describe('highlightSegments', () => {
  it('bolds highlight spans, trimmed of spaces and merged where they overlap', () => {
    expect(
      highlightSegments('The war in Syria', [
        { start: 3, end: 8 },
        { start: 11, end: 14 },
        { start: 13, end: 16 },
      ]),
    ).toEqual([
      { kind: 'text', raw: 'The ' },
      { kind: 'bold', raw: 'war' },
      { kind: 'text', raw: ' in ' },
      { kind: 'bold', raw: 'Syria' },
    ]);
  });

  it('ignores spans out of range and spans inside URLs', () => {
    expect(
      highlightSegments('see https://syria.example now', [
        { start: 12, end: 17 },
        { start: -1, end: 3 },
        { start: 26, end: 99 },
      ]),
    ).toEqual([{ kind: 'text', raw: 'see https://syria.example now' }]);
  });
});

describe('renderReply: answer', () => {
  it('shows the direct answer in bold, the highlighted passage, figures and linked sources', () => {
    const payload = renderReply({
      kind: 'answer',
      ephemeral: false,
      buttons: [{ label: 'Full article', customId: 'full:abc' }],
      answer: answer({
        answer: 'half a million people',
        passages: [passage('The war killed half a million people.', { highlights: [{ start: 4, end: 7 }] })],
        figures: [figure('half a million people', 'The war killed half a million people.')],
        citations: [citation(1, { title: 'War *toll*', url: 'https://news.example/war' }), citation(2, { date: null })],
      }),
    });
    expect(payload).toEqual({
      embeds: [
        {
          color: 0x3b82f6,
          title: 'How many people died?',
          description: '**half a million people** [1]\n\n> The **war** killed half a million people. [1]',
          fields: [
            { name: 'Figures', value: '• **half a million people** [1]' },
            { name: 'Sources', value: '[1] [War \\*toll\\*](https://news.example/war) — 5 Jan 2017\n[2] Title 2' },
          ],
          footer: { text: 'Quoted from the articles; [n] names the source.' },
        },
      ],
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Full article', custom_id: 'full:abc', disabled: false },
          ],
        },
      ],
      allowedMentions: { parse: [] },
    });
  });

  it('lists at most five figures and says how many more there are', () => {
    const figures = Array.from({ length: 7 }, (_, i) => figure(`${i + 1} people`, 's'));
    const embed = embedOf(renderReply({ kind: 'answer', ephemeral: false, answer: answer({ figures }) }));
    expect(embed.fields?.[0]?.value).toBe(
      '• **1 people** [1]\n• **2 people** [1]\n• **3 people** [1]\n• **4 people** [1]\n• **5 people** [1]\n…and 2 more: try /figures',
    );
  });

  it('says plainly when the articles do not answer, why, and which articles come closest', () => {
    const embed = embedOf(
      renderReply({
        kind: 'answer',
        ephemeral: true,
        answer: answer({
          answered: false,
          reason: 'The articles don\'t mention "zebra".',
          closest: [
            { articleId: 'a/1', title: 'Zoo news', date: '2020-02-02', url: 'https://zoo.example/' },
            { articleId: 'a/2', title: 'Safari', date: null, url: null },
          ],
        }),
      }),
    );
    expect(embed).toEqual({
      color: 0x9ca3af,
      title: 'How many people died?',
      description: 'The articles don’t answer this question.\n\nThe articles don\'t mention "zebra".',
      fields: [{ name: 'Closest articles', value: '• [Zoo news](https://zoo.example/) — 2 Feb 2020\n• Safari' }],
    });
  });

  it('says before the passages when the figure asked for is not in them', () => {
    const embed = embedOf(
      renderReply({
        kind: 'answer',
        ephemeral: false,
        answer: answer({
          reason: 'The articles cover this topic, but none of the passages found gives an amount of money for it.',
          passages: [passage('Rovers signed a striker.')],
        }),
      }),
    );
    expect(embed.description).toBe(
      'The articles cover this topic, but none of the passages found gives an amount of money for it.\n\n> Rovers signed a striker. [1]',
    );
  });

  it('is ephemeral when the reply is', () => {
    expect(renderReply({ kind: 'answer', ephemeral: true, answer: answer({ answered: false }) }).flags).toBe(MessageFlags.Ephemeral);
  });

  it('keeps a huge passage and thousands of figures within every limit', () => {
    const huge = 'word '.repeat(20_000);
    const payload = renderReply({
      kind: 'answer',
      ephemeral: false,
      answer: answer({
        answer: huge,
        passages: [passage(huge), passage(huge), passage(huge)],
        figures: Array.from({ length: 5000 }, (_, i) => figure(`${i} ${huge.slice(0, 400)}`, huge)),
        citations: Array.from({ length: 300 }, (_, i) =>
          citation(i + 1, { title: huge.slice(0, 1000), url: `https://e.com/${'x'.repeat(1500)}` }),
        ),
      }),
    });
    expect(limitProblems(payload)).toEqual([]);
    expect(embedOf(payload).description?.startsWith('**word word')).toBe(true);
  });
});

describe('renderReply: search', () => {
  it('shows each hit with its title, date, snippet and id', () => {
    const embed = embedOf(
      renderReply({
        kind: 'search',
        query: 'floods',
        ephemeral: false,
        hits: [
          {
            articleId: 'world/001',
            key: 'k1',
            title: 'Floods in the north',
            date: '2017-01-05',
            url: 'https://e.com/f',
            snippet: 'Rivers rose by 2 m.',
            copies: ['world/007'],
          },
          { articleId: 'world/002', key: 'k2', title: 'Dry summer', date: null, url: null, snippet: 'No *rain* at all.', copies: [] },
        ],
      }),
    );
    expect(embed.title).toBe('Articles matching “floods”');
    expect(embed.description).toBe(
      '**1.** [Floods in the north](https://e.com/f) — 5 Jan 2017\nRivers rose by 2 m.\nid: `world/001` — 2 copies word for word (also `world/007`)\n\n**2.** Dry summer\nNo \\*rain\\* at all.\nid: `world/002`',
    );
  });

  it('says when nothing matches', () => {
    expect(embedOf(renderReply({ kind: 'search', query: 'x', ephemeral: false, hits: [] })).description).toBe(
      'No articles match these words.',
    );
  });
});

describe('renderReply: figures', () => {
  it('shows each figure in its sentence with its citation, then the sources', () => {
    const embed = embedOf(
      renderReply({
        kind: 'figures',
        ephemeral: false,
        result: {
          topic: 'floods',
          reason: null,
          timeline: null,
          citations: [citation(1)],
          figures: [figure('2 m', 'Rivers rose by 2 m overnight.'), figure('3', 'Elsewhere.')],
        },
      }),
    );
    expect(embed.description).toBe('• Rivers rose by **2 m** overnight. [1]\n• **3** — Elsewhere. [1]');
    expect(embed.fields).toEqual([{ name: 'Sources', value: '[1] Title 1 — 5 Jan 2017' }]);
  });
});

describe('renderReply: article', () => {
  it('shows meta, numbered paragraphs, the page in the footer and the paging buttons', () => {
    const payload = renderReply({
      kind: 'article',
      ephemeral: true,
      page: {
        article: article({ url: 'https://e.com/a', author: 'A. Writer', source: 'Wire' }),
        key: 'k',
        page: 1,
        pages: 2,
        paragraphs: [
          { n: 1, text: 'First  paragraph.' },
          { n: 2, text: '# Not a heading' },
        ],
      },
      buttons: [
        { label: 'Previous page', customId: 'page:k:0', disabled: true },
        { label: 'Next page', customId: 'page:k:2', disabled: false },
      ],
    });
    expect(embedOf(payload)).toEqual({
      color: 0x6b7280,
      title: 'Floods in the north',
      url: 'https://e.com/a',
      description: '2017-01-05 · A. Writer · Wire\n\n**¶1** First paragraph.\n\n**¶2** # Not a heading',
      footer: { text: 'Page 1 of 2 · id: world/001' },
    });
    expect(payload.components[0]?.components.map((b) => [b.label, b.disabled])).toEqual([
      ['Previous page', true],
      ['Next page', false],
    ]);
  });
});

describe('renderReply: reindex', () => {
  it('summarises what changed, the counts, problems by file and the time taken', () => {
    const embed = embedOf(
      renderReply({
        kind: 'reindex',
        ephemeral: true,
        summary: {
          added: ['world/003'],
          changed: [],
          removed: ['world/001', 'world/002'],
          articles: 2,
          passages: 1,
          figures: 0,
          problems: [
            { file: 'bad.md', reason: 'no title' },
            { file: 'bad.md', reason: 'empty body' },
          ],
          ms: 1234,
          finishedAt: new Date(0),
        },
      }),
    );
    expect(embed).toEqual({
      color: 0xdc2626,
      title: 'Reindex finished',
      description: '**2** articles · **1** passage · **0** figures now in the index.\nAdded 1 · changed 0 · removed 2.\nTook 1.2 s.',
      fields: [
        { name: 'Added (1)', value: '• `world/003`' },
        { name: 'Removed (2)', value: '• `world/001`\n• `world/002`' },
        { name: 'Problems (2)', value: '• `bad.md`: no title; empty body' },
      ],
    });
  });
});

describe('renderProgress', () => {
  it('is an embed the outcome replaces whole: the progress line, and that questions are still answered', () => {
    expect(renderProgress({ phase: 'indexing', indexed: 1024, articles: 2225, passages: 9800, figures: 1 }, 5200)).toEqual({
      embeds: [
        {
          color: 0x6b7280,
          title: 'Reindexing…',
          description:
            'Indexing: 1,024 of 2,225 articles · 9,800 passages · 1 figure · 5.2 s\nQuestions are still answered from the current index meanwhile.',
        },
      ],
      components: [],
      allowedMentions: { parse: [] },
    });
  });
});

describe('renderReply: help', () => {
  it('lists commands, trigger rules and index statistics with uptime and last reindex', () => {
    const embed = embedOf(
      renderReply({
        kind: 'help',
        ephemeral: true,
        commands: [{ name: 'ask', description: 'Ask a question', usage: '/ask question:<text>' }],
        triggers: ['In <#123456789012345678>: any message that ends with "?".'],
        status: {
          articles: 1,
          passages: 7,
          figures: 6,
          builtAt: new Date(1_700_000_000_000),
          lastReindex: null,
          uptimeMs: 3_720_000,
          problems: 2,
        },
      }),
    );
    expect(embed.fields).toEqual([
      { name: 'Commands', value: '`/ask question:<text>`\nAsk a question' },
      { name: 'When it answers', value: '• In <#123456789012345678>: any message that ends with "?".' },
      {
        name: 'Index',
        value:
          '**1** article · **7** passages · **6** figures\n2 files skipped (see the logs)\nIndex built <t:1700000000:R>\nLast reindex: none since start\nUp 1 h 2 min',
      },
    ]);
  });
});

describe('renderReply: notice', () => {
  it('is plain content, escaped, with a warning sign for errors', () => {
    expect(renderReply({ kind: 'notice', tone: 'error', text: 'No **luck** @everyone', ephemeral: true })).toEqual({
      content: `⚠️ No \\*\\*luck\\*\\* @${ZWSP}everyone`,
      embeds: [],
      components: [],
      allowedMentions: { parse: [] },
      flags: MessageFlags.Ephemeral,
    });
  });
});

describe('renderReply: any reply', () => {
  it('stays within every Discord limit, mentions nobody and lets no text format or ping', () => {
    fc.assert(
      fc.property(replyArb, (reply) => {
        const payload = renderReply(reply);
        expect(limitProblems(payload)).toEqual([]);
        for (const text of textsOf(payload)) {
          expect(text).not.toMatch(MENTION);
          expect(text).not.toMatch(/[\u200c-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u);
          // The only zero-width spaces are the ones that break mentions.
          expect(text.replaceAll(/(?<=[<@])\u200b/gu, '')).not.toMatch(/\u200b/u);
        }
        // Planted masked links never survive unescaped where Discord reads Markdown (footers it shows as they are).
        for (const text of markdownOf(payload)) expect(text).not.toMatch(/(?<!\\)\[x\\?\]\(http:\/\/evil/u);
      }),
      { numRuns: 200 },
    );
  });
});

describe('renderError', () => {
  it('is an ephemeral, escaped message', () => {
    expect(renderError('No article matches "<@1> [x](http://evil)".')).toEqual({
      content: `⚠️ No article matches "<${ZWSP}@1> \\[x\\](http://evil)".`,
      embeds: [],
      components: [],
      allowedMentions: { parse: [] },
      flags: MessageFlags.Ephemeral,
    });
  });

  it('keeps a long message within 2,000 characters', () => {
    const content = renderError('problem '.repeat(1000)).content ?? '';
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content.endsWith('problem…')).toBe(true);
  });
});

describe('buttonRows', () => {
  it('puts at most five buttons in a row and five rows in a message', () => {
    const buttons = Array.from({ length: 30 }, (_, i) => ({ label: `B${i}`, customId: `b:${i}` }));
    expect(buttonRows(buttons).map((row) => row.components.length)).toEqual([5, 5, 5, 5, 5]);
  });

  it('drops buttons whose custom id is empty, too long or repeated, and shortens long labels', () => {
    const rows = buttonRows([
      { label: 'ok', customId: 'a' },
      { label: 'dup', customId: 'a' },
      { label: 'long id', customId: 'x'.repeat(101) },
      { label: '', customId: '' },
      { label: 'word '.repeat(40), customId: 'b' },
    ]);
    expect(rows[0]?.components.map((b) => [b.custom_id, b.label?.length])).toEqual([
      ['a', 2],
      ['b', 80],
    ]);
  });
});

describe('renderChoices', () => {
  it('keeps at most 25 choices with names of 1–100 characters and values of at most 100', () => {
    const choices = [
      { name: 'A '.repeat(80), value: 'a' },
      { name: '', value: 'empty' },
      { name: 'long value', value: 'v'.repeat(101) },
      ...Array.from({ length: 30 }, (_, i) => ({ name: `n${i}`, value: `v${i}` })),
    ];
    const out = renderChoices(choices);
    expect(out).toHaveLength(25);
    expect(out[0]?.name.length).toBeLessThanOrEqual(100);
    expect(out[0]?.name.endsWith('…')).toBe(true);
    expect(out[1]).toEqual({ name: 'n0', value: 'v0' });
  });
});
