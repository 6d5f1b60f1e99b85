import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { ANSWER_BUTTONS } from '../src/answering.ts';
import { articlePage, suggestArticles, type ArticlePage } from '../src/core/browse.ts';
import { customId, defineCommand, type ButtonHandler, type CommandContext } from '../src/command.ts';
import { UserError } from '../src/errors.ts';
import type { Reply, ReplyButton } from '../src/replies.ts';

function pageButtons(page: ArticlePage): ReplyButton[] {
  if (page.pages <= 1) return [];
  return [
    { label: 'Previous page', customId: customId('page', page.key, page.page - 1), disabled: page.page <= 1 },
    { label: 'Next page', customId: customId('page', page.key, page.page + 1), disabled: page.page >= page.pages },
  ];
}

/** How to find an article by its title: Discord suggests titles as they are typed; the console completes them on Tab. */
function titleHint(context: CommandContext): string {
  return context.invoker.local
    ? 'Type /article and a few words of the title, then press Tab to complete it.'
    : 'Start typing a title and pick one of the suggestions.';
}

/** One page of an article as a reply, or a clear error when there is no such article. */
export function articleReply(context: CommandContext, idOrKey: string, pageNumber: number, ephemeral: boolean): Reply {
  const archive = context.library.archive;
  let page = articlePage(archive, idOrKey, pageNumber);
  if (!page) {
    // Typed a title instead of picking a suggestion: take the best title match.
    const guess = suggestArticles(archive, idOrKey, 1)[0];
    if (guess) page = articlePage(archive, guess.value, pageNumber);
  }
  if (!page) throw new UserError('unknown-article', `No article matches "${idOrKey}". ${titleHint(context)}`);
  return { kind: 'article', page, ephemeral, buttons: pageButtons(page) };
}

/**
 * An article a button names by its key, to the presser only. The key is internal and never a title,
 * so there is nothing to guess from: when it matches no article, the article was removed by a
 * reindex after the button was sent, and the presser is told that.
 */
function buttonArticleReply(context: CommandContext, key: string, pageNumber: number): Reply {
  const page = articlePage(context.library.archive, key, pageNumber);
  if (!page) {
    throw new UserError(
      'article-removed',
      'This article was removed from the archive in a reindex after this answer was given. Ask again to search the current articles.',
    );
  }
  return { kind: 'article', page, ephemeral: true, buttons: pageButtons(page) };
}

// From an answer's "Full article" button: the first page, to the presser only.
const full: ButtonHandler = ([key = ''], context) => ({ ...buttonArticleReply(context, key, 1), update: false });

// Paging: an ephemeral page turns in place; a public one sends the presser their own copy.
const page: ButtonHandler = ([key = '', n = '1'], context, source) => ({
  ...buttonArticleReply(context, key, Number.parseInt(n, 10) || 1),
  update: source.ephemeral,
});

const data = {
  type: ApplicationCommandType.ChatInput,
  name: 'article',
  description: 'Read an article in full',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'id',
      description: 'Start typing a title',
      required: true,
      autocomplete: true,
      max_length: 200,
    },
    { type: ApplicationCommandOptionType.Integer, name: 'page', description: 'Page number', required: false, min_value: 1 },
    { type: ApplicationCommandOptionType.Boolean, name: 'private', description: 'Show the article to you only', required: false },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const article = defineCommand({
  data,
  usage: '/article id:<id or title> [page:<n>] [private:true]',
  execute(args, context) {
    const id = args.id.trim();
    if (id.length === 0) throw new UserError('bad-option', `Give an article id or a title. ${titleHint(context)}`);
    return articleReply(context, id, args.page ?? 1, args.private ?? false);
  },
  autocomplete(_option, typed, context) {
    return suggestArticles(context.library.archive, typed);
  },
  buttons: { [ANSWER_BUTTONS.fullArticle]: full, page },
});
