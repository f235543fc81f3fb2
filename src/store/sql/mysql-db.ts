import { createPool, type Pool as CorePool } from 'mysql2';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { OpsError } from '../../errors.js';
import type { RunResult, SqlDb, SqlParam } from './sql-db.js';

/** Where the store is: `watch.store: mysql://USER@HOST:PORT/DB`, its password from `watch.storePasswordEnv`. */
export interface MysqlStoreTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** The URL without a password, for messages. */
  readonly url: string;
  readonly password: { reveal(): string };
  /** The variable the password came from, for the fix of an access-denied error. */
  readonly passwordEnv: string;
}

// Retried whole: InnoDB's deadlock victim and lock-wait timeout, and Galera's certification failure,
// which a node reports as the same 1213 "Deadlock found … try restarting transaction".
const RETRIED = new Set([1213, 1205]);
const ATTEMPTS = 5;

/**
 * The MySQL/MariaDB driver (mysql2's pool). A transaction gets a connection of its own and is run
 * again on a deadlock or a certification failure. Sessions read committed data (READ COMMITTED: a
 * conditional write's loser reads who won, and no gap locks) and keep time in UTC.
 */
export class MysqlDb implements SqlDb {
  readonly dialect = 'mysql';
  // UTC_TIMESTAMP and TIMESTAMPDIFF do not depend on the session's time zone (NOW() and UNIX_TIMESTAMP do).
  readonly nowMs = "(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)";
  private readonly pool: Pool;

  private constructor(
    core: CorePool,
    readonly target: MysqlStoreTarget,
  ) {
    this.pool = core.promise();
  }

  /** Opens the pool and makes one round trip, so a wrong address, password or grant is reported at start, with its fix. */
  static async open(t: MysqlStoreTarget): Promise<MysqlDb> {
    const core = createPool({
      host: t.host,
      port: t.port,
      user: t.user,
      password: t.password.reveal(),
      database: t.database,
      charset: 'utf8mb4',
      multipleStatements: false,
      // DECIMALs (arithmetic on times) as numbers; BIGINTs (tokens, ids, epoch ms) are numbers below 2^53.
      decimalNumbers: true,
      supportBigNumbers: false,
      connectionLimit: 8,
      connectTimeout: 10_000,
    });
    core.on('connection', (c) => {
      const failed = (err: Error | null) => {
        if (err) c.destroy();
      };
      c.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', failed);
    });
    const db = new MysqlDb(core, t);
    try {
      await db.get('SELECT 1 AS one');
    } catch (err) {
      await db.close();
      throw connectError(t, err);
    }
    return db;
  }

  async all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return retried(async () => (await this.pool.query<RowDataPacket[]>(sql, [...params]))[0] as T[]);
  }

  async get<T>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, [...params]))[0];
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<RunResult> {
    return retried(async () => header((await this.pool.query<ResultSetHeader>(sql, [...params]))[0]));
  }

  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    return retried(async () => {
      const conn = await this.pool.getConnection();
      let broken = false;
      try {
        await conn.beginTransaction();
        const result = await fn(this.on(conn));
        await conn.commit();
        return result;
      } catch (err) {
        await conn.rollback().catch((rollbackErr: unknown) => {
          // The connection is broken (the error above says why): it must not go back to the pool.
          broken = true;
          conn.destroy();
          throw new AggregateError([err, rollbackErr], (err as Error).message);
        });
        throw err;
      } finally {
        if (!broken) conn.release();
      }
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** The transaction's view: its statements on its connection, a nested transaction part of it. */
  private on(conn: PoolConnection): SqlDb {
    const tx: SqlDb = {
      dialect: this.dialect,
      nowMs: this.nowMs,
      all: async <T>(sql: string, params: readonly SqlParam[] = []) => (await conn.query<RowDataPacket[]>(sql, [...params]))[0] as T[],
      get: async <T>(sql: string, params: readonly SqlParam[] = []) => ((await conn.query<RowDataPacket[]>(sql, [...params]))[0] as T[])[0],
      run: async (sql, params = []) => header((await conn.query<ResultSetHeader>(sql, [...params]))[0]),
      transaction: (fn) => fn(tx),
      close: async () => undefined,
    };
    return tx;
  }
}

const header = (h: ResultSetHeader): RunResult => ({ changes: h.affectedRows, lastId: h.insertId });

const errno = (err: unknown): number | undefined => (err as { errno?: number }).errno;

async function retried<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= ATTEMPTS || !RETRIED.has(errno(err) ?? 0)) throw err;
      // Jittered, growing: two replicas that collided should not collide again in step.
      await new Promise((r) => setTimeout(r, (10 + Math.random() * 40) * attempt));
    }
  }
}

/** What the first round trip's failure means, and what to do: named by the URL (never the password). */
function connectError(t: MysqlStoreTarget, err: unknown): OpsError {
  const n = errno(err);
  const code = (err as { code?: string }).code;
  const grants = `GRANT CREATE, ALTER, INDEX, SELECT, INSERT, UPDATE, DELETE ON \`${t.database}\`.* TO '${t.user}'@'%'`;
  const at = `cannot open the store ${t.url}`;
  const cause = { cause: err };
  if (n === 1045)
    return new OpsError('DB_AUTH', `${at}: access denied for ${t.user}`, {
      ...cause,
      fix:
        `export the password of ${t.user} in ${t.passwordEnv} (watch.storePasswordEnv), ` +
        `or create the user: CREATE USER '${t.user}'@'%' IDENTIFIED BY '…'; ${grants}`,
    });
  if (n === 1044 || n === 1049)
    return new OpsError('DB_AUTH', `${at}: the database ${t.database} does not exist or ${t.user} may not use it`, {
      ...cause,
      fix: `CREATE DATABASE \`${t.database}\` CHARACTER SET utf8mb4; ${grants} — a database of the bot's own, never the app's`,
    });
  return new OpsError('DB_CONNECT', `${at}: ${(err as Error).message || code || 'connection failed'}`, {
    ...cause,
    fix: `check watch.store's host and port (${t.host}:${t.port}) and that the server is up and reachable from the bot`,
  });
}
