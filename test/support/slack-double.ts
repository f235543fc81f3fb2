import { createServer, type IncomingMessage, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedCall {
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly at: number;
  /** The request's Authorization header ("Bearer xoxb-…"): which bot token, so which replica, made the call. */
  readonly auth?: string;
}

export type EnvelopeType = 'slash_commands' | 'interactive';
export type Target = number | 'each' | 'latest';

/** One Socket Mode connection: each replica of an app opens its own (with the same app token, or not). */
export interface SocketConnection {
  /** 1, 2, …: the order the connections were opened in. */
  readonly id: number;
  /** The Authorization of the apps.connections.open call that handed out its URL: the app token. */
  readonly auth: string;
  readonly openedAt: number;
  readonly open: boolean;
  /** Ids of the envelopes acked on this connection, in order. */
  readonly acked: readonly string[];
}

export interface Delivered {
  /** The connection the envelope went over, and its ack came back on. */
  readonly connection: number;
  readonly envelopeId: string;
  readonly ack: Record<string, unknown>;
}

/**
 * A local stand-in for Slack's Web API and response_url endpoints that records every call.
 * The bot's client is pointed at it with SLACK_API_URL; response_url in a signed test request
 * points at /response/<id>. `failNext` makes the next calls answer with an HTTP status (429, 500).
 */
export interface SlackDouble {
  readonly apiUrl: string;
  readonly url: string;
  readonly calls: RecordedCall[];
  failNext(status: number, times?: number): void;
  /** The next call of a Web API method answers `{ ok: false, error }` (HTTP 200), as Slack does. */
  refuseNext(method: string, error: string): void;
  /** Files uploaded through files.uploadV2, by file id: what a reader of the channel would open. */
  readonly uploads: Map<string, { filename: string; content: string; bytes: Buffer }>;
  /** Members usergroups.users.list answers for a user group. */
  readonly groups: Map<string, string[]>;
  waitFor(pred: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /**
   * Socket Mode: apps.connections.open hands out ws://…/socket?ticket=N; `envelope` sends what Slack
   * sends over the newest open connection (after the app connected and got "hello") and resolves
   * with the app's ack payload.
   */
  envelope(type: EnvelopeType, payload: Record<string, unknown>, timeoutMs?: number): Promise<Record<string, unknown>>;
  /**
   * Like `envelope`, to a chosen connection: its id, 'each' (the open ones in turn, as Slack spreads
   * envelopes over an app's connections) or 'latest'. Resolves once the ack came back on that connection.
   */
  deliver(type: EnvelopeType, payload: Record<string, unknown>, opts?: { to?: Target; timeoutMs?: number }): Promise<Delivered>;
  /** Every Socket Mode connection opened so far, closed ones included, in the order they were opened. */
  connections(): readonly SocketConnection[];
  /** Started with `down: true`: from now on it answers (until then every connection is cut at once). */
  up(): void;
  close(): Promise<void>;
}

/**
 * `down: true`: Slack is unreachable — the double holds its port (so nothing else on the machine can
 * take it meanwhile) but cuts every connection before reading it, until `up()`.
 */
export async function startSlackDouble(opts: { down?: boolean } = {}): Promise<SlackDouble> {
  let down = opts.down ?? false;
  const calls: RecordedCall[] = [];
  const failures: number[] = [];
  const refusals = new Map<string, string>();
  const groups = new Map<string, string[]>();
  const uploads = new Map<string, { filename: string; content: string; bytes: Buffer }>();
  const pending = new Map<string, string>();
  let fileSeq = 0;
  const server: Server = createServer(async (req, res) => {
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    if (req.url?.startsWith('/upload/')) {
      // The second step of files.uploadV2: the bytes go to the URL the first step handed out.
      const id = req.url.slice('/upload/'.length);
      const filename = pending.get(id);
      calls.push({ path: req.url, body: { bytes: bytes.length }, at: Date.now(), auth: req.headers.authorization });
      if (filename === undefined) return void res.writeHead(404).end('no such upload');
      // latin1 maps each byte to one character and back: a PNG survives the multipart split.
      const part = Buffer.from(fileFromUpload(bytes.toString('latin1'), req.headers['content-type'] ?? ''), 'latin1');
      uploads.set(id, { filename, content: part.toString('utf8'), bytes: part });
      return void res.writeHead(200).end(`OK - ${bytes.length}`);
    }
    const body = parseBody(raw, req.headers['content-type'] ?? '');
    calls.push({ path: req.url ?? '', body, at: Date.now(), auth: req.headers.authorization });
    const fail = failures.shift();
    if (fail) {
      res.writeHead(fail, fail === 429 ? { 'retry-after': '1' } : {}).end(JSON.stringify({ ok: false, error: 'test_failure' }));
      return;
    }
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
    const refusal = method ? refusals.get(method) : undefined;
    if (method && refusal) {
      refusals.delete(method);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: refusal }));
      return;
    }
    const reply: Record<string, unknown> = { ok: true };
    if (method === 'usergroups.users.list') Object.assign(reply, { users: groups.get(String(body.usergroup)) ?? [] });
    if (method === 'apps.connections.open') {
      // Each call gets a URL of its own (Slack's carry a one-use ticket too): a connection is tied to
      // the call and app token that asked for it. Replicas sharing one token differ by connection order.
      const ticket = String(++ticketSeq);
      tickets.set(ticket, req.headers.authorization ?? '');
      Object.assign(reply, { url: `${url.replace('http', 'ws')}/socket?ticket=${ticket}` });
      calls.at(-1)!.body.authorization = req.headers.authorization ?? '';
    }
    if (method === 'files.getUploadURLExternal') {
      const id = `F${++fileSeq}`;
      pending.set(id, String(body.filename));
      Object.assign(reply, { upload_url: `${url}/upload/${id}`, file_id: id });
    }
    if (method === 'files.completeUploadExternal') {
      const files = JSON.parse(String(body.files ?? '[]')) as { id: string; title?: string }[];
      Object.assign(reply, { files: files.map((f) => ({ id: f.id, title: f.title, name: uploads.get(f.id)?.filename })) });
    }
    if (method === 'auth.test') Object.assign(reply, { user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
    if (method === 'chat.postMessage') Object.assign(reply, { ts: `${Date.now() / 1000}`, channel: body.channel });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  });
  const wss = new WebSocketServer({ noServer: true });
  const sockets: Connection[] = [];
  const tickets = new Map<string, string>();
  let ticketSeq = 0;
  const acks = new Map<string, { connection: number; settle: (err: Error | undefined, payload?: Record<string, unknown>) => void }>();
  server.on('upgrade', (req, sock, head) => {
    const u = new URL(req.url ?? '/', 'ws://double');
    const auth = tickets.get(u.searchParams.get('ticket') ?? '');
    if (u.pathname !== '/socket' || auth === undefined) return void sock.destroy();
    tickets.delete(u.searchParams.get('ticket') ?? '');
    wss.handleUpgrade(req, sock, head, (ws) => {
      const c: Connection = { id: sockets.length + 1, auth, openedAt: Date.now(), ws, acked: [], open: true };
      sockets.push(c);
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
        if (!msg.envelope_id) return;
        c.acked.push(msg.envelope_id);
        const waiting = acks.get(msg.envelope_id);
        if (waiting?.connection === c.id) waiting.settle(undefined, msg.payload ?? {});
        else waiting?.settle(new Error(`${msg.envelope_id}, sent over connection ${waiting.connection}, was acked on connection ${c.id}`));
      });
      ws.on('close', () => {
        c.open = false;
        // Slack would send it again on another connection; a test wants to hear at once.
        for (const w of acks.values()) if (w.connection === c.id) w.settle(new Error(`connection ${c.id} closed before the ack`));
      });
      const live = sockets.filter((s) => s.open).length;
      ws.send(JSON.stringify({ type: 'hello', num_connections: live, debug_info: { host: 'double' }, connection_info: { app_id: 'A1' } }));
    });
  });
  let turn = 0;
  /** The open connection `to` names; undefined while there is none (yet). Throws for one that closed: it never comes back. */
  const pick = (to: Target): Connection | undefined => {
    const open = sockets.filter((s) => s.open);
    if (to === 'latest') return open.at(-1);
    if (to === 'each') return open.length ? open[turn++ % open.length] : undefined;
    const c = sockets.find((s) => s.id === to);
    if (c && !c.open) throw new Error(`Socket Mode connection ${to} is closed`);
    return c;
  };
  let envelopeSeq = 0;
  const deliver: SlackDouble['deliver'] = async (type, payload, { to = 'latest', timeoutMs = 5000 } = {}) => {
    const until = Date.now() + timeoutMs;
    let c = pick(to);
    while (!c && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
      c = pick(to);
    }
    if (!c) throw new Error(`no open Socket Mode connection (${to}) within ${timeoutMs} ms; opened: ${sockets.length}`);
    const target = c;
    const envelopeId = `env-${++envelopeSeq}`;
    const ack = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(
        () => acks.get(envelopeId)?.settle(new Error(`no ack for ${envelopeId} on connection ${target.id} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      acks.set(envelopeId, {
        connection: target.id,
        settle: (err, p) => {
          clearTimeout(timer);
          acks.delete(envelopeId);
          if (err) reject(err);
          else resolve(p ?? {});
        },
      });
    });
    target.ws.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: true }));
    return { connection: target.id, envelopeId, ack: await ack };
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.on('connection', (socket) => {
      if (down) socket.destroy();
    });
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    apiUrl: `${url}/api/`,
    url,
    calls,
    uploads,
    groups,
    refuseNext: (method, error) => void refusals.set(method, error),
    up: () => {
      down = false;
    },
    failNext: (status, times = 1) => failures.push(...Array.from({ length: times }, () => status)),
    async envelope(type, payload, timeoutMs = 5000) {
      return (await deliver(type, payload, { timeoutMs })).ack;
    },
    deliver,
    connections: () => sockets.map(({ ws: _ws, ...c }) => ({ ...c, acked: [...c.acked] })),
    async waitFor(pred, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const hit = calls.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no matching Slack call within ${timeoutMs} ms; calls: ${calls.map((c) => c.path).join(', ')}`);
    },
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

interface Connection {
  readonly id: number;
  readonly auth: string;
  readonly openedAt: number;
  readonly ws: WebSocket;
  readonly acked: string[];
  open: boolean;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBody(raw: string, type: string): Record<string, unknown> {
  if (type.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  return Object.fromEntries(new URLSearchParams(raw));
}

/** The web client posts the bytes as multipart/form-data (one part); Slack keeps that part's body. */
function fileFromUpload(raw: string, type: string): string {
  const boundary = /boundary=([^;]+)/.exec(type)?.[1];
  if (!boundary) return raw;
  const part = raw.split(`--${boundary}`)[1] ?? '';
  const start = part.indexOf('\r\n\r\n');
  return start < 0 ? '' : part.slice(start + 4).replace(/\r\n$/, '');
}
