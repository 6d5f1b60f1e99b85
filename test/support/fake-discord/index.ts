/**
 * A protocol-level fake of Discord for end-to-end tests: the real discord.js client connects to
 * it like to Discord (REST under /api/v10 + a JSON, uncompressed Gateway), on 127.0.0.1 only.
 *
 *   const fake = new FakeDiscord();
 *   const { restUrl } = await fake.start();
 *   const client = new Client({ intents, rest: { api: restUrl } });   // restUrl = http://127.0.0.1:PORT/api
 *   client.once('ready', ...);  await client.login('any-token');
 *   const i = fake.slashCommand({ name: 'ask', options: { question: 'why?' } });
 *   const req = await fake.waitForRequest(routes.callback(i));
 *   ...
 *   await client.destroy();  await fake.close();
 *
 * What it models (learned against discord.js 14.28.1):
 *   - GET /gateway/bot points the client at the fake gateway; HELLO, IDENTIFY -> READY + one
 *     GUILD_CREATE per guild (else READY waits `waitGuildTimeout`, 15 s), heartbeats, RESUME with
 *     replay of missed dispatches and RESUMED, server-side closes.
 *   - intents: MESSAGE_CREATE needs GuildMessages; without MessageContent the content, embeds,
 *     attachments and components of other users' messages are blanked unless the bot is mentioned.
 *   - interactions: a response after `interactionDeadlineMs` (3 s, as on Discord) or a second
 *     response fail with 10062 / 40060; editReply/followUp work through the interaction token.
 *   - messages the bot creates are echoed back as MESSAGE_CREATE (as Discord does, so a bot that
 *     does not ignore its own messages shows it), edits as MESSAGE_UPDATE.
 * Payloads carry the fields discord.js needs (INTERACTION_CREATE without `entitlements` and
 * `authorizing_integration_owners` is dropped silently; a MESSAGE_CREATE in a channel the guild
 * did not list is dropped too).
 *
 * The rooms: types.ts (what tests pass and get), protocol.ts (snowflakes, errors, opcodes,
 * flags), matchers.ts (request matchers), world.ts (users, guilds, messages, commands,
 * interactions), gateway.ts, rest.ts (recording, overrides, routing) with rest-routes.ts and
 * bot-messages.ts, scenarios.ts (what users do) and waiting.ts; this file wires them together.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';
import type {
  APIApplicationCommandAutocompleteGuildInteraction,
  APIChatInputApplicationCommandGuildInteraction,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageApplicationCommandGuildInteraction,
  APIMessageComponentButtonInteraction,
  GatewayMessageCreateDispatchData,
} from 'discord.js';
import { BotMessages } from './bot-messages.ts';
import { FakeGateway } from './gateway.ts';
import { describeMatcher, matches } from './matchers.ts';
import { stringify } from './protocol.ts';
import { FakeRest } from './rest.ts';
import { DiscordRoutes } from './rest-routes.ts';
import { Scenarios } from './scenarios.ts';
import type {
  AutocompleteOptions,
  ButtonPressOptions,
  FakeDiscordEndpoints,
  FakeDiscordOptions,
  FakeGuild,
  FakeGuildIds,
  FakeResponse,
  FakeUsers,
  ForumPost,
  ForumPostOptions,
  GatewayDispatch,
  MessageCommandOptions,
  ReceivedGatewayOp,
  RecordedRequest,
  RequestMatcher,
  ResumeRecord,
  SlashCommandOptions,
  UserMessageOptions,
  WaitOptions,
} from './types.ts';
import { ChangeFeed } from './waiting.ts';
import { FakeWorld } from './world.ts';

export * from './types.ts';
export { describeMatcher, matches, routes } from './matchers.ts';
export { DiscordErrors, discordError, rateLimited, snowflake } from './protocol.ts';

export class FakeDiscord {
  readonly users: FakeUsers;
  readonly guilds: readonly FakeGuild[];
  readonly applicationId: string;
  /** Every recorded REST request, in order of arrival. */
  readonly requests: RecordedRequest[];
  /** Every op the client sent over the gateway (heartbeats included). */
  readonly gatewayOps: ReceivedGatewayOp[];
  /** Every dispatch sent (or queued for replay), across sessions. */
  readonly dispatches: GatewayDispatch[];
  readonly resumes: ResumeRecord[];
  /** Messages known to the fake (created by helpers or by the bot), by id. */
  readonly messages: Map<string, APIMessage>;
  /** Commands registered through PUT .../commands: key 'global' or a guild id. */
  readonly commands: Map<string, Record<string, unknown>[]>;

  readonly #world: FakeWorld;
  readonly #gateway: FakeGateway;
  readonly #rest: FakeRest;
  readonly #scenarios: Scenarios;
  readonly #changes: ChangeFeed;
  #restServer: Server | null = null;
  #gatewayHttp: Server | null = null;
  #wss: WebSocketServer | null = null;
  #endpoints: FakeDiscordEndpoints | null = null;

  constructor(options: FakeDiscordOptions = {}) {
    const token = options.token ?? null;
    this.#world = new FakeWorld(options.botName ?? 'Factdesk', options.guildCount ?? 1);
    this.#changes = new ChangeFeed(() => this.#summary());
    const endpoints = (): FakeDiscordEndpoints => this.endpoints;
    this.#gateway = new FakeGateway(
      this.#world,
      { heartbeatIntervalMs: options.heartbeatIntervalMs ?? 45_000, token },
      this.#changes,
      endpoints,
    );
    this.#rest = new FakeRest((t) => this.#gateway.tokenOk(t), this.#changes, endpoints, options.shards ?? 1);
    const messages = new BotMessages(this.#world, this.#gateway, options.echoBotMessages ?? true);
    new DiscordRoutes(
      this.#world,
      this.#gateway,
      messages,
      options.interactionDeadlineMs === undefined ? 3_000 : options.interactionDeadlineMs,
    ).register(this.#rest);
    this.#scenarios = new Scenarios(this.#world, this.#gateway);
    this.users = this.#world.users;
    this.guilds = this.#world.guilds;
    this.applicationId = this.#world.applicationId;
    this.messages = this.#world.messages;
    this.commands = this.#world.commands;
    this.requests = this.#rest.requests;
    this.gatewayOps = this.#gateway.ops;
    this.dispatches = this.#gateway.dispatches;
    this.resumes = this.#gateway.resumes;
  }

  /** The first guild. */
  get guild(): FakeGuild {
    return this.#world.guild;
  }

  /** Ids of the first guild plus the application/bot ids. */
  get ids(): FakeGuildIds & { readonly application: string; readonly bot: string } {
    return { ...this.guild.ids, application: this.applicationId, bot: this.users.bot.id };
  }

  get endpoints(): FakeDiscordEndpoints {
    if (!this.#endpoints) throw new Error('fake-discord: not started');
    return this.#endpoints;
  }

  /** Intents of the current gateway session (null before IDENTIFY). */
  get intents(): number | null {
    return this.#gateway.session?.intents ?? null;
  }

  /** Number of IDENTIFY ops received. */
  get identifyCount(): number {
    return this.#gateway.identifyCount;
  }

  /** The current gateway session id (null before IDENTIFY). */
  get sessionId(): string | null {
    return this.#gateway.session?.id ?? null;
  }

  /** Whether a client socket is attached to the session right now. */
  get connected(): boolean {
    return this.#gateway.session?.socket?.readyState === WebSocket.OPEN;
  }

  // ------------------------------------------------------------------------- lifecycle

  async start(): Promise<FakeDiscordEndpoints> {
    if (this.#endpoints) return this.#endpoints;
    const rest = createServer((req, res) => {
      void this.#rest.handle(req, res);
    });
    const gatewayHttp = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('fake-discord gateway: WebSocket only');
    });
    const wss = new WebSocketServer({ server: gatewayHttp });
    wss.on('connection', (socket, request) => {
      this.#gateway.accept(socket, request);
    });
    const listen = (server: Server): Promise<number> =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          resolve((server.address() as AddressInfo).port);
        });
      });
    const [restPort, gatewayPort] = await Promise.all([listen(rest), listen(gatewayHttp)]);
    this.#restServer = rest;
    this.#gatewayHttp = gatewayHttp;
    this.#wss = wss;
    this.#endpoints = {
      restPort,
      gatewayPort,
      restUrl: `http://127.0.0.1:${restPort}/api`,
      gatewayUrl: `ws://127.0.0.1:${gatewayPort}`,
    };
    return this.#endpoints;
  }

  /**
   * Stops everything: sockets, servers, timers and pending waits (which reject). Destroy the
   * client first, or it keeps trying to reconnect to the closed ports.
   */
  async close(): Promise<void> {
    if (this.#changes.closed) return;
    this.#changes.close();
    this.#gateway.terminateAll();
    const closeServer = (server: Server | null): Promise<void> =>
      new Promise((resolve) => {
        if (!server) {
          resolve();
          return;
        }
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
    await new Promise<void>((resolve) => {
      if (this.#wss)
        this.#wss.close(() => {
          resolve();
        });
      else resolve();
    });
    await Promise.all([closeServer(this.#restServer), closeServer(this.#gatewayHttp)]);
  }

  // ------------------------------------------------------------------------- waiting & asserting

  /** The seq of the last recorded request; pass as `after` to look only at later requests. */
  mark(): number {
    return this.requests.length;
  }

  requestsMatching(matcher: RequestMatcher, after = 0): RecordedRequest[] {
    return this.requests.filter((r) => r.seq > after && matches(matcher, r));
  }

  /** Resolves with the first matching request (already recorded after `after`, or arriving later). */
  waitForRequest(matcher: RequestMatcher, options: number | WaitOptions = {}): Promise<RecordedRequest> {
    const { timeoutMs = 2_000, after = 0 } = typeof options === 'number' ? { timeoutMs: options } : options;
    return this.#changes.waitFor(
      () => this.requests.find((r) => r.seq > after && matches(matcher, r)),
      timeoutMs,
      () => `request ${describeMatcher(matcher)}`,
    );
  }

  /** Resolves after `waitMs` if no matching request was recorded (after `after`); rejects at the first one. */
  async expectNoRequest(
    matcher: RequestMatcher,
    options: number | { readonly waitMs?: number; readonly after?: number } = {},
  ): Promise<void> {
    const { waitMs = 300, after = 0 } = typeof options === 'number' ? { waitMs: options } : options;
    const found = await this.#changes
      .waitFor(
        () => this.requests.find((r) => r.seq > after && matches(matcher, r)),
        waitMs,
        () => '',
      )
      .catch(() => undefined);
    if (found) {
      throw new Error(
        `fake-discord: expected no request ${describeMatcher(matcher)}, got ${found.method} ${found.path} ${stringify(found.body)}`,
      );
    }
  }

  /** Shard ids with a gateway session now, in order. */
  get shardsConnected(): number[] {
    return this.#gateway.sessions.map((session) => session.shard[0]).sort((a, b) => a - b);
  }

  /** The shard a guild's events go to (Discord's `(guild_id >> 22) % count`). */
  shardOf(guild: FakeGuild, count: number): number {
    return FakeGateway.shardOf(guild.ids.guild, count);
  }

  /** Resolves once `count` shards each have a gateway session (READY and their GUILD_CREATEs sent). */
  waitForShards(count: number, timeoutMs = 5_000): Promise<number[]> {
    return this.#changes.waitFor(
      () => (this.#gateway.sessions.length >= count ? this.shardsConnected : undefined),
      timeoutMs,
      () => `${count} shards identified`,
    );
  }

  /** Resolves when a gateway session has sent READY and every GUILD_CREATE. */
  waitForSession(timeoutMs = 5_000): Promise<string> {
    return this.#changes.waitFor(
      () => this.#gateway.session?.id,
      timeoutMs,
      () => 'IDENTIFY',
    );
  }

  /** Resolves with the next RESUME handled after this call (or the `index`-th overall, 0-based). */
  waitForResume(timeoutMs = 5_000, index: number = this.resumes.length): Promise<ResumeRecord> {
    return this.#changes.waitFor(
      () => this.resumes[index],
      timeoutMs,
      () => `RESUME #${index + 1}`,
    );
  }

  /** Resolves with the first op `op` received after `afterIndex` (an index into `gatewayOps`). */
  waitForGatewayOp(op: number, timeoutMs = 5_000, afterIndex = 0): Promise<ReceivedGatewayOp> {
    return this.#changes.waitFor(
      () => this.gatewayOps.find((o, i) => i >= afterIndex && o.op === op),
      timeoutMs,
      () => `gateway op ${op}`,
    );
  }

  // ------------------------------------------------------------------------- overrides

  /**
   * Answers matching requests with `response` instead of the built-in behaviour (the request is
   * still recorded). A function may return undefined to fall through. Returns a remover.
   */
  override(
    matcher: RequestMatcher,
    response: FakeResponse | ((req: RecordedRequest) => FakeResponse | undefined),
    options: { readonly times?: number } = {},
  ): () => void {
    return this.#rest.override(matcher, response, options);
  }

  clearOverrides(): void {
    this.#rest.clearOverrides();
  }

  // ------------------------------------------------------------------------- gateway control

  /** Sends a raw dispatch in the current session (queued for replay while disconnected). */
  dispatch<D>(t: string, d: D): GatewayDispatch<D> {
    return this.#gateway.dispatch(t, d);
  }

  /**
   * Closes the client's gateway socket from the server side. 4000 (default) and most other codes
   * make discord.js resume; see FakeGateway.closeGateway for the codes that do not.
   */
  closeGateway(code: number | 'abnormal' = 4000, reason = 'fake-discord: closed by server'): void {
    this.#gateway.closeGateway(code, reason);
  }

  /** Sends op 7 RECONNECT (discord.js closes and resumes). */
  requestReconnect(): void {
    this.#gateway.requestReconnect();
  }

  /** Sends op 9 INVALID_SESSION; when not resumable the client re-identifies (throttled ~5 s). */
  invalidateSession(resumable = false): void {
    this.#gateway.invalidateSession(resumable);
  }

  // ------------------------------------------------------------------------- scenarios

  /** Dispatches a slash command (INTERACTION_CREATE type 2, data.type 1). */
  slashCommand(options: SlashCommandOptions): APIChatInputApplicationCommandGuildInteraction {
    return this.#scenarios.slashCommand(options);
  }

  /** Dispatches an autocomplete request (INTERACTION_CREATE type 4) with one focused option. */
  autocomplete(options: AutocompleteOptions): APIApplicationCommandAutocompleteGuildInteraction {
    return this.#scenarios.autocomplete(options);
  }

  /** Dispatches a button press (INTERACTION_CREATE type 3, component_type 2). */
  buttonPress(options: ButtonPressOptions): APIMessageComponentButtonInteraction & { guild_id: string; member: APIInteractionGuildMember } {
    return this.#scenarios.buttonPress(options);
  }

  /** Dispatches a message context-menu command (type 2, data.type 3) targeting a message. */
  messageCommand(options: MessageCommandOptions): APIMessageApplicationCommandGuildInteraction {
    return this.#scenarios.messageCommand(options);
  }

  /**
   * Dispatches a MESSAGE_CREATE from a user (or another bot, or a webhook) in a guild channel;
   * without MessageContent the client receives it blanked (see Scenarios.userMessage).
   */
  userMessage(options: UserMessageOptions): GatewayMessageCreateDispatchData {
    return this.#scenarios.userMessage(options);
  }

  /** A new forum post: THREAD_CREATE (newly_created) then the starter MESSAGE_CREATE (same id). */
  forumPost(options: ForumPostOptions): ForumPost {
    return this.#scenarios.forumPost(options);
  }

  /** The state the fake keeps about a dispatched interaction (for assertions). */
  interactionState(id: string): Readonly<{ acknowledged: number | null; originalMessageId: string | null }> | undefined {
    const state = this.#world.interactions.get(id);
    return state ? { acknowledged: state.acknowledged, originalMessageId: state.originalMessageId } : undefined;
  }

  #summary(): string {
    const lines = this.requests.slice(-15).map((r) => `  #${r.seq} ${r.method} ${r.path} -> ${r.response.status}`);
    return lines.length === 0 ? 'No requests recorded.' : `Last recorded requests:\n${lines.join('\n')}`;
  }
}
