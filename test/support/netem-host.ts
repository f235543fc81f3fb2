/**
 * One simulated MoneyMind host in a delayed network namespace (delayed-netns.ts): its own sshd on
 * the namespace's address, its own stand-in app (Flask + Waitress, ~30 MB) on the namespace's
 * 127.0.0.1, and — with a shared MariaDB — a socat on the namespace's 127.0.0.1:3306 that hands
 * each connection to that MariaDB's unix socket (a path, so it crosses namespaces without the
 * delay: the DB stays "local" to every host). All of it starts inside `cgroupEnter` (a
 * lowest-weight CPU cgroup) so the bot wins the CPU as it would against separate machines.
 *
 * The app runs under `manager: systemd` without a systemd: the namespace shares this machine's PID
 * 1, which is not systemd. Sessions get a PATH (sshd SetEnv) whose first directory holds a stand-in
 * `systemctl` that prints what `systemctl show` prints for a running unit — the app's real pid and
 * start time — and a `journalctl` with an empty journal. The bot's side (one exec, its output,
 * the parser) is what it is against a real systemd; only the host's few ms of systemd work are not
 * simulated, and they are the host's, not the bot's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DelayedNetNs } from './delayed-netns.js';
import type { MariadbHandle } from './mariadb.js';
import { registerEmergencyCleanup } from './emergency.js';
import { killTreeSync, run, runOk, spawnDaemon, terminateTree, waitUntil, type Daemon } from './proc.js';
import { startSshd } from './sshd.js';
import { APP_PY, PYTHON, standInEnv } from './supervisor.js';
import { MYSQL_PASSWORD_ENV } from './test-host.js';
import type { TestUser } from './test-user.js';
import { makeTempDir, removeDir } from './tmp.js';

export interface NetemHost {
  ns: DelayedNetNs;
  sshdPort: number;
  hostConfig(name: string): Record<string, unknown>;
  stop(): Promise<void>;
}

export interface NetemHostOptions {
  user: TestUser;
  /** Prefix that starts a process inside the hosts' CPU cgroup (low-cpu-cgroup.ts). */
  cgroupEnter: readonly string[];
  db?: MariadbHandle;
  /** Goes on the app's command line, so `processMatch` finds this host's app and no other: none may be a prefix of another. */
  id: string;
}

// The namespace is new and only this module starts servers in it, so these ports are free there.
const APP_PORT = 5070;
const DB_PORT = 3306;

/** Resolves once something listens on 127.0.0.1:port inside the namespace. */
async function listening(ns: DelayedNetNs, port: number, what: string, daemon: Daemon, log: string): Promise<void> {
  await waitUntil(
    `${what} on 127.0.0.1:${port} in ${ns.name}`,
    async () => {
      if (daemon.exited) throw new Error(`${what} exited (${daemon.exited.code ?? daemon.exited.signal}): ${readFileSync(log, 'utf8').slice(-2000)}`);
      const probe = await run(ns.enter[0]!, [...ns.enter.slice(1), 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { timeoutMs: 5000 });
      return probe.code === 0 ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
}

function standInSystemd(bin: string, pid: number, startedUs: number): void {
  const show = ['LoadState=loaded', 'ActiveState=active', 'SubState=running', 'Result=success', 'NRestarts=0', `MainPID=${pid}`];
  const props = [...show, `ActiveEnterTimestampMonotonic=${startedUs}`].join(' ');
  const script = `#!/bin/sh\n# Stand-in for systemctl show on a simulated host (netem-host.ts): the app's unit, running.\nprintf '%s\\n' ${props}\n`;
  writeFileSync(join(bin, 'systemctl'), script, { mode: 0o755 });
  writeFileSync(join(bin, 'journalctl'), '#!/bin/sh\n# Stand-in: an empty journal (no crash, no OOM kill).\n', { mode: 0o755 });
}

export async function startNetemHost(ns: DelayedNetNs, opts: NetemHostOptions): Promise<NetemHost> {
  const { user } = opts;
  const dir = makeTempDir('netem-host');
  const bin = join(dir, 'bin');
  const logFile = join(dir, 'log', 'moneymind.log');
  const daemons: Daemon[] = [];
  const stops: Array<() => Promise<void>> = [];
  // sshd registers its own; the app and socat are this module's to kill if the process dies first.
  const unregister = registerEmergencyCleanup(`netem host in ${dir}`, () => {
    for (const d of daemons) if (!d.exited) killTreeSync(d.pid);
    removeDir(dir);
  });
  const stop = async (): Promise<void> => {
    for (const s of stops.splice(0).reverse()) await s();
    for (const d of daemons.splice(0)) if (!d.exited) await terminateTree(d.pid, { label: `${ns.name} daemon`, graceMs: 3000 });
    removeDir(dir);
    unregister();
  };
  const inside = [...opts.cgroupEnter, ...ns.enter];
  try {
    await runOk('install', ['-d', '-m', '0755', bin]);
    await runOk('install', ['-d', '-o', String(user.uid), '-g', String(user.gid), '-m', '0755', join(dir, 'log')]);
    await runOk('install', ['-o', String(user.uid), '-g', String(user.gid), '-m', '0644', '/dev/null', logFile]);

    // setpriv execs (runuser would fork): the daemon's pid is the app's, which systemctl reports.
    const appLog = join(dir, 'app.out');
    const env = { ...standInEnv(logFile, APP_PORT, user, {}), PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const setpriv = ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups'];
    const startedUs = Math.round(Number.parseFloat(readFileSync('/proc/uptime', 'utf8')) * 1e6);
    const app = await spawnDaemon(inside[0]!, [...inside.slice(1), ...setpriv, PYTHON, APP_PY, `--host=${opts.id}`], appLog, { env, cwd: dir });
    daemons.push(app);
    standInSystemd(bin, app.pid, startedUs);

    if (opts.db) {
      const socatLog = join(dir, 'socat.out');
      const socat = await spawnDaemon(
        inside[0]!,
        [...inside.slice(1), 'socat', `TCP-LISTEN:${DB_PORT},bind=127.0.0.1,reuseaddr,fork`, `UNIX-CONNECT:${opts.db.socket}`],
        socatLog,
      );
      daemons.push(socat);
      await listening(ns, DB_PORT, 'socat', socat, socatLog);
    }
    const sshd = await startSshd({ user: user.name, enter: inside, listenAddress: ns.inside, setEnv: { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin` } });
    stops.push(() => sshd.destroy());
    await listening(ns, APP_PORT, 'the stand-in app', app, appLog);

    return {
      ns,
      sshdPort: sshd.port,
      hostConfig: (name) => ({
        name,
        transport: 'ssh',
        ssh: { host: ns.inside, port: sshd.port, username: sshd.user, privateKeyPath: sshd.privateKeyPath, hostKey: sshd.hostKeyFingerprint },
        app: {
          healthUrl: `http://127.0.0.1:${APP_PORT}/health`,
          port: APP_PORT,
          service: 'moneymind',
          manager: 'systemd',
          logFile,
          processMatch: `app.py --host=${opts.id}`,
          poolRecycle: 300,
        },
        // `name`: every host's DB check reaches the one shared MariaDB, so it is one server.
        ...(opts.db ? { mysql: { host: '127.0.0.1', port: DB_PORT, user: 'monitor', passwordEnv: MYSQL_PASSWORD_ENV, name: 'netem-shared-db' } } : {}),
      }),
      stop,
    };
  } catch (err) {
    await stop().catch((e: Error) => process.stderr.write(`[harness] cleanup of ${ns.name} after a failed start: ${e.message}\n`));
    throw err;
  }
}
