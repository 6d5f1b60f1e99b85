import { GatewayCloseCodes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { GatewayClosedError } from '../../src/bot/bot.ts';
import { discordHost, explainConnectError } from '../../src/bot/connect-errors.ts';
import { deployFailure } from '../../scripts/deploy-commands.ts';

const coded = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('explainConnectError', () => {
  it('a name that does not resolve is DNS, Discord never reached, worth retrying', () => {
    expect(explainConnectError(coded('getaddrinfo ENOTFOUND discord.com', 'ENOTFOUND'), 'discord.com')).toEqual({
      kind: 'dns',
      retry: true,
      message:
        "the name discord.com does not resolve (ENOTFOUND): Discord was never reached. Check this machine's DNS and internet connection.",
    });
  });

  it('finds the network error in the cause chain, and names DISCORD_API_URL when one is set', () => {
    const wrapped = new Error('fetch failed', { cause: coded('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED') });
    expect(explainConnectError(wrapped, '127.0.0.1:1')).toEqual({
      kind: 'network',
      retry: true,
      message:
        'could not connect to 127.0.0.1:1 (ECONNREFUSED): Discord was never reached. Check the network, a firewall or proxy in the way, and that DISCORD_API_URL points at a running server.',
    });
  });

  it('a refused token is never retried, whether REST said 401, the gateway closed 4004, or discord.js said so', () => {
    const unauthorized = Object.assign(new Error('401: Unauthorized'), { status: 401, code: 0 });
    for (const error of [
      unauthorized,
      new GatewayClosedError(GatewayCloseCodes.AuthenticationFailed),
      new Error('Authentication failed'),
      coded('An invalid token was provided.', 'TokenInvalid'),
    ]) {
      expect(explainConnectError(error, 'discord.com')).toMatchObject({ kind: 'token', retry: false });
    }
    expect(explainConnectError(unauthorized, 'discord.com').message).toBe(
      'Discord refused the token. Reset it in the Developer Portal (your application → Bot → Reset Token), put the new one in DISCORD_TOKEN, and start again.',
    );
  });

  it('refused intents say which switch to turn on', () => {
    const failure = explainConnectError(new GatewayClosedError(GatewayCloseCodes.DisallowedIntents), 'discord.com');
    expect(failure).toMatchObject({ kind: 'intents', retry: false });
    expect(failure.message).toContain('Privileged Gateway Intents');
  });

  it('no READY in time is a timeout, retried; a 5xx is retried, a 4xx is not', () => {
    expect(explainConnectError(new Error('Discord did not report the bot ready within 60 s'), 'discord.com')).toMatchObject({
      kind: 'timeout',
      retry: true,
    });
    expect(explainConnectError(Object.assign(new Error('Bad Gateway'), { status: 502 }), 'discord.com')).toMatchObject({
      kind: 'refused',
      retry: true,
    });
    expect(explainConnectError(Object.assign(new Error('Missing Access'), { status: 403, code: 50001 }), 'discord.com')).toMatchObject({
      kind: 'refused',
      retry: false,
    });
  });
});

describe('deployFailure', () => {
  it('says Discord refused only when Discord answered', () => {
    expect(deployFailure(coded('getaddrinfo EAI_AGAIN discord.com', 'EAI_AGAIN'), null)).toBe(
      "the name discord.com does not resolve (EAI_AGAIN): Discord was never reached. Check this machine's DNS and internet connection.",
    );
    expect(deployFailure(Object.assign(new Error('Missing Access'), { status: 403, code: 50001 }), null)).toBe(
      'Discord refused the commands: Missing Access',
    );
  });
});

describe('discordHost', () => {
  it('is discord.com, or the host of DISCORD_API_URL', () => {
    expect(discordHost(null)).toBe('discord.com');
    expect(discordHost('http://127.0.0.1:8080/api')).toBe('127.0.0.1:8080');
  });
});
