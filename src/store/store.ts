import { OpsError } from '../errors.js';
import { SqlStore } from './sql/sql-store.js';
import { type SqliteOptions, SqliteDb } from './sql/sqlite-db.js';
import { migrateSqlite } from './sql/sqlite-migrations.js';

export type StoreOptions = SqliteOptions;

/**
 * The embedded store: one SQLite file (better-sqlite3, WAL, synchronous=FULL), the default and
 * nothing to run. Opened and migrated in the constructor (SQLite is synchronous), so tests and the
 * CLI write `new Store(path)`; `openStore` picks it or MySQL from `watch.store`. Its files are the
 * owner's only (0600): see private-file.ts.
 */
export class Store extends SqlStore {
  constructor(path: string, opts: StoreOptions = {}) {
    super(openSqlite(path, opts));
  }
}

function openSqlite(path: string, opts: StoreOptions): SqliteDb {
  let db: SqliteDb | undefined;
  try {
    db = new SqliteDb(path, opts);
    migrateSqlite(db.raw);
    return db;
  } catch (err) {
    db?.closeNow();
    throw new OpsError('CONFIG', `cannot open the store ${path}: ${(err as Error).message}`, {
      fix: 'set watch.store to a writable file path (default ./data/moneymind.db)',
      cause: err,
    });
  }
}
