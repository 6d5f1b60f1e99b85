/**
 * The import boundaries eslint.config.js draws, checked on small sources: the pure core imports no
 * Discord and no front end (by package or relative path), and src never imports commands/ except
 * from main.ts. Only the boundary blocks are applied (eslint.boundaries.js, no type-aware rules,
 * no typescript-eslint to load), so it is quick.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { importBoundaries } from '../eslint.boundaries.js';
import { REPO_ROOT } from './support/harness.ts';

// The first block makes every .ts file one ESLint lints, as the project's config does.
const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfigFile: true, overrideConfig: [{ files: ['**/*.ts'] }, ...importBoundaries] });

/** What ESLint reports for `source` as the file at `filePath`. */
async function reports(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

const PURE_CORE = 'src/core is the pure core: it must not import src/bot, src/render, commands/ or a front end.';
const NO_DISCORD = 'src/core is the pure core: it must not import Discord.';
const NO_COMMANDS = 'src must not import commands/: move what both need into src (only main.ts loads the commands).';

/** `import { a } from 'target'` as the file at `filePath`, and what ESLint reports for it. */
const importing = (filePath: string, target: string): Promise<string[]> => reports(filePath, `import { a } from '${target}';\n`);
/** ESLint's report of a refused import of `target`. */
const refused = (target: string, why: string): string[] => [
  `no-restricted-imports: '${target}' import is restricted from being used by a pattern. ${why}`,
];

describe('import boundaries', () => {
  it('src/core imports no Discord package', async () => {
    for (const target of ['discord.js', 'discord-api-types/v10', '@discordjs/rest']) {
      expect(await importing('src/core/x.ts', target)).toEqual(refused(target, NO_DISCORD));
    }
  });

  it('src/core imports no front end by relative path, from any depth', async () => {
    for (const [file, target] of [
      ['src/core/x.ts', '../bot/bot.ts'],
      ['src/core/x.ts', '../render/terminal.ts'],
      ['src/core/x.ts', '../render/discord/embeds.ts'],
      ['src/core/x.ts', '../../commands/ask.ts'],
      ['src/core/x.ts', '../console.ts'],
      ['src/core/x.ts', '../cli/ask.ts'],
      ['src/core/figures/x.ts', '../../bot/interactions.ts'],
      ['src/core/figures/x.ts', '../../../commands/index.ts'],
    ] as const) {
      expect(await importing(file, target), `${file} → ${target}`).toEqual(refused(target, PURE_CORE));
    }
  });

  it('src/core may import the core and other packages', async () => {
    expect(await importing('src/core/x.ts', './text.ts')).toEqual([]);
    expect(await importing('src/core/x.ts', 'minisearch')).toEqual([]);
    expect(await importing('src/core/figures/x.ts', '../word-lists.ts')).toEqual([]);
  });

  it('src outside main.ts imports no command file; main.ts loads them, and src shares what commands need', async () => {
    for (const [file, target] of [
      ['src/bot/interactions.ts', '../../commands/ask.ts'],
      ['src/console.ts', '../commands/index.ts'],
      ['src/render/discord/x.ts', '../../../commands/help.ts'],
    ] as const) {
      expect(await importing(file, target), `${file} → ${target}`).toEqual(refused(target, NO_COMMANDS));
    }
    expect(await importing('src/main.ts', '../commands/index.ts')).toEqual([]);
    expect(await importing('src/bot/interactions.ts', '../answering.ts')).toEqual([]);
  });
});
