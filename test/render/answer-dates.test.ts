import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { Answer, Citation, CitedFigure, RankedPassage } from '../../src/core/types.ts';
import { renderReply } from '../../src/render/discord/replies.ts';
import { renderAnswerText, renderReplyText } from '../../src/render/terminal.ts';
import type { Reply } from '../../src/replies.ts';

// Two stories of the same harbour, a year apart, and one without a date.
const citations: Citation[] = [
  { n: 1, articleId: 'a', title: 'Port reopens', date: '2023-11-06', url: 'https://news.example/a', source: 'Harbour Gazette' },
  { n: 2, articleId: 'b', title: 'Port traffic', date: '2024-11-04', url: null, source: null },
  { n: 3, articleId: 'c', title: 'Port history', date: null, url: null, source: 'Archive' },
];

const passage = (n: number, text: string): RankedPassage => ({
  rank: n,
  citation: n,
  passage: { id: `${'abc'.charAt(n - 1)}#1.0`, articleId: 'abc'.charAt(n - 1), paragraph: 1, start: 0, end: text.length, text },
  title: citations[n - 1]?.title ?? '',
  date: citations[n - 1]?.date ?? null,
  score: 1,
  highlights: [],
});

const figure = (text: string, sentence: string, n: number): CitedFigure => ({
  text,
  start: sentence.indexOf(text),
  end: sentence.indexOf(text) + text.length,
  value: null,
  unit: null,
  kind: 'date',
  passageId: `${'abc'.charAt(n - 1)}#1.0`,
  articleId: 'abc'.charAt(n - 1),
  paragraph: 1,
  sentence,
  citation: n,
});

const SENTENCE_1 = 'The port reopened in May after the storm.';
const SENTENCE_2 = 'Traffic fell last month, the harbour master said.';
const answer: Answer = {
  question: 'When did the port reopen?',
  answered: true,
  answer: 'in May',
  passages: [passage(1, SENTENCE_1), passage(2, SENTENCE_2), passage(3, 'The port was built long ago.')],
  morePassages: false,
  figures: [figure('in May', SENTENCE_1, 1), figure('last month', SENTENCE_2, 2)],
  citations,
  closest: [],
  reason: null,
  wanted: ['date'],
};

const embedOf = (reply: Reply): APIEmbed => {
  const embed = renderReply(reply).embeds[0];
  if (!embed) throw new Error('no embed');
  return embed;
};

describe('dates in answers, on Discord', () => {
  it('shows each source with its human date, resolves relative dates beside the words, and says the dates differ', () => {
    const embed = embedOf({ kind: 'answer', answer, ephemeral: false });
    expect(embed.description).toBe(
      [
        '**in May** [1]',
        '> The port reopened in May after the storm. [1] *(May: May 2023)*',
        '> Traffic fell last month, the harbour master said. [2] *(last month: Oct 2024)*',
        '> The port was built long ago. [3]',
        '*From articles of different dates: [1] 6 Nov 2023, [2] 4 Nov 2024, [3] undated.*',
      ].join('\n\n'),
    );
    expect(embed.fields).toEqual([
      { name: 'Figures', value: '• **in May** *(May 2023)* [1]\n• **last month** *(Oct 2024)* [2]' },
      {
        name: 'Sources',
        value:
          '[1] [Port reopens](https://news.example/a) — Harbour Gazette · 6 Nov 2023\n[2] Port traffic — 4 Nov 2024\n[3] Port history — Archive',
      },
    ]);
  });

  it('keeps the figure exactly as written in its sentence, with its meaning beside it', () => {
    const reply: Reply = {
      kind: 'figures',
      result: { topic: 'port', figures: answer.figures, citations, reason: null, timeline: null },
      ephemeral: false,
    };
    expect(embedOf(reply).description).toBe(
      [
        '• The port reopened **in May** *(May 2023)* after the storm. [1]',
        '• Traffic fell **last month** *(Oct 2024)*, the harbour master said. [2]',
      ].join('\n'),
    );
  });

  it('says nothing about dates when every passage is from the same day', () => {
    const sameDay: Answer = { ...answer, answer: null, passages: [passage(1, SENTENCE_1)], figures: [] };
    expect(embedOf({ kind: 'answer', answer: sameDay, ephemeral: false }).description).toBe(
      '> The port reopened in May after the storm. [1] *(May: May 2023)*',
    );
  });
});

describe('dates in answers, in the terminal', () => {
  it('shows the same dates as text', () => {
    expect(renderAnswerText(answer)).toBe(
      [
        'Q: When did the port reopen?',
        'A: in May [1]',
        '',
        '1. The port reopened in May after the storm. [1] (May: May 2023)',
        '   — ¶1, a',
        '',
        '2. Traffic fell last month, the harbour master said. [2] (last month: Oct 2024)',
        '   — ¶1, b',
        '',
        '3. The port was built long ago. [3]',
        '   — ¶1, c',
        '',
        'From articles of different dates: [1] 6 Nov 2023, [2] 4 Nov 2024, [3] undated.',
        '',
        'Figures',
        '  • in May (May 2023) (date) [1]',
        '  • last month (Oct 2024) (date) [2]',
        '',
        'Sources',
        '  [1] Port reopens — Harbour Gazette · 6 Nov 2023 — https://news.example/a',
        '  [2] Port traffic — 4 Nov 2024 — b',
        '  [3] Port history — Archive — c',
      ].join('\n'),
    );
    const reply: Reply = {
      kind: 'figures',
      result: { topic: 'port', figures: answer.figures, citations, reason: null, timeline: null },
      ephemeral: false,
    };
    expect(renderReplyText(reply).split('\n').slice(0, 3)).toEqual([
      'Figures about "port"',
      '  • in May (May 2023) (date) [1]',
      `    “${SENTENCE_1}”`,
    ]);
  });
});
