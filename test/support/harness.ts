/**
 * Runs the real Factdesk entrypoint (src/main.ts, see {@link tsNode}) as a child process against a
 * {@link FakeDiscord}, for the end-to-end tests and the Discord latency benchmark.
 *
 *   const fake = new FakeDiscord({ token: BOT_TOKEN });
 *   await fake.start();
 *   const seeds = await makeSeedsDir({ 'extra.md': '…' });
 *   const bot = await BotProcess.start({ fake, seedsDir: seeds.dir, env: { COOLDOWN_SECONDS: '0' } });
 *   …
 *   await bot.stop();  await fake.close();  await seeds.remove();
 *
 * Every variable Factdesk reads is passed explicitly (an empty string counts as unset and wins over
 * a developer's `.env`), and nothing else of the parent's environment but what Node needs to run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIUser } from 'discord.js';
import { CONFIG_VARIABLES, type ConfigVariable } from '../../src/config.ts';
import type { WorkerEntry } from '../../src/core/worker-start.ts';
import { builtFile } from './build.ts';
import { snowflake, type FakeDiscord, type RecordedRequest } from './fake-discord/index.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * How to run a project file as its own process: one node process, as production runs the built
 * one (not the tsx CLI, which adds a parent process that relays signals and, on a busy machine,
 * SIGKILLs its child with 143 when the child takes over 30 ms to acknowledge one). Under vitest it
 * runs the compiled copy the suite's global setup brought up to date (test/support/build.ts): plain
 * node, as `npm start` runs dist/, at about half the CPU of loading the sources through tsx. Outside
 * vitest (the benchmarks) it runs the sources with `node --import tsx`.
 */
export function tsNode(file: string): [string, string[]] {
  if (process.env.VITEST !== undefined) return [process.execPath, [builtFile(REPO_ROOT, file)]];
  return [process.execPath, ['--import', 'tsx', file]];
}
/**
 * A worker thread's entry in the compiled copy, as `dist/` starts it: for tests that need a real
 * worker but do not test starting one from the sources, which loads it through tsx's loader in the
 * worker at about five times the CPU (1.7 s against 0.3 s for the chart worker).
 */
export function builtWorker(file: string): WorkerEntry {
  return { url: pathToFileURL(builtFile(REPO_ROOT, file)), execArgv: [] };
}
export const SEED_FILE = path.join(REPO_ROOT, 'seeds', '000_ebfcda1f30342ff9.txt');

export type BotEnv = Partial<Record<ConfigVariable, string>>;

/**
 * A made-up bot token of the real shape (base64 id . 6 chars . 38 chars), so that anything that
 * redacts tokens by their shape is exercised too.
 */
export function fakeBotToken(): string {
  const part = (bytes: number, length: number): string => randomBytes(bytes).toString('base64url').slice(0, length);
  return `${Buffer.from(snowflake()).toString('base64url')}.${part(6, 6)}.${part(32, 38)}`;
}

/**
 * The child's environment: PATH (with this Node first, for tsx's shebang), HOME and the temp dir,
 * then every config variable, blank unless given.
 */
