import { SlashCommandBuilder } from 'discord.js';
import { articlePage, suggestArticles, type ArticlePage } from '../src/core/browse.ts';
import { customId, type ButtonHandler, type Command, type CommandContext } from '../src/command.ts';
import { UserError } from '../src/errors.ts';
import type { Reply, ReplyButton } from '../src/replies.ts';

function pageButtons(page: ArticlePage): ReplyButton[] {
  if (page.pages <= 1) return [];
  return [
    { label: 'Previous page', customId: customId('page', page.key, page.page - 1), disabled: page.page <= 1 },
    { label: 'Next page', customId: customId('page', page.key, page.page + 1), disabled: page.page >= page.pages },
  ];
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
  if (!page)
    throw new UserError('unknown-article', `No article matches "${idOrKey}". Start typing a title and pick one of the suggestions.`);
  return { kind: 'article', page, ephemeral, buttons: pageButtons(page) };
}

// From an answer's "Full article" button: the first page, to the presser only.
const full: ButtonHandler = ([key = ''], context) => ({ ...articleReply(context, key, 1, true), update: false });

// Paging: an ephemeral page turns in place; a public one sends the presser their own copy.
const page: ButtonHandler = ([key = '', n = '1'], context, source) => ({
  ...articleReply(context, key, Number.parseInt(n, 10) || 1, true),
  update: source.ephemeral,
});

export const article: Command = {
  data: new SlashCommandBuilder()
    .setName('article')
    .setDescription('Read an article in full')
    .addStringOption((o) =>
      o.setName('id').setDescription('Start typing a title').setRequired(true).setAutocomplete(true).setMaxLength(200),
    )
    .addIntegerOption((o) => o.setName('page').setDescription('Page number').setMinValue(1))
    .addBooleanOption((o) => o.setName('private').setDescription('Show the article to you only'))
    .toJSON(),
  usage: '/article id:<id or title> [page:<n>] [private:true]',
  execute(options, context) {
    const id = options.requiredString('id').trim();
    if (id.length === 0) throw new UserError('bad-option', 'Give an article id, or start typing a title and pick a suggestion.');
    return Promise.resolve(articleReply(context, id, options.integer('page') ?? 1, options.boolean('private') ?? false));
  },
  autocomplete(_option, typed, context) {
    return suggestArticles(context.library.archive, typed);
  },
  buttons: { full, page },
};
