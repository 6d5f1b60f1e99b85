import type { Client } from 'discord.js';
import { describeError } from '../errors.ts';
import type { NewStory } from '../feeds/feed-poller.ts';
import type { Logger } from '../logger.ts';
import { renderAnnouncement } from '../render/discord/announcements.ts';

/**
 * Announces new feed stories in one channel (FEED_ANNOUNCE_CHANNEL_ID): one message per poll that
 * brought any, pinging nobody. It never throws: a channel that is gone, not a text channel, or
 * where the bot may not post is logged, and the stories are in the archive all the same.
 */
export function createAnnouncer(client: Client, channelId: string, logger: Logger): (stories: readonly NewStory[]) => Promise<void> {
  return async (stories) => {
    if (stories.length === 0) return;
    try {
      const channel = await client.channels.fetch(channelId);
      if (!channel?.isSendable()) {
        logger.warn({ channelId }, 'FEED_ANNOUNCE_CHANNEL_ID is not a channel the bot can post in; new stories are not announced');
        return;
      }
      await channel.send(renderAnnouncement(stories));
      logger.info({ channelId, stories: stories.length }, 'announced new feed stories');
    } catch (error) {
      logger.warn({ channelId, error: describeError(error) }, 'could not announce new feed stories');
    }
  };
}
