import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { defineCommand, isAdmin, type CommandContext } from '../src/command.ts';
import { UserError } from '../src/errors.ts';
import { FeedListError } from '../src/feeds/feed-poller.ts';

const URL_MAX = 2000;

const data = {
  type: ApplicationCommandType.ChatInput,
  name: 'feeds',
  description: 'The news feeds Factdesk follows (admins only)',
  // Discord hides the command from members without Manage Server; it is checked again when it runs.
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'add',
      description: 'Follow a news feed (RSS, Atom or JSON Feed); each new story becomes an article',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'url',
          description: 'The feed’s address (http or https)',
          required: true,
          max_length: URL_MAX,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'remove',
      description: 'Stop following a feed (the articles it added stay)',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'url',
          description: 'The feed’s address, as /feeds list shows it',
          required: true,
          max_length: URL_MAX,
          autocomplete: true,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'list',
      description: 'Each feed with its last poll, new articles and last error',
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** `1 article`, `12 articles`. */
const articles = (n: number): string => `${n.toLocaleString('en-US')} article${n === 1 ? '' : 's'}`;

function feedsOf(context: CommandContext): NonNullable<CommandContext['feeds']> {
  if (context.feeds === undefined) throw new UserError('feeds-off', 'News feeds are not running here.');
  return context.feeds;
}

/** Runs a change to the feed list, turning a refused URL into a message for the admin. */
async function change<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof FeedListError) throw new UserError('feed-list', error.message);
    throw error;
  }
}

export const feeds = defineCommand({
  data,
  usage: '/feeds add url:<feed address> · /feeds remove url:<feed address> · /feeds list',
  admin: true,
  autocomplete(option, typed, context) {
    // Only an admin may see which feeds are followed, even though Discord already hides the command.
    if (option !== 'url' || context.feeds === undefined || !isAdmin(context.invoker, context.config)) return [];
    const wanted = typed.trim().toLowerCase();
    return context.feeds
      .list()
      .filter((f) => f.url.toLowerCase().includes(wanted) || (f.title?.toLowerCase().includes(wanted) ?? false))
      .map((f) => ({ name: f.title === null ? f.url : `${f.title} — ${f.url}`, value: f.url }));
  },
  async execute(args, context) {
    const list = feedsOf(context);
    switch (args.subcommand) {
      case 'add': {
        const added = await change(() => list.add(args.url));
        return {
          kind: 'notice',
          tone: 'info',
          text: `Following ${added.url}. Its first poll starts now; /feeds list shows how it went.`,
          ephemeral: true,
        };
      }
      case 'remove': {
        const removed = await change(() => list.remove(args.url));
        return {
          kind: 'notice',
          tone: 'info',
          text: `No longer following ${removed.url}. The ${articles(removed.totalArticles)} it added stay in the archive.`,
          ephemeral: true,
        };
      }
      case 'list':
        return { kind: 'feeds', feeds: list.list(), ephemeral: true };
    }
  },
});
