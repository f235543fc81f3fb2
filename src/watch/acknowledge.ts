import { incidentKey, parseIncidentKey } from '../domain/incident-key.js';
import type { PageTarget } from '../config/types.js';
import { noTelemetry, type Telemetry } from '../ops/telemetry.js';
import type { AckOutcome, WatchStore } from '../store/watch-store.js';
import { ackReply, alertParent } from './alert-messages.js';
import { ackPages } from './page-requests.js';

/**
 * [Acknowledge] / [Unacknowledge] on an alert: the store decides (one conditional write, so two
 * clicks make one ack), then the parent's edit and the thread's line go into the outbox behind
 * the incident's other posts. The policy reads the acknowledgement back every cycle. The first
 * acknowledgement of an incident is its time-to-acknowledge (from the first failure, as history's).
 * The pages (`paging`: PagerDuty acknowledge, a webhook's acknowledge/unacknowledge) go in the same write.
 */
export async function acknowledge(
  store: WatchStore,
  value: string,
  by: string,
  now: number,
  acknowledged: boolean,
  telemetry: Telemetry = noTelemetry,
  paging: readonly PageTarget[] = [],
): Promise<AckOutcome> {
  // The button's value is the key the alert carried; anything else is an incident no longer known.
  const ref = parseIncidentKey(value);
  if (!ref) return { ok: false, why: 'stale' };
  const key = incidentKey(ref);
  const tracker = (await store.loadTrackers()).find((t) => t.key === key);
  const incident = await store.openIncident(key);
  if (tracker?.phase !== 'firing' || !incident) return { ok: false, why: 'stale' };
  const change = await store.acks.set(key, by, now, acknowledged);
  if (!change.ok) return change.why === 'stale' ? { ok: false, why: 'stale' } : { ok: false, why: 'already', by: change.ack?.by };
  if (change.first) telemetry.incidentAcknowledged(incident.cause, Math.max(0, now - incident.opened_at));
  const ack = acknowledged ? { by, at: now } : undefined;
  await store.enqueue(
    key,
    [
      { key, kind: 'edit-parent', message: alertParent(tracker, ack, now) },
      { key, kind: 'reply', message: ackReply(by, acknowledged) },
    ],
    now,
    ackPages(tracker, by, acknowledged, now, paging),
  );
  return { ok: true };
}
