import { randomBytes } from 'node:crypto';
import { SCHEMA_VERSION } from '../schema.js';
import { MYSQL_STEPS } from './mysql-schema.js';
import type { SqlDb } from './sql-db.js';

/** A claim older than this is taken over: the replica that made it died mid-step (the steps are idempotent). */
const STALE_CLAIM_MS = 60_000;
const WAIT_MS = 120_000;

/**
 * Brings a MySQL store to this bot's schema at open. One row per version in schema_migrations;
 * inserting it ('applying') is the claim: of two replicas starting at once, exactly one inserts it
 * and applies the step, the other waits until it reads 'done'. No GET_LOCK (Galera does not
 * replicate it): the claim is a row, replicated and certified like any other write. A store
 * already at a newer version is refused.
 */
export async function migrateMysql(db: SqlDb, opts: { sleep?: (ms: number) => Promise<void> } = {}): Promise<void> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const me = randomBytes(8).toString('hex');
  await db.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL PRIMARY KEY, state VARCHAR(16) NOT NULL, claimed_by VARCHAR(64) NOT NULL, ' +
      'claimed_at BIGINT NOT NULL, done_at BIGINT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
  );
  const newest = await db.get<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations WHERE state = 'done'");
  if ((newest?.v ?? 0) > SCHEMA_VERSION)
    throw new Error(`schema version ${newest?.v} is newer than this bot's ${SCHEMA_VERSION} — run the newer bot, or restore a backup`);
  for (const step of MYSQL_STEPS) {
    const since = Date.now();
    for (;;) {
      const row = await db.get<{ state: string; claimed_at: number; now: number }>(
        `SELECT state, claimed_at, ${db.nowMs} AS now FROM schema_migrations WHERE version = ?`,
        [step.version],
      );
      if (row?.state === 'done') break;
      const claim = row
        ? await db.run(
            `UPDATE schema_migrations SET claimed_by = ?, claimed_at = ${db.nowMs} WHERE version = ? AND state = 'applying' AND claimed_at < ${db.nowMs} - ?`,
            [me, step.version, STALE_CLAIM_MS],
          )
        : await db.run(`INSERT IGNORE INTO schema_migrations (version, state, claimed_by, claimed_at) VALUES (?, 'applying', ?, ${db.nowMs})`, [
            step.version,
            me,
          ]);
      if (claim.changes === 1) {
        for (const sql of step.statements) await db.run(sql);
        await db.run(`UPDATE schema_migrations SET state = 'done', done_at = ${db.nowMs} WHERE version = ? AND claimed_by = ?`, [step.version, me]);
        continue;
      }
      if (Date.now() - since > WAIT_MS)
        throw new Error(`schema step ${step.version} is being applied by another replica and has not finished in ${WAIT_MS / 1000} s — see its log`);
      await sleep(200);
    }
  }
}
