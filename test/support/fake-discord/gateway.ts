/**
 * The fake gateway: HELLO, IDENTIFY -> READY + one GUILD_CREATE per guild, heartbeats, RESUME
 * with replay of missed dispatches, server-side closes, and dispatches filtered by intents.
 * Sharded clients are served one session per shard (IDENTIFY's `shard: [id, count]`): each shard
 * gets the guilds Discord would give it (`(guild_id >> 22) % count`) and their dispatches.
 */
import type { IncomingMessage } from 'node:http';
import { WebSocket, type RawData } from 'ws';
import { GatewayIntentBits, type GatewayMessageCreateDispatchData, type GatewayReadyDispatchData } from 'discord.js';
import { NO_APPLICATION_FLAGS, NO_USER_FLAGS, OP, isRecord, snowflake } from './protocol.ts';
import type { ChangeFeed } from './waiting.ts';
import type { FakeWorld } from './world.ts';
import type { FakeDiscordEndpoints, GatewayDispatch, ReceivedGatewayOp, ResumeRecord } from './types.ts';

export interface GatewaySession {
  readonly id: string;
  readonly token: string;
  readonly intents: number;
  /** `[shard id, shard count]`, as IDENTIFY gave it (`[0, 1]` when it gave none). */
  readonly shard: readonly [number, number];
  seq: number;
  readonly log: GatewayDispatch[];
  socket: WebSocket | null;
}

function rawDataToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export interface GatewaySettings {
  readonly heartbeatIntervalMs: number;
  /** When set, IDENTIFY, RESUME and REST must use this token. */
  readonly token: string | null;
}

export class FakeGateway {
  /** Every op the client sent over the gateway (heartbeats included). */
  readonly ops: ReceivedGatewayOp[] = [];
  /** Every dispatch sent (or queued for replay), across sessions. */
  readonly dispatches: GatewayDispatch[] = [];
  readonly resumes: ResumeRecord[] = [];
  readonly #world: FakeWorld;
  readonly #settings: GatewaySettings;
  readonly #changes: ChangeFeed;
  readonly #endpoints: () => FakeDiscordEndpoints;
  readonly #sockets = new Set<WebSocket>();
  /** Sessions by shard id: one for an unsharded client. */
  readonly #sessions = new Map<number, GatewaySession>();
  #identifyCount = 0;
  #connectionCount = 0;

  constructor(world: FakeWorld, settings: GatewaySettings, changes: ChangeFeed, endpoints: () => FakeDiscordEndpoints) {
    this.#world = world;
    this.#settings = settings;
    this.#changes = changes;
    this.#endpoints = endpoints;
  }

  /** The current session of shard 0 (null before IDENTIFY and after a non-resumable INVALID_SESSION). */
  get session(): GatewaySession | null {
    return this.#sessions.get(0) ?? null;
  }

  /** Every current session, one per shard connected. */
  get sessions(): readonly GatewaySession[] {
    return [...this.#sessions.values()];
  }

  /** The shard a guild's events go to, as Discord computes it. */
  static shardOf(guildId: string, count: number): number {
    return count <= 1 ? 0 : Number((BigInt(guildId) >> 22n) % BigInt(count));
  }

  /** The session a dispatch goes to: its guild's shard, else shard 0 (DMs). */
  #sessionFor(d: unknown): GatewaySession | null {
    const count = this.session?.shard[1] ?? this.sessions[0]?.shard[1] ?? 1;
    const guildId = isRecord(d) && typeof d.guild_id === 'string' ? d.guild_id : null;
    return this.#sessions.get(guildId === null ? 0 : FakeGateway.shardOf(guildId, count)) ?? null;
  }

  /** Number of IDENTIFY ops received. */
  get identifyCount(): number {
    return this.#identifyCount;
  }

