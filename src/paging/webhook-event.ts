import { createHmac } from 'node:crypto';
import type { DeliveryRow, PageNotice } from '../store/deliveries.js';
import { dedupKey, slackThreadUrl } from './delivery-refs.js';

/**
 * Pure: a stored delivery → the webhook's JSON body (version 1). Every event carries the whole
 * incident as known then, so a receiver needs no state of its own; `dedup_key` is the same on
 * every event and retry of one incident.
 */
export function webhookBody(row: DeliveryRow): string {
  const n = JSON.parse(row.notice) as PageNotice;
  const thread = slackThreadUrl(row);
  const iso = (ms: number) => new Date(ms).toISOString();
  return JSON.stringify({
    version: 1,
    event: row.event,
    dedup_key: dedupKey(row),
    at: iso(n.at),
    incident: {
      id: row.incident_id,
      key: row.key,
      cause: n.cause,
      severity: n.severity,
      subject: n.subject,
      hosts: n.hosts,
      title: n.title,
      opened_at: iso(row.opened_at),
      ...(row.event === 'resolve' ? { resolved_at: iso(row.resolved_at ?? n.at), duration_ms: n.durationMs } : {}),
      ...(row.event === 'acknowledge' && n.by ? { acknowledged_by: n.by } : {}),
      ...(n.flapping ? { flapping: true } : {}),
    },
    ...(n.by ? { by: n.by } : {}),
    ...(row.event === 'escalate' ? { escalation: { oncall: n.oncall ?? [], after_ms: n.afterMs } } : {}),
    ...(thread ? { slack_thread: thread } : {}),
    evidence: n.evidence,
    ...(n.advice ? { advice: n.advice } : {}),
  });
}

/**
 * `sha256=` + hex HMAC-SHA256 of `${timestamp}.${body}` with the shared secret. The timestamp is
 * signed with the body so a receiver can refuse a replayed request (compare it with its clock).
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers of one attempt: signed afresh each time, with the time of sending. */
export function webhookHeaders(secret: string, body: string, row: Pick<DeliveryRow, 'id' | 'event'>, nowMs: number): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'moneymind-ops-bot',
    'x-moneymind-event': row.event,
    'x-moneymind-delivery': String(row.id),
    'x-moneymind-timestamp': String(timestamp),
    'x-moneymind-signature': signWebhook(secret, timestamp, body),
  };
}
