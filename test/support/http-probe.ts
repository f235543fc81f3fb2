import { get } from 'node:http';

export interface HttpResult {
  status: number;
  body: string;
}

/**
 * One bounded GET without connection reuse (agent: false). The harness uses
 * this instead of fetch so that probing a hung app never leaves keep-alive
 * sockets that hold the test process open. Resolves undefined on
 * timeout/connection errors (callers poll), never rejects.
 */
export function httpGet(url: string, timeoutMs: number): Promise<HttpResult | undefined> {
  return new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(undefined)); // connection dropped mid-body: caller retries
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(undefined)); // refused/reset/timeout: caller retries
  });
}
