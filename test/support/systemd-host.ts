/**
 * A MoneyMind host managed by a real systemd (systemd-ns.ts): the stand-in Flask/Waitress app as
 * `moneymind.service` (stdout in the journal, its log file as under supervisor), sshd running
 * inside the same namespaces so the bot's sessions see that systemd, the test user in
 * `systemd-journal` there, and a sudoers rule for exactly `systemctl restart moneymind`.
 * MariaDB, when asked for, runs outside on loopback like in test-host.ts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { httpGet } from './http-probe.js';
import { startMariadb, type MariadbHandle } from './mariadb.js';
import { runOk, waitUntil } from './proc.js';
import { startSshd, type SshdHandle } from './sshd.js';
import { installSudoers, removeSudoers } from './sudoers.js';
import { APP_PY, appProcessMatch, instanceArg, PYTHON, standInEnv } from './supervisor.js';
import { startSystemdNs, type SystemdNs } from './systemd-ns.js';
import { deepMerge, exportMysqlPassword, MYSQL_PASSWORD_ENV } from './test-host.js';
import { ensureTestUser } from './test-user.js';
import { makeTempDir, removeDir } from './tmp.js';

export const SERVICE = 'moneymind';

export interface SystemdTestHost {
  sshd: SshdHandle;
  db?: MariadbHandle;
  systemd: SystemdNs;
  app: { port: number; healthUrl: string; logFile: string };
  env: Record<string, string>;
  /** Signals moneymind.service's main process, as a crash or the OOM killer would. */
  killMain(signal: 'KILL' | 'TERM'): Promise<void>;
  hostConfig(name: string, overrides?: object): Record<string, unknown>;
  stop(): Promise<void>;
}

function unit(env: Record<string, string>, user: string, dir: string): string {
  // systemd's Environment= takes "K=V" in double quotes; the values here hold no quotes or backslashes.
  const lines = Object.entries(env).map(([k, v]) => `Environment="${k}=${v}"`);
  return [
    '[Unit]',
    'Description=MoneyMind (test stand-in)',
    'DefaultDependencies=no',
    // Without this ordering the unit can start before journald's socket and its output is lost.
    'After=systemd-journald.socket systemd-journald-dev-log.socket dbus.socket',
    '',
    '[Service]',
    'Type=simple',
    `User=${user}`,
    `WorkingDirectory=${dir}`,
    ...lines,
    `ExecStart=${PYTHON} ${APP_PY} ${instanceArg(Number(env.MM_PORT))}`,
    'Restart=always',
    'RestartSec=1',
    '',
  ].join('\n');
}

export async function startSystemdTestHost(opts: { withDb?: boolean } = {}): Promise<SystemdTestHost> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const s of stops.splice(0).reverse()) await s().catch((err: Error) => process.stderr.write(`[harness] ${err.message}\n`));
  };
  try {
    const user = await ensureTestUser();
    const db = opts.withDb ? await startMariadb() : undefined;
    if (db) stops.push(() => db.destroy());
    const dir = makeTempDir('sd-app');
    stops.push(async () => removeDir(dir));
    mkdirSync(join(dir, 'log'));
    const logFile = join(dir, 'log', 'moneymind.log');
    await runOk('install', ['-o', String(user.uid), '-g', String(user.gid), '-m', '0644', '/dev/null', logFile]);
    const port = await freePort();
    const systemd = await startSystemdNs({
      units: { [`${SERVICE}.service`]: unit(standInEnv(logFile, port, user, { db }), user.name, dir) },
      groupMembers: { 'systemd-journal': [user.name] },
    });
    stops.push(() => systemd.stop());
    const healthUrl = `http://127.0.0.1:${port}/health`;
    await waitUntil(`${SERVICE}.service healthy on :${port}`, async () => ((await httpGet(healthUrl, 2000))?.status === 200 ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 100,
      describeFailure: () => `see journalctl -u ${SERVICE} inside ${systemd.dir}`,
    });
    const sshd = await startSshd({ enter: systemd.enter });
    stops.push(() => sshd.destroy());
    const sudoers = await installSudoers(user.name, [`/usr/bin/systemctl restart ${SERVICE}`], dir);
    stops.push(async () => removeSudoers(sudoers));

    const env = exportMysqlPassword(db, stops);
    return {
      sshd,
      db,
      systemd,
      app: { port, healthUrl, logFile },
      env,
      killMain: async (signal) => {
        // MainPID is a pid inside the namespace, so the kill runs inside too.
        const pid = (await systemd.systemctl('show', SERVICE, '--property=MainPID', '--value')).stdout.trim();
        if (!/^[1-9]\d*$/.test(pid)) throw new Error(`${SERVICE} has no main process (MainPID=${pid})`);
        await runOk(systemd.enter[0] as string, [...systemd.enter.slice(1), 'kill', `-${signal}`, pid]);
      },
      hostConfig: (name, overrides = {}) => {
        const base: Record<string, unknown> = {
          name,
          transport: 'ssh',
          ssh: { host: '127.0.0.1', port: sshd.port, username: sshd.user, privateKeyPath: sshd.privateKeyPath, hostKey: sshd.hostKeyFingerprint },
          app: { healthUrl, port, service: SERVICE, manager: 'systemd', logFile, processMatch: appProcessMatch(port), poolRecycle: 3600 },
        };
        if (db) base.mysql = { host: '127.0.0.1', port: db.port, user: 'monitor', passwordEnv: MYSQL_PASSWORD_ENV };
        return deepMerge(base, overrides);
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
