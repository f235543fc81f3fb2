import type Database from 'better-sqlite3';
import { DELIVERIES_DDL } from '../deliveries.js';
import { ACK_DDL } from '../incident-acks.js';
import { migrate } from '../migrate.js';
import { DDL, SCHEMA_VERSION } from '../schema.js';

/** v4's tables: the watch lease, and which restart runs on each host (sql-restart-ledger.ts). */
export const LEASE_DDL = `
CREATE TABLE IF NOT EXISTS lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, token INTEGER NOT NULL, expires_at INTEGER NOT NULL, fenced_at INTEGER);
CREATE TABLE IF NOT EXISTS restart_slots (host TEXT PRIMARY KEY, running_id TEXT);
INSERT OR IGNORE INTO restart_slots (host, running_id) SELECT host, MAX(id) FROM restarts WHERE state = 'running' GROUP BY host;
`;

/**
 * The SQLite file's versions, each step applied in order in one transaction with its version
 * number (meta.schema), so a crash leaves the file at a version it fully has. Step 3 brings any
 * older file (or none) to the tables of schema 3: every table it lacks, then the shapes that
 * changed (migrate.ts). Synchronous: `new Store(path)` opens ready to use.
 */
const STEPS: readonly { readonly version: number; apply(db: Database.Database): void }[] = [
  {
    version: 3,
    apply: (db) => {
      db.exec(DDL);
      db.exec(ACK_DDL);
      db.exec(DELIVERIES_DDL);
      migrate(db);
    },
  },
  { version: 4, apply: (db) => db.exec(LEASE_DDL) },
];

export function migrateSqlite(db: Database.Database): void {
  // Reads first, writes only when a step is due: a store already current opens without taking the
  // write lock (another connection of this process may hold it across an await).
  const hasMeta = () => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  const version = () => (hasMeta() ? Number((db.prepare("SELECT v FROM meta WHERE k = 'schema'").get() as { v: string } | undefined)?.v ?? 0) : 0);
  // A newer file is refused, not guessed at: an older bot would write rows a newer one does not expect.
  if (version() > SCHEMA_VERSION)
    throw new Error(`schema version ${version()} is newer than this bot's ${SCHEMA_VERSION} — run the newer bot, or restore a backup`);
  for (const step of STEPS) {
    if (version() >= step.version) continue;
    // IMMEDIATE, and the version read again inside: of two processes opening the file at once, one applies it.
    db.transaction(() => {
      if (version() >= step.version) return;
      db.exec('CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)');
      step.apply(db);
      db.prepare("INSERT INTO meta (k, v) VALUES ('schema', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v").run(String(step.version));
    }).immediate();
  }
}
