// @ts-check
/**
 * Which files may import what, apart from the rest of the ESLint config so that
 * test/eslint-boundaries.test.ts checks these very blocks without loading typescript-eslint.
 *
 * @type {import('eslint').Linter.Config[]}
 */
export const importBoundaries = [
  {
    // The pure core: no Discord, no front end. It returns plain data that renderers turn into
    // Discord messages or terminal text, so it is tested and reused without either.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['discord.js', 'discord.js/*', '@discordjs/*', 'discord-api-types*', 'discord-hybrid-sharding'],
              message: 'src/core is the pure core: it must not import Discord.',
            },
            {
              regex: '(^|/)(bot|render|commands)(/|$)|(^|/)\\.\\./(\\.\\./)*(bot|render|commands|console|cli)(\\.ts|/|$)',
              message: 'src/core is the pure core: it must not import src/bot, src/render, commands/ or a front end.',
            },
          ],
        },
      ],
    },
  },
  {
    // Dependencies point one way: commands/ → src, never src → commands/. Only main.ts loads the
    // command files; what a command and the bot share lives in src (src/answering.ts).
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts', 'src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)\\.\\./(\\.\\./)*commands(/|$)',
              message: 'src must not import commands/: move what both need into src (only main.ts loads the commands).',
            },
          ],
        },
      ],
    },
  },
];
