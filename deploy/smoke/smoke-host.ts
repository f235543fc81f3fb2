/**
 * For scripts/compose-replicas-smoke.sh: what the two Compose replicas run against, reachable from
 * the Compose network's containers through its gateway address GW (host.containers.internal):
 *   - a real test host: sshd (listening on GW) + the stand-in app under supervisord (test/support/test-host.ts);
 *   - the Slack Web API double (test/support/slack-double.ts), which listens on 127.0.0.1 only and
 *     hands out ws://127.0.0.1:PORT Socket Mode URLs. A small relay on GW forwards HTTP and
 *     WebSocket upgrades to it and rewrites its own address in the answers, so a container gets
 *     URLs it can reach. The bots' Slack traffic is otherwise untouched.
 * Writes into DIR:
 *   moneymind.yml  the replicas' config: one host (sshd on GW), slack.alertChannel (so the watcher and the
 *                  lease run), watch.store mysql://moneymind@store:3306/moneymind_bot (README, Two replicas)
 *   ssh_key        the client key, uid 1000, mode 0400 (README, Docker)
 *   helper.env     SLACK_API_URL=http://GW:RELAY/api/ for the script to source
 *   ready          written last
 * then waits until SIGTERM/SIGINT or its stdin ends, and stops everything.
 *
 *   node --import tsx deploy/smoke/smoke-host.ts DIR GW
 */
import { writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { stopWhenAsked, writeContainerConfig } from '../../test/support/container-smoke.js';
import { startSlackDouble } from '../../test/support/slack-double.js';
import { startTestHost } from '../../test/support/test-host.js';

const [dir, gw] = process.argv.slice(2);
if (!dir || !gw) {
  process.stderr.write('usage: node --import tsx deploy/smoke/smoke-host.ts DIR GATEWAY_IP\n');
  process.exit(2);
}

const host = await startTestHost({ sshd: { listenAddress: gw } });
const slack = await startSlackDouble();
const inner = new URL(slack.url); // http://127.0.0.1:PORT
const relay = createServer();
await new Promise<void>((resolve, reject) => {
  relay.once('error', reject);
  relay.listen(0, gw, resolve);
});
const outer = `${gw}:${(relay.address() as { port: number }).port}`;

// Plain HTTP: forward, then rewrite the double's address (Socket Mode and upload URLs) in the answer.
relay.on('request', (req, res) => {
  const up = request({ host: inner.hostname, port: inner.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => {
      const body = Buffer.from(Buffer.concat(chunks).toString('utf8').split(inner.host).join(outer));
      // The body is sent whole, with its new length: the double's chunked encoding and hop-by-hop headers go.
      const { 'transfer-encoding': _te, connection: _c, 'keep-alive': _ka, ...rest } = r.headers;
      const headers = { ...rest, 'content-length': String(body.length) };
      res.writeHead(r.statusCode ?? 502, headers).end(body);
    });
  });
  up.on('error', () => res.writeHead(502).end());
  req.pipe(up);
});
// WebSocket (Socket Mode): the upgrade request as it came, then bytes both ways.
const tunnels = new Set<{ destroy(): void }>(); // upgraded sockets, which relay.close() would wait for
relay.on('upgrade', (req, socket, head) => {
  const up = connect(Number(inner.port), inner.hostname, () => {
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    up.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length) up.write(head);
    socket.pipe(up).pipe(socket);
  });
  up.on('error', () => socket.destroy());
  socket.on('error', () => up.destroy());
  for (const s of [socket, up]) {
    tunnels.add(s);
    s.once('close', () => tunnels.delete(s));
  }
});

let stopping = false;
const stop = async (code = 0): Promise<void> => {
  if (stopping) return;
  stopping = true;
  // Stopped while the bots are still connected (Ctrl-C reaches this process too): nothing may wait for them.
  setTimeout(() => process.exit(code), 10_000).unref();
  for (const s of tunnels) s.destroy();
  relay.closeAllConnections();
  await Promise.allSettled([new Promise((r) => relay.close(r)), slack.close(), host.stop()]);
  process.exit(code);
};
stopWhenAsked(stop);

try {
  // leaseTtl left at its default (15 s): the failover check measures against it
  const yaml = writeContainerConfig(host, dir, {
    watch: { store: 'mysql://moneymind@store:3306/moneymind_bot', storePasswordEnv: 'MONEYMIND_STORE_PASSWORD' },
  });
  writeFileSync(join(dir, 'helper.env'), `SLACK_API_URL=http://${outer}/api/\n`);
  process.stdout.write(`# moneymind.yml (sshd on ${gw}:${host.sshd.port}, Slack double ${slack.url} relayed at ${outer})\n${yaml}`);
  writeFileSync(join(dir, 'ready'), '');
} catch (err) {
  process.stderr.write(`smoke-host: ${(err as Error).stack ?? err}\n`);
  await stop(1);
}
