import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CONFIG_VARIABLES, ConfigError, parseConfig } from '../src/config.ts';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.secret-token-value-xyz';

describe('parseConfig', () => {
  it('applies the defaults to an empty environment, and freezes the result', () => {
    const config = parseConfig({});
    expect(config).toEqual({
      token: null,
      clientId: null,
      guildId: null,
      seedsDir: 'seeds',
      dataDir: 'data',
      watchSeeds: false,
      askChannelIds: [],
      answerOnMention: true,
      adminRoleIds: [],
      adminUserIds: [],
      cooldownSeconds: 5,
      maxArchiveMb: 32,
      logLevel: null,
      logFormat: null,
      healthPort: null,
      healthHost: '127.0.0.1',
      noColor: false,
      apiUrl: null,
      feeds: [],
      feedIntervalMinutes: 15,
      feedsAllowPrivate: false,
      feedAnnounceChannelId: null,
      shards: null,
      shardsPerCluster: null,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('parses every variable', () => {
    const config = parseConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: '123456789012345678',
      DISCORD_GUILD_ID: '223456789012345678',
      SEEDS_DIR: '/data/news',
      DATA_DIR: '/var/lib/factdesk',
      WATCH_SEEDS: 'true',
      ASK_CHANNEL_IDS: '323456789012345678, 423456789012345678',
      ANSWER_ON_MENTION: 'false',
      ADMIN_ROLE_IDS: '523456789012345678',
      ADMIN_USER_IDS: '623456789012345678 723456789012345678',
      COOLDOWN_SECONDS: '0',
      MAX_ARCHIVE_MB: '500',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'pretty',
      HEALTH_PORT: '9464',
      HEALTH_HOST: '0.0.0.0',
      NO_COLOR: '1',
      DISCORD_API_URL: 'http://127.0.0.1:8080/api',
      FEEDS: 'https://news.example/rss.xml, http://127.0.0.1:8081/feed.json',
      FEED_INTERVAL_MINUTES: '5',
      FEEDS_ALLOW_PRIVATE: 'true',
      FEED_ANNOUNCE_CHANNEL_ID: '823456789012345678',
      SHARDS: '4',
      SHARDS_PER_CLUSTER: '2',
    });
    expect(config).toMatchObject({
      shards: 4,
      shardsPerCluster: 2,
      feeds: ['https://news.example/rss.xml', 'http://127.0.0.1:8081/feed.json'],
      feedIntervalMinutes: 5,
      feedsAllowPrivate: true,
      feedAnnounceChannelId: '823456789012345678',
      token: TOKEN,
      clientId: '123456789012345678',
      guildId: '223456789012345678',
      seedsDir: '/data/news',
      dataDir: '/var/lib/factdesk',
      watchSeeds: true,
      askChannelIds: ['323456789012345678', '423456789012345678'],
      answerOnMention: false,
      adminRoleIds: ['523456789012345678'],
      adminUserIds: ['623456789012345678', '723456789012345678'],
      cooldownSeconds: 0,
      maxArchiveMb: 500,
      logLevel: 'debug',
      logFormat: 'pretty',
      healthPort: 9464,
      healthHost: '0.0.0.0',
      noColor: true,
      apiUrl: 'http://127.0.0.1:8080/api',
    });
  });

  it('reads SHARDS as auto, in any case', () => {
    expect(parseConfig({ SHARDS: 'Auto' })).toMatchObject({ shards: 'auto', shardsPerCluster: null });
  });

  it('refuses a health port that is not a port, a log format it does not know, and a shard count that is not one', () => {
    for (const [env, variable] of [
      [{ HEALTH_PORT: '0' }, 'HEALTH_PORT'],
      [{ HEALTH_PORT: '70000' }, 'HEALTH_PORT'],
      [{ HEALTH_PORT: 'http' }, 'HEALTH_PORT'],
      [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT'],
      [{ SHARDS: '0' }, 'SHARDS'],
      [{ SHARDS: 'many' }, 'SHARDS'],
      [{ SHARDS: '1.5' }, 'SHARDS'],
      [{ SHARDS: '4', SHARDS_PER_CLUSTER: '0' }, 'SHARDS_PER_CLUSTER'],
      [{ SHARDS_PER_CLUSTER: '0' }, 'SHARDS_PER_CLUSTER'],
    ] as const) {
      expect(() => parseConfig(env)).toThrow(ConfigError);
      try {
        parseConfig(env);
      } catch (error) {
        expect(error instanceof ConfigError && error.variables).toEqual([variable]);
      }
    }
  });

  it('refuses SHARDS_PER_CLUSTER without SHARDS, which would be ignored, and says what to do', () => {
    expect(() => parseConfig({ SHARDS_PER_CLUSTER: '2' })).toThrow(
      'SHARDS_PER_CLUSTER is set but SHARDS is not, so it would do nothing: set SHARDS too (a number of shards, or auto), or unset it',
    );
    expect(parseConfig({ SHARDS: 'auto', SHARDS_PER_CLUSTER: '2' })).toMatchObject({ shards: 'auto', shardsPerCluster: 2 });
  });

  it('names a bad feed variable', () => {
    expect(() => parseConfig({ FEEDS: 'https://ok.example/feed, file:///etc/passwd' })).toThrow(
      'FEEDS must list http(s) URLs, comma-separated',
    );
    expect(() => parseConfig({ FEED_INTERVAL_MINUTES: '0' })).toThrow('FEED_INTERVAL_MINUTES must be at least 1');
    expect(() => parseConfig({ FEEDS_ALLOW_PRIVATE: 'maybe' })).toThrow('FEEDS_ALLOW_PRIVATE must be true or false');
  });

  it('treats blank values as unset', () => {
    expect(parseConfig({ DISCORD_TOKEN: '  ', COOLDOWN_SECONDS: '' })).toMatchObject({ token: null, cooldownSeconds: 5 });
  });

  it('names each bad variable and why, and never echoes a value', () => {
    let error: unknown;
    try {
      parseConfig({
        DISCORD_TOKEN: 'has a space in it, which tokens never do',
        COOLDOWN_SECONDS: '-3',
        ANSWER_ON_MENTION: 'maybe',
        ASK_CHANNEL_IDS: '12,abc',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect((error as ConfigError).variables).toEqual([
      'DISCORD_TOKEN',
      'ASK_CHANNEL_IDS',
      'ASK_CHANNEL_IDS',
      'ANSWER_ON_MENTION',
      'COOLDOWN_SECONDS',
      'LOG_LEVEL',
    ]);
    expect(message).toContain('DISCORD_TOKEN must not contain spaces');
    expect(message).toContain('COOLDOWN_SECONDS must be 0 or more');
    expect(message).toContain('ANSWER_ON_MENTION must be true or false');
    expect(message).toContain('ASK_CHANNEL_IDS must be a Discord id (17 to 20 digits)');
    expect(message).not.toContain('has a space');
  });
});

describe('MAX_ARCHIVE_MB', () => {
  it('is a whole number of megabytes, 1 or more', () => {
    expect(parseConfig({ MAX_ARCHIVE_MB: '64' }).maxArchiveMb).toBe(64);
    expect(() => parseConfig({ MAX_ARCHIVE_MB: '0' })).toThrow('MAX_ARCHIVE_MB must be 1 or more');
    expect(() => parseConfig({ MAX_ARCHIVE_MB: 'lots' })).toThrow('MAX_ARCHIVE_MB must be a number');
  });
});

describe('CONFIG_VARIABLES', () => {
  it('names every variable parseConfig reads, each in README’s table and in .env.example', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const inTable = [...readme.matchAll(/^\| `([A-Z][A-Z_]+)` \|/gmu)].map((m) => m[1]);
    const inExample = [...example.matchAll(/^([A-Z][A-Z_]+)=/gmu)].map((m) => m[1]);
    expect(CONFIG_VARIABLES).toContain('DISCORD_TOKEN');
    expect(inTable.toSorted()).toEqual([...CONFIG_VARIABLES].sort());
    expect(inExample.toSorted()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('is what parseConfig reads: a value for any other name changes nothing', () => {
    const base = parseConfig({});
    expect(parseConfig({ COOLDOWN: '9', SEEDS: 'x', TOKEN: 'y'.repeat(30) })).toEqual(base);
    expect(parseConfig({ COOLDOWN_SECONDS: '9' })).not.toEqual(base);
  });
});
