/**
 * A real, throw-away MariaDB server on 127.0.0.1 for integration tests.
 *
 * Data dir, unix socket, pid file and error log all live in one temp dir.
 * root is only reachable through the socket (unix_socket auth, as OS root);
 * the bot's `monitor` account and the app account use TCP with passwords.
 *
 * Lifecycle: stop() = clean shutdown (SIGTERM, bounded, SIGKILL fallback),
 * start() = same port + datadir again, destroy() = stop() + remove temp dir.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { registerEmergencyCleanup } from './emergency.js';
import { freePort } from './free-port.js';
import { isAlive, killTreeSync, run, runOk, spawnDaemon, tail, terminateTree, waitUntil, type Daemon } from './proc.js';
import { makeTempDir, removeDir } from './tmp.js';

export interface MariadbHandle {
  host: '127.0.0.1';
  port: number;
  socket: string;
  monitorUser: 'monitor';
  monitorPassword: string;
  appUser: string;
  appPassword: string;
  appDatabase: string;
  /** The server's error log (mariadbd --log-error). */
  errorLog: string;
  /** Run SQL as root through the socket (`mariadb -B -N`); returns stdout. */
  sql(query: string): Promise<string>;
  stop(): Promise<void>;
  /** Restart on the same port and datadir after stop(). */
  start(): Promise<void>;
  /** stop() + remove the temp dir. */
  destroy(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;
// InnoDB shutdown normally takes ~0.1-1 s; crash recovery after SIGKILL is fine for a test DB.
const SHUTDOWN_GRACE_MS = 15_000;
const PORT_ATTEMPTS = 3;

const password = (): string => randomBytes(12).toString('hex');

export async function startMariadb(): Promise<MariadbHandle> {
  const dir = makeTempDir('mariadb');
  const datadir = join(dir, 'data');
  const socket = join(dir, 'mariadb.sock');
  const errorLog = join(dir, 'error.log');
  const stdoutLog = join(dir, 'mariadbd.out');
  // Private tmpdir: on startup mariadbd deletes stray "#sql*" files in its
  // tmpdir, so with the shared /tmp one instance starting up would delete the
  // temp tables of another one (seen as "Unknown table 'mysql.tmp_proxies_priv'"
  // in a parallel mariadb-install-db).
  const tmp = join(dir, 'tmp');
  let daemon: Daemon | undefined;
  const unregister = registerEmergencyCleanup(`mariadbd in ${dir}`, () => {
    if (daemon && !daemon.exited) killTreeSync(daemon.pid);
    removeDir(dir);
  });

  const sql = async (query: string): Promise<string> => {
    const res = await runOk('mariadb', ['--no-defaults', `--socket=${socket}`, '--user=root', '-B', '-N', '-e', query], {
      timeoutMs: 30_000,
    });
    return res.stdout;
  };
  const diagnostics = (): string => `--- ${errorLog}:\n${tail(errorLog)}\n--- ${stdoutLog}:\n${tail(stdoutLog, 1000)}`;

  let port = 0;
  const stop = async (): Promise<void> => {
    const d = daemon;
    if (!d || d.exited || !isAlive(d.pid)) return;
    // SIGTERM = normal shutdown in mariadbd (flushes InnoDB, removes socket/pid).
    await terminateTree(d.pid, { label: 'mariadbd', graceMs: SHUTDOWN_GRACE_MS });
    daemon = undefined;
  };
  const launch = async (): Promise<void> => {
    const d = await spawnDaemon(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults', // ignore /etc/mysql: it points at the system datadir and socket
        `--datadir=${datadir}`,
        `--socket=${socket}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--user=root', // mariadbd refuses to run as root unless told explicitly
        `--pid-file=${join(dir, 'mariadbd.pid')}`,
        `--log-error=${errorLog}`,
        `--tmpdir=${tmp}`,
        '--skip-name-resolve', // so 'monitor'@'127.0.0.1' matches TCP logins, no DNS
        '--wait-timeout=600', // the runbook situation: wait_timeout 600 < pool_recycle 3600
        // Speed: skip the buffer-pool dump/load that makes shutdown ~1 s slower.
        '--innodb-buffer-pool-dump-at-shutdown=0',
        '--innodb-buffer-pool-load-at-startup=0',
        '--innodb-buffer-pool-size=32M',
      ],
      stdoutLog,
    );
    daemon = d;
    try {
      await waitUntil(
        `mariadbd on 127.0.0.1:${port}`,
        async () => {
          if (d.exited) throw new Error(`mariadbd exited (${d.exited.code ?? d.exited.signal})\n${diagnostics()}`);
          const res = await run('mariadb', ['--no-defaults', `--socket=${socket}`, '--user=root', '-B', '-N', '-e', 'SELECT 1'], {
            timeoutMs: 5000,
          });
          return res.code === 0 ? true : undefined; // socket not there yet: keep polling
        },
        { timeoutMs: READY_TIMEOUT_MS, intervalMs: 50, describeFailure: diagnostics },
      );
    } catch (err) {
      await stop(); // never leave a half-started server behind
      throw err;
    }
  };

  try {
    mkdirSync(datadir);
    mkdirSync(tmp);
    // --auth-root-authentication-method=socket: root@localhost authenticates
    // by OS uid only, so no root password exists anywhere.
    await runOk(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        '--user=root',
        '--auth-root-authentication-method=socket',
        '--skip-test-db',
        '--skip-name-resolve',
        `--tmpdir=${tmp}`, // passed through to the bootstrap mariadbd
      ],
      { timeoutMs: 60_000 },
    );

    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await launch();
        break;
      } catch (err) {
        // Another process took the port between freePort() and bind().
        const raced = /Address already in use|Do you already have another/.test(tail(errorLog));
        if (!raced || attempt >= PORT_ATTEMPTS) throw err;
      }
    }

    const monitorPassword = password();
    const appPassword = password();
    const appUser = 'moneymind';
    const appDatabase = 'moneymind';
    // Both hosts: TCP from 127.0.0.1 (skip-name-resolve) and the socket ('localhost').
    // PROCESS is all the bot needs: SHOW VARIABLES / SHOW GLOBAL STATUS /
    // information_schema.PROCESSLIST of all threads.
    const hosts = ['127.0.0.1', 'localhost'];
    await sql(
      [
        `CREATE DATABASE ${appDatabase}`,
        ...hosts.flatMap((h) => [
          `CREATE USER 'monitor'@'${h}' IDENTIFIED BY '${monitorPassword}'`,
          `GRANT PROCESS ON *.* TO 'monitor'@'${h}'`,
          `CREATE USER '${appUser}'@'${h}' IDENTIFIED BY '${appPassword}'`,
          `GRANT ALL ON ${appDatabase}.* TO '${appUser}'@'${h}'`,
        ]),
        '',
      ].join(';\n'),
    );

    return {
      host: '127.0.0.1',
      port,
      socket,
      monitorUser: 'monitor',
      monitorPassword,
      appUser,
      appPassword,
      appDatabase,
      errorLog,
      sql,
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
    };
  } catch (err) {
    if (daemon && !daemon.exited) killTreeSync(daemon.pid);
    removeDir(dir);
    unregister();
    throw err;
  }
}
