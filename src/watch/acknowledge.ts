import { incidentKey, parseIncidentKey } from '../domain/incident-key.js';
import type { AckOutcome, WatchStore } from '../store/watch-store.js';
import { ackReply, alertParent } from './alert-messages.js';

/**
 * [Acknowledge] / [Unacknowledge] on an alert: the store decides (one conditional write, so two
 * clicks make one ack), then the parent's edit and the thread's line go into the outbox behind
 * the incident's other posts. The policy reads the acknowledgement back every cycle.
 */
export function acknowledge(store: WatchStore, value: string, by: string, now: number, acknowledged: boolean): AckOutcome {
  // The button's value is the key the alert carried; anything else is an incident no longer known.
  const ref = parseIncidentKey(value);
  if (!ref) return { ok: false, why: 'stale' };
  const key = incidentKey(ref);
  const tracker = store.loadTrackers().find((t) => t.key === key);
  if (tracker?.phase !== 'firing' || !store.openIncident(key)) return { ok: false, why: 'stale' };
  const change = store.acks.set(key, by, now, acknowledged);
  if (!change.ok) return change.why === 'stale' ? { ok: false, why: 'stale' } : { ok: false, why: 'already', by: change.ack?.by };
  const ack = acknowledged ? { by, at: now } : undefined;
  store.enqueue(
    key,
    [
      { key, kind: 'edit-parent', message: alertParent(tracker, ack, now) },
      { key, kind: 'reply', message: ackReply(by, acknowledged) },
    ],
    now,
  );
  return { ok: true };
}