  /** Drops every client socket (when the fake closes). */
  terminateAll(): void {
    for (const socket of this.#sockets) socket.terminate();
    this.#sockets.clear();
  }

  /**
   * Closes the client's gateway socket from the server side. 4000 (default) and most other codes
   * make discord.js resume (after its fixed 500 ms pause); `'abnormal'` drops the TCP connection
   * without a close frame (the client sees 1006 and resumes too). Beware (@discordjs/ws 1.2.3):
   * 1000, 4003, 4005, 4007 and 4008 make it start a new session (IDENTIFY, throttled ~5 s), and
   * 4004 and 4010-4014 are fatal.
   */
  closeGateway(code: number | 'abnormal' = 4000, reason = 'fake-discord: closed by server'): void {
    const socket = this.session?.socket;
    if (!socket) throw new Error('fake-discord: no connected gateway socket');
    if (code === 'abnormal') socket.terminate();
    else socket.close(code, reason);
  }

  /** Sends op 7 RECONNECT (discord.js closes and resumes). */
  requestReconnect(): void {
    this.requireSession().socket?.send(JSON.stringify({ op: OP.reconnect, d: null, s: null, t: null }));
  }

  /** Sends op 9 INVALID_SESSION; when not resumable the client re-identifies (throttled ~5 s). */
  invalidateSession(resumable = false): void {
    const session = this.requireSession();
    session.socket?.send(JSON.stringify({ op: OP.invalidSession, d: resumable, s: null, t: null }));
    if (!resumable) this.#sessions.delete(session.shard[0]);
  }

  /** Sends a raw dispatch in its guild's shard's session (queued for replay while disconnected). */
  dispatch<D>(t: string, d: D): GatewayDispatch<D> {
    this.requireSession();
    const session = this.#sessionFor(d);
    if (!session) throw new Error('fake-discord: the shard of that guild has no gateway session');
    return this.#dispatchIn(session, t, d);
  }

  /** Dispatches only when there is a session (echoes of what the bot did over REST). */
  dispatchIfSession(t: string, d: unknown): void {
    const session = this.#sessionFor(d);
    if (session) this.#dispatchIn(session, t, d);
  }

  hasIntent(bit: GatewayIntentBits): boolean {
    const intents = this.session?.intents ?? 0;
    return (intents & bit) !== 0;
  }

  dispatchMessageCreate(data: GatewayMessageCreateDispatchData): void {
    this.requireSession();
    const session = this.#sessionFor(data);
    if (!session) throw new Error('fake-discord: the shard of that guild has no gateway session');
    if (data.guild_id !== undefined && !this.hasIntent(GatewayIntentBits.GuildMessages)) return;
    const mentioned = data.mentions.some((u) => u.id === this.#world.users.bot.id);
    const own = data.author.id === this.#world.users.bot.id;
    if (!this.hasIntent(GatewayIntentBits.MessageContent) && !mentioned && !own) {
      this.#dispatchIn(session, 'MESSAGE_CREATE', { ...data, content: '', embeds: [], attachments: [], components: [] });
      return;
    }
    this.#dispatchIn(session, 'MESSAGE_CREATE', data);
  }

  requireSession(): GatewaySession {
    if (this.#changes.closed) throw new Error('fake-discord: closed');
    const session = this.session;
    if (!session) throw new Error('fake-discord: no gateway session yet (wait for the client to be ready)');
    return session;
  }

  #dispatchIn<D>(session: GatewaySession, t: string, d: D): GatewayDispatch<D> {
    session.seq += 1;
    const payload: GatewayDispatch<D> = { op: 0, t, s: session.seq, d };
    session.log.push(payload);
    this.dispatches.push(payload);
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(payload));
    this.#changes.emit();
    return payload;
  }

  accept(socket: WebSocket, request: IncomingMessage): void {
    this.#connectionCount += 1;
    const connection = this.#connectionCount;
    const url = `ws://127.0.0.1:${this.#endpoints().gatewayPort}${request.url ?? '/'}`;
    const query = new URL(url).searchParams;
    this.#sockets.add(socket);
    let session: GatewaySession | null = null;
    socket.on('close', () => {
      this.#sockets.delete(socket);
      if (session?.socket === socket) session.socket = null;
      this.#changes.emit();
    });
    socket.on('error', () => {
      // The client vanished; 'close' follows.
    });
    if (query.get('encoding') !== null && query.get('encoding') !== 'json') {
      socket.close(4002, 'fake-discord supports encoding=json only');
      return;
    }
    if (query.get('compress') !== null) {
      socket.close(4002, 'fake-discord does not support transport compression');
      return;
    }
    socket.send(JSON.stringify({ op: OP.hello, d: { heartbeat_interval: this.#settings.heartbeatIntervalMs }, s: null, t: null }));
    socket.on('message', (data) => {
      let payload: unknown;
      try {
        payload = JSON.parse(rawDataToString(data));
      } catch {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      if (!isRecord(payload) || typeof payload.op !== 'number') {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      const op = payload.op;
      const d = payload.d;
      this.ops.push({ at: Date.now(), op, d, connection });
      switch (op) {
        case OP.heartbeat:
          socket.send(JSON.stringify({ op: OP.heartbeatAck }));
          break;
        case OP.identify:
          if (session) {
            socket.close(4005, 'Already authenticated.');
            break;
          }
          session = this.#identify(socket, d);
          break;
        case OP.resume:
          if (session) {
            socket.close(4005, 'Already authenticated.');
            break;
          }
          session = this.#resume(socket, d, url);
          break;
        case OP.requestGuildMembers:
          if (!session) socket.close(4003, 'Not authenticated.');
          else this.#guildMembersChunk(session, d);
          break;
        default:
          if (!session) socket.close(4003, 'Not authenticated.');
      }
      this.#changes.emit();
    });
  }

  tokenOk(token: unknown): token is string {
    return typeof token === 'string' && token.length > 0 && (this.#settings.token === null || token === this.#settings.token);
  }

  #identify(socket: WebSocket, d: unknown): GatewaySession | null {
    this.#identifyCount += 1;
    if (!isRecord(d) || !this.tokenOk(d.token)) {
      socket.close(4004, 'Authentication failed.');
      return null;
    }
    if (typeof d.intents !== 'number') {
      socket.close(4013, 'Invalid intent(s).');
      return null;
    }
    if (d.compress === true) {
      socket.close(4002, 'fake-discord does not support payload compression');
      return null;
    }
    const shard: readonly [number, number] = d.shard === undefined ? [0, 1] : validShard(d.shard);
    if (shard[1] === 0) {
      socket.close(4010, 'Invalid shard.');
      return null;
    }
    const session: GatewaySession = {
      id: snowflake().slice(-12) + Math.random().toString(16).slice(2, 10),
      token: d.token,
      intents: d.intents,
      shard,
      seq: 0,
      log: [],
      socket,
    };
    const previous = this.#sessions.get(shard[0]);
    if (previous?.socket && previous.socket !== socket) previous.socket.close(4000, 'fake-discord: superseded by a new session');
    this.#sessions.delete(shard[0]);
    const guilds = this.#world.guilds.filter((g) => FakeGateway.shardOf(g.ids.guild, shard[1]) === shard[0]);
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: { ...this.#world.users.bot, verified: true, mfa_enabled: false, flags: NO_USER_FLAGS },
      guilds: guilds.map((g) => ({ id: g.ids.guild, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: `${this.#endpoints().gatewayUrl}/resume`,
      shard: [shard[0], shard[1]],
      application: { id: this.#world.applicationId, flags: NO_APPLICATION_FLAGS, flags_new: '0' },
    };
    this.#dispatchIn(session, 'READY', ready);
    for (const guild of guilds) this.#dispatchIn(session, 'GUILD_CREATE', this.#world.guildCreate(guild));
    this.#sessions.set(shard[0], session);
    return session;
  }

  #resume(socket: WebSocket, d: unknown, url: string): GatewaySession | null {
    const session = isRecord(d) ? (this.sessions.find((s) => s.id === d.session_id) ?? null) : null;
    if (!isRecord(d) || !session || d.session_id !== session.id || !this.tokenOk(d.token) || d.token !== session.token) {
      socket.send(JSON.stringify({ op: OP.invalidSession, d: false, s: null, t: null }));
      return null;
    }
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    if (session.socket && session.socket !== socket) session.socket.close(4000, 'fake-discord: resumed elsewhere');
    session.socket = socket;
    const missed = session.log.filter((p) => p.s > seq);
    for (const payload of missed) socket.send(JSON.stringify(payload));
    this.#dispatchIn(session, 'RESUMED', null);
    this.resumes.push({ at: Date.now(), sessionId: session.id, seq, replayed: missed.length, url });
    return session;
  }

  #guildMembersChunk(session: GatewaySession, d: unknown): void {
    if (!isRecord(d) || typeof d.guild_id !== 'string') return;
    const guild = this.#world.guilds.find((g) => g.ids.guild === d.guild_id);
    if (!guild) return;
    const ids = Array.isArray(d.user_ids) ? d.user_ids : typeof d.user_ids === 'string' ? [d.user_ids] : null;
    const query = typeof d.query === 'string' ? d.query.toLowerCase() : '';
    const members = guild.members.filter((m) => (ids ? ids.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query)));
    this.#dispatchIn(session, 'GUILD_MEMBERS_CHUNK', {
      guild_id: guild.ids.guild,
      members,
      chunk_index: 0,
      chunk_count: 1,
      ...(d.nonce === undefined ? {} : { nonce: d.nonce }),
    });
  }
}

/** IDENTIFY's shard as `[id, count]`, or `[0, 0]` when it is not one (the caller closes with 4010). */
function validShard(value: unknown): readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2) return [0, 0];
  const [id, count] = value as unknown[];
  if (typeof id !== 'number' || typeof count !== 'number' || !Number.isInteger(id) || !Number.isInteger(count)) return [0, 0];
  return id >= 0 && id < count ? [id, count] : [0, 0];
}
