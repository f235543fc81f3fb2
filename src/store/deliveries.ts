import type { CauseId } from '../domain/ids.js';
import type { IncidentKey } from '../domain/incident-key.js';
import type { Fence } from './lease.js';

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

/** Pages waiting to be accepted (sql/sql-deliveries.ts implements it for both backends). */
export interface DeliveryQueue {
  add(pages: readonly PageRequest[], now: number): Promise<void>;
  due(target: string, now: number, limit: number): Promise<DeliveryRow[]>;
  /** With a fence (the leader's sender), each of these three applies only under the current lease, else FencedOut. */
  delivered(row: Pick<DeliveryRow, 'id'>, fence?: Fence): Promise<void>;
  retryLater(row: Pick<DeliveryRow, 'id'>, nextAt: number, error: string, fence?: Fence): Promise<void>;
  refused(row: Pick<DeliveryRow, 'id'>, now: number, error: string, fence?: Fence): Promise<void>;
  orphans(targets: readonly string[]): Promise<DeliveryRow[]>;
  pending(target?: string): Promise<number>;
  nextAt(): Promise<number | undefined>;
  failures(limit: number): Promise<{ id: number; target: string; event: PageEvent; failed_at: number; last_error: string }[]>;
}
