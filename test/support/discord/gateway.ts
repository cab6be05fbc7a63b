import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { guildCreatePayload, readyPayload } from './payloads.js';
import { type GuildState, type StandInState, shardOfGuild } from './state.js';
import type { GatewaySessionInfo } from './types.js';

interface Session {
  id: string;
  seq: number;
  events: Array<{ s: number; t: string; d: unknown }>;
  conn?: Conn;
  ready: boolean;
  /** `[shard_id, num_shards]` from IDENTIFY (`[0, 1]` when the client sent none). */
  shard: [number, number];
  guilds: GuildState[];
}

interface Conn {
  ws: WebSocket;
  session?: Session;
}

interface Frame {
  op: number;
  d?: unknown;
  s?: number | null;
  t?: string | null;
}

/** Non-resumable close codes: the session is dropped. */
const SESSION_ENDING_CLOSES = new Set([1000, 1001, 4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014]);

export class Gateway {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sessions = new Map<string, Session>();
  readonly #conns = new Set<Conn>();
  #current?: Session;
  #readyWaiters: Array<() => void> = [];

  constructor(
    private readonly state: StandInState,
    private readonly heartbeatInterval: number,
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/gateway') {
      this.state.violate(`WebSocket upgrade to unknown path ${url.pathname}`);
      socket.destroy();
      return;
    }
    if (url.searchParams.get('v') !== '10' || url.searchParams.get('encoding') !== 'json') {
      this.state.violate(`gateway connected with query "${url.search}" (expected v=10&encoding=json)`);
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#onConnection(ws));
  }

