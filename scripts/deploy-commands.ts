/**
 * Registers Factdesk's slash and context-menu commands with Discord: in one guild when
 * DISCORD_GUILD_ID is set (instant, for testing), else globally. Run: npm run deploy-commands
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { REST, Routes, type RESTPutAPIApplicationCommandsJSONBody } from 'discord.js';
import { loadCommands } from '../commands/index.ts';
import { discordHost, explainConnectError } from '../src/bot/connect-errors.ts';
import type { Command } from '../src/command.ts';
import { ConfigError, parseConfig, type Config } from '../src/config.ts';

/** Where the commands go and what is sent: one PUT replaces the whole set, so removed commands disappear. */
export interface DeployPlan {
  readonly route: `/${string}`;
  readonly body: RESTPutAPIApplicationCommandsJSONBody;
  /** For people: "guild 123…" or "every server (global)". */
  readonly where: string;
}

/**
 * The route and body for deploying `commands`: the guild's commands when a guild id is given,
 * else the application's global ones.
 *
 * @example deployPlan({ clientId: '1', guildId: null }, commands).route // '/applications/1/commands'
 */
export function deployPlan(config: Pick<Config, 'clientId' | 'guildId'>, commands: ReadonlyMap<string, Command>): DeployPlan {
  if (config.clientId === null) throw new Error('DISCORD_CLIENT_ID is required to deploy commands');
  const body = [...commands.values()].map((command) => command.data);
  return config.guildId === null
    ? { route: Routes.applicationCommands(config.clientId), body, where: 'every server (global)' }
    : { route: Routes.applicationGuildCommands(config.clientId, config.guildId), body, where: `guild ${config.guildId}` };
}

/** The variables a deploy cannot do without, or an empty list. */
export function missingForDeploy(config: Pick<Config, 'token' | 'clientId'>): string[] {
  return [...(config.token === null ? ['DISCORD_TOKEN'] : []), ...(config.clientId === null ? ['DISCORD_CLIENT_ID'] : [])];
}

/**
 * What went wrong with a deploy, for people: Discord's refusal and reason only when Discord
 * answered; a name that does not resolve or a network that does not connect says so instead.
 *
 * @example deployFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), null) // 'could not connect to discord.com (ECONNREFUSED): …'
 */
export function deployFailure(error: unknown, apiUrl: string | null): string {
  const failure = explainConnectError(error, discordHost(apiUrl));
  // discord.js errors name the route and Discord's reason, never the token.
  if (failure.kind === 'refused' || failure.kind === 'unknown')
    return `Discord refused the commands: ${error instanceof Error ? error.message : String(error)}`;
  return failure.message;
}

function fail(message: string): never {
  process.stderr.write(`deploy-commands: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    fail(`the configuration is invalid.\n${error.message.replace(/^/gmu, '  ')}`);
  }
  const missing = missingForDeploy(config);
  if (missing.length > 0 || config.token === null)
    fail(`set ${missing.join(' and ')} (in the environment or .env) to deploy the commands.`);
  const plan = deployPlan(config, loadCommands());
  const rest = new REST(config.apiUrl === null ? {} : { api: config.apiUrl }).setToken(config.token);
  try {
    const saved = (await rest.put(plan.route, { body: plan.body })) as readonly unknown[];
    process.stdout.write(`Deployed ${saved.length} commands to ${plan.where}.\n`);
  } catch (error) {
    fail(deployFailure(error, config.apiUrl));
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
