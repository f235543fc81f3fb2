import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface RecordedCall {
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly at: number;
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
  waitFor(pred: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  close(): Promise<void>;
}

export async function startSlackDouble(): Promise<SlackDouble> {
  const calls: RecordedCall[] = [];
  const failures: number[] = [];
  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const body = parseBody(raw, req.headers['content-type'] ?? '');
    calls.push({ path: req.url ?? '', body, at: Date.now() });
    const fail = failures.shift();
    if (fail) {
      res.writeHead(fail, fail === 429 ? { 'retry-after': '1' } : {}).end(JSON.stringify({ ok: false, error: 'test_failure' }));
      return;
    }
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
    const reply: Record<string, unknown> = { ok: true };
    if (method === 'auth.test') Object.assign(reply, { user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
    if (method === 'chat.postMessage') Object.assign(reply, { ts: `${Date.now() / 1000}`, channel: body.channel });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    apiUrl: `${url}/api/`,
    url,
    calls,
    failNext: (status, times = 1) => failures.push(...Array.from({ length: times }, () => status)),
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
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, type: string): Record<string, unknown> {
  if (type.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  return Object.fromEntries(new URLSearchParams(raw));
}
