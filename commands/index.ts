import type { Command } from '../src/command.ts';
import { article } from './article.ts';
import { askMessage } from './ask-message.ts';
import { ask } from './ask.ts';
import { feeds } from './feeds.ts';
import { figures } from './figures.ts';
import { help } from './help.ts';
import { reindex } from './reindex.ts';
import { search } from './search.ts';

/** Every command, by name, in the order /help lists them. */
export function loadCommands(): ReadonlyMap<string, Command> {
  const all = [ask, search, figures, article, reindex, feeds, help, askMessage];
  const byName = new Map<string, Command>();
  for (const command of all) {
    if (byName.has(command.data.name)) throw new Error(`two commands are named ${command.data.name}`);
    byName.set(command.data.name, command);
  }
  return byName;
}
