import { createServer, type IncomingMessage, type Server } from 'node:http';

/** One event as the double received it, and what it answered. */
export interface ReceivedEvent {
  readonly body: Record<string, unknown>;
  readonly status: number;
  readonly at: number;
}

/**
 * A stand-in for PagerDuty's Events API v2 (POST /v2/enqueue) on 127.0.0.1, a free port: it records
 * every event and answers 202 as PagerDuty does, or what it was told to (`failNext(429, n)` with a
 * Retry-After, 500, 400). The bot is pointed at it with PAGERDUTY_EVENTS_URL.
 */
export interface PagerDutyDouble {
  readonly url: string;
  /** Every request, refused ones included. */
  readonly received: ReceivedEvent[];
  /** The events it accepted (202), in order. */
  accepted(): Record<string, unknown>[];
  failNext(status: number, times?: number, retryAfterSeconds?: number): void;
  /** Refuse every event with `status` until told otherwise (undefined: accept again). */
  refuseAll(status: number | undefined): void;
  waitForAccepted(n: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function startPagerDutyDouble(): Promise<PagerDutyDouble> {
  const received: ReceivedEvent[] = [];
  const failures: { status: number; retryAfter: number | undefined }[] = [];
  let always: number | undefined;
  const server: Server = createServer(async (req, res) => {
    const raw = (await readBody(req)).toString('utf8');
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      // An unreadable body is what PagerDuty answers 400 to.
    }
    const fail = failures.shift();
    const status = req.method !== 'POST' || req.url !== '/v2/enqueue' ? 404 : (fail?.status ?? always ?? (raw.startsWith('{') ? 202 : 400));
    received.push({ body, status, at: Date.now() });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (fail?.retryAfter !== undefined) headers['retry-after'] = String(fail.retryAfter);
    const answer =
      status === 202 ? { status: 'success', message: 'Event processed', dedup_key: body.dedup_key } : { status: 'error', message: `test ${status}` };
    res.writeHead(status, headers).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v2/enqueue`;
  const accepted = () => received.filter((r) => r.status === 202).map((r) => r.body);
  return {
    url,
    received,
    accepted,
    failNext: (status, times = 1, retryAfter) => failures.push(...Array.from({ length: times }, () => ({ status, retryAfter }))),
    refuseAll: (status) => {
      always = status;
    },
    async waitForAccepted(n, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (accepted().length >= n) return accepted();
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(
        `PagerDuty double: ${accepted().length} of ${n} events accepted within ${timeoutMs} ms; got ${JSON.stringify(received.map((r) => r.status))}`,
      );
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
