import type Database from 'better-sqlite3';
import { OUTBOX_DDL } from './schema.js';

/**
 * Brings a file written by an earlier bot to this one's shape, after schema.ts's CREATE IF NOT
 * EXISTS ran. Each step looks at the file's actual shape (not only the version number), so a step
 * interrupted by a crash runs again and a second run changes nothing. All steps: one transaction.
 */
export function migrate(db: Database.Database): void {
  const table = (name: string) => db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) as { sql: string } | undefined;
  db.transaction(() => {
    // v2 → v3: rss_samples (the app's RSS only) became samples (every series trend draws).
    if (table('rss_samples')) {
      db.exec('INSERT INTO samples (host, at, rss_kb) SELECT host, at, rss_kb FROM rss_samples');
      db.exec('DROP TABLE rss_samples');
    }
    // v2 → v3: the outbox takes 'chart' rows (an upload into a thread). SQLite cannot alter a
    // CHECK constraint: the table is rebuilt with its rows, ids and order kept.
    const outbox = table('outbox');
    if (outbox && !outbox.sql.includes("'chart'")) {
      db.exec('ALTER TABLE outbox RENAME TO outbox_before_v3');
      db.exec(OUTBOX_DDL);
      db.exec('INSERT INTO outbox SELECT * FROM outbox_before_v3');
      db.exec('DROP TABLE outbox_before_v3');
    }
  })();
}
