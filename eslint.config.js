// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['node_modules/', 'coverage/', 'bench/results/', 'scratch/', 'dist/', 'data/'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'src/core/prepare-worker-tsx.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
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
);
