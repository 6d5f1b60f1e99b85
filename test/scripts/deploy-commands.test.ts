import { describe, expect, it } from 'vitest';
import { loadCommands } from '../../commands/index.ts';
import { deployPlan, missingForDeploy } from '../../scripts/deploy-commands.ts';

const commands = loadCommands();

describe('deployPlan', () => {
  it('deploys to one guild when a guild id is set', () => {
    const plan = deployPlan({ clientId: '111111111111111111', guildId: '222222222222222222' }, commands);
    expect([plan.route, plan.where]).toEqual([
      '/applications/111111111111111111/guilds/222222222222222222/commands',
      'guild 222222222222222222',
    ]);
  });

  it('deploys globally without a guild id', () => {
    const plan = deployPlan({ clientId: '111111111111111111', guildId: null }, commands);
    expect([plan.route, plan.where]).toEqual(['/applications/111111111111111111/commands', 'every server (global)']);
  });

  it('sends every command definition, in order, in one body', () => {
    const plan = deployPlan({ clientId: '111111111111111111', guildId: null }, commands);
    expect(plan.body.map((c) => c.name)).toEqual(['ask', 'search', 'figures', 'article', 'reindex', 'feeds', 'help', 'Ask Factdesk']);
    expect(plan.body[0]).toBe(commands.get('ask')?.data);
  });

  it('refuses without a client id', () => {
    expect(() => deployPlan({ clientId: null, guildId: null }, commands)).toThrow('DISCORD_CLIENT_ID is required');
  });
});

describe('missingForDeploy', () => {
  it('names the variables a deploy needs that are not set', () => {
    expect([
      missingForDeploy({ token: null, clientId: null }),
      missingForDeploy({ token: 'x'.repeat(30), clientId: null }),
      missingForDeploy({ token: 'x'.repeat(30), clientId: '111111111111111111' }),
    ]).toEqual([['DISCORD_TOKEN', 'DISCORD_CLIENT_ID'], ['DISCORD_CLIENT_ID'], []]);
  });
});
