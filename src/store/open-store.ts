import { OpsError } from '../errors.js';
import type { BotStore } from './bot-store.js';
import { MysqlDb, type MysqlStoreTarget } from './sql/mysql-db.js';
import { migrateMysql } from './sql/mysql-migrations.js';
import { SqlStore } from './sql/sql-store.js';
import { Store, type StoreOptions } from './store.js';

/** What `openStore` reads of `config.watch`: a file path for SQLite, or the resolved `mysql://` target. */
export interface StoreSettings {
  readonly store: string;
  readonly storeMysql?: MysqlStoreTarget | undefined;
}

/**
 * The store `watch.store` names: a file path → the embedded SQLite store; `mysql://USER@HOST:PORT/DB`
 * (password from watch.storePasswordEnv) → MySQL or MariaDB, for replicas on several machines.
 * Either is migrated to this bot's schema before it is returned; an error names the fix.
 */
export async function openStore(settings: StoreSettings, opts: StoreOptions = {}): Promise<BotStore> {
  const t = settings.storeMysql;
  if (!t) return new Store(settings.store, opts);
  const db = await MysqlDb.open(t);
  try {
    await migrateMysql(db);
  } catch (err) {
    await db.close();
    const denied = (err as { errno?: number }).errno === 1142;
    throw new OpsError(denied ? 'DB_AUTH' : 'CONFIG', `cannot prepare the store ${t.url}: ${(err as Error).message}`, {
      fix: denied
        ? `GRANT CREATE, ALTER, INDEX, SELECT, INSERT, UPDATE, DELETE ON \`${t.database}\`.* TO '${t.user}'@'%' — the bot creates and migrates its own tables`
        : 'see the error; the bot migrates its tables itself at start (schema_migrations lists what was applied)',
      cause: err,
    });
  }
  return new SqlStore(db);
}
