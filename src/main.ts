/**
 * Factdesk's entrypoint. With DISCORD_TOKEN set it connects to Discord; without, it runs the local
 * console over the same commands.
 */
import { existsSync } from 'node:fs';
import { loadCommands } from '../commands/index.ts';
import type { CommandContext } from './command.ts';
import { ConfigError, parseConfig, type Config } from './config.ts';
import { CONSOLE_BANNER, runConsole } from './console.ts';
import { Cooldown } from './cooldown.ts';
import { CorpusError } from './core/corpus.ts';
import { Library } from './core/library.ts';
import { createLogger } from './logger.ts';
import { QuestionMemo } from './answer-pages.ts';

function readConfig(): Config {
  // Node reads .env itself; variables already set in the environment win over the file.
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(
      `Factdesk cannot start: the configuration is invalid.\n${error.message.replace(/^/gmu, '  ')}\nSee .env.example for every variable.\n`,
    );
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel ?? (config.token === null ? 'warn' : 'info'), {
    secrets: config.token === null ? [] : [config.token],
  });
  const startedAt = new Date();
  const now = (): Date => new Date();

  let library: Library;
  try {
    library = await Library.open({ seedsDir: config.seedsDir, maxArchiveMb: config.maxArchiveMb, now });
  } catch (error) {
    if (!(error instanceof CorpusError)) throw error;
    logger.fatal({ seedsDir: config.seedsDir }, error.message);
    process.stderr.write(`Factdesk cannot start: ${error.message}. Set SEEDS_DIR to a folder of articles.\n`);
    process.exit(1);
  }
  for (const problem of library.problems) logger.warn({ file: problem.file }, `skipped article: ${problem.reason}`);
  logger.info({ ...library.archive.stats }, 'index built');
  library.warmUp();

  const commands = loadCommands();
  const memo = new QuestionMemo();

  if (config.token === null) {
    process.stdout.write(`${CONSOLE_BANNER}\n`);
    const context: CommandContext = {
      library,
      config,
      now,
      startedAt,
      invoker: { id: 'console', roleIds: [], canManageGuild: true, local: true },
      memo,
      cooldown: new Cooldown(0, now),
      commands,
    };
    const interactive = process.stdin.isTTY;
    await runConsole({
      input: process.stdin,
      output: process.stdout,
      commands,
      context,
      logger,
      interactive,
      style: { color: process.stdout.isTTY },
    });
    return;
  }

  const { startBot } = await import('./bot/bot.ts');
  let bot: Awaited<ReturnType<typeof startBot>>;
  try {
    bot = await startBot({ config, library, commands, memo, logger, now, startedAt });
  } catch (error) {
    // startBot has logged why (with secrets redacted); say it plainly too, and stop.
    process.stderr.write(`Factdesk could not connect to Discord: ${error instanceof Error ? error.message : 'unknown error'}\n`);
    process.exit(1);
  }
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    void bot.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', () => {
    shutdown('SIGINT');
  });
  process.once('SIGTERM', () => {
    shutdown('SIGTERM');
  });
}

await main();
