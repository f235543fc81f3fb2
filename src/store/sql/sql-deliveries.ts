import type { Fence } from '../lease.js';
import type { DeliveryQueue, DeliveryRow, PageEvent, PageRequest } from '../deliveries.js';
import type { SqlDb } from './sql-db.js';
import { fenceIn } from './sql-lease.js';

const ROW = 'd.id, d.incident_id, d.target, d.`event`, d.notice, d.attempts, i.`key`, i.opened_at, i.resolved_at, i.channel, i.thread_ts';
// An incident's later events wait for its earlier ones to the same target.
const FIRST_IN_LINE =
  'NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.incident_id = d.incident_id AND e.target = d.target AND e.failed_at IS NULL AND e.id < d.id)';

/** Pages waiting to be accepted (see deliveries.ts); the sender's writes carry the leader's fence. */
export class SqlDeliveries implements DeliveryQueue {
  constructor(private readonly db: SqlDb) {}

  /** Queued in its own transaction; a cycle's or a click's pages go through `addIn` in theirs. */
  add(pages: readonly PageRequest[], now: number): Promise<void> {
    return this.db.transaction((tx) => addIn(tx, pages, now));
  }

  due(target: string, now: number, limit: number): Promise<DeliveryRow[]> {
    return this.db.all<DeliveryRow>(
      `SELECT ${ROW} FROM deliveries d JOIN incidents i ON i.id = d.incident_id
       WHERE d.target = ? AND d.failed_at IS NULL AND d.next_at <= ? AND ${FIRST_IN_LINE} ORDER BY d.id LIMIT ?`,
      [target, now, limit],
    );
  }

  /** Accepted: gone, in one statement (a crash before it means one more send: at-least-once). */
  delivered(row: Pick<DeliveryRow, 'id'>, fence?: Fence): Promise<void> {
    return this.write(fence, 'DELETE FROM deliveries WHERE id = ?', [row.id]);
  }

  /** Refused for now: tried again at `nextAt`. */
  retryLater(row: Pick<DeliveryRow, 'id'>, nextAt: number, error: string, fence?: Fence): Promise<void> {
    return this.write(fence, 'UPDATE deliveries SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?', [nextAt, error.slice(0, 500), row.id]);
  }

  /** Refused for good (the event itself is invalid, or its target is gone from the config): kept, never retried. */
  refused(row: Pick<DeliveryRow, 'id'>, now: number, error: string, fence?: Fence): Promise<void> {
    return this.write(fence, 'UPDATE deliveries SET attempts = attempts + 1, failed_at = ?, last_error = ? WHERE id = ?', [now, error.slice(0, 500), row.id]);
  }

  /** Pending rows whose target is no longer configured: they would wait forever. */
  async orphans(targets: readonly string[]): Promise<DeliveryRow[]> {
    const rows = await this.db.all<DeliveryRow>(
      `SELECT ${ROW} FROM deliveries d JOIN incidents i ON i.id = d.incident_id WHERE d.failed_at IS NULL ORDER BY d.id`,
    );
    return rows.filter((r) => !targets.includes(r.target));
  }

  /** Deliveries still to be made (a target's, or all). */
  async pending(target?: string): Promise<number> {
    const sql = 'SELECT COUNT(*) AS n FROM deliveries WHERE failed_at IS NULL';
    const row = target === undefined ? await this.db.get<{ n: number }>(sql) : await this.db.get<{ n: number }>(`${sql} AND target = ?`, [target]);
    return Number(row?.n ?? 0);
  }

  /** When the next delivery that can go is due (one waiting behind its incident's earlier event cannot). */
  async nextAt(): Promise<number | undefined> {
    const row = await this.db.get<{ t: number | null }>(`SELECT MIN(d.next_at) AS t FROM deliveries d WHERE d.failed_at IS NULL AND ${FIRST_IN_LINE}`);
    return row?.t ?? undefined;
  }

  /** Permanently refused deliveries, newest first, with the reason (for an operator, and tests). */
  failures(limit: number): Promise<{ id: number; target: string; event: PageEvent; failed_at: number; last_error: string }[]> {
    return this.db.all('SELECT id, target, `event`, failed_at, last_error FROM deliveries WHERE failed_at IS NOT NULL ORDER BY id DESC LIMIT ?', [limit]);
  }

  /** Unfenced: one statement. Fenced: the lease checked first in the same transaction (sql-lease.ts). */
  private async write(fence: Fence | undefined, sql: string, params: (string | number)[]): Promise<void> {
    if (!fence) {
      await this.db.run(sql, params);
      return;
    }
    await this.db.transaction(async (tx) => {
      await fenceIn(tx, fence);
      await tx.run(sql, params);
    });
  }
}

/**
 * Queues requests for open incidents, inside the caller's transaction: after the incident was
 * inserted and before it is closed, so a resolve still finds its open row.
 */
export async function addIn(tx: SqlDb, pages: readonly PageRequest[], now: number): Promise<void> {
  for (const p of pages) {
    const inc = await tx.get<{ id: number }>('SELECT id FROM incidents WHERE `key` = ? AND resolved_at IS NULL ORDER BY id DESC LIMIT 1', [p.key]);
    if (inc)
      await tx.run('INSERT INTO deliveries (incident_id, target, `event`, notice, created_at, next_at) VALUES (?, ?, ?, ?, ?, ?)', [
        inc.id,
        p.target,
        p.event,
        JSON.stringify(p.notice),
        now,
        now,
      ]);
  }
}