  /** Sends a frame if the socket is open (and logs it); dispatches to a closed socket wait for RESUME replay. */
  #send(conn: Conn, frame: Frame): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    this.state.frames.push({
      dir: 'out',
      op: frame.op,
      ...(frame.t ? { t: frame.t } : {}),
      d: frame.d,
      at: this.state.clock.now(),
      ...(conn.session ? { shard: conn.session.shard } : {}),
    });
    conn.ws.send(
      JSON.stringify({ op: frame.op, d: frame.d ?? null, s: frame.s ?? null, t: frame.t ?? null }),
    );
  }

  #close(conn: Conn, code: number, reason: string): void {
    if (conn.session && SESSION_ENDING_CLOSES.has(code)) this.#sessions.delete(conn.session.id);
    conn.ws.close(code, reason);
  }

  #onConnection(ws: WebSocket): void {
    const conn: Conn = { ws };
    this.#conns.add(conn);
    ws.on('message', (data, isBinary) => this.#onMessage(conn, data, isBinary));
    ws.on('close', () => {
      this.#conns.delete(conn);
      if (conn.session?.conn === conn) conn.session.conn = undefined;
    });
    ws.on('error', () => {});
    this.#send(conn, {
      op: 10,
      d: { heartbeat_interval: this.heartbeatInterval, _trace: ['["gateway-stand-in"]'] },
    });
  }

  #onMessage(conn: Conn, data: RawData, isBinary: boolean): void {
    const at = this.state.clock.now();
    let frame: Frame;
    try {
      if (isBinary) throw new Error('binary frame');
      frame = JSON.parse(data.toString()) as Frame;
      if (typeof frame.op !== 'number') throw new Error('no op');
    } catch (err) {
      this.state.violate(`gateway: undecodable frame from client (${(err as Error).message})`);
      this.#close(conn, 4002, 'Error while decoding payload.');
      return;
    }
    this.state.frames.push({
      dir: 'in',
      op: frame.op,
      d: frame.d,
      at,
      ...(conn.session ? { shard: conn.session.shard } : {}),
    });
    switch (frame.op) {
      case 1:
        this.#send(conn, { op: 11 });
        return;
      case 2:
        this.#identify(conn, frame.d as Record<string, unknown>);
        return;
      case 6:
        this.#resume(conn, frame.d as Record<string, unknown>);
        return;
      case 3:
      case 4:
      case 8:
      case 31:
        if (!conn.session) {
          this.state.violate(`gateway: op ${frame.op} sent before IDENTIFY`);
          this.#close(conn, 4003, 'Not authenticated.');
        }
        return;
      default:
        this.state.violate(`gateway: unknown opcode ${frame.op}`);
        this.#close(conn, 4001, 'Unknown opcode.');
    }
  }

  #identify(conn: Conn, d: Record<string, unknown> | undefined): void {
    if (conn.session) {
      this.state.violate('gateway: second IDENTIFY on one connection');
      this.#close(conn, 4005, 'Already authenticated.');
      return;
    }
    if (d?.token !== this.state.token) {
      this.state.violate('gateway: IDENTIFY with a wrong token');
      this.#close(conn, 4004, 'Authentication failed.');
      return;
    }
    if (typeof d.intents !== 'number') {
      this.state.violate('gateway: IDENTIFY without intents');
      this.#close(conn, 4013, 'Invalid intent(s).');
      return;
    }
    const shard = parseShard(d.shard);
    if (!shard) {
      this.state.violate(`gateway: IDENTIFY with an invalid shard ${JSON.stringify(d.shard)}`);
      this.#close(conn, 4010, 'Invalid shard.');
      return;
    }
    // Discord sends a shard only the guilds with (guild_id >> 22) % num_shards === shard_id.
    const guilds = this.state.guilds.filter((g) => shardOfGuild(g.id, shard[1]) === shard[0]);
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      seq: 0,
      events: [],
      conn,
      ready: false,
      shard,
      guilds,
    };
    this.#sessions.set(session.id, session);
    conn.session = session;
    this.#current = session;
    this.#dispatchTo(session, 'READY', readyPayload(this.state, session.id, shard, guilds));
    for (const g of guilds) this.#dispatchTo(session, 'GUILD_CREATE', guildCreatePayload(this.state, g));
    this.#markReady(session);
  }

  #resume(conn: Conn, d: Record<string, unknown> | undefined): void {
    if (d?.token !== this.state.token) {
      this.state.violate('gateway: RESUME with a wrong token');
      this.#close(conn, 4004, 'Authentication failed.');
      return;
    }
    const session = this.#sessions.get(String(d.session_id));
    if (!session) {
      this.#send(conn, { op: 9, d: false });
      return;
    }
    if (session.conn && session.conn !== conn) session.conn.ws.terminate();
    session.conn = conn;
    conn.session = session;
    this.#current = session;
    const since = typeof d.seq === 'number' ? d.seq : 0;
    for (const e of session.events) if (e.s > since) this.#send(conn, { op: 0, ...e });
    this.#dispatchTo(session, 'RESUMED', { _trace: ['["gateway-stand-in"]'] });
    this.#markReady(session);
  }

  #markReady(session: Session): void {
    session.ready = true;
    const waiters = this.#readyWaiters;
    this.#readyWaiters = [];
    for (const w of waiters) w();
  }

  #dispatchTo(session: Session, t: string, d: unknown): void {
    const s = ++session.seq;
    session.events.push({ s, t, d });
    if (session.conn) this.#send(session.conn, { op: 0, t, s, d });
  }

  /**
   * Dispatches to the session that owns the payload's guild (no guild: shard 0, like DMs), the
   * latest session when it does; buffered for RESUME replay while it is disconnected.
   */
  dispatch(t: string, d: unknown): void {
    const current = this.#current;
    if (!current) throw new Error('Discord stand-in: no gateway session yet (has a client logged in?)');
    const guildId = (d as { guild_id?: unknown } | null)?.guild_id;
    const owns = (s: Session) =>
      typeof guildId === 'string' ? shardOfGuild(guildId, s.shard[1]) === s.shard[0] : s.shard[0] === 0;
    const target = owns(current) ? current : [...this.#sessions.values()].reverse().find(owns);
    if (!target) {
      throw new Error(
        `Discord stand-in: no gateway session owns ${guildId ? `guild ${guildId}` : 'shard 0'}`,
      );
    }
    this.#dispatchTo(target, t, d);
  }

  sessions(): GatewaySessionInfo[] {
    return [...this.#sessions.values()].map((s) => ({
      id: s.id,
      shard: s.shard,
      guilds: s.guilds.map((g) => g.id),
      live: Boolean(s.ready && s.conn?.ws.readyState === WebSocket.OPEN),
    }));
  }

  sendOp(op: number, d?: unknown): void {
    const session = this.#current;
    if (!session?.conn) throw new Error('Discord stand-in: no live gateway connection');
    if (op === 9 && d !== true) this.#sessions.delete(session.id);
    this.#send(session.conn, { op, d: d ?? null });
  }

  closeGateway(code: number): void {
    const conn = this.#current?.conn;
    if (!conn) throw new Error('Discord stand-in: no live gateway connection');
    this.#close(conn, code, 'closed by the test');
  }

  get live(): boolean {
    return Boolean(this.#current?.ready && this.#current.conn?.ws.readyState === WebSocket.OPEN);
  }

  waitForReady(timeoutMs: number): Promise<void> {
    if (this.live) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#readyWaiters = this.#readyWaiters.filter((w) => w !== done);
        reject(new Error(`Discord stand-in: no client became ready within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#readyWaiters.push(done);
    });
  }

  async close(): Promise<void> {
    for (const c of this.#conns) c.ws.terminate();
    this.#conns.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}

/** IDENTIFY's `shard`: `[shard_id, num_shards]` with 0 ≤ shard_id < num_shards; absent means `[0, 1]`. */
function parseShard(value: unknown): [number, number] | undefined {
  if (value === undefined || value === null) return [0, 1];
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [id, count] = value as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return undefined;
  const [shardId, shards] = [id as number, count as number];
  return shards >= 1 && shardId >= 0 && shardId < shards ? [shardId, shards] : undefined;
}
