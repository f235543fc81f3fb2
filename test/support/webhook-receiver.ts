import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readBody } from './pagerduty-double.js';

/** One webhook call: its event, body, and whether its signature verified with the receiver's secret. */
export interface WebhookCall {
  readonly event: string;
  readonly body: Record<string, unknown>;
  readonly raw: string;
  readonly verified: boolean;
  readonly headers: Record<string, string | string[] | undefined>;
}

/**
 * A webhook receiver as the README tells one to be written: it recomputes the HMAC-SHA256 of
 * `${X-MoneyMind-Timestamp}.${body}` with its own secret, compares in constant time, and refuses
 * (401) a bad signature or a timestamp more than 5 minutes off.
 */
export interface WebhookReceiver {
  readonly url: string;
  readonly calls: WebhookCall[];
  waitFor(n: number, timeoutMs?: number): Promise<WebhookCall[]>;
  close(): Promise<void>;
}

export function verifySignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const want = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got) && Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const calls: WebhookCall[] = [];
  const server: Server = createServer(async (req, res) => {
    const raw = (await readBody(req)).toString('utf8');
    const header = (name: string) => String(req.headers[name] ?? '');
    const verified = verifySignature(secret, header('x-moneymind-timestamp'), raw, header('x-moneymind-signature'));
    calls.push({ event: header('x-moneymind-event'), body: JSON.parse(raw) as Record<string, unknown>, raw, verified, headers: req.headers });
    res.writeHead(verified ? 204 : 401).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks/moneymind`,
    calls,
    async waitFor(n, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (calls.length >= n) return calls;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`webhook receiver: ${calls.length} of ${n} calls within ${timeoutMs} ms`);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
