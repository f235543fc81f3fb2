import { createServer, type IncomingMessage, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedCall {
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly at: number;
  /** The request's Authorization header ("Bearer xoxb-…"): which bot token, so which replica, made the call. */
  readonly auth?: string;
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
   * Socket Mode: apps.connections.open hands out ws://…/socket; `envelope` sends what Slack sends
   * over it (after the app connected and got "hello") and resolves with the app's ack payload.
   */
  envelope(type: 'slash_commands' | 'interactive', payload: Record<string, unknown>, timeoutMs?: number): Promise<Record<string, unknown>>;
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
      Object.assign(reply, { url: `${url.replace('http', 'ws')}/socket` });
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
  let socket: WebSocket | undefined;
  const acks = new Map<string, (payload: Record<string, unknown>) => void>();
  server.on('upgrade', (req, sock, head) => {
    if (req.url !== '/socket') return void sock.destroy();
    wss.handleUpgrade(req, sock, head, (ws) => {
      socket = ws;
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
        if (msg.envelope_id) acks.get(msg.envelope_id)?.(msg.payload ?? {});
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'double' }, connection_info: { app_id: 'A1' } }));
    });
  });
  let envelopeSeq = 0;
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
      const until = Date.now() + timeoutMs;
      while (!socket && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      if (!socket) throw new Error('the app never opened a Socket Mode connection');
      const id = `env-${++envelopeSeq}`;
      const ack = new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ack for ${id} within ${timeoutMs} ms`)), timeoutMs);
        acks.set(id, (p) => {
          clearTimeout(timer);
          resolve(p);
        });
      });
      socket.send(JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: true }));
      return ack;
    },
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
