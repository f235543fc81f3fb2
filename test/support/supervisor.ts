/**
 * The stand-in MoneyMind app under a real supervisord, like production.
 *
 * supervisord runs as root (so `user=` can drop the app to the SSH test
 * user) with its control socket in the temp dir, chmod 0700: only root (i.e.
 * `sudo supervisorctl`) can talk to it, as on the real host. A sudoers
 * drop-in lets the test user run exactly status/restart/start/stop.
 *
 * stop() shuts supervisord (and so the app) down, removes the sudoers
 * drop-in and the temp dir. There is no restart: use supervisorctl for that.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerEmergencyCleanup } from './emergency.js';
import { freePort } from './free-port.js';
import { httpGet } from './http-probe.js';
import type { MariadbHandle } from './mariadb.js';
import { isAlive, killTreeSync, run, runOk, spawnDaemon, tail, terminateTree, waitUntil, type Daemon } from './proc.js';
import { installSupervisorSudoers, removeSudoers, SUPERVISORCTL } from './sudoers.js';
import { ensureTestUser, isRoot, type TestUser } from './test-user.js';
import { makeTempDir, removeDir } from './tmp.js';

export interface AppHandle {
  port: number;
  logFile: string;
  logDir: string;
  supervisorConfig: string;
  programName: 'moneymind';
  healthUrl: string;
  /** The sudoers drop-in (undefined when not running as root). */
  sudoersFile: string | undefined;
  setMode(mode: 'ok' | 'hang'): Promise<void>;
  /** Run `supervisorctl -c <conf> ...args` locally as root. */
  supervisorctl(...args: string[]): Promise<{ code: number; stdout: string }>;
  /** Stop supervisord and everything (app, sudoers drop-in, temp dir). */
  stop(): Promise<void>;
}

export interface SupervisedAppOptions {
  db?: MariadbHandle;
  /** The SSH test user: runs the app and must be able to read its log. */
  user: string;
  threads?: number;
  poolRecycle?: number;
}

const PROGRAM = 'moneymind';
export const APP_PY = join(dirname(fileURLToPath(import.meta.url)), 'stand-in-app', 'app.py');
/**
 * On the app's command line (app.py ignores it): makes each running stand-in findable apart from
 * the others. Test files run at once, each with its own test host; a processMatch of just
 * `stand-in-app/app.py` summed every one of them into one host's RSS (a leak made on one showed
 * on all). The trailing slash keeps port 5070's marker from matching port 50701's.
 */
export const instanceArg = (port: number): string => `--instance=${port}/`;
export const appProcessMatch = (port: number): string => `stand-in-app/app.py ${instanceArg(port)}`;
export const PYTHON = '/usr/bin/python3'; // Debian's python has flask/waitress/sqlalchemy/pymysql; pyenv's does not
const READY_TIMEOUT_MS = 20_000;
const PORT_ATTEMPTS = 3;

interface Paths {
  dir: string;
  conf: string;
  socket: string;
  logDir: string;
  logFile: string;
  programLog: string;
  supervisordLog: string;
}

/** supervisor config values go through ConfigParser-style %-interpolation. */
const esc = (v: string): string => v.replace(/%/g, '%%');

/** The stand-in app's environment, the same under supervisord and under systemd (systemd-host.ts). */
export function standInEnv(logFile: string, port: number, user: TestUser, opts: Omit<SupervisedAppOptions, 'user'>): Record<string, string> {
  const env: Record<string, string> = {
    MM_PORT: String(port),
    MM_LOG_FILE: logFile,
    MM_POOL_RECYCLE: String(opts.poolRecycle ?? 3600),
    MM_THREADS: String(opts.threads ?? 4),
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1', // the app runs as the test user, who cannot write to the repo
    HOME: user.home,
  };
  if (opts.db) {
    const { appUser, appPassword, port: dbPort, appDatabase } = opts.db;
    env.MM_DB_URL = `mysql+pymysql://${appUser}:${encodeURIComponent(appPassword)}@127.0.0.1:${dbPort}/${appDatabase}`;
  }
  return env;
}

function supervisordConf(p: Paths, port: number, user: TestUser, opts: SupervisedAppOptions): string {
  const env = standInEnv(p.logFile, port, user, opts);
  const environment = Object.entries(env)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',');
  return [
    '[unix_http_server]',
    `file=${p.socket}`,
    'chmod=0700',
    '',
    '[supervisord]',
    `logfile=${p.supervisordLog}`,
    `pidfile=${join(p.dir, 'supervisord.pid')}`,
    `childlogdir=${p.dir}`,
    'nodaemon=true',
    // Explicit user=root silences the "running as root" CRIT message.
    ...(isRoot() ? ['user=root'] : []),
    '',
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
    '',
    '[supervisorctl]',
    `serverurl=unix://${p.socket}`,
    '',
    `[program:${PROGRAM}]`,
    `command=${PYTHON} ${APP_PY} ${instanceArg(port)}`,
    `directory=${p.dir}`,
    ...(isRoot() ? [`user=${user.name}`] : []),
    `environment=${environment}`,
    'autostart=true',
    'autorestart=true',
    'startsecs=1',
    'startretries=3',
    'stopsignal=TERM',
    'stopwaitsecs=5',
    'stopasgroup=true',
    'killasgroup=true',
    `stdout_logfile=${p.programLog}`,
    'redirect_stderr=true',
    '',
  ].join('\n');
}

