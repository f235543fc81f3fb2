import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../../src/config/secret.js';
import type { SshTarget } from '../../src/config/types.js';
import { OpsError } from '../../src/errors.js';
import { createLogger } from '../../src/log/create-logger.js';
import { SshTransport } from '../../src/remote/ssh-transport.js';
import { freePort } from '../support/free-port.js';
import { startSshd, type SshdHandle } from '../support/sshd.js';
import { runOk } from '../support/proc.js';

/*
 * The SSH transport against a real OpenSSH server on loopback: host-key pinning, reuse of one
 * connection, the channel bound, timeouts, output caps, and every way a connection can fail.
 */
const log = createLogger({ level: 'silent' });
let sshd: SshdHandle;
const open: SshTransport[] = [];

function transport(over: Partial<SshTarget> = {}): SshTransport {
  const t = new SshTransport(
    {
      host: '127.0.0.1',
      port: sshd.port,
      username: sshd.user,
      privateKey: new Secret(sshd.privateKey),
      hostKey: sshd.hostKeyFingerprint,
      readyTimeout: 5000,
      keepaliveInterval: 5000,
      maxChannels: 8,
      ...over,
    },
    log,
  );
  open.push(t);
  return t;
}
const EXEC = { timeoutMs: 10_000, maxBytes: 1024 * 1024 };

async function rejectsWith(p: Promise<unknown>, code: string, re: RegExp, withinMs: number): Promise<void> {
  const started = Date.now();
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof OpsError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, re);
    return true;
  });
  assert.ok(Date.now() - started < withinMs, `took ${Date.now() - started} ms, bound ${withinMs} ms`);
}

before(async () => {
  sshd = await startSshd();
});
after(async () => {
  await Promise.allSettled(open.map((t) => t.close()));
  await sshd?.destroy();
});

