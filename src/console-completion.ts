/**
 * Tab completion for the local console, its version of Discord's autocomplete: command names,
 * option names (`question:`), button numbers, and article ids from titles after `/article`.
 */
import { DISCORD_ONLY_OPTIONS, optionSpecs, subcommandNames, type Command } from './command.ts';
import type { Archive } from './core/archive.ts';
import { suggestArticles } from './core/browse.ts';

/**
 * Completions for `line` as readline wants them: the candidates, and the part of the line they
 * replace. Candidates keep the user's text before the replaced part.
 *
 * @example completeConsoleLine('/se', commands, archive, 0) // [['/search '], '/se']
 */
export function completeConsoleLine(
  line: string,
  slash: ReadonlyMap<string, Command>,
  archive: Archive,
  buttons: number,
): [string[], string] {
  if (!line.startsWith('/')) return [[], line];
  const space = line.indexOf(' ');
  if (space === -1) {
    const typed = line.slice(1).toLowerCase();
    const names = [...slash.keys(), ...Array.from({ length: buttons }, (_, i) => String(i + 1))];
    return [names.filter((n) => n.startsWith(typed)).map((n) => `/${n} `), line];
  }
  const command = slash.get(line.slice(1, space).toLowerCase());
  if (!command) return [[], line];
  let rest = line.slice(space + 1);
  const word = /\S*$/u.exec(rest)?.[0] ?? '';
  let subcommand: string | undefined;
  const subcommands = subcommandNames(command.data);
  if (subcommands.length > 0) {
    // `/feeds a` completes the subcommand; after it, its own options.
    const typed = /^(\S*)(\s?)/u.exec(rest);
    if (typed?.[2] === '') return [subcommands.filter((n) => n.startsWith(word)).map((n) => `${n} `), word];
    subcommand = typed?.[1];
    rest = rest.slice(typed?.[0].length ?? 0);
  }
  const specs = optionSpecs(command.data, subcommand);
  if (command.data.name === 'article') {
    // After `/article ` or `/article id:`, what is typed is a title (or the start of an id).
    const typed = rest.replace(/^id:/u, '');
    if (!/\b(?:page):/u.test(typed)) {
      const ids = suggestArticles(archive, typed).map((c) => `${line.slice(0, space + 1)}id:${c.value}`);
      if (ids.length > 0) return [ids, line];
    }
  }
  const options = specs
    .filter((s) => !DISCORD_ONLY_OPTIONS.includes(s.name))
    .map((s) => `${s.name}:`)
    .filter((name) => name.startsWith(word) && !rest.includes(name));
  return [options, word];
}