export async function startSupervisedApp(opts: SupervisedAppOptions): Promise<AppHandle> {
  const user = await ensureTestUser(opts.user);
  const dir = makeTempDir('supervisor');
  const p: Paths = {
    dir,
    conf: join(dir, 'supervisord.conf'),
    socket: join(dir, 'supervisor.sock'),
    logDir: join(dir, 'log'),
    logFile: join(dir, 'log', 'moneymind.log'),
    programLog: join(dir, 'moneymind-stdout.log'),
    supervisordLog: join(dir, 'supervisord.log'),
  };
  let daemon: Daemon | undefined;
  let sudoersFile: string | undefined;
  const unregister = registerEmergencyCleanup(`supervisord in ${dir}`, () => {
    if (daemon && !daemon.exited) killTreeSync(daemon.pid);
    if (sudoersFile) removeSudoers(sudoersFile);
    removeDir(dir);
  });

  const supervisorctl = async (...args: string[]): Promise<{ code: number; stdout: string }> => {
    const res = await run(SUPERVISORCTL, ['-c', p.conf, ...args], { timeoutMs: 60_000 });
    return { code: res.code, stdout: res.stdout + res.stderr };
  };
  const diagnostics = (): string => [p.programLog, p.logFile, p.supervisordLog].map((f) => `--- ${f}:\n${tail(f, 2500)}`).join('\n');
  const stopSupervisord = async (): Promise<void> => {
    const d = daemon;
    if (!d || d.exited || !isAlive(d.pid)) return;
    // SIGTERM: supervisord stops the program (TERM to its process group,
    // KILL after stopwaitsecs=5) and then exits. SIGKILL only as fallback.
    await terminateTree(d.pid, { label: 'supervisord', graceMs: 15_000 });
    daemon = undefined;
  };

  try {
    await runOk('install', ['-d', '-o', String(user.uid), '-g', String(user.gid), '-m', '0755', p.logDir]);
    // Pre-create the log (owned by the app user) so it exists and is readable
    // before the app has written its first line.
    await runOk('install', ['-o', String(user.uid), '-g', String(user.gid), '-m', '0644', '/dev/null', p.logFile]);

    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      // 0644 like Debian's /etc/supervisor/conf.d files: the support bundle reads the program
      // section as the SSH user, and must mask the DB password in MM_DB_URL when it does.
      writeFileSync(p.conf, supervisordConf(p, port, user, opts), { mode: 0o644 });
      const d = await spawnDaemon('/usr/bin/supervisord', ['-n', '-c', p.conf], join(dir, 'supervisord.out'));
      daemon = d;
      try {
        await waitUntil(
          `${PROGRAM} RUNNING and healthy on 127.0.0.1:${port}`,
          async () => {
            if (d.exited) throw new Error(`supervisord exited (${d.exited.code ?? d.exited.signal})\n${diagnostics()}`);
            const status = await supervisorctl('status', PROGRAM);
            if (/FATAL|EXITED/.test(status.stdout)) throw new Error(`${status.stdout.trim()}\n${diagnostics()}`);
            if (!/RUNNING/.test(status.stdout)) return undefined;
            const health = await httpGet(`http://127.0.0.1:${port}/health`, 2000);
            return health?.status === 200 ? true : undefined;
          },
          { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100, describeFailure: diagnostics },
        );
        break;
      } catch (err) {
        await stopSupervisord();
        // Another process took the port between freePort() and waitress's bind().
        const raced = /Address already in use/.test(tail(p.programLog));
        if (!raced || attempt >= PORT_ATTEMPTS) throw err;
      }
    }

    if (isRoot()) {
      sudoersFile = await installSupervisorSudoers(user.name, p.conf, PROGRAM, dir);
      // Prove the exact command the bot will run works for the test user.
      const check = await run('runuser', ['-u', user.name, '--', 'sudo', '-n', 'supervisorctl', '-c', p.conf, 'status', PROGRAM]);
      if (check.code !== 0 || !check.stdout.includes('RUNNING')) {
        throw new Error(`sudo -n supervisorctl as ${user.name} failed (${check.code}): ${check.stderr}${check.stdout}`);
      }
    }

    const base = `http://127.0.0.1:${port}`;
    const handle: AppHandle = {
      port,
      logFile: p.logFile,
      logDir: p.logDir,
      supervisorConfig: p.conf,
      programName: PROGRAM,
      healthUrl: `${base}/health`,
      sudoersFile,
      supervisorctl,
      setMode: async (mode) => {
        const res = await httpGet(`${base}/_mode/${mode}`, 1000);
        if (res?.status === 200) return;
        if (mode === 'hang') throw new Error(`GET /_mode/hang failed: ${res ? `${res.status} ${res.body}` : 'no answer'}`);
        // All worker threads may be stuck in /health: no thread is free to
        // serve /_mode/ok, but the signal handler runs in the main thread.
        const sig = await supervisorctl('signal', 'USR1', PROGRAM);
        if (sig.code !== 0) throw new Error(`supervisorctl signal USR1 failed: ${sig.stdout}`);
        await waitUntil(`${PROGRAM} to answer /health again`, async () => ((await httpGet(`${base}/health`, 2000)) ? true : undefined), {
          timeoutMs: 10_000,
          intervalMs: 100,
        });
      },
      stop: async () => {
        try {
          await stopSupervisord();
        } finally {
          if (sudoersFile) removeSudoers(sudoersFile);
          // If the kill failed, keep dir + emergency hook: it retries at exit.
          if (!daemon) {
            removeDir(dir);
            unregister();
          }
        }
      },
    };
    return handle;
  } catch (err) {
    await stopSupervisord().catch((stopErr: Error) => {
      // Report the original failure; the emergency hook retries the kill at exit.
      process.stderr.write(`[harness] stopping supervisord after failed start: ${stopErr.message}\n`);
    });
    if (sudoersFile) removeSudoers(sudoersFile);
    if (!daemon) {
      removeDir(dir);
      unregister();
    }
    throw err;
  }
}
