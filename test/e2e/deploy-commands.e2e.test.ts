/**
 * `npm run deploy-commands` end to end: the script (compiled as `npm start` runs it, see
 * test/support/build.ts) against a fake Discord, once for a guild and once globally, at the same time.
 */
import { spawn } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { childEnv, fakeBotToken, REPO_ROOT, tsNode } from '../support/harness.ts';
import { expectOperationsCovered, READY_MS, recordOperations, SETUP_MS, teardownAtEnd } from '../support/scenarios.ts';
import { assertValidRequests, validateRecordedRequest } from '../support/spec.ts';

const operationsSeen = new Set<string>();
expectOperationsCovered(operationsSeen, ['bulk_set_application_commands', 'bulk_set_guild_application_commands']);
const atEnd = teardownAtEnd();

describe('npm run deploy-commands against the fake', () => {
  const token = fakeBotToken();
  const NAMES = ['ask', 'search', 'figures', 'article', 'reindex', 'feeds', 'help', 'Ask Factdesk'];
  // One fake per run, and both runs at once.
  let guildFake: FakeDiscord;
  let globalFake: FakeDiscord;
  let guildRun: Run;
  let globalRun: Run;

  interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
  }

  function deploy(fake: FakeDiscord, guildId: string): Promise<Run> {
    const env = childEnv({
      DISCORD_TOKEN: token,
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_GUILD_ID: guildId,
      DISCORD_API_URL: fake.endpoints.restUrl,
    });
    return new Promise((resolve, reject) => {
      const child = spawn(...tsNode('scripts/deploy-commands.ts'), { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`deploy-commands did not finish in time\n${stderr}`));
      }, READY_MS);
      child.once('error', reject);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  const setup = async () => {
    const fakes = [new FakeDiscord({ token }), new FakeDiscord({ token })] as const;
    for (const fake of fakes) {
      await fake.start();
      atEnd(() => fake.close());
    }
    const [forGuild, forAll] = fakes;
    const runs = await Promise.all([deploy(forGuild, forGuild.ids.guild), deploy(forAll, '')]);
    return { fakes, runs };
  };

  beforeAll(async () => {
    ({
      fakes: [guildFake, globalFake],
      runs: [guildRun, globalRun],
    } = await setup());
  }, SETUP_MS);

  afterEach(() => {
    for (const fake of [guildFake, globalFake]) {
      recordOperations(fake.requests, operationsSeen);
      assertValidRequests(fake.requests);
    }
  });

  it('with DISCORD_GUILD_ID: one PUT of every command to that guild, valid per the spec', () => {
    const fake = guildFake;
    expect(guildRun).toEqual({ code: 0, stdout: `Deployed 8 commands to guild ${fake.ids.guild}.\n`, stderr: '' });
    expect(fake.requests.map((r) => `${r.method} ${r.path} -> ${r.response.status}`)).toEqual([
      `PUT /applications/${fake.applicationId}/guilds/${fake.ids.guild}/commands -> 200`,
    ]);
    const [put] = fake.requests;
    if (!put) throw new Error('no PUT');
    expect(put.headers.authorization).toBe(`Bot ${token}`);
    expect(validateRecordedRequest(put)).toEqual({
      operationId: 'bulk_set_guild_application_commands',
      pathTemplate: '/applications/{application_id}/guilds/{guild_id}/commands',
      errors: [],
    });
    expect((put.body as { name: string }[]).map((c) => c.name)).toEqual(NAMES);
    expect(fake.commands.get(fake.ids.guild)?.map((c) => c.name)).toEqual(NAMES);
  });

  it('without DISCORD_GUILD_ID: one PUT of every command globally, valid per the spec', () => {
    const fake = globalFake;
    expect(globalRun).toEqual({ code: 0, stdout: 'Deployed 8 commands to every server (global).\n', stderr: '' });
    expect(fake.requests.map((r) => `${r.method} ${r.path} -> ${r.response.status}`)).toEqual([
      `PUT /applications/${fake.applicationId}/commands -> 200`,
    ]);
    const [put] = fake.requests;
    if (!put) throw new Error('no PUT');
    expect(put.headers.authorization).toBe(`Bot ${token}`);
    expect(validateRecordedRequest(put)).toEqual({
      operationId: 'bulk_set_application_commands',
      pathTemplate: '/applications/{application_id}/commands',
      errors: [],
    });
    const body = put.body as { name: string; default_member_permissions?: string | null; contexts?: number[] }[];
    expect(body.map((c) => c.name)).toEqual(NAMES);
    // /reindex is hidden from members without Manage Server, and exists only in servers.
    expect(body.find((c) => c.name === 'reindex')).toMatchObject({ default_member_permissions: '32', contexts: [0] });
    expect(fake.commands.get('global')?.map((c) => c.name)).toEqual(NAMES);
  });
});
