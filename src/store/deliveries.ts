import type Database from 'better-sqlite3';
import type { CauseId } from '../domain/ids.js';
import type { IncidentKey } from '../domain/incident-key.js';

/**
 * Pages (PagerDuty, webhooks) not yet accepted, a table of their own beside the Slack outbox: an
 * incident's Slack posts are strictly ordered, and a page must neither wait behind them (Slack
 * being down is when a page matters most) nor hold them up. Ordered per incident and target.
 * Deleted once accepted; a permanent refusal (a 400: the event itself is invalid) is kept with
 * `failed_at` and its error, never retried and never silently dropped.
 */
export const DELIVERIES_DDL = `
CREATE TABLE IF NOT EXISTS deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  target TEXT NOT NULL,
  event TEXT NOT NULL CHECK (event IN ('trigger', 'acknowledge', 'unacknowledge', 'escalate', 'resolve')),
  notice TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  failed_at INTEGER
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (target, failed_at, next_at);
CREATE INDEX IF NOT EXISTS deliveries_by_incident ON deliveries (incident_id, target);
`;

/** An incident's lifecycle as paging sees it; PagerDuty takes trigger, acknowledge and resolve. */
export type PageEvent = 'trigger' | 'acknowledge' | 'unacknowledge' | 'escalate' | 'resolve';

/**
 * What is known of the incident when the event happens: host text already redacted and bounded.
 * Kept as JSON; what only exists later (the incident id, the Slack thread) is joined in at send time.
 */
export interface PageNotice {
  /** When the event happened (ms). */
  readonly at: number;
  readonly severity: 'critical' | 'warning';
  readonly subject: string;
  readonly cause: CauseId;
  readonly hosts: readonly string[];
  readonly title: string;
  readonly evidence: readonly string[];
  readonly advice?: string;
  readonly flapping?: boolean;
  /** Who acknowledged (or gave it back): a Slack user id. */
  readonly by?: string;
  /** An escalation: whom it mentioned, and after how long. */
  readonly oncall?: readonly string[];
  readonly afterMs?: number;
  /** A resolve: how long it fired. */
  readonly durationMs?: number;
}

/** One event for one target (`PageTarget.id`), queued with the incident's other changes. */
export interface PageRequest {
  readonly key: IncidentKey;
  readonly target: string;
  readonly event: PageEvent;
  readonly notice: PageNotice;
}

/** A pending delivery with what the incident row knows by now. */
export interface DeliveryRow {
  readonly id: number;
  readonly incident_id: number;
  readonly target: string;
  readonly event: PageEvent;
  /** JSON PageNotice. */
  readonly notice: string;
  readonly attempts: number;
  readonly key: IncidentKey;
  readonly opened_at: number;
  readonly resolved_at: number | null;
  readonly channel: string | null;
  readonly thread_ts: string | null;
}

/** Pages waiting to be accepted (every backend implements it). */
export interface DeliveryQueue {
  add(pages: readonly PageRequest[], now: number): Promise<void>;
  due(target: string, now: number, limit: number): Promise<DeliveryRow[]>;
  delivered(row: Pick<DeliveryRow, 'id'>): Promise<void>;
  retryLater(row: Pick<DeliveryRow, 'id'>, nextAt: number, error: string): Promise<void>;
  refused(row: Pick<DeliveryRow, 'id'>, now: number, error: string): Promise<void>;
  orphans(targets: readonly string[]): Promise<DeliveryRow[]>;
  pending(target?: string): Promise<number>;
  nextAt(): Promise<number | undefined>;
  failures(limit: number): Promise<{ id: number; target: string; event: PageEvent; failed_at: number; last_error: string }[]>;
}

export class SqliteDeliveries implements DeliveryQueue {
  constructor(private readonly db: Database.Database) {}

  /**
   * Queues requests for open incidents. Called inside the cycle's (or a click's) transaction, after
   * the incident was inserted and before it is closed: a resolve still finds its open row.
   */
  async add(pages: readonly PageRequest[], now: number): Promise<void> {
    return this.addSync(pages, now);
  }

