import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { Secret } from '../../src/config/secret.js';
import { checkHost } from '../../src/engine/check-host.js';
import type { OpsError } from '../../src/errors.js';
import { LocalTransport } from '../../src/remote/local-transport.js';
import { freePort } from '../support/free-port.js';
import { startMariadb, type MariadbHandle } from '../support/mariadb.js';

/*
 * The local transport (bot on the app's own server) is the same interface with child processes
 * and plain sockets: the same behaviour is required of it as of SSH.
 */
const t = new LocalTransport();
const EXEC = { timeoutMs: 5000, maxBytes: 1024 * 1024 };
let db: MariadbHandle;

before(async () => {
  db = await startMariadb();
});
after(async () => {
  await db?.destroy();
});

describe('LocalTransport', () => {
  it('runs a command through sh', async () => {
    const r = await t.exec('echo "$((6 * 7))"; echo err >&2; exit 3', EXEC);
    assert.deepEqual([r.code, r.stdout, r.stderr, r.truncated], [3, '42\n', 'err\n', false]);
  });

  it('a timeout kills the whole pipeline, not just the shell', async () => {
    const marker = `mm-local-timeout-${process.pid}`;
    const started = Date.now();
    await assert.rejects(t.exec(`sleep 30 | cat; echo ${marker}`, { timeoutMs: 500, maxBytes: 1024 }), (e: OpsError) => e.code === 'EXEC_TIMEOUT');
    assert.ok(Date.now() - started < 2000);
    const left = await t.exec("pgrep -f '^sleep 30$' || true", EXEC);
    assert.equal(left.stdout.trim(), '', 'sleep was killed with its process group');
  });

  it('caps huge output and stops the command', async () => {
    const started = Date.now();
    const r = await t.exec('head -c 200000000 /dev/zero', { timeoutMs: 20_000, maxBytes: 100_000 });
    assert.equal(r.truncated, true);
    assert.equal(r.stdout.length, 100_000);
    assert.ok(Date.now() - started < 5000);
  });

  it('GETs over a plain socket, and reports refused and timeout as coded errors', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/hang') return; // never answers
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"healthy"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const ok = await t.httpGet(`http://127.0.0.1:${port}/health`, { timeoutMs: 2000, maxBytes: 1000 });
      assert.deepEqual([ok.status, ok.body], [200, '{"status":"healthy"}']);
      await assert.rejects(t.httpGet(`http://127.0.0.1:${port}/hang`, { timeoutMs: 300, maxBytes: 1000 }), (e: OpsError) => e.code === 'HTTP_TIMEOUT');
      const closed = await freePort();
      await assert.rejects(t.httpGet(`http://127.0.0.1:${closed}/health`, { timeoutMs: 2000, maxBytes: 1000 }), (e: OpsError) => e.code === 'CONNECT_REFUSED');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('opens a MySQL session directly and maps errors', async () => {
    const target = { host: '127.0.0.1', port: db.port, user: 'monitor', password: new Secret(db.monitorPassword), connectTimeout: 3000 };
    const rows = await t.withMysql(target, 3000, (s) => s.query<{ one: number }>('SELECT 1 AS one'));
    assert.deepEqual(rows, [{ one: 1 }]);
    await assert.rejects(
      t.withMysql({ ...target, password: new Secret('wrong') }, 3000, (s) => s.query('SELECT 1')),
      (e: OpsError) => e.code === 'DB_AUTH' && /GRANT PROCESS/.test(e.fix ?? ''),
    );
    await assert.rejects(
      t.withMysql({ ...target, port: await freePort() }, 3000, (s) => s.query('SELECT 1')),
      (e: OpsError) => e.code === 'DB_CONNECT',
    );
  });

  it('the db check runs end to end on a local host (the bot on the app server)', async () => {
    const cfg = loadConfig({}, undefined);
    const host = {
      ...cfg.hosts[0]!,
      app: { ...cfg.hosts[0]!.app, poolRecycle: 300 },
      mysql: { host: '127.0.0.1', port: db.port, user: 'monitor', password: new Secret(db.monitorPassword), connectTimeout: 3000 },
    };
    const report = await checkHost(host, t, cfg.thresholds, { ids: ['db', 'resources', 'port'], now: Date.now() });
    const dbResult = report.checks.find((c) => c.id === 'db');
    assert.equal(dbResult?.status, 'ok', dbResult?.summary);
    assert.match(dbResult?.summary ?? '', /reachable in \d+ ms · wait_timeout 600 s ≥ 2 × pool_recycle 300 s/);
    assert.equal(report.checks.find((c) => c.id === 'resources')?.error, undefined);
  });

  it('the resources check never takes the bot (this process) for the app', async () => {
    const cfg = loadConfig({}, undefined);
    // A name only this process carries (process.title rewrites its command line in ps), so no
    // other test run on the machine can match it.
    const title = process.title;
    const mark = `mm-self-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    process.title = mark;
    try {
      const seen = (await t.exec(`ps -eo pid=,args= | grep -c '[${mark[0]}]${mark.slice(1)}' || true`, EXEC)).stdout.trim();
      assert.equal(seen, '1', 'this process shows the mark in ps, so the match would find it');
      const host = { ...cfg.hosts[0]!, app: { ...cfg.hosts[0]!.app, processMatch: mark } };
      const report = await checkHost(host, t, cfg.thresholds, { ids: ['resources'], now: Date.now() });
      const res = report.checks.find((c) => c.id === 'resources');
      assert.deepEqual(res?.id === 'resources' ? res.details?.appProcesses.map((p) => p.pid) : 'no details', []);
    } finally {
      process.title = title;
    }
  });
});
