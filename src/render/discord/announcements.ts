/**
 * The message that announces new feed stories in FEED_ANNOUNCE_CHANNEL_ID: each story's title
 * (linked), source and date, escaped, within Discord's 2,000 characters, pinging nobody.
 */
import type { NewStory } from '../../feeds/feed-poller.ts';
import { humanDate } from '../../core/dates.ts';
import type { DiscordPayload } from './replies.ts';
import { ELLIPSIS, LIMITS, fitEntries, linked, md, text, type Inline, type Line } from './fitting.ts';

function storyLine(story: NewStory): Line {
  const line: Inline[] = [md('• '), linked(story.title, story.url)];
  const about = [story.source, story.date === null ? null : humanDate(story.date)].filter(
    (x): x is string => x !== null && x.trim() !== '',
  );
  if (about.length > 0) line.push(md(' — '), text(about.join(' · ')));
  return line;
}

/**
 * One message announcing new stories; those that do not fit are counted (“…and 3 more”).
 *
 * @example renderAnnouncement([{ title: 'Floods', url: 'https://n.example/1', source: 'N', date: '2023-11-06' }]).content
 * // '📰 1 new story in the archive\n• [Floods](https://n.example/1) — N · 6 Nov 2023'
 */
export function renderAnnouncement(stories: readonly NewStory[]): Omit<DiscordPayload, 'flags'> {
  const heading = `📰 ${stories.length.toLocaleString('en-US')} new ${stories.length === 1 ? 'story' : 'stories'} in the archive`;
  const entries: Line[][] = [[[md(heading)]], ...stories.map((s) => [storyLine(s)])];
  const content = fitEntries(entries, LIMITS.content, { more: (hidden) => `…and ${hidden} more` }) || ELLIPSIS;
  return { content, embeds: [], components: [], allowedMentions: { parse: [] } };
}
