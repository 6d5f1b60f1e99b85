/**
 * Start-up connection failures, end to end: the real entrypoint says what went wrong and what to
 * do, retries what may pass (the network) and gives up at once on what will not (the token).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../support/fake-discord/index.ts';
import { childEnv, fakeBotToken, makeSeedsDir, REPO_ROOT, tsNode, type BotEnv, type SeedsDir } from '../support/harness.ts';
import { SETUP_MS } from '../support/scenarios.ts';

/**
 * How long a run may take before it is killed and reported with its stderr; each test allows a
 * little more, so that report is what a busy machine shows rather than vitest's bare timeout.
 */
const RUN_MS = SETUP_MS - 5_000;

interface Outcome {
  readonly code: number | null;
  readonly stderr: string;
}

/** Runs the bot until it exits, or until its stderr matches `until` (then it gets `signal`). */
function run(env: BotEnv, until: RegExp | null, signal: NodeJS.Signals = 'SIGKILL', timeoutMs = RUN_MS): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(...tsNode('src/main.ts'), { cwd: REPO_ROOT, env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no outcome in time:\n${stderr}`));
    }, timeoutMs);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (until?.test(stderr) === true && child.signalCode === null) {
        until = null;
        child.kill(signal);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('connecting at start-up', () => {
  let seeds: SeedsDir;
  let fake: FakeDiscord;
  beforeAll(async () => {
    seeds = await makeSeedsDir();
    fake = new FakeDiscord({ token: fakeBotToken() });
    await fake.start();
  });
  afterAll(async () => {
    await fake.close();
    await seeds.remove();
  });

  it(
    'a refused token: says so and what to do, exits 78 (a setting to fix, not worth a restart), and does not retry',
    async () => {
      const { code, stderr } = await run(
        { DISCORD_TOKEN: fakeBotToken(), DISCORD_API_URL: fake.endpoints.restUrl, SEEDS_DIR: seeds.dir, LOG_LEVEL: 'info' },
        null,
      );
      expect(code).toBe(78);
      expect(stderr).toContain(
        'Factdesk could not connect to Discord: Discord refused the token. Reset it in the Developer Portal (your application → Bot → Reset Token), put the new one in DISCORD_TOKEN, and start again.\n',
      );
      expect(stderr).not.toContain('Trying again');
    },
    SETUP_MS,
  );

  it(
    'an unreachable server: says Discord was never reached, and tries again after a pause',
    async () => {
      const { stderr } = await run(
        { DISCORD_TOKEN: fakeBotToken(), DISCORD_API_URL: 'http://127.0.0.1:1/api', SEEDS_DIR: seeds.dir, LOG_LEVEL: 'info' },
        /Trying again in 1 s/u,
      );
      const line = stderr.split('\n').find((l) => l.includes('Trying again in 1 s')) ?? '';
      expect(JSON.parse(line)).toMatchObject({
        kind: 'network',
        attempt: 1,
        retryInMs: 1000,
        msg: 'could not connect to Discord: could not connect to 127.0.0.1:1 (ECONNREFUSED): Discord was never reached. Check the network, a firewall or proxy in the way, and that DISCORD_API_URL points at a running server. Trying again in 1 s.',
      });
    },
    SETUP_MS,
  );

  it(
    'SIGTERM while the articles load: stops and exits 0',
    async () => {
      const { code, stderr } = await run(
        { DISCORD_TOKEN: fakeBotToken(), DISCORD_API_URL: fake.endpoints.restUrl, SEEDS_DIR: seeds.dir, LOG_LEVEL: 'info' },
        /"msg":"loading the articles"/u,
        'SIGTERM',
      );
      expect(code).toBe(0);
      expect(stderr).toMatch(/"signal":"SIGTERM","msg":"shutting down"/u);
      expect(stderr).not.toContain('connected to Discord');
    },
    SETUP_MS,
  );
});