  /** The same, inside a transaction the caller holds on this connection (the store's cycle commit). */
  addSync(pages: readonly PageRequest[], now: number): void {
    const open = this.db.prepare('SELECT id FROM incidents WHERE key = ? AND resolved_at IS NULL ORDER BY id DESC LIMIT 1');
    const put = this.db.prepare('INSERT INTO deliveries (incident_id, target, event, notice, created_at, next_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (const p of pages) {
      const inc = open.get(p.key) as { id: number } | undefined;
      if (inc) put.run(inc.id, p.target, p.event, JSON.stringify(p.notice), now, now);
    }
  }

  /** A target's due deliveries, oldest first; an incident's later events wait for its earlier ones. */
  async due(target: string, now: number, limit: number): Promise<DeliveryRow[]> {
    return this.db
      .prepare(
        `SELECT d.id, d.incident_id, d.target, d.event, d.notice, d.attempts, i.key, i.opened_at, i.resolved_at, i.channel, i.thread_ts
         FROM deliveries d JOIN incidents i ON i.id = d.incident_id
         WHERE d.target = ? AND d.failed_at IS NULL AND d.next_at <= ?
         AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.incident_id = d.incident_id AND e.target = d.target AND e.failed_at IS NULL AND e.id < d.id)
         ORDER BY d.id LIMIT ?`,
      )
      .all(target, now, limit) as DeliveryRow[];
  }

  /** Accepted: gone, in one statement (a crash before it means one more send: at-least-once). */
  async delivered(row: Pick<DeliveryRow, 'id'>): Promise<void> {
    this.db.prepare('DELETE FROM deliveries WHERE id = ?').run(row.id);
  }

  /** Refused for now: tried again at `nextAt`. */
  async retryLater(row: Pick<DeliveryRow, 'id'>, nextAt: number, error: string): Promise<void> {
    this.db.prepare('UPDATE deliveries SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?').run(nextAt, error.slice(0, 500), row.id);
  }

  /** Refused for good (the event itself is invalid, or its target is gone from the config): kept, never retried. */
  async refused(row: Pick<DeliveryRow, 'id'>, now: number, error: string): Promise<void> {
    this.db.prepare('UPDATE deliveries SET attempts = attempts + 1, failed_at = ?, last_error = ? WHERE id = ?').run(now, error.slice(0, 500), row.id);
  }

  /** Pending rows whose target is no longer configured: they would wait forever. */
  async orphans(targets: readonly string[]): Promise<DeliveryRow[]> {
    const rows = this.db
      .prepare(
        `SELECT d.id, d.incident_id, d.target, d.event, d.notice, d.attempts, i.key, i.opened_at, i.resolved_at, i.channel, i.thread_ts
         FROM deliveries d JOIN incidents i ON i.id = d.incident_id WHERE d.failed_at IS NULL ORDER BY d.id`,
      )
      .all() as DeliveryRow[];
    return rows.filter((r) => !targets.includes(r.target));
  }

  /** Deliveries still to be made (a target's, or all). */
  async pending(target?: string): Promise<number> {
    const sql = 'SELECT COUNT(*) AS n FROM deliveries WHERE failed_at IS NULL';
    const row = (target === undefined ? this.db.prepare(sql).get() : this.db.prepare(`${sql} AND target = ?`).get(target)) as { n: number };
    return row.n;
  }

  /** When the next delivery that can go is due (one waiting behind its incident's earlier event cannot). */
  async nextAt(): Promise<number | undefined> {
    const row = this.db
      .prepare(
        `SELECT MIN(d.next_at) AS t FROM deliveries d WHERE d.failed_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.incident_id = d.incident_id AND e.target = d.target AND e.failed_at IS NULL AND e.id < d.id)`,
      )
      .get() as { t: number | null };
    return row.t ?? undefined;
  }

  /** Permanently refused deliveries, newest first, with the reason (for an operator, and tests). */
  async failures(limit: number): Promise<{ id: number; target: string; event: PageEvent; failed_at: number; last_error: string }[]> {
    return this.db
      .prepare('SELECT id, target, event, failed_at, last_error FROM deliveries WHERE failed_at IS NOT NULL ORDER BY id DESC LIMIT ?')
      .all(limit) as { id: number; target: string; event: PageEvent; failed_at: number; last_error: string }[];
  }
}
