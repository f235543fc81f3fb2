/**
 * One complete "MoneyMind host" for integration tests: sshd + (optionally)
 * MariaDB + the stand-in app under supervisord, plus a matching host entry
 * for the bot's YAML config.
 *
 * withDb defaults to false (MariaDB adds ~1 s of startup). When a DB is
 * started, process.env.MM_TEST_MYSQL_PASSWORD is set to the monitor password
 * (the hostConfig's passwordEnv) and restored by stop(); `env` carries the
 * same value for tests that spawn the bot as a child process.
 */
import { startMariadb, type MariadbHandle } from './mariadb.js';
import { startSshd, type SshdHandle } from './sshd.js';
import { appProcessMatch, startSupervisedApp, type AppHandle } from './supervisor.js';

export const MYSQL_PASSWORD_ENV = 'MM_TEST_MYSQL_PASSWORD';

export interface TestHost {
  sshd: SshdHandle;
  db?: MariadbHandle;
  app: AppHandle;
  /** Environment the bot needs (the monitor password when there is a DB). */
  env: Record<string, string>;
  /** Startup time of each step in ms (sshd, mariadb, app), for reports. */
  timings: Record<string, number>;
  /** A host entry in the bot's config shape, deep-merged with overrides. */
  hostConfig(name: string, overrides?: object): Record<string, unknown>;
  stop(): Promise<void>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Plain objects merge recursively; anything else (arrays, scalars) replaces.
 * An override value of `undefined` deletes the key (e.g. `{ mysql: undefined }`).
 */
export function deepMerge(base: Record<string, unknown>, overrides: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key])) out[key] = deepMerge(out[key], value);
    else out[key] = value;
  }
  return out;
}

/**
 * Puts the monitor password where the host entry's passwordEnv points (process.env for in-process
 * tests; the returned env for child processes) and queues its restore first in `stops`, which run
 * in reverse: it goes back last, after the app and DB are down.
 */
export function exportMysqlPassword(db: MariadbHandle | undefined, stops: Array<() => Promise<void>>): Record<string, string> {
  const env: Record<string, string> = {};
  if (!db) return env;
  const previous = process.env[MYSQL_PASSWORD_ENV];
  env[MYSQL_PASSWORD_ENV] = db.monitorPassword;
  process.env[MYSQL_PASSWORD_ENV] = db.monitorPassword;
  stops.unshift(async () => {
    if (previous === undefined) delete process.env[MYSQL_PASSWORD_ENV];
    else process.env[MYSQL_PASSWORD_ENV] = previous;
  });
  return env;
}

/** Run every stop function (reverse start order) even if some fail. */
async function stopAll(stops: Array<() => Promise<void>>): Promise<void> {
  const errors: unknown[] = [];
  for (const stop of [...stops].reverse()) {
    try {
      await stop();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'stopping the test host failed');
}

/** `sshd`: how its sshd listens (startSshd's options), e.g. only for logins through a jump host. */
export async function startTestHost(opts: { withDb?: boolean; sshd?: { listenAddress?: string; allowFrom?: string } } = {}): Promise<TestHost> {
  const stops: Array<() => Promise<void>> = [];
  const timings: Record<string, number> = {};
  const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await fn();
    timings[step] = Math.round(performance.now() - t0);
    return result;
  };
  try {
    const sshd = await timed('sshd', () => startSshd(opts.sshd));
    stops.push(() => sshd.destroy());
    let db: MariadbHandle | undefined;
    if (opts.withDb) {
      const started = await timed('mariadb', () => startMariadb());
      db = started;
      stops.push(() => started.destroy());
    }
    const app = await timed('app', () => startSupervisedApp({ db, user: sshd.user }));
    stops.push(() => app.stop());

    const env = exportMysqlPassword(db, stops);

    return {
      sshd,
      db,
      app,
      env,
      timings,
      hostConfig: (name, overrides = {}) => {
        const base: Record<string, unknown> = {
          name,
          transport: 'ssh',
          ssh: {
            host: sshd.host,
            port: sshd.port,
            username: sshd.user,
            privateKeyPath: sshd.privateKeyPath,
            hostKey: sshd.hostKeyFingerprint,
          },
          app: {
            healthUrl: app.healthUrl,
            port: app.port,
            service: 'moneymind',
            manager: 'supervisor',
            supervisorConfig: app.supervisorConfig,
            logFile: app.logFile,
            processMatch: appProcessMatch(app.port),
            poolRecycle: 3600,
          },
        };
        if (db) base.mysql = { host: '127.0.0.1', port: db.port, user: 'monitor', passwordEnv: MYSQL_PASSWORD_ENV };
        return deepMerge(base, overrides);
      },
      stop: async () => {
        // Idempotent: a second stop() finds nothing left to do.
        await stopAll(stops.splice(0));
      },
    };
  } catch (err) {
    // A step failed halfway: tear down whatever did start, then report.
    await stopAll(stops).catch((stopErr: Error) => {
      process.stderr.write(`[harness] cleanup after failed start: ${stopErr.message}\n`);
    });
    throw err;
  }
}
