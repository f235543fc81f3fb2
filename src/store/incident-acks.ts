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

/** Who acknowledged which open incident (sql/sql-acks.ts implements it for both backends). */
export interface IncidentAcks {
  set(key: IncidentKey, by: string, now: number, acknowledged: boolean): Promise<AckChange>;
  open(): Promise<Map<IncidentKey, Ack>>;
}
