import type { IncidentKey } from '../../domain/incident-key.js';
import type { Ack } from '../../watch/incident-policy.js';
import type { AckChange, IncidentAcks } from '../incident-acks.js';
import { forUpdate, insertIgnore, type SqlDb } from './sql-db.js';

/** Acknowledgements (one row per incident; `first_at` stays for history's time to acknowledge). */
export class SqlIncidentAcks implements IncidentAcks {
  constructor(private readonly db: SqlDb) {}

  /**
   * One conditional write per click, in one transaction: of two clicks (on two replicas, through
   * two connections or two Galera nodes) exactly one changes a row, the other reads who has it.
   * Only an open incident can be acknowledged; a resolved one is stale.
   */
  async set(key: IncidentKey, by: string, now: number, acknowledged: boolean): Promise<AckChange> {
    return this.db.transaction(async (tx): Promise<AckChange> => {
      const inc = await tx.get<{ id: number }>(`SELECT id FROM incidents WHERE \`key\` = ? AND resolved_at IS NULL ORDER BY id DESC LIMIT 1${forUpdate(tx)}`, [
        key,
      ]);
      if (!inc) return { ok: false, why: 'stale', ack: undefined };
      let changes: number;
      let first = false;
      if (!acknowledged) {
        changes = (await tx.run('UPDATE incident_acks SET acked_by = NULL, acked_at = NULL WHERE incident_id = ? AND acked_by IS NOT NULL', [inc.id])).changes;
      } else {
        // No row yet: this click is the first acknowledgement (a give-back keeps the row, with first_at).
        changes = (
          await tx.run(`${insertIgnore(tx)} INTO incident_acks (incident_id, acked_by, acked_at, first_at) VALUES (?, ?, ?, ?)`, [inc.id, by, now, now])
        ).changes;
        first = changes === 1;
        if (!first)
          changes = (await tx.run('UPDATE incident_acks SET acked_by = ?, acked_at = ? WHERE incident_id = ? AND acked_by IS NULL', [by, now, inc.id])).changes;
      }
      return changes === 1 ? { ok: true, first } : { ok: false, why: 'already', ack: (await openAcks(tx)).get(key) };
    });
  }

  /** Acknowledged open incidents, by key: what the policy reads every cycle. */
  open(): Promise<Map<IncidentKey, Ack>> {
    return openAcks(this.db);
  }
}

async function openAcks(db: SqlDb): Promise<Map<IncidentKey, Ack>> {
  const rows = await db.all<{ key: IncidentKey; acked_by: string; acked_at: number }>(
    'SELECT i.`key`, a.acked_by, a.acked_at FROM incident_acks a JOIN incidents i ON i.id = a.incident_id ' +
      'WHERE i.resolved_at IS NULL AND a.acked_by IS NOT NULL',
  );
  return new Map(rows.map((r) => [r.key, { by: r.acked_by, at: r.acked_at }]));
}
