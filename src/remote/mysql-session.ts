import type { Duplex } from 'node:stream';
import mysql from 'mysql2';
import type { MysqlTarget } from '../config/types.js';
import { OpsError } from '../errors.js';
import type { SqlSession } from './host-transport.js';

/**
 * One short MySQL session over a stream we opened (mysql2 accepts `stream`), so MySQL is reached
 * through the SSH connection on the host's loopback and the host needs no mysql client.
 */
export async function withMysqlOver<T>(stream: Duplex, target: MysqlTarget, queryTimeoutMs: number, fn: (db: SqlSession) => Promise<T>): Promise<T> {
  // mysql2's callback API: its promise wrapper captures a stack trace (new Error) for every query,
  // a few % of the bot's CPU per DB check (profiled), for traces we never show.
  const conn = mysql.createConnection({
    stream, // mysql2 types it `any`: a Duplex is what it reads and writes
    user: target.user,
    password: target.password.reveal(),
    connectTimeout: target.connectTimeout,
    supportBigNumbers: true,
    dateStrings: true,
    // We never prepare statements. mysql2's default (16000) pre-fills four 16000-slot arrays for
    // its statement cache on every connection: ~0.5 MB each time, and ~40 % of the bot's CPU per
    // MySQL session went to allocating and collecting them (profiled: 300 sessions in a loop).
    maxPreparedStatements: 1,
  });
  // A session that dies after the handshake emits 'error' on the connection; without a listener
  // Node would crash the process. The handshake's own failure reaches connect()'s callback, and a
  // later one the failing query.
  conn.on('error', () => undefined);
  try {
    await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
  } catch (err) {
    conn.destroy();
    stream.destroy();
    throw translateMysqlError(err, target);
  }
  const session: SqlSession = {
    query: <R extends Record<string, unknown>>(sql: string) =>
      new Promise<R[]>((resolve, reject) =>
        conn.query({ sql, timeout: queryTimeoutMs }, (err, rows) =>
          err ? reject(new OpsError('DB_QUERY', `query failed: ${err.message}`, { cause: err })) : resolve(rows as R[]),
        ),
      ),
  };
  try {
    return await fn(session);
  } finally {
    conn.destroy();
    stream.destroy();
  }
}

export function translateMysqlError(err: unknown, target: MysqlTarget): OpsError {
  if (err instanceof OpsError) return err;
  const e = err as { code?: string; message?: string };
  if (e.code === 'ER_ACCESS_DENIED_ERROR' || e.code === 'ER_DBACCESS_DENIED_ERROR') {
    return new OpsError('DB_AUTH', `MySQL refused user ${target.user}: ${e.message ?? ''}`.trim(), {
      fix: `check the password in the env var named by mysql.passwordEnv and the grants: GRANT PROCESS ON *.* TO '${target.user}'@'localhost'`,
      cause: err,
    });
  }
  return new OpsError('DB_CONNECT', `cannot reach MySQL at ${target.host}:${target.port}: ${e.message ?? String(err)}`, { cause: err });
}