export function childEnv(env: BotEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {
    PATH: [path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter),
    HOME: process.env.HOME ?? tmpdir(),
    TMPDIR: tmpdir(),
  };
  for (const name of CONFIG_VARIABLES) out[name] = env[name] ?? '';
  // A bot over a seeds folder gets its own data folder beside it (removed with it, see
  // makeSeedsDir), not the checkout's data/, which bots of test files running at the same time
  // would share and leave snapshots in.
  if (env.DATA_DIR === undefined && env.SEEDS_DIR !== undefined) out.DATA_DIR = `${env.SEEDS_DIR}.data`;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------------------------

export interface SeedsDir {
  readonly dir: string;
  /** Writes (or overwrites) an article at a path relative to the folder. */
  write(relative: string, text: string): Promise<void>;
  remove(): Promise<void>;
}

/** A temporary seeds folder holding the sample article and `extra` files (relative path → text). */
export async function makeSeedsDir(extra: Readonly<Record<string, string>> = {}): Promise<SeedsDir> {
  const dir = await mkdtemp(path.join(tmpdir(), 'factdesk-e2e-'));
  const write = async (relative: string, text: string): Promise<void> => {
    const full = path.join(dir, relative);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, text);
  };
  await copyFile(SEED_FILE, path.join(dir, path.basename(SEED_FILE)));
  for (const [relative, text] of Object.entries(extra)) await write(relative, text);
  return {
    dir,
    write,
    remove: async () => {
      await rm(dir, { recursive: true, force: true });
      // The data folder a bot over these seeds was given (see BotProcess.start).
      await rm(`${dir}.data`, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The bot process
// ---------------------------------------------------------------------------------------------

/** One pino line from the bot's stderr. */
export interface LogLine {
  readonly level: number;
  readonly msg?: string;
  readonly [key: string]: unknown;
}

export const LOG_LEVEL = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface BotProcessOptions {
  /** A started fake; its REST URL becomes DISCORD_API_URL and its application id DISCORD_CLIENT_ID. */
  readonly fake: FakeDiscord;
  readonly token: string;
  readonly seedsDir: string;
  /** More variables (or overrides); the rest are passed blank. */
  readonly env?: BotEnv;
  /** How long to wait for "connected to Discord" (default 15 s). */
  readonly readyTimeoutMs?: number;
  /** The log line to wait for instead of "connected to Discord". */
  readonly readyLog?: (line: LogLine) => boolean;
  /**
   * The entrypoint to run instead of src/main.ts, with an IPC channel to it: held-reindex-bot.ts,
   * whose reindexes a test holds ({@link BotProcess.holdReindex}).
   */
  readonly entry?: typeof HELD_REINDEX_BOT;
}

/** The entrypoint whose reindexes a test can hold while they run (see held-reindex-bot.ts). */
export const HELD_REINDEX_BOT = 'test/support/held-reindex-bot.ts';

/** Bots still running: killed if this process exits without stopping them (a crashed test run). */
const live = new Set<BotProcess>();
process.once('exit', () => {
  for (const bot of live) bot.kill();
});

/** The real entrypoint, running as a child process. */
export class BotProcess {
  readonly child: ChildProcess;
  /** Parsed log lines, in order. */
  readonly logs: LogLine[] = [];
  /** Milliseconds from spawn to "connected to Discord". */
  startupMs = 0;
  #stderr = '';
  #stdout = '';
  #partial = '';
  #exit: Exit | null = null;
  readonly #exited: Promise<Exit>;
  readonly #listeners = new Set<() => void>();
  /** What the entrypoint sent over the IPC channel, in order. */
  readonly #messages: unknown[] = [];

  private constructor(child: ChildProcess) {
    this.child = child;
    child.on('message', (message) => {
      this.#messages.push(message);
      this.#notify();
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#onStderr(chunk);
    });
    live.add(this);
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(this);
        this.#exit = { code, signal };
        this.#notify();
        resolve(this.#exit);
      });
    });
  }

  /** Spawns src/main.ts (see {@link tsNode}) and resolves once it logged "connected to Discord". */
  static async start(options: BotProcessOptions): Promise<BotProcess> {
    const env = childEnv({
      DISCORD_TOKEN: options.token,
      DISCORD_CLIENT_ID: options.fake.applicationId,
      DISCORD_API_URL: options.fake.endpoints.restUrl,
      SEEDS_DIR: options.seedsDir,
      LOG_LEVEL: 'info',
      ...options.env,
    });
    const started = performance.now();
    // Its own process group, as under a supervisor, so a test can signal the whole group.
    const [command, args] = tsNode(options.entry ?? 'src/main.ts');
    const stdio = options.entry === undefined ? (['ignore', 'pipe', 'pipe'] as const) : (['ignore', 'pipe', 'pipe', 'ipc'] as const);
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: [...stdio], detached: true });
    const bot = new BotProcess(child);
    try {
      await bot.waitForLog(options.readyLog ?? ((l) => l.msg === 'connected to Discord'), options.readyTimeoutMs ?? 15_000);
    } catch (error) {
      bot.kill();
      throw new Error(`the bot did not connect: ${error instanceof Error ? error.message : String(error)}`);
    }
    bot.startupMs = performance.now() - started;
    return bot;
  }

  /** Raw stderr so far (pino JSON lines and anything else). */
  get stderr(): string {
    return this.#stderr;
  }

  get stdout(): string {
    return this.#stdout;
  }

  /** Null while running. */
  get exit(): Exit | null {
    return this.#exit;
  }

  /** The last `lines` lines of stderr, for failure reports. */
  stderrTail(lines = 60): string {
    return this.#stderr.split('\n').slice(-lines).join('\n');
  }

  /** Log lines from index `from` on (see `logs.length`). */
  logsSince(from: number): LogLine[] {
    return this.logs.slice(from);
  }

  /**
   * Resolves with the first log line (from index `from`) that matches; rejects on timeout or when
   * the process exits first.
   */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 5_000, from = 0): Promise<LogLine> {
    return this.#waitFor(() => this.logs.slice(from).find(predicate), 'the awaited log line', timeoutMs);
  }

  /**
   * Resolves with what `find` gives once it gives something, checked now and on every log line or
   * message from the bot; rejects on timeout, or when the process exits first. `what` names it in errors.
   */
  #waitFor<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = find();
        if (found !== undefined) {
          done();
          resolve(found);
          return true;
        }
        if (this.#exit) {
          done();
          reject(new Error(`the bot exited (${JSON.stringify(this.#exit)}) before ${what}.\n${this.stderrTail()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}.\n${this.stderrTail()}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#listeners.delete(listener);
      };
      const listener = (): void => {
        check();
      };
      if (!check()) this.#listeners.add(listener);
    });
  }

  /**
   * Holds the bot's next reindex (started with {@link HELD_REINDEX_BOT}): it waits at its first
   * request to the reindex worker, counted as running, until {@link releaseReindex}. Resolves once
   * the bot has armed the hold; {@link reindexHeld} resolves once a reindex is waiting at it.
   */
  async holdReindex(): Promise<void> {
    const from = this.#messages.length;
    this.child.send('hold');
    await this.#waitForMessage('holding', from);
  }

  /** Resolves once the reindex held by {@link holdReindex} is waiting (it may already be). */
  reindexHeld(timeoutMs = 10_000): Promise<void> {
    return this.#waitForMessage('held', 0, timeoutMs);
  }

  /** Lets the held reindex go on; resolves once the bot has opened the hold. */
  async releaseReindex(): Promise<void> {
    const from = this.#messages.length;
    this.child.send('release');
    await this.#waitForMessage('released', from);
  }

  async #waitForMessage(message: string, from: number, timeoutMs = 5_000): Promise<void> {
    await this.#waitFor(
      () => (this.#messages.slice(from).includes(message) ? true : undefined),
      `the bot's '${message}' message`,
      timeoutMs,
    );
  }

  /** Resolves when the process has exited. */
  waitForExit(timeoutMs = 10_000): Promise<Exit> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`the bot did not exit within ${timeoutMs} ms.\n${this.stderrTail()}`));
      }, timeoutMs);
      void this.#exited.then((exit) => {
        clearTimeout(timer);
        resolve(exit);
      });
    });
  }

  /** Sends `signal` to the bot. */
  signal(signal: NodeJS.Signals): void {
    if (this.#exit === null) this.child.kill(signal);
  }

  /** SIGTERM, then waits; SIGKILLs the whole group if it does not exit in time. */
  async stop(timeoutMs = 5_000): Promise<Exit> {
    if (this.#exit) return this.#exit;
    this.signal('SIGTERM');
    try {
      return await this.waitForExit(timeoutMs);
    } catch {
      this.kill();
      return this.#exited;
    }
  }

  /** SIGKILL to the process group. */
  kill(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  #onStderr(chunk: string): void {
    this.#stderr += chunk;
    const text = this.#partial + chunk;
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    let added = false;
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        const parsed = JSON.parse(line) as unknown;
        if (typeof parsed === 'object' && parsed !== null && 'level' in parsed && typeof parsed.level === 'number') {
          this.logs.push(parsed as LogLine);
          added = true;
        }
      } catch {
        // Not a log line.
      }
    }
    if (added) this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers for scenarios
// ---------------------------------------------------------------------------------------------

/** A user who is not one of the fake's members: each scenario asks as someone new (the cooldown is per user). */
export function newUser(name: string): APIUser {
  return { id: snowflake(), username: name.toLowerCase(), discriminator: '0', global_name: name, avatar: null };
}

/** The request body as an object (throws when it is not one). */
export function bodyOf(req: RecordedRequest): Record<string, unknown> {
  const body = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Error(`expected a JSON object body for ${req.method} ${req.path}`);
  return body as Record<string, unknown>;
}

/** A port nobody listens on right now (the system picks it, then it is released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}
