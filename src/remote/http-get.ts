import { request } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { OpsError } from '../errors.js';
import type { HttpOptions, HttpResponse } from './host-transport.js';

export type StreamOpener = (host: string, port: number) => Promise<Duplex>;

/**
 * One GET over a stream we opened ourselves (an SSH forwardOut channel or a plain socket), so the
 * health endpoint is reached from the host's own loopback and never needs to be exposed. The
 * timeout covers opening the stream, the request and reading the (capped) body.
 */
export function httpGetOver(open: StreamOpener, url: string, opts: HttpOptions): Promise<HttpResponse> {
  const u = new URL(url);
  const tls = u.protocol === 'https:';
  const port = Number(u.port || (tls ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const started = performance.now();

  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    let stream: Duplex | undefined;
    const finish = (err: Error | undefined, res?: HttpResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream?.destroy();
      if (err) reject(err);
      else resolve(res as HttpResponse);
    };
    const timer = setTimeout(() => finish(new OpsError('HTTP_TIMEOUT', `no answer from ${url} within ${opts.timeoutMs} ms`)), opts.timeoutMs);

    open(host, port).then(
      (raw) => {
        if (settled) {
          raw.destroy();
          return;
        }
        stream = tls ? tlsConnect({ socket: raw as Socket, servername: host }) : raw;
        const req = request({
          method: 'GET',
          host,
          port,
          path: `${u.pathname}${u.search}`,
          headers: { Host: u.host, 'User-Agent': 'moneymind-ops-bot', Accept: 'application/json', Connection: 'close' },
          // Hand Node our own stream instead of letting it dial: this is what makes the tunnel work.
          createConnection: () => stream as Socket,
        });
        req.on('error', (err) => finish(new OpsError('HTTP_ERROR', `GET ${url} failed: ${err.message}`, { cause: err })));
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size >= opts.maxBytes) return;
            size += chunk.length;
            chunks.push(chunk);
          });
          res.on('error', (err) => finish(new OpsError('HTTP_ERROR', `reading ${url} failed: ${err.message}`, { cause: err })));
          res.on('end', () => {
            const body = Buffer.concat(chunks).subarray(0, opts.maxBytes).toString('utf8');
            finish(undefined, { status: res.statusCode ?? 0, body, durationMs: performance.now() - started });
          });
        });
        req.end();
      },
      (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))),
    );
  });
}
