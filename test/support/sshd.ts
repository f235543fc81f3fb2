/**
 * A real OpenSSH server on 127.0.0.1 for integration tests.
 *
 * Everything lives in a temp dir: sshd_config, an ed25519 host key, a fresh
 * ed25519 client key pair (generated now, never committed), authorized_keys,
 * pid file and sshd's stderr log (sshd.log).
 *
 * Lifecycle: stop() kills the listener AND all open sessions, keeping the
 * temp dir so start() can bring it back on the same port with the same keys.
 * destroy() (alias cleanup()) = stop() + remove the temp dir.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { registerEmergencyCleanup } from './emergency.js';
import { freePort } from './free-port.js';
import { isAlive, killTreeSync, runOk, spawnDaemon, tail, terminateTree, waitUntil, type Daemon } from './proc.js';
import { ensureTestUser, isRoot } from './test-user.js';
import { makeTempDir, removeDir } from './tmp.js';

export interface SshdHandle {
  /** The address it listens on: 127.0.0.1 unless `listenAddress` said otherwise. */
  host: string;
  port: number;
  user: string;
  privateKeyPath: string;
  privateKey: string;
  /** "SHA256:..." exactly as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** Host public key line, "ssh-ed25519 AAAA...", for known_hosts files. */
  hostPublicKey: string;
  dir: string;
  stop(): Promise<void>;
  /** Start again on the same port (after stop()). */
  start(): Promise<void>;
  /** stop() + remove the temp dir. */
  destroy(): Promise<void>;
  /** Alias of destroy(). */
  cleanup(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';
const READY_TIMEOUT_MS = 10_000;
const PORT_ATTEMPTS = 3;

function sshdConfig(dir: string, port: number, user: string, listen: string, allowFrom: string | undefined, setEnv: Record<string, string> = {}): string {
  return [
    `Port ${port}`,
    `ListenAddress ${listen}`,
    `HostKey ${join(dir, 'ssh_host_ed25519_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    // allowFrom: only logins from that address (the one a jump host connects from) are let in.
    `AllowUsers ${allowFrom ? `${user}@${allowFrom}` : user}`,
    'AuthenticationMethods publickey',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    // No PAM: no dependency on the container's PAM stack. Side effect: sshd
    // checks the shadow entry itself and rejects "!"-locked accounts.
    'UsePAM no',
    // The temp dir lives under /tmp (root-owned, sticky, world-writable),
    // which StrictModes would reject for AuthorizedKeysFile.
    'StrictModes no',
    'MaxSessions 10',
    // Parallel checks open many connections at once; the default 10:30:100
    // starts dropping unauthenticated connections randomly at 10.
    'MaxStartups 100',
    'AllowTcpForwarding yes',
    'X11Forwarding no',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'Subsystem sftp internal-sftp',
    'LogLevel INFO',
    // Applied after sshd's own defaults, so SetEnv PATH=… puts stand-in commands first (netem-host.ts).
    ...Object.entries(setEnv).map(([k, v]) => `SetEnv ${k}=${v}`),
    '',
  ].join('\n');
}

/** Resolves when the port answers with an SSH banner (so it is our sshd). */
function bannerOk(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let buf = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.includes('\n')) done(buf.startsWith('SSH-2.0-'));
    });
    socket.on('error', () => done(false)); // not listening yet: keep polling
    socket.on('close', () => done(false));
  });
}

async function keygen(dir: string, name: string, comment: string): Promise<void> {
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', join(dir, name)]);
}

/**
 * `enter` runs sshd through a command prefix, e.g. `nsenter -t PID -m -p --` so that its sessions
 * live inside a systemd test namespace (systemd-ns.ts), or `ip netns exec NAME` for a network
 * namespace (netns.ts: a jump host). `listenAddress` (default 127.0.0.1) must be reachable from the
 * test process; `allowFrom` lets logins in only from that source address; `setEnv`: sessions' environment (sshd's SetEnv).
 */
export async function startSshd(
  opts: { user?: string; enter?: readonly string[]; listenAddress?: string; allowFrom?: string; setEnv?: Record<string, string> } = {},
): Promise<SshdHandle> {
  const listen = opts.listenAddress ?? '127.0.0.1';
  // Privilege-separation dir; sshd refuses to start without it.
  if (isRoot()) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const user = await ensureTestUser(opts.user);
  const dir = makeTempDir('sshd');
  const log = join(dir, 'sshd.log');
  let daemon: Daemon | undefined;
  const unregister = registerEmergencyCleanup(`sshd in ${dir}`, () => {
    if (daemon && !daemon.exited) killTreeSync(daemon.pid);
    removeDir(dir);
  });

  try {
    await Promise.all([keygen(dir, 'ssh_host_ed25519_key', 'mm-test-host'), keygen(dir, 'id_ed25519', 'mm-test-client')]);
    const clientPub = readFileSync(join(dir, 'id_ed25519.pub'), 'utf8');
    writeFileSync(join(dir, 'authorized_keys'), clientPub, { mode: 0o644 });
    const fp = await runOk('ssh-keygen', ['-l', '-f', join(dir, 'ssh_host_ed25519_key.pub')]);
    const hostKeyFingerprint = fp.stdout.trim().split(/\s+/)[1] ?? '';
    if (!hostKeyFingerprint.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen -l output: ${fp.stdout}`);
    const [keyType, keyData] = readFileSync(join(dir, 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(/\s+/);

    let port = 0;
    const launch = async (): Promise<void> => {
      writeFileSync(join(dir, 'sshd_config'), sshdConfig(dir, port, user.name, listen, opts.allowFrom, opts.setEnv));
      writeFileSync(log, `--- starting sshd on port ${port}\n`, { flag: 'a' });
      const args = ['-D', '-e', '-f', join(dir, 'sshd_config')];
      const d = opts.enter?.length
        ? await spawnDaemon(opts.enter[0] as string, [...opts.enter.slice(1), SSHD, ...args], log)
        : await spawnDaemon(SSHD, args, log);
      daemon = d;
      try {
        await waitUntil(
          `sshd on ${listen}:${port}`,
          async () => {
            if (d.exited) throw new Error(`sshd exited (${d.exited.code ?? d.exited.signal}):\n${tail(log)}`);
            return (await bannerOk(listen, port)) ? true : undefined;
          },
          { timeoutMs: READY_TIMEOUT_MS, intervalMs: 50, describeFailure: () => tail(log) },
        );
      } catch (err) {
        await stop(); // never leave a half-started sshd behind
        throw err;
      }
    };
    const stop = async (): Promise<void> => {
      const d = daemon;
      if (!d || d.exited || !isAlive(d.pid)) return;
      // Sessions are forked children that call setsid(), so signal the whole
      // tree: a plain TERM to the listener would leave logged-in sessions.
      await terminateTree(d.pid, { label: 'sshd', graceMs: 3000, signalDescendants: true });
      // terminateTree sees the exit in /proc before node emits 'exit'.
      daemon = undefined;
    };

    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await launch();
        break;
      } catch (err) {
        // Someone else took the port between freePort() and sshd's bind().
        const raced = /Address already in use|Cannot bind any address/.test(tail(log));
        if (!raced || attempt >= PORT_ATTEMPTS) throw err;
      }
    }

    const handle: SshdHandle = {
      host: listen,
      port,
      user: user.name,
      privateKeyPath: join(dir, 'id_ed25519'),
      privateKey: readFileSync(join(dir, 'id_ed25519'), 'utf8'),
      hostKeyFingerprint,
      hostPublicKey: `${keyType} ${keyData}`,
      dir,
      stop,
      start: async () => {
        if (daemon && !daemon.exited && isAlive(daemon.pid)) return; // already running
        await launch();
      },
      destroy: async () => {
        await stop();
        removeDir(dir);
        unregister();
      },
      cleanup: () => handle.destroy(),
    };
    return handle;
  } catch (err) {
    if (daemon && !daemon.exited) killTreeSync(daemon.pid);
    removeDir(dir);
    unregister();
    throw err;
  }
}
