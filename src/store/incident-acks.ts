import type Database from 'better-sqlite3';
import type { IncidentKey } from '../domain/incident-key.js';
import type { Ack } from '../watch/incident-policy.js';

/**
 * Acknowledgements, a table of their own (created beside the others, like any table the schema
 * adds): one row per incident. `acked_by` is NULL again once it is given back; `first_at` stays,
 * for history's time-to-acknowledge.
 */
export const ACK_DDL = `
CREATE TABLE IF NOT EXISTS incident_acks (
  incident_id INTEGER PRIMARY KEY REFERENCES incidents (id),
  acked_by TEXT,
  acked_at INTEGER,
  first_at INTEGER NOT NULL
);
`;

/**
 * What a click did: taken (`first`: the incident's first acknowledgement, for time-to-acknowledge),
 * already someone's (or already free), or the incident is over.
 */
export type AckChange =
  | { readonly ok: true; readonly first: boolean }
  | { readonly ok: false; readonly why: 'stale' | 'already'; readonly ack: Ack | undefined };

/** Who acknowledged which open incident (every backend implements it). */
export interface IncidentAcks {
  set(key: IncidentKey, by: string, now: number, acknowledged: boolean): Promise<AckChange>;
  open(): Promise<Map<IncidentKey, Ack>>;
}

export class SqliteIncidentAcks implements IncidentAcks {
  constructor(private readonly db: Database.Database) {}

  /**
   * One conditional write per click: of two clicks exactly one changes a row, the other reads who
   * has it. Only an open incident can be acknowledged; a resolved one is stale.
   */
  async set(key: IncidentKey, by: string, now: number, acknowledged: boolean): Promise<AckChange> {
    return this.db.transaction((): AckChange => {
      const inc = this.db.prepare('SELECT id FROM incidents WHERE key = ? AND resolved_at IS NULL ORDER BY id DESC LIMIT 1').get(key) as
        | { id: number }
        | undefined;
      if (!inc) return { ok: false, why: 'stale', ack: undefined };
      // No row yet: this click is the first acknowledgement (a give-back keeps the row, with first_at).
      const first = acknowledged && !this.db.prepare('SELECT 1 FROM incident_acks WHERE incident_id = ?').get(inc.id);
      const changes = acknowledged
        ? this.db
            .prepare(
              'INSERT INTO incident_acks (incident_id, acked_by, acked_at, first_at) VALUES (?, ?, ?, ?) ' +
                'ON CONFLICT (incident_id) DO UPDATE SET acked_by = excluded.acked_by, acked_at = excluded.acked_at WHERE acked_by IS NULL',
            )
            .run(inc.id, by, now, now).changes
        : this.db.prepare('UPDATE incident_acks SET acked_by = NULL, acked_at = NULL WHERE incident_id = ? AND acked_by IS NOT NULL').run(inc.id).changes;
      return changes ? { ok: true, first } : { ok: false, why: 'already', ack: this.openSync().get(key) };
    })();
  }

  /** Acknowledged open incidents, by key: what the policy reads every cycle. */
  async open(): Promise<Map<IncidentKey, Ack>> {
    return this.openSync();
  }

  private openSync(): Map<IncidentKey, Ack> {
    const rows = this.db
      .prepare(
        'SELECT i.key, a.acked_by, a.acked_at FROM incident_acks a JOIN incidents i ON i.id = a.incident_id ' +
          'WHERE i.resolved_at IS NULL AND a.acked_by IS NOT NULL',
      )
      .all() as { key: IncidentKey; acked_by: string; acked_at: number }[];
    return new Map(rows.map((r) => [r.key, { by: r.acked_by, at: r.acked_at }]));
  }
}