describe('SshTransport on a real sshd', () => {
  it('runs a command as the configured user', async () => {
    const res = await transport().exec('id -un', EXEC);
    assert.equal(res.code, 0);
    assert.equal(res.stdout.trim(), sshd.user);
  });

  it('reuses one connection for many concurrent commands and never exceeds the channel bound', async () => {
    const t = transport();
    // 24 commands at once: more than OpenSSH's MaxSessions (10) would refuse without the bound.
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => t.exec(`sleep 0.2; echo ${i}`, EXEC)));
    assert.deepEqual(
      results.map((r) => r.stdout.trim()),
      Array.from({ length: 24 }, (_, i) => String(i)),
    );
    assert.equal(t.connects, 1);
    assert.equal(t.freeChannels, 8, 'every channel released');
  });

  it('a command past its timeout is killed on both sides and the connection stays usable', async () => {
    const t = transport();
    await rejectsWith(t.exec('sleep 30; echo never', { timeoutMs: 700, maxBytes: 1024 }), 'EXEC_TIMEOUT', /timed out after 700 ms/, 2500);
    assert.equal((await t.exec('echo still-here', EXEC)).stdout.trim(), 'still-here');
    // The host's own `timeout` wrapper ends the remote process too (no pile-up of hung probes).
    let left = '';
    for (let i = 0; i < 40; i++) {
      left = (await t.exec('pgrep -u "$(id -u)" -f \'^sleep 30\' || true', EXEC)).stdout.trim();
      if (!left) break;
      await new Promise((r) => setTimeout(r, 150));
    }
    assert.equal(left, '', 'remote sleep was killed');
    assert.equal(t.freeChannels, 8);
  });

  it('huge output is capped, flagged and stops the command', async () => {
    const t = transport();
    const started = Date.now();
    const res = await t.exec('head -c 200000000 /dev/zero', { timeoutMs: 20_000, maxBytes: 256 * 1024 });
    assert.equal(res.truncated, true);
    assert.equal(res.stdout.length, 256 * 1024);
    assert.ok(Date.now() - started < 5000);
    assert.equal((await t.exec('echo ok', EXEC)).stdout.trim(), 'ok');
  });

  it("tunnels HTTP to the host's loopback, releasing each channel; refused and hanging targets are coded", async () => {
    const server = createHttpServer((req, res) => {
      if (req.url === '/hang') return;
      res.writeHead(200).end(`{"status":"healthy","path":"${req.url}"}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const t = transport();
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => t.httpGet(`http://127.0.0.1:${port}/health?i=${i}`, { timeoutMs: 3000, maxBytes: 1000 })),
      );
      assert.ok(answers.every((a, i) => a.status === 200 && a.body.includes(`i=${i}`)));
      await assert.rejects(t.httpGet(`http://127.0.0.1:${port}/hang`, { timeoutMs: 400, maxBytes: 1000 }), (e: OpsError) => e.code === 'HTTP_TIMEOUT');
      await assert.rejects(
        t.httpGet(`http://127.0.0.1:${await freePort()}/health`, { timeoutMs: 2000, maxBytes: 1000 }),
        (e: OpsError) => e.code === 'CONNECT_REFUSED',
      );
      for (let i = 0; i < 20 && t.freeChannels < 8; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(t.freeChannels, 8, 'every tunnel channel released');
      assert.equal(t.connects, 1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('refuses a host whose key does not match the pin, naming both fingerprints', async () => {
    const pinned = 'SHA256:ffstP7ZDLHJzi3ey+UwtzDQ9yhF4mLLZbdR9vIq4Ntc';
    await rejectsWith(
      transport({ hostKey: pinned }).exec('id', EXEC),
      'SSH_HOSTKEY_MISMATCH',
      new RegExp(`expected ${pinned.replace(/\+/g, '\\+')}, received ${sshd.hostKeyFingerprint.replace(/\+/g, '\\+')} \\(ssh-ed25519\\)`),
      5000,
    );
  });

  it('refuses a wrong user key with the fix', async () => {
    const dir = sshd.dir;
    await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', `${dir}/other_key`]);
    const other = readFileSync(`${dir}/other_key`, 'utf8');
    const p = transport({ privateKey: new Secret(other) }).exec('id', EXEC);
    await assert.rejects(p, (e: OpsError) => e.code === 'SSH_AUTH' && /authorized_keys/.test(e.fix ?? ''));
  });

  it('a closed port fails fast with SSH_CONNECT', async () => {
    const port = await freePort();
    await rejectsWith(transport({ port }).exec('id', EXEC), 'SSH_CONNECT', /ECONNREFUSED/, 3000);
  });

  it('a server that accepts but never speaks fails at readyTimeout instead of hanging', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      await rejectsWith(transport({ port, readyTimeout: 800 }).exec('id', EXEC), 'SSH_CONNECT', /no SSH handshake .* within 800 ms/, 3000);
    } finally {
      silent.close();
    }
  });

  it('a dropped connection fails the call in flight and is re-opened on the next one', async () => {
    const t = transport({ keepaliveInterval: 300 });
    assert.equal((await t.exec('echo one', EXEC)).stdout.trim(), 'one');
    // Kill this connection's sshd session process from inside: the TCP connection drops.
    const inFlight = t.exec('sleep 1; pkill -KILL -u "$(id -u)" -f "^sshd: $(id -un)"; sleep 5', { timeoutMs: 15_000, maxBytes: 1024 });
    await rejectsWith(inFlight, 'SSH_CONNECT', /lost/, 6000);
    assert.equal((await t.exec('echo two', EXEC)).stdout.trim(), 'two');
    assert.equal(t.connects, 2);
  });

  it('a connection lost in the middle of a burst of commands and tunnels gives back every channel', async () => {
    // Found by the soak benchmark: after two reconnects in 10,000 cycles one channel permit was gone.
    const t = transport({ keepaliveInterval: 300 });
    await t.exec('true', EXEC);
    for (let round = 0; round < 3; round++) {
      const burst = [
        ...Array.from({ length: 12 }, (_, i) => t.exec(`sleep 0.${i % 5}; echo ${i}`, { timeoutMs: 8000, maxBytes: 1024 })),
        ...Array.from({ length: 8 }, () => t.httpGet(`http://127.0.0.1:${sshd.port}/`, { timeoutMs: 3000, maxBytes: 1024 })),
        t.exec('sleep 0.2; pkill -KILL -u "$(id -u)" -f "^sshd: $(id -un)"', { timeoutMs: 8000, maxBytes: 1024 }),
      ];
      await Promise.race([Promise.allSettled(burst), new Promise((r) => setTimeout(r, 12_000))]);
      for (let i = 0; i < 40 && t.freeChannels < 8; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(t.freeChannels, 8, `round ${round}: every channel released`);
      assert.equal((await t.exec('echo again', EXEC)).stdout.trim(), 'again');
    }
  });

  it('a host that freezes (no packets at all) is detected by keepalives', async () => {
    const t = transport({ keepaliveInterval: 300 });
    await t.exec('true', EXEC);
    // SIGSTOP the connection's sshd processes: TCP stays up, nothing answers — like a hung VM.
    const pids = (await runOk('pgrep', ['-f', `^sshd: ${sshd.user}`])).stdout.trim().split('\n').filter(Boolean);
    assert.ok(pids.length > 0);
    try {
      await runOk('kill', ['-STOP', ...pids]);
      await rejectsWith(t.exec('echo hi', { timeoutMs: 30_000, maxBytes: 1024 }), 'SSH_CONNECT', /lost/, 5000);
    } finally {
      await runOk('kill', ['-KILL', ...pids]);
    }
  });
});
