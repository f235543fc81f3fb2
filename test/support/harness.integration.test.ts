/**
 * Proves the integration-test harness against real servers:
 *   node --import tsx --test test/support/harness.integration.test.ts
 * Needs root (sshd for another user, sudoers drop-in, supervisord user=).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import mysql from 'mysql2/promise';
import { Client } from 'ssh2';
import { run, type RunResult } from './proc.js';
import { startTestHost, type TestHost } from './test-host.js';

const root = process.getuid?.() === 0;

describe('integration test harness', { skip: root ? false : 'needs root', timeout: 120_000 }, () => {
  let host: TestHost;
  let knownHosts: string;

  before(async () => {
    const t0 = performance.now();
    host = await startTestHost({ withDb: true });
    const timings = { ...host.timings, total: Math.round(performance.now() - t0) };
    console.log(`[harness] startup ms: ${JSON.stringify(timings)}`);
    // Known-hosts entry for a non-22 port is "[host]:port keytype key".
    knownHosts = join(host.sshd.dir, 'known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:${host.sshd.port} ${host.sshd.hostPublicKey}\n`);
  });

  after(async () => {
    const t0 = performance.now();
    await host?.stop();
    console.log(`[harness] stop ms: ${Math.round(performance.now() - t0)}`);
  });

  const ssh = (command: string): Promise<RunResult> =>
    run(
      'ssh',
      [
        '-F',
        '/dev/null', // ignore root's ~/.ssh/config
        '-i',
        host.sshd.privateKeyPath,
        '-p',
        String(host.sshd.port),
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        `UserKnownHostsFile=${knownHosts}`,
        '-o',
        'GlobalKnownHostsFile=/dev/null',
        '-o',
        'IdentitiesOnly=yes',
        '-o',
        'ConnectTimeout=5',
        '-o',
        'LogLevel=ERROR',
        `${host.sshd.user}@127.0.0.1`,
        '--',
        command,
      ],
      { timeoutMs: 30_000 },
    );

  /** GET /health with a hard 5 s bound (so a regression cannot hang the suite). */
  const health = async (): Promise<{ status: number; body: { status?: string; error?: string } }> => {
    const res = await fetch(host.app.healthUrl, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: (await res.json()) as { status?: string; error?: string } };
  };

  /** Poll /health (bounded) until `ok` accepts the answer; returns the last one. */
  const healthUntil = async (ok: (h: Awaited<ReturnType<typeof health>>) => boolean, tries = 50) => {
    let last: Awaited<ReturnType<typeof health>> | undefined;
    for (let i = 0; i < tries; i++) {
      last = await health();
      if (ok(last)) return last;
      await sleep(200);
    }
    assert.fail(`/health never reached the expected state; last: ${JSON.stringify(last)}`);
  };

  it('logs in over ssh with the generated key, checking the pinned host key', async () => {
    const res = await ssh('id -un');
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout.trim(), host.sshd.user);
    assert.notEqual(host.sshd.user, 'root');
  });

  it('works with the ssh2 library the bot uses (key + pinned SHA256 fingerprint)', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      const client = new Client();
      const timer = setTimeout(() => {
        client.end();
        reject(new Error('ssh2 exec timed out'));
      }, 10_000);
      const finish = (err: Error | undefined, out = ''): void => {
        clearTimeout(timer);
        client.end();
        if (err) reject(err);
        else resolve(out);
      };
      client
        .on('ready', () => {
          client.exec('id -un', (err, stream) => {
            if (err) return finish(err);
            let out = '';
            stream.on('data', (d: Buffer) => (out += d.toString()));
            stream.stderr.resume(); // drain so the channel can close
            stream.on('close', () => finish(undefined, out));
          });
        })
        .on('error', (err) => finish(err))
        .connect({
          host: host.sshd.host,
          port: host.sshd.port,
          username: host.sshd.user,
          privateKey: host.sshd.privateKey,
          readyTimeout: 10_000,
          // Same format as `ssh-keygen -lf`: unpadded base64 of sha256(raw key).
          hostVerifier: (key: Buffer) => `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}` === host.sshd.hostKeyFingerprint,
        });
    });
    assert.equal(output.trim(), host.sshd.user);
  });

  it('reports the host key fingerprint the server really presents', async () => {
    const scan = await run('ssh-keyscan', ['-t', 'ed25519', '-p', String(host.sshd.port), '127.0.0.1'], { timeoutMs: 10_000 });
    const fp = await run('ssh-keygen', ['-l', '-f', '-'], { input: scan.stdout });
    assert.equal(fp.stdout.split(/\s+/)[1], host.sshd.hostKeyFingerprint);
    assert.match(host.sshd.hostKeyFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('lets the ssh user run exactly the allowed supervisorctl commands via sudo -n', async () => {
    const conf = host.app.supervisorConfig;
    const status = await ssh(`sudo -n /usr/bin/supervisorctl -c ${conf} status moneymind`);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^moneymind\s+RUNNING\s+pid \d+/);
    // What the bot actually types: sudo resolves the bare name via secure_path.
    const bare = await ssh(`sudo -n supervisorctl -c ${conf} status moneymind`);
    assert.match(bare.stdout, /RUNNING/);
    const denied = await ssh(`sudo -n /usr/bin/supervisorctl -c ${conf} shutdown`);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /password is required|not allowed/);
    // Without sudo the 0700 control socket is off limits, as in production.
    const direct = await ssh(`/usr/bin/supervisorctl -c ${conf} status moneymind`);
    assert.notEqual(direct.code, 0);
  });

  it('serves /health as healthy with the database', async () => {
    const h = await health();
    assert.equal(h.status, 200);
    assert.equal(h.body.status, 'healthy');
  });

  it('gives the monitor user what the bot needs (mysql2 over TCP)', async () => {
    const db = host.db;
    assert.ok(db);
    const conn = await mysql.createConnection({
      host: db.host,
      port: db.port,
      user: db.monitorUser,
      password: process.env.MM_TEST_MYSQL_PASSWORD,
      connectTimeout: 5000,
    });
    try {
      const [status] = await conn.query<mysql.RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Threads_connected'");
      assert.ok(Number(status[0]?.Value) >= 1);
      const [vars] = await conn.query<mysql.RowDataPacket[]>("SHOW VARIABLES LIKE 'wait_timeout'");
      assert.equal(vars[0]?.Value, '600');
      // PROCESS privilege: the app's pooled connections are visible too.
      const [procs] = await conn.query<mysql.RowDataPacket[]>('SELECT USER, COMMAND FROM information_schema.PROCESSLIST WHERE USER = ?', [db.appUser]);
      assert.ok(procs.length >= 1, 'app connection visible in PROCESSLIST');
      // ...and nothing more: no access to the app's data.
      await assert.rejects(conn.query(`SELECT 1 FROM ${db.appDatabase}.nope`), /denied/);
    } finally {
      await conn.end();
    }
  });

  it('turns unhealthy (2003) while the database is down and recovers after restart', async () => {
    const db = host.db;
    assert.ok(db);
    await db.stop();
    // The first failure may come from a dead pooled connection (2013/2006);
    // once SQLAlchemy has invalidated the pool, new connects get 2003.
    const down = await healthUntil((h) => h.status === 500 && /2003|Can't connect/.test(h.body.error ?? ''), 10);
    assert.equal(down.body.status, 'unhealthy');
    const log = await ssh(`tail -n 200 ${host.app.logFile}`);
    // SQLAlchemy messages span several lines ("[SQL: SELECT 1]", "(Background
    // on this error ...)"), so the "[in file:line]" suffix ends a later line,
    // followed by the traceback.
    assert.match(log.stdout, /^\S+ \S+,\d{3} ERROR: Health check failed: \(pymysql\.err\.OperationalError\) \((2013|2006|2003),/m);
    assert.match(log.stdout, /\[in \S+\/app\.py:\d+\]\nTraceback \(most recent call last\):/);
    await db.start();
    const up = await healthUntil((h) => h.status === 200);
    assert.equal(up.body.status, 'healthy');
  });

  it('simulates a hung app, and recovers via setMode and via sudo supervisorctl restart', async () => {
    await host.app.setMode('hang');
    await assert.rejects(fetch(host.app.healthUrl, { signal: AbortSignal.timeout(1000) }), /TimeoutError|aborted/);
    // Saturate: 4 more hung requests = all 4 threads stuck + 1 queued (the
    // aborted clients do not free the threads, just like real users giving up).
    const stuck = Array.from({ length: 4 }, () => fetch(host.app.healthUrl, { signal: AbortSignal.timeout(500) }));
    for (const r of await Promise.allSettled(stuck)) assert.equal(r.status, 'rejected');
    // No thread can serve /_mode/ok now; setMode falls back to SIGUSR1.
    await host.app.setMode('ok');
    await healthUntil((h) => h.status === 200);
    const log = await ssh(`tail -n 200 ${host.app.logFile}`);
    // waitress's own logger lands in the app's file through the root logger.
    assert.match(log.stdout, /^\S+ \S+ WARNING: Task queue depth is \d+ \[in \S+waitress\/task\.py:\d+\]$/m);

    await host.app.setMode('hang');
    await assert.rejects(fetch(host.app.healthUrl, { signal: AbortSignal.timeout(1000) }), /TimeoutError|aborted/);
    const restart = await ssh(`sudo -n supervisorctl -c ${host.app.supervisorConfig} restart moneymind`);
    assert.equal(restart.code, 0, restart.stderr);
    assert.match(restart.stdout, /moneymind: started/);
    await healthUntil((h) => h.status === 200);
  });

  it('builds a host config in the bot shape, with deep-merged overrides', () => {
    const cfg = host.hostConfig('mm-test', { app: { poolRecycle: 600 }, ssh: { port: 1 } }) as {
      ssh: Record<string, unknown>;
      app: Record<string, unknown>;
      mysql: Record<string, unknown>;
    };
    assert.equal(cfg.ssh.port, 1);
    assert.equal(cfg.ssh.hostKey, host.sshd.hostKeyFingerprint);
    assert.equal(cfg.app.poolRecycle, 600);
    assert.equal(cfg.app.supervisorConfig, host.app.supervisorConfig);
    assert.deepEqual(cfg.mysql, { host: '127.0.0.1', port: host.db?.port, user: 'monitor', passwordEnv: 'MM_TEST_MYSQL_PASSWORD' });
  });
});
