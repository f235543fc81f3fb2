/**
 * The little SQL the store needs, the same for SQLite and MySQL/MariaDB: the store's logic
 * (sql-store.ts and its tables' classes) is written once against this, and each backend is a
 * driver. Placeholders are `?` in both; identifiers MySQL reserves (`key`, `by`, `until`) are
 * written in backticks, which SQLite reads too.
 */
export type Dialect = 'sqlite' | 'mysql';

export type SqlParam = string | number | null;

export interface RunResult {
  /** Rows the statement matched (MySQL: found rows, like SQLite's changes). */
  readonly changes: number;
  /** The AUTOINCREMENT id of an INSERT's row. */
  readonly lastId: number;
}

export interface SqlDb {
  readonly dialect: Dialect;
  /**
   * The store's clock as an SQL expression giving epoch ms as an integer: the database server's
   * (MySQL's NOW(3): replicas on several machines need one clock), or this machine's (SQLite: every
   * replica runs beside the file).
   */
  readonly nowMs: string;
  all<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlParam[]): Promise<RunResult>;
  /**
   * Runs `fn` in one transaction, committed when it resolves and rolled back when it throws. `tx`
   * is the transaction's connection: every statement of `fn` goes through it. A backend may run
   * `fn` again after a deadlock or a Galera certification failure, so `fn` only touches the store.
   */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `SELECT … FOR UPDATE` on MySQL (lock what was read until commit); SQLite's BEGIN IMMEDIATE already holds the whole file. */
export const forUpdate = (db: SqlDb): string => (db.dialect === 'mysql' ? ' FOR UPDATE' : '');

/** An INSERT that does nothing when the row's key is taken (changes 0). */
export const insertIgnore = (db: SqlDb): string => (db.dialect === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE');

/**
 * `INSERT … (cols) VALUES (…)` that overwrites `update` columns when the `key` row exists: SQLite's
 * ON CONFLICT … DO UPDATE, MySQL's ON DUPLICATE KEY UPDATE (VALUES(col): MariaDB has no row alias).
 */
export function upsert(db: SqlDb, table: string, cols: readonly string[], key: string, update: readonly string[]): string {
  const q = (c: string) => `\`${c}\``;
  const head = `INSERT INTO ${table} (${cols.map(q).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
  if (db.dialect === 'mysql') return `${head} ON DUPLICATE KEY UPDATE ${update.map((c) => `${q(c)} = VALUES(${q(c)})`).join(', ')}`;
  return `${head} ON CONFLICT (${q(key)}) DO UPDATE SET ${update.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`;
}
