import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NewStory } from '../../src/feeds/feed-poller.ts';
import { renderAnnouncement } from '../../src/render/discord/announcements.ts';

describe('renderAnnouncement', () => {
  const story: NewStory = {
    title: 'Floods close *all* roads',
    url: 'https://news.example/floods',
    source: 'Example News',
    date: '2023-11-06',
  };

  it('lists each story with its linked title, source and human date, escaped, pinging nobody', () => {
    const payload = renderAnnouncement([story, { title: '@everyone look', url: null, source: 'Wire <b>', date: null }]);
    expect(payload).toEqual({
      content: [
        '📰 2 new stories in the archive',
        '• [Floods close \\*all\\* roads](https://news.example/floods) — Example News · 6 Nov 2023',
        '• @\u200beveryone look — Wire <b>',
      ].join('\n'),
      embeds: [],
      components: [],
      allowedMentions: { parse: [] },
    });
    expect(renderAnnouncement([story]).content).toBe(
      '📰 1 new story in the archive\n• [Floods close \\*all\\* roads](https://news.example/floods) — Example News · 6 Nov 2023',
    );
  });

  it('counts the stories that do not fit in 2,000 characters', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      ...story,
      title: `Story ${i + 1} ${'x'.repeat(60)}`,
      url: `https://news.example/${i + 1}`,
    }));
    const content = renderAnnouncement(many).content ?? '';
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content.startsWith('📰 40 new stories in the archive\n• [Story 1 ')).toBe(true);
    const shown = content.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(content.endsWith(`\n…and ${40 - shown} more`)).toBe(true);
  });

  it('stays within Discord’s limit and never pings, whatever the feed sends', () => {
    const anyStory = fc.record({
      title: fc.string({ maxLength: 400 }),
      url: fc.option(fc.webUrl(), { nil: null }),
      source: fc.string({ maxLength: 100 }),
      date: fc.option(fc.constant('2024-02-29'), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(anyStory, { minLength: 1, maxLength: 60 }), (stories) => {
        const payload = renderAnnouncement(stories);
        expect(payload.content?.length ?? 0).toBeGreaterThan(0);
        expect(payload.content?.length ?? 0).toBeLessThanOrEqual(2000);
        expect(payload.content).not.toMatch(/@(everyone|here)/u);
        expect(payload.allowedMentions).toEqual({ parse: [] });
      }),
      { numRuns: 200 },
    );
  });
});
